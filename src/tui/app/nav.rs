//! Moving through lists: by keys, pages asked for by key when the cursor leaves the window
//! held, and the mouse (what was drawn where, from the last frame).

use super::{App, Effect, LibFocus, List, Request, Screen, asks, clamp_index};
use crate::catalog::events::Event;
use crate::catalog::markers::MarkerRow;
use crate::catalog::review::ReviewRow;
use crate::catalog::views::{Dir, EpisodeRow, SeasonRow, TitleListRow};

impl App {
    pub(super) fn page_request(&mut self, dir: Dir) -> Vec<Request> {
        let g = self.next_gen();
        match self.screen {
            Screen::Library if self.library.focus == LibFocus::Titles => {
                let key = self.library.titles.anchor(dir, TitleListRow::key);
                self.library.titles.asking(g);
                vec![Request::Titles {
                    generation: g,
                    dir,
                    key,
                }]
            }
            Screen::Library if self.library.focus == LibFocus::Seasons => {
                let Some(title) = self.library.titles.selected().map(|t| t.id) else {
                    return Vec::new();
                };
                let key = self.library.seasons.anchor(dir, SeasonRow::key);
                self.library.seasons.asking(g);
                vec![Request::Seasons {
                    generation: g,
                    title,
                    dir,
                    key,
                }]
            }
            Screen::Library if self.library.focus == LibFocus::Episodes => {
                let (Some(t), Some(s)) = (
                    self.library.titles.selected(),
                    self.library.seasons.selected(),
                ) else {
                    return Vec::new();
                };
                let (title, season) = (t.id, s.id);
                let key = self.library.episodes.anchor(dir, EpisodeRow::key);
                self.library.episodes.asking(g);
                vec![Request::Episodes {
                    generation: g,
                    title,
                    season,
                    dir,
                    key,
                }]
            }
            Screen::Assets => {
                let key = self.assets.list.anchor(dir, |a| a.key(&self.assets.filter));
                self.assets.list.asking(g);
                vec![Request::Assets {
                    generation: g,
                    filter: self.assets.filter.clone(),
                    dir,
                    key,
                }]
            }
            Screen::Review => {
                let key = self.review.items.anchor(dir, ReviewRow::key);
                self.review.items.asking(g);
                vec![Request::Review {
                    generation: g,
                    dir,
                    key,
                }]
            }
            Screen::Markers => {
                let Some(asset) = self.markers.asset.as_ref().map(|a| a.id) else {
                    return Vec::new();
                };
                let key = self.markers.list.anchor(dir, MarkerRow::key);
                self.markers.list.asking(g);
                vec![Request::Markers {
                    generation: g,
                    asset,
                    dir,
                    key,
                }]
            }
            Screen::Status => {
                let key = self.status.events.anchor(dir, Event::key);
                self.events_page(g, dir, key).into_iter().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Moves the focused list by `delta` rows (or to an absolute row with `to`).
    pub(super) fn motion(&mut self, delta: i64, to: Option<i64>) -> Vec<Request> {
        let dir = match (self.screen, self.library.focus) {
            (Screen::Library, LibFocus::Titles) => self.library.titles.step(delta, to),
            (Screen::Library, LibFocus::Seasons) => self.library.seasons.step(delta, to),
            (Screen::Library, LibFocus::Episodes) => self.library.episodes.step(delta, to),
            (Screen::Assets, _) => self.assets.list.step(delta, to),
            (Screen::Review, _) => self.review.items.step(delta, to),
            (Screen::Markers, _) => self.markers.list.step(delta, to),
            (Screen::Sources, _) if self.lower => {
                let t = to.unwrap_or(self.sources.cursor as i64 + delta);
                self.sources.cursor = clamp_index(t, self.sources.mappings.len());
                None
            }
            (Screen::Sources, _) => self.sources.collections.step(delta, to),
            (Screen::Status, _) if self.lower => self.status.events.step(delta, to),
            (Screen::Inbox, _) if self.lower => {
                let t = to.unwrap_or(self.inbox.batch_cursor as i64 + delta);
                self.inbox.batch_cursor = clamp_index(t, self.inbox.batches.len());
                None
            }
            (Screen::Inbox, _) => {
                let t = to.unwrap_or(self.inbox.cursor as i64 + delta);
                self.inbox.cursor = clamp_index(t, self.inbox.plan.len());
                None
            }
            (Screen::Status, _) => {
                let cur = self
                    .status
                    .changesets
                    .iter()
                    .position(|c| Some(c.id) == self.status.selected)
                    .unwrap_or(0);
                let t = to.unwrap_or(cur as i64 + delta);
                let id = self
                    .status
                    .changesets
                    .get(clamp_index(t, self.status.changesets.len()))
                    .map(|c| c.id);
                self.status.chosen = true;
                return self.select_changeset(id);
            }
        };
        let mut out = match dir {
            Some(d)
                if matches!(
                    self.screen,
                    Screen::Library
                        | Screen::Assets
                        | Screen::Review
                        | Screen::Markers
                        | Screen::Status
                ) =>
            {
                self.page_request(d)
            }
            _ => Vec::new(),
        };
        out.extend(self.follow_selection());
        out
    }

    /// Gives the keys to the list under (x, y); its row there, if it is on a row.
    pub(super) fn aim(&mut self, x: u16, y: u16) -> Option<u64> {
        let hit = self
            .hits
            .iter()
            .rev()
            .find(|h| h.area.contains(ratatui::layout::Position { x, y }))
            .copied()?;
        match hit.list {
            List::Titles => self.library.focus = LibFocus::Titles,
            List::Seasons => self.library.focus = LibFocus::Seasons,
            List::Episodes => self.library.focus = LibFocus::Episodes,
            List::Collections | List::Changesets => self.lower = false,
            List::Mappings | List::Events => self.lower = true,
            List::Assets | List::Review | List::Markers => {}
        }
        // Inside the borders: the rows start one line down.
        let top = hit.area.y + 1;
        (y >= top && y + 1 < hit.area.y + hit.area.height).then(|| hit.first + (y - top) as u64)
    }

    /// A click: the row under it is selected (in the list under it).
    pub fn click(&mut self, x: u16, y: u16) -> Vec<Effect> {
        if self.overlay.is_some() {
            return Vec::new();
        }
        match self.aim(x, y) {
            Some(row) => asks(self.motion(0, Some(row as i64))),
            None => Vec::new(),
        }
    }

    /// The wheel: the list under the pointer moves by `delta` rows.
    pub fn scroll(&mut self, x: u16, y: u16, delta: i64) -> Vec<Effect> {
        if self.overlay.is_some() {
            return Vec::new();
        }
        self.aim(x, y);
        asks(self.motion(delta, None))
    }
}
