//! Editing an existing commented plan through the wizard: what was not
//! changed stays byte for byte (comments, blank lines, key order, defaults
//! left out), the one value changed is written in place.

use crate::common::wizard as wizard_support;

use crossterm::event::KeyCode;
use dress::model::load::load_plan;
use dress::ui::wizard::Wizard;
use dress::ui::wizard::fields::{F, Page};
use wizard_support::*;

const EXAMPLE: &str = include_str!("../../examples/crm.toml");

/// Open a copy of the example plan, let `edit` change it, save from the
/// summary, and return the text written.
fn edit_and_save(edit: impl Fn(&mut Wizard)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.toml");
    std::fs::write(&path, EXAMPLE).unwrap();
    let mut wz = open(path.clone(), Some(EXAMPLE.to_string()));
    edit(&mut wz);
    while wz.page != Page::Summary {
        let before = wz.page;
        next(&mut wz);
        assert_ne!(wz.page, before, "{}", draw(&wz, 120, 30));
    }
    let out = key(&mut wz, KeyCode::Enter);
    assert!(out.exit && wz.saved, "{:?}", wz.notice);
    let text = std::fs::read_to_string(&path).unwrap();
    load_plan(&path).unwrap();
    text
}

#[test]
fn opening_and_saving_changes_nothing() {
    assert_eq!(edit_and_save(|_| {}), EXAMPLE);
}

#[test]
fn one_changed_value_is_the_only_difference() {
    // The setup arguments: a value with no rule tying it to another one (the
    // target version, for instance, must match the integration installer's).
    let text = edit_and_save(|wz| {
        next(wz);
        focus(wz, F::SetupArgs);
        typ(wz, " /norestart");
    });
    let before: Vec<&str> = EXAMPLE.lines().collect();
    let after: Vec<&str> = text.lines().collect();
    assert_eq!(before.len(), after.len(), "{text}");
    let changed: Vec<(&&str, &&str)> = before
        .iter()
        .zip(after.iter())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].0.starts_with("args =") && changed[0].1.contains("/norestart"),
        "{changed:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("crm.toml");
    std::fs::write(&p, &text).unwrap();
    let plan = load_plan(&p).unwrap().plan;
    assert_eq!(
        plan.recipe.setup.unwrap().args.last().map(String::as_str),
        Some("/norestart")
    );
}

#[test]
fn a_changed_company_title_keeps_the_other_companies_and_comments() {
    let before = load_plan("examples/crm.toml").unwrap().plan;
    let first = before.integration.companies[0].title.clone();
    let text = edit_and_save(|wz| {
        for _ in 0..5 {
            next(wz);
        }
        assert_eq!(wz.page, Page::Companies);
        key(wz, KeyCode::Enter);
        clear(wz);
        typ(wz, "Compta Île & Co");
        ctrl(wz, 's'); // keep the company
    });
    let expected = EXAMPLE.replacen(
        &format!("title = \"{first}\""),
        "title = \"Compta Île & Co\"",
        1,
    );
    assert_ne!(expected, EXAMPLE);
    assert_eq!(text, expected);
}

#[test]
fn an_added_proxy_is_a_new_table_and_the_rest_stays() {
    let text = edit_and_save(|wz| {
        for _ in 0..3 {
            next(wz);
        }
        assert_eq!(wz.page, Page::Options);
        focus(wz, F::ProxyHost);
        typ(wz, "proxy.example.local");
        tab(wz, 1);
        typ(wz, "8080");
    });
    assert!(text.starts_with(EXAMPLE.split("[deployment]").next().unwrap()));
    assert!(
        text.contains("[deployment.proxy]\nhost = \"proxy.example.local\"\nport = 8080\n"),
        "{text}"
    );
    assert!(!text.contains("password = { env = \"CRM_PROXY_PASSWORD\" }"));
    let without: String = text.replace(
        "[deployment.proxy]\nhost = \"proxy.example.local\"\nport = 8080\n",
        "",
    );
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&without), strip(EXAMPLE));
}
