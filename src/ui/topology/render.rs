//! Drawing the editor from its view model. Reads the editor, never changes
//! it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use super::keys::{self, TBinding};
use super::state::{COLUMNS, Editor, Mode, role_index, service_index};
use super::{overlays, panels};
use crate::model::plan::Server;
use crate::model::topology::Column;
use crate::ui::strings::{fill, s, topo};
use crate::ui::wrap::wrap;
use crate::ui::{MIN_H, MIN_W};

/// A bordered block: the one of every screen ([`crate::ui::widgets::frame`]).
pub(super) fn block<'a>(ed: &Editor, title: String, focused: bool) -> Block<'a> {
    crate::ui::widgets::frame(&ed.theme, &ed.glyphs, title, focused)
}

pub fn render(ed: &Editor, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let p = Paragraph::new(crate::ui::wrap::glue(&fill(
            s().too_small,
            &[&area.width, &area.height],
        )))
        .wrap(Wrap { trim: true });
        f.render_widget(p, area);
        return;
    }
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let settings_lines = panels::settings_lines(ed, inner_w);
    let info = info_lines(ed, usize::from(area.width));
    let [title, table, problems, settings, bar] = area.layout(&Layout::vertical(heights(
        ed,
        area.height,
        settings_lines.len(),
        info.len(),
    )));
    render_title(ed, f, title);
    render_table(ed, f, table);
    panels::problems(ed, f, problems);
    panels::settings(ed, f, settings, settings_lines);
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
        let p = Paragraph::new(crate::ui::wrap::glue(t.empty))
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
/// most 5 lines.
fn info_lines(ed: &Editor, width: usize) -> Vec<String> {
    let t = topo();
    let text = match (&ed.note, &ed.mode) {
        (_, Mode::Edit(_)) => return vec![format!(" {}", fill(t.editing, &[&t.columns[ed.col]]))],
        (_, Mode::ChooseEnv { .. }) => return vec![format!(" {}", t.choose_title)],
        (Some(n), _) => n.text.clone(),
        (None, _) => cursor_line(ed),
    };
    let mut lines: Vec<String> = wrap(&text, width.saturating_sub(2))
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect();
    lines.truncate(5);
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
    let line = crate::ui::widgets::status_bar::keys_line(
        &ed.theme,
        keys::hints(map_of(ed)).map(|(label, act)| (label, (t.act)(act).0)),
    );
    f.render_widget(Paragraph::new(line).style(bar), keys_area);
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
    let mut line = format!(
        "{} {}",
        ed.row + 1,
        fill(
            crate::ui::strings::s().label_value,
            &[&t.columns[ed.col], &value]
        )
    );
    if let Some(e) = ed.error_at(ed.row, col) {
        line.push_str(&format!(" {} {} — {}", ed.glyphs.sep, e.what, e.fix));
    }
    line
}
