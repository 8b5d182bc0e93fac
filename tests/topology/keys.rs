//! The editor driven by keys only: build the guide's example worksheet,
//! save it into a plan with comments, check the file, the derived settings
//! and `dress plan validate` on it.

use crate::common::topology as topology_common;

use KeyCode::{Char, Down, Enter, Esc, Left, Right, Up};
use crossterm::event::{KeyCode, KeyModifiers};
use dress::model::Plan;
use dress::model::plan::{Role, Service};
use dress::model::topology::Column;
use dress::ui::topology::state::Mode;
use topology_common::*;

/// Fill the current row from the name column: name, address, IPv6.
fn fill_row(ed: &mut dress::ui::topology::state::Editor, name: &str, addr: &str, v6: &str) {
    for (i, v) in [name, addr, v6].iter().enumerate() {
        if i > 0 {
            press(ed, &[Right]);
        }
        press(ed, &[Enter]);
        typ(ed, v);
        press(ed, &[Enter]);
    }
    // Back to the services column.
    press(ed, &[Left, Left, Left]);
}

#[test]
fn guide_example_built_with_keys_is_saved_with_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(dir.path(), PLAN);
    let mut ed = editor(&path);
    assert!(ed.rows.is_empty());

    // SQL server: added as a web master (none yet), cycled to SQL with Space.
    press(&mut ed, &[Char('a')]);
    fill_row(&mut ed, "SQL1", "sql1.example.local", "fd00::10");
    press(&mut ed, &[Left, Char(' '), Char(' ')]);
    assert_eq!(ed.rows[0].role, Role::Sql);
    // The master with the e-mail manager (picker: first entry).
    press(&mut ed, &[Char('a')]);
    assert_eq!(ed.rows[1].role, Role::WebMaster);
    fill_row(&mut ed, "WEB1", "web1.example.local", "fd00::11");
    press(&mut ed, &[Enter, Char(' '), Enter]);
    // Secondary with escalation.
    press(&mut ed, &[Char('a')]);
    assert_eq!(ed.rows[2].role, Role::WebSecondary);
    fill_row(&mut ed, "WEB2", "web2.example.local", "fd00::12");
    press(&mut ed, &[Char(' '), Down, Char(' '), Char('q')]);
    // Secondary with the indexer; a typo corrected in place, one edit
    // cancelled with Esc.
    press(&mut ed, &[Char('a')]);
    fill_row(&mut ed, "WEB3", "web3.example.local", "fd00::1x");
    press(&mut ed, &[Right, Right, Right]);
    assert_eq!(ed.column(), Column::Ipv6);
    assert!(ed.error_at(3, Column::Ipv6).is_some());
    press(&mut ed, &[Enter, KeyCode::Backspace]);
    typ(&mut ed, "3");
    press(&mut ed, &[Enter, Left, Enter]);
    typ(&mut ed, "NOPE");
    press(&mut ed, &[Esc]);
    assert_eq!(ed.rows[3].address, "web3.example.local");
    press(&mut ed, &[Left, Left, Enter, Up, Char(' '), Esc]);
    assert_eq!(ed.rows[3].services, vec![Service::Indexer]);
    assert!(ed.errors.is_empty(), "{:?}", ed.errors);
    assert!(ed.dirty);

    // Moving the master down breaks the rule, moving it back fixes it.
    press(&mut ed, &[Up, Up]);
    assert_eq!(ed.row, 1);
    ed.col = 0;
    press(&mut ed, &[Char('J')]);
    assert!(ed.error_at(2, Column::Role).is_some());
    key(&mut ed, Up, KeyModifiers::SHIFT);
    assert_eq!(ed.rows[1].name, "WEB1");
    assert!(ed.errors.is_empty());

    // Delete asks and defaults to No.
    press(&mut ed, &[Char('d')]);
    assert!(matches!(ed.mode, Mode::ConfirmDelete { yes: false }));
    press(&mut ed, &[Enter]);
    assert_eq!(ed.rows.len(), 4);

    press(&mut ed, &[Char('s')]);
    let note = ed.note.clone().unwrap();
    assert!(!note.error, "{}", note.text);
    assert!(!ed.dirty);

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Deployment of ACME's CRM (kept by the editor)\n"));
    assert!(text.contains("# The test environment: a copy of production"));
    assert!(text.contains("   # program files"));
    let servers_at = text.find("[[environments.test.servers]]").unwrap();
    let prod_at = text.find("# Production comes after").unwrap();
    assert!(servers_at < prod_at, "{text}");
    let plan: Plan = toml::from_str(&text).unwrap();
    let env = plan.environments.test.unwrap();
    let names: Vec<&str> = env.servers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["SQL1", "WEB1", "WEB2", "WEB3"]);
    assert_eq!(env.servers[1].services, vec![Service::EmailManager]);
    assert_eq!(env.servers[2].services, vec![Service::Escalation]);
    assert_eq!(env.perform_load_balancing, None);

    let lb = dress::model::lb_params::env_settings(&env);
    assert_eq!(lb.crm_server_names, "WEB1;WEB2;WEB3");
    assert_eq!(lb.ipv6_addresses, "fd00::11;fd00::12;fd00::13");
    assert!(lb.perform_load_balancing);
    assert_eq!(
        lb.fqdn_names,
        "web1.example.local;web2.example.local;web3.example.local"
    );
    assert_eq!(lb.dtls_server, "WEB1");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
        .args(["plan", "validate"])
        .arg(&path)
        .env("DRESS_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn balancing_choice_is_saved_and_quit_asks_when_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(dir.path(), PLAN);
    let mut ed = editor(&path);
    ed.rows = three_web();
    ed.revalidate();
    assert!(ed.settings().perform_load_balancing);
    // derived, true, false: two presses choose false.
    press(&mut ed, &[Char('b'), Char('b')]);
    assert!(!ed.settings().perform_load_balancing);
    assert!(ed.dirty);
    // q asks; the default answer (No) keeps the editor open.
    let out = dress::ui::topology::update::update(
        &mut ed,
        dress::ui::topology::update::Msg::Key(crossterm::event::KeyEvent::new(
            Char('q'),
            KeyModifiers::NONE,
        )),
    );
    assert!(!out.quit);
    assert!(matches!(ed.mode, Mode::ConfirmQuit { yes: false }));
    press(&mut ed, &[Enter]);
    assert!(matches!(ed.mode, Mode::Table));
    press(&mut ed, &[Char('s')]);
    let plan: Plan = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        plan.environments.test.unwrap().perform_load_balancing,
        Some(false)
    );
    // Saved: q leaves at once.
    let out = dress::ui::topology::update::update(
        &mut ed,
        dress::ui::topology::update::Msg::Key(crossterm::event::KeyEvent::new(
            Char('q'),
            KeyModifiers::NONE,
        )),
    );
    assert!(out.quit);
}

