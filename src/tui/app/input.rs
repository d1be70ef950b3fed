//! The overlays that take keys: the review editor (a form with title completion) and the
//! one-line input (search, command line, a confidence, a marker, a mapping), with its
//! line editor and what each line does when submitted.

use super::{
    App, AssetFilter, Effect, InputKind, InputLine, Level, MarkerInput, Paged, Request, Screen,
    asks,
};
use crate::model::{MediaKind, TitleKind};
use crate::tui::keymap::Action;

impl App {
    /// A key while the editor is open: Esc closes, Enter decides, Tab completes the title
    /// or moves on, Up/Down/BackTab move between fields, ctrl-t switches episode/movie.
    pub fn form_key(&mut self, k: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some(form) = self.form_mut() else {
            return Vec::new();
        };
        match k.code {
            KeyCode::Esc => {
                self.overlay = None;
                return Vec::new();
            }
            KeyCode::Enter => {
                return match form.target() {
                    Ok(t) => {
                        let item = form.item;
                        self.overlay = None;
                        vec![Effect::Ask(Request::SetItem {
                            item,
                            target: Box::new(t),
                        })]
                    }
                    Err(e) => {
                        form.error = Some(e);
                        Vec::new()
                    }
                };
            }
            KeyCode::Tab if form.focus == 0 && !form.completions.is_empty() => {
                let c = form.completions.remove(0);
                form.set(0, &c.name);
                if let Some(y) = c.year {
                    form.set(1, &y.to_string());
                }
                form.movie = c.kind == TitleKind::Movie;
                form.completions.clear();
                form.focus = 1;
                return Vec::new();
            }
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 4,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 3) % 4,
            KeyCode::Char('t') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                form.movie = !form.movie
            }
            _ => {
                let before = form.text(form.focus);
                form.fields[form.focus].input(k);
                form.error = None;
                if form.focus == 0 && form.text(0) != before {
                    self.generation += 1;
                    let g = self.generation;
                    if let Some(f) = self.form_mut() {
                        f.generation = g;
                        return vec![Effect::Ask(Request::Completions {
                            generation: g,
                            prefix: f.text(0),
                        })];
                    }
                }
            }
        }
        Vec::new()
    }

    /// A key while the input line is open: Enter submits, Esc closes, Backspace erases.
    pub fn input_key(&mut self, k: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some(line) = self.line_mut() else {
            return Vec::new();
        };
        // The cursor, as a char index; past the end unless moved.
        let len = line.text.chars().count();
        let at = line.cursor.unwrap_or(len).min(len);
        let text = &mut line.text;
        let byte = |t: &str, i: usize| t.char_indices().nth(i).map_or(t.len(), |(b, _)| b);
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let mut to = at;
        match k.code {
            KeyCode::Enter => return self.submit(),
            KeyCode::Esc => {
                self.overlay = None;
                self.message = None;
                return Vec::new();
            }
            KeyCode::Backspace if at > 0 => {
                text.remove(byte(text, at - 1));
                to = at - 1;
            }
            KeyCode::Delete if at < len => {
                text.remove(byte(text, at));
            }
            KeyCode::Left => to = at.saturating_sub(1),
            KeyCode::Right => to = (at + 1).min(len),
            KeyCode::Home => to = 0,
            KeyCode::End => to = len,
            KeyCode::Char('a') if ctrl => to = 0,
            KeyCode::Char('e') if ctrl => to = len,
            KeyCode::Char('u') if ctrl => {
                text.replace_range(..byte(text, at), "");
                to = 0;
            }
            KeyCode::Char('w') if ctrl => {
                // The word before the cursor, and the spaces after it.
                let chars: Vec<char> = text.chars().collect();
                let mut i = at;
                while i > 0 && chars[i - 1] == ' ' {
                    i -= 1;
                }
                while i > 0 && chars[i - 1] != ' ' {
                    i -= 1;
                }
                let (a, b) = (byte(text, i), byte(text, at));
                text.replace_range(a..b, "");
                to = i;
            }
            KeyCode::Char(c) if !ctrl => {
                text.insert(byte(text, at), c);
                to = at + 1;
            }
            _ => {}
        }
        let len = text.chars().count();
        line.cursor = (to < len).then_some(to);
        Vec::new()
    }

    /// The input line was submitted.
    pub fn submit(&mut self) -> Vec<Effect> {
        let Some(InputLine { kind, text, .. }) = self.line().cloned() else {
            return Vec::new();
        };
        self.overlay = None;
        let text = text.trim().to_string();
        if kind == InputKind::Palette {
            return self.command(&text);
        }
        if let Some(effects) = self.submit_organise(&kind, &text) {
            return effects;
        }
        asks(self.submit_input(kind, text))
    }

    /// What the input line of `kind` asks for, with `text` typed.
    pub(super) fn submit_input(&mut self, kind: InputKind, text: String) -> Vec<Request> {
        match kind {
            InputKind::Search => {
                self.assets.filter.search = text;
                self.assets.list = Paged::default();
                self.reload()
            }
            InputKind::MapTest => {
                let g = self.next_gen();
                vec![Request::MapTest {
                    generation: g,
                    path: text,
                }]
            }
            InputKind::BulkAccept => match text.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => {
                    vec![Request::BulkAccept { min_confidence: x }]
                }
                _ => {
                    self.message = Some((
                        Level::Error,
                        format!("{text:?} is not a confidence between 0 and 1"),
                    ));
                    Vec::new()
                }
            },
            InputKind::RejectNote(item) => vec![Request::Decide {
                item,
                accept: false,
                note: (!text.is_empty()).then_some(text),
            }],
            InputKind::MarkerNew | InputKind::MarkerEdit(_) => self.submit_marker(kind, text),
            InputKind::MapAdd(collection) => self.submit_mapping(collection, text),
            InputKind::OrganisePlan | InputKind::OrganiseApply | InputKind::OrganiseUndo(_) => {
                Vec::new()
            }
            InputKind::MapRemove(id) => {
                if text.eq_ignore_ascii_case("y") || text.eq_ignore_ascii_case("yes") {
                    vec![Request::RemoveMapping { id }]
                } else {
                    self.message = Some((Level::Info, format!("mapping #{id} kept")));
                    Vec::new()
                }
            }
            InputKind::AvailCount => match text.parse::<usize>() {
                Ok(n) if n > 0 => {
                    let Some(a) = &self.markers.asset else {
                        return Vec::new();
                    };
                    let r = Request::GenerateAvails { asset: a.id, n };
                    vec![r]
                }
                _ => {
                    self.message =
                        Some((Level::Error, format!("{text:?} is not a number of avails")));
                    Vec::new()
                }
            },
            InputKind::Palette => Vec::new(),
        }
    }

    /// A marker typed on the input line, added or saved; a line that does not parse stays
    /// open with what was typed, the reason beside it.
    fn submit_marker(&mut self, kind: InputKind, text: String) -> Vec<Request> {
        match MarkerInput::parse(&text) {
            Ok(marker) => {
                let r = match kind {
                    InputKind::MarkerEdit(id) => Request::EditMarker { id, marker },
                    _ => {
                        let Some(a) = &self.markers.asset else {
                            return Vec::new();
                        };
                        Request::AddMarker {
                            asset: a.id,
                            marker,
                        }
                    }
                };
                vec![r]
            }
            Err(e) => {
                self.message = Some((Level::Error, e.to_string()));
                self.open_line(kind, text);
                Vec::new()
            }
        }
    }

    /// `REMOTE -> LOCAL` typed for a new mapping of `collection`.
    fn submit_mapping(&mut self, collection: String, text: String) -> Vec<Request> {
        let parts = ["->", "=>", "→"]
            .iter()
            .find_map(|sep| text.split_once(sep));
        match parts {
            Some((remote, local)) if !remote.trim().is_empty() && !local.trim().is_empty() => {
                vec![Request::AddMapping {
                    collection,
                    remote: remote.trim().to_string(),
                    local: local.trim().to_string(),
                }]
            }
            _ => {
                self.message = Some((
                    Level::Error,
                    "type REMOTE -> LOCAL, e.g. /data/tv -> /mnt/media/tv".into(),
                ));
                self.open_line(InputKind::MapAdd(collection), text);
                Vec::new()
            }
        }
    }

    /// The `:` command line.
    pub(super) fn command(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("q" | "quit"), _) => self.update(Action::Quit),
            (Some("scan"), name) if !self.read_only => vec![Effect::Scan {
                collection: name.map(str::to_string),
            }],
            (Some("scan"), _) => asks(self.refuse_read_only()),
            (Some("cancel"), _) => vec![Effect::CancelScan],
            (Some("undo"), _) => self.update(Action::Undo),
            (Some("help"), _) => self.update(Action::Help),
            (Some("goto" | "go"), Some(n)) | (Some(n), None)
                if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() =>
            {
                match n.parse::<usize>() {
                    Ok(i @ 1..=6) => asks(self.switch(Screen::ALL[i - 1])),
                    _ => {
                        self.message = Some((Level::Error, format!("no screen {n}: 1 to 6")));
                        Vec::new()
                    }
                }
            }
            (Some("filter"), Some(f)) => {
                let mut filter = AssetFilter::default();
                match f {
                    "missing" => filter.missing = true,
                    "duplicates" | "dupes" => filter.duplicates = true,
                    "errors" => filter.errors = true,
                    "unidentified" => filter.unidentified = true,
                    "none" | "all" => {}
                    kind => match kind.parse::<MediaKind>() {
                        Ok(k) => filter.kind = Some(k),
                        Err(e) => {
                            // The filter shown stays as it was.
                            self.message = Some((Level::Error, format!("filter: {e}")));
                            return Vec::new();
                        }
                    },
                }
                self.screen = Screen::Assets;
                self.assets.filter = filter;
                self.assets.list = Paged::default();
                asks(self.reload())
            }
            (None, _) => Vec::new(),
            (Some(other), _) => {
                self.message = Some((
                    Level::Error,
                    format!(
                        "unknown command {other:?}: scan [NAME], cancel, undo, help, quit, goto 1-6, filter missing|duplicates|errors|unidentified|KIND|none"
                    ),
                ));
                Vec::new()
            }
        }
    }
}
