//! A restore stopped in the middle is never a dead end: a real `dress`
//! process restoring the test copy is stopped with SIGTERM (the database is
//! then RESTORING on the server), `dress run --resume` restores it again,
//! and the run ends with the copy restored and marked for this installation
//! and run. The SQL server is a TDS peer (mssql-mock-tds) whose answers the
//! test scripts: first a slow RESTORE, then the RESTORING state.
#![cfg(unix)]

use crate::common::sql as sql_support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dress::engine::event::{Event, Outcome, RunOutcome};
use dress::engine::journal;
use dress::model::step::sql_text as text;
use mssql_mock_tds::QueryResponse;
use sql_support::*;

const CANARY: &str = "Canary-Restore-5140";
const RUN: &str = "20260101-000000-test-00a1";

fn plan_text(port: u16) -> String {
    let sql = |db: &str| {
        format!(
            "server = \"127.0.0.1,{port}\"\ndatabase = \"{db}\"\nlogin = \"sa\"\npassword = {{ env = \"DRESS_RESTORE_PW\" }}\n\
             encryption = \"not-supported\"\ndata_dir = 'D:\\MSSQL\\Data'\nbackup_dir = 'D:\\MSSQL\\Backup'\n"
        )
    };
    format!(
        "[deployment]\ncompany = \"Restore SA\"\ninstallation = \"CRMREST\"\n\n\
         [environments.production]\ninstall_dir = \"prod/CRM\"\nbackup_dir = \"backups\"\n\n[environments.production.sql]\n{}\n\
         [environments.test]\ninstall_dir = \"test/CRM\"\nbackup_dir = \"test-backups\"\n\n[environments.test.sql]\n{}\n\
         [recipe.setup]\npackage = \"setup.sh\"\n",
        sql("CRMREST"),
        sql("CRMREST_TEST")
    )
}

