//! The step vocabulary: stages, steps and what each step kind does, as
//! data. Generated from a plan by `recipe`, printed by `dress plan show`,
//! run by the engine (`engine::dispatch`).
//!
//! Pure: no I/O, no tokio. Each step kind is one variant of [`Action`], with
//! its `kind()` name and its `describe()` text (exact command lines and SQL,
//! secrets masked). Where a kind's data is larger it has its own file:
//! `sql` (SQL steps, statements in `sql_text`), `response` (programs fed a
//! response file), `drift` (multiserver file comparison); `describe` holds
//! the texts of the install, licence and multiserver kinds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::EnvKind;
use crate::model::lang::tr;
use crate::tr_fmt;

mod describe;
pub mod drift;
pub mod response;
pub mod sql;
pub mod sql_text;

pub use drift::DriftSpec;
pub use sql::{DbExpect, SqlAction};

/// In a backup file name: stands for the id of the run that takes the
/// backup (resolved by the engine when the step runs).
pub const RUN: &str = "{run}";
/// In a backup file name: stands for the id of the run whose backup a
/// restore uses.
pub const BACKUP: &str = "{backup}";

/// The manifest written beside an archive: `NAME.tar` -> `NAME.tar.manifest`.
pub fn manifest_path_for(archive: &Path) -> PathBuf {
    let mut s = archive.as_os_str().to_owned();
    s.push(".manifest");
    PathBuf::from(s)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub env: EnvKind,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id inside its stage (e.g. `archive-program-files`).
    pub id: String,
    pub title: String,
    /// A required step cannot be skipped.
    pub required: bool,
    /// Whether the step changes anything (files, database, services).
    pub changes: bool,
    /// The web server this step runs for, when it is per server.
    pub server: Option<String>,
    pub action: Action,
}

