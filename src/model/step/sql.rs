//! SQL step specifications (the data) and what each sends, for the dry run.
//! The statements themselves are in [`super::sql_text`]; running them is the
//! engine's (`engine::sql`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::sql_text::{self as text, Stmt};
use crate::model::lang::tr;
use crate::model::{EnvKind, Plan, UpgradeMode};
use crate::tr_fmt;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum SqlAction {
    Connect,
    Version,
    /// Server collation, and the collation of `database` when it exists.
    Collation {
        database: Option<String>,
    },
    Sysadmin,
    /// The SQL Browser answers on UDP `port` of the server (1434, [`SSRP_PORT`]).
    Browser {
        #[serde(default = "ssrp_port")]
        port: u16,
    },
    /// What `database` must be before the stages run (see [`DbExpect`]).
    Database {
        database: String,
        expect: DbExpect,
    },
    Connections {
        web_servers: u32,
    },
    /// `file` is a path as seen by the SQL server.
    Backup {
        database: String,
        file: String,
    },
    Restore {
        file: String,
        database: String,
        /// The plan's installation, named by the marker of the restored
        /// copy; a copy marked for another installation is not replaced.
        #[serde(default)]
        installation: String,
    },
    Checkdb {
        database: String,
    },
    /// A script file run in `database`, split on `GO` lines.
    Script {
        file: PathBuf,
        database: String,
    },
    /// Name/value pairs written into `custom_sysparams` of `database`.
    Sysparams {
        database: String,
        values: Vec<(String, String)>,
    },
    /// Security finding: the product's `Admin` user of `database` has an
    /// empty password.
    AdminPassword {
        database: String,
    },
}

/// What the prerequisites expect of the database of an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DbExpect {
    /// A new installation: the database must not exist (never overwritten).
    Absent,
    /// An upgrade (or reinstall) works on the product's database: it must
    /// exist, be ONLINE, be French_CI_AS and hold `custom_sysparams`.
    Product,
    /// The test copy a rehearsal restores: absent, or a copy this tool
    /// restored for `installation` (or one the plan allows to overwrite).
    RestoredCopy { installation: String },
}

impl DbExpect {
    /// From the recipe's mode and the environment the stage works on: the
    /// test environment of a plan with a production environment receives a
    /// restored copy of production; otherwise the mode decides.
    pub fn for_env(plan: &Plan, env: EnvKind) -> DbExpect {
        match plan.recipe.mode {
            UpgradeMode::Install => DbExpect::Absent,
            UpgradeMode::Upgrade | UpgradeMode::Reinstall => {
                if env == EnvKind::Test && plan.environments.production.is_some() {
                    DbExpect::RestoredCopy {
                        installation: plan.deployment.installation.clone(),
                    }
                } else {
                    DbExpect::Product
                }
            }
        }
    }

    /// The step's title.
    pub fn title(&self) -> &'static str {
        match self {
            DbExpect::Absent => crate::model::lang::tr(
                "The database does not exist yet",
                "La base de données n'existe pas encore",
            ),
            DbExpect::Product => crate::model::lang::tr(
                "The database exists, is online and is the product's",
                "La base de données existe, est en ligne et est celle du produit",
            ),
            DbExpect::RestoredCopy { .. } => crate::model::lang::tr(
                "The test database is absent or a copy dress restored",
                "La base de test est absente ou est une copie restaurée par dress",
            ),
        }
    }
}

/// UDP port of the SQL Browser service (SSRP).
pub const SSRP_PORT: u16 = 1434;

fn ssrp_port() -> u16 {
    SSRP_PORT
}

