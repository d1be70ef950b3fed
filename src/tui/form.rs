//! The review editor's state: four fields on ratatui-textarea and the completions offered
//! for the title. `App::form_key` drives it; the view draws it.

use crate::catalog::views::TitleListRow;

/// The review editor: what a file is, typed by a person.
pub struct EditForm {
    pub item: i64,
    /// Title, year, season, episodes.
    pub fields: Vec<ratatui_textarea::TextArea<'static>>,
    pub focus: usize,
    pub movie: bool,
    pub completions: Vec<TitleListRow>,
    pub generation: u64,
    pub error: Option<String>,
}

pub const FORM_LABELS: [&str; 4] = ["Title", "Year", "Season", "Episode(s)"];

impl EditForm {
    pub(crate) fn text(&self, i: usize) -> String {
        self.fields[i].lines().join(" ").trim().to_string()
    }

    pub(crate) fn set(&mut self, i: usize, s: &str) {
        self.fields[i] = ratatui_textarea::TextArea::new(vec![s.to_string()]);
        self.fields[i].move_cursor(ratatui_textarea::CursorMove::End);
    }

    /// The form as a decision, or why it is not one yet.
    pub(crate) fn target(&self) -> Result<crate::catalog::decide::Target, String> {
        let title = self.text(0);
        if title.is_empty() {
            return Err("a title is needed".into());
        }
        let num = |s: &str, what: &str| -> Result<Option<u32>, String> {
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse()
                    .map(Some)
                    .map_err(|_| format!("{what} {s:?} is not a number"))
            }
        };
        let year = num(&self.text(1), "year")?;
        if self.movie {
            return Ok(crate::catalog::decide::Target {
                kind: Some(crate::identify::MediaType::Movie),
                title: Some(title),
                year,
                ..Default::default()
            });
        }
        let season = num(&self.text(2), "season")?
            .ok_or("an episode needs a season (ctrl-t makes it a movie)")?;
        let mut episodes = Vec::new();
        for part in self.text(3).split([' ', ',']).filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b): (u32, u32) = (
                        a.parse().map_err(|_| format!("{part:?} is not a range"))?,
                        b.parse().map_err(|_| format!("{part:?} is not a range"))?,
                    );
                    if b < a || b - a > 100 {
                        return Err(format!("{part:?} is not a range"));
                    }
                    episodes.extend(a..=b);
                }
                None => episodes.push(
                    part.parse()
                        .map_err(|_| format!("episode {part:?} is not a number"))?,
                ),
            }
        }
        if episodes.is_empty() {
            return Err("an episode needs its number(s): 5, 5-6 or 5 6".into());
        }
        Ok(crate::catalog::decide::Target {
            kind: Some(crate::identify::MediaType::Episode),
            title: Some(title),
            year,
            seasons: vec![season],
            episodes,
            ..Default::default()
        })
    }
}
