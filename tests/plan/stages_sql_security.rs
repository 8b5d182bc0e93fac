//! The post-install security check of the Admin account, against a TDS peer
//! answering the exact statement of `model::step::sql_text`.

use crate::common::sql as sql_support;

use dress::engine::sql;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use sql_support::*;

async fn admin_check(m: &Mock) -> (Result<String, String>, Step) {
    let step = Step::new();
    let a = SqlAction::AdminPassword {
        database: "CRMSAGE".into(),
    };
    let r = sql::run(&a, &m.conn(), &Fixed(PASSWORD), &step.ctx).await;
    (r.map_err(|e| e.0), step)
}

#[tokio::test]
async fn admin_without_password_is_a_finding() {
    let m = Mock::start().await;
    m.on(text::ADMIN_EMPTY_PASSWORD, one_int(Some(1))).await;
    let (r, step) = admin_check(&m).await;
    let e = r.unwrap_err();
    assert!(
        e.starts_with("security finding: the Admin account of CRMSAGE has no password"),
        "{e}"
    );
    let log = step.log_text();
    assert!(log.contains("@P1 = N'Admin'"), "{log}");
    assert!(
        log.contains("with an empty password in CRMSAGE: 1"),
        "{log}"
    );
    assert!(!log.contains(PASSWORD));
}

#[tokio::test]
async fn admin_with_a_password_passes() {
    let m = Mock::start().await;
    m.on(text::ADMIN_EMPTY_PASSWORD, one_int(Some(0))).await;
    let (r, _) = admin_check(&m).await;
    assert_eq!(r.unwrap(), "the Admin account has a password");
}

#[tokio::test]
async fn missing_users_table_says_so() {
    let m = Mock::start().await;
    m.on(
        text::ADMIN_EMPTY_PASSWORD,
        fails(208, "Invalid object name 'USERS'."),
    )
    .await;
    let (r, _) = admin_check(&m).await;
    let e = r.unwrap_err();
    assert!(e.contains("USERS"), "{e}");
}
