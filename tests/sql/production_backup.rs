//! Production relies on the database backup of the rehearsal only if the
//! server, asked now, still has it: RESTORE HEADERONLY names the expected
//! database with a finish time inside max_backup_age_h, and RESTORE
//! VERIFYONLY accepts it. Otherwise the production setup never runs.
#![cfg(unix)]

use crate::common::sql as sql_support;
use crate::lifecycle_sql::{CANARY, plan_text, rehearse};

use std::sync::Arc;

use dress::engine::command::Command;
use dress::engine::event::{RunOutcome, StepRef};
use dress::engine::runner::{Engine, Policy, RunSetup};
use dress::engine::{StepStatus, gate};
use dress::model::step::sql_text as text;
use dress::model::{EnvKind, EnvSecrets};
use dress::recipe as stages;
use mssql_mock_tds::{ColumnValue, QueryResponse, Row};
use sql_support::{Mock, backup_row, fails, file_list, int_col, one_int, text_col};

fn header(database: &str, finished: &str) -> QueryResponse {
    QueryResponse::new(
        vec![
            text_col("BackupName"),
            text_col("DatabaseName"),
            text_col("BackupFinishDate"),
        ],
        vec![Row::new(vec![
            ColumnValue::NVarChar("dress".into()),
            ColumnValue::NVarChar(database.into()),
            ColumnValue::NVarChar(finished.into()),
        ])],
    )
}

fn hours_ago(h: i64) -> String {
    (chrono::Local::now() - chrono::Duration::hours(h))
        .naive_local()
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string()
}

/// A production run of the production stage alone (no backup in it), the
/// users-off step answered: how its setup step ended, and its message.
async fn production(
    dir: &std::path::Path,
    text: &str,
    state: &std::path::Path,
    id: &str,
) -> (StepStatus, String) {
    let plan = dress::model::runplan::parse_for_run("plan.toml", text, dir).unwrap();
    let chosen: Vec<_> = stages::build(&plan, EnvKind::Production)
        .unwrap()
        .into_iter()
        .filter(|s| s.id == "production")
        .collect();
    let fingerprint = gate::fingerprint(&plan).unwrap();
    let setup = RunSetup {
        plan: Arc::new(plan),
        plan_text: text.to_string(),
        plan_path: dir.join("plan.toml").to_string_lossy().into_owned(),
        env: EnvKind::Production,
        stages: chosen,
        fingerprint,
        secrets: Arc::new(EnvSecrets::default()),
    };
    let mut policy = Policy::default();
    policy
        .confirms
        .insert("users-off".into(), "announced".into());
    let mut engine = Engine::start(state, id, setup, policy).unwrap();
    let (_tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Command>();
    let _: RunOutcome = engine.run_all(&mut rx).await.unwrap();
    let s = engine
        .state
        .step(&StepRef::new("production", "setup"))
        .unwrap();
    (s.status, s.message.clone())
}

#[tokio::test]
async fn production_checks_the_database_backup_it_relies_on() {
    // SAFETY: the same value as the other lifecycle test sets.
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
    let state = dir.join("state");
    assert_eq!(
        rehearse(dir, &text, &state, "20260101-000000-test-0001").await,
        RunOutcome::Passed
    );

    // No answer, another database, too old: the setup never runs.
    let cases: [(Option<QueryResponse>, &str); 3] = [
        (None, "no backup set in the file"),
        (
            Some(header("CRMOTHER", &hours_ago(1))),
            "holds a backup of CRMOTHER, not of CRMLIFE",
        ),
        (
            Some(header("CRMLIFE", &hours_ago(30))),
            "the recipe allows 24 h",
        ),
    ];
    for (i, (answer, why)) in cases.into_iter().enumerate() {
        if let Some(a) = answer {
            m.on(text::BACKUP_HEADER, a).await;
        }
        let id = format!("20260101-00000{i}-production-000{i}");
        let (status, message) = production(dir, &text, &state, &id).await;
        assert_eq!(status, StepStatus::Failed, "{why}: {message}");
        assert!(
            message.contains(why) && message.contains("--stage backup,production"),
            "{message}"
        );
    }
    // VERIFYONLY refuses the file.
    m.on(text::BACKUP_HEADER, header("CRMLIFE", &hours_ago(1)))
        .await;
    m.on(
        text::VERIFY_BACKUP,
        fails(3013, "VERIFY DATABASE is terminating abnormally."),
    )
    .await;
    let (status, message) = production(dir, &text, &state, "20260101-000010-production-0010").await;
    assert_eq!(status, StepStatus::Failed, "{message}");
    assert!(message.contains("RESTORE VERIFYONLY refuses"), "{message}");

    // All good: production runs, and says what it relied on.
    m.on(text::VERIFY_BACKUP, QueryResponse::new(vec![], vec![]))
        .await;
    let (status, message) = production(dir, &text, &state, "20260101-000011-production-0011").await;
    assert_eq!(status, StepStatus::Passed, "{message}");
}