#[test]
fn only_key_presses_count() {
    let mut ed = editor_with(three_web());
    let mut k = crossterm::event::KeyEvent::new(Char('a'), KeyModifiers::NONE);
    k.kind = crossterm::event::KeyEventKind::Release;
    dress::ui::topology::update::update(&mut ed, dress::ui::topology::update::Msg::Key(k));
    assert_eq!(ed.rows.len(), 4);
    press(&mut ed, &[Char('a')]);
    assert_eq!(ed.rows.len(), 5);
}

/// Deleting a row and quitting with unsaved changes ask first, on No:
/// Enter, Esc and q answer No.
#[test]
fn questions_open_on_no_and_esc_answers_no() {
    for k in [Enter, Esc, Char('q'), Char('n')] {
        let mut ed = editor_with(three_web());
        let n = ed.rows.len();
        press(&mut ed, &[Char('d')]);
        assert!(matches!(ed.mode, Mode::ConfirmDelete { yes: false }));
        press(&mut ed, &[k]);
        assert!(matches!(ed.mode, Mode::Table), "{k:?}");
        assert_eq!(ed.rows.len(), n, "{k:?} deleted the row");
    }
    for k in [Enter, Esc, Char('q')] {
        let mut ed = editor_with(three_web());
        press(&mut ed, &[Char('b')]);
        assert!(ed.dirty);
        let out = dress::ui::topology::update::update(
            &mut ed,
            dress::ui::topology::update::Msg::Key(crossterm::event::KeyEvent::new(
                Char('q'),
                KeyModifiers::NONE,
            )),
        );
        assert!(!out.quit, "unsaved: asks first");
        let out = dress::ui::topology::update::update(
            &mut ed,
            dress::ui::topology::update::Msg::Key(crossterm::event::KeyEvent::new(
                k,
                KeyModifiers::NONE,
            )),
        );
        assert!(!out.quit, "{k:?} quit without saving");
        assert!(matches!(ed.mode, Mode::Table), "{k:?}");
    }
}

/// The list of keys closes with q, Esc or ? and never quits the editor.
#[test]
fn the_help_closes_with_q_esc_or_question_mark_and_never_quits() {
    for k in [Char('q'), Esc, Char('?')] {
        let mut ed = editor_with(three_web());
        press(&mut ed, &[Char('?')]);
        assert!(matches!(ed.mode, Mode::Help { .. }));
        let out = dress::ui::topology::update::update(
            &mut ed,
            dress::ui::topology::update::Msg::Key(crossterm::event::KeyEvent::new(
                k,
                KeyModifiers::NONE,
            )),
        );
        assert!(!out.quit, "{k:?} quit from the help");
        assert!(matches!(ed.mode, Mode::Table), "{k:?}");
    }
}
