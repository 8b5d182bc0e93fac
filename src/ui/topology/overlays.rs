//! What opens over the table: the services picker, the yes/no question and
//! the environment question (the one dialog widget of the full-screen
//! apps), and the list of keys (the shared help widget).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::keys;
use super::render::{block, visible};
use super::state::Editor;
use super::update::question;
use crate::model::plan::Service;
use crate::ui::strings::{fill, s, topo};
use crate::ui::widgets::dialog::{self, DialogView};

/// A box of `w` x `h` centred in `area`.
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn picker(ed: &Editor, f: &mut Frame, table: Rect, sel: usize) {
    let t = topo();
    let name = ed.rows.get(ed.row).map(|s| s.name.as_str()).unwrap_or("");
    let r = centred(table, 36, Service::ALL.len() as u16 + 2);
    f.render_widget(Clear, r);
    let b = block(ed, fill(t.picker_title, &[&visible(name)]), true)
        .border_style(ed.theme.get("dialog.border"));
    let lines: Vec<Line> = Service::ALL
        .iter()
        .enumerate()
        .map(|(i, svc)| {
            let on = ed
                .rows
                .get(ed.row)
                .is_some_and(|s| s.services.contains(svc));
            let text = format!("[{}] {}", if on { "x" } else { " " }, t.services[i]);
            if i == sel {
                Line::styled(text, ed.theme.get("dialog.selected"))
            } else {
                Line::raw(text)
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines).block(b), r);
}

pub fn confirm(ed: &Editor, f: &mut Frame, area: Rect) {
    let Some((q, yes)) = question(ed) else { return };
    let st = s();
    dialog::render(
        f,
        area,
        &ed.theme,
        &ed.glyphs,
        DialogView {
            title: st.confirm_title,
            body: vec![Line::raw(q)],
            buttons: vec![st.no, st.yes],
            selected: usize::from(yes),
            hint: hint(keys::CONFIRM),
        },
    );
}

/// The hints of a key map, for a dialog.
fn hint(map: &[keys::TBinding]) -> String {
    dialog::hint_text(keys::hints(map).map(|(label, act)| (label, (topo().act)(act).0)))
}

/// The maps the help lists, in order, with their headings.
pub fn help_sections() -> Vec<(&'static str, &'static [keys::TBinding])> {
    topo()
        .help_sections
        .iter()
        .copied()
        .zip([
            keys::TABLE,
            keys::EDIT,
            keys::SERVICES,
            keys::CONFIRM,
            keys::CHOOSE,
            keys::HELP,
        ])
        .collect()
}

/// The list of keys, from the key maps, with the main view's help parts.
pub fn help(ed: &Editor, f: &mut Frame, area: Rect, scroll: u16) {
    let t = topo();
    let r = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let b = block(ed, t.help_title.to_string(), true);
    let lines = crate::ui::widgets::help::key_lines(
        &help_sections(),
        |a| (t.act)(a).1,
        ed.theme.get("heading"),
        ed.theme.get("help.key"),
        16,
        usize::from(r.width.saturating_sub(2)),
    );
    crate::ui::widgets::help::scrolled_box(f, r, b, lines, usize::from(scroll));
}

/// "Which environment?": each with its number of servers.
pub fn choose_env(ed: &Editor, f: &mut Frame, area: Rect, sel: usize) {
    let t = topo();
    let mut lines: Vec<Line<'static>> = vec![Line::raw(t.choose_intro), Line::raw("")];
    for (i, (env, n)) in super::envs::KINDS.iter().zip(ed.env_servers).enumerate() {
        let text = format!(" {} ", fill(t.choose_line, &[env, &n.unwrap_or(0)]));
        lines.push(if i == sel {
            Line::styled(text, ed.theme.get("dialog.selected"))
        } else {
            Line::raw(text)
        });
    }
    dialog::render(
        f,
        area,
        &ed.theme,
        &ed.glyphs,
        DialogView {
            title: t.choose_title,
            body: lines,
            buttons: Vec::new(),
            selected: 0,
            hint: hint(keys::CHOOSE),
        },
    );
}
