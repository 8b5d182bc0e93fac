//! The plan (answer file): pure serde types, no I/O beyond parsing.
//!
//! A plan describes one deployment. The same type comes out of a hand-written
//! TOML file and out of the wizard; `model::validate` checks it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::secret::SecretRef;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub deployment: Deployment,
    #[serde(default)]
    pub environments: Environments,
    #[serde(default)]
    pub integration: Integration,
    #[serde(default)]
    pub recipe: Recipe,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// Company name (raison sociale), exactly as on the order form.
    pub company: String,
    /// Installation name: names the web site, the database and the folder.
    pub installation: String,
    /// Licence key reference (never the key itself).
    pub licence_key: Option<SecretRef>,
    #[serde(default = "default_product")]
    pub product: String,
    /// Target version of the product, e.g. "2026.1".
    pub version: Option<String>,
    /// `customer` (default) or `demo`: a demo database is refused for customers.
    #[serde(default)]
    pub kind: InstallKind,
    #[serde(default)]
    pub demo_database: bool,
    /// Install the integration web service (back-office link).
    #[serde(default)]
    pub integration_service: bool,
    /// The company name the current installation was registered with, when
    /// there is one. The licence update tool refuses a different name, so a
    /// plan whose `company` differs is refused before anything runs.
    pub installed_company: Option<String>,
    /// The language of every screen, message and report for this
    /// customer (`en` or `fr`); an operator's `--lang` or `DRESS_LANG` still
    /// wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<super::lang::Lang>,
    /// HTTP proxy the servers go through (licence activation, updates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
}

/// An HTTP proxy: host, port, and an optional login whose password is a
/// secret reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proxy {
    pub host: String,
    pub port: u16,
    pub login: Option<String>,
    pub password: Option<SecretRef>,
}

