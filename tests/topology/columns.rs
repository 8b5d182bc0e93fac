//! Every column of a server row is edited in the table, the install path
//! included; the editor opens the environment that has servers (and asks
//! when both do); the settings, the problems and the notes stay whole.

use crate::common::topology as topology_common;

use KeyCode::{Char, Down, Enter, Right};
use crossterm::event::KeyCode;
use dress::model::EnvKind;
use dress::model::plan::Role;
use dress::model::topology::Column;
use dress::ui::strings::topo;
use dress::ui::topology::keys::TAct;
use dress::ui::topology::state::{Mode, SqlCheck};
use topology_common::*;

const WEB4: &str = r"\\WEB4\c$\Program Files (x86)\Sage\CRM\CRMSAGE";

fn validate(path: &std::path::Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
        .args(["plan", "validate"])
        .arg(path)
        .env("DRESS_STATE_DIR", path.with_file_name("state"))
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Replace the text of the cell under the cursor.
fn set_cell(ed: &mut dress::ui::topology::state::Editor, text: &str) {
    press(ed, &[Enter, KeyCode::End]);
    for _ in 0..80 {
        press(ed, &[KeyCode::Backspace]);
    }
    typ(ed, text);
    press(ed, &[Enter]);
}

#[test]
fn web3_deleted_and_web4_added_keeps_an_install_path_typed_in_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(dir.path(), FOUR);
    let mut ed = editor_on(&path, Some(EnvKind::Production));
    assert_eq!(ed.rows.len(), 4);
    // Delete WEB3, add WEB4 with the same data but no install path yet.
    press(&mut ed, &[Down, Down, Down, Char('d'), Char('y')]);
    assert_eq!(ed.rows.len(), 3);
    press(&mut ed, &[Char('a')]);
    assert_eq!(ed.column(), Column::Name);
    set_cell(&mut ed, "WEB4");
    press(&mut ed, &[Right]);
    set_cell(&mut ed, "web4.example.local");
    press(&mut ed, &[Right]);
    set_cell(&mut ed, "fd00::14");
    // WEB2 has a share, WEB4 none: the editor says so, on that cell.
    assert!(
        ed.error_at(3, Column::InstallPath).is_some(),
        "{:?}",
        ed.errors
    );
    press(&mut ed, &[Char('s')]);
    let (ok, out) = validate(&path);
    assert!(
        !ok,
        "plan validate accepts a secondary without its share:\n{out}"
    );
    assert!(out.contains("servers[3].install_path"), "{out}");
    // The install path column: the last one, edited like the others.
    press(&mut ed, &[Right]);
    assert_eq!(ed.column(), Column::InstallPath);
    set_cell(&mut ed, WEB4);
    assert!(ed.errors.is_empty(), "{:?}", ed.errors);
    let screen = screen(&ed, 120, 30);
    assert!(screen.contains("Install path"), "{screen}");
    press(&mut ed, &[Char('s')]);
    let rows = saved_rows(&path, EnvKind::Production);
    assert_eq!(rows[3].name, "WEB4");
    assert_eq!(
        rows[3].install_path.as_deref(),
        Some(std::path::Path::new(WEB4))
    );
    assert_eq!(
        rows[2].install_path.as_deref(),
        Some(std::path::Path::new(
            r"\\WEB2\c$\Program Files (x86)\Sage\CRM\CRMSAGE"
        ))
    );
    let (ok, out) = validate(&path);
    assert!(ok, "{out}");
    // Emptying the cell removes the install path (files copied by hand).
    set_cell(&mut ed, "");
    assert_eq!(ed.rows[3].install_path, None);
    // A relative path is refused on its cell.
    set_cell(&mut ed, r"c$\CRM");
    let e = ed.error_at(3, Column::InstallPath).unwrap();
    assert!(e.what.contains("not an absolute path"), "{e:?}");
}

#[test]
fn b_cycles_in_the_order_the_help_gives() {
    let help = (topo().act)(TAct::Balance).1;
    assert!(help.contains("derived, true, false"), "{help}");
    let mut ed = editor_with(three_web());
    let mut seen = vec![ed.perform_lb];
    for _ in 0..3 {
        press(&mut ed, &[Char('b')]);
        seen.push(ed.perform_lb);
    }
    assert_eq!(seen, vec![None, Some(true), Some(false), None]);
}

