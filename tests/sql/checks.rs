//! SQL checks against a real TDS peer (mssql-mock-tds) answering the exact
//! statements of `model::step::sql_text`.

use crate::common::sql as sql_support;

use std::time::{Duration, Instant};

use dress::engine::sql;
use dress::model::plan::SqlAuth;
use dress::model::step::sql::{DbExpect, SqlAction};
use dress::model::step::sql_text as text;
use mssql_mock_tds::{ColumnValue, QueryResponse, Row};
use sql_support::*;

async fn run(mock: &Mock, a: SqlAction) -> (Result<String, String>, Step) {
    run_with(mock.conn(), a).await
}

async fn run_with(
    conn: dress::model::plan::SqlConnection,
    a: SqlAction,
) -> (Result<String, String>, Step) {
    let step = Step::new();
    let r = sql::run(&a, &conn, &Fixed(PASSWORD), &step.ctx).await;
    (r.map_err(|e| e.0), step)
}

#[tokio::test]
async fn connect_reports_server_and_login() {
    let m = Mock::start().await;
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
    let (r, step) = run(&m, SqlAction::Connect).await;
    assert!(r.as_ref().unwrap().contains("as sa"), "{r:?}");
    assert!(step.log_text().contains("server name 'SQL1'"));
}

fn version(v: &str, edition: &str) -> QueryResponse {
    QueryResponse::new(
        vec![text_col("product_version"), text_col("edition")],
        vec![Row::new(vec![
            ColumnValue::NVarChar(v.into()),
            ColumnValue::NVarChar(edition.into()),
        ])],
    )
}

#[tokio::test]
async fn version_recent_enough_passes_and_old_fails() {
    let m = Mock::start().await;
    m.on(
        text::VERSION,
        version("16.0.1000.6", "Standard Edition (64-bit)"),
    )
    .await;
    let (r, step) = run(&m, SqlAction::Version).await;
    assert_eq!(
        r.unwrap(),
        "SQL Server 2022 16.0.1000.6, Standard Edition (64-bit)"
    );
    assert!(step.log_text().contains("required major version >= 13"));

    m.on(text::VERSION, version("12.0.6024.0", "Express Edition"))
        .await;
    let (r, _) = run(&m, SqlAction::Version).await;
    let e = r.unwrap_err();
    assert!(e.contains("12.0.6024.0") && e.contains("too old"), "{e}");
    assert!(e.contains("major version 13 (SQL Server 2016)"), "{e}");
}

#[tokio::test]
async fn collation_latin1_fails_with_found_and_required() {
    let m = Mock::start().await;
    m.on(text::SERVER_COLLATION, one_text("Latin1_General_CI_AS"))
        .await;
    let (r, step) = run(&m, SqlAction::Collation { database: None }).await;
    let e = r.unwrap_err();
    assert!(
        e.contains("is Latin1_General_CI_AS") && e.contains("requires French_CI_AS"),
        "{e}"
    );
    assert!(
        step.log_text()
            .contains("server collation Latin1_General_CI_AS; required French_CI_AS")
    );
}

#[tokio::test]
async fn collation_checks_the_database_when_it_exists() {
    let m = Mock::start().await;
    m.on(text::SERVER_COLLATION, one_text("French_CI_AS")).await;
    let db = Some("CRMSAGE".to_string());
    // Absent database: the server collation is enough.
    m.on(text::DATABASE_ID, one_int(None)).await;
    let (r, _) = run(
        &m,
        SqlAction::Collation {
            database: db.clone(),
        },
    )
    .await;
    assert!(r.unwrap().contains("not created yet"));
    // Present, with the wrong collation.
    m.on(text::DATABASE_ID, one_int(Some(7))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("Latin1_General_CI_AS")),
    )
    .await;
    let (r, _) = run(
        &m,
        SqlAction::Collation {
            database: db.clone(),
        },
    )
    .await;
    let e = r.unwrap_err();
    assert!(
        e.contains("CRMSAGE has collation Latin1_General_CI_AS"),
        "{e}"
    );
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    let (r, _) = run(&m, SqlAction::Collation { database: db }).await;
    assert_eq!(r.unwrap(), "server and database collation French_CI_AS");
}

#[tokio::test]
async fn sysadmin_member_or_not() {
    let m = Mock::start().await;
    m.on(text::SYSADMIN, one_int(Some(1))).await;
    assert_eq!(
        run(&m, SqlAction::Sysadmin).await.0.unwrap(),
        "sa is sysadmin"
    );
    m.on(text::SYSADMIN, one_int(Some(0))).await;
    let e = run(&m, SqlAction::Sysadmin).await.0.unwrap_err();
    assert!(e.contains("'sa' is not a member of the sysadmin"), "{e}");
}

#[tokio::test]
async fn server_error_surfaces_with_its_number() {
    let m = Mock::start().await;
    m.on(
        text::SYSADMIN,
        fails(229, "The EXECUTE permission was denied on the object."),
    )
    .await;
    let e = run(&m, SqlAction::Sysadmin).await.0.unwrap_err();
    assert!(e.contains("SQL Server error 229"), "{e}");
    assert!(e.contains("EXECUTE permission was denied"), "{e}");
    assert!(e.contains("needs a sysadmin login"), "{e}");
}

