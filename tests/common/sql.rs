//! Shared by the tests/sql_*.rs files: a TDS peer (mssql-mock-tds) on a
//! free port, a plan connection to it, a step context writing a real log.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use dress::engine::ctx::StepCtx;
use dress::engine::event::Event;
use dress::model::plan::{Encryption, SqlAuth, SqlConnection};
use dress::model::secret::{SecretRef, SecretSource};
use mssql_mock_tds::{
    ColumnDefinition, ColumnValue, MockTdsServer, QueryRegistry, QueryResponse, Row, SqlDataType,
    TerminalError,
};
use secrecy::SecretString;
use tokio::sync::{Mutex, mpsc, oneshot};

pub const PASSWORD: &str = "Mock-Pw-0001";

pub struct Mock {
    pub addr: SocketAddr,
    pub registry: Arc<Mutex<QueryRegistry>>,
    _stop: oneshot::Sender<()>,
}

impl Mock {
    pub async fn start() -> Mock {
        let server = MockTdsServer::new("127.0.0.1:0").await.unwrap();
        let addr = server.local_addr();
        let registry = server.query_registry();
        let (tx, rx) = oneshot::channel();
        tokio::spawn(async move { server.run_with_shutdown(rx).await });
        Mock {
            addr,
            registry,
            _stop: tx,
        }
    }

    pub async fn on(&self, sql: impl Into<String>, r: QueryResponse) {
        self.registry.lock().await.register(sql, r);
    }

    pub fn conn(&self) -> SqlConnection {
        conn_to(&format!("127.0.0.1,{}", self.addr.port()))
    }
}

pub fn conn_to(server: &str) -> SqlConnection {
    SqlConnection {
        server: server.to_string(),
        database: "CRMSAGE".into(),
        auth: SqlAuth::Sql,
        login: Some("sa".into()),
        password: Some(SecretRef::Env {
            env: "DRESS_SQL_PASSWORD".into(),
        }),
        encryption: Encryption::NotSupported,
        trust_server_certificate: false,
        connect_timeout_s: 5,
        min_version: Some(13),
        tomcat_pool: 20,
        data_dir: Some("D:\\MSSQL\\Data".into()),
        backup_dir: Some("D:\\MSSQL\\Backup".into()),
        allow_overwrite: false,
    }
}

