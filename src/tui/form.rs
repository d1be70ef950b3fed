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
    pub error: Option<FormError>,
}

pub(crate) const FORM_LABELS: [&str; 4] = ["Title", "Year", "Season", "Episode(s)"];

impl EditForm {
    pub(crate) fn text(&self, i: usize) -> String {
        self.fields[i].lines().join(" ").trim().to_string()
    }

    pub(crate) fn set(&mut self, i: usize, s: &str) {
        self.fields[i] = ratatui_textarea::TextArea::new(vec![s.to_string()]);
        self.fields[i].move_cursor(ratatui_textarea::CursorMove::End);
    }

    /// The form as a decision, or why it is not one yet.
    pub(crate) fn target(&self) -> Result<crate::catalog::decide::Target, FormError> {
        let title = self.text(0);
        if title.is_empty() {
            return Err(FormError::NoTitle);
        }
        let num = |s: &str, field: &'static str| -> Result<Option<u32>, FormError> {
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse().map(Some).map_err(|_| FormError::NotANumber {
                    field,
                    text: s.to_owned(),
                })
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
        let season = num(&self.text(2), "season")?.ok_or(FormError::NoSeason)?;
        let mut episodes = Vec::new();
        for part in self.text(3).split([' ', ',']).filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let not_a_range = || FormError::NotARange(part.to_owned());
                    let (a, b): (u32, u32) = (
                        a.parse().map_err(|_| not_a_range())?,
                        b.parse().map_err(|_| not_a_range())?,
                    );
                    if b < a || b - a > 100 {
                        return Err(not_a_range());
                    }
                    episodes.extend(a..=b);
                }
                None => episodes.push(part.parse().map_err(|_| FormError::NotANumber {
                    field: "episode",
                    text: part.to_owned(),
                })?),
            }
        }
        if episodes.is_empty() {
            return Err(FormError::NoEpisode);
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

/// Why the review editor's fields are not a decision yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("a title is needed")]
    NoTitle,
    #[error("{field} {text:?} is not a number")]
    NotANumber { field: &'static str, text: String },
    #[error("an episode needs a season (ctrl-t makes it a movie)")]
    NoSeason,
    #[error("{0:?} is not a range")]
    NotARange(String),
    #[error("an episode needs its number(s): 5, 5-6 or 5 6")]
    NoEpisode,
}
