//! A SQL check never passes on a missing answer: no row, no column, NULL or
//! an empty value where a value is required fails with "the server gave no
//! answer to ...". The peer (mssql-mock-tds) answers an unregistered
//! statement with an empty result, which is exactly that case.

use crate::common::sql as sql_support;

use dress::engine::sql;
use dress::model::step::sql::SqlAction;
use dress::model::step::sql_text as text;
use mssql_mock_tds::{QueryResponse, Row};
use sql_support::*;

async fn run(mock: &Mock, a: SqlAction) -> Result<String, String> {
    let step = Step::new();
    sql::run(&a, &mock.conn(), &Fixed(PASSWORD), &step.ctx)
        .await
        .map_err(|e| e.0)
}

fn assert_no_answer(r: Result<String, String>, detail: &str) {
    let e = r.expect_err("a missing answer must fail the check");
    assert!(e.contains("the server gave no answer to"), "{e}");
    assert!(e.contains(detail), "{detail} in: {e}");
}

#[tokio::test]
async fn connect_fails_on_no_row_and_on_null_or_empty_names() {
    let m = Mock::start().await;
    assert_no_answer(run(&m, SqlAction::Connect).await, "no row");
    let cols = ["server_name", "login_name"];
    m.on(text::CONNECT, texts(&cols, &[Some("SQL1"), None]))
        .await;
    assert_no_answer(run(&m, SqlAction::Connect).await, "login_name is NULL");
    m.on(text::CONNECT, texts(&cols, &[Some(""), Some("sa")]))
        .await;
    assert_no_answer(run(&m, SqlAction::Connect).await, "server_name is empty");
    // One column only.
    m.on(text::CONNECT, one_text("SQL1")).await;
    assert_no_answer(
        run(&m, SqlAction::Connect).await,
        "no text column login_name",
    );
}

#[tokio::test]
async fn collation_fails_when_the_database_question_gets_no_row() {
    let m = Mock::start().await;
    m.on(text::SERVER_COLLATION, one_text("French_CI_AS")).await;
    let a = SqlAction::Collation {
        database: Some("CRMSAGE".into()),
    };
    // DB_ID answered nothing: not "not created yet".
    assert_no_answer(run(&m, a.clone()).await, "no row");
    // The server collation itself NULL.
    m.on(
        text::SERVER_COLLATION,
        texts(&["server_collation"], &[None]),
    )
    .await;
    assert_no_answer(run(&m, a).await, "server_collation is NULL");
}

#[tokio::test]
async fn version_sysadmin_connections_fail_on_null_or_missing_values() {
    let m = Mock::start().await;
    assert_no_answer(run(&m, SqlAction::Version).await, "no row");
    m.on(
        text::VERSION,
        texts(
            &["product_version", "edition"],
            &[Some("16.0.1000.6"), None],
        ),
    )
    .await;
    assert_no_answer(run(&m, SqlAction::Version).await, "edition is NULL");

    assert_no_answer(run(&m, SqlAction::Sysadmin).await, "no row");
    m.on(text::SYSADMIN, one_int(None)).await;
    assert_no_answer(run(&m, SqlAction::Sysadmin).await, "is_sysadmin is NULL");
    // A garbled answer: text where a number is expected.
    m.on(text::SYSADMIN, one_text("yes")).await;
    assert_no_answer(
        run(&m, SqlAction::Sysadmin).await,
        "no integer column is_sysadmin",
    );

    let c = SqlAction::Connections { web_servers: 2 };
    assert_no_answer(run(&m, c.clone()).await, "no row");
    m.on(text::USER_CONNECTIONS, one_int(None)).await;
    assert_no_answer(run(&m, c).await, "user_connections is NULL");

    let a = SqlAction::AdminPassword {
        database: "CRMSAGE".into(),
    };
    assert_no_answer(run(&m, a).await, "no row");
}

#[tokio::test]
async fn restore_fails_on_a_file_list_row_without_its_names() {
    let m = Mock::start().await;
    m.on(text::DATABASE_ID, one_int(None)).await;
    m.on(
        text::FILE_LIST,
        QueryResponse::new(
            vec![text_max_col("LogicalName"), text_max_col("Type")],
            vec![
                Row::new(vec![text_max(Some("CRM")), text_max(Some("D"))]),
                Row::new(vec![text_max(None), text_max(Some("L"))]),
            ],
        ),
    )
    .await;
    let a = SqlAction::Restore {
        file: "D:\\b.bak".into(),
        database: "CRMTEST".into(),
        installation: "CRMSAGE".into(),
    };
    let e = run(&m, a).await.unwrap_err();
    assert!(
        e.contains("the server gave no answer to RESTORE FILELISTONLY")
            && e.contains("without LogicalName or Type"),
        "{e}"
    );
}

#[tokio::test]
async fn database_check_fails_on_no_row_in_every_mode() {
    use dress::model::step::sql::DbExpect;
    let m = Mock::start().await;
    for expect in [
        DbExpect::Absent,
        DbExpect::Product,
        DbExpect::RestoredCopy {
            installation: "CRMSAGE".into(),
        },
    ] {
        let a = SqlAction::Database {
            database: "CRMSAGE".into(),
            expect,
        };
        assert_no_answer(run(&m, a).await, "no row");
    }
    // Exists, but sys.databases has no row for it.
    m.on(text::DATABASE_ID, one_int(Some(5))).await;
    let a = SqlAction::Database {
        database: "CRMSAGE".into(),
        expect: DbExpect::Product,
    };
    assert_no_answer(run(&m, a.clone()).await, "no row");
    // ONLINE with a NULL collation.
    m.on(text::DATABASE_STATE, db_state("ONLINE", None)).await;
    assert_no_answer(run(&m, a.clone()).await, "COLLATION_NAME is NULL");
    // The product table answers nothing.
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    assert_no_answer(run(&m, a).await, "no row");
}

#[tokio::test]
async fn a_browser_answer_naming_no_instance_is_no_answer() {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = udp.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut buf = [0u8; 16];
        while let Ok((_, from)) = udp.recv_from(&mut buf).await {
            // A server response with an empty body.
            let _ = udp.send_to(&[0x05, 0, 0], from).await;
        }
    });
    let step = Step::new();
    let e = sql::run(
        &SqlAction::Browser { port },
        &conn_to("127.0.0.1"),
        &Fixed(PASSWORD),
        &step.ctx,
    )
    .await
    .unwrap_err()
    .0;
    assert!(e.contains("listed no instance"), "{e}");
}
