//! The built-in stages, generated from a plan. Ids are stable: reports,
//! `--stage`, `--confirm STEP_ID=NOTE` and extra recipe steps refer to them.

use std::path::{Path, PathBuf};

pub use crate::engine::extra_steps::BuildIssue;
use crate::engine::sqlspec::SqlAction;
use crate::engine::step::{Action, ExecSpec, Stage, Step};
use crate::engine::{stage_multiserver, stage_setup};
use crate::model::{EnvKind, Environment, ExtraStep, Plan, Role};

/// Built-in stage ids, in the order they are shown.
pub const STAGE_IDS: [&str; 10] = [
    "prerequisites",
    "install",
    "multiserver",
    "licence",
    "backup",
    "test-env",
    "trial-upgrade",
    "verify",
    "production",
    "control",
];

/// The rehearsal: what must pass before production may run.
pub const REHEARSAL: [&str; 4] = ["backup", "test-env", "trial-upgrade", "verify"];

pub fn stage_title(id: &str) -> &'static str {
    match id {
        "prerequisites" => "Prerequisites",
        "install" => "Install",
        "multiserver" => "Multiserver",
        "licence" => "Licence",
        "backup" => "Backup",
        "test-env" => "Test environment",
        "trial-upgrade" => "Trial upgrade",
        "verify" => "Verify",
        "production" => "Production",
        "control" => "Control",
        _ => "Stage",
    }
}

/// Which environment a stage works on: fixed for the upgrade checklist,
/// the run's environment for the others.
pub fn stage_env(id: &str, run_env: EnvKind) -> EnvKind {
    match id {
        "backup" | "production" | "control" => EnvKind::Production,
        "test-env" | "trial-upgrade" | "verify" => EnvKind::Test,
        _ => run_env,
    }
}

/// Where the production program files archive goes.
pub fn program_archive(plan: &Plan, env: &Environment) -> PathBuf {
    env.backup_dir.join(format!(
        "{}-program-files.tar",
        plan.deployment.installation
    ))
}

/// Where the production database backup goes (on the SQL server).
pub fn database_backup_file(plan: &Plan, env: &Environment) -> String {
    let sql_dir = env.sql.as_ref().and_then(|s| s.backup_dir.clone());
    let dir = sql_dir.unwrap_or_else(|| env.backup_dir.to_string_lossy().into_owned());
    let sep = if dir.contains('\\') { '\\' } else { '/' };
    format!(
        "{}{sep}{}.bak",
        dir.trim_end_matches(['/', '\\']),
        plan.deployment.installation
    )
}

pub(crate) struct B {
    stage: String,
    steps: Vec<Step>,
}

impl B {
    fn new(stage: &str) -> Self {
        B {
            stage: stage.to_string(),
            steps: Vec::new(),
        }
    }
    pub(crate) fn add(
        &mut self,
        id: &str,
        title: impl Into<String>,
        required: bool,
        changes: bool,
        action: Action,
    ) -> &mut Step {
        self.steps.push(Step {
            id: id.to_string(),
            title: title.into(),
            required,
            changes,
            server: None,
            action,
        });
        let last = self.steps.len() - 1;
        &mut self.steps[last]
    }
    fn done(self, env: EnvKind) -> Stage {
        Stage {
            title: stage_title(&self.stage).to_string(),
            id: self.stage,
            env,
            steps: self.steps,
        }
    }
}

pub(crate) fn setup_exec(plan: &Plan, install_dir: &Path) -> Option<ExecSpec> {
    let s = plan.recipe.setup.as_ref()?;
    let program = s.program.clone().unwrap_or_else(|| s.package.clone());
    let mut env = std::collections::BTreeMap::new();
    env.insert(
        "DRESS_INSTALL_DIR".to_string(),
        install_dir.to_string_lossy().into_owned(),
    );
    env.insert(
        "DRESS_INSTALLATION".to_string(),
        plan.deployment.installation.clone(),
    );
    Some(ExecSpec {
        program,
        args: s.args.clone(),
        cwd: None,
        env,
        timeout_s: Some(s.timeout_s),
        ok_exit_codes: s.ok_exit_codes.clone(),
        pass_secrets: Vec::new(),
        collect_logs: s.logs.clone(),
    })
}