#[tokio::test]
async fn database_present_or_absent_as_expected() {
    let m = Mock::start().await;
    let a = |must_exist: bool| SqlAction::Database {
        database: "CRMSAGE".into(),
        expect: if must_exist {
            DbExpect::Product
        } else {
            DbExpect::Absent
        },
    };
    m.on(text::DATABASE_ID, one_int(Some(5))).await;
    m.on(
        text::DATABASE_STATE,
        db_state("ONLINE", Some("French_CI_AS")),
    )
    .await;
    m.on(text::product_table("CRMSAGE"), one_int(Some(120)))
        .await;
    assert!(run(&m, a(true)).await.0.is_ok());
    let e = run(&m, a(false)).await.0.unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    m.on(text::DATABASE_ID, one_int(None)).await;
    assert!(run(&m, a(false)).await.0.is_ok());
    let e = run(&m, a(true)).await.0.unwrap_err();
    assert!(e.contains("does not exist"), "{e}");
    // A bad name never reaches the server.
    let bad = SqlAction::Database {
        database: "CRM];DROP".into(),
        expect: DbExpect::Product,
    };
    assert!(run(&m, bad).await.0.unwrap_err().contains("only letters"));
}

#[tokio::test]
async fn user_connections_against_web_servers() {
    let m = Mock::start().await;
    let a = SqlAction::Connections { web_servers: 3 };
    m.on(text::USER_CONNECTIONS, one_int(Some(0))).await;
    assert_eq!(
        run(&m, a.clone()).await.0.unwrap(),
        "32767 user connections allowed, 63 needed"
    );
    m.on(text::USER_CONNECTIONS, one_int(Some(50))).await;
    let e = run(&m, a).await.0.unwrap_err();
    assert!(
        e.contains("allows 50 user connections") && e.contains("need 63"),
        "{e}"
    );
}

#[tokio::test]
async fn connection_refused_is_classified() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let (r, _) = run_with(conn_to(&format!("127.0.0.1,{port}")), SqlAction::Connect).await;
    let e = r.unwrap_err();
    assert!(e.contains("connection refused by 127.0.0.1,"), "{e}");
}

#[tokio::test]
async fn unknown_host_is_a_dns_error() {
    let (r, _) = run_with(conn_to("no-such-host.invalid"), SqlAction::Connect).await;
    let e = r.unwrap_err();
    assert!(e.contains("was not found (DNS)"), "{e}");
}

#[tokio::test]
async fn silent_server_hits_the_connect_timeout() {
    // Accepts TCP, never speaks TDS.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut keep = Vec::new();
        while let Ok((s, _)) = l.accept().await {
            keep.push(s);
        }
    });
    let mut c = conn_to(&format!("127.0.0.1,{port}"));
    c.connect_timeout_s = 1;
    let t = Instant::now();
    let (r, _) = run_with(c, SqlAction::Connect).await;
    let e = r.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    assert!(
        e.contains("within 1 s") || e.contains("did not answer in time"),
        "{e}"
    );
}

#[tokio::test]
async fn windows_auth_off_windows_is_explained() {
    let m = Mock::start().await;
    let mut c = m.conn();
    c.auth = SqlAuth::Windows;
    c.login = None;
    c.password = None;
    let (r, _) = run_with(c, SqlAction::Connect).await;
    if cfg!(windows) {
        return;
    }
    let e = r.unwrap_err();
    assert!(
        e.contains("only available when dress runs on Windows") && e.contains("auth = \"sql\""),
        "{e}"
    );
}

#[tokio::test]
async fn sql_browser_answer_and_silence() {
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let port = udp.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut buf = [0u8; 16];
        while let Ok((n, from)) = udp.recv_from(&mut buf).await {
            if n == 1 && buf[0] == 0x03 {
                let body = b"ServerName;SQL1;InstanceName;MSSQLSERVER;IsClustered;No;Version;16.0.1000.6;tcp;1433;;";
                let mut d = vec![0x05, body.len() as u8, 0];
                d.extend_from_slice(body);
                let _ = udp.send_to(&d, from).await;
            }
        }
    });
    let mut c = conn_to("127.0.0.1");
    let (r, step) = run_with(c.clone(), SqlAction::Browser { port }).await;
    assert_eq!(r.unwrap(), "SQL Browser answers (1 instance(s))");
    assert!(step.log_text().contains("MSSQLSERVER (tcp 1433)"));

    // A named instance the Browser does not know.
    c.server = "127.0.0.1\\CRM".into();
    let e = run_with(c.clone(), SqlAction::Browser { port })
        .await
        .0
        .unwrap_err();
    assert!(e.contains("does not list the instance CRM"), "{e}");

    // Nobody listening.
    let quiet = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let qport = quiet.local_addr().unwrap().port();
    c.server = "127.0.0.1".into();
    c.connect_timeout_s = 1;
    let e = run_with(c, SqlAction::Browser { port: qport })
        .await
        .0
        .unwrap_err();
    assert!(e.contains("no answer from the SQL Browser"), "{e}");
}

/// The step's outcome and its measurement are in the language of the run.
#[test]
fn connect_reports_in_french() {
    use dress::model::lang::{Lang, scoped};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (r, log) = scoped(Lang::Fr, || {
        rt.block_on(async {
            let m = Mock::start().await;
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
            let (r, step) = run(&m, SqlAction::Connect).await;
            (r, step.log_text())
        })
    });
    let r = r.unwrap();
    assert!(
        r.starts_with("connecté à ") && r.ends_with(" en tant que sa"),
        "{r}"
    );
    assert!(log.contains("nom du serveur « SQL1 »"), "{log}");
}
