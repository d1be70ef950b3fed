//! One vocabulary: an `Action` is what a key is bound to in the config's `[keys]` table,
//! what the loop handles, and what the help screen lists. Defaults live in
//! `config/default.toml`; a user file rebinds any action.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Palette,
    NextScreen,
    PrevScreen,
    Library,
    Assets,
    Review,
    Markers,
    Sources,
    Status,
    Inbox,
    Up,
    Down,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Top,
    Bottom,
    DrillIn,
    DrillOut,
    Search,
    Accept,
    Reject,
    Edit,
    BulkAccept,
    Undo,
    ScanSelected,
    ScanAll,
    CancelScan,
    CopyPath,
    FilterKind,
    FilterMissing,
    FilterDuplicates,
    FilterErrors,
    FilterUnidentified,
    Add,
    Delete,
    Link,
    Toggle,
    Sort,
    GenerateAvails,
    Refresh,
    Dismiss,
}

impl Action {
    /// It changes the catalog (or starts a scan, or opens a line that will): refused in
    /// read-only mode, in this one place.
    pub(crate) fn is_write(self) -> bool {
        matches!(
            self,
            Self::Accept
                | Self::Reject
                | Self::Edit
                | Self::BulkAccept
                | Self::Undo
                | Self::ScanSelected
                | Self::ScanAll
                | Self::Add
                | Self::Delete
                | Self::Link
                | Self::Toggle
                | Self::GenerateAvails
        )
    }

    /// What it does, for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::Help => "this help",
            Self::Palette => "command line (scan, cancel, undo, quit, goto N, filter …)",
            Self::NextScreen => "next screen",
            Self::PrevScreen => "previous screen",
            Self::Library => "1 Library: titles, seasons, episodes, their files and markers",
            Self::Assets => "2 Assets: every file, searchable and filterable",
            Self::Review => "3 Review: what identification could not settle",
            Self::Markers => "4 Markers of the selected file",
            Self::Sources => "5 Sources and path mappings",
            Self::Status => "6 Status: services, the running scan, changesets",
            Self::Inbox => "7 Inbox: organise a camera card into dated folders",
            Self::Up => "move up",
            Self::Down => "move down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::HalfPageUp => "half a page up",
            Self::HalfPageDown => "half a page down",
            Self::Top => "to the top",
            Self::Bottom => "to the bottom",
            Self::DrillIn => "open (title → seasons → episodes); the lower pane (Sources, Status)",
            Self::DrillOut => "back; the upper pane",
            Self::Search => "search (Assets); test a remote path (Sources)",
            Self::Accept => "accept the proposal (Review); apply the plan (Inbox)",
            Self::Reject => "reject, not media (Review); refresh server sections (Sources)",
            Self::Edit => "edit: what a file is, in a form (Review); the selected marker (Markers)",
            Self::BulkAccept => "accept everything at or above a confidence (Review)",
            Self::Undo => "undo the newest decision or edit; put a batch back (Inbox)",
            Self::ScanSelected => "scan the selected collection (Sources)",
            Self::ScanAll => "scan every enabled collection",
            Self::CancelScan => "cancel the running scan",
            Self::CopyPath => "copy the selected path (OSC 52, works over SSH)",
            Self::FilterKind => {
                "filter by kind: all → video → audio → image → subtitle → other (Assets); by event (Status)"
            }
            Self::FilterMissing => "only missing files",
            Self::FilterDuplicates => "only duplicates",
            Self::FilterErrors => "only files with errors",
            Self::FilterUnidentified => "only unidentified videos",
            Self::Add => {
                "add: a marker of any kind (Markers), a path mapping (Sources), a plan (Inbox)"
            }
            Self::Delete => "delete: the selected marker (Markers), path mapping (Sources)",
            Self::Link => "link to an episode or movie picked on the Library (Review)",
            Self::Toggle => {
                "enable / disable the selected collection (Sources); copy ↔ move (Inbox)"
            }
            Self::Sort => "photos by capture date ↔ every file by path (Assets)",
            Self::GenerateAvails => "generate N avails (Markers)",
            Self::Refresh => "reload from the catalog",
            Self::Dismiss => "dismiss a message / close",
        }
    }
}