fn default_product() -> String {
    "Sage 100c CRM".into()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstallKind {
    #[default]
    Customer,
    Demo,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environments {
    pub test: Option<Environment>,
    pub production: Option<Environment>,
}

impl Environments {
    pub fn get(&self, kind: EnvKind) -> Option<&Environment> {
        match kind {
            EnvKind::Test => self.test.as_ref(),
            EnvKind::Production => self.production.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvKind {
    Test,
    Production,
}

impl EnvKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EnvKind::Test => "test",
            EnvKind::Production => "production",
        }
    }
}

impl std::fmt::Display for EnvKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EnvKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "test" => Ok(EnvKind::Test),
            "production" | "prod" => Ok(EnvKind::Production),
            other => Err(format!(
                "unknown environment '{other}': use test or production"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// Program files of the installation (the folder that holds CustomPages).
    pub install_dir: PathBuf,
    /// Where backups and archives go.
    pub backup_dir: PathBuf,
    /// Base URL of the site, e.g. `http://web1/CRMSAGE`; used by warm-up checks.
    pub url: Option<String>,
    pub sql: Option<SqlConnection>,
    #[serde(default)]
    pub servers: Vec<Server>,
    /// Minimum free disk space in the backup folder, in MiB.
    #[serde(default = "default_min_free_mib")]
    pub min_free_mib: u64,
    /// Minimum total memory of this machine, in MiB.
    #[serde(default = "default_min_memory_mib")]
    pub min_memory_mib: u64,
    /// Check that this TCP port is free (or owned by IIS); 80 by default.
    pub web_port: Option<u16>,
    /// Customised and parameter files kept alike on every web server,
    /// relative to the install folder (`WWWRoot/CustomPages` is always
    /// compared): folders or single files.
    #[serde(default)]
    pub custom_files: Vec<PathBuf>,
    /// "Perform load balancing" of the CRM: true when the CRM balances
    /// itself, false when another module does. Unset: true with more than
    /// one web server.
    pub perform_load_balancing: Option<bool>,
}

fn default_min_free_mib() -> u64 {
    1024
}
fn default_min_memory_mib() -> u64 {
    2048
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlConnection {
    /// `host`, `host,port` or `host\INSTANCE`.
    pub server: String,
    pub database: String,
    #[serde(default)]
    pub auth: SqlAuth,
    pub login: Option<String>,
    pub password: Option<SecretRef>,
    #[serde(default)]
    pub encryption: Encryption,
    #[serde(default)]
    pub trust_server_certificate: bool,
    /// Connect timeout, seconds.
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_s: u64,
    /// Lowest accepted major version (13 = SQL Server 2016).
    pub min_version: Option<u32>,
    /// Tomcat connection pool size per web server (SQL connections check).
    #[serde(default = "default_pool")]
    pub tomcat_pool: u32,
    /// Folder of the data files on the SQL server (restores MOVE files here).
    pub data_dir: Option<String>,
    /// Folder on the SQL server where backups are written.
    pub backup_dir: Option<String>,
    /// Allow overwriting a database the tool did not create.
    #[serde(default)]
    pub allow_overwrite: bool,
}

fn default_connect_timeout() -> u64 {
    15
}
fn default_pool() -> u32 {
    20
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlAuth {
    #[default]
    Sql,
    Windows,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encryption {
    #[default]
    Required,
    Off,
    NotSupported,
    Strict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub name: String,
    pub role: Role,
    /// DNS name or IP address.
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub ipv6: String,
    #[serde(default)]
    pub services: Vec<Service>,
    /// Path of this server's install folder as seen from here (an
    /// administrative share such as `\\WEB2\c$\Program Files (x86)\...`).
    pub install_path: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Sql,
    WebMaster,
    WebSecondary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    EmailManager,
    Escalation,
    Indexer,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::EmailManager, Service::Escalation, Service::Indexer];
    pub fn as_str(self) -> &'static str {
        match self {
            Service::EmailManager => "email-manager",
            Service::Escalation => "escalation",
            Service::Indexer => "indexer",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    #[serde(default)]
    pub companies: Vec<Company>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub title: String,
    #[serde(default)]
    pub sync_dormant: bool,
    #[serde(default = "yes")]
    pub sync_contacts: bool,
    #[serde(default = "yes")]
    pub sync_phones: bool,
    #[serde(default = "yes")]
    pub sync_addresses: bool,
    /// Accounting file (`.mae`).
    pub accounting_file: Option<String>,
    /// Commercial file (`.gcm`).
    pub commercial_file: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub setup: Option<Setup>,
    /// The integration web service installer, run before the CRM setup when
    /// `deployment.integration_service` is true.
    pub integration_setup: Option<IntegrationSetup>,
    /// The licence update tool (program and arguments; the key goes through
    /// a response file, never the command line).
    pub licence_tool: Option<LicenceTool>,
    #[serde(default)]
    pub mode: UpgradeMode,
    /// A full reinstall needs a backup younger than this, in hours.
    #[serde(default = "default_backup_age")]
    pub max_backup_age_h: u64,
    /// Backup generations kept in the backup folder (the newest ones; a
    /// backup a passed rehearsal or a production run relies on is never
    /// deleted).
    #[serde(default = "default_keep_backups")]
    pub keep_backups: u32,
    #[serde(default)]
    pub steps: Vec<ExtraStep>,
    /// A customer's own wording of built-in manual steps, per language:
    /// `[recipe.prompts."verify/sign-off"] fr = "..." en = "..."`. A
    /// language left out keeps the built-in text.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub prompts: std::collections::BTreeMap<String, PromptText>,
}

/// The prompt of a manual step in each language (see `Recipe::prompts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fr: Option<String>,
}

impl PromptText {
    /// The text for `lang`, when the plan gives one.
    pub fn get(&self, lang: super::lang::Lang) -> Option<&str> {
        match lang {
            super::lang::Lang::En => self.en.as_deref(),
            super::lang::Lang::Fr => self.fr.as_deref(),
        }
    }
}

fn default_backup_age() -> u64 {
    24
}

fn default_keep_backups() -> u32 {
    3
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpgradeMode {
    /// A new installation: the database must not exist yet.
    Install,
    /// Upgrade the existing installation (its database must exist).
    #[default]
    Upgrade,
    /// Full reinstall that overwrites the existing database.
    Reinstall,
}

/// The vendor setup: a program and its argument list. Never a shell string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The setup package file whose BLAKE3 enters the recipe fingerprint.
    pub package: PathBuf,
    /// Program to run; defaults to the package itself.
    pub program: Option<PathBuf>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default = "default_setup_timeout")]
    pub timeout_s: u64,
    #[serde(default = "default_codes")]
    pub ok_exit_codes: Vec<i32>,
    /// Log files the setup writes, collected into the run folder.
    #[serde(default)]
    pub logs: Vec<PathBuf>,
}

/// The integration service installer: the shape of [`Setup`] plus the
/// version it must install, checked before it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationSetup {
    pub package: PathBuf,
    pub program: Option<PathBuf>,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default = "default_setup_timeout")]
    pub timeout_s: u64,
    #[serde(default = "default_codes")]
    pub ok_exit_codes: Vec<i32>,
    #[serde(default)]
    pub logs: Vec<PathBuf>,
    /// The version the package must be (it must match the CRM and the back
    /// office), e.g. "2026.1".
    pub version: String,
    /// A text file whose first non-empty line is the package's version.
    /// Without it, the version is read from the package's file name (the
    /// first run of digits and dots, e.g. `Integration-2026.1-Setup.exe`).
    pub version_file: Option<PathBuf>,
}

