//! Snapshots of every wizard page, with and without errors, at 80x24 and
//! 120x30. Stored in the top-level `snapshots/` folder (names starting with
//! `wizard_`); review changes with `cargo insta review`.

use crate::common::wizard as wizard_support;

use crossterm::event::KeyCode;
use dress::ui::wizard::Wizard;
use dress::ui::wizard::fields::{F, Page};
use wizard_support::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 30)];

fn snap(name: &str, text: String) {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_snapshot!(name, text));
}

/// Both sizes of one state, set up by `prepare` on a new plan; then the
/// same in French (`wizard_NAME_fr_WxH`).
fn both(name: &str, prepare: impl Fn(&mut Wizard)) {
    for (w, h) in SIZES {
        let mut wz = open("plans/bijou.toml".into(), None);
        prepare(&mut wz);
        snap(&format!("wizard_{name}_{w}x{h}"), draw(&wz, w, h));
    }
    dress::model::lang::scoped(dress::model::lang::Lang::Fr, || {
        for (w, h) in SIZES {
            let mut wz = open("plans/bijou.toml".into(), None);
            prepare(&mut wz);
            snap(&format!("wizard_{name}_fr_{w}x{h}"), draw(&wz, w, h));
        }
    });
}

#[test]
fn company_page() {
    both("company_new", |_| {});
    both("company_errors", |wz| {
        typ(wz, " ");
        next(wz);
    });
    both("company_ok", |wz| answer(wz, Page::Company));
}

#[test]
fn installation_page() {
    both("installation_errors", |wz| {
        reach(wz, Page::Installation);
        focus(wz, F::Installation);
        clear(wz);
        typ(wz, "CRM SOCIÉTÉ-2026");
        focus(wz, F::Version);
        typ(wz, "v2026");
        focus(wz, F::SetupPackage);
        next(wz);
    });
    both("installation_ok", |wz| {
        reach(wz, Page::Installation);
        answer(wz, Page::Installation);
    });
}

#[test]
fn sql_page() {
    both("sql_errors", |wz| {
        reach(wz, Page::Sql);
        typ(wz, "sql1,99999");
        tab(wz, 2);
        clear(wz);
        typ(wz, "2CRM");
        tab(wz, 1);
        clear(wz);
        typ(wz, "2CRM");
        tab(wz, 2);
        clear(wz);
        typ(wz, "1PASSWORD");
        tab(wz, 1);
        typ(wz, "secret-typed");
    });
    both("sql_ok", |wz| {
        reach(wz, Page::Sql);
        answer(wz, Page::Sql);
        tab(wz, 6);
        typ(wz, "secret-typed");
    });
}

#[test]
fn options_page() {
    both("options_errors", |wz| {
        reach(wz, Page::Options);
        tab(wz, 2);
        key(wz, KeyCode::Char(' ')); // demo database on a customer installation
        tab(wz, 3);
        typ(wz, "proxy.example.local");
        tab(wz, 1);
        typ(wz, "31x8");
        tab(wz, 1);
        typ(wz, "crm-proxy");
        tab(wz, 2);
        clear(wz);
        typ(wz, "PROXY PW");
        next(wz);
    });
    both("options_ok", |wz| {
        reach(wz, Page::Options);
        answer(wz, Page::Options);
    });
}

#[test]
fn environments_page() {
    both("environments_errors", |wz| {
        reach(wz, Page::Environments);
        typ(wz, "C:\\CRM");
        tab(wz, 1);
        typ(wz, "C:\\CRM\\Backup");
        tab(wz, 1);
        typ(wz, "crm-test/CRMSOCIETE");
        focus(wz, F::ProdInstall);
        typ(wz, "c:/crm/");
        tab(wz, 1);
        next(wz);
    });
    both("environments_ok", |wz| {
        reach(wz, Page::Environments);
        answer(wz, Page::Environments);
    });
}

#[test]
fn companies_page() {
    both("companies_empty", |wz| reach(wz, Page::Companies));
    both("companies_table", |wz| {
        reach(wz, Page::Companies);
        answer(wz, Page::Companies);
        key(wz, KeyCode::Char('a'));
        clear(wz);
        typ(wz, "Société Générale — Filiale n°2 (Île-de-Fr.) & Cie");
        tab(wz, 5);
        typ(wz, "C:\\Sage\\SG2.mae");
        tab(wz, 1);
        typ(wz, "C:\\Sage\\SG2.gcm");
        key(wz, KeyCode::Enter);
    });
    both("companies_editor_errors", |wz| {
        reach(wz, Page::Companies);
        answer(wz, Page::Companies);
        key(wz, KeyCode::Char('a'));
        typ(wz, "SAGE100");
        tab(wz, 5);
        typ(wz, "C:\\Sage\\COMPTA.gcm");
        tab(wz, 1);
        typ(wz, "C:\\Sage\\GESTION");
        key(wz, KeyCode::Enter);
    });
    both("companies_confirm_delete", |wz| {
        reach(wz, Page::Companies);
        answer(wz, Page::Companies);
        key(wz, KeyCode::Char('d'));
    });
}

#[test]
fn summary_page() {
    both("summary_ok", scripted);
    both("summary_errors", |wz| {
        answer(wz, Page::Company);
        wz.page = Page::Summary;
    });
    both("quit_confirm", |wz| {
        answer(wz, Page::Company);
        key(wz, KeyCode::Esc);
    });
}

#[test]
fn help_page() {
    both("help", |wz| {
        key(wz, KeyCode::F(1));
    });
}
