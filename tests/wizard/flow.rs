//! The wizard driven by keys from an empty plan to a saved file, checked by
//! the real binary; and the rules each page enforces.

use crate::common::wizard as wizard_support;

use crossterm::event::KeyCode;
use dress::ui::wizard::fields::Page;
use wizard_support::*;

#[test]
fn keys_from_empty_plan_to_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bijou.toml");
    let mut wz = open(path.clone(), None);
    scripted(&mut wz);
    assert_eq!(wz.page, Page::Summary, "{}", draw(&wz, 120, 30));
    let out = key(&mut wz, KeyCode::Enter);
    assert!(out.exit, "{:?}", wz.notice);
    assert!(wz.saved);
    let text = std::fs::read_to_string(&path).unwrap();
    println!("{text}");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
        .args(["plan", "validate"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}\n{}\n{text}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("the plan is valid"));
}
