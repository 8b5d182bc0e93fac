//! A rehearsal in French, in a real terminal (tmux) on the real binary,
//! chosen by the system locale alone: the stages in the vendor guide's
//! words, uncut at 80x24; the backup, the test environment, the trial
//! upgrade and the signed verification run from the keyboard with French
//! answers; the run is recorded in French and reported in French.
#![cfg(unix)]

use std::time::{Duration, Instant};

use crate::common::{Sandbox, tmux};
use crate::e2e_tui::tmux_or_skip;
use dress::engine::RunState;

const D: Duration = Duration::from_secs(30);

const STAGES: [&str; 7] = [
    "Prérequis",
    "Sauvegarde",
    "Environnement de test",
    "Test de mise à jour",
    "Vérification",
    "Mise à jour réelle",
    "Contrôle",
];

/// The stages pane: the lines under its top border.
fn stages_pane(screen: &str) -> String {
    screen
        .lines()
        .skip(1)
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
}

fn select(t: &tmux::Tmux, title: &str) {
    for _ in 0..12 {
        if t.screen().unwrap().contains(&format!("Étapes : {title}")) {
            return;
        }
        t.keys(&["l"]).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    panic!("phase {title} introuvable :\n{}", t.screen().unwrap());
}

fn wait_passed(t: &tmux::Tmux, title: &str) {
    let t0 = Instant::now();
    loop {
        let s = t.screen().unwrap();
        if stages_pane(&s).contains(&format!("[x] {title}")) {
            return;
        }
        assert!(t0.elapsed() < D, "{title} n'a pas réussi :\n{s}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_rehearsal_in_french_from_the_keyboard() {
    if !tmux_or_skip() {
        return;
    }
    let sb = Sandbox::new();
    let code = sb.dir.join("exit-code");
    let plan = sb.dir.join("sandbox.toml");
    let state = sb.state.to_string_lossy().into_owned();
    let t = tmux::Tmux::start_with_exit_file(
        env!("CARGO_BIN_EXE_dress"),
        &[plan.to_str().unwrap(), "--state-dir", &state],
        (80, 24),
        &[
            ("LANG", "fr_FR.UTF-8"),
            ("LC_ALL", ""),
            ("LC_MESSAGES", ""),
            ("LANGUAGE", ""),
            ("DRESS_LANG", ""),
            ("DRESS_LICENCE_KEY", crate::common::SANDBOX_LICENCE_KEY),
        ],
        &code,
    )
    .unwrap();
    let first = t.wait_for("Étapes : Prérequis", D).unwrap();
    let pane = stages_pane(&first);
    for title in STAGES {
        assert!(
            pane.contains(title),
            "« {title} » coupé ou absent :\n{first}"
        );
    }
    let bar = first.lines().nth(22).unwrap_or_default();
    assert!(bar.contains("env. : test"), "{first}");

    for title in ["Sauvegarde", "Environnement de test", "Test de mise à jour"] {
        select(&t, title);
        t.keys(&["Enter"]).unwrap();
        t.wait_for("< Non >", D).unwrap();
        // « o » for « oui ».
        t.keys(&["o"]).unwrap();
        wait_passed(&t, title);
    }
    select(&t, "Vérification");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("L'environnement de test mis à jour a été vérifié", D)
        .unwrap();
    t.keys(&["Space", "Tab"]).unwrap();
    t.literal("pages vérifiées").unwrap();
    t.keys(&["Enter"]).unwrap();
    wait_passed(&t, "Vérification");
    t.keys(&["q"]).unwrap();
    assert_eq!(
        tmux::exit_code_from(&code, D),
        Some(0),
        "{}",
        t.screen().unwrap()
    );

    let runs = sb.runs();
    let run = runs.last().unwrap();
    let st = RunState::from_events(
        &dress::engine::journal::load(&sb.state.join("runs").join(run))
            .unwrap()
            .events,
    );
    assert_eq!(st.lang, Some(dress::model::lang::Lang::Fr));
    assert!(
        dress::engine::rehearsal::stage_passed(&st, dress::recipe::StageId::Verify),
        "the signed verification passed"
    );
    // The titles the journal keeps are the French ones.
    assert!(
        st.steps
            .iter()
            .any(|s| s.planned.title == "Archiver les fichiers du programme"),
        "{:?}",
        st.steps
            .iter()
            .map(|s| &s.planned.title)
            .collect::<Vec<_>>()
    );
    // Reported in French, whatever the reader's locale.
    let md = sb.run(&["report", run]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("# Exécution") && md.contains("réussie"), "{md}");
}
