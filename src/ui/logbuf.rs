//! The live log of the followed step: a bounded ring of the last lines, a
//! window of older lines re-read from the step log file when the view
//! scrolls above the ring, the scroll position and the search.
//!
//! Line numbers are absolute (0 = first line of the step log file), so the
//! ring and the file window agree.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::engine::ctx::parse_log_line;
use crate::engine::{StepRef, Stream};

/// Lines kept in memory for the live view.
pub const RING: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub stream: Stream,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct LogBuf {
    pub step: Option<StepRef>,
    lines: VecDeque<LogLine>,
    cap: usize,
    /// Lines evicted from the front: the absolute number of `lines[0]`.
    dropped: usize,
    /// Older lines re-read from the file: first absolute number and lines.
    older: Option<(usize, Vec<LogLine>)>,
    /// Lines between the bottom of the view and the last line.
    pub scroll_back: usize,
    pub paused: bool,
    pub query: Option<String>,
    pub matches: usize,
    /// Absolute number of the current match.
    pub current: Option<usize>,
}

impl LogBuf {
    pub fn new(cap: usize) -> Self {
        LogBuf {
            cap: cap.max(1),
            ..Default::default()
        }
    }

    pub fn total(&self) -> usize {
        self.dropped + self.lines.len()
    }

    /// Follow another step: forget the lines of the previous one and start
    /// from what its log file already holds (earlier attempts).
    pub fn follow_step(&mut self, step: StepRef, file: &Path) {
        self.lines.clear();
        self.dropped = 0;
        self.older = None;
        self.scroll_back = 0;
        self.paused = false;
        self.current = None;
        self.matches = 0;
        self.step = Some(step);
        if let Ok(f) = std::fs::File::open(file) {
            for line in BufReader::new(f).lines() {
                let Ok(line) = line else { break };
                let (stream, text) = parse_log_line(&line);
                self.push(stream, text);
            }
        }
    }

    pub fn push(&mut self, stream: Stream, text: &str) {
        if self.lines.len() == self.cap {
            self.lines.pop_front();
            self.dropped += 1;
        }
        if let Some(q) = &self.query
            && contains(text, q)
        {
            self.matches += 1;
        }
        self.lines.push_back(LogLine {
            stream,
            text: text.to_string(),
        });
        if self.paused {
            // Keep the view still while new lines arrive below it.
            self.scroll_back += 1;
        }
    }

    /// The line with absolute number `n`, if it is in memory.
    pub fn get(&self, n: usize) -> Option<&LogLine> {
        if n >= self.dropped {
            return self.lines.get(n - self.dropped);
        }
        let (start, v) = self.older.as_ref()?;
        n.checked_sub(*start).and_then(|i| v.get(i))
    }

    /// The absolute numbers shown in a view of `height` lines.
    pub fn visible(&self, height: usize) -> std::ops::Range<usize> {
        let end = self.total().saturating_sub(self.scroll_back);
        end.saturating_sub(height)..end
    }

    /// Make sure the lines of the view are in memory: re-read the part above
    /// the ring from the step log file.
    pub fn ensure_loaded(&mut self, height: usize, file: &Path) {
        let r = self.visible(height);
        if r.start >= self.dropped
            || (r.start..r.end.min(self.dropped)).all(|n| self.get(n).is_some())
        {
            return;
        }
        let start = r.start.saturating_sub(height * 2);
        let want = (self.dropped - start).min(height * 5);
        let Ok(f) = std::fs::File::open(file) else {
            return;
        };
        let mut v = Vec::with_capacity(want);
        for line in BufReader::new(f).lines().skip(start).take(want) {
            let Ok(line) = line else { break };
            let (stream, text) = parse_log_line(&line);
            v.push(LogLine {
                stream,
                text: text.to_string(),
            });
        }
        self.older = Some((start, v));
    }

    pub fn scroll_up(&mut self, n: usize, height: usize) {
        let max = self.total().saturating_sub(height);
        self.scroll_back = (self.scroll_back + n).min(max);
        self.paused = true;
    }

    pub fn scroll_down(&mut self, n: usize) {
        self.scroll_back = self.scroll_back.saturating_sub(n);
        if self.scroll_back == 0 {
            self.paused = false;
        }
    }

