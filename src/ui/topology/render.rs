//! Drawing the editor from its view model. Reads the editor, never changes
//! it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::keys::{self, TBinding};
use super::overlays;
use super::state::{COLUMNS, Editor, Mode, SqlCheck, role_index, service_index};
use crate::model::lb_params;
use crate::model::plan::Server;
use crate::model::topology::Column;
use crate::ui::strings::{fill, s, topo};
use crate::ui::{MIN_H, MIN_W};

pub(super) fn block<'a>(ed: &Editor, title: String, focused: bool) -> Block<'a> {
    let key = if focused {
        "border.focused"
    } else {
        "border.normal"
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(ed.glyphs.border)
        .border_style(ed.theme.get(key))
        .title(title)
        .title_style(ed.theme.get("title"))
}

pub fn render(ed: &Editor, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let p = Paragraph::new(fill(
            s().too_small,
            &[&MIN_W, &MIN_H, &area.width, &area.height],
        ))
        .wrap(Wrap { trim: true });
        f.render_widget(p, area);
        return;
    }
    let rows = ed.rows.len().max(1) as u16;
    let settings_lines = settings_lines(ed);
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let wrapped: usize = settings_lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let [title, table, problems, settings, bar] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length((rows + 3).min(area.height / 2 - 2)),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(wrapped).unwrap_or(u16::MAX).saturating_add(2)),
        Constraint::Length(2),
    ]));
    render_title(ed, f, title);
    render_table(ed, f, table);
    render_problems(ed, f, problems);
    render_settings(ed, f, settings, settings_lines);
    render_bar(ed, f, bar);
    match &ed.mode {
        Mode::Services { sel } => overlays::picker(ed, f, table, *sel),
        Mode::Help { scroll } => overlays::help(ed, f, area, *scroll),
        Mode::ConfirmDelete { .. } | Mode::ConfirmQuit { .. } => overlays::confirm(ed, f, area),
        _ => {}
    }
}

fn render_title(ed: &Editor, f: &mut Frame, area: Rect) {
    let t = topo();
    let mut text = format!(
        " {} {} {} {} {}",
        t.title,
        ed.glyphs.sep,
        ed.path.display(),
        ed.glyphs.sep,
        ed.env
    );
    if ed.dirty {
        text.push_str(&format!(" {} {}", ed.glyphs.sep, t.modified));
    }
    f.render_widget(Paragraph::new(text).style(ed.theme.get("title")), area);
}

fn services_short(s: &Server) -> String {
    s.services
        .iter()
        .map(|x| topo().services_short[service_index(*x)])
        .collect::<Vec<_>>()
        .join(",")
}