pub(crate) fn wait_site(b: &mut B, env: &Environment, id: &str, title: &str) {
    if let Some(url) = &env.url {
        b.add(
            id,
            title,
            true,
            false,
            Action::HttpWait {
                url: url.clone(),
                status: 200,
                timeout_s: 300,
                interval_ms: 2000,
            },
        );
    }
}

fn sql_checks(b: &mut B, env: &Environment, db_must_exist: bool) {
    let Some(sql) = &env.sql else { return };
    let web = env
        .servers
        .iter()
        .filter(|s| s.role != Role::Sql)
        .count()
        .max(1) as u32;
    b.add(
        "sql-connect",
        "SQL Server answers and the login is accepted",
        true,
        false,
        Action::Sql(SqlAction::Connect),
    );
    b.add(
        "sql-version",
        "SQL Server version",
        true,
        false,
        Action::Sql(SqlAction::Version),
    );
    b.add(
        "sql-collation",
        "Server collation is French_CI_AS",
        true,
        false,
        Action::Sql(SqlAction::Collation {
            database: Some(sql.database.clone()),
        }),
    );
    b.add(
        "sql-sysadmin",
        "The login is sysadmin",
        true,
        false,
        Action::Sql(SqlAction::Sysadmin),
    );
    b.add(
        "sql-browser",
        "SQL Browser answers on UDP 1434",
        false,
        false,
        Action::Sql(SqlAction::Browser {
            port: crate::engine::sqlspec::SSRP_PORT,
        }),
    );
    b.add(
        "sql-database",
        if db_must_exist {
            "The database exists"
        } else {
            "The database does not exist yet"
        },
        true,
        false,
        Action::Sql(SqlAction::Database {
            database: sql.database.clone(),
            must_exist: db_must_exist,
        }),
    );
    b.add(
        "sql-connections",
        "Enough SQL connections for the web servers",
        true,
        false,
        Action::Sql(SqlAction::Connections { web_servers: web }),
    );
}

/// Build every stage of a plan for a run on `run_env`. Stages whose
/// environment the plan does not describe are left out.
pub fn build(plan: &Plan, run_env: EnvKind) -> Result<Vec<Stage>, String> {
    build_checked(plan, run_env).map_err(|e| e.what)
}

