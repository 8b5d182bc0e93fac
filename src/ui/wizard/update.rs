//! Messages and `update`: the only place the wizard's state changes.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use secrecy::{ExposeSecret, SecretString};
use tui_input::backend::crossterm::EventHandler;

use super::fields::{COMPANY_FIELDS, F, Kind, Page};
use super::keys::{Act, Ctx, lookup};
use super::prefill::{editor_company, editor_for};
use super::sqltest::TestLine;
use super::state::{Confirm, SqlTest, Wizard};
use super::{companies, save};
use crate::model::plan::SqlConnection;
use crate::ui::strings::{fill, w};

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// The connection test ended.
    Tested(Vec<TestLine>),
}

/// What the wizard asks of its loop.
#[derive(Debug, Default)]
pub struct Out {
    /// Run the connection test on this connection with the typed password.
    pub test: Option<(SqlConnection, SecretString)>,
    pub exit: bool,
    pub redraw: bool,
}

pub fn update(wz: &mut Wizard, msg: Msg) -> Out {
    let mut out = Out {
        redraw: true,
        ..Default::default()
    };
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Press => out.redraw = false,
        Msg::Key(k) => key(wz, k, &mut out),
        Msg::Resize(..) => {}
        Msg::Tested(lines) => wz.sql_test = SqlTest::Done(lines),
    }
    // An answer may hide fields (a prompted secret needs no variable name):
    // the focus stays on a shown one.
    let n = wz.shown_fields(wz.page).len();
    if n > 0 {
        wz.focus = wz.focus.min(n - 1);
    }
    out
}

/// Where keys are read now.
pub fn context(wz: &Wizard) -> Ctx {
    if wz.help.is_some() {
        Ctx::Help
    } else if wz.confirm.is_some() {
        Ctx::Confirm
    } else if wz.editor.is_some() {
        Ctx::Editor
    } else {
        match wz.page {
            Page::Sql => Ctx::SqlForm,
            Page::Companies => Ctx::Companies,
            Page::Summary => Ctx::Summary,
            _ => Ctx::Form,
        }
    }
}

fn key(wz: &mut Wizard, k: KeyEvent, out: &mut Out) {
    let ctx = context(wz);
    let act = lookup(ctx, &k);
    if let Some(scroll) = wz.help {
        wz.help = match act {
            Some(Act::Cancel) => None,
            Some(Act::ScrollUp) => Some(scroll.saturating_sub(1)),
            Some(Act::ScrollDown) => Some((scroll + 1).min(super::help::lines_count())),
            _ => Some(scroll),
        };
        return;
    }
    // `?` opens the help where it types nothing: not in a text field.
    let typing = match ctx {
        Ctx::Form | Ctx::SqlForm => wz
            .shown_fields(wz.page)
            .get(wz.focus)
            .is_some_and(|f| matches!(f.kind(), Kind::Text | Kind::Masked)),
        Ctx::Editor => wz.editor.as_ref().is_some_and(|e| {
            e.fields
                .get(e.focus)
                .is_some_and(|f| matches!(f.id.kind(), Kind::Text | Kind::Masked))
        }),
        _ => false,
    };
    if act == Some(Act::Help) || (k.code == KeyCode::Char('?') && !typing && ctx != Ctx::Confirm) {
        wz.help = Some(0);
        return;
    }
    if ctx != Ctx::Confirm {
        wz.notice = None;
    }
    match ctx {
        Ctx::Confirm => confirm(wz, act, out),
        Ctx::Editor => companies::editor_key(wz, k, act),
        Ctx::Companies => companies::table_key(wz, act),
        _ => {}
    }
    if matches!(ctx, Ctx::Confirm | Ctx::Editor | Ctx::Companies) {
        if ctx == Ctx::Companies {
            page_act(wz, act, out);
        }
        return;
    }
    if page_act(wz, act, out) {
        return;
    }
    match act {
        Some(Act::Save) => save::save(wz, out),
        Some(Act::Test) => start_test(wz, out),
        Some(Act::NextField) => move_focus(wz, 1),
        Some(Act::PrevField) => move_focus(wz, -1),
        Some(Act::ScrollDown) => wz.summary_scroll = (wz.summary_scroll + 1).min(200),
        Some(Act::ScrollUp) => wz.summary_scroll = wz.summary_scroll.saturating_sub(1),
        _ if ctx == Ctx::Summary => {}
        _ => field_key(wz, k, out),
    }
}

/// Keys that change page or quit; true when the key was one of them.
fn page_act(wz: &mut Wizard, act: Option<Act>, out: &mut Out) -> bool {
    match act {
        Some(Act::NextPage) => next_page(wz),
        Some(Act::PrevPage) => {
            if let Some(i) = wz.page.index().checked_sub(1) {
                wz.page = Page::ALL[i];
                wz.focus = 0;
            }
        }
        Some(Act::Quit) => {
            if wz.changed() && !wz.saved {
                wz.ask(Confirm::Quit);
            } else {
                out.exit = true;
            }
        }
        _ => return false,
    }
    true
}

