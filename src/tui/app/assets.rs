//! The Assets pane: every file, filtered by kind and state, searched, sorted by capture date.

use super::{App, InputKind, Paged, Request, Response, Screen};
use crate::tui::keymap::Action;

/// The kinds the kind filter cycles through.
const KINDS: [Option<&str>; 6] = [
    None,
    Some("video"),
    Some("audio"),
    Some("image"),
    Some("subtitle"),
    Some("other"),
];

impl App {
    /// Keys of the Assets screen.
    pub(super) fn act_assets(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::DrillIn => {
                self.markers.asset = self.assets.list.selected().cloned();
                self.switch(Screen::Markers)
            }
            Action::Search => {
                self.open_line(InputKind::Search, self.assets.filter.search.clone());
                Vec::new()
            }
            Action::Sort => {
                self.assets.filter.by_captured = !self.assets.filter.by_captured;
                self.assets.list = Paged::default();
                self.reload()
            }
            Action::FilterKind
            | Action::FilterMissing
            | Action::FilterDuplicates
            | Action::FilterErrors
            | Action::FilterUnidentified => {
                match a {
                    Action::FilterKind => {
                        let i = KINDS
                            .iter()
                            .position(|k| k.map(str::to_string) == self.assets.filter.kind)
                            .unwrap_or(0);
                        self.assets.filter.kind = KINDS[(i + 1) % KINDS.len()].map(str::to_string);
                    }
                    Action::FilterMissing => {
                        self.assets.filter.missing = !self.assets.filter.missing
                    }
                    Action::FilterDuplicates => {
                        self.assets.filter.duplicates = !self.assets.filter.duplicates
                    }
                    Action::FilterErrors => self.assets.filter.errors = !self.assets.filter.errors,
                    _ => self.assets.filter.unidentified = !self.assets.filter.unidentified,
                }
                self.assets.list = Paged::default();
                self.reload()
            }
            _ => Vec::new(),
        }
    }

    /// Answers for the Assets pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_assets(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Assets {
                generation,
                dir,
                rows,
            } if generation >= self.assets.list.generation => {
                self.assets.list.take(dir, rows);
                self.markers.asset = self
                    .assets
                    .list
                    .selected()
                    .cloned()
                    .or(self.markers.asset.take());
            }
            Response::AssetCount { generation, n } if generation >= self.assets.list.generation => {
                self.assets.list.total = Some(n as u64)
            }
            _ => {}
        }
        Vec::new()
    }
}
