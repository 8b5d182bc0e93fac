//! `dress topology` in a real terminal (tmux): the editor opens, edits a
//! cell, saves into the plan, leaves with q, and gives the terminal back.

use crate::common::tmux;
use crate::common::topology as topology_common;

use std::time::Duration;

use dress::model::Plan;
use topology_common::*;

#[test]
fn edit_save_and_quit_in_a_terminal() {
    if !tmux::available() {
        eprintln!("tmux not installed: not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plan = write_plan(dir.path(), PLAN);
    let state = dir.path().join("state");
    let code = dir.path().join("exit-code");
    let t = tmux::Tmux::start_with_exit_file(
        env!("CARGO_BIN_EXE_dress"),
        &["topology", plan.to_str().unwrap()],
        (100, 30),
        &[("DRESS_STATE_DIR", state.to_str().unwrap())],
        &code,
    )
    .unwrap();
    let d = Duration::from_secs(10);
    t.wait_for("No server yet", d).unwrap();
    t.keys(&["a", "Enter"]).unwrap();
    t.wait_for("Editing Server name", d).unwrap();
    t.literal("WEB1").unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("CRM server names          WEB1", d).unwrap();
    // Unsaved: q asks, n keeps the editor.
    t.keys(&["q"]).unwrap();
    t.wait_for("Quit without saving?", d).unwrap();
    t.keys(&["n", "s"]).unwrap();
    t.wait_for("Saved into", d).unwrap();
    t.keys(&["q"]).unwrap();
    assert!(
        t.wait_exit(Duration::from_secs(20)),
        "q did not leave the editor: {}",
        t.screen().unwrap_or_default()
    );
    assert_eq!(
        tmux::exit_code_from(&code, Duration::from_secs(20)),
        Some(0)
    );
    let plan: Plan = toml::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(plan.environments.test.unwrap().servers[0].name, "WEB1");
}

/// The guide's worksheet (SQL server, web master, two secondaries with
/// their shares) typed from nothing in a real terminal, saved, validated
/// and shown as the stages it gives.
#[test]
fn guide_four_server_worksheet_from_nothing() {
    if !tmux::available() {
        eprintln!("tmux not installed: not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut doc: toml_edit::DocumentMut = FOUR.parse().unwrap();
    for env in ["test", "production"] {
        doc["environments"][env]
            .as_table_mut()
            .unwrap()
            .remove("servers");
    }
    let plan = write_plan(dir.path(), &doc.to_string());
    let state = dir.path().join("state");
    let code = dir.path().join("exit-code");
    let t = tmux::Tmux::start_with_exit_file(
        env!("CARGO_BIN_EXE_dress"),
        &["topology", plan.to_str().unwrap(), "--env", "production"],
        (120, 30),
        &[("DRESS_STATE_DIR", state.to_str().unwrap())],
        &code,
    )
    .unwrap();
    let d = Duration::from_secs(10);
    t.wait_for("No server yet", d).unwrap();
    // A cell: Enter, the text, Enter; then the next column.
    let cell = |text: &str| {
        t.keys(&["Enter"]).unwrap();
        t.literal(text).unwrap();
        t.keys(&["Enter"]).unwrap();
    };
    let share = |name: &str| format!(r"\\{name}\c$\Program Files (x86)\Sage\CRM\CRMSAGE");
    // The SQL server: added as a web master (none yet), role cycled to SQL.
    t.keys(&["a"]).unwrap();
    cell("SQL1");
    t.keys(&["Right"]).unwrap();
    cell("sql1.example.local");
    t.keys(&["Left", "Left", "Left", "Space", "Space"]).unwrap();
    t.wait_for("SQL server", d).unwrap();
    // The master, with every service.
    t.keys(&["a"]).unwrap();
    cell("WEB1");
    for v in ["web1.example.local", "fd00::11"] {
        t.keys(&["Right"]).unwrap();
        cell(v);
    }
    t.keys(&["Left", "Left", "Left", "Enter"]).unwrap();
    t.keys(&["Space", "Down", "Space", "Down", "Space", "Enter"])
        .unwrap();
    // Two secondaries with their shares.
    for (name, n) in [("WEB2", 12), ("WEB3", 13)] {
        t.keys(&["a"]).unwrap();
        cell(name);
        for v in [
            format!("{}.example.local", name.to_lowercase()),
            format!("fd00::{n}"),
            share(name),
        ] {
            t.keys(&["Right"]).unwrap();
            cell(&v);
        }
    }
    t.wait_for("The worksheet is valid.", d).unwrap();
    t.wait_for("WEB1;WEB2;WEB3", d).unwrap();
    t.keys(&["s"]).unwrap();
    t.wait_for("Saved into", d).unwrap();
    t.keys(&["q"]).unwrap();
    assert!(
        t.wait_exit(Duration::from_secs(20)),
        "q did not leave the editor: {}",
        t.screen().unwrap_or_default()
    );
    assert_eq!(
        tmux::exit_code_from(&code, Duration::from_secs(20)),
        Some(0)
    );

    let rows = saved_rows(&plan, dress::model::EnvKind::Production);
    let names: Vec<&str> = rows.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["SQL1", "WEB1", "WEB2", "WEB3"]);
    assert_eq!(rows[0].role, dress::model::plan::Role::Sql);
    assert_eq!(rows[1].services.len(), 3);
    assert_eq!(
        rows[3].install_path.as_deref(),
        Some(std::path::Path::new(&share("WEB3")))
    );
    let dress = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
            .args(args)
            .arg(&plan)
            .env("DRESS_STATE_DIR", &state)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "dress {args:?}:\n{text}");
        text
    };
    dress(&["plan", "validate"]);
    let shown = dress(&[
        "plan",
        "show",
        "--env",
        "production",
        "--stage",
        "multiserver",
    ]);
    for want in [
        "multiserver/setup-web1",
        "multiserver/sync-web2  Copy the master's customised files to WEB2  (files.sync",
        "multiserver/sync-web3  Copy the master's customised files to WEB3  (files.sync",
        r"\\WEB3\c$\Program Files (x86)\Sage\CRM\CRMSAGE",
        "WEB1;WEB2;WEB3",
    ] {
        assert!(shown.contains(want), "{want}\n{shown}");
    }
    assert!(!shown.contains("by hand"), "{shown}");
}