fn export(path: &std::path::Path, env: Option<&str>) -> (i32, String, String) {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_dress"));
    c.arg("topology").arg(path).args(["--export", "csv"]);
    if let Some(e) = env {
        c.args(["--env", e]);
    }
    let out = c
        .env("DRESS_STATE_DIR", path.with_file_name("state"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn opens_the_environment_that_has_servers_and_asks_when_both_do() {
    let dir = tempfile::tempdir().unwrap();
    // Servers in production only: production opens.
    let only_prod: String = {
        let mut doc: toml_edit::DocumentMut = FOUR.parse().unwrap();
        doc["environments"]["test"]
            .as_table_mut()
            .unwrap()
            .remove("servers");
        doc.to_string()
    };
    let path = write_plan(dir.path(), &only_prod);
    let ed = editor_on(&path, None);
    assert_eq!(ed.env, EnvKind::Production);
    assert!(matches!(ed.mode, Mode::Table));
    assert_eq!(ed.rows.len(), 4);
    let (code, out, err) = export(&path, None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("WEB3"), "{out}");

    // Both have servers: the editor asks, the export wants --env.
    let path = write_plan(dir.path(), FOUR);
    let mut ed = editor_on(&path, None);
    assert!(matches!(ed.mode, Mode::ChooseEnv { .. }), "{:?}", ed.mode);
    let screen = screen(&ed, 80, 24);
    assert!(screen.contains("test: 1 server(s)"), "{screen}");
    assert!(screen.contains("production: 4 server(s)"), "{screen}");
    press(&mut ed, &[Down, Enter]);
    assert_eq!(ed.env, EnvKind::Production);
    assert_eq!(ed.rows.len(), 4);
    assert!(!ed.dirty);
    let (code, _, err) = export(&path, None);
    assert_eq!(code, 2);
    assert!(err.contains("--env test or --env production"), "{err}");
    let (code, out, _) = export(&path, Some("test"));
    assert_eq!(code, 0);
    assert!(out.contains("TESTWEB1"), "{out}");
    // Named, it opens at once.
    let ed = editor_on(&path, Some(EnvKind::Test));
    assert!(matches!(ed.mode, Mode::Table));
}

/// The screen's lines without the frame, spaces squeezed.
fn text_of(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches('"').replace(['│', '|'], " "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `n` rows: SQL, master, secondaries; every web row with a bad name and
/// an IPv6 zone id, the master without services.
fn faulty(n: u8) -> dress::ui::topology::state::Editor {
    let mut rows = three_web();
    for i in 4..n {
        rows.push(server(&format!("WEB{i}"), Role::WebSecondary, i + 10, &[]));
    }
    for r in rows.iter_mut().skip(1) {
        r.ipv6 = "fe80::1%eth0".into();
        r.name = format!("{}_BAD!", r.name);
    }
    rows[1].services.clear();
    let mut ed = editor_with(rows);
    ed.sql_check = SqlCheck::Done(Err(
        "SQL Server allows 50 user connections; the web servers need more — raise 'user connections' (sp_configure) or lower the Tomcat pool".into(),
    ));
    ed
}

#[test]
fn settings_panel_stays_whole_when_problems_are_listed() {
    // The guide's worksheet at both sizes; twelve rows at 120x30.
    for (n, w, h) in [(4, 120, 30), (4, 80, 24), (12, 120, 30)] {
        let ed = faulty(n);
        assert!(ed.errors.len() >= 7, "{:?}", ed.errors);
        let screen = text_of(&screen(&ed, w, h));
        for label in topo().setting_labels {
            assert!(
                screen.contains(label),
                "{w}x{h}: {label} not shown\n{screen}"
            );
        }
        assert!(
            screen.contains("SQL connections needed"),
            "{w}x{h}\n{screen}"
        );
        assert!(
            screen.contains("lower the Tomcat pool"),
            "{w}x{h}\n{screen}"
        );
        // Problems are never cut: each is shown, or counted with its row.
        let more = screen.contains("more problem(s), on row(s)");
        for e in &ed.errors {
            let what: String = e.what.chars().take(20).collect();
            assert!(more || screen.contains(&what), "{w}x{h}: {what}\n{screen}");
        }
        assert!(!screen.contains("write the addr \n"), "{screen}");
    }
}

#[test]
fn the_export_notice_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir
        .path()
        .join("a rather long folder name for the customer plans");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("crm.toml");
    std::fs::write(&path, FOUR).unwrap();
    let mut ed = editor_on(&path, Some(EnvKind::Production));
    press(&mut ed, &[Char('x')]);
    let note = ed.note.clone().unwrap();
    assert!(!note.error, "{}", note.text);
    for (w, h) in [(80, 24), (120, 30)] {
        let screen = text_of(&screen(&ed, w, h));
        for ext in ["md", "csv", "sql"] {
            let name = format!("crm.topology-production.{ext}");
            assert!(screen.contains(&name), "{w}x{h}: {name} cut\n{screen}");
        }
        assert!(screen.contains("customer plans"), "{w}x{h}\n{screen}");
    }
}

#[test]
fn help_lists_every_key_of_the_key_maps() {
    let mut ed = editor_with(three_web());
    press(&mut ed, &[Char('?')]);
    assert!(matches!(ed.mode, Mode::Help { .. }));
    let mut seen = String::new();
    for _ in 0..60 {
        seen.push_str(&text_of(&screen(&ed, 80, 24)));
        seen.push('\n');
        press(&mut ed, &[Down]);
    }
    // Wrapped lines read on: squeeze the spaces.
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let seen = squeeze(&seen);
    for (title, map) in dress::ui::topology::overlays::help_sections() {
        assert!(seen.contains(title), "{title}");
        for b in map {
            assert!(seen.contains(b.label), "{} missing from the help", b.label);
            let what = squeeze((topo().act)(b.act).1);
            assert!(seen.contains(&what), "{what}\n{seen}");
        }
    }
    press(&mut ed, &[Char('?')]);
    assert!(matches!(ed.mode, Mode::Table));
}
