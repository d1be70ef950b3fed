//! The Library pane: titles, a title's seasons, a season's episodes and the files of what is
//! selected; and a link in progress, picked here.

use crate::model::TitleKind;
use std::collections::HashMap;

use super::{App, LibFocus, Paged, Request, Response, Screen};
use crate::catalog::markers::MarkerRow;
use crate::catalog::views::{AssetListRow, Dir, EpisodeRow, SeasonRow, TitleListRow};
use crate::tui::keymap::Action;

impl App {
    /// Keys of the Library screen.
    pub(super) fn act_library(&mut self, a: Action) -> Vec<Request> {
        match a {
            Action::DrillIn if self.library.pick.is_some() => self.pick_here(),
            Action::DrillIn => {
                self.library.focus = match self.library.focus {
                    LibFocus::Titles if !self.library.seasons.rows.is_empty() => LibFocus::Seasons,
                    LibFocus::Seasons if !self.library.seasons.rows.is_empty() => {
                        LibFocus::Episodes
                    }
                    f => f,
                };
                self.follow_selection()
            }
            Action::DrillOut => {
                self.library.focus = match self.library.focus {
                    LibFocus::Episodes => LibFocus::Seasons,
                    _ => LibFocus::Titles,
                };
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Asks again for what hangs off the Library's selection (its seasons, episodes, files),
    /// keeping the cursors where they are: after a write or a scan they may have changed.
    pub(super) fn refresh_selection(&mut self, g: u64) -> Vec<Request> {
        let Some(t) = self.library.titles.selected().cloned() else {
            return Vec::new();
        };
        if t.kind == TitleKind::Movie {
            return vec![Request::LibraryAssets {
                generation: g,
                episode: None,
                movie: Some(t.id),
            }];
        }
        // The seasons from where they are; from Titles their answer asks for the episodes,
        // which answer with their files.
        self.library.seasons.generation = g;
        let (dir, key) = self.library.seasons.reload_from(SeasonRow::key);
        let mut out = vec![Request::Seasons {
            generation: g,
            title: t.id,
            dir,
            key,
        }];
        match (self.library.focus, self.library.seasons.selected()) {
            (LibFocus::Titles, _) => {}
            (_, Some(s)) => {
                self.library.episodes.generation = g;
                let (dir, key) = self.library.episodes.reload_from(EpisodeRow::key);
                out.push(Request::Episodes {
                    generation: g,
                    title: t.id,
                    season: s.id,
                    dir,
                    key,
                });
            }
            _ => {}
        }
        out
    }

    /// What depends on the selection: a title's seasons, a season's episodes, files, markers.
    pub(super) fn follow_selection(&mut self) -> Vec<Request> {
        if self.screen != Screen::Library {
            if self.screen == Screen::Assets {
                self.markers.asset = self.assets.list.selected().cloned();
            }
            return Vec::new();
        }
        let g = self.next_gen();
        match self.library.focus {
            LibFocus::Titles => {
                let Some(t) = self.library.titles.selected().cloned() else {
                    return Vec::new();
                };
                self.library.seasons = Paged {
                    generation: g,
                    loading: true,
                    ..Paged::default()
                };
                self.library.episodes = Paged::default();
                if t.kind == TitleKind::Movie {
                    vec![Request::LibraryAssets {
                        generation: g,
                        episode: None,
                        movie: Some(t.id),
                    }]
                } else {
                    self.library.files.clear();
                    vec![Request::Seasons {
                        generation: g,
                        title: t.id,
                        dir: Dir::First,
                        key: None,
                    }]
                }
            }
            LibFocus::Seasons => {
                let (Some(t), Some(s)) = (
                    self.library.titles.selected().cloned(),
                    self.library.seasons.selected().cloned(),
                ) else {
                    return Vec::new();
                };
                self.library.episodes = Paged {
                    generation: g,
                    loading: true,
                    ..Paged::default()
                };
                self.library.files.clear();
                vec![Request::Episodes {
                    generation: g,
                    title: t.id,
                    season: s.id,
                    dir: Dir::First,
                    key: None,
                }]
            }
            LibFocus::Episodes => {
                let Some(e) = self.library.episodes.selected().cloned() else {
                    return Vec::new();
                };
                vec![Request::LibraryAssets {
                    generation: g,
                    episode: Some(e.id),
                    movie: None,
                }]
            }
        }
    }

    /// Enter on the Library while linking: an episode (or a movie title) under the cursor
    /// is the pick; anything else drills in as usual.
    pub(super) fn pick_here(&mut self) -> Vec<Request> {
        let Some(pick) = self.library.pick.clone() else {
            return Vec::new();
        };
        let (episode, title) = match self.library.focus {
            LibFocus::Episodes => match self.library.episodes.selected() {
                Some(e) => (Some(e.id), None),
                None => return Vec::new(),
            },
            LibFocus::Titles => match self.library.titles.selected() {
                Some(t) if t.kind == TitleKind::Movie => (None, Some(t.id)),
                _ => {
                    self.library.focus = LibFocus::Seasons;
                    return self.follow_selection();
                }
            },
            LibFocus::Seasons => {
                self.library.focus = LibFocus::Episodes;
                return self.follow_selection();
            }
        };
        // The link first, then the queue: the data thread answers in order, so the
        // reloaded queue no longer holds the item and the cursor is on the next one.
        let mut out = vec![Request::Link {
            item: pick.item,
            episode,
            title,
        }];
        out.extend(self.switch(Screen::Review));
        out
    }

    /// The markers the Library shows: those held for its (first) file, if they are its.
    pub fn lib_markers(&self) -> &[MarkerRow] {
        match self.library.files.first() {
            Some(a) if self.markers.of == Some(a.id) => &self.markers.list.rows,
            _ => &[],
        }
    }

    /// Answers for the Library pane (a stale one, of an older generation, is dropped).
    pub(super) fn loaded_library(&mut self, r: Response) -> Vec<Request> {
        match r {
            Response::Titles {
                generation,
                dir,
                rows,
            } if generation >= self.library.titles.generation => {
                return self.loaded_titles(dir, rows);
            }
            Response::TitleFiles { counts } => {
                let counts: HashMap<i64, i64> = counts.into_iter().collect();
                for t in self.library.titles.rows.iter_mut() {
                    if let Some(n) = counts.get(&t.id) {
                        t.files = Some(*n);
                    }
                }
            }
            Response::TitleCount { generation, n }
                if generation >= self.library.titles.generation =>
            {
                self.library.titles.total = Some(n as u64)
            }
            Response::Seasons {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.library.seasons.generation => {
                self.library.seasons.total = Some(total.max(0) as u64);
                self.library.seasons.take(dir, rows);
                return self.loaded_seasons(dir);
            }
            Response::Episodes {
                generation,
                dir,
                rows,
                total,
            } if generation >= self.library.episodes.generation => {
                self.library.episodes.total = Some(total.max(0) as u64);
                self.library.episodes.take(dir, rows);
                if let Some(e) = self.library.episodes.selected().cloned() {
                    let g = self.next_gen();
                    return vec![Request::LibraryAssets {
                        generation: g,
                        episode: Some(e.id),
                        movie: None,
                    }];
                }
            }
            Response::LibraryAssets { rows, .. } => return self.loaded_files(rows),
            _ => {}
        }
        Vec::new()
    }

    /// A page of titles: file counts already known stay on screen until the fresh ones
    /// come; with nothing beside the list yet, what is selected is followed.
    fn loaded_titles(&mut self, dir: Dir, mut rows: Vec<TitleListRow>) -> Vec<Request> {
        let known: HashMap<i64, Option<i64>> = self
            .library
            .titles
            .rows
            .iter()
            .map(|t| (t.id, t.files))
            .collect();
        for t in rows.iter_mut() {
            t.files = known.get(&t.id).copied().flatten();
        }
        let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
        self.library.titles.take(dir, rows);
        let mut out = vec![Request::TitleFiles { ids }];
        if self.library.focus == LibFocus::Titles
            && self.library.seasons.rows.is_empty()
            && self.library.files.is_empty()
        {
            out.extend(self.follow_selection());
        }
        out
    }

    /// A page of seasons came in: under the cursor its episodes follow; beside the titles,
    /// the first season's episodes are shown.
    fn loaded_seasons(&mut self, dir: Dir) -> Vec<Request> {
        if self.library.focus == LibFocus::Seasons && dir != Dir::From {
            return self.follow_selection();
        }
        if self.library.focus == LibFocus::Titles
            && let (Some(t), Some(s)) = (
                self.library.titles.selected().cloned(),
                self.library.seasons.selected().cloned(),
            )
        {
            let g = self.next_gen();
            self.library.episodes.generation = g;
            return vec![Request::Episodes {
                generation: g,
                title: t.id,
                season: s.id,
                dir: Dir::First,
                key: None,
            }];
        }
        Vec::new()
    }

    /// The files of what is selected: the first one's markers are asked for.
    fn loaded_files(&mut self, rows: Vec<AssetListRow>) -> Vec<Request> {
        self.library.files = rows;
        let Some(a) = self.library.files.first().cloned() else {
            return Vec::new();
        };
        let id = a.id;
        self.markers.asset = Some(a);
        let g = self.next_gen();
        self.markers.list = Paged {
            generation: g,
            ..Paged::default()
        };
        self.markers.of = Some(id);
        vec![Request::Markers {
            generation: g,
            asset: id,
            dir: Dir::First,
            key: None,
        }]
    }
}
