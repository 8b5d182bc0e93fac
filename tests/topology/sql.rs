//! The `c` key of the topology editor against a real TDS peer: the live
//! user-connections check shows its answer, never the password.

use crate::common::sql as sql_support;
use crate::common::topology as topology_common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dress::model::secret::SecretRef;
use dress::model::step::sql_text as text;
use dress::ui::topology::effects;
use dress::ui::topology::state::SqlCheck;
use dress::ui::topology::update::{Msg, update};
use sql_support::*;
use topology_common::*;

const VAR: &str = "DRESS_TOPOLOGY_TEST_SQL_PASSWORD";

fn check_once(ed: &mut dress::ui::topology::state::Editor) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    let out = update(
        ed,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)),
    );
    assert_eq!(ed.sql_check, SqlCheck::Running);
    effects::perform(ed, out.effect.expect("c asks for the check"), &tx);
    let r = tokio::task::block_in_place(|| rx.recv_timeout(Duration::from_secs(20)).unwrap());
    update(ed, Msg::SqlChecked(r));
    screen(ed, 120, 30)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c_checks_user_connections_live() {
    // SAFETY: this test binary sets the variable once, before any thread
    // reads it.
    unsafe { std::env::set_var(VAR, PASSWORD) };
    let m = Mock::start().await;
    let mut conn = m.conn();
    conn.password = Some(SecretRef::Env { env: VAR.into() });
    let mut ed = editor_with(three_web());
    ed.sql = Some(conn);

    m.on(text::USER_CONNECTIONS, one_int(Some(0))).await;
    let shown = check_once(&mut ed);
    assert!(
        shown.contains("SQL server: 32767 user connections allowed, 63 needed"),
        "{shown}"
    );
    assert!(!shown.contains(PASSWORD));

    m.on(text::USER_CONNECTIONS, one_int(Some(50))).await;
    let shown = check_once(&mut ed);
    assert!(
        shown.contains("SQL check failed: SQL Server allows 50"),
        "{shown}"
    );
    assert!(!shown.contains(PASSWORD));

    // A login failure that quotes the password is masked.
    m.on(
        text::USER_CONNECTIONS,
        fails(
            18456,
            &format!("Login failed for user 'sa' with '{PASSWORD}'"),
        ),
    )
    .await;
    let shown = check_once(&mut ed);
    assert!(shown.contains("SQL check failed"), "{shown}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    if let SqlCheck::Done(Err(e)) = &ed.sql_check {
        assert!(!e.contains(PASSWORD), "{e}");
        assert!(
            e.contains("***"),
            "the server message is shown, masked: {e}"
        );
    }
}
