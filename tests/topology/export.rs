//! Exports of the guide's example worksheet: Markdown and CSV against
//! golden files, and the SQL script against the statements and values the
//! sysparams step sends.

use crate::common::topology as topology_common;

use dress::model::EnvKind;
use dress::model::lb_params;
use dress::model::plan::{Role, Server, Service};
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use dress::ui::topology::export::Format;
use dress::ui::topology::{effects, export_plan};
use topology_common::*;

/// SQL server; master with the e-mail manager; secondary with escalation;
/// secondary with the indexer.
/// The secondaries have their shares.
fn guide_example() -> Vec<Server> {
    let mut rows = vec![
        server("SQL1", Role::Sql, 10, &[]),
        server("WEB1", Role::WebMaster, 11, &[Service::EmailManager]),
        server("WEB2", Role::WebSecondary, 12, &[Service::Escalation]),
        server("WEB3", Role::WebSecondary, 13, &[Service::Indexer]),
    ];
    for r in &mut rows[2..] {
        r.install_path = Some(format!(r"\\{}\c$\Sage\CRM, ACME\CRMSAGE", r.name).into());
    }
    rows
}

/// The example saved into a plan file in `dir`.
fn example_plan(dir: &std::path::Path) -> std::path::PathBuf {
    let text =
        dress::model::edit_topology::save_servers(PLAN, EnvKind::Test, &guide_example(), None)
            .unwrap();
    write_plan(dir, &text)
}

fn golden(name: &str, got: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/topology")
        .join(name);
    if std::env::var_os("DRESS_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (DRESS_UPDATE_GOLDEN=1 writes it)", path.display()));
    assert_eq!(got, want, "{name} differs from the golden file");
}

#[test]
fn markdown_and_csv_match_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    golden(
        "example.md",
        &export_plan(&plan, EnvKind::Test, Format::Markdown).unwrap(),
    );
    golden(
        "example.csv",
        &export_plan(&plan, EnvKind::Test, Format::Csv).unwrap(),
    );
}

/// The `@Pn = N'...'` literals of one described statement.
fn literals(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.trim_start().split_once(" = ").map(|(_, v)| v.to_string()))
        .collect()
}

fn assert_sql_matches_step(rows: Vec<Server>, perform: Option<bool>) {
    let dir = tempfile::tempdir().unwrap();
    let text =
        dress::model::edit_topology::save_servers(PLAN, EnvKind::Test, &rows, perform).unwrap();
    let plan = write_plan(dir.path(), &text);
    let script = export_plan(&plan, EnvKind::Test, Format::Sql).unwrap();

    let settings = lb_params::settings(&rows, perform);
    let step = SqlAction::Sysparams {
        database: "CRMSAGE".into(),
        values: lb_params::values(&settings),
    };
    let described = step.describe();
    // The step describes, per parameter: UPDATE, @P1, @P2, INSERT, @P1,
    // @P2, read-back, @P1.
    assert_eq!(described.len(), 8 * lb_params::LB_PARAMS.len());
    let mut expected = vec![
        script.lines().next().unwrap().to_string(),
        "USE [CRMSAGE];".to_string(),
        "GO".to_string(),
    ];
    for chunk in described.chunks(8) {
        assert_eq!(chunk[0], text::SYSPARAM_UPDATE);
        assert!(chunk[3].starts_with(text::SYSPARAM_INSERT));
        let p = literals(&chunk[1..3]);
        expected.push(format!(
            "DECLARE @P1 NVARCHAR(4000) = {}, @P2 NVARCHAR(4000) = {};",
            p[0], p[1]
        ));
        expected.push(format!("{};", text::SYSPARAM_UPDATE));
        expected.push(format!("IF @@ROWCOUNT = 0 {};", text::SYSPARAM_INSERT));
        expected.push("GO".to_string());
    }
    let got: Vec<&str> = script.lines().collect();
    assert_eq!(got, expected);
}

#[test]
fn sql_export_sends_what_the_sysparams_step_sends() {
    assert_sql_matches_step(guide_example(), None);
    assert_sql_matches_step(guide_example(), Some(false));
    // Hostile values (an invalid worksheet can still be exported) are
    // quoted the same way.
    let mut rows = guide_example();
    rows[2].name = "O'Brien; DROP TABLE x--".into();
    rows[3].address = "a'b".into();
    assert_sql_matches_step(rows, None);
}

#[test]
fn the_binary_prints_the_same_exports() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    for (arg, f) in [
        ("md", Format::Markdown),
        ("csv", Format::Csv),
        ("sql", Format::Sql),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
            .args(["topology", "--export", arg])
            .arg(&plan)
            .env("DRESS_STATE_DIR", dir.path().join("state"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = export_plan(&plan, EnvKind::Test, f).unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
        .args(["topology", "--env", "production", "--export", "sql"])
        .arg(&plan)
        .env("DRESS_STATE_DIR", dir.path().join("state"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("environments.production.sql is missing"),
        "{err}"
    );
}

#[test]
fn x_writes_the_three_files_beside_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    let mut ed = editor(&plan);
    press(&mut ed, &[crossterm::event::KeyCode::Char('x')]);
    let note = ed.note.clone().unwrap();
    assert!(!note.error, "{}", note.text);
    for f in Format::ALL {
        let p = effects::export_path(&plan, "test", f);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            export_plan(&plan, EnvKind::Test, f).unwrap(),
            "{}",
            p.display()
        );
    }
}

/// A plan whose `[deployment] language` is French is exported in French,
/// with no flag; `--lang en` still gives English.
#[test]
fn the_plan_language_chooses_the_export_language() {
    use dress::model::lang::{self, Lang};
    let dir = tempfile::tempdir().unwrap();
    let plan = example_plan(dir.path());
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.contains("[deployment]"));
    std::fs::write(
        &plan,
        text.replacen("[deployment]", "[deployment]\nlanguage = \"fr\"", 1),
    )
    .unwrap();
    let export = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
            .args(extra)
            .args(["topology", "--export", "md"])
            .arg(&plan)
            .env("DRESS_STATE_DIR", dir.path().join("state"))
            .env_remove("DRESS_LANG")
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let fr = lang::scoped(Lang::Fr, || {
        export_plan(&plan, EnvKind::Test, Format::Markdown)
    })
    .unwrap();
    let en = lang::scoped(Lang::En, || {
        export_plan(&plan, EnvKind::Test, Format::Markdown)
    })
    .unwrap();
    assert_ne!(fr, en, "the export has words to translate");
    assert_eq!(export(&[]), fr);
    assert_eq!(export(&["--lang", "en"]), en);
}