pub fn next_page(wz: &mut Wizard) {
    let all = wz.issues();
    let n = wz.page_issues(wz.page, &all).len();
    if n > 0 {
        wz.notice = Some(fill(w().next_refused, &[&n]));
        if !wz.attempted.contains(&wz.page) {
            wz.attempted.push(wz.page);
        }
        return;
    }
    if let Some(p) = Page::ALL.get(wz.page.index() + 1) {
        wz.page = *p;
        wz.focus = 0;
        wz.prefill();
    }
}

fn confirm(wz: &mut Wizard, act: Option<Act>, out: &mut Out) {
    let Some(c) = wz.confirm else { return };
    let act = match act {
        Some(Act::Answer) if wz.confirm_yes => Some(Act::Yes),
        Some(Act::Answer) => Some(Act::No),
        a => a,
    };
    match act {
        Some(Act::Yes) => {
            wz.confirm = None;
            match c {
                Confirm::Quit => out.exit = true,
                Confirm::DeleteCompany(i) if i < wz.companies.len() => {
                    wz.companies.remove(i);
                    wz.selected = wz.selected.min(wz.companies.len().saturating_sub(1));
                }
                Confirm::DeleteCompany(_) => {}
            }
        }
        Some(Act::No) => wz.confirm = None,
        Some(Act::Switch) => wz.confirm_yes = !wz.confirm_yes,
        _ => {}
    }
}

fn move_focus(wz: &mut Wizard, step: isize) {
    let n = wz.shown_fields(wz.page).len() as isize;
    if n > 0 {
        wz.focus = ((wz.focus as isize + step).rem_euclid(n)) as usize;
    }
}

fn field_key(wz: &mut Wizard, k: KeyEvent, out: &mut Out) {
    let shown = wz.shown_fields(wz.page);
    let Some(&id) = shown.get(wz.focus) else {
        return;
    };
    if k.code == KeyCode::Enter {
        if wz.focus + 1 == shown.len() {
            next_page(wz);
        } else {
            move_focus(wz, 1);
        }
        return;
    }
    let _ = out;
    wz.touch(id);
    match id.kind() {
        Kind::Toggle | Kind::Choice(_) => match k.code {
            KeyCode::Char(' ') | KeyCode::Right => wz.fm(id).cycle(1),
            KeyCode::Left => wz.fm(id).cycle(-1),
            _ => {}
        },
        Kind::Masked => masked_key(wz, k),
        Kind::Text => {
            let before = wz.f(id).value().to_string();
            wz.fm(id).input.handle_event(&TermEvent::Key(k));
            if wz.f(id).value() != before {
                text_changed(wz, id);
            }
        }
    }
}

fn text_changed(wz: &mut Wizard, id: F) {
    match id {
        F::Company => wz.company_changed(),
        F::Installation => wz.installation_auto = false,
        _ => {}
    }
}

/// The test password is never held in a plain `String` field.
fn masked_key(wz: &mut Wizard, k: KeyEvent) {
    let mut v = wz.test_password.expose_secret().to_string();
    match k.code {
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => v.push(c),
        KeyCode::Backspace => {
            v.pop();
        }
        _ => return,
    }
    wz.test_password_len = v.chars().count();
    wz.test_password = SecretString::from(v);
}

fn start_test(wz: &mut Wizard, out: &mut Out) {
    let all = wz.issues();
    let blocking = [F::SqlServer, F::SqlLogin, F::SqlDatabase, F::SqlPasswordEnv]
        .iter()
        .any(|f| !super::state::field_issues(&all, *f, None).is_empty());
    match wz.sql_connection() {
        Some(conn) if !blocking => {
            wz.sql_test = SqlTest::Running;
            out.test = Some((conn, wz.test_password.clone()));
        }
        _ => wz.notice = Some(w().test_refused.to_string()),
    }
}

/// The editor's fields, for the companies module.
pub(super) fn editor_field_key(e: &mut super::state::Editor, k: KeyEvent) {
    let Some(field) = e.fields.get_mut(e.focus) else {
        return;
    };
    if !e.touched.contains(&field.id) {
        e.touched.push(field.id);
    }
    match field.id.kind() {
        Kind::Toggle | Kind::Choice(_) => match k.code {
            KeyCode::Char(' ') | KeyCode::Right => field.cycle(1),
            KeyCode::Left => field.cycle(-1),
            _ => {}
        },
        _ => {
            field.input.handle_event(&TermEvent::Key(k));
        }
    }
}

/// Open the editor on a new company (the first one gets the recommended title).
pub(super) fn add_company(wz: &mut Wizard) {
    wz.editor = Some(editor_for(None, None, wz.companies.is_empty()));
}

pub(super) fn commit_editor(wz: &mut Wizard) {
    let Some(e) = wz.editor.take() else { return };
    let all = {
        let (p, _) = wz.plan_with(&e);
        crate::model::validate::validate(&p)
    };
    let (_, at) = wz.plan_with(&e);
    let n: usize = COMPANY_FIELDS
        .iter()
        .map(|f| super::state::field_issues(&all, *f, Some(at)).len())
        .sum();
    if n > 0 {
        wz.notice = Some(fill(w().company_refused, &[&n]));
        let mut e = e;
        e.attempted = true;
        wz.editor = Some(e);
        return;
    }
    let c = editor_company(&e);
    match e.index {
        Some(i) if i < wz.companies.len() => wz.companies[i] = c,
        _ => {
            wz.companies.push(c);
            wz.selected = wz.companies.len() - 1;
        }
    }
}
