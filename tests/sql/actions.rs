//! SQL actions against a real TDS peer (mssql-mock-tds): backup with
//! progress, cancellation, restore, CHECKDB, scripts, custom_sysparams.

use crate::common::sql as sql_support;

use std::time::{Duration, Instant};

use dress::engine::sql;
use dress::model::plan::SqlConnection;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use mssql_mock_tds::QueryResponse;
use sql_support::*;

const FILE: &str = "D:\\MSSQL\\Backup\\CRMSAGE.bak";

async fn run_on(conn: &SqlConnection, a: &SqlAction, step: &Step) -> Result<String, String> {
    sql::run(a, conn, &Fixed(PASSWORD), &step.ctx)
        .await
        .map_err(|e| e.0)
}

fn backup() -> SqlAction {
    SqlAction::Backup {
        database: "CRMSAGE".into(),
        file: FILE.into(),
    }
}

#[tokio::test]
async fn backup_reports_progress_then_verifies() {
    let m = Mock::start().await;
    m.on(text::SPID, one_int(Some(57))).await;
    m.on(
        text::backup("CRMSAGE"),
        QueryResponse::new(vec![], vec![]).with_delay(Duration::from_millis(2500)),
    )
    .await;
    m.on(text::PERCENT_COMPLETE, one_int(Some(40))).await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMSAGE", 1 << 20, 1, 1),
    )
    .await;
    let step = Step::new();
    let r = run_on(&m.conn(), &backup(), &step).await;
    assert_eq!(
        r.unwrap(),
        format!("CRMSAGE backed up to {FILE} and verified")
    );
    let log = step.log_text();
    assert!(log.contains("backup of CRMSAGE: 40 percent done"), "{log}");
    assert!(log.contains(
        "SQL> BACKUP DATABASE [CRMSAGE] TO DISK = @P1 WITH COPY_ONLY, CHECKSUM, INIT, NAME = @P2, STATS = 10"
    ));
    assert!(log.contains(&format!("@P1 = N'{FILE}'")));
    assert!(log.contains("RESTORE VERIFYONLY WITH CHECKSUM of"));
}

#[tokio::test]
async fn failed_verification_fails_the_backup() {
    let m = Mock::start().await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMSAGE", 1 << 20, 1, 1),
    )
    .await;
    m.on(
        text::VERIFY_BACKUP,
        fails(3013, "VERIFY DATABASE is terminating abnormally."),
    )
    .await;
    let step = Step::new();
    let e = run_on(&m.conn(), &backup(), &step).await.unwrap_err();
    assert!(
        e.contains("SQL Server error 3013") && e.contains("terminating abnormally"),
        "{e}"
    );
}

#[tokio::test]
async fn cancelled_long_backup_ends_quickly() {
    let m = Mock::start().await;
    m.on(
        text::backup("CRMSAGE"),
        QueryResponse::new(vec![], vec![]).with_delay(Duration::from_secs(60)),
    )
    .await;
    let step = Step::new();
    let cancel = step.ctx.cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        cancel.cancel();
    });
    let t = Instant::now();
    let e = run_on(&m.conn(), &backup(), &step).await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(t.elapsed() >= Duration::from_millis(500));
    assert!(e.contains("backup of CRMSAGE: cancelled"), "{e}");
}

fn restore() -> SqlAction {
    SqlAction::Restore {
        file: FILE.into(),
        database: "CRMTEST".into(),
        installation: "CRMSAGE".into(),
    }
}

#[tokio::test]
async fn restore_moves_files_into_the_data_folder() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(None)).await;
    m.on(text::FILE_LIST, file_list()).await;
    let step = Step::new();
    let r = run_on(&m.conn(), &restore(), &step).await;
    assert_eq!(r.unwrap(), format!("{FILE} restored as CRMTEST"));
    let log = step.log_text();
    assert!(
        log.contains("MOVE CRM (D) TO D:\\MSSQL\\Data\\CRMTEST.mdf"),
        "{log}"
    );
    assert!(log.contains("MOVE CRM_log (L) TO D:\\MSSQL\\Data\\CRMTEST_log.ldf"));
    assert!(log.contains(&format!("SQL> {}", text::restore("CRMTEST", 2, false))));
    assert!(log.contains(&format!("SQL> {}", text::mark_created("CRMTEST"))));
}

#[tokio::test]
async fn restore_errors_surface_with_their_number() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(None)).await;
    m.on(text::FILE_LIST, file_list()).await;
    m.on(
        text::restore("CRMTEST", 2, false),
        fails(5133, "Directory lookup for the file failed."),
    )
    .await;
    let step = Step::new();
    let e = run_on(&m.conn(), &restore(), &step).await.unwrap_err();
    assert!(
        e.contains("SQL Server error 5133") && e.contains("data_dir"),
        "{e}"
    );
}

