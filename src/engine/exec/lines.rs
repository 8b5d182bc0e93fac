//! Splits a child's output into lines as it arrives and hands each one to
//! the step log. Memory stays bounded: a line longer than [`MAX_LINE`] bytes
//! is cut into pieces of at most that size.

use std::borrow::Cow;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

use crate::engine::ctx::StepCtx;
use crate::engine::event::Stream;

/// Longest piece of a line written as one log line.
pub const MAX_LINE: usize = 64 * 1024;
/// Read buffer: large, so one read usually carries many lines.
const READ_BUF: usize = 256 * 1024;

/// Where the lines of one stream go: the step log, and optionally the first
/// `keep` bytes kept in memory for callers that read the output.
struct Sink<'a> {
    ctx: &'a StepCtx,
    stream: Stream,
    keep: usize,
    kept: String,
}

impl Sink<'_> {
    fn emit(&mut self, bytes: &[u8]) {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let line = decode(bytes);
        self.ctx.log(self.stream, &line);
        if self.kept.len() < self.keep {
            let room = self.keep - self.kept.len();
            let mut end = line.len().min(room);
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            self.kept.push_str(&line[..end]);
            self.kept.push('\n');
        }
    }
}

/// Read `src` to its end, logging every line under `stream`. Returns the
/// first `keep` bytes of text (whole lines, `\n`-separated).
pub async fn pump<R: AsyncRead + Unpin>(
    src: R,
    stream: Stream,
    ctx: &StepCtx,
    keep: usize,
) -> std::io::Result<String> {
    let mut reader = BufReader::with_capacity(READ_BUF, src);
    let mut sink = Sink {
        ctx,
        stream,
        keep,
        kept: String::new(),
    };
    // The start of a line whose end has not arrived yet; never above MAX_LINE.
    let mut pending: Vec<u8> = Vec::new();
    // Whether the current line was already cut (so an empty rest is no line).
    let mut cut = false;
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        let mut rest = buf;
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            let seg = &rest[..i];
            if pending.is_empty() && seg.len() <= MAX_LINE {
                if !(cut && seg.is_empty()) {
                    sink.emit(seg);
                }
            } else {
                append(&mut pending, seg, &mut sink, &mut cut);
                if !(cut && pending.is_empty()) {
                    sink.emit(&pending);
                }
                pending.clear();
            }
            cut = false;
            rest = &rest[i + 1..];
        }
        append(&mut pending, rest, &mut sink, &mut cut);
        reader.consume(n);
    }
    if !pending.is_empty() {
        sink.emit(&pending);
    }
    Ok(sink.kept)
}

/// Add `seg` to `pending`, logging full pieces of MAX_LINE bytes as they fill.
fn append(pending: &mut Vec<u8>, mut seg: &[u8], sink: &mut Sink<'_>, cut: &mut bool) {
    while pending.len() + seg.len() > MAX_LINE {
        let take = MAX_LINE - pending.len();
        pending.extend_from_slice(&seg[..take]);
        seg = &seg[take..];
        let at = utf8_cut(pending);
        sink.emit(&pending[..at]);
        pending.drain(..at);
        *cut = true;
    }
    pending.extend_from_slice(seg);
}

/// Where to cut `b` so that no UTF-8 character is split: before a trailing
/// incomplete sequence, or at the end.
fn utf8_cut(b: &[u8]) -> usize {
    let len = b.len();
    for back in 1..=len.min(4) {
        let i = len - back;
        let lead = b[i];
        if lead & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = match lead {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if need > back && i > 0 { i } else { len };
    }
    len
}

/// Text of one line. Valid UTF-8 is taken as is; anything else is decoded
/// from the console (OEM) code page on Windows, lossily elsewhere.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => decode_other(bytes),
    }
}

#[cfg(windows)]
fn decode_other(bytes: &[u8]) -> Cow<'_, str> {
    Cow::Owned(super::windows::decode_oem(bytes))
}

#[cfg(not(windows))]
fn decode_other(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_characters_whole() {
        assert_eq!(utf8_cut(b"abc"), 3);
        // "é" is C3 A9: a lone C3 at the end must wait for its second byte.
        assert_eq!(utf8_cut(b"ab\xC3"), 2);
        assert_eq!(utf8_cut(b"ab\xC3\xA9"), 4);
        // "€" is E2 82 AC.
        assert_eq!(utf8_cut(b"a\xE2\x82"), 1);
        assert_eq!(utf8_cut(b"a\xE2\x82\xAC"), 4);
    }

    /// Hands out its data `step` bytes per read, to cross every boundary.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl AsyncRead for Trickle {
        fn poll_read(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &mut tokio::io::ReadBuf<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            let end = (self.at + self.step)
                .min(self.data.len())
                .min(self.at + buf.remaining());
            buf.put_slice(&self.data[self.at..end]);
            self.at = end;
            std::task::Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn lines_survive_any_read_boundary() {
        let mut data = b"a\r\n\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_LINE));
        data.push(b'\n');
        data.extend(std::iter::repeat_n(b'y', MAX_LINE + 5));
        data.extend(b"\nlast");
        for step in [1, 7, 4096, READ_BUF] {
            let dir = tempfile::tempdir().unwrap();
            let log = dir.path().join("log");
            let (ctx, _rx) = StepCtx::for_test(&log).unwrap();
            let src = Trickle {
                data: data.clone(),
                at: 0,
                step,
            };
            let kept = pump(src, Stream::Stderr, &ctx, 3).await.unwrap();
            assert_eq!(kept, "a\n\n");
            ctx.flush_log();
            let text = std::fs::read_to_string(&log).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let x = format!("E|{}", "x".repeat(MAX_LINE));
            let y = format!("E|{}", "y".repeat(MAX_LINE));
            assert_eq!(
                lines,
                vec!["E|a", "E|", x.as_str(), y.as_str(), "E|yyyyy", "E|last"],
                "read size {step}"
            );
        }
    }

    #[test]
    fn invalid_bytes_are_replaced_not_dropped() {
        assert_eq!(decode(b"caf\xE9").chars().count(), 4);
        assert_eq!(decode("café".as_bytes()), "café");
    }
}