/// [`build`], with the plan field each problem is about.
pub fn build_checked(plan: &Plan, run_env: EnvKind) -> Result<Vec<Stage>, BuildIssue> {
    stage_setup::check_installed_company(plan).map_err(|what| BuildIssue {
        field: "deployment.company".into(),
        what,
    })?;
    let mut stages = Vec::new();
    for id in STAGE_IDS {
        let env_kind = stage_env(id, run_env);
        let Some(env) = plan.environments.get(env_kind) else {
            continue;
        };
        let mut b = B::new(id);
        match id {
            "prerequisites" => {
                b.add("os", "Operating system", false, false, Action::CheckOs);
                b.add(
                    "admin",
                    "Running as administrator",
                    true,
                    false,
                    Action::CheckAdmin,
                );
                b.add(
                    "memory",
                    "Memory",
                    true,
                    false,
                    Action::CheckMemory {
                        min_mib: env.min_memory_mib,
                    },
                );
                b.add(
                    "disk-backup",
                    "Free space for backups",
                    true,
                    false,
                    Action::CheckDiskFree {
                        path: env.backup_dir.clone(),
                        min_mib: env.min_free_mib,
                    },
                );
                if let Some(port) = env.web_port {
                    b.add(
                        "port-web",
                        format!("Port {port} is free for IIS"),
                        true,
                        false,
                        Action::CheckPortFree { port },
                    );
                }
                for s in env
                    .servers
                    .iter()
                    .filter(|s| s.role != Role::Sql && !s.address.is_empty())
                {
                    b.add(
                        &format!("reach-{}", s.name.to_lowercase()),
                        format!("{} answers on port 80", s.name),
                        false,
                        false,
                        Action::CheckTcp {
                            host: s.address.clone(),
                            port: 80,
                            timeout_ms: 3000,
                        },
                    )
                    .server = Some(s.name.clone());
                }
                sql_checks(&mut b, env, false);
            }
            "install" => stage_setup::install(plan, env, &mut b),
            "multiserver" => stage_multiserver::multiserver(plan, env, &mut b),
            "licence" => stage_setup::licence(plan, env, &mut b),
            "backup" => {
                let archive = program_archive(plan, env);
                b.add(
                    "disk",
                    "Free space for the backup",
                    true,
                    false,
                    Action::CheckDiskFree {
                        path: env.backup_dir.clone(),
                        min_mib: env.min_free_mib,
                    },
                );
                b.add(
                    "program-files",
                    "Archive the program files",
                    true,
                    true,
                    Action::FilesArchive {
                        source: env.install_dir.clone(),
                        archive: archive.clone(),
                    },
                );
                b.add(
                    "verify-archive",
                    "Verify the archive against its manifest",
                    true,
                    false,
                    Action::FilesVerify {
                        manifest: crate::engine::files::manifest_path_for(&archive),
                        target: archive,
                    },
                );
                b.add(
                    "registry",
                    "Export the product's registry keys",
                    false,
                    true,
                    Action::RegistryExport {
                        key: r"HKLM\SOFTWARE\WOW6432Node\eWare".into(),
                        file: env
                            .backup_dir
                            .join(format!("{}-registry.reg", plan.deployment.installation)),
                    },
                );
                if let Some(sql) = &env.sql {
                    b.add(
                        "database",
                        "Back up the database (COPY_ONLY, CHECKSUM) and verify it",
                        true,
                        true,
                        Action::Sql(SqlAction::Backup {
                            database: sql.database.clone(),
                            file: database_backup_file(plan, env),
                        }),
                    );
                }
            }
            "test-env" => {
                // Without a production environment there is nothing to copy.
                let Some(prod) = plan.environments.production.as_ref() else {
                    continue;
                };
                let archive = program_archive(plan, prod);
                b.add(
                    "program-files",
                    "Restore the program files into the test folder",
                    true,
                    true,
                    Action::FilesRestore {
                        archive: archive.clone(),
                        target: env.install_dir.clone(),
                    },
                );
                b.add(
                    "verify-files",
                    "Verify the test program files",
                    true,
                    false,
                    Action::FilesVerify {
                        target: env.install_dir.clone(),
                        manifest: crate::engine::files::manifest_path_for(&archive),
                    },
                );
                if let Some(sql) = &env.sql {
                    b.add(
                        "database",
                        "Restore the production backup under the test name",
                        true,
                        true,
                        Action::Sql(SqlAction::Restore {
                            file: database_backup_file(plan, prod),
                            database: sql.database.clone(),
                        }),
                    );
                    b.add(
                        "checkdb",
                        "DBCC CHECKDB on the restored copy",
                        true,
                        false,
                        Action::Sql(SqlAction::Checkdb {
                            database: sql.database.clone(),
                        }),
                    );
                }
            }
            "trial-upgrade" | "production" => {
                if id == "production" {
                    b.add(
                        "users-off",
                        "All users are logged off production",
                        true,
                        false,
                        Action::Manual {
                            prompt: "Every user is logged off the production CRM".into(),
                        },
                    );
                }
                // The setup reads its answers (secrets included) from a
                // response file, as in the install stage.
                match stage_setup::crm_upgrade(plan, env) {
                    Some(r) => {
                        b.add("setup", "Run the vendor setup (upgrade)", true, true, Action::ExecWithResponse(r));
                    }
                    None => return Err(BuildIssue {
                        field: "recipe.setup".into(),
                        what: "the recipe has no [recipe.setup]: the upgrade stages need the setup package and its arguments".into(),
                    }),
                }
                wait_site(
                    &mut b,
                    env,
                    "wait-site",
                    "Wait for IIS and Tomcat to answer",
                );
            }
            "verify" => {
                if let Some(sql) = &env.sql {
                    b.add(
                        "checkdb",
                        "DBCC CHECKDB after the upgrade",
                        true,
                        false,
                        Action::Sql(SqlAction::Checkdb {
                            database: sql.database.clone(),
                        }),
                    );
                }
                b.add("sign-off", "Everyday and customised features checked on the test site", true, false, Action::Manual {
                    prompt: "The upgraded test environment was checked: everyday and customised features work".into(),
                });
            }
            "control" => {
                b.add(
                    "checked",
                    "Production checked after the upgrade",
                    true,
                    false,
                    Action::Manual {
                        prompt: "Production answers and the main features work".into(),
                    },
                );
                b.add(
                    "browser-history",
                    "Clear the browser history on every workstation",
                    false,
                    false,
                    Action::Manual {
                        prompt: "Users were told to clear their browser history".into(),
                    },
                );
            }
            _ => {}
        }
        stages.push(b.done(env_kind));
    }
    crate::engine::extra_steps::insert(plan, &mut stages, extra_to_step)?;
    stages.retain(|s| !s.steps.is_empty());
    Ok(stages)
}