/// A key as the config writes it: `q`, `G`, `ctrl-d`, `enter`, `esc`, `tab`, `backtab`,
/// `backspace`, `up`, `down`, `left`, `right`, `pageup`, `pagedown`, `home`, `end`, `f1`, `?`.
pub(crate) fn parse_key(s: &str) -> Option<KeyEvent> {
    let lower = s.to_ascii_lowercase();
    let (mods, name) = match lower.strip_prefix("ctrl-") {
        Some(rest) => (KeyModifiers::CONTROL, rest.to_string()),
        None => (KeyModifiers::NONE, lower.clone()),
    };
    let code = match name.as_str() {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        f if f.starts_with('f') && f.len() > 1 => KeyCode::F(f[1..].parse().ok()?),
        _ => {
            // Single characters keep their case ("G" is not "g").
            let mut chars = if mods == KeyModifiers::NONE {
                s.chars()
            } else {
                name.chars()
            };
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            KeyCode::Char(c)
        }
    };
    Some(KeyEvent::new(code, mods))
}

/// A key for display: `ctrl-d`, `G`, `enter`.
pub(crate) fn key_name(k: &KeyEvent) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::F(n) => format!("f{n}"),
        _ => "?".into(),
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        format!("ctrl-{base}")
    } else {
        base
    }
}

/// Keys → actions, in the order they were listed.
#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<(KeyCode, KeyModifiers), Action>,
    pub bindings: Vec<(Action, Vec<KeyEvent>)>,
}

fn normal(k: &KeyEvent) -> (KeyCode, KeyModifiers) {
    // Terminals report shifted letters with SHIFT; the character already says it.
    let m = k.modifiers & KeyModifiers::CONTROL;
    (k.code, m)
}

/// A `[keys]` table the UI cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("keys: unknown action {0:?}")]
    UnknownAction(String),
    #[error("keys.{action}: cannot read key {key:?}")]
    BadKey { action: String, key: String },
}

impl Keymap {
    /// From the `[keys]` table: action name → list of keys. Errors name the action or key.
    pub fn from_table(
        table: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Result<Keymap, KeymapError> {
        let mut map = HashMap::new();
        let mut bindings = Vec::new();
        for (name, keys) in table {
            let action: Action = serde_json::from_value(serde_json::Value::String(name.clone()))
                .map_err(|_| KeymapError::UnknownAction(name.clone()))?;
            let mut evs = Vec::new();
            for k in keys {
                let ev = parse_key(k).ok_or_else(|| KeymapError::BadKey {
                    action: name.clone(),
                    key: k.clone(),
                })?;
                map.insert(normal(&ev), action);
                evs.push(ev);
            }
            bindings.push((action, evs));
        }
        Ok(Keymap { map, bindings })
    }

    pub fn action(&self, k: &KeyEvent) -> Option<Action> {
        self.map.get(&normal(k)).copied()
    }

    /// The first key bound to an action, for hints.
    pub(crate) fn key_for(&self, a: Action) -> String {
        self.bindings
            .iter()
            .find(|(b, _)| *b == a)
            .and_then(|(_, ks)| ks.first())
            .map(key_name)
            .unwrap_or_else(|| "—".into())
    }

    /// Help lines generated from the bindings: "keys  description".
    pub fn help(&self) -> Vec<(String, &'static str)> {
        let mut lines: Vec<(String, &'static str)> = self
            .bindings
            .iter()
            .map(|(a, ks)| {
                (
                    ks.iter().map(key_name).collect::<Vec<_>>().join(" "),
                    a.describe(),
                )
            })
            .collect();
        lines.sort_by_key(|(_, d)| *d);
        lines
    }
}
