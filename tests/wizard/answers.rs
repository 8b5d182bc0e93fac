//! The wizard asks every answer a plan needs (installation or upgrade, the
//! site URLs, the integration service's package), checks a version's form,
//! says what a relative path is relative to, hides what an answer makes
//! useless, and shows every message and the cursor whole.

use crate::common::wizard as wizard_support;

use crossterm::event::KeyCode;
use dress::model::plan::UpgradeMode;
use dress::ui::wizard::Wizard;
use dress::ui::wizard::fields::{F, Page};
use dress::ui::wizard::sqltest::TestLine;
use dress::ui::wizard::state::SqlTest;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use wizard_support::*;

fn new() -> Wizard {
    open("plans/bijou.toml".into(), None)
}

/// The screen's text, the lines joined with spaces (a wrapped message
/// reads on).
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every word of `msg` is on the screen.
fn all_words_shown(screen: &str, msg: &str) {
    let text = joined(screen);
    for word in msg.split_whitespace() {
        assert!(text.contains(word), "`{word}` is cut:\n{screen}");
    }
}

#[test]
fn mode_site_urls_and_the_integration_package_are_asked() {
    let mut wz = new();
    reach(&mut wz, Page::Installation);
    assert_eq!(wz.shown_fields(Page::Installation)[0], F::Mode);
    reach_from(&mut wz, Page::Installation, Page::Options);
    assert!(
        !wz.shown_fields(Page::Options)
            .contains(&F::IntegrationPackage)
    );
    key(&mut wz, KeyCode::Char(' ')); // integration service: yes
    assert!(
        wz.shown_fields(Page::Options)
            .contains(&F::IntegrationPackage)
    );
    // Yes without a package: the page refuses to go on.
    next(&mut wz);
    assert_eq!(wz.page, Page::Options);
    let screen = draw(&wz, 120, 30);
    assert!(
        screen.contains("the integration service package is empty"),
        "{screen}"
    );
    key(&mut wz, KeyCode::Char(' '));
    answer(&mut wz, Page::Options);
    next(&mut wz);
    reach_from(&mut wz, Page::Environments, Page::Summary);
    let (plan, _) = wz.to_plan();
    assert_eq!(plan.recipe.mode, UpgradeMode::Install);
    let setup = plan.recipe.integration_setup.unwrap();
    assert!(
        setup
            .package
            .to_string_lossy()
            .ends_with("Integration-2026.1-Setup.exe")
    );
    assert_eq!(setup.version, "2026.1");
    assert_eq!(
        plan.environments.production.unwrap().url.as_deref(),
        Some("http://crm/CRMSOCIETE")
    );
    assert_eq!(
        plan.environments.test.unwrap().url.as_deref(),
        Some("http://crm-test/CRMSOCIETE")
    );
    let summary = draw(&wz, 120, 30);
    for want in [
        "install",
        "http://crm/CRMSOCIETE",
        "Integration-2026.1-Setup.exe",
    ] {
        assert!(summary.contains(want), "{want}\n{summary}");
    }
}

/// Answer the pages from `from` up to `to` (the wizard is on `from`).
fn reach_from(wz: &mut Wizard, from: Page, to: Page) {
    for p in Page::ALL.iter().skip(from.index()) {
        if *p == to {
            break;
        }
        answer(wz, *p);
        next(wz);
    }
    assert_eq!(wz.page, to, "{}", draw(wz, 120, 30));
}

#[test]
fn a_version_has_the_product_form() {
    for (typed, ok) in [
        ("v2026", false),
        ("2026", false),
        ("2026.1.", false),
        ("2026.1", true),
        ("2027.12", true),
    ] {
        let mut wz = new();
        reach(&mut wz, Page::Installation);
        answer(&mut wz, Page::Installation);
        focus(&mut wz, F::Version);
        clear(&mut wz);
        typ(&mut wz, typed);
        next(&mut wz);
        assert_eq!(wz.page == Page::Sql, ok, "{typed}: {:?}", wz.notice);
        if !ok {
            let screen = draw(&wz, 80, 24);
            assert!(
                screen.contains("is not a version of the product"),
                "{screen}"
            );
            assert!(screen.contains("e.g. 2026.1"), "{screen}");
        }
    }
}