/// The licence update tool: a program and its argument list. The argument
/// `{response_file}` is replaced by the path of the response file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceTool {
    pub program: PathBuf,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default = "default_licence_timeout")]
    pub timeout_s: u64,
    #[serde(default = "default_codes")]
    pub ok_exit_codes: Vec<i32>,
}

fn default_licence_timeout() -> u64 {
    600
}

fn default_setup_timeout() -> u64 {
    3600
}
pub(crate) fn default_codes() -> Vec<i32> {
    vec![0]
}

/// A step from the plan, inserted before or after a built-in step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraStep {
    pub id: String,
    pub title: Option<String>,
    /// Id of the built-in step this one goes before (`stage/step` or `step`).
    pub before: Option<String>,
    /// Id of the built-in step this one goes after.
    pub after: Option<String>,
    /// Step kind: `exec`, `manual`, `http.wait`, `check.path_exists`, ...
    pub kind: String,
    #[serde(default)]
    pub required: bool,
    pub program: Option<PathBuf>,
    #[serde(default)]
    pub args: Vec<String>,
    pub cwd: Option<PathBuf>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Environment variables of the plan's secrets (`{ env = "NAME" }`)
    /// this step's program receives; no other child gets them.
    #[serde(default)]
    pub secrets: Vec<String>,
    pub timeout_s: Option<u64>,
    #[serde(default = "default_codes")]
    pub ok_exit_codes: Vec<i32>,
    pub url: Option<String>,
    pub status: Option<u16>,
    pub path: Option<PathBuf>,
    pub prompt: Option<String>,
    pub sql: Option<String>,
    pub script: Option<PathBuf>,
    /// The Windows service of a `service.stop` / `service.start` step.
    pub service: Option<String>,
}

impl Plan {
    /// Every secret the plan refers to, with the field that holds it and the
    /// words that name it to a person.
    pub fn secret_refs(&self) -> Vec<(String, String, &SecretRef)> {
        let mut v = Vec::new();
        if let Some(r) = &self.deployment.licence_key {
            v.push((
                "deployment.licence_key".into(),
                super::lang::tr("licence key", "clé de licence").into(),
                r,
            ));
        }
        if let Some(r) = self
            .deployment
            .proxy
            .as_ref()
            .and_then(|p| p.password.as_ref())
        {
            v.push((
                "deployment.proxy.password".into(),
                super::lang::tr("proxy password", "mot de passe du proxy").into(),
                r,
            ));
        }
        for (kind, env) in [
            (EnvKind::Test, &self.environments.test),
            (EnvKind::Production, &self.environments.production),
        ] {
            if let Some(r) = env
                .as_ref()
                .and_then(|e| e.sql.as_ref())
                .and_then(|s| s.password.as_ref())
            {
                v.push((
                    format!("environments.{kind}.sql.password"),
                    match kind {
                        EnvKind::Test => crate::tr_fmt!(
                            "SQL password of the {kind} environment",
                            "mot de passe SQL de l'environnement de test"
                        ),
                        EnvKind::Production => crate::tr_fmt!(
                            "SQL password of the {kind} environment",
                            "mot de passe SQL de l'environnement de production"
                        ),
                    },
                    r,
                ));
            }
        }
        v
    }

    /// Give each `{ prompt = true }` the field it stands in, so that each is
    /// asked, and answered, on its own.
    pub fn name_prompts(&mut self) {
        let name = |r: &mut Option<SecretRef>, f: &str| {
            if let Some(SecretRef::Prompt { field, .. }) = r {
                *field = f.to_string();
            }
        };
        name(&mut self.deployment.licence_key, "deployment.licence_key");
        if let Some(p) = self.deployment.proxy.as_mut() {
            name(&mut p.password, "deployment.proxy.password");
        }
        for (kind, env) in [
            (EnvKind::Test, &mut self.environments.test),
            (EnvKind::Production, &mut self.environments.production),
        ] {
            if let Some(sql) = env.as_mut().and_then(|e| e.sql.as_mut()) {
                name(
                    &mut sql.password,
                    &format!("environments.{kind}.sql.password"),
                );
            }
        }
    }
}
