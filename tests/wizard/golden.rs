//! Golden tests: the plan files the wizard writes for scripted answers are
//! exactly the `tests/fixtures/wizard/*.toml` files, and load back to the
//! plan the wizard had (round trip through `model::load`).
//!
//! After an intended change of the output, rewrite the expected files with
//! `DRESS_BLESS=1 cargo test --test wizard golden` and review the diff.

use crate::common::wizard as wizard_support;

use std::path::Path;

use crossterm::event::KeyCode;
use dress::model::load::load_plan;
use dress::ui::wizard::Wizard;
use dress::ui::wizard::fields::F;
use dress::ui::wizard::fields::Page;
use wizard_support::*;

/// Save what `answers` typed into a new plan and compare with the golden file.
fn golden(name: &str, answers: impl Fn(&mut Wizard)) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.toml"));
    let mut wz = open(path.clone(), None);
    answers(&mut wz);
    assert_eq!(wz.page, Page::Summary, "{}", draw(&wz, 120, 30));
    let (plan, extra) = wz.to_plan();
    assert!(extra.is_empty());
    let out = key(&mut wz, KeyCode::Enter);
    assert!(out.exit && wz.saved, "{:?}", wz.notice);
    let text = std::fs::read_to_string(&path).unwrap();
    let expected = Path::new("tests/fixtures/wizard").join(format!("{name}.toml"));
    if std::env::var_os("DRESS_BLESS").is_some() {
        std::fs::write(&expected, &text).unwrap();
    }
    assert_eq!(
        text,
        std::fs::read_to_string(&expected).unwrap(),
        "{} differs (DRESS_BLESS=1 rewrites it)",
        expected.display()
    );
    assert_eq!(load_plan(&path).unwrap().plan, plan, "round trip of {name}");
}

#[test]
fn scripted_customer_with_integration_and_proxy() {
    golden("bijou", scripted);
}

#[test]
fn prompts_no_integration_no_proxy() {
    golden("sage_prompts", |wz| {
        typ(wz, "Sage");
        tab(wz, 1);
        key(wz, KeyCode::Char(' ')); // licence key asked at the start of the run
        next(wz);
        focus(wz, F::Version);
        typ(wz, "2026.1");
        tab(wz, 1);
        typ(wz, "setup\\crm-setup.exe");
        next(wz);
        typ(wz, "10.0.0.5,1433");
        tab(wz, 1);
        clear(wz);
        typ(wz, "crm_admin");
        tab(wz, 3);
        key(wz, KeyCode::Right); // password asked at the start of the run
        next(wz);
        focus(wz, F::Encryption);
        key(wz, KeyCode::Char(' ')); // encryption: off
        next(wz);
        typ(wz, "\\\\TESTSRV\\c$\\Sage\\CRMSAGE");
        tab(wz, 1);
        typ(wz, "E:\\Backup");
        focus(wz, F::ProdInstall);
        typ(wz, "C:\\Program Files (x86)\\Sage\\CRMSAGE");
        tab(wz, 1);
        typ(wz, "E:\\Backup\\Prod");
        next(wz);
        next(wz);
    });
}