    pub fn top(&mut self, height: usize) {
        self.scroll_back = self.total().saturating_sub(height);
        self.paused = true;
    }

    pub fn bottom(&mut self) {
        self.scroll_back = 0;
        self.paused = false;
    }

    pub fn toggle_pause(&mut self) {
        if self.paused {
            self.bottom();
        } else {
            self.paused = true;
        }
    }

    /// Set the search and jump to the first match from the top of the view.
    pub fn set_query(&mut self, q: String, height: usize) {
        if q.is_empty() {
            self.query = None;
            self.matches = 0;
            self.current = None;
            return;
        }
        self.matches = self.lines.iter().filter(|l| contains(&l.text, &q)).count();
        self.query = Some(q);
        self.current = None;
        let from = self.visible(height).start;
        self.jump(from, true, height);
    }

    /// Next (`forward`) or previous match after the current one.
    pub fn next_match(&mut self, forward: bool, height: usize) {
        let from = match self.current {
            Some(c) if forward => c + 1,
            Some(c) => c,
            None => self.visible(height).start,
        };
        self.jump(from, forward, height);
    }

    fn jump(&mut self, from: usize, forward: bool, height: usize) {
        let Some(q) = self.query.clone() else { return };
        let hit = |n: &usize| self.get(*n).is_some_and(|l| contains(&l.text, &q));
        let first = self.dropped;
        let total = self.total();
        let from = from.clamp(first, total);
        // Search on from `from`, then wrap around.
        let found = if forward {
            (from..total).chain(first..from).find(hit)
        } else {
            (first..from).rev().chain((from..total).rev()).find(hit)
        };
        if let Some(n) = found {
            self.current = Some(n);
            // Put the match at the top of the view.
            let end = (n + height).min(self.total());
            self.scroll_back = self.total() - end;
            self.paused = self.scroll_back > 0;
        }
    }
}

/// Case-insensitive search (ASCII case folding, byte offsets preserved).
pub fn contains(text: &str, q: &str) -> bool {
    find_all(text, q).next().is_some()
}

/// Byte ranges of every match of `q` in `text`, ASCII case-insensitive.
pub fn find_all<'a>(text: &'a str, q: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let hay = text.as_bytes();
    let needle = q.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        while i + needle.len() <= hay.len() {
            let at = i;
            if hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
                && text.is_char_boundary(at)
                && text.is_char_boundary(at + needle.len())
            {
                i = at + needle.len();
                return Some((at, at + needle.len()));
            }
            i += 1;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_is_bounded_and_older_lines_come_back_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.log");
        let body: String = (0..1000).map(|i| format!("O|line {i}\n")).collect();
        std::fs::write(&file, body).unwrap();
        let mut b = LogBuf::new(100);
        b.follow_step(StepRef::new("a", "b"), &file);
        assert_eq!(b.total(), 1000);
        assert_eq!(b.get(950).unwrap().text, "line 950");
        assert!(b.get(10).is_none());
        b.top(20);
        b.ensure_loaded(20, &file);
        assert_eq!(b.get(0).unwrap().text, "line 0");
        assert_eq!(b.visible(20), 0..20);
    }

    #[test]
    fn search_jumps_between_matches() {
        let mut b = LogBuf::new(100);
        for i in 0..50 {
            b.push(
                Stream::Stdout,
                &format!("{} {i}", if i % 10 == 3 { "ERROR" } else { "ok" }),
            );
        }
        b.set_query("error".into(), 5);
        assert_eq!(b.matches, 5);
        assert_eq!(b.current, Some(3));
        b.next_match(true, 5);
        assert_eq!(b.current, Some(13));
        b.next_match(false, 5);
        assert_eq!(b.current, Some(3));
        assert_eq!(b.visible(5), 3..8);
    }

    #[test]
    fn a_paused_view_stays_still() {
        let mut b = LogBuf::new(100);
        for i in 0..30 {
            b.push(Stream::Stdout, &i.to_string());
        }
        b.scroll_up(5, 10);
        let before = b.visible(10);
        b.push(Stream::Stdout, "new");
        assert_eq!(b.visible(10), before);
        b.bottom();
        assert_eq!(b.visible(10), 21..31);
    }
}
