//! Whose database the restore replaces: the marker must name this plan's
//! installation (and names the run that restored it); a database that
//! cannot be read is replaced only when this run was restoring it, and is
//! otherwise refused with its own explanation and fix.

use crate::common::sql as sql_support;

use dress::engine::sql::{self, marker};
use dress::model::plan::SqlConnection;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use sql_support::*;

const FILE: &str = "D:\\MSSQL\\Backup\\CRMSAGE.bak";

fn restore() -> SqlAction {
    SqlAction::Restore {
        file: FILE.into(),
        database: "CRMTEST".into(),
        installation: "CRMSAGE".into(),
    }
}

async fn run_on(conn: &SqlConnection, step: &Step) -> Result<String, String> {
    sql::run(&restore(), conn, &Fixed(PASSWORD), &step.ctx)
        .await
        .map_err(|e| e.0)
}

async fn existing(m: &Mock, state: &str) {
    m.on(text::DATABASE_ID, one_int(Some(9))).await;
    m.on(text::FILE_LIST, file_list()).await;
    let collation = (state == "ONLINE").then_some("French_CI_AS");
    m.on(text::DATABASE_STATE, db_state(state, collation)).await;
}

#[tokio::test]
async fn a_marker_of_another_installation_is_refused_with_what_was_found() {
    let m = Mock::start().await;
    existing(&m, "ONLINE").await;
    m.on(
        text::created_by("CRMTEST"),
        one_text("dress;installation=CRMOTHER;run=test-20260101-0900"),
    )
    .await;
    let step = Step::new();
    let e = run_on(&m.conn(), &step).await.unwrap_err();
    assert!(
        e.contains("names installation CRMOTHER (run test-20260101-0900)")
            && e.contains("not this plan's installation CRMSAGE")
            && e.contains("allow_overwrite"),
        "{e}"
    );
    assert!(!step.log_text().contains("RESTORE DATABASE"));
    // The bare marker of older versions names no installation.
    m.on(text::created_by("CRMTEST"), one_text("dress")).await;
    let e = run_on(&m.conn(), &Step::new()).await.unwrap_err();
    assert!(e.contains("property is 'dress'"), "{e}");
    // The plan allows it: replaced, and said.
    let mut c = m.conn();
    c.allow_overwrite = true;
    let step = Step::new();
    run_on(&c, &step).await.unwrap();
    assert!(
        step.log_text()
            .contains("allow_overwrite = true: it is replaced")
    );
}

#[tokio::test]
async fn the_new_marker_names_the_installation_and_the_run() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(None)).await;
    m.on(text::FILE_LIST, file_list()).await;
    let step = Step::new();
    run_on(&m.conn(), &step).await.unwrap();
    let run = marker::run_id(&step.ctx.run_dir);
    let log = step.log_text();
    assert!(
        log.contains(&format!("N'dress;installation=CRMSAGE;run={run}'")),
        "{log}"
    );
    assert!(!marker::record_path(&step.ctx.run_dir, "CRMTEST").exists());
}

#[tokio::test]
async fn an_unreadable_database_not_recorded_is_refused_with_its_own_fix() {
    let m = Mock::start().await;
    for (state, fix) in [
        ("RESTORING", "dress run --resume"),
        ("RECOVERY_PENDING", "error log"),
        ("SUSPECT", "damaged"),
        ("OFFLINE", "SET ONLINE"),
    ] {
        existing(&m, state).await;
        // Error 927 if anyone reads inside it: the state comes first.
        m.on(
            text::created_by("CRMTEST"),
            fails(
                927,
                "Database 'CRMTEST' cannot be opened. It is in the middle of a restore.",
            ),
        )
        .await;
        let step = Step::new();
        let e = run_on(&m.conn(), &step).await.unwrap_err();
        assert!(e.contains(&format!("is {state}")) && e.contains(fix), "{e}");
        assert!(!e.contains("927"), "{e}");
        assert!(!step.log_text().contains("RESTORE DATABASE"));
        // Allowed by the plan: replaced.
        let mut c = m.conn();
        c.allow_overwrite = true;
        assert!(run_on(&c, &Step::new()).await.is_ok(), "{state}");
    }
}

#[tokio::test]
async fn online_without_marker_after_this_runs_restore_is_restored_again() {
    // The restore ended but the program stopped before the marker was set.
    let m = Mock::start().await;
    existing(&m, "ONLINE").await;
    m.on(text::created_by("CRMTEST"), texts(&["CREATED_BY"], &[None]))
        .await;
    let step = Step::new();
    marker::write_record(
        &step.ctx.run_dir,
        &marker::RestoreRecord {
            server: m.conn().server,
            database: "CRMTEST".into(),
            installation: "CRMSAGE".into(),
            run: "r".into(),
            file: FILE.into(),
        },
    )
    .unwrap();
    run_on(&m.conn(), &step).await.unwrap();
    assert!(step.log_text().contains("this run was restoring it"));
    // A record for another installation proves nothing.
    let step = Step::new();
    marker::write_record(
        &step.ctx.run_dir,
        &marker::RestoreRecord {
            server: m.conn().server,
            database: "CRMTEST".into(),
            installation: "CRMOTHER".into(),
            run: "r".into(),
            file: FILE.into(),
        },
    )
    .unwrap();
    assert!(run_on(&m.conn(), &step).await.is_err());
}
