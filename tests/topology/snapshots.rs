//! Snapshots of the topology editor at 80x24 and 120x30: empty, a valid
//! three-web-server worksheet with its settings, each validation error, and
//! the picker, help, question and editing states. Stored in `snapshots/`
//! (names start with `topology_`); review changes with `cargo insta review`.

use crate::common::topology as topology_common;

use crossterm::event::KeyCode;
use crossterm::event::KeyCode::{Char, Down, Enter, Right};
use dress::model::plan::{Role, Server, Service};
use dress::ui::topology::state::{Editor, SqlCheck};
use ratatui::style::{Color, Modifier};
use topology_common::*;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 30)];

/// Both sizes of the editor's screen, then the same in French
/// (`topology_NAME_fr_WxH`; the plan's validation messages come from
/// `src/model` as they are).
fn snap(name: &str, ed: &Editor) {
    snap_en(name, ed);
    snap_fr(name, ed);
}

fn snap_en(name: &str, ed: &Editor) {
    for (w, h) in SIZES {
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path("../../snapshots");
        s.set_prepend_module_to_snapshot(false);
        let text = screen(ed, w, h);
        s.bind(|| insta::assert_snapshot!(format!("topology_{name}_{w}x{h}"), text));
    }
}

/// The French snapshots only, for a state built in French (a note).
fn snap_fr(name: &str, ed: &Editor) {
    for (w, h) in SIZES {
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path("../../snapshots");
        s.set_prepend_module_to_snapshot(false);
        let text = dress::model::lang::scoped(dress::model::lang::Lang::Fr, || screen(ed, w, h));
        s.bind(|| insta::assert_snapshot!(format!("topology_{name}_fr_{w}x{h}"), text));
    }
}

/// Cells of the table drawn in the error style (default theme: bold
/// light red), as (column, row) of the screen.
fn error_cells(ed: &Editor) -> Vec<(u16, u16)> {
    let t = draw(ed, 120, 30);
    let buf = t.backend().buffer();
    let mut out = Vec::new();
    // The table starts under the title line and its border.
    for y in 2..(3 + ed.rows.len() as u16 + 1).min(14) {
        for x in 1..119 {
            let c = &buf[(x, y)];
            if c.fg == Color::LightRed && c.modifier.contains(Modifier::BOLD) {
                out.push((x, y));
            }
        }
    }
    out
}

#[test]
fn empty_worksheet() {
    let ed = editor_with(vec![]);
    assert!(ed.errors.is_empty());
    snap("empty", &ed);
}

#[test]
fn valid_three_web_servers_and_settings() {
    let ed = editor_with(three_web());
    assert!(ed.errors.is_empty(), "{:?}", ed.errors);
    assert!(error_cells(&ed).is_empty());
    let text = screen(&ed, 120, 30);
    assert!(text.contains("WEB1;WEB2;WEB3"));
    assert!(text.contains("3 web server(s) x (1 + Tomcat pool 20) = 63"));
    snap("valid_three_web", &ed);
}

#[test]
fn settings_chosen_and_checked() {
    let mut ed = editor_with(three_web());
    // derived, true, false: false is chosen.
    press(&mut ed, &[Char('b'), Char('b')]);
    ed.sql_check = SqlCheck::Done(Ok("100 user connections allowed, 63 needed".into()));
    let text = screen(&ed, 120, 30);
    assert!(text.contains("false"));
    snap("settings_chosen", &ed);
    ed.sql_check = SqlCheck::Done(Err(
        "SQL Server allows 50 user connections; 3 web server(s) need 63".into(),
    ));
    snap("settings_check_failed", &ed);
}

fn with(f: impl Fn(&mut Vec<Server>)) -> Editor {
    let mut rows = three_web();
    f(&mut rows);
    editor_with(rows)
}