/// One step kind each. SQL actions are described in [`sql`] and plug in
/// through [`Action::Sql`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum Action {
    #[serde(rename = "exec")]
    Exec(ExecSpec),
    #[serde(rename = "files.archive")]
    FilesArchive { source: PathBuf, archive: PathBuf },
    #[serde(rename = "files.restore")]
    FilesRestore { archive: PathBuf, target: PathBuf },
    #[serde(rename = "files.copy")]
    FilesCopy { source: PathBuf, target: PathBuf },
    /// Verify a folder or an archive against a manifest file.
    #[serde(rename = "files.verify")]
    FilesVerify { target: PathBuf, manifest: PathBuf },
    #[serde(rename = "check.port_free")]
    CheckPortFree { port: u16 },
    #[serde(rename = "check.tcp")]
    CheckTcp {
        host: String,
        port: u16,
        timeout_ms: u64,
    },
    #[serde(rename = "check.disk_free")]
    CheckDiskFree { path: PathBuf, min_mib: u64 },
    #[serde(rename = "check.memory")]
    CheckMemory { min_mib: u64 },
    #[serde(rename = "check.path_exists")]
    CheckPathExists { path: PathBuf },
    #[serde(rename = "check.admin")]
    CheckAdmin,
    #[serde(rename = "check.os")]
    CheckOs,
    #[serde(rename = "http.wait")]
    HttpWait {
        url: String,
        status: u16,
        timeout_s: u64,
        interval_ms: u64,
    },
    #[serde(rename = "manual")]
    Manual { prompt: String },
    /// Export registry keys (Windows `reg export`); elsewhere reports that
    /// there is no registry on this system.
    #[serde(rename = "registry.export")]
    RegistryExport { key: String, file: PathBuf },
    #[serde(rename = "sql")]
    Sql(SqlAction),
    /// A program that reads its answers (secrets included) from a response
    /// file written for it and deleted afterwards (see [`response`]).
    #[serde(rename = "exec.response")]
    ExecWithResponse(response::ResponseExec),
    /// The version of a setup package, read from `version_file` or from the
    /// package's file name, equals `expected`.
    #[serde(rename = "check.package_version")]
    CheckPackageVersion {
        package: PathBuf,
        version_file: Option<PathBuf>,
        expected: String,
    },
    /// Security finding: a SQL Express instance used with the `sa` login
    /// (the setup's SQL Express has a publicly documented `sa` password).
    #[serde(rename = "check.sql_express_sa")]
    CheckSqlExpressSa {
        server: String,
        login: Option<String>,
    },
    /// `iisreset /restart` on this machine or on `server`; elsewhere than
    /// Windows, reports that there is no IIS here.
    #[serde(rename = "iis.reset")]
    IisReset { server: Option<String> },
    /// Stop a Windows service and wait until it is stopped (`sc.exe`).
    #[serde(rename = "service.stop")]
    ServiceStop { name: String },
    /// Start a Windows service and wait until it runs (`sc.exe`).
    #[serde(rename = "service.start")]
    ServiceStart { name: String },
    /// Differences between the master's customised files and a secondary's.
    #[serde(rename = "files.drift")]
    FilesDrift(DriftSpec),
    /// Copy the master's customised files to a secondary.
    #[serde(rename = "files.sync")]
    FilesSync(DriftSpec),
    /// Keep the newest `keep` backup generations of `installation` in `dir`
    /// (never one a passed rehearsal or a production run relies on).
    #[serde(rename = "backup.prune")]
    BackupPrune {
        dir: PathBuf,
        installation: String,
        keep: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecSpec {
    pub program: PathBuf,
    #[serde(default)]
    pub args: Vec<String>,
    pub cwd: Option<PathBuf>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Seconds; none means no limit.
    pub timeout_s: Option<u64>,
    #[serde(default = "crate::model::plan::default_codes")]
    pub ok_exit_codes: Vec<i32>,
    /// The variables holding the plan's secrets that this program receives
    /// (a recipe step's `secrets`); every other secret variable is removed
    /// from its environment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pass_secrets: Vec<String>,
    /// Log files the program writes, copied into the run's `logs/` when it
    /// ends, passed or failed (`recipe.setup.logs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collect_logs: Vec<PathBuf>,
}

impl ExecSpec {
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout_s.map(Duration::from_secs)
    }

    /// The command line as a person would read it, each argument quoted when
    /// it holds spaces. For display only: nothing is ever run through a shell.
    pub fn display(&self) -> String {
        let mut s = quote(&self.program.to_string_lossy());
        for a in &self.args {
            s.push(' ');
            s.push_str(&quote(a));
        }
        s
    }
}