#[test]
fn relative_paths_say_what_they_are_relative_to() {
    let dir = tempfile::tempdir().unwrap();
    let mut wz = open(dir.path().join("bijou.toml"), None);
    reach(&mut wz, Page::Installation);
    answer(&mut wz, Page::Installation);
    focus(&mut wz, F::SetupPackage);
    clear(&mut wz);
    typ(&mut wz, "setup/crm-2026.1.exe");
    let screen = joined(&draw(&wz, 120, 30));
    let want = format!(
        "relative to the plan's folder {}: {}",
        dir.path().display(),
        dir.path().join("setup/crm-2026.1.exe").display()
    );
    assert!(screen.contains(&want), "{want}\n{screen}");
    // A back-office file is opened by the integration service on its own
    // server: a relative path means nothing there.
    let mut wz = new();
    reach(&mut wz, Page::Companies);
    key(&mut wz, KeyCode::Char('a'));
    focus_editor(&mut wz, F::MaeFile);
    typ(&mut wz, "BIJOU.MAE");
    key(&mut wz, KeyCode::Tab);
    typ(&mut wz, "Gestion\\BIJOU.GCM");
    key(&mut wz, KeyCode::Enter);
    assert!(wz.editor.is_some(), "a relative .gcm is kept");
    let screen = draw(&wz, 120, 30);
    assert!(screen.contains("is a relative path"), "{screen}");
}

fn focus_editor(wz: &mut Wizard, f: F) {
    for _ in 0..10 {
        let e = wz.editor.as_ref().unwrap();
        if e.fields[e.focus].id == f {
            return;
        }
        key(wz, KeyCode::Tab);
    }
    panic!("{f:?} not in the company editor");
}

#[test]
fn a_variable_name_is_asked_only_for_a_secret_from_the_environment() {
    let mut wz = new();
    assert!(draw(&wz, 80, 24).contains("Licence key variable"));
    focus(&mut wz, F::LicenceFrom);
    key(&mut wz, KeyCode::Char(' ')); // prompt
    let screen = draw(&wz, 80, 24);
    assert!(!screen.contains("Licence key variable"), "{screen}");
    assert!(!wz.shown_fields(Page::Company).contains(&F::LicenceEnv));
    key(&mut wz, KeyCode::Char(' ')); // env again
    assert!(draw(&wz, 80, 24).contains("Licence key variable"));
}

#[test]
fn two_empty_install_folders_are_empty_not_the_same_folder() {
    let mut wz = new();
    reach(&mut wz, Page::Environments);
    next(&mut wz);
    assert_eq!(wz.page, Page::Environments);
    let screen = draw(&wz, 120, 30);
    assert!(screen.contains("the install folder is empty"), "{screen}");
    assert!(!screen.contains("same install folder"), "{screen}");
}

#[test]
fn long_messages_wrap_at_words_and_are_never_cut() {
    // The connection test's answer at 120 columns.
    let msg = "connection refused by sql1.example.local\\CRM: nothing listens on that port. Check that the SQL Server service is started, that TCP/IP is enabled (SQL Server Configuration Manager), the port (1433 by default; a named instance uses host\\INSTANCE and the SQL Browser), and the firewall (the instance port is asked from the SQL Browser service on UDP 1434: check it runs)";
    for (w, h) in [(120, 30), (80, 24)] {
        let mut wz = new();
        reach(&mut wz, Page::Sql);
        answer(&mut wz, Page::Sql);
        wz.sql_test = SqlTest::Done(vec![TestLine {
            check: "sql.connect",
            ok: false,
            text: msg.into(),
        }]);
        focus(&mut wz, F::SqlTestPassword);
        all_words_shown(&draw(&wz, w, h), msg);
    }
    // A notice longer than the screen is wide.
    let mut wz = new();
    reach(&mut wz, Page::Sql);
    clear(&mut wz);
    ctrl(&mut wz, 't');
    let notice = wz.notice.clone().unwrap();
    assert!(notice.chars().count() > 80, "{notice}");
    all_words_shown(&draw(&wz, 80, 24), &notice);
    // The summary's paths at 80 columns.
    let mut wz = new();
    reach(&mut wz, Page::Environments);
    for (f, v) in [
        (F::TestInstall, "C:\\CRM\\Test"),
        (
            F::TestBackup,
            "E:\\Backup\\CRMSOCIETE\\Rehearsals\\Archives-2026",
        ),
        (F::ProdInstall, "C:\\Program Files (x86)\\Sage\\CRMSOCIETE"),
        (
            F::ProdBackup,
            "E:\\Backup\\CRMSOCIETE\\Production\\Archives-2026",
        ),
    ] {
        focus(&mut wz, f);
        typ(&mut wz, v);
    }
    next(&mut wz);
    reach_from(&mut wz, Page::Companies, Page::Summary);
    let screen = draw(&wz, 80, 24);
    for path in [
        "E:\\Backup\\CRMSOCIETE\\Rehearsals\\Archives-2026",
        "E:\\Backup\\CRMSOCIETE\\Production\\Archives-2026",
    ] {
        all_words_shown(&screen, path);
    }
}

