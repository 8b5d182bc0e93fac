//! SQL step specifications (the data). The runner lives in `engine::sql`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum SqlAction {
    Connect,
    Version,
    Collation,
    Sysadmin,
    Browser,
    Database { must_exist: bool },
    Connections { web_servers: u32 },
    Backup { database: String, file: String },
    Restore { file: String, database: String },
    Checkdb { database: String },
    Script { file: PathBuf },
    Sysparams { values: Vec<(String, String)> },
}

impl SqlAction {
    pub fn kind(&self) -> &'static str {
        match self {
            SqlAction::Connect => "sql.connect",
            SqlAction::Version => "sql.version",
            SqlAction::Collation => "sql.collation",
            SqlAction::Sysadmin => "sql.sysadmin",
            SqlAction::Browser => "sql.browser",
            SqlAction::Database { .. } => "sql.database",
            SqlAction::Connections { .. } => "sql.connections",
            SqlAction::Backup { .. } => "sql.backup",
            SqlAction::Restore { .. } => "sql.restore",
            SqlAction::Checkdb { .. } => "sql.checkdb",
            SqlAction::Script { .. } => "sql.script",
            SqlAction::Sysparams { .. } => "sql.sysparams",
        }
    }

    /// The SQL this step sends, parameters shown as `@P1`... with their
    /// values listed (no secret ever enters a statement).
    pub fn describe(&self) -> Vec<String> {
        vec![format!(
            "{} (SQL text provided by engine::sql)",
            self.kind()
        )]
    }
}
