//! The live log of the followed step: a bounded ring of the last lines, a
//! window of older lines re-read from the step log file when the view
//! scrolls above the ring, the scroll position and the search.
//!
//! Line numbers are absolute (0 = first line of the step log file), so the
//! ring and the file window agree.
//!
//! The step log file is the one source of the lines: a live `Log` event only
//! says the file has more, and the buffer reads it from the byte offset it
//! reached. A line is therefore shown once, however often the engine's
//! stream and a re-read of the file overlap (attach, a retried step, a view
//! that lagged).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
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
    /// Bytes of the step log file already read (complete lines only).
    offset: u64,
    /// The open step log file, kept between reads.
    file: Option<std::fs::File>,
    /// The lines come from the step log file (a view without a run folder,
    /// such as a test fixture, takes the events' text instead).
    from_file: bool,
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
        self.offset = 0;
        self.file = None;
        self.from_file = self.catch_up(file).is_some();
    }

    /// A live line of the followed step. The file holds it (and maybe more):
    /// read on from the offset reached. Without a readable file, the line's
    /// own text is shown so that nothing is lost.
    pub fn live(&mut self, stream: Stream, text: &str, file: &Path) {
        if self.catch_up(file).is_some() {
            self.from_file = true;
        } else if !self.from_file {
            self.push(stream, text);
        }
    }

    /// Read the complete lines the step log file gained since the last
    /// read; `None` when it cannot be read.
    pub fn catch_up(&mut self, path: &Path) -> Option<usize> {
        if self.file.is_none() {
            self.file = Some(std::fs::File::open(path).ok()?);
        }
        let f = self.file.as_mut()?;
        let len = f.metadata().ok()?.len();
        if len < self.offset {
            // The file was replaced: start again from its first line.
            let step = self.step.clone();
            self.file = None;
            if let Some(step) = step {
                self.follow_step(step, path);
            }
            return Some(self.total());
        }
        if len == self.offset {
            return Some(0);
        }
        f.seek(SeekFrom::Start(self.offset)).ok()?;
        let mut buf = Vec::with_capacity((len - self.offset) as usize);
        f.take(len - self.offset).read_to_end(&mut buf).ok()?;
        let Some(end) = buf.iter().rposition(|b| *b == b'\n') else {
            return Some(0);
        };
        let mut n = 0;
        for raw in buf[..end].split(|b| *b == b'\n') {
            let line = String::from_utf8_lossy(raw);
            let line = line.strip_suffix('\r').unwrap_or(&line);
            let (stream, text) = parse_log_line(line);
            self.push(stream, text);
            n += 1;
        }
        self.offset += end as u64 + 1;
        Some(n)
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
    fn a_line_the_file_already_holds_is_shown_once() {
        // The engine writes the line, then the stream announces it; the view
        // that starts following in between reads it from the file first.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.log");
        std::fs::write(&file, "O|setup started\nO|copying files\n").unwrap();
        let mut b = LogBuf::new(100);
        b.follow_step(StepRef::new("a", "b"), &file);
        b.live(Stream::Stdout, "setup started", &file);
        b.live(Stream::Stdout, "copying files", &file);
        assert_eq!(b.total(), 2);
        // A line written afterwards arrives once, even when announced twice.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        std::io::Write::write_all(&mut f, b"E|done\nO|half a li").unwrap();
        b.live(Stream::Stderr, "done", &file);
        b.live(Stream::Stderr, "done", &file);
        assert_eq!(b.total(), 3);
        assert_eq!(b.get(2).unwrap().text, "done");
        assert_eq!(b.get(2).unwrap().stream, Stream::Stderr);
        // The half-written line waits for its end.
        std::io::Write::write_all(&mut f, b"ne\n").unwrap();
        b.live(Stream::Stdout, "half a line", &file);
        assert_eq!(b.total(), 4);
        assert_eq!(b.get(3).unwrap().text, "half a line");
        b.set_query("done".into(), 10);
        assert_eq!(b.matches, 1, "search counts what the file holds");
    }

    #[test]
    fn without_a_file_the_live_text_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("missing.log");
        let mut b = LogBuf::new(100);
        b.follow_step(StepRef::new("a", "b"), &file);
        b.live(Stream::Stdout, "only in the stream", &file);
        assert_eq!(b.total(), 1);
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
