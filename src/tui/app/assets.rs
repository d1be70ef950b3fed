//! The Assets pane: every file, filtered by kind and state, searched, sorted by capture date.

use super::{App, InputKind, Paged, Request, Response, Screen};
use crate::model::MediaKind;
use crate::tui::keymap::Action;

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
                        // all → video → audio → image → subtitle → other → all
                        let kinds = MediaKind::ALL;
                        self.assets.filter.kind = match self.assets.filter.kind {
                            None => Some(kinds[0]),
                            Some(k) => kinds
                                .iter()
                                .position(|x| *x == k)
                                .and_then(|i| kinds.get(i + 1))
                                .copied(),
                        };
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
