//! The multiserver stage: the master's setup creates the database, each
//! secondary joins it with the same licence and installation name; the
//! load-balancing settings are written and read back; the customised files
//! are compared and copied from the master; every server is reset and warmed
//! up, master first.

use crate::model::lang::tr;
use crate::model::step::Action;
use crate::model::step::DriftSpec;
use crate::model::step::response::DatabaseMode;
use crate::model::step::sql::SqlAction;

use super::builder::{StageBuilder, StepOptions};
use super::setup::crm_setup;
use crate::model::lb_params;
use crate::model::{Environment, Plan, Role, Server};

/// Always compared between the master and the secondaries.
pub const CUSTOM_PAGES: &str = "WWWRoot/CustomPages";

/// Web servers, master first, then the secondaries in worksheet order.
pub fn web_servers(env: &Environment) -> Vec<&Server> {
    let mut web: Vec<&Server> = env.servers.iter().filter(|s| s.role != Role::Sql).collect();
    web.sort_by_key(|s| s.role != Role::WebMaster);
    web
}

/// The login page of one server: the site URL's path on that server.
pub fn server_url(plan: &Plan, env: &Environment, s: &Server) -> String {
    let path = env
        .url
        .as_deref()
        .and_then(|u| u.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| format!("/{}", plan.deployment.installation));
    let host = if s.address.is_empty() {
        &s.name
    } else {
        &s.address
    };
    format!("http://{host}{path}")
}

fn custom_paths(env: &Environment) -> Vec<String> {
    let mut v = vec![CUSTOM_PAGES.to_string()];
    for p in &env.custom_files {
        let s = p.to_string_lossy().replace('\\', "/");
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v
}

fn id(prefix: &str, s: &Server) -> String {
    format!("{prefix}-{}", s.name.to_lowercase())
}

pub(crate) fn multiserver(plan: &Plan, env: &Environment, b: &mut StageBuilder) {
    let web = web_servers(env);
    if web.len() < 2 {
        return;
    }
    for s in &web {
        let master = s.role == Role::WebMaster;
        let db = if master {
            DatabaseMode::Create
        } else {
            DatabaseMode::Existing
        };
        if let Some(r) = crm_setup(plan, env, Some(s), db) {
            let title = if master {
                crate::tr_fmt!(
                    "Install {} (master: creates the database)",
                    "Installer {} (Master : crée la base de données)",
                    s.name
                )
            } else {
                crate::tr_fmt!(
                    "Install {} (secondary: same licence and installation, existing database)",
                    "Installer {} (Secondaire : même licence et même installation, base de données existante)",
                    s.name
                )
            };
            b.change(&id("setup", s), title, Action::ExecWithResponse(r))
                .server = Some(s.name.clone());
        }
    }
    if let Some(sql) = &env.sql {
        // The same names and values as the topology editor and its export,
        // with the plan's choice for "perform load balancing".
        let values = lb_params::values(&lb_params::env_settings(env));
        b.change(
            "lb-settings",
            tr(
                "Write the load-balancing settings and read them back",
                "Écrire les paramètres d'équilibrage de charge et les relire",
            ),
            Action::Sql(SqlAction::Sysparams {
                database: sql.database.clone(),
                values,
            }),
        );
    }
    let master_dir = web[0]
        .install_path
        .clone()
        .unwrap_or_else(|| env.install_dir.clone());
    let paths = custom_paths(env);
    let specs: Vec<(&Server, Option<DriftSpec>)> = web[1..]
        .iter()
        .map(|s| {
            let spec = s.install_path.as_ref().map(|p| DriftSpec {
                master: master_dir.clone(),
                secondary: p.clone(),
                server: s.name.clone(),
                paths: paths.clone(),
            });
            (*s, spec)
        })
        .collect();
    for (s, spec) in &specs {
        if let Some(d) = spec {
            b.check(
                &id("drift", s),
                crate::tr_fmt!(
                    "Compare {}'s customised files with the master's",
                    "Comparer les fichiers personnalisés de {} avec ceux du Master",
                    s.name
                ),
                Action::FilesDrift(d.clone()),
            )
            .optional()
            .server = Some(s.name.clone());
        }
    }
    for (s, spec) in &specs {
        let step = match spec {
            Some(d) => b.change(&id("sync", s), crate::tr_fmt!("Copy the master's customised files to {}", "Copier les fichiers personnalisés du Master vers {}", s.name), Action::FilesSync(d.clone())),
            None => b.check(&id("sync", s), crate::tr_fmt!("Copy the customised files to {} by hand", "Copier à la main les fichiers personnalisés vers {}", s.name), Action::Manual {
                    prompt: crate::tr_fmt!(
                        "{} are copied from the master to {} (the plan gives no install_path for {})",
                        "{} sont copiés du Master vers {} (le plan ne donne pas d'install_path pour {})",
                        paths.join(", "),
                        s.name,
                        s.name
                    ),
                }),
        };
        step.server = Some(s.name.clone());
    }
    for s in &web {
        b.change(
            &id("iis-reset", s),
            crate::tr_fmt!("Restart IIS on {}", "Redémarrer IIS sur {}", s.name),
            Action::IisReset {
                server: Some(s.name.clone()),
            },
        )
        .server = Some(s.name.clone());
    }
    for s in &web {
        b.check(
            &id("warm", s),
            crate::tr_fmt!("Warm up {}", "Préchauffer {}", s.name),
            Action::HttpWait {
                url: server_url(plan, env, s),
                status: 200,
                timeout_s: 300,
                interval_ms: 2000,
            },
        )
        .server = Some(s.name.clone());
    }
}
