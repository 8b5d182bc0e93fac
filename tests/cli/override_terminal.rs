//! `--override-gate` on a terminal asks twice, and the second answer is the
//! word OVERRIDE: a reflex "y" does not open production.

use std::time::Duration;

use crate::common::Sandbox;
use crate::common::tmux::{self, Tmux, exit_code_from};

const SIZE: (u16, u16) = (160, 40);

fn start(sb: &Sandbox, code: &std::path::Path, lang: &str) -> Tmux {
    let plan = sb.dir.join("sandbox.toml");
    let state = sb.state.to_string_lossy().into_owned();
    Tmux::start_with_exit_file(
        env!("CARGO_BIN_EXE_dress"),
        &[
            "--lang",
            lang,
            "--state-dir",
            &state,
            "run",
            &plan.to_string_lossy(),
            "--env",
            "production",
            "--stage",
            "production",
            "--override-gate",
            "vendor hotfix",
        ],
        SIZE,
        &[("DRESS_LICENCE_KEY", crate::common::SANDBOX_LICENCE_KEY)],
        code,
    )
    .unwrap()
}

#[test]
fn a_reflex_yes_to_the_second_question_does_not_override_the_gate() {
    if !tmux::available() {
        eprintln!("tmux is not installed: skipped");
        return;
    }
    let sb = Sandbox::new();
    let code = sb.dir.join("code");
    let t = start(&sb, &code, "en");
    t.wait_for("without a passed rehearsal? [y/N]", Duration::from_secs(20))
        .unwrap();
    t.literal("y").unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("Type OVERRIDE to go on", Duration::from_secs(10))
        .unwrap();
    t.literal("y").unwrap();
    t.keys(&["Enter"]).unwrap();
    assert_eq!(exit_code_from(&code, Duration::from_secs(20)), Some(2));
    let screen = t.screen().unwrap();
    assert!(
        screen.contains("the override was not confirmed: nothing was run"),
        "{screen}"
    );
    assert!(sb.runs().is_empty(), "no run was opened");
}

#[test]
fn the_word_override_goes_on_to_the_next_question_in_french_too() {
    if !tmux::available() {
        eprintln!("tmux is not installed: skipped");
        return;
    }
    let sb = Sandbox::new();
    let code = sb.dir.join("code");
    let t = start(&sb, &code, "fr");
    t.wait_for(
        "sans répétition générale réussie ? [o/N]",
        Duration::from_secs(20),
    )
    .unwrap();
    t.literal("o").unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("Tapez OVERRIDE pour continuer", Duration::from_secs(10))
        .unwrap();
    t.literal("OVERRIDE").unwrap();
    t.keys(&["Enter"]).unwrap();
    // The override was taken: the next question is the usual one about the
    // steps that change the system; "non" leaves everything as it was.
    t.wait_for("Continuer ? [o/N]", Duration::from_secs(10))
        .unwrap();
    t.literal("non").unwrap();
    t.keys(&["Enter"]).unwrap();
    assert_eq!(exit_code_from(&code, Duration::from_secs(20)), Some(2));
    let screen = t.screen().unwrap();
    assert!(screen.contains("rien n'a été lancé"), "{screen}");
    assert!(sb.runs().is_empty(), "no run was opened");
}
