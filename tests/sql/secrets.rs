//! The SQL password never leaves: not in the step log, not in the events,
//! not in an error — even when the server echoes it back.

use crate::common::sql as sql_support;

use dress::engine::sql;
use dress::model::secret::EnvSecrets;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use sql_support::*;

const CANARY: &str = "Canary-Pw-7731";
const VAR: &str = "DRESS_SQL_CANARY_PW";

fn secrets() -> EnvSecrets {
    // SAFETY: only this test binary reads this variable, always with the same value.
    unsafe { std::env::set_var(VAR, CANARY) };
    EnvSecrets::default()
}

#[tokio::test]
async fn canary_password_is_found_nowhere() {
    let secrets = secrets();
    let m = Mock::start().await;
    m.on(text::SYSADMIN, one_int(Some(1))).await;
    m.on(
        text::BACKUP_HISTORY,
        backup_row("dress", "CRMSAGE", 1 << 20, 1, 1),
    )
    .await;
    m.on(
        text::VERSION,
        fails(
            18456,
            &format!("Login failed for user 'sa' with password '{CANARY}'."),
        ),
    )
    .await;
    let mut conn = m.conn();
    conn.password = Some(dress::model::secret::SecretRef::Env { env: VAR.into() });
    let mut refused = conn.clone();
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    refused.server = format!("127.0.0.1,{}", l.local_addr().unwrap().port());
    drop(l);

    let actions = [
        (&conn, SqlAction::Sysadmin, true),
        (&conn, SqlAction::Version, false),
        (&refused, SqlAction::Connect, false),
        (
            &conn,
            SqlAction::Backup {
                database: "CRMSAGE".into(),
                file: "D:\\b.bak".into(),
            },
            true,
        ),
    ];
    let mut seen_error = false;
    for (c, a, ok) in actions {
        let mut step = Step::new();
        let r = sql::run(&a, c, &secrets, &step.ctx).await;
        assert_eq!(r.is_ok(), ok, "{a:?}: {r:?}");
        let out = match &r {
            Ok(s) => s.clone(),
            Err(e) => e.0.clone(),
        };
        assert!(!out.contains(CANARY), "{a:?}: {out}");
        if let SqlAction::Version = a {
            // The server's echo reached the error, masked.
            assert!(
                out.contains("password '***'") && out.contains("18456"),
                "{out}"
            );
            seen_error = true;
        }
        let log = step.log_text();
        assert!(!log.is_empty());
        assert!(!log.contains(CANARY), "{log}");
        for e in step.event_texts() {
            assert!(!e.contains(CANARY), "{e}");
        }
    }
    assert!(seen_error);
}