#[test]
fn each_validation_error() {
    let cases: Vec<(&str, Editor)> = vec![
        ("no_master", with(|r| r[1].role = Role::WebSecondary)),
        ("master_not_first", with(|r| r.swap(1, 2))),
        ("two_masters", with(|r| r[3].role = Role::WebMaster)),
        (
            "two_sql_rows",
            with(|r| {
                let mut s = server("SQL2", Role::Sql, 20, &[]);
                s.address = "sql2.example.local".into();
                r.push(s)
            }),
        ),
        ("bad_name", with(|r| r[2].name = "WEB_2!".into())),
        (
            "long_name",
            with(|r| r[2].name = "WEBSERVER-NUMBER-2".into()),
        ),
        (
            "bad_address",
            with(|r| r[2].address = "web 2..local".into()),
        ),
        ("missing_ipv6", with(|r| r[3].ipv6.clear())),
        ("ipv6_zone", with(|r| r[3].ipv6 = "fe80::13%eth0".into())),
        ("duplicate_name", with(|r| r[3].name = "web2".into())),
        (
            "duplicate_address",
            with(|r| r[3].address = "WEB2.example.local".into()),
        ),
        ("duplicate_ipv6", with(|r| r[3].ipv6 = "fd00:0::12".into())),
        (
            "sql_row_services",
            with(|r| {
                r[0].services = vec![Service::Indexer];
                r[1].services = vec![Service::EmailManager, Service::Escalation];
            }),
        ),
        (
            "service_twice",
            with(|r| r[2].services = vec![Service::Indexer]),
        ),
        ("service_missing", with(|r| r[1].services.clear())),
    ];
    for (name, ed) in cases {
        assert!(!ed.errors.is_empty(), "{name}: no error");
        assert!(
            !error_cells(&ed).is_empty(),
            "{name}: the faulty cell is not drawn in the error style"
        );
        let first = &ed.errors[0];
        let text = screen(&ed, 120, 30);
        let what: String = first.what.chars().take(30).collect();
        assert!(text.contains(&what), "{name}: {what} not listed\n{text}");
        snap(&format!("error_{name}"), &ed);
    }
}

#[test]
fn picker_help_question_and_editing() {
    let mut ed = editor_with(three_web());
    press(&mut ed, &[Down, Right, Enter, Down]);
    snap("services_picker", &ed);
    let mut ed = editor_with(three_web());
    press(&mut ed, &[Char('?')]);
    snap("help", &ed);
    let mut ed = editor_with(three_web());
    press(&mut ed, &[Down, Char('d')]);
    snap("confirm_delete", &ed);
    let mut ed = editor_with(three_web());
    press(&mut ed, &[Down, Right, Right, Enter]);
    typ(&mut ed, "-NEW");
    snap("editing_name", &ed);
}

#[test]
fn install_path_column_environment_question_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(dir.path(), FOUR);
    // Both environments have servers: the editor asks. (The title shows
    // the plan's path: a fixed one for the snapshots.)
    let mut ed = editor_on(&path, None);
    let real = std::mem::replace(&mut ed.path, "plan.toml".into());
    snap("choose_env", &ed);
    press(&mut ed, &[Down, Enter]);
    // The guide's four servers, the secondaries with their shares.
    snap("four_servers", &ed);
    // Editing an install path: the value whole in the status bar.
    press(&mut ed, &[Down, Down]);
    for _ in 0..5 {
        press(&mut ed, &[Right]);
    }
    press(&mut ed, &[Enter]);
    snap("editing_install_path", &ed);
    press(&mut ed, &[KeyCode::Esc]);
    // A secondary without its share while the others have one.
    ed.rows[3].install_path = None;
    ed.revalidate();
    snap("error_install_path_missing", &ed);
    // The export notice, whole.
    ed.rows[3].install_path = ed.rows[2].install_path.clone();
    ed.revalidate();
    // The note is written in the language in use when the export is done:
    // the French screens show the note of a French export.
    for fr in [false, true] {
        ed.path = real.clone();
        let lang = if fr {
            dress::model::lang::Lang::Fr
        } else {
            dress::model::lang::Lang::En
        };
        dress::model::lang::scoped(lang, || press(&mut ed, &[Char('x')]));
        ed.path = "plan.toml".into();
        let mut shown = ed.note.clone().unwrap();
        assert!(!shown.error, "{}", shown.text);
        // The temporary folder differs on each run.
        shown.text = shown
            .text
            .replace(&dir.path().display().to_string(), "/plans");
        ed.note = Some(shown);
        if fr {
            snap_fr("exported", &ed);
        } else {
            snap_en("exported", &ed);
        }
    }
}

#[test]
fn many_problems_keep_the_settings() {
    let mut rows = three_web();
    for r in rows.iter_mut().skip(1) {
        r.ipv6 = "fe80::1%eth0".into();
        r.name = format!("{}_BAD!", r.name);
    }
    rows[1].services.clear();
    snap("many_problems", &editor_with(rows));
}

#[test]
fn too_small_names_the_real_window_size() {
    let ed = editor_with(three_web());
    let text = screen(&ed, 60, 20);
    assert!(text.contains("(now 60x20)"), "{text}");
    let fr = dress::model::lang::scoped(dress::model::lang::Lang::Fr, || screen(&ed, 70, 22));
    assert!(fr.contains("(actuellement 70x22)"), "{fr}");
}