/// Gives one fixed password, whatever the reference.
pub struct Fixed(pub &'static str);

impl SecretSource for Fixed {
    fn resolve(&self, _what: &str, _r: &SecretRef) -> Result<SecretString, String> {
        Ok(SecretString::from(self.0))
    }
}

pub struct Step {
    pub ctx: StepCtx,
    pub events: mpsc::UnboundedReceiver<Event>,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Step {
    pub fn new() -> Step {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("step.log");
        let (ctx, events) = StepCtx::for_test(&log).unwrap();
        Step {
            ctx,
            events,
            log,
            _dir: dir,
        }
    }

    pub fn log_text(&self) -> String {
        self.ctx.flush_log();
        std::fs::read_to_string(&self.log).unwrap()
    }

    pub fn event_texts(&mut self) -> Vec<String> {
        let mut v = Vec::new();
        while let Ok(e) = self.events.try_recv() {
            v.push(format!("{e:?}"));
        }
        v
    }
}

pub fn text_col(name: &str) -> ColumnDefinition {
    ColumnDefinition::new(name, SqlDataType::NVarChar)
}

pub fn int_col(name: &str) -> ColumnDefinition {
    ColumnDefinition::new(name, SqlDataType::Int)
}

pub fn one_text(v: &str) -> QueryResponse {
    QueryResponse::new(
        vec![text_col("v")],
        vec![Row::new(vec![ColumnValue::NVarChar(v.into())])],
    )
}

pub fn one_int(v: Option<i32>) -> QueryResponse {
    QueryResponse::new(
        vec![int_col("v")],
        vec![Row::new(vec![
            v.map_or(ColumnValue::Null, ColumnValue::Int),
        ])],
    )
}

pub fn fails(number: u32, message: &str) -> QueryResponse {
    QueryResponse::error_only(TerminalError::new(number, 16, message))
}

/// What `RESTORE FILELISTONLY` answers for a database with one data file
/// and one log file.
pub fn file_list() -> QueryResponse {
    let r = |l: &str, p: &str, t: &str| {
        Row::new(vec![
            ColumnValue::NVarChar(l.into()),
            ColumnValue::NVarChar(p.into()),
            ColumnValue::NVarChar(t.into()),
        ])
    };
    QueryResponse::new(
        vec![
            text_col("LogicalName"),
            text_col("PhysicalName"),
            text_col("Type"),
        ],
        vec![
            r("CRM", "C:\\old\\CRM.mdf", "D"),
            r("CRM_log", "C:\\old\\CRM_log.ldf", "L"),
        ],
    )
}

/// A text column that can carry NULL: the peer encodes a NULL text only in
/// an NVARCHAR(MAX) column (its `ColumnValue::Null` is an integer's NULL).
pub fn text_max_col(name: &str) -> ColumnDefinition {
    ColumnDefinition::new(name, SqlDataType::NVarCharMax)
}

/// A value of a [`text_max_col`]: the text, or NULL.
pub fn text_max(v: Option<&str>) -> ColumnValue {
    match v {
        Some(v) if !v.is_empty() => ColumnValue::NVarCharMax(vec![v.encode_utf16().collect()]),
        Some(_) => ColumnValue::NVarCharMax(vec![]),
        None => ColumnValue::NVarCharMaxNull,
    }
}

/// One row of text columns, each possibly NULL.
pub fn texts(cols: &[&str], values: &[Option<&str>]) -> QueryResponse {
    QueryResponse::new(
        cols.iter().map(|c| text_max_col(c)).collect(),
        vec![Row::new(values.iter().map(|v| text_max(*v)).collect())],
    )
}

/// What `sys.databases` answers for a database in `state` (collation NULL
/// when it is not online, as SQL Server does).
pub fn db_state(state: &str, collation: Option<&str>) -> QueryResponse {
    texts(&["STATE_DESC", "COLLATION_NAME"], &[Some(state), collation])
}

/// A result set with the named columns and no row.
pub fn no_row(cols: &[&str]) -> QueryResponse {
    QueryResponse::new(cols.iter().map(|c| text_col(c)).collect(), vec![])
}

/// The row `msdb.dbo.backupset` holds for a backup (name, database, size,
/// has_backup_checksums, is_copy_only, finish date). The statement selects
/// the row by the name the step gave, so any name stands for it here.
pub fn backup_row(
    name: &str,
    database: &str,
    size: i64,
    checksums: i32,
    copy_only: i32,
) -> QueryResponse {
    QueryResponse::new(
        vec![
            text_col("BACKUP_NAME"),
            text_col("DATABASE_NAME"),
            ColumnDefinition::new("BACKUP_SIZE", SqlDataType::BigInt),
            int_col("HAS_BACKUP_CHECKSUMS"),
            int_col("IS_COPY_ONLY"),
            text_col("BACKUP_FINISH_DATE"),
        ],
        vec![Row::new(vec![
            ColumnValue::NVarChar(name.into()),
            ColumnValue::NVarChar(database.into()),
            ColumnValue::BigInt(size),
            ColumnValue::Int(checksums),
            ColumnValue::Int(copy_only),
            ColumnValue::NVarChar("2026-11-28T21:00:00.000".into()),
        ])],
    )
}

/// A TCP relay in front of the mock that cuts every connection once
/// `cut_after` has passed since it was opened: a server that dies while a
/// statement runs.
pub async fn cutting_relay(to: SocketAddr, cut_after: std::time::Duration) -> SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut a, _)) = l.accept().await {
            tokio::spawn(async move {
                let Ok(mut b) = tokio::net::TcpStream::connect(to).await else {
                    return;
                };
                let _ =
                    tokio::time::timeout(cut_after, tokio::io::copy_bidirectional(&mut a, &mut b))
                        .await;
                // Dropping both ends closes them.
            });
        }
    });
    addr
}