#[tokio::test]
async fn restore_refuses_a_database_it_did_not_create() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(Some(9))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    m.on(text::created_by("CRMTEST"), texts(&["CREATED_BY"], &[None]))
        .await;
    m.on(text::FILE_LIST, file_list()).await;
    let step = Step::new();
    let e = run_on(&m.conn(), &restore(), &step).await.unwrap_err();
    assert!(e.contains("it was not restored by dress"), "{e}");

    // Allowed by the plan: replaced.
    let mut c = m.conn();
    c.allow_overwrite = true;
    let step = Step::new();
    assert!(run_on(&c, &restore(), &step).await.is_ok());
    assert!(step.log_text().contains(&text::restore("CRMTEST", 2, true)));

    // Carrying the marker of this installation: replaced without asking.
    m.on(
        text::created_by("CRMTEST"),
        one_text("dress;installation=CRMSAGE;run=test-1"),
    )
    .await;
    let step = Step::new();
    assert!(run_on(&m.conn(), &restore(), &step).await.is_ok());
    assert!(step.log_text().contains("REPLACE, CHECKSUM"));
}

#[tokio::test]
async fn checkdb_fails_with_the_server_message() {
    let m = Mock::start().await;
    let a = SqlAction::Checkdb {
        database: "CRMSAGE".into(),
    };
    let step = Step::new();
    assert_eq!(
        run_on(&m.conn(), &a, &step).await.unwrap(),
        "CRMSAGE: CHECKDB found no error"
    );
    m.on(
        text::checkdb("CRMSAGE"),
        fails(8928, "Object ID 5: Page (1:153) could not be processed."),
    )
    .await;
    let e = run_on(&m.conn(), &a, &Step::new()).await.unwrap_err();
    assert!(
        e.contains("DBCC CHECKDB of CRMSAGE reported a problem"),
        "{e}"
    );
    assert!(e.contains("8928") && e.contains("Page (1:153)"), "{e}");
}

#[tokio::test]
async fn script_stops_at_the_failing_batch_with_its_line() {
    let m = Mock::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upgrade.sql");
    let script = "-- upgrade\nPRINT 'one'\nGO\n\nUPDATE Custom_Captions SET Capt_FR = 'x'\nGO 2\nPRINT 'three'\ngo\n";
    std::fs::write(&path, format!("\u{feff}{script}")).unwrap();
    let batches = sql::script::split(script).unwrap();
    let a = SqlAction::Script {
        file: path.clone(),
        database: "CRMSAGE".into(),
    };
    let step = Step::new();
    assert!(
        run_on(&m.conn(), &a, &step)
            .await
            .unwrap()
            .contains("3 batch(es) run")
    );
    assert_eq!(step.log_text().matches("batch 2/3 (line 5)").count(), 2);

    m.on(
        // The peer compares trimmed batch text.
        batches[1].sql.trim(),
        fails(208, "Invalid object name 'Custom_Captions'."),
    )
    .await;
    let step = Step::new();
    let e = run_on(&m.conn(), &a, &step).await.unwrap_err();
    assert!(e.contains("batch 2 (script line 5) failed"), "{e}");
    assert!(e.contains("SQL Server error 208"), "{e}");
    assert!(!step.log_text().contains("batch 3/3"));
}

#[tokio::test]
async fn sysparams_write_then_read_back() {
    let m = Mock::start().await;
    let a = SqlAction::Sysparams {
        database: "CRMSAGE".into(),
        values: vec![("DTLSServerName".into(), "web1.example.local".into())],
    };
    m.on(text::SYSPARAM_READ, one_text("web1.example.local"))
        .await;
    let step = Step::new();
    assert!(run_on(&m.conn(), &a, &step).await.is_ok());
    let log = step.log_text();
    assert!(
        log.contains("wrote 'web1.example.local' (new row), read back 'web1.example.local'"),
        "{log}"
    );
    assert!(log.contains(&format!("SQL> {}", text::SYSPARAM_INSERT)));

    m.on(text::SYSPARAM_READ, one_text("old-server")).await;
    let e = run_on(&m.conn(), &a, &Step::new()).await.unwrap_err();
    assert!(e.contains("read back 'old-server'"), "{e}");

    m.on(
        text::SYSPARAM_INSERT,
        fails(208, "Invalid object name 'CUSTOM_SYSPARAMS'."),
    )
    .await;
    let e = run_on(&m.conn(), &a, &Step::new()).await.unwrap_err();
    assert!(e.contains("SQL Server error 208"), "{e}");
    m.on(
        text::SYSPARAM_UPDATE,
        fails(547, "The UPDATE statement conflicted."),
    )
    .await;
    let e = run_on(&m.conn(), &a, &Step::new()).await.unwrap_err();
    assert!(e.contains("SQL Server error 547"), "{e}");
}
