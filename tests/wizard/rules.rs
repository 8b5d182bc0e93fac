//! The rules the wizard enforces as it is typed: errors under their field,
//! Next refused, Back keeps the answers, the company table's checks, the
//! confirmations, secrets never shown nor saved.

use crate::common::wizard as wizard_support;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use dress::ui::wizard::fields::{F, Page};
use dress::ui::wizard::state::Confirm;
use dress::ui::wizard::{Msg, Wizard, update};
use wizard_support::*;

fn new() -> Wizard {
    open("plan.toml".into(), None)
}

#[test]
fn next_is_refused_while_the_page_has_errors_and_back_keeps_answers() {
    let mut wz = new();
    assert!(
        !draw(&wz, 80, 24).contains("the company name is empty"),
        "a new form starts quiet"
    );
    next(&mut wz);
    assert_eq!(wz.page, Page::Company);
    assert!(wz.notice.as_deref().unwrap().contains("1 error"));
    assert!(draw(&wz, 80, 24).contains("the company name is empty"));
    typ(&mut wz, "Bijou SA");
    next(&mut wz);
    assert_eq!(wz.page, Page::Installation);
    key(&mut wz, KeyCode::PageUp);
    assert_eq!(wz.page, Page::Company);
    assert_eq!(wz.f(F::Company).value(), "Bijou SA");
    assert!(!draw(&wz, 80, 24).contains("the company name is empty"));
}

