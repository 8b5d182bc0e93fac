//! What opens over the table: the services picker, the yes/no question
//! and the list of keys (generated from the key maps).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::keys;
use super::render::{block, visible};
use super::state::Editor;
use super::update::question;
use crate::model::plan::Service;
use crate::ui::strings::{fill, s, topo};

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
    let r = centred(area, 60, 6);
    f.render_widget(Clear, r);
    let b =
        block(ed, st.confirm_title.to_string(), true).border_style(ed.theme.get("dialog.border"));
    let pick = |on: bool| {
        if on {
            ed.theme.get("dialog.selected")
        } else {
            Style::default()
        }
    };
    let lines = vec![
        Line::raw(q),
        Line::raw(""),
        Line::from(vec![
            Span::styled(format!(" {} ", st.yes), pick(yes)),
            Span::raw("   "),
            Span::styled(format!(" {} ", st.no), pick(!yes)),
        ]),
    ];
    f.render_widget(
        Paragraph::new(crate::ui::wrap::glue_lines(lines))
            .block(b)
            .wrap(Wrap { trim: true }),
        r,
    );
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
    let lines = crate::ui::screens::help::key_lines(
        &help_sections(),
        |a| (t.act)(a).1,
        ed.theme.get("heading"),
        ed.theme.get("help.key"),
        16,
        usize::from(r.width.saturating_sub(2)),
    );
    crate::ui::screens::help::scrolled_box(f, r, b, lines, usize::from(scroll));
}

/// "Which environment?": each with its number of servers.
pub fn choose_env(ed: &Editor, f: &mut Frame, area: Rect, sel: usize) {
    let t = topo();
    let width = 60.min(area.width.saturating_sub(4));
    let intro = crate::ui::wrap::wrap(t.choose_intro, usize::from(width.saturating_sub(4)));
    let mut lines: Vec<Line> = intro.into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    for (i, (env, n)) in super::envs::KINDS.iter().zip(ed.env_servers).enumerate() {
        let text = format!(" {} ", fill(t.choose_line, &[env, &n.unwrap_or(0)]));
        lines.push(if i == sel {
            Line::styled(text, ed.theme.get("dialog.selected"))
        } else {
            Line::raw(text)
        });
    }
    let r = centred(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, r);
    let b = block(ed, t.choose_title.to_string(), true).border_style(ed.theme.get("dialog.border"));
    f.render_widget(Paragraph::new(lines).block(b), r);
}
