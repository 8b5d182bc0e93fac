//! Stages and steps: what runs, as data. Generated from a plan by
//! `recipe`, printed by `dress plan show`, run by `engine::runner`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::EnvKind;

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

/// One step kind each. SQL actions live in `engine::sql` and plug in through
/// [`Action::Sql`].
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
    Sql(crate::engine::sqlspec::SqlAction),
    /// A program that reads its answers (secrets included) from a response
    /// file written for it and deleted afterwards (see `engine::response`).
    #[serde(rename = "exec.response")]
    ExecWithResponse(crate::engine::response::ResponseExec),
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
    FilesDrift(crate::engine::drift::DriftSpec),
    /// Copy the master's customised files to a secondary.
    #[serde(rename = "files.sync")]
    FilesSync(crate::engine::drift::DriftSpec),
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
                let mut v = vec![format!("run: {}", e.display())];
                if let Some(cwd) = &e.cwd {
                    v.push(format!("in: {}", cwd.display()));
                }
                for (k, val) in &e.env {
                    v.push(format!("env: {k}={val}"));
                }
                if let Some(t) = e.timeout_s {
                    v.push(format!(
                        "timeout: {t} s; accepted exit codes: {:?}",
                        e.ok_exit_codes
                    ));
                }
                v
            }
            Action::FilesArchive { source, archive } => vec![format!(
                "archive {} into {} (+ BLAKE3 manifest {})",
                source.display(),
                archive.display(),
                crate::engine::files::manifest_path_for(archive).display()
            )],
            Action::FilesRestore { archive, target } => vec![format!(
                "restore {} into {} (entries outside the target are refused)",
                archive.display(),
                target.display()
            )],
            Action::FilesCopy { source, target } => {
                vec![format!(
                    "mirror {} to {}",
                    source.display(),
                    target.display()
                )]
            }
            Action::FilesVerify { target, manifest } => vec![format!(
                "verify {} against {}",
                target.display(),
                manifest.display()
            )],
            Action::CheckPortFree { port } => vec![format!("TCP port {port} is free")],
            Action::CheckTcp {
                host,
                port,
                timeout_ms,
            } => {
                vec![format!("connect to {host}:{port} within {timeout_ms} ms")]
            }
            Action::CheckDiskFree { path, min_mib } => {
                vec![format!(
                    "at least {min_mib} MiB free for {}",
                    path.display()
                )]
            }
            Action::CheckMemory { min_mib } => vec![format!("at least {min_mib} MiB of memory")],
            Action::CheckPathExists { path } => vec![format!("{} exists", path.display())],
            Action::CheckAdmin => vec!["running elevated (Administrator / root)".into()],
            Action::CheckOs => vec!["report the operating system".into()],
            Action::HttpWait {
                url,
                status,
                timeout_s,
                ..
            } => {
                vec![format!(
                    "GET {url} until it answers {status} (at most {timeout_s} s)"
                )]
            }
            Action::Manual { prompt } => vec![format!("operator confirms: {prompt}")],
            Action::RegistryExport { key, file } => {
                vec![format!("reg export \"{key}\" \"{}\" /y", file.display())]
            }
            Action::Sql(a) => a.describe(),
            other => super::step_describe::describe(other),
        }
    }
}
