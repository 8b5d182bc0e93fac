//! The rehearsal lifecycle on a plan whose SQL steps talk to a TDS peer
//! (mssql-mock-tds): the rehearsal passes and opens production; one byte
//! more in the setup package closes it; an override is journalled.
#![cfg(unix)]

use crate::common::sql as sql_support;

use std::sync::Arc;

use dress::engine::command::Command;
use dress::engine::event::{Event, RunOutcome};
use dress::engine::runner::{Engine, Policy, RunSetup};
use dress::engine::{gate, journal, rehearsal};
use dress::model::step::sql_text as text;
use dress::model::{EnvKind, EnvSecrets};
use dress::recipe as stages;
use mssql_mock_tds::{ColumnValue, QueryResponse, Row};
use sql_support::{Mock, backup_row, file_list, int_col, one_int};

pub(crate) const CANARY: &str = "Canary-Lifecycle-6620";

pub(crate) fn plan_text(port: u16) -> String {
    let sql = |db: &str| {
        format!(
            "server = \"127.0.0.1,{port}\"\ndatabase = \"{db}\"\nlogin = \"sa\"\npassword = {{ env = \"DRESS_LIFECYCLE_PW\" }}\n\
             encryption = \"not-supported\"\ndata_dir = 'D:\\MSSQL\\Data'\nbackup_dir = 'D:\\MSSQL\\Backup'\n"
        )
    };
    format!(
        "[deployment]\ncompany = \"Lifecycle SA\"\ninstallation = \"CRMLIFE\"\n\n\
         [environments.production]\ninstall_dir = \"prod/CRM\"\nbackup_dir = \"backups\"\n\n[environments.production.sql]\n{}\n\
         [environments.test]\ninstall_dir = \"test/CRM\"\nbackup_dir = \"test-backups\"\n\n[environments.test.sql]\n{}\n\
         [recipe.setup]\npackage = \"setup.sh\"\n",
        sql("CRMLIFE"),
        sql("CRMLIFE_TEST")
    )
}

pub(crate) async fn rehearse(
    dir: &std::path::Path,
    text: &str,
    state_dir: &std::path::Path,
    run_id: &str,
) -> RunOutcome {
    let plan = dress::model::runplan::parse_for_run("plan.toml", text, dir).unwrap();
    let all = stages::build(&plan, EnvKind::Test).unwrap();
    let chosen: Vec<_> = all
        .into_iter()
        .filter(|s| {
            dress::recipe::StageId::parse(&s.id).is_some_and(dress::recipe::StageId::in_rehearsal)
        })
        .collect();
    assert!(
        chosen
            .iter()
            .any(|s| s.steps.iter().any(|x| x.action.kind() == "sql.restore"))
    );
    let fingerprint = gate::fingerprint(&plan).unwrap();
    let setup = RunSetup {
        plan: Arc::new(plan),
        plan_text: text.to_string(),
        plan_path: dir.join("plan.toml").to_string_lossy().into_owned(),
        env: EnvKind::Test,
        stages: chosen,
        fingerprint,
        secrets: Arc::new(EnvSecrets::default()),
    };
    let mut policy = Policy::default();
    policy
        .confirms
        .insert("sign-off".into(), "checked the test site".into());
    let mut engine = Engine::start(state_dir, run_id, setup, policy).unwrap();
    let (_tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Command>();
    engine.run_all(&mut rx).await.unwrap()
}

#[tokio::test]
async fn sql_rehearsal_opens_production_and_a_changed_package_closes_it() {
    // SAFETY: set before any thread of this test reads the environment.
    unsafe { std::env::set_var("DRESS_LIFECYCLE_PW", CANARY) };
    let m = Mock::start().await;
    m.on(text::SPID, one_int(Some(57))).await;
    m.on(
        text::DATABASE_ID,
        QueryResponse::new(
            vec![int_col("DATABASE_ID")],
            vec![Row::new(vec![ColumnValue::Null])],
        ),
    )
    .await;
    m.on(text::FILE_LIST, file_list()).await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMLIFE", 1 << 20, 1, 1),
    )
    .await;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("prod/CRM/WWWRoot/CustomPages")).unwrap();
    std::fs::write(
        dir.join("prod/CRM/WWWRoot/CustomPages/page.asp"),
        "<% custom %>",
    )
    .unwrap();
    std::fs::write(dir.join("setup.sh"), "#!/bin/sh\necho upgraded\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("setup.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let text = plan_text(m.addr.port());
    let state_dir = dir.join("state");

    assert_eq!(
        rehearse(dir, &text, &state_dir, "rehearsal-1").await,
        RunOutcome::Passed
    );
    let run_dir = state_dir.join("runs/rehearsal-1");
    let events = journal::load(&run_dir).unwrap().events;
    let finished: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::StepFinished { step, .. } => Some(step.to_string()),
            _ => None,
        })
        .collect();
    for s in [
        "backup/database",
        "test-env/database",
        "test-env/checkdb",
        "trial-upgrade/setup",
        "verify/checkdb",
        "verify/sign-off",
    ] {
        assert!(finished.iter().any(|f| f == s), "{s} ran: {finished:?}");
    }
    let backup_log = std::fs::read_to_string(run_dir.join("logs/backup/database.log")).unwrap();
    assert!(
        backup_log.contains(&text::backup("CRMLIFE")),
        "the exact BACKUP statement: {backup_log}"
    );
    let restore_log = std::fs::read_to_string(run_dir.join("logs/test-env/database.log")).unwrap();
    assert!(restore_log.contains("CRMLIFE_TEST"), "{restore_log}");

    // Production opens for this recipe (with a fresh backup).
    let plan = dress::model::runplan::parse_for_run("plan.toml", &text, dir).unwrap();
    let fp = gate::fingerprint(&plan).unwrap();
    let runs = rehearsal::load_runs(&state_dir);
    let now = dress::engine::event::now_ms();
    assert_eq!(
        rehearsal::check_gate(&runs, fp.as_deref(), false, 24, now).map(|r| r.runs),
        Ok(vec!["rehearsal-1".to_string()])
    );

    // One byte more in the setup package: refused, saying why and what to do.
    std::fs::write(dir.join("setup.sh"), "#!/bin/sh\necho upgraded\n\n").unwrap();
    let fp2 = gate::fingerprint(&plan).unwrap();
    assert_ne!(fp, fp2);
    let why = rehearsal::check_gate(&runs, fp2.as_deref(), false, 24, now).unwrap_err();
    assert!(
        why.contains("the recipe changed since the last rehearsal")
            && why.contains("--stage rehearsal"),
        "{why}"
    );

    // The password is nowhere in the run folder.
    for entry in walk(&state_dir) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "{} holds the password",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