#[test]
fn installation_name_follows_the_company_until_typed() {
    let mut wz = new();
    typ(&mut wz, "Œuvres & Cie");
    assert_eq!(wz.f(F::Installation).value(), "CRMOEUVRES");
    next(&mut wz);
    focus(&mut wz, F::Installation);
    key(&mut wz, KeyCode::Backspace);
    assert_eq!(wz.f(F::Installation).value(), "CRMOEUVRE");
    typ(&mut wz, "-");
    let screen = draw(&wz, 120, 30);
    assert!(screen.contains("contains '-'"), "{screen}");
    next(&mut wz);
    assert_eq!(wz.page, Page::Installation);
    key(&mut wz, KeyCode::PageUp);
    focus(&mut wz, F::Company);
    typ(&mut wz, "X");
    assert_eq!(
        wz.f(F::Installation).value(),
        "CRMOEUVRE-",
        "typed names stay"
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut wz = new();
    let mut k = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    k.kind = KeyEventKind::Release;
    let out = update(&mut wz, Msg::Key(k));
    assert!(!out.redraw);
    let k = KeyEvent::new_with_kind_and_state(
        KeyCode::Char('y'),
        KeyModifiers::NONE,
        KeyEventKind::Repeat,
        KeyEventState::NONE,
    );
    update(&mut wz, Msg::Key(k));
    assert_eq!(wz.f(F::Company).value(), "");
}

/// On the companies page of a session answered up to there.
fn at_companies() -> Wizard {
    let mut wz = new();
    reach(&mut wz, Page::Companies);
    wz
}

fn add(wz: &mut Wizard, title: &str, mae: &str, gcm: &str) {
    key(wz, KeyCode::Char('a'));
    clear(wz);
    typ(wz, title);
    tab(wz, 5);
    typ(wz, mae);
    tab(wz, 1);
    typ(wz, gcm);
    key(wz, KeyCode::Enter);
}

#[test]
fn first_company_is_offered_the_recommended_title() {
    let mut wz = at_companies();
    key(&mut wz, KeyCode::Char('a'));
    assert_eq!(wz.editor.as_ref().unwrap().fields[0].value(), "Sage100");
    key(&mut wz, KeyCode::Esc);
    add(&mut wz, "Sage100", "C:\\A.mae", "C:\\A.gcm");
    key(&mut wz, KeyCode::Char('a'));
    assert_eq!(wz.editor.as_ref().unwrap().fields[0].value(), "");
}

#[test]
fn titles_are_unique_without_case_accents_included() {
    let mut wz = at_companies();
    add(&mut wz, "Société Ça", "C:\\A.mae", "C:\\A.gcm");
    assert_eq!(wz.companies.len(), 1);
    add(&mut wz, "SOCIÉTÉ ÇA", "C:\\B.mae", "C:\\B.gcm");
    assert_eq!(wz.companies.len(), 1, "refused");
    assert!(wz.editor.is_some());
    assert!(draw(&wz, 120, 30).contains("is already used by \"Société Ça\""));
    key(&mut wz, KeyCode::Esc);
    add(&mut wz, "Société Ça 2", "C:\\B.mae", "C:\\B.gcm");
    assert_eq!(wz.companies.len(), 2);
}

#[test]
fn titles_have_at_most_50_characters_of_any_kind() {
    let fifty = "Ñ€&é—".repeat(10);
    assert_eq!(fifty.chars().count(), 50);
    let mut wz = at_companies();
    add(&mut wz, &format!("{fifty}x"), "C:\\A.mae", "C:\\A.gcm");
    assert!(wz.companies.is_empty());
    assert!(draw(&wz, 120, 30).contains("the title has 51 characters, 50 at most"));
    key(&mut wz, KeyCode::Esc);
    add(&mut wz, &fifty, "C:\\A.mae", "C:\\A.gcm");
    assert_eq!(wz.companies.len(), 1);
    assert_eq!(wz.companies[0].title, fifty);
}

#[test]
fn files_must_have_their_extension() {
    let mut wz = at_companies();
    add(&mut wz, "Sage100", "C:\\Sage\\A.gcm", "C:\\Sage\\A.mae");
    assert!(wz.companies.is_empty());
    let screen = draw(&wz, 120, 30);
    assert!(screen.contains("is not a .mae file"), "{screen}");
    assert!(screen.contains("is not a .gcm file"), "{screen}");
    key(&mut wz, KeyCode::Esc);
    add(&mut wz, "Sage100", "C:\\Sage\\A.MAE", "C:\\Sage\\A.Gcm");
    assert_eq!(
        wz.companies.len(),
        1,
        "the extension is compared without case"
    );
}

#[test]
fn delete_and_modify_ask_and_keep_their_place() {
    let mut wz = at_companies();
    add(&mut wz, "One", "C:\\1.mae", "C:\\1.gcm");
    add(&mut wz, "Two", "C:\\2.mae", "C:\\2.gcm");
    key(&mut wz, KeyCode::Up);
    key(&mut wz, KeyCode::Char('d'));
    assert_eq!(wz.confirm, Some(Confirm::DeleteCompany(0)));
    assert!(draw(&wz, 80, 24).contains("Delete the integration company \"One\"?"));
    key(&mut wz, KeyCode::Char('n'));
    assert_eq!(wz.companies.len(), 2);
    key(&mut wz, KeyCode::Enter);
    key(&mut wz, KeyCode::End);
    typ(&mut wz, " bis");
    ctrl(&mut wz, 's');
    assert_eq!(wz.companies[0].title, "One bis");
    key(&mut wz, KeyCode::Char('d'));
    key(&mut wz, KeyCode::Char('y'));
    let titles: Vec<&str> = wz.companies.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Two"]);
}

#[test]
fn demo_database_is_refused_for_a_customer() {
    let mut wz = new();
    reach(&mut wz, Page::Options);
    tab(&mut wz, 2);
    key(&mut wz, KeyCode::Char(' '));
    next(&mut wz);
    assert_eq!(wz.page, Page::Options);
    assert!(draw(&wz, 120, 30).contains("demo database is selected on a customer"));
    key(&mut wz, KeyCode::Up);
    key(&mut wz, KeyCode::Right); // kind: demo
    next(&mut wz);
    assert_eq!(wz.page, Page::Environments);
}

#[test]
fn the_test_password_is_masked_and_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    let mut wz = open(path.clone(), None);
    reach(&mut wz, Page::Sql);
    answer(&mut wz, Page::Sql);
    tab(&mut wz, 6);
    typ(&mut wz, "Sup3r-Secret!");
    let screen = draw(&wz, 120, 30);
    assert!(!screen.contains("Sup3r-Secret!"), "{screen}");
    assert!(screen.contains("*************"), "{screen}");
    assert!(format!("{:?}", wz.test_password).contains("REDACTED"));
    next(&mut wz);
    for p in [Page::Options, Page::Environments, Page::Companies] {
        answer(&mut wz, p);
        next(&mut wz);
    }
    key(&mut wz, KeyCode::Enter);
    assert!(wz.saved);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("Sup3r-Secret!"));
    assert!(text.contains("password = { env = \"CRM_SQL_PASSWORD\" }"));
}