fn quote(s: &str) -> String {
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == '"') {
        format!("\"{}\"", s.replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

impl Action {
    /// The kind name, as written in plans and shown on screen.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Exec(_) => "exec",
            Action::FilesArchive { .. } => "files.archive",
            Action::FilesRestore { .. } => "files.restore",
            Action::FilesCopy { .. } => "files.copy",
            Action::FilesVerify { .. } => "files.verify",
            Action::CheckPortFree { .. } => "check.port_free",
            Action::CheckTcp { .. } => "check.tcp",
            Action::CheckDiskFree { .. } => "check.disk_free",
            Action::CheckMemory { .. } => "check.memory",
            Action::CheckPathExists { .. } => "check.path_exists",
            Action::CheckAdmin => "check.admin",
            Action::CheckOs => "check.os",
            Action::HttpWait { .. } => "http.wait",
            Action::Manual { .. } => "manual",
            Action::RegistryExport { .. } => "registry.export",
            Action::Sql(a) => a.kind(),
            Action::ExecWithResponse(_) => "exec.response",
            Action::CheckPackageVersion { .. } => "check.package_version",
            Action::CheckSqlExpressSa { .. } => "check.sql_express_sa",
            Action::IisReset { .. } => "iis.reset",
            Action::ServiceStop { .. } => "service.stop",
            Action::ServiceStart { .. } => "service.start",
            Action::FilesDrift(_) => "files.drift",
            Action::FilesSync(_) => "files.sync",
            Action::BackupPrune { .. } => "backup.prune",
        }
    }

    /// What the step would do, for the dry run and the step detail screen:
    /// exact command lines and SQL, secrets masked.
    pub fn describe(&self) -> Vec<String> {
        match self {
            Action::Exec(e) => {
                let mut v = vec![tr_fmt!("run: {}", "lance : {}", e.display())];
                if let Some(cwd) = &e.cwd {
                    v.push(tr_fmt!("in: {}", "dans : {}", cwd.display()));
                }
                for (k, val) in &e.env {
                    v.push(tr_fmt!("env: {k}={val}", "env : {k}={val}"));
                }
                if let Some(t) = e.timeout_s {
                    v.push(tr_fmt!(
                        "timeout: {t} s; accepted exit codes: {:?}",
                        "délai : {t} s ; codes de sortie acceptés : {:?}",
                        e.ok_exit_codes
                    ));
                }
                v
            }
            Action::FilesArchive { source, archive } => vec![tr_fmt!(
                "archive {} into {} (+ BLAKE3 manifest {})",
                "archive {} dans {} (+ manifeste BLAKE3 {})",
                source.display(),
                archive.display(),
                manifest_path_for(archive).display()
            )],
            Action::FilesRestore { archive, target } => vec![tr_fmt!(
                "restore {} into {} (entries outside the target are refused)",
                "restaure {} dans {} (les entrées hors de la cible sont refusées)",
                archive.display(),
                target.display()
            )],
            Action::FilesCopy { source, target } => {
                vec![tr_fmt!(
                    "mirror {} to {}",
                    "copie en miroir {} vers {}",
                    source.display(),
                    target.display()
                )]
            }
            Action::FilesVerify { target, manifest } => vec![tr_fmt!(
                "verify {} against {}",
                "vérifie {} d'après {}",
                target.display(),
                manifest.display()
            )],
            Action::CheckPortFree { port } => vec![tr_fmt!(
                "TCP port {port} is free",
                "le port TCP {port} est libre"
            )],
            Action::CheckTcp {
                host,
                port,
                timeout_ms,
            } => {
                vec![tr_fmt!(
                    "connect to {host}:{port} within {timeout_ms} ms",
                    "connexion à {host}:{port} en moins de {timeout_ms} ms"
                )]
            }
            Action::CheckDiskFree { path, min_mib } => {
                vec![tr_fmt!(
                    "at least {min_mib} MiB free for {}",
                    "au moins {min_mib} Mio libres pour {}",
                    path.display()
                )]
            }
            Action::CheckMemory { min_mib } => vec![tr_fmt!(
                "at least {min_mib} MiB of memory",
                "au moins {min_mib} Mio de mémoire"
            )],
            Action::CheckPathExists { path } => {
                vec![tr_fmt!("{} exists", "{} existe", path.display())]
            }
            Action::CheckAdmin => vec![
                tr(
                    "running elevated (Administrator / root)",
                    "exécuté avec élévation (Administrateur / root)",
                )
                .into(),
            ],
            Action::CheckOs => vec![
                tr(
                    "report the operating system",
                    "indique le système d'exploitation",
                )
                .into(),
            ],
            Action::HttpWait {
                url,
                status,
                timeout_s,
                ..
            } => {
                vec![tr_fmt!(
                    "GET {url} until it answers {status} (at most {timeout_s} s)",
                    "GET {url} jusqu'à la réponse {status} (au plus {timeout_s} s)"
                )]
            }
            Action::Manual { prompt } => vec![tr_fmt!(
                "operator confirms: {prompt}",
                "l'opérateur confirme : {prompt}"
            )],
            Action::RegistryExport { key, file } => {
                vec![format!("reg export \"{key}\" \"{}\" /y", file.display())]
            }
            Action::Sql(a) => a.describe(),
            other => describe::describe(other),
        }
    }
}