impl SqlAction {
    pub fn kind(&self) -> &'static str {
        match self {
            SqlAction::Connect => "sql.connect",
            SqlAction::Version => "sql.version",
            SqlAction::Collation { .. } => "sql.collation",
            SqlAction::Sysadmin => "sql.sysadmin",
            SqlAction::Browser { .. } => "sql.browser",
            SqlAction::Database { .. } => "sql.database",
            SqlAction::Connections { .. } => "sql.connections",
            SqlAction::Backup { .. } => "sql.backup",
            SqlAction::Restore { .. } => "sql.restore",
            SqlAction::Checkdb { .. } => "sql.checkdb",
            SqlAction::Script { .. } => "sql.script",
            SqlAction::Sysparams { .. } => "sql.sysparams",
            SqlAction::AdminPassword { .. } => "sql.admin_password",
        }
    }

    /// The SQL this step sends, parameters shown as `@P1`... with their
    /// values listed (no secret ever enters a statement).
    pub fn describe(&self) -> Vec<String> {
        let stmts: Vec<Stmt> = match self {
            SqlAction::Connect => vec![Stmt::batch(text::CONNECT)],
            SqlAction::Version => vec![Stmt::batch(text::VERSION)],
            SqlAction::Collation { database } => {
                let mut v = vec![Stmt::batch(text::SERVER_COLLATION)];
                if let Some(db) = database {
                    v.push(Stmt::with(text::DATABASE_ID, vec![db.clone()]));
                    v.push(Stmt::with(text::DATABASE_STATE, vec![db.clone()]));
                }
                v
            }
            SqlAction::Sysadmin => vec![Stmt::batch(text::SYSADMIN)],
            SqlAction::Browser { port } => {
                return vec![tr_fmt!(
                    "no SQL: one SSRP CLNT_UCAST_EX datagram (0x03) to UDP port {port} of the server",
                    "pas de SQL : un datagramme SSRP CLNT_UCAST_EX (0x03) vers le port UDP {port} du serveur"
                )];
            }
            SqlAction::Database { database, expect } => {
                let mut v = vec![Stmt::with(text::DATABASE_ID, vec![database.clone()])];
                match expect {
                    DbExpect::Absent => {}
                    DbExpect::Product => {
                        v.push(Stmt::with(text::DATABASE_STATE, vec![database.clone()]));
                        v.push(Stmt::batch(text::product_table(database)));
                    }
                    DbExpect::RestoredCopy { .. } => {
                        v.push(Stmt::with(text::DATABASE_STATE, vec![database.clone()]));
                        v.push(Stmt::with(
                            text::created_by(database),
                            vec![text::CREATED_BY_PROPERTY.into()],
                        ));
                    }
                }
                v
            }
            SqlAction::Connections { .. } => vec![Stmt::batch(text::USER_CONNECTIONS)],
            SqlAction::Backup { database, file } => {
                let name = "dress <start time> <run> <database>".to_string();
                vec![
                    Stmt::batch(text::SPID),
                    Stmt::with(text::backup(database), vec![file.clone(), name.clone()]),
                    Stmt::with(
                        text::BACKUP_HISTORY,
                        vec![name, database.clone(), file.clone()],
                    ),
                    Stmt::with(text::VERIFY_BACKUP, vec![file.clone()]),
                ]
            }
            SqlAction::Restore {
                file,
                database,
                installation,
            } => {
                let marker = text::marker_value(installation, "<this run>");
                let mut v = vec![
                    Stmt::with(text::DATABASE_ID, vec![database.clone()]),
                    Stmt::with(text::DATABASE_STATE, vec![database.clone()]),
                    Stmt::with(
                        text::created_by(database),
                        vec![text::CREATED_BY_PROPERTY.into()],
                    ),
                    Stmt::with(text::FILE_LIST, vec![file.clone()]),
                    Stmt::batch(text::SPID),
                    Stmt::with(
                        text::restore(database, 1, false),
                        vec![
                            file.clone(),
                            "<logical name from FILELISTONLY>".into(),
                            "<data_dir>\\<new file name>".into(),
                        ],
                    ),
                    Stmt::with(
                        text::mark_created(database),
                        vec![text::CREATED_BY_PROPERTY.into(), marker],
                    ),
                ];
                v[5].sql.push_str(tr(
                    "  -- one MOVE per file of the backup; REPLACE only when overwriting",
                    "  -- un MOVE par fichier de la sauvegarde ; REPLACE seulement pour écraser",
                ));
                v
            }
            SqlAction::Checkdb { database } => vec![Stmt::batch(text::checkdb(database))],
            SqlAction::Script { file, database } => {
                return vec![tr_fmt!(
                    "each batch of {} (split on GO lines), in database {}",
                    "chaque lot de {} (découpé aux lignes GO), dans la base de données {}",
                    file.display(),
                    text::quote_ident(database)
                )];
            }
            SqlAction::AdminPassword { database } => {
                let mut v = vec![tr_fmt!(
                    "in database {}:",
                    "dans la base de données {} :",
                    text::quote_ident(database)
                )];
                v.extend(
                    Stmt::with(text::ADMIN_EMPTY_PASSWORD, vec![text::ADMIN_LOGON.into()])
                        .describe(),
                );
                return v;
            }
            SqlAction::Sysparams { values, .. } => {
                let mut v = Vec::new();
                for (name, value) in values {
                    let p = vec![name.clone(), value.clone()];
                    v.push(Stmt::with(text::SYSPARAM_UPDATE, p.clone()));
                    v.push(Stmt::with(
                        tr_fmt!(
                            "{}  -- only when the UPDATE changed no row",
                            "{}  -- seulement si l'UPDATE n'a changé aucune ligne",
                            text::SYSPARAM_INSERT
                        ),
                        p,
                    ));
                    v.push(Stmt::with(text::SYSPARAM_READ, vec![name.clone()]));
                }
                v
            }
        };
        stmts.iter().flat_map(Stmt::describe).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_describes_exact_statements() {
        let a = SqlAction::Backup {
            database: "CRMSAGE".into(),
            file: "D:\\Backup\\CRMSAGE.bak".into(),
        };
        let d = a.describe();
        assert!(d.contains(&
            "BACKUP DATABASE [CRMSAGE] TO DISK = @P1 WITH COPY_ONLY, CHECKSUM, INIT, NAME = @P2, STATS = 10".to_string()
        ));
        assert!(d.contains(&"RESTORE VERIFYONLY FROM DISK = @P1 WITH CHECKSUM".to_string()));
        assert!(d.contains(&"  @P1 = N'D:\\Backup\\CRMSAGE.bak'".to_string()));
        assert_eq!(a.kind(), "sql.backup");
    }

    #[test]
    fn sysparams_show_values() {
        let a = SqlAction::Sysparams {
            database: "CRMSAGE".into(),
            values: vec![("DTLSServer".into(), "web1".into())],
        };
        let d = a.describe();
        assert_eq!(d[0], text::SYSPARAM_UPDATE);
        assert_eq!(d[1], "  @P1 = N'DTLSServer'");
        assert_eq!(d[2], "  @P2 = N'web1'");
    }
}
