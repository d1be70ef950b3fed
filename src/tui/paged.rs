//! A list shown a window at a time: at most two pages of rows around the cursor, the next
//! page asked for by key when the cursor leaves them.

use crate::catalog::views::Dir;

/// Rows per page.
pub const PAGE: usize = 200;

/// A list shown a window at a time.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    /// Absolute index of `rows[0]`.
    pub first: u64,
    pub cursor: u64,
    pub total: Option<u64>,
    pub generation: u64,
    pub loading: bool,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            first: 0,
            cursor: 0,
            total: None,
            generation: 0,
            loading: false,
        }
    }
}

impl<T: Clone> Paged<T> {
    pub fn selected(&self) -> Option<&T> {
        self.cursor
            .checked_sub(self.first)
            .and_then(|i| self.rows.get(i as usize))
    }

    pub(crate) fn len(&self) -> u64 {
        self.total.unwrap_or(self.first + self.rows.len() as u64)
    }

    /// Moves the cursor by `delta`, or to row `to`; the page to fetch, as `go`.
    pub(crate) fn step(&mut self, delta: i64, to: Option<i64>) -> Option<Dir> {
        self.go(to.unwrap_or(self.cursor as i64 + delta))
    }

    /// The key a page in `dir` starts from: after the last row held, or before the first.
    pub(crate) fn anchor<K>(&self, dir: Dir, key: impl Fn(&T) -> K) -> Option<K> {
        match dir {
            Dir::After => self.rows.last().map(key),
            Dir::Before => self.rows.first().map(key),
            _ => None,
        }
    }

    /// Where a reload starts so the list keeps its place: from the first row held, or from
    /// the top when nothing is.
    pub(crate) fn reload_from<K>(&self, key: impl Fn(&T) -> K) -> (Dir, Option<K>) {
        match self.rows.first().map(key) {
            Some(k) => (Dir::From, Some(k)),
            None => (Dir::First, None),
        }
    }

    /// A page was asked for under generation `g`.
    pub(crate) fn asking(&mut self, g: u64) {
        self.generation = g;
        self.loading = true;
    }

    /// Moves the cursor; returns the page to fetch when it leaves the window.
    pub(crate) fn go(&mut self, to: i64) -> Option<Dir> {
        let len = self.len();
        if len == 0 {
            self.cursor = 0;
            return None;
        }
        let to = to.clamp(0, len as i64 - 1) as u64;
        self.cursor = to;
        let end = self.first + self.rows.len() as u64;
        if to == 0 && self.first > 0 {
            return Some(Dir::First);
        }
        if to + 1 == len && end < len && to >= end {
            return Some(Dir::Last);
        }
        if to >= end && end < len {
            Some(Dir::After)
        } else if to < self.first {
            Some(Dir::Before)
        } else {
            None
        }
    }

    /// Takes a page: keeps at most the neighbouring page so the view always has rows
    /// around the cursor.
    pub(crate) fn take(&mut self, dir: Dir, rows: Vec<T>) {
        self.loading = false;
        match dir {
            Dir::First => {
                self.first = 0;
                self.rows = rows;
            }
            Dir::Last => {
                let n = rows.len() as u64;
                self.first = self.total.map_or(0, |t| t.saturating_sub(n));
                self.rows = rows;
            }
            Dir::After => {
                let keep = self.rows.len().saturating_sub(PAGE);
                let dropped = keep as u64;
                self.rows.drain(..keep);
                self.first += dropped;
                self.rows.extend(rows);
            }
            Dir::From => self.rows = rows,
            Dir::Before => {
                let n = rows.len() as u64;
                self.rows.truncate(PAGE);
                let mut v = rows;
                v.append(&mut self.rows);
                self.rows = v;
                self.first = self.first.saturating_sub(n);
            }
        }
        if self.total.is_none() && self.rows.len() < PAGE && matches!(dir, Dir::First) {
            self.total = Some(self.rows.len() as u64);
        }
        let len = self.len();
        if len > 0 && self.cursor >= len {
            self.cursor = len - 1;
        }
        if len == 0 {
            self.cursor = 0;
        }
    }
}
