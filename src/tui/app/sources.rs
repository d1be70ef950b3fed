//! The Sources pane: collections switched on and off, path mappings added, removed and tested.

use super::{App, InputKind, Request, Response};
use crate::catalog::views::Dir;
use crate::tui::keymap::Action;

impl App {
    /// Keys of the Sources screen.
    pub(super) fn act_sources(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::Search => {
                self.open_line(InputKind::MapTest, String::new());
                Vec::new()
            }
            Action::Add => {
                if let Some(c) = self.sources.collections.selected() {
                    self.open_line(InputKind::MapAdd(c.name.clone()), String::new());
                }
                Vec::new()
            }
            Action::Delete if self.lower => {
                if let Some(m) = self.sources.mappings.get(self.sources.cursor) {
                    self.open_line(InputKind::MapRemove(m.id), String::new());
                }
                Vec::new()
            }
            // `r` on a server's collection: its sections, discovered again.
            Action::Reject => match self.sources.collections.selected() {
                Some(c) if c.is_server() => vec![Request::RefreshServer {
                    source: c.source.clone(),
                }],
                _ => {
                    self.message = Some((
                        super::Level::Info,
                        "r refreshes the sections of a Plex or Jellyfin source".into(),
                    ));
                    Vec::new()
                }
            },
            Action::Toggle => {
                let Some(c) = self.sources.collections.selected() else {
                    return Vec::new();
                };
                let r = Request::SetEnabled {
                    collection: c.name.clone(),
                    enabled: !c.enabled,
                };
                vec![r]
            }
            _ => Vec::new(),
        }
    }

    /// Answers for the Sources pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_sources(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Sources {
                generation,
                collections,
                mappings,
            } if generation >= self.sources.collections.generation => {
                self.sources.collections.total = Some(collections.len() as u64);
                self.sources.collections.take(Dir::First, collections);
                self.sources.mappings = mappings;
            }
            Response::MapTest { answer, .. } => self.sources.test = Some(answer),
            _ => {}
        }
        Vec::new()
    }
}