/// One line of a cell, control characters shown escaped.
pub(super) fn visible(v: &str) -> String {
    v.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn render_table(ed: &Editor, f: &mut Frame, area: Rect) {
    let t = topo();
    let b = block(ed, format!("{} ({})", t.title, ed.rows.len()), true);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if ed.rows.is_empty() {
        let p = Paragraph::new(t.empty)
            .style(ed.theme.get("dim"))
            .wrap(Wrap { trim: true });
        f.render_widget(p, inner);
        return;
    }
    let err = ed.theme.get("step.failed");
    let sel = ed.theme.get("step.selected");
    let editing = matches!(ed.mode, Mode::Edit(_));
    let header = Row::new(
        std::iter::once("#")
            .chain(t.columns)
            .map(|h| Cell::from(h).style(ed.theme.get("heading"))),
    );
    // Keep the cursor's row in view.
    let room = inner.height.saturating_sub(1).max(1) as usize;
    let first = ed.row.saturating_sub(room - 1);
    let body: Vec<Row> = ed
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(room)
        .map(|(i, srv)| {
            let mut cells = vec![Cell::from(format!("{}", i + 1))];
            for (ci, col) in COLUMNS.iter().enumerate() {
                let here = i == ed.row && ci == ed.col;
                let text = match (col, &ed.mode) {
                    (_, Mode::Edit(input)) if here => format!("{}_", visible(input.value())),
                    (Column::Role, _) => t.roles[role_index(srv.role)].to_string(),
                    (Column::Services, _) => services_short(srv),
                    (c, _) => visible(&ed.cell_text(i, *c)),
                };
                let mut st = Style::default();
                if ed.error_at(i, *col).is_some() {
                    st = st.patch(err);
                }
                if here {
                    st = st.patch(sel);
                    if editing {
                        st = st.add_modifier(Modifier::UNDERLINED);
                    }
                }
                cells.push(Cell::from(text).style(st));
            }
            Row::new(cells)
        })
        .collect();
    let widths = [
        Constraint::Length(2),
        Constraint::Length(13),
        Constraint::Length(19),
        Constraint::Length(15),
        Constraint::Fill(3),
        Constraint::Fill(2),
    ];
    f.render_widget(Table::new(body, widths).header(header), inner);
}

fn render_problems(ed: &Editor, f: &mut Frame, area: Rect) {
    let t = topo();
    let b = block(ed, fill(t.problems, &[&ed.errors.len()]), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lines: Vec<Line> = if ed.errors.is_empty() {
        vec![Line::styled(t.no_problem, ed.theme.get("step.passed"))]
    } else {
        ed.errors
            .iter()
            .map(|e| {
                let col = t.columns[COLUMNS.iter().position(|c| *c == e.column).unwrap_or(0)];
                Line::styled(
                    fill(t.problem_line, &[&(e.row + 1), &col, &e.what, &e.fix]),
                    ed.theme.get("step.failed"),
                )
            })
            .collect()
    };
    // Wrapped when everything fits, else one line each so every problem
    // shows (the status line gives the cursor's problem in full).
    let w = usize::from(inner.width).max(1);
    let wrapped: usize = lines.iter().map(|l| l.width().max(1).div_ceil(w)).sum();
    let p = Paragraph::new(lines);
    let p = if wrapped <= usize::from(inner.height) {
        p.wrap(Wrap { trim: true })
    } else {
        p
    };
    f.render_widget(p, inner);
}

fn render_settings(ed: &Editor, f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let b = block(ed, topo().settings.to_string(), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The settings panel: every value in full (it wraps), as it is stored.
fn settings_lines(ed: &Editor) -> Vec<Line<'static>> {
    let t = topo();
    let key = ed.theme.get("help.key");
    let mut lines = Vec::new();
    for (i, (label, (_, value))) in t
        .setting_labels
        .iter()
        .zip(lb_params::values(&ed.settings()))
        .enumerate()
    {
        let mut spans = vec![
            Span::styled(format!("{label:<26}"), key),
            Span::raw(visible(&value)),
        ];
        if i == 2 {
            let how = if ed.perform_lb.is_some() {
                t.chosen
            } else {
                t.derived
            };
            spans.push(Span::styled(format!("  ({how})"), ed.theme.get("dim")));
        }
        lines.push(Line::from(spans));
    }
    match ed.needed_connections() {
        Some((web, pool, needed)) => {
            lines.push(Line::raw(fill(t.sql_needed, &[&web, &pool, &needed])));
            lines.push(match &ed.sql_check {
                SqlCheck::NotRun => Line::styled(t.sql_check_hint, ed.theme.get("dim")),
                SqlCheck::Running => Line::styled(t.sql_checking, ed.theme.get("step.running")),
                SqlCheck::Done(Ok(m)) => {
                    Line::styled(fill(t.sql_ok, &[&visible(m)]), ed.theme.get("step.passed"))
                }
                SqlCheck::Done(Err(e)) => Line::styled(
                    fill(t.sql_failed, &[&visible(e)]),
                    ed.theme.get("step.failed"),
                ),
            });
        }
        None => lines.push(Line::styled(
            t.sql_no_connection.replace("{}", "1 + Tomcat pool"),
            ed.theme.get("dim"),
        )),
    }
    lines
}

fn map_of(ed: &Editor) -> &'static [TBinding] {
    match ed.mode {
        Mode::Table => keys::TABLE,
        Mode::Edit(_) => keys::EDIT,
        Mode::Services { .. } => keys::SERVICES,
        Mode::ConfirmDelete { .. } | Mode::ConfirmQuit { .. } => keys::CONFIRM,
        Mode::Help { .. } => keys::HELP,
    }
}

fn render_bar(ed: &Editor, f: &mut Frame, area: Rect) {
    let t = topo();
    let bar = ed.theme.get("status.bar");
    let [info, keys_area] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let (text, style) = match (&ed.note, &ed.mode) {
        (_, Mode::Edit(_)) => (format!(" {}", fill(t.editing, &[&t.columns[ed.col]])), bar),
        (Some(n), _) if n.error => (
            format!(" {}", n.text),
            bar.patch(ed.theme.get("dialog.warning")),
        ),
        (Some(n), _) => (format!(" {}", n.text), bar),
        (None, _) => (format!(" {}", cursor_line(ed)), bar),
    };
    f.render_widget(Paragraph::new(text).style(style), info);
    let mut spans = vec![Span::styled(" ", bar)];
    for (label, act) in keys::hints(map_of(ed)) {
        spans.push(Span::styled(label, ed.theme.get("status.key")));
        spans.push(Span::styled(format!(" {}  ", (t.act)(act).0), bar));
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(bar), keys_area);
}

/// The status line without a note: the cell under the cursor in full, and
/// its problem when it has one.
fn cursor_line(ed: &Editor) -> String {
    let t = topo();
    let Some(srv) = ed.rows.get(ed.row) else {
        return fill(t.problems, &[&ed.errors.len()]);
    };
    let col = ed.column();
    let value = match col {
        Column::Role => t.roles[role_index(srv.role)].to_string(),
        Column::Services => srv
            .services
            .iter()
            .map(|x| t.services[service_index(*x)])
            .collect::<Vec<_>>()
            .join(", "),
        c => visible(&ed.cell_text(ed.row, c)),
    };
    let mut line = format!("{} {}: {}", ed.row + 1, t.columns[ed.col], value);
    if let Some(e) = ed.error_at(ed.row, col) {
        line.push_str(&format!(" {} {}", ed.glyphs.sep, e.what));
    }
    line
}
