//! The live log pane: only the visible slice is turned into text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{block, clip};
use crate::engine::Stream;
use crate::ui::App;
use crate::ui::app::Pane;
use crate::ui::logbuf::{LogLine, find_all};
use crate::ui::strings::{fill, s};

/// One log line in its stream style, matches of `query` highlighted, cut to
/// `width` characters.
pub fn styled<'a>(app: &App, l: &'a LogLine, query: Option<&str>, width: usize) -> Line<'a> {
    let key = match l.stream {
        Stream::Stdout => "log.stdout",
        Stream::Stderr => "log.stderr",
        Stream::Info => "log.info",
    };
    let base = app.theme.get(key);
    let text: &str = match l.text.char_indices().nth(width) {
        Some((i, _)) => &l.text[..i],
        None => &l.text,
    };
    let Some(q) = query else {
        return Line::from(Span::styled(text, base));
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for (a, b) in find_all(text, q) {
        spans.push(Span::styled(&text[at..a], base));
        spans.push(Span::styled(&text[a..b], app.theme.get("search.match")));
        at = b;
    }
    spans.push(Span::styled(&text[at..], base));
    Line::from(spans)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = s();
    let mut extra = String::new();
    if app.log.paused {
        extra.push_str(&format!(" [{}]", t.log_paused));
    }
    if let Some(q) = &app.log.query {
        let info = if app.log.matches == 0 {
            fill(t.search_none, &[q])
        } else {
            fill(
                t.search_count,
                &[q, &crate::ui::strings::count(app.log.matches, t.matches)],
            )
        };
        extra.push_str(&format!(" [{info}]"));
    }
    // The state of the pane first; the step name when there is room.
    let room = area.width.saturating_sub(2) as usize;
    let mut title = match &app.log.step {
        Some(step) => fill(t.pane_log_of, &[step]) + &extra,
        None => t.pane_log.to_string() + &extra,
    };
    if title.chars().count() > room {
        title = t.pane_log.to_string() + &extra;
    }
    let b = block(
        app,
        clip(&title, area.width.saturating_sub(2) as usize),
        app.focus == Pane::Log,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let h = inner.height as usize;
    let w = inner.width as usize;
    if app.log.total() == 0 {
        f.render_widget(
            Paragraph::new(t.log_empty).style(app.theme.get("dim")),
            inner,
        );
        return;
    }
    let query = app.log.query.as_deref();
    let lines: Vec<Line> = app
        .log
        .visible(h)
        .map(|n| match app.log.get(n) {
            Some(l) => styled(app, l, query, w),
            None => Line::styled(t.log_not_loaded, app.theme.get("dim")),
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
