//! The problems and the load-balancing settings panels: every message
//! wrapped at word boundaries, never cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::render::{block, visible};
use super::state::{COLUMNS, Editor, SqlCheck};
use crate::model::lb_params;
use crate::ui::strings::{fill, topo};
use crate::ui::wrap::wrap;

pub(super) fn problems(ed: &Editor, f: &mut Frame, area: Rect) {
    let t = topo();
    let b = block(ed, fill(t.problems, &[&ed.errors.len()]), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let err = ed.theme.get("step.failed");
    if ed.errors.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(t.no_problem, ed.theme.get("step.passed"))),
            inner,
        );
        return;
    }
    // Each problem wrapped at word boundaries, never cut: with its fix
    // when they all fit, else without it (the status line gives it for
    // the cell under the cursor); when even that is too long, the
    // cursor's row comes first and a last line counts the others.
    let w = usize::from(inner.width).max(1);
    let h = usize::from(inner.height);
    let blocks_of = |with_fix: bool| -> Vec<Vec<String>> {
        ed.errors
            .iter()
            .map(|e| {
                let col = t.columns[COLUMNS.iter().position(|c| *c == e.column).unwrap_or(0)];
                let text = if with_fix {
                    fill(t.problem_line, &[&(e.row + 1), &col, &e.what, &e.fix])
                } else {
                    fill(t.problem_short, &[&(e.row + 1), &col, &e.what])
                };
                wrap(&text, w)
            })
            .collect()
    };
    let fits = |b: &[Vec<String>]| b.iter().map(Vec::len).sum::<usize>() <= h;
    let full = blocks_of(true);
    let mut lines: Vec<String> = Vec::new();
    if fits(&full) {
        lines = full.concat();
    } else if let short = blocks_of(false)
        && fits(&short)
    {
        lines = short.concat();
    } else {
        let mut blocks = blocks_of(false);
        let mut order: Vec<usize> = (0..ed.errors.len()).collect();
        order.sort_by_key(|&i| ed.errors[i].row != ed.row);
        let mut hidden: Vec<usize> = Vec::new();
        for i in order {
            let b = std::mem::take(&mut blocks[i]);
            if hidden.is_empty() && lines.len() + b.len() < h {
                lines.extend(b);
            } else {
                hidden.push(i);
            }
        }
        let mut rows: Vec<usize> = hidden.iter().map(|&i| ed.errors[i].row + 1).collect();
        rows.sort_unstable();
        rows.dedup();
        let rows = rows
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        lines.extend(wrap(&fill(t.problems_more, &[&hidden.len(), &rows]), w));
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, err)).collect();
    f.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn settings(ed: &Editor, f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let b = block(ed, topo().settings.to_string(), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(lines), inner);
}

/// Width of the labels of the settings panel.
const LABEL_W: usize = 26;

/// The settings panel: every value in full, as it is stored, wrapped at
/// word boundaries into `width` columns (values wrap beside their label).
pub(super) fn settings_lines(ed: &Editor, width: usize) -> Vec<Line<'static>> {
    let t = topo();
    let key = ed.theme.get("help.key");
    let dim = ed.theme.get("dim");
    let mut lines = Vec::new();
    let value_w = width.saturating_sub(LABEL_W).max(10);
    for (i, (label, (_, value))) in t
        .setting_labels
        .iter()
        .zip(lb_params::values(&ed.settings()))
        .enumerate()
    {
        let mut text = visible(&value);
        if i == 2 {
            let how = if ed.perform_lb.is_some() {
                t.chosen
            } else {
                t.derived
            };
            text.push_str(&format!("  ({how})"));
        }
        for (j, part) in wrap(&text, value_w).into_iter().enumerate() {
            let head = if j == 0 {
                Span::styled(format!("{label:<LABEL_W$}"), key)
            } else {
                Span::raw(" ".repeat(LABEL_W))
            };
            // The "(derived...)" note is dimmed where it starts.
            let spans = match part.find("  (") {
                Some(at) if i == 2 => vec![
                    head,
                    Span::raw(part[..at].to_string()),
                    Span::styled(part[at..].to_string(), dim),
                ],
                _ if i == 2 && j > 0 => vec![head, Span::styled(part, dim)],
                _ => vec![head, Span::raw(part)],
            };
            lines.push(Line::from(spans));
        }
    }
    let mut add = |text: String, style| {
        for l in wrap(&text, width) {
            lines.push(Line::styled(l, style));
        }
    };
    match ed.needed_connections() {
        Some((web, pool, needed)) => {
            add(
                fill(t.sql_needed, &[&web, &pool, &needed]),
                ratatui::style::Style::default(),
            );
            match &ed.sql_check {
                SqlCheck::NotRun => add(t.sql_check_hint.to_string(), dim),
                SqlCheck::Running => add(t.sql_checking.to_string(), ed.theme.get("step.running")),
                SqlCheck::Done(Ok(m)) => {
                    add(fill(t.sql_ok, &[&visible(m)]), ed.theme.get("step.passed"))
                }
                SqlCheck::Done(Err(e)) => add(
                    fill(t.sql_failed, &[&visible(e)]),
                    ed.theme.get("step.failed"),
                ),
            }
        }
        None => add(fill(t.sql_no_connection, &[&t.sql_per_server]), dim),
    }
    lines
}
