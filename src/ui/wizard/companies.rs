//! The integration companies page: a table with add, modify and delete
//! (delete asks first), and the editor form of one company.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::fields::COMPANY_FIELDS;
use super::keys::Act;
use super::prefill::editor_for;
use super::render::form_lines;
use super::state::{Confirm, Wizard, field_issues};
use super::update::{add_company, commit_editor, editor_field_key};
use crate::model::naming::shown_max;
use crate::ui::strings::w;

pub fn table_key(wz: &mut Wizard, act: Option<Act>) {
    let n = wz.companies.len();
    match act {
        Some(Act::Add) => add_company(wz),
        Some(Act::Modify) if n > 0 => {
            let i = wz.selected.min(n - 1);
            wz.editor = Some(editor_for(Some(i), wz.companies.get(i), false));
        }
        Some(Act::Delete) if n > 0 => {
            wz.ask(Confirm::DeleteCompany(wz.selected.min(n - 1)));
        }
        Some(Act::Up) => wz.selected = wz.selected.saturating_sub(1),
        Some(Act::Down) if wz.selected + 1 < n => wz.selected += 1,
        _ => {}
    }
}

pub fn editor_key(wz: &mut Wizard, k: KeyEvent, act: Option<Act>) {
    let Some(e) = wz.editor.as_mut() else { return };
    let n = e.fields.len();
    match act {
        Some(Act::NextField) => e.focus = (e.focus + 1) % n,
        Some(Act::PrevField) => e.focus = (e.focus + n - 1) % n,
        Some(Act::Save) => commit_editor(wz),
        Some(Act::Cancel) => wz.editor = None,
        _ if k.code == KeyCode::Enter => {
            if e.focus + 1 == n {
                commit_editor(wz);
            } else {
                e.focus += 1;
            }
        }
        _ => editor_field_key(e, k),
    }
}

/// The page: the table, or the editor when one is open.
pub fn render(wz: &Wizard, f: &mut Frame, area: Rect) {
    if let Some(e) = &wz.editor {
        let (plan, at) = wz.plan_with(e);
        let all = crate::model::validate::validate(&plan);
        let fields: Vec<_> = e.fields.iter().collect();
        let heading = if e.index.is_some() {
            w().editor_modify
        } else {
            w().editor_add
        };
        let mut lines = vec![Line::styled(heading, wz.theme.get("heading"))];
        let (form, focus_line) = form_lines(wz, &fields, Some(e.focus), area.width, |id| {
            if e.shows(id) {
                field_issues(&all, id, Some(at))
            } else {
                Vec::new()
            }
        });
        lines.extend(form);
        let skip = super::render::scrolled(f, area, lines, (focus_line.0 + 1, focus_line.1 + 1));
        if let Some(fld) = e.fields.get(e.focus) {
            super::render::place_cursor(wz, f, area, fld, (focus_line.0 + 1).checked_sub(skip));
        }
        return;
    }
    let all = wz.issues();
    let mut notes: Vec<Line> = Vec::new();
    if !wz.companies.is_empty() && !wz.f(super::fields::F::IntegrationService).yes() {
        notes.push(Line::styled(
            w().companies_service_off,
            wz.theme.get("step.failed"),
        ));
    }
    if wz.companies.is_empty() {
        notes.push(Line::raw(w().companies_empty));
    }
    for i in wz.page_issues(super::fields::Page::Companies, &all) {
        notes.push(Line::styled(
            format!(
                "! {} — {}",
                crate::ui::strings::fill(crate::ui::strings::s().label_value, &[&i.field, &i.what]),
                i.fix
            ),
            wz.theme.get("step.failed"),
        ));
    }
    let rows_h = (wz.companies.len() as u16 + 1).min(area.height.saturating_sub(2));
    let table_area = Rect {
        height: rows_h,
        ..area
    };
    let note_area = Rect {
        y: area.y + rows_h + 1,
        height: area.height.saturating_sub(rows_h + 1),
        ..area
    };
    let yes = |b: bool| if b { w().yes } else { w().no };
    let file_w = (area.width.saturating_sub(60) / 2).max(8) as usize;
    let rows: Vec<Row> = wz
        .companies
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let bad = all
                .iter()
                .any(|x| x.field.starts_with(&format!("integration.companies[{i}]")));
            let style = if i == wz.selected {
                wz.theme.get("step.selected")
            } else if bad {
                wz.theme.get("step.failed")
            } else {
                wz.theme.get("base")
            };
            let file = |p: &Option<String>| {
                let p = p.as_deref().unwrap_or("");
                let n = p.chars().count();
                if n > file_w {
                    // Keep the end: the extension is what matters.
                    let tail: String = p.chars().skip(n + 1 - file_w).collect();
                    format!("…{tail}")
                } else {
                    p.to_string()
                }
            };
            Row::new(vec![
                Cell::from(shown_max(&c.title, 20)),
                Cell::from(yes(c.sync_dormant)),
                Cell::from(yes(c.sync_contacts)),
                Cell::from(yes(c.sync_phones)),
                Cell::from(yes(c.sync_addresses)),
                Cell::from(file(&c.accounting_file)),
                Cell::from(file(&c.commercial_file)),
            ])
            .style(style)
        })
        .collect();
    let cols = w().company_columns;
    let header = Row::new(cols.iter().map(|c| Cell::from(*c))).style(wz.theme.get("heading"));
    let widths = [
        Constraint::Length(20),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(10),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    f.render_widget(Table::new(rows, widths).header(header), table_area);
    f.render_widget(
        Paragraph::new(crate::ui::wrap::glue_lines(notes)).wrap(Wrap { trim: false }),
        note_area,
    );
    let _ = COMPANY_FIELDS;
    let _ = Span::raw("");
}
