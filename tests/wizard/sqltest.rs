//! The SQL page's Test connection against a real TDS peer
//! (mssql-mock-tds) answering the statements of `model::step::sql_text`: each
//! check gives its line, the password typed for the test never shows.

use crate::common::sql as sql_support;
use crate::common::wizard as wizard_support;

use crossterm::event::KeyCode;
use dress::model::step::sql_text as text;
use dress::ui::wizard::fields::Page;
use dress::ui::wizard::sqltest::{self, TestLine};
use dress::ui::wizard::state::SqlTest;
use dress::ui::wizard::{Msg, Wizard, update};
use mssql_mock_tds::{ColumnValue, QueryResponse, Row};
use sql_support::*;
use wizard_support::*;

async fn server_answers(m: &Mock, collation: &str) {
    m.on(
        text::CONNECT,
        QueryResponse::new(
            vec![text_col("server_name"), text_col("login_name")],
            vec![Row::new(vec![
                ColumnValue::NVarChar("SQL1".into()),
                ColumnValue::NVarChar("sa".into()),
            ])],
        ),
    )
    .await;
    m.on(
        text::VERSION,
        QueryResponse::new(
            vec![text_col("product_version"), text_col("edition")],
            vec![Row::new(vec![
                ColumnValue::NVarChar("16.0.1000.6".into()),
                ColumnValue::NVarChar("Standard Edition (64-bit)".into()),
            ])],
        ),
    )
    .await;
    m.on(text::SERVER_COLLATION, one_text(collation)).await;
    m.on(text::SYSADMIN, one_int(Some(1))).await;
}

/// On the SQL page, pointed at the mock, encryption set as the mock needs,
/// the test password typed; then Ctrl-T and the checks run.
async fn tested(m: &Mock) -> (Wizard, Vec<TestLine>) {
    let mut wz = open("plan.toml".into(), None);
    reach(&mut wz, Page::Sql);
    typ(&mut wz, &format!("127.0.0.1,{}", m.addr.port()));
    next(&mut wz);
    // Options: encryption "not-supported" (the mock speaks no TLS), then back.
    tab(&mut wz, 3);
    key(&mut wz, KeyCode::Left);
    key(&mut wz, KeyCode::Left);
    key(&mut wz, KeyCode::PageUp);
    assert_eq!(wz.page, Page::Sql);
    assert!(draw(&wz, 120, 30).contains(&format!("127.0.0.1,{}", m.addr.port())));
    tab(&mut wz, 6);
    typ(&mut wz, PASSWORD);
    let out = ctrl(&mut wz, 't');
    let (conn, pw) = out.test.expect("the test starts");
    assert!(matches!(wz.sql_test, SqlTest::Running));
    let lines = sqltest::run(&conn, &pw).await;
    update(&mut wz, Msg::Tested(lines.clone()));
    (wz, lines)
}

#[tokio::test]
async fn every_check_gives_its_line() {
    let m = Mock::start().await;
    server_answers(&m, text::REQUIRED_COLLATION).await;
    let (wz, lines) = tested(&m).await;
    let names: Vec<&str> = lines.iter().map(|l| l.check).collect();
    assert_eq!(
        names,
        [
            "sql.connect",
            "sql.version",
            "sql.collation",
            "sql.sysadmin"
        ]
    );
    assert!(lines.iter().all(|l| l.ok), "{lines:?}");
    assert!(lines[0].text.contains("as sa"), "{lines:?}");
    assert!(lines[1].text.contains("16.0.1000.6"), "{lines:?}");
    for (w, h) in [(80, 24), (120, 30)] {
        let screen = draw(&wz, w, h);
        assert!(!screen.contains(PASSWORD), "{screen}");
        assert!(screen.contains("sql.sysadmin"), "{screen}");
    }
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../../snapshots");
    s.set_prepend_module_to_snapshot(false);
    let port = m.addr.port().to_string();
    for (w, h) in [(80, 24), (120, 30)] {
        let screen = draw(&wz, w, h).replace(&port, &format!("{:<5}", "PORT"));
        s.bind(|| insta::assert_snapshot!(format!("wizard_sql_tested_{w}x{h}"), screen));
    }
}

/// The same test screen in French: the lines the probe writes and the
/// page around them.
#[test]
fn every_check_gives_its_line_in_french() {
    use dress::model::lang::{self, Lang};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // One thread: the probe writes its lines in the language of this one.
    lang::scoped(Lang::Fr, || {
        rt.block_on(async {
            let m = Mock::start().await;
            server_answers(&m, text::REQUIRED_COLLATION).await;
            let (wz, lines) = tested(&m).await;
            assert!(lines.iter().all(|l| l.ok), "{lines:?}");
            let mut s = insta::Settings::clone_current();
            s.set_snapshot_path("../../snapshots");
            s.set_prepend_module_to_snapshot(false);
            let port = m.addr.port().to_string();
            for (w, h) in [(80, 24), (120, 30)] {
                let screen = draw(&wz, w, h).replace(&port, &format!("{:<5}", "PORT"));
                assert!(!screen.contains(PASSWORD), "{screen}");
                s.bind(|| insta::assert_snapshot!(format!("wizard_sql_tested_fr_{w}x{h}"), screen));
            }
        })
    });
}

#[tokio::test]
async fn wrong_collation_fails_its_line_only() {
    let m = Mock::start().await;
    server_answers(&m, "Latin1_General_CI_AS").await;
    let (wz, lines) = tested(&m).await;
    let bad: Vec<&TestLine> = lines.iter().filter(|l| !l.ok).collect();
    assert_eq!(bad.len(), 1, "{lines:?}");
    assert_eq!(bad[0].check, "sql.collation");
    assert!(bad[0].text.contains("Latin1_General_CI_AS"), "{lines:?}");
    assert!(draw(&wz, 120, 30).contains("failed"));
}

#[tokio::test]
async fn nobody_listening_stops_after_connect() {
    // A port that was free a moment ago: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut conn = conn_to(&format!("127.0.0.1,{port}"));
    conn.connect_timeout_s = 3;
    let pw = secrecy::SecretString::from(PASSWORD);
    let lines = sqltest::run(&conn, &pw).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].ok);
    assert!(!lines[0].text.contains(PASSWORD));
}

#[test]
fn test_is_refused_while_the_connection_fields_are_wrong() {
    let mut wz = open("plan.toml".into(), None);
    reach(&mut wz, Page::Sql);
    typ(&mut wz, "bad server name");
    let out = ctrl(&mut wz, 't');
    assert!(out.test.is_none());
    assert!(
        wz.notice
            .as_deref()
            .unwrap_or("")
            .contains("before testing")
    );
}

#[tokio::test]
async fn a_prompted_password_must_be_typed_for_the_test() {
    let m = Mock::start().await;
    server_answers(&m, text::REQUIRED_COLLATION).await;
    let mut conn = m.conn();
    conn.password = Some(dress::model::SecretRef::Prompt {
        prompt: true,
        field: String::new(),
    });
    let lines = sqltest::run(&conn, &secrecy::SecretString::from("")).await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(!lines[0].ok);
    assert!(lines[0].text.contains("Password (test)"), "{lines:?}");
}
