//! Drawing the wizard. Reads the state, never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fields::{F, Field, Kind, Page};
use super::keys::table;
use super::state::{Confirm, SqlTest, Wizard, field_issues};
use super::update::context;
use crate::model::validate::Issue;
use crate::ui::glyphs::Glyphs;
use crate::ui::strings::{fill, s, w};
use crate::ui::widgets::dialog::{self, DialogView};
use crate::ui::widgets::status_bar;
use crate::ui::{MIN_H, MIN_W};

pub(super) const LABEL_W: usize = 22;

pub fn render(wz: &Wizard, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let t = fill(s().too_small, &[&area.width, &area.height]);
        f.render_widget(
            Paragraph::new(lines_of(wrap(&t, area.width as usize))),
            area,
        );
        return;
    }
    let intro = wrap(w().intros[wz.page.index()], area.width as usize);
    // A notice is shown whole, on up to 3 lines.
    let mut notice_lines = wz
        .notice
        .as_deref()
        .map(|n| wrap(n, area.width as usize))
        .unwrap_or_default();
    notice_lines.truncate(3);
    let [title, tabs, intro_a, body, notice, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(intro.len() as u16 + 1),
        Constraint::Fill(1),
        Constraint::Length(notice_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    let t = if wz.original.is_some() {
        w().title_edit
    } else {
        w().title_new
    };
    f.render_widget(
        Paragraph::new(fill(t, &[&wz.path.display()])).style(wz.theme.get("title")),
        title,
    );
    f.render_widget(Paragraph::new(tab_line(wz, area.width)), tabs);
    f.render_widget(
        Paragraph::new(lines_of(intro)).style(wz.theme.get("dim")),
        intro_a,
    );
    match (wz.help, wz.page) {
        (Some(scroll), _) => super::help::render(wz, f, body, scroll),
        (None, Page::Companies) => super::companies::render(wz, f, body),
        (None, Page::Summary) => super::summary::render(wz, f, body),
        (None, _) => form_page(wz, f, body),
    }
    if !notice_lines.is_empty() {
        f.render_widget(
            Paragraph::new(lines_of(notice_lines)).style(wz.theme.get("dialog.warning")),
            notice,
        );
    }
    f.render_widget(
        Paragraph::new(status_bar::keys_line(&wz.theme, hints(wz)))
            .style(wz.theme.get("status.bar")),
        status,
    );
    if let Some(c) = wz.confirm {
        confirm(wz, c, f, area);
    }
}

fn tab_line(wz: &Wizard, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    let full: usize = w().pages.iter().map(|p| p.chars().count() + 5).sum();
    // Narrow windows: other pages by their number only.
    let short = full > width as usize;
    for (i, name) in w().pages.iter().enumerate() {
        if i > 0 {
            let sep = if wz.ascii { " > " } else { " › " };
            spans.push(Span::styled(sep, wz.theme.get("dim")));
        }
        let style = if i == wz.page.index() {
            wz.theme.get("stage.selected")
        } else {
            wz.theme.get("base")
        };
        let text = if short && i != wz.page.index() {
            format!("{}", i + 1)
        } else {
            format!("{} {name}", i + 1)
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

/// The lines of a form: each field, its errors under it. Returns the lines
/// and the first and last line of the focused field (with its errors).
pub fn form_lines(
    wz: &Wizard,
    fields: &[&Field],
    focus: Option<usize>,
    width: u16,
    issues_of: impl Fn(F) -> Vec<Issue>,
) -> (Vec<Line<'static>>, (usize, usize)) {
    let mut lines = Vec::new();
    let mut focus_line = (0, 0);
    let value_w = (width as usize).saturating_sub(LABEL_W + 1).max(8);
    for (i, fld) in fields.iter().enumerate() {
        let focused = focus == Some(i);
        if focused {
            focus_line.0 = lines.len();
        }
        let label = format!("{:<LABEL_W$} ", (w().field)(fld.id));
        let value = match fld.id.kind() {
            Kind::Masked => {
                let stars = "*".repeat(wz.test_password_len);
                format!("{stars}   ({})", w().masked_note)
            }
            Kind::Toggle | Kind::Choice(_) => {
                // A yes/no is shown in the reader's words; a choice is the
                // plan's own value.
                let shown = match (fld.id.kind(), fld.value()) {
                    (Kind::Toggle, "yes") => w().yes,
                    (Kind::Toggle, "no") => w().no,
                    (_, v) => v,
                };
                if wz.ascii {
                    format!("< {shown} >")
                } else {
                    format!("‹ {shown} ›")
                }
            }
            Kind::Text if focused && fld.value().is_empty() => " ".to_string(),
            Kind::Text => {
                let scroll = fld.input.visual_scroll(value_w);
                fld.value().chars().skip(scroll).take(value_w).collect()
            }
        };
        let style = if focused {
            wz.theme.get("step.selected")
        } else {
            wz.theme.get("base")
        };
        lines.push(Line::from(vec![
            Span::styled(label, wz.theme.get("heading")),
            Span::styled(value, style),
        ]));
        if let Some(note) = resolved_note(wz, fld) {
            for l in wrap(&note, (width as usize).saturating_sub(4)) {
                lines.push(Line::styled(format!("    {l}"), wz.theme.get("dim")));
            }
        }
        for issue in issues_of(fld.id) {
            let mark = if wz.ascii { "x" } else { "✗" };
            let text = format!("{mark} {} — {}", issue.what, issue.fix);
            for l in wrap(&text, (width as usize).saturating_sub(4)) {
                lines.push(Line::styled(
                    format!("    {l}"),
                    wz.theme.get("step.failed"),
                ));
            }
        }
        if focused {
            focus_line.1 = lines.len() - 1;
        }
    }
    (lines, focus_line)
}

/// Draw `lines` in `area`, scrolled so that lines `keep.0..=keep.1` are
/// visible (the first one when they do not all fit).
pub fn scrolled(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    keep: (usize, usize),
) -> usize {
    let h = area.height as usize;
    let skip = (keep.1 + 1).saturating_sub(h).min(keep.0);
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    f.render_widget(Paragraph::new(shown), area);
    skip
}

fn form_page(wz: &Wizard, f: &mut Frame, area: Rect) {
    let all = wz.issues();
    let fields: Vec<&Field> = wz
        .shown_fields(wz.page)
        .iter()
        .map(|id| wz.f(*id))
        .collect();
    let (mut lines, mut keep) = form_lines(wz, &fields, Some(wz.focus), area.width, |id| {
        if wz.shows(id) {
            field_issues(&all, id, None)
        } else {
            Vec::new()
        }
    });
    let focus_line = keep.0;
    match wz.page {
        Page::Sql => sql_test_lines(wz, &mut lines, area.width),
        Page::Environments => {
            let (t, p) = wz.servers();
            lines.push(Line::raw(""));
            for l in wrap(&fill(w().servers_note, &[&t, &p]), area.width as usize) {
                lines.push(Line::styled(l, wz.theme.get("dim")));
            }
        }
        _ => {}
    }
    if wz.focus + 1 == fields.len() {
        // The last field: show what follows it (the connection test).
        keep.1 = lines.len() - 1;
    }
    let skip = scrolled(f, area, lines, keep);
    if let Some(fld) = fields.get(wz.focus) {
        place_cursor(wz, f, area, fld, focus_line.checked_sub(skip));
    }
}

/// The terminal cursor on the focused field, whatever its kind and even
/// when it is empty: where typing goes, or on the value a key changes.
/// `line` is the field's line in `area`, `None` when scrolled away.
pub fn place_cursor(wz: &Wizard, f: &mut Frame, area: Rect, fld: &Field, line: Option<usize>) {
    let Some(y) = line else { return };
    let value_w = (area.width as usize).saturating_sub(LABEL_W + 1).max(8);
    let x = LABEL_W
        + 1
        + match fld.id.kind() {
            Kind::Text => fld.input.visual_cursor() - fld.input.visual_scroll(value_w),
            Kind::Masked => wz.test_password_len.min(value_w),
            Kind::Toggle | Kind::Choice(_) => 2,
        };
    if y < area.height as usize && x < area.width as usize {
        f.set_cursor_position(Position::new(area.x + x as u16, area.y + y as u16));
    }
}

/// Under a relative path: what it is relative to, and the path it gives.
fn resolved_note(wz: &Wizard, fld: &Field) -> Option<String> {
    use crate::model::paths::{is_absolute_anywhere, plan_folder};
    let paths = [
        F::SetupPackage,
        F::IntegrationPackage,
        F::TestInstall,
        F::TestBackup,
        F::ProdInstall,
        F::ProdBackup,
    ];
    let v = fld.value().trim();
    if !paths.contains(&fld.id) || v.is_empty() || is_absolute_anywhere(std::path::Path::new(v)) {
        return None;
    }
    let folder = plan_folder(&wz.path);
    Some(fill(
        w().relative_note,
        &[&folder.display(), &folder.join(v).display()],
    ))
}

fn sql_test_lines(wz: &Wizard, lines: &mut Vec<Line<'static>>, width: u16) {
    lines.push(Line::raw(""));
    let state = match &wz.sql_test {
        SqlTest::NotRun => w().test_not_run.to_string(),
        SqlTest::Running => w().test_running.to_string(),
        SqlTest::Done(_) => String::new(),
    };
    lines.push(Line::from(vec![
        Span::styled(
            format!("[ {} ] Ctrl-T", w().test_action),
            wz.theme.get("status.key"),
        ),
        Span::raw(format!("  {state}")),
    ]));
    if let SqlTest::Done(results) = &wz.sql_test {
        for r in results {
            let (mark, word, style) = match (r.ok, wz.ascii) {
                (true, false) => ("✓", w().test_ok, "step.passed"),
                (true, true) => ("+", w().test_ok, "step.passed"),
                (false, false) => ("✗", w().test_failed, "step.failed"),
                (false, true) => ("x", w().test_failed, "step.failed"),
            };
            // The first line holds the mark and the check; the message
            // goes on at its indent, wrapped to the width that is left.
            let pad = " ".repeat(16);
            let text = format!(
                "{mark} {:<14}{}",
                r.check,
                crate::ui::strings::fill(s().label_value, &[&word, &r.text])
            );
            let first = wrap(&text, width as usize).swap_remove(0);
            let rest: String = text.chars().skip(first.chars().count()).collect();
            let rest = rest.trim_start();
            lines.push(Line::styled(first, wz.theme.get(style)));
            if !rest.is_empty() {
                for l in wrap(rest, (width as usize).saturating_sub(pad.len())) {
                    lines.push(Line::styled(format!("{pad}{l}"), wz.theme.get(style)));
                }
            }
        }
    }
}

fn confirm(wz: &Wizard, c: Confirm, f: &mut Frame, area: Rect) {
    let text = match c {
        Confirm::Quit => w().confirm_quit.to_string(),
        Confirm::DeleteCompany(i) => fill(
            w().confirm_delete,
            &[&wz
                .companies
                .get(i)
                .map(|c| c.title.clone())
                .unwrap_or_default()],
        ),
    };
    let st = s();
    dialog::render(
        f,
        area,
        &wz.theme,
        &Glyphs::new(wz.ascii),
        DialogView {
            title: w().confirm_title,
            body: vec![Line::raw(text)],
            buttons: vec![st.no, st.yes],
            selected: usize::from(wz.confirm_yes),
            hint: dialog::hint_text(hints(wz)),
        },
    );
}

/// The hints of the keys read now, from the key map.
fn hints(wz: &Wizard) -> impl Iterator<Item = (&'static str, &'static str)> {
    table(context(wz))
        .into_iter()
        .filter(|b| b.hint)
        .map(|b| (b.label, (w().act)(b.act)))
}

pub use crate::ui::wrap::wrap;

fn lines_of(v: Vec<String>) -> Vec<Line<'static>> {
    v.into_iter().map(Line::raw).collect()
}
