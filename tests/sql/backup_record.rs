//! A backup passes only once SQL Server recorded it (msdb.dbo.backupset),
//! and the failures around it are told as they are: a server lost in the
//! middle, a file in use, a named instance's Browser.

use crate::common::sql as sql_support;

use std::time::Duration;

use dress::engine::sql;
use dress::model::plan::SqlConnection;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use mssql_mock_tds::QueryResponse;
use sql_support::*;

const FILE: &str = "D:\\MSSQL\\Backup\\CRMSAGE.bak";

fn backup() -> SqlAction {
    SqlAction::Backup {
        database: "CRMSAGE".into(),
        file: FILE.into(),
    }
}

async fn run_on(conn: &SqlConnection, a: &SqlAction, step: &Step) -> Result<String, String> {
    sql::run(a, conn, &Fixed(PASSWORD), &step.ctx)
        .await
        .map_err(|e| e.0)
}

#[tokio::test]
async fn a_backup_the_server_did_not_record_fails() {
    // BACKUP and VERIFYONLY answer "done" and nothing else: a statement the
    // server swallowed.
    let m = Mock::start().await;
    let step = Step::new();
    let e = run_on(&m.conn(), &backup(), &step).await.unwrap_err();
    assert!(
        e.contains("SQL Server has no record of this backup") && e.contains("msdb.dbo.backupset"),
        "{e}"
    );
    assert!(
        step.log_text()
            .contains(&format!("SQL> {}", text::BACKUP_HISTORY))
    );
    // VERIFYONLY never ran on an unrecorded backup.
    assert!(!step.log_text().contains(text::VERIFY_BACKUP));
}

#[tokio::test]
async fn the_recorded_backup_must_be_the_one_asked_for() {
    let m = Mock::start().await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMOTHER", 0, 0, 0),
    )
    .await;
    let e = run_on(&m.conn(), &backup(), &Step::new())
        .await
        .unwrap_err();
    for what in [
        "a backup of CRMOTHER, not CRMSAGE",
        "its size is 0 bytes",
        "no checksums",
        "not COPY_ONLY",
    ] {
        assert!(e.contains(what), "{what} in {e}");
    }
    // A NULL where a value is required is no answer.
    m.on(
        text::BACKUP_HISTORY,
        texts(
            &[
                "BACKUP_NAME",
                "DATABASE_NAME",
                "BACKUP_SIZE",
                "HAS_BACKUP_CHECKSUMS",
                "IS_COPY_ONLY",
                "BACKUP_FINISH_DATE",
            ],
            &[Some("dress"), Some("CRMSAGE"), None, None, None, None],
        ),
    )
    .await;
    let e = run_on(&m.conn(), &backup(), &Step::new())
        .await
        .unwrap_err();
    assert!(e.contains("the server gave no answer to"), "{e}");
}

#[tokio::test]
async fn the_recorded_backup_is_journalled_as_measurements() {
    let m = Mock::start().await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress 1 run CRMSAGE", "CRMSAGE", 7_340_032, 1, 1),
    )
    .await;
    let mut step = Step::new();
    run_on(&m.conn(), &backup(), &step).await.unwrap();
    let measured: Vec<String> = step
        .event_texts()
        .into_iter()
        .filter(|e| e.starts_with("Measured"))
        .collect();
    let all = measured.join("\n");
    for what in [
        "msdb.dbo.backupset name: 'dress 1 run CRMSAGE'",
        "database_name: CRMSAGE",
        "backup_size: 7340032 bytes",
        "has_backup_checksums: 1",
        "is_copy_only: 1",
        "backup_finish_date: 2026-11-28T21:00:00.000",
    ] {
        assert!(all.contains(what), "{what} in {all}");
    }
}

#[tokio::test]
async fn a_server_lost_mid_backup_is_not_an_encryption_problem() {
    let m = Mock::start().await;
    m.on(
        text::backup("CRMSAGE"),
        QueryResponse::new(vec![], vec![]).with_delay(Duration::from_secs(20)),
    )
    .await;
    let relay = cutting_relay(m.addr, Duration::from_millis(1500)).await;
    let conn = conn_to(&format!("127.0.0.1,{}", relay.port()));
    let t = std::time::Instant::now();
    let e = run_on(&conn, &backup(), &Step::new()).await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    assert!(!e.contains("encryption"), "{e}");
    assert!(e.contains("was lost while a statement ran"), "{e}");
    assert!(
        e.contains(&format!("the backup file {FILE} is incomplete")) && e.contains("--resume"),
        "{e}"
    );
}

#[tokio::test]
async fn a_backup_file_in_use_is_not_blamed_on_the_folder() {
    let m = Mock::start().await;
    m.on(
        text::backup("CRMSAGE"),
        fails(
            3201,
            "Cannot open backup device 'D:\\MSSQL\\Backup\\CRMSAGE.bak'. Operating system error 32(The process cannot access the file because it is being used by another process.).",
        ),
    )
    .await;
    let e = run_on(&m.conn(), &backup(), &Step::new())
        .await
        .unwrap_err();
    assert!(e.contains("in use by another process"), "{e}");
    assert!(!e.contains("service account"), "{e}");
}

/// A SQL Browser on UDP 1434 of 127.0.0.1 that gives `port` for every
/// instance asked (`None`: says nothing).
async fn browser_on_1434(port: Option<u16>) -> tokio::task::JoinHandle<()> {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:1434")
        .await
        .expect("UDP 127.0.0.1:1434 must be free for this test (the SQL Browser port)");
    tokio::spawn(async move {
        let mut buf = [0u8; 256];
        while let Ok((n, from)) = udp.recv_from(&mut buf).await {
            let Some(port) = port else { continue };
            if n > 1 && buf[0] == 0x04 {
                let instance = String::from_utf8_lossy(&buf[1..n]).to_string();
                let body = format!(
                    "ServerName;SQL1;InstanceName;{instance};IsClustered;No;Version;15.0.2000.5;tcp;{port};;"
                );
                let mut d = vec![0x05, body.len() as u8, 0];
                d.extend_from_slice(body.as_bytes());
                let _ = udp.send_to(&d, from).await;
            }
        }
    })
}

#[tokio::test]
async fn a_named_instance_asks_the_browser_on_udp_1434() {
    let m = Mock::start().await;
    m.on(
        text::CONNECT,
        texts(
            &["server_name", "login_name"],
            &[Some("SQL1\\CRM"), Some("sa")],
        ),
    )
    .await;
    let conn = conn_to("127.0.0.1\\CRM");
    let browser = browser_on_1434(Some(m.addr.port())).await;
    let r = run_on(&conn, &SqlAction::Connect, &Step::new()).await;
    browser.abort();
    let _ = browser.await;
    assert!(r.as_ref().is_ok_and(|s| s.contains("as sa")), "{r:?}");

    // A Browser that stays silent: said as the UDP 1434 it is.
    let browser = browser_on_1434(None).await;
    let e = run_on(&conn, &SqlAction::Connect, &Step::new())
        .await
        .unwrap_err();
    browser.abort();
    assert!(e.contains("did not answer on UDP 1434"), "{e}");
    assert!(!e.contains("port 1433"), "{e}");
}
