//! The Review pane: accept, reject, link, edit, accept in bulk.

use super::{App, EditForm, InputKind, LibFocus, Overlay, Pick, Request, Response, Screen};
use crate::catalog::decide::Target;
use crate::identify::MediaType;
use crate::tui::keymap::Action;

impl App {
    /// Keys of the Review screen.
    pub(super) fn act_review(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::Accept => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let r = Request::Decide {
                    item: it.id,
                    accept: true,
                    note: None,
                };
                vec![r]
            }
            Action::Reject => {
                if let Some(it) = self.review.items.selected() {
                    self.open_line(InputKind::RejectNote(it.id), String::new());
                }
                Vec::new()
            }
            Action::Link => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let pick = Pick {
                    item: it.id,
                    path: it.path.clone(),
                };
                self.switch(Screen::Library);
                self.library.pick = Some(pick);
                self.library.focus = LibFocus::Titles;
                self.reload()
            }
            Action::Edit => {
                let Some(it) = self.review.items.selected() else {
                    return Vec::new();
                };
                let p = Target::from_proposal(it.proposal.as_ref());
                let mut form = EditForm {
                    item: it.id,
                    fields: (0..4)
                        .map(|_| ratatui_textarea::TextArea::default())
                        .collect(),
                    focus: 0,
                    movie: p.kind == Some(MediaType::Movie),
                    completions: Vec::new(),
                    generation: 0,
                    error: None,
                };
                let nums = |v: &[u32]| -> String {
                    v.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
                };
                form.set(0, p.title.as_deref().unwrap_or(""));
                form.set(1, &p.year.map(|y| y.to_string()).unwrap_or_default());
                form.set(2, &nums(&p.seasons));
                form.set(3, &nums(&p.episodes));
                self.overlay = Some(Overlay::Editor(form));
                Vec::new()
            }
            Action::BulkAccept => {
                self.open_line(InputKind::BulkAccept, "0.7");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Answers for the Review pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_review(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Review {
                generation,
                dir,
                rows,
            } if generation >= self.review.items.generation => self.review.items.take(dir, rows),
            Response::ReviewCount { generation, n }
                if generation >= self.review.items.generation =>
            {
                self.review.items.total = Some(n as u64)
            }
            Response::Completions { generation, rows } => {
                if let Some(f) = self.form_mut()
                    && generation >= f.generation
                {
                    // Only what adds something to what is typed.
                    let typed = f.text(0).to_lowercase();
                    f.completions = rows
                        .into_iter()
                        .filter(|t| t.name.to_lowercase() != typed)
                        .collect();
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