#[test]
fn quitting_with_answers_asks_first() {
    let mut wz = new();
    assert!(
        key(&mut wz, KeyCode::Esc).exit,
        "nothing typed: quits at once"
    );
    let mut wz = new();
    typ(&mut wz, "B");
    assert!(!key(&mut wz, KeyCode::Esc).exit);
    assert_eq!(wz.confirm, Some(Confirm::Quit));
    key(&mut wz, KeyCode::Char('n'));
    assert!(wz.confirm.is_none());
    key(&mut wz, KeyCode::Esc);
    assert!(key(&mut wz, KeyCode::Char('y')).exit);
}

#[test]
fn saving_is_refused_while_problems_remain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    let mut wz = open(path.clone(), None);
    wz.page = Page::Summary;
    let out = key(&mut wz, KeyCode::Enter);
    assert!(!out.exit);
    assert!(wz.notice.as_deref().unwrap().contains("problem(s) remain"));
    assert!(!path.exists());
}

#[test]
fn a_file_that_is_not_a_plan_is_refused_with_its_line() {
    let text = "[deployment]\ncompany = \"x\"\nbogus = 1\ninstallation = \"CRMX\"\n";
    let theme = dress::ui::Theme::builtin("default").unwrap();
    let e = Wizard::open("bad.toml".into(), Some(text.into()), theme.clone(), false)
        .err()
        .unwrap();
    assert!(e.starts_with("bad.toml:3:"), "{e}");
    assert!(e.contains("bogus"), "{e}");
    // Broken rules are not a reason to refuse: the wizard shows them.
    let text = "[deployment]\ncompany = \"x\"\ninstallation = \"bad name\"\n";
    let mut wz = Wizard::open("p.toml".into(), Some(text.into()), theme, false).unwrap();
    next(&mut wz);
    assert_eq!(wz.page, Page::Installation);
    assert!(draw(&wz, 120, 30).contains("\"bad name\" does not start with CRM"));
}

/// A question that loses work opens on No: Enter and Esc answer No; the
/// highlighted answer moves with Tab, and Enter then gives it.
#[test]
fn a_question_opens_on_no_and_enter_or_esc_answer_no() {
    for k in [KeyCode::Enter, KeyCode::Esc, KeyCode::Char('n')] {
        let mut wz = new();
        typ(&mut wz, "B");
        key(&mut wz, KeyCode::Esc);
        assert_eq!(wz.confirm, Some(Confirm::Quit));
        assert!(!key(&mut wz, k).exit, "{k:?} quit without saving");
        assert!(wz.confirm.is_none(), "{k:?}");
    }
    let mut wz = new();
    typ(&mut wz, "B");
    key(&mut wz, KeyCode::Esc);
    key(&mut wz, KeyCode::Tab);
    assert!(key(&mut wz, KeyCode::Enter).exit, "Tab then Enter: Yes");

    let mut wz = at_companies();
    add(&mut wz, "One", "C:\\1.mae", "C:\\1.gcm");
    for k in [KeyCode::Enter, KeyCode::Esc] {
        key(&mut wz, KeyCode::Char('d'));
        assert_eq!(wz.confirm, Some(Confirm::DeleteCompany(0)));
        key(&mut wz, k);
        assert!(wz.confirm.is_none());
        assert_eq!(wz.companies.len(), 1, "{k:?} deleted the company");
    }
    key(&mut wz, KeyCode::Char('d'));
    key(&mut wz, KeyCode::Right);
    key(&mut wz, KeyCode::Enter);
    assert!(wz.companies.is_empty(), "Right then Enter: Yes");
}

/// The list of keys closes with q, Esc or ? and never quits the wizard.
#[test]
fn the_help_closes_with_q_esc_or_question_mark_and_never_quits() {
    for k in [KeyCode::Char('q'), KeyCode::Esc, KeyCode::Char('?')] {
        let mut wz = at_companies();
        key(&mut wz, KeyCode::Char('?'));
        assert!(wz.help.is_some());
        assert!(!key(&mut wz, k).exit, "{k:?} quit from the help");
        assert!(wz.help.is_none(), "{k:?} left the help open");
    }
}