/// Where the terminal cursor is after a draw, when it is shown.
fn cursor(wz: &Wizard, w: u16, h: u16) -> Option<(u16, u16)> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| dress::ui::wizard::render(wz, f)).unwrap();
    let b = t.backend();
    b.cursor_visible()
        .then(|| (b.cursor_position().x, b.cursor_position().y))
}

#[test]
fn the_focused_field_always_shows_the_cursor() {
    // An empty text field, a choice, a masked field, an editor's field.
    let mut wz = new();
    assert_eq!(cursor(&wz, 80, 24).map(|c| c.0), Some(23));
    focus(&mut wz, F::LicenceFrom);
    let (x, _) = cursor(&wz, 80, 24).expect("no cursor on a choice");
    assert!(x > 22, "{x}");
    let mut wz = new();
    reach(&mut wz, Page::Sql);
    focus(&mut wz, F::SqlTestPassword);
    assert!(cursor(&wz, 120, 30).is_some(), "no cursor on the password");
    let mut wz = new();
    reach(&mut wz, Page::Companies);
    key(&mut wz, KeyCode::Char('a'));
    focus_editor(&mut wz, F::MaeFile);
    let (x, y) = cursor(&wz, 80, 24).expect("no cursor in the company editor");
    let screen = draw(&wz, 80, 24);
    let line = screen.lines().nth(usize::from(y)).unwrap();
    assert!(
        line.contains("Accounting (.mae)"),
        "{x},{y}: {line}\n{screen}"
    );
}

#[test]
fn help_lists_every_key_of_the_key_maps() {
    let mut wz = new();
    // `?` in a text field is typed; F1 opens the list.
    typ(&mut wz, "Bijou?");
    assert_eq!(wz.f(F::Company).value(), "Bijou?");
    assert!(wz.help.is_none());
    key(&mut wz, KeyCode::F(1));
    assert!(wz.help.is_some());
    // Every binding of every map, scrolling through the list.
    let mut seen = String::new();
    for _ in 0..60 {
        seen.push_str(&joined(&draw(&wz, 80, 24).replace('│', " ")));
        seen.push(' ');
        key(&mut wz, KeyCode::Down);
    }
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let seen = squeeze(&seen);
    for map in dress::ui::wizard::keys::sections() {
        for b in map {
            assert!(seen.contains(b.label), "{} missing from the help", b.label);
            let what = squeeze((dress::ui::strings::w().act_help)(b.act));
            assert!(seen.contains(&what), "{what} missing from the help\n{seen}");
        }
    }
    key(&mut wz, KeyCode::Esc);
    assert!(wz.help.is_none());
    assert_eq!(
        wz.f(F::Company).value(),
        "Bijou?",
        "Esc closed the help only"
    );
    // On a choice, `?` types nothing: it opens the help.
    focus(&mut wz, F::LicenceFrom);
    key(&mut wz, KeyCode::Char('?'));
    assert!(wz.help.is_some());
    key(&mut wz, KeyCode::Char('q'));
    assert!(wz.help.is_none());
    assert!(draw(&wz, 80, 24).contains("F1 help"));
}
