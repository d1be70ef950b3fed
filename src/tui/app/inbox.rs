//! The Inbox pane: a camera card planned into DEST (`shelf organise --dry-run`), the plan
//! looked over, applied after a confirmation, and batches put back. The work runs on a
//! thread of its own with the process's writer, like a scan.

use super::{App, Effect, InputKind, Level, OrganiseEvent, Request, Response};
use crate::catalog::organise::Batch;
use crate::tui::keymap::Action;
use crate::worker::organise::PlanLine;

#[derive(Debug, Default)]
pub struct Inbox {
    pub src: Option<String>,
    pub dest: Option<String>,
    /// Release each source once its copy is verified.
    pub moving: bool,
    /// The plan of `src` into `dest`, as last planned.
    pub plan: Vec<PlanLine>,
    pub summary: Option<String>,
    pub cursor: usize,
    pub batches: Vec<Batch>,
    pub batch_cursor: usize,
    /// A plan, a batch or an undo is running.
    pub running: bool,
    pub generation: u64,
}

impl App {
    /// Keys of the Inbox screen.
    pub(super) fn act_inbox(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::Add => {
                let text = match (&self.inbox.src, &self.inbox.dest) {
                    (Some(s), Some(d)) => format!("{s} -> {d}"),
                    _ => String::new(),
                };
                self.open_line(InputKind::OrganisePlan, text);
            }
            Action::Toggle => {
                self.inbox.moving = !self.inbox.moving;
                self.message = Some((
                    Level::Info,
                    if self.inbox.moving {
                        "move: each source is released once its copy is verified".into()
                    } else {
                        "copy: the sources stay as they are".into()
                    },
                ));
            }
            Action::Accept => {
                let todo = self
                    .inbox
                    .plan
                    .iter()
                    .filter(|l| l.action == "place")
                    .count();
                if self.inbox.plan.is_empty() || self.inbox.running {
                    self.message = Some((Level::Info, "n plans an inbox first".into()));
                } else {
                    let verb = if self.inbox.moving { "move" } else { "copy" };
                    self.open_line(InputKind::OrganiseApply, String::new());
                    self.message = Some((
                        Level::Info,
                        format!(
                            "{verb} {todo} file(s) into {}? y applies",
                            self.inbox.dest.as_deref().unwrap_or("?")
                        ),
                    ));
                }
            }
            Action::Undo if self.lower => {
                if let Some(b) = self.inbox.batches.get(self.inbox.batch_cursor) {
                    self.open_line(InputKind::OrganiseUndo(b.id), String::new());
                }
            }
            Action::Undo => {
                self.message = Some((
                    Level::Info,
                    "enter the batches below, then u puts one back".into(),
                ));
            }
            _ => {}
        }
        Vec::new()
    }

    /// The Inbox's input lines: what to plan, and the confirmations. `None` for others.
    pub(super) fn submit_organise(&mut self, kind: &InputKind, text: &str) -> Option<Vec<Effect>> {
        let yes = text.eq_ignore_ascii_case("y") || text.eq_ignore_ascii_case("yes");
        Some(match kind {
            InputKind::OrganisePlan => {
                let Some((src, dest)) = text.split_once("->").map(|(a, b)| (a.trim(), b.trim()))
                else {
                    self.message = Some((Level::Error, "type SRC -> DEST".into()));
                    self.open_line(InputKind::OrganisePlan, text.to_owned());
                    return Some(Vec::new());
                };
                let (src, dest) = (expand(src), expand(dest));
                self.inbox.src = Some(src.clone());
                self.inbox.dest = Some(dest.clone());
                self.inbox.running = true;
                self.message = Some((Level::Info, "planning…".into()));
                vec![Effect::Organise {
                    src,
                    dest,
                    moving: self.inbox.moving,
                    dry_run: true,
                }]
            }
            InputKind::OrganiseApply if yes => match (&self.inbox.src, &self.inbox.dest) {
                (Some(src), Some(dest)) => {
                    self.inbox.running = true;
                    self.message = Some((Level::Info, "organising…".into()));
                    vec![Effect::Organise {
                        src: src.clone(),
                        dest: dest.clone(),
                        moving: self.inbox.moving,
                        dry_run: false,
                    }]
                }
                _ => Vec::new(),
            },
            InputKind::OrganiseUndo(batch) if yes => {
                self.inbox.running = true;
                self.message = Some((Level::Info, format!("putting batch #{batch} back…")));
                vec![Effect::OrganiseUndo { batch: *batch }]
            }
            InputKind::OrganiseApply | InputKind::OrganiseUndo(_) => {
                self.message = Some((Level::Info, "nothing changed".into()));
                Vec::new()
            }
            _ => return None,
        })
    }

    /// What an organise job came to.
    pub fn on_organise(&mut self, e: OrganiseEvent) -> Vec<Effect> {
        self.inbox.running = false;
        match e {
            OrganiseEvent::Planned(r) => {
                self.inbox.summary = Some(r.summary("would organise"));
                self.inbox.plan = r.plan;
                self.inbox.cursor = 0;
                self.message = Some((Level::Info, "planned: a applies it".into()));
            }
            OrganiseEvent::Done(r) => {
                let level = if r.errors.is_empty() {
                    Level::Info
                } else {
                    Level::Error
                };
                self.message = Some((level, r.summary("organised")));
                self.inbox.summary = self.message.as_ref().map(|m| m.1.clone());
                self.inbox.plan = r.plan;
            }
            OrganiseEvent::Undone(r) => {
                let b = r.batch.unwrap_or_default();
                self.message = Some((
                    Level::Info,
                    format!("batch #{b} put back: {} file(s)", r.organised),
                ));
            }
            OrganiseEvent::Refused(why) | OrganiseEvent::Failed(why) => {
                self.message = Some((Level::Error, why));
            }
        }
        super::asks(self.reload())
    }

    /// While a batch runs: its journal's counts, on the Inbox.
    pub fn organise_progress(&mut self) -> Vec<Effect> {
        if self.screen != super::Screen::Inbox {
            return Vec::new();
        }
        let g = self.next_gen();
        self.inbox.generation = g;
        vec![Effect::Ask(Request::OrganiseBatches { generation: g })]
    }

    /// Answers for the Inbox pane.
    pub(super) fn loaded_inbox(&mut self, r: Response) -> Vec<Request> {
        if let Response::OrganiseBatches { generation, rows } = r
            && generation >= self.inbox.generation
        {
            self.inbox.batches = rows;
            self.inbox.batch_cursor = self
                .inbox
                .batch_cursor
                .min(self.inbox.batches.len().saturating_sub(1));
        }
        Vec::new()
    }
}

/// `~/x` as the home folder's `x`.
fn expand(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => p.to_owned(),
    }
}
