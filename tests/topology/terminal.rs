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
    let t = tmux::Tmux::start(
        env!("CARGO_BIN_EXE_dress"),
        &["topology", plan.to_str().unwrap()],
        (100, 30),
        &[("DRESS_STATE_DIR", state.to_str().unwrap())],
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
    let t0 = std::time::Instant::now();
    while t.exit_status().unwrap().is_none() {
        assert!(t0.elapsed() < d, "q did not leave the editor");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(t.exit_status().unwrap(), Some(0));
    let plan: Plan = toml::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(plan.environments.test.unwrap().servers[0].name, "WEB1");
}
