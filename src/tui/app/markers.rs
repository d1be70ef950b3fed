//! The Markers pane: a file's markers, added, edited, removed, avails generated.

use super::{App, InputKind, MarkerInput, Request, Response};
use crate::tui::keymap::Action;

impl App {
    /// Keys of the Markers screen.
    pub(super) fn act_markers(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::Edit => {
                if let Some(m) = self.markers.list.selected() {
                    let text = MarkerInput::text(m.kind, m.start_ms, m.end_ms, m.label.as_deref());
                    self.open_line(InputKind::MarkerEdit(m.id), text);
                }
                Vec::new()
            }
            Action::Add if self.markers.asset.is_some() => {
                self.open_line(InputKind::MarkerNew, String::new());
                Vec::new()
            }
            Action::Delete => {
                let Some(m) = self.markers.list.selected() else {
                    return Vec::new();
                };
                let r = Request::DeleteMarker { id: m.id };
                vec![r]
            }
            Action::GenerateAvails if self.markers.asset.is_some() => {
                self.open_line(InputKind::AvailCount, "3");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Answers for the Markers pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_markers(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Markers {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.markers.list.generation => {
                self.markers.list.total = Some(total.max(0) as u64);
                self.markers.list.take(dir, rows);
            }
            _ => {}
        }
        Vec::new()
    }
}
