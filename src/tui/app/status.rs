//! The Status pane: services, changesets, and the selected changeset's events by kind.

use super::{App, Paged, Request, Response};
use crate::catalog::views::Dir;
use crate::tui::keymap::Action;

impl App {
    /// Keys of the Status screen.
    pub(super) fn act_status(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::FilterKind | Action::FilterMissing | Action::FilterErrors => {
                self.status.kind = match a {
                    Action::FilterMissing => {
                        let k = crate::catalog::events::MISSING;
                        (self.status.kind != Some(k)).then_some(k)
                    }
                    Action::FilterErrors => {
                        let k = crate::catalog::events::ERROR;
                        (self.status.kind != Some(k)).then_some(k)
                    }
                    // all → new → moved → changed → missing → error → warning → all
                    _ => match self.status.kind {
                        None => Some(0),
                        Some(k) if k + 1 < crate::catalog::events::KINDS.len() => Some(k + 1),
                        Some(_) => None,
                    },
                };
                self.status.events = Paged::default();
                self.event_requests(Dir::First, None)
            }
            _ => Vec::new(),
        }
    }

    /// The selected scan's events (from `key` on, to keep the place) and their counts.
    pub(super) fn event_requests(
        &mut self,
        dir: Dir,
        key: Option<crate::catalog::views::Key>,
    ) -> Vec<Request> {
        let g = self.next_gen();
        let Some(page) = self.events_page(g, dir, key) else {
            return Vec::new();
        };
        let changeset = self.status.selected.unwrap_or_default();
        vec![
            page,
            Request::EventCounts {
                generation: g,
                changeset,
            },
        ]
    }

    /// A page of the selected scan's events, under generation `g`.
    pub(super) fn events_page(
        &mut self,
        g: u64,
        dir: Dir,
        key: Option<crate::catalog::views::Key>,
    ) -> Option<Request> {
        let changeset = self.status.selected?;
        self.status.events.asking(g);
        Some(Request::Events {
            generation: g,
            changeset,
            kind: self.status.kind,
            dir,
            key,
        })
    }

    /// The Status changeset under the cursor changed: its events start from the top.
    pub(super) fn select_changeset(&mut self, id: Option<i64>) -> Vec<Request> {
        if id == self.status.selected {
            return Vec::new();
        }
        self.status.selected = id;
        self.status.events = Paged::default();
        self.status.counts = None;
        self.event_requests(Dir::First, None)
    }

    /// Answers for the Status pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_status(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Status {
                services,
                changesets,
                hash_pending,
                ..
            } => {
                self.status.hash_pending = hash_pending;
                self.status.services = services;
                self.status.changesets = changesets;
                // Follow the newest scan until the person picks a changeset.
                let known = self
                    .status
                    .changesets
                    .iter()
                    .any(|c| Some(c.id) == self.status.selected);
                if !self.status.chosen || !known {
                    let newest = self
                        .status
                        .changesets
                        .iter()
                        .find(|c| c.kind == crate::model::ChangesetKind::Scan)
                        .or(self.status.changesets.first())
                        .map(|c| c.id);
                    return self.select_changeset(newest);
                }
            }
            Response::Events {
                generation,
                dir,
                rows,
            } if generation >= self.status.events.generation => {
                self.status.events.take(dir, rows);
            }
            Response::EventCounts {
                generation,
                changeset,
                counts,
            } if generation >= self.status.events.generation => {
                let n: i64 = match self.status.kind {
                    Some(k) => counts.get(k).copied().unwrap_or(0),
                    None => counts.iter().sum(),
                };
                self.status.events.total = Some(n.max(0) as u64);
                self.status.counts = Some((changeset, counts));
            }
            _ => {}
        }
        Vec::new()
    }
}