/// Turn a recipe step into a step of the engine.
/// `database`: the database of the stage's environment, for SQL steps.
fn extra_to_step(x: &ExtraStep, database: Option<&str>) -> Result<Step, String> {
    let action = match x.kind.as_str() {
        "exec" => Action::Exec(ExecSpec {
            program: x
                .program
                .clone()
                .ok_or_else(|| format!("recipe step {}: exec needs program", x.id))?,
            args: x.args.clone(),
            cwd: x.cwd.clone(),
            env: x.env.clone(),
            timeout_s: x.timeout_s,
            ok_exit_codes: x.ok_exit_codes.clone(),
            pass_secrets: x.secrets.clone(),
            collect_logs: Vec::new(),
        }),
        "manual" => Action::Manual {
            prompt: x.prompt.clone().unwrap_or_else(|| x.id.clone()),
        },
        "http.wait" => Action::HttpWait {
            url: x
                .url
                .clone()
                .ok_or_else(|| format!("recipe step {}: http.wait needs url", x.id))?,
            status: x.status.unwrap_or(200),
            timeout_s: x.timeout_s.unwrap_or(300),
            interval_ms: 2000,
        },
        "check.path_exists" => Action::CheckPathExists {
            path: x
                .path
                .clone()
                .ok_or_else(|| format!("recipe step {}: check.path_exists needs path", x.id))?,
        },
        "check.tcp" => {
            let target = x.url.clone().unwrap_or_default();
            let (host, port) = target
                .rsplit_once(':')
                .and_then(|(h, p)| p.parse::<u16>().ok().map(|p| (h.to_string(), p)))
                .ok_or_else(|| {
                    format!("recipe step {}: check.tcp needs url = \"host:port\"", x.id)
                })?;
            Action::CheckTcp {
                host,
                port,
                timeout_ms: x.timeout_s.unwrap_or(5) * 1000,
            }
        }
        "sql.script" => Action::Sql(SqlAction::Script {
            file: x
                .script
                .clone()
                .ok_or_else(|| format!("recipe step {}: sql.script needs script", x.id))?,
            database: database
                .ok_or_else(|| format!("recipe step {}: sql.script runs in a stage whose environment has no [sql] section", x.id))?
                .to_string(),
        }),
        "service.stop" | "service.start" => {
            let name = x
                .service
                .clone()
                .ok_or_else(|| format!("recipe step {}: {} needs service", x.id, x.kind))?;
            if x.kind == "service.stop" {
                Action::ServiceStop { name }
            } else {
                Action::ServiceStart { name }
            }
        }
        "iis.reset" => Action::IisReset { server: None },
        other => return Err(format!("recipe step {}: unknown kind '{other}'", x.id)),
    };
    let changes = matches!(
        x.kind.as_str(),
        "exec" | "sql.script" | "service.stop" | "service.start" | "iis.reset"
    );
    Ok(Step {
        id: x.id.clone(),
        title: x.title.clone().unwrap_or_else(|| x.id.clone()),
        required: x.required,
        changes,
        server: None,
        action,
    })
}

/// A stage's id and its number of steps, for choosing and listing.
#[derive(Debug, Clone)]
pub struct StageInfo {
    pub id: String,
    pub steps: usize,
}

pub fn infos(stages: &[Stage]) -> Vec<StageInfo> {
    stages
        .iter()
        .map(|s| StageInfo {
            id: s.id.clone(),
            steps: s.steps.len(),
        })
        .collect()
}
