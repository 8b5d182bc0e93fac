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
use crate::ui::wizard::render::wrap;
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
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let settings_lines = settings_lines(ed, inner_w);
    let info = info_lines(ed, usize::from(area.width));
    let [title, table, problems, settings, bar] = area.layout(&Layout::vertical(heights(
        ed,
        area.height,
        settings_lines.len(),
        info.len(),
    )));
    render_title(ed, f, title);
    render_table(ed, f, table);
    render_problems(ed, f, problems);
    render_settings(ed, f, settings, settings_lines);
    render_bar(ed, f, bar, info);
    match &ed.mode {
        Mode::Services { sel } => overlays::picker(ed, f, table, *sel),
        Mode::Help { scroll } => overlays::help(ed, f, area, *scroll),
        Mode::ConfirmDelete { .. } | Mode::ConfirmQuit { .. } => overlays::confirm(ed, f, area),
        Mode::ChooseEnv { sel } => overlays::choose_env(ed, f, area, *sel),
        _ => {}
    }
}

/// Heights of the title, table, problems, settings and status bar: the
/// settings panel keeps every line (it is what the plan stores), the table
/// keeps the cursor's row, the problems take what is left (3 lines at
/// least), and the status bar shows its message whole.
fn heights(ed: &Editor, h: u16, settings: usize, info: usize) -> [Constraint; 5] {
    let bar = u16::try_from(info).unwrap_or(1).saturating_add(1);
    let avail = h.saturating_sub(1 + bar);
    let want_table = u16::try_from(ed.rows.len().max(1))
        .unwrap_or(u16::MAX)
        .saturating_add(3)
        .min(h / 2 - 2);
    let min_table = want_table.min(4);
    let settings = u16::try_from(settings)
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        .min(avail.saturating_sub(min_table + 3))
        .max(3);
    let table = want_table
        .min(avail.saturating_sub(settings + 3))
        .max(min_table);
    let problems = avail.saturating_sub(settings + table);
    [
        Constraint::Length(1),
        Constraint::Length(table),
        Constraint::Length(problems),
        Constraint::Length(settings),
        Constraint::Length(bar),
    ]
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
    let widths = [
        Constraint::Length(2),
        Constraint::Length(13),
        Constraint::Length(12),
        Constraint::Length(15),
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Fill(3),
    ];
    // The install path column shows the end of a long path (the folder
    // that tells servers apart); the status line gives it whole.
    let path_w = Layout::horizontal(widths)
        .spacing(1)
        .split(inner)
        .last()
        .map_or(0, |r| r.width);
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
                    (_, Mode::Edit(input)) if here => visible(input.value()),
                    (Column::Role, _) => t.roles[role_index(srv.role)].to_string(),
                    (Column::Services, _) => services_short(srv),
                    (Column::InstallPath, _) => tail(
                        &visible(&ed.cell_text(i, Column::InstallPath)),
                        usize::from(path_w),
                    ),
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
    f.render_widget(Table::new(body, widths).header(header), inner);
}

fn render_problems(ed: &Editor, f: &mut Frame, area: Rect) {
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

fn render_settings(ed: &Editor, f: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    let b = block(ed, topo().settings.to_string(), false);
    let inner = b.inner(area);
    f.render_widget(b, area);
    f.render_widget(Paragraph::new(lines), inner);
}

/// Width of the labels of the settings panel.
const LABEL_W: usize = 26;

/// The settings panel: every value in full, as it is stored, wrapped at
/// word boundaries into `width` columns (values wrap beside their label).
fn settings_lines(ed: &Editor, width: usize) -> Vec<Line<'static>> {
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
        None => add(t.sql_no_connection.replace("{}", "1 + Tomcat pool"), dim),
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
        Mode::ChooseEnv { .. } => keys::CHOOSE,
    }
}

/// The message line(s) of the status bar: the note, the cell being
/// edited, or the cell under the cursor; wrapped at word boundaries, at
/// most 3 lines.
fn info_lines(ed: &Editor, width: usize) -> Vec<String> {
    let t = topo();
    let text = match (&ed.note, &ed.mode) {
        (_, Mode::Edit(_)) => return vec![format!(" {}", fill(t.editing, &[&t.columns[ed.col]]))],
        (Some(n), _) => n.text.clone(),
        (None, _) => cursor_line(ed),
    };
    let mut lines: Vec<String> = wrap(&text, width.saturating_sub(2))
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect();
    lines.truncate(3);
    lines
}

fn render_bar(ed: &Editor, f: &mut Frame, area: Rect, info: Vec<String>) {
    let t = topo();
    let bar = ed.theme.get("status.bar");
    let [info_a, keys_area] = area.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let style = match (&ed.note, &ed.mode) {
        (_, Mode::Edit(_)) => bar,
        (Some(n), _) if n.error => bar.patch(ed.theme.get("dialog.warning")),
        _ => bar,
    };
    let editing = match &ed.mode {
        Mode::Edit(input) => Some(input),
        _ => None,
    };
    if let (Some(input), Some(first)) = (editing, info.first()) {
        // The value being typed, in full, with the cursor where typing goes.
        let start = first.chars().count();
        let room = usize::from(info_a.width).saturating_sub(start + 1).max(1);
        let scroll = input.visual_scroll(room);
        let shown: String = visible(input.value())
            .chars()
            .skip(scroll)
            .take(room)
            .collect();
        let line = Line::from(vec![
            Span::styled(first.clone(), bar),
            Span::styled(shown, bar.add_modifier(Modifier::UNDERLINED)),
        ]);
        f.render_widget(Paragraph::new(line).style(bar), info_a);
        let x = start + input.visual_cursor().saturating_sub(scroll);
        if let (Ok(x), true) = (u16::try_from(x), x < usize::from(info_a.width)) {
            f.set_cursor_position((info_a.x + x, info_a.y));
        }
    } else {
        let lines: Vec<Line> = info.into_iter().map(Line::raw).collect();
        f.render_widget(Paragraph::new(lines).style(style), info_a);
    }
    let mut spans = vec![Span::styled(" ", bar)];
    for (label, act) in keys::hints(map_of(ed)) {
        spans.push(Span::styled(label, ed.theme.get("status.key")));
        spans.push(Span::styled(format!(" {}  ", (t.act)(act).0), bar));
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(bar), keys_area);
}

/// The last `w` characters of `v`, led by `…` when it is longer.
fn tail(v: &str, w: usize) -> String {
    let n = v.chars().count();
    if n <= w || w == 0 {
        return v.to_string();
    }
    let kept: String = v.chars().skip(n - (w - 1)).collect();
    format!("…{kept}")
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
        line.push_str(&format!(" {} {} — {}", ed.glyphs.sep, e.what, e.fix));
    }
    line
}