fn dress(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dress"));
    c.current_dir(dir)
        .env("DRESS_STATE_DIR", dir.join("state"))
        .env("DRESS_RESTORE_PW", CANARY)
        .args(args)
        // The plan's SQL login travels in clear to the peer (see sql_preflight).
        .arg("--allow-unencrypted-sql")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn wait_for(child: &mut std::process::Child, path: &Path, what: &str, limit: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit && child.try_wait().is_ok_and(|s| s.is_none()) {
        if std::fs::read_to_string(path).is_ok_and(|s| s.contains(what)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn step_outcomes(run_dir: &Path, id: &str) -> Vec<(Outcome, String)> {
    journal::load(run_dir)
        .unwrap()
        .events
        .into_iter()
        .filter_map(|e| match e {
            Event::StepFinished {
                step,
                outcome,
                message,
                ..
            } if step.to_string() == id => Some((outcome, message)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_stopped_by_sigterm_is_restored_again_on_resume() {
    let m = Mock::start().await;
    m.on(text::SPID, one_int(Some(57))).await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMREST", 1 << 20, 1, 1),
    )
    .await;
    m.on(text::DATABASE_ID, one_int(None)).await;
    m.on(text::FILE_LIST, file_list()).await;
    m.on(
        text::restore("CRMREST_TEST", 2, false),
        QueryResponse::new(vec![], vec![]).with_delay(Duration::from_secs(120)),
    )
    .await;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("prod/CRM/WWWRoot")).unwrap();
    std::fs::write(dir.join("prod/CRM/WWWRoot/eware.ini"), "[crm]\n").unwrap();
    std::fs::write(dir.join("plan.toml"), plan_text(m.addr.port())).unwrap();
    let run_dir = dir.join("state/runs").join(RUN);

    let mut child = dress(
        dir,
        &[
            "run",
            "plan.toml",
            "--env",
            "test",
            "--stage",
            "backup,test-env",
            "--yes",
            "--run-id",
            RUN,
        ],
    )
    .spawn()
    .unwrap();
    let log = run_dir.join("logs/test-env/database.log");
    let started = wait_for(
        &mut child,
        &log,
        "SQL> RESTORE DATABASE [CRMREST_TEST]",
        Duration::from_secs(60),
    );
    if !started {
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        panic!(
            "the restore never started: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The restore is running: stop the program as a service manager does.
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: a plain kill(2) of our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let t = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    assert!(!out.status.success());
    let first = step_outcomes(&run_dir, "test-env/database");
    let (_, why) = first.last().expect("the stopped restore is journalled");
    assert!(
        why.contains("left RESTORING") && why.contains(&format!("dress run --resume {RUN}")),
        "the cancel says what it left: {why}"
    );
    assert!(!why.contains("rolls back what it had started"), "{why}");
    assert!(
        dir.join(format!("state/runs/{RUN}/sql-restore-CRMREST_TEST.json"))
            .exists(),
        "the unfinished restore is recorded"
    );

    // On the server the copy is now RESTORING, its marker unreadable.
    m.on(text::DATABASE_ID, one_int(Some(9))).await;
    m.on(text::DATABASE_STATE, db_state("RESTORING", None))
        .await;
    m.on(
        text::created_by("CRMREST_TEST"),
        fails(
            927,
            "Database 'CRMREST_TEST' cannot be opened. It is in the middle of a restore.",
        ),
    )
    .await;

    let out = dress(dir, &["run", "--resume", RUN, "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "resume: {stderr}");
    let finished = step_outcomes(&run_dir, "test-env/database");
    assert_eq!(
        finished.last().map(|f| f.0),
        Some(Outcome::Passed),
        "{finished:?}"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("is RESTORING: this run was restoring it")
            && text.contains(&text::restore("CRMREST_TEST", 2, true)),
        "{text}"
    );
    assert!(
        text.contains(&format!("dress;installation=CRMREST;run={RUN}")),
        "the marker names the installation and the run: {text}"
    );
    assert!(
        !run_dir.join("sql-restore-CRMREST_TEST.json").exists(),
        "the record goes once the marker is set"
    );
    let state = dress::engine::RunState::from_events(&journal::load(&run_dir).unwrap().events);
    assert_eq!(state.finished, Some(RunOutcome::Passed));
    // The password reached no file of the run.
    for e in walk(&dir.join("state")) {
        let b = std::fs::read(&e).unwrap();
        assert!(
            !String::from_utf8_lossy(&b).contains(CANARY),
            "{}",
            e.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_edited_after_a_refusal_is_not_resumed_silently() {
    // The test copy exists and is nobody's: the restore refuses and says to
    // set allow_overwrite; the operator does, then resumes.
    let m = Mock::start().await;
    m.on(text::SPID, one_int(Some(57))).await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMREST", 1 << 20, 1, 1),
    )
    .await;
    m.on(text::DATABASE_ID, one_int(Some(9))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    m.on(
        text::created_by("CRMREST_TEST"),
        texts(&["CREATED_BY"], &[None]),
    )
    .await;
    m.on(text::FILE_LIST, file_list()).await;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    std::fs::create_dir_all(dir.join("prod/CRM/WWWRoot")).unwrap();
    std::fs::write(dir.join("prod/CRM/WWWRoot/eware.ini"), "[crm]\n").unwrap();
    let plan = plan_text(m.addr.port());
    std::fs::write(dir.join("plan.toml"), &plan).unwrap();
    let run_dir = dir.join("state/runs/20260101-000000-test-00e1");
    let d = dir.clone();
    let out = tokio::task::spawn_blocking(move || {
        dress(
            &d,
            &[
                "run",
                "plan.toml",
                "--env",
                "test",
                "--stage",
                "backup,test-env",
                "--yes",
                "--run-id",
                "20260101-000000-test-00e1",
            ],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    assert!(!out.status.success());
    let (_, why) = step_outcomes(&run_dir, "test-env/database").pop().unwrap();
    assert!(why.contains("allow_overwrite = true"), "{why}");

    let edited = plan.replace(
        "database = \"CRMREST_TEST\"\n",
        "database = \"CRMREST_TEST\"\nallow_overwrite = true\n",
    );
    assert_ne!(edited, plan);
    std::fs::write(dir.join("plan.toml"), &edited).unwrap();
    let d = dir.clone();
    let out = tokio::task::spawn_blocking(move || {
        dress(
            &d,
            &["run", "--resume", "20260101-000000-test-00e1", "--yes"],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("changed since run 20260101-000000-test-00e1 started")
            && err.contains("environments.test.sql.allow_overwrite: added (true)")
            && err.contains("start a new run"),
        "{err}"
    );
    // Nothing ran again.
    assert_eq!(step_outcomes(&run_dir, "test-env/database").len(), 1);

    // A new run uses the changed plan and replaces the copy.
    let d = dir.clone();
    let out = tokio::task::spawn_blocking(move || {
        dress(
            &d,
            &[
                "run",
                "plan.toml",
                "--env",
                "test",
                "--stage",
                "backup,test-env",
                "--yes",
            ],
        )
        .output()
        .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
