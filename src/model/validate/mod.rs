//! Semantic validation of a deserialized [`Plan`]: every rule the guide gives
//! for the installation parameters, the environments, the multiserver
//! worksheet, the integration companies and the recipe.
//!
//! Validation is pure: it returns [`Issue`]s naming the field by its dotted
//! path (`environments.test.servers[1].ipv6`); `model::load` turns them into
//! diagnostics with a line and a column.

mod extras;
mod overlap;
pub mod paths;
mod proxy;
mod secrets;
mod setup;
mod sql;

pub use extras::extra_step_anchors;
pub use overlap::{canonical, check_overlap, overlaps};
pub use secrets::{secret_refs, secret_vars};

use super::naming::{check_company, check_installation_name};
use super::plan::{EnvKind, Environment, InstallKind, Plan};
use super::secret::SecretRef;
use super::topology::validate_topology;

/// One rule broken by the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Dotted path of the field, e.g. `environments.test.sql.password`.
    pub field: String,
    pub what: String,
    pub fix: String,
}

impl Issue {
    pub fn new(field: impl Into<String>, what: impl Into<String>, fix: impl Into<String>) -> Self {
        Issue {
            field: field.into(),
            what: what.into(),
            fix: fix.into(),
        }
    }
}

/// Check every rule; an empty result means the plan is valid.
pub fn validate(plan: &Plan) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &plan.deployment;
    if let Err(p) = check_company(&d.company) {
        out.push(Issue::new("deployment.company", p.what, p.fix));
    }
    if let Err(p) = check_installation_name(&d.installation, &d.company) {
        out.push(Issue::new("deployment.installation", p.what, p.fix));
    }
    if let Some(k) = &d.licence_key {
        check_secret("deployment.licence_key", k, &mut out);
    }
    if d.kind == InstallKind::Customer && d.demo_database {
        out.push(Issue::new(
            "deployment.demo_database",
            crate::tr_fmt!(
                "the demo database is selected on a customer installation",
                "la base de démonstration est choisie sur une installation client"
            ),
            crate::tr_fmt!(
                "set demo_database = false (or kind = \"demo\" for a demonstration machine)",
                "mettez demo_database = false (ou kind = \"demo\" pour une machine de démonstration)"
            ),
        ));
    }
    if let Some(p) = &d.proxy {
        proxy::check_proxy("deployment.proxy", p, &mut out);
    }
    for kind in [EnvKind::Test, EnvKind::Production] {
        if let Some(env) = plan.environments.get(kind) {
            check_env(&format!("environments.{kind}"), env, &mut out);
        }
    }
    paths::check_between_envs(plan, &mut out);
    sql::check_between_envs(plan, &mut out);
    extras::check_integration(plan, &mut out);
    extras::check_recipe(plan, &mut out);
    setup::check_setup_fields(plan, &mut out);
    out
}

fn check_env(base: &str, env: &Environment, out: &mut Vec<Issue>) {
    paths::check_env_paths(base, env, out);
    if let Some(sql) = &env.sql {
        sql::check_sql(&format!("{base}.sql"), sql, out);
    }
    if let Some(url) = &env.url
        && (!(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 8)
    {
        out.push(Issue::new(
            format!("{base}.url"),
            crate::tr_fmt!(
                "the site URL does not start with http:// or https://",
                "l'URL du site ne commence pas par http:// ou https://"
            ),
            crate::tr_fmt!(
                "write the full URL of the site, e.g. http://web1/CRMSAGE",
                "écrivez l'URL complète du site, par exemple http://web1/CRMSAGE"
            ),
        ));
    }
    if env.web_port == Some(0) {
        out.push(Issue::new(
            format!("{base}.web_port"),
            crate::tr_fmt!(
                "port 0 is not a TCP port",
                "le port 0 n'est pas un port TCP"
            ),
            crate::tr_fmt!(
                "write the web site's port (80 by default) or remove the line",
                "écrivez le port du site web (80 par défaut) ou supprimez la ligne"
            ),
        ));
    }
    for e in validate_topology(&env.servers) {
        out.push(Issue::new(
            format!("{base}.servers[{}].{}", e.row, e.column.field()),
            e.what,
            e.fix,
        ));
    }
}

/// A secret must be a reference: `{ env = "NAME" }` or `{ prompt = true }`.
pub(crate) fn check_secret(field: &str, r: &SecretRef, out: &mut Vec<Issue>) {
    match r {
        SecretRef::Literal(_) => out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "a secret cannot be written in the plan",
                "un secret ne peut pas être écrit dans le plan"
            ),
            crate::tr_fmt!(
                "use {{ env = \"NAME\" }} or {{ prompt = true }}",
                "utilisez {{ env = \"NOM\" }} ou {{ prompt = true }}"
            ),
        )),
        SecretRef::Prompt { prompt: false, .. } => out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "prompt = false gives no way to obtain the secret",
                "prompt = false ne laisse aucun moyen d'obtenir le secret"
            ),
            crate::tr_fmt!(
                "use {{ prompt = true }} to be asked at the start of the run, or {{ env = \"NAME\" }}",
                "utilisez {{ prompt = true }} pour le saisir au début de l'exécution, ou {{ env = \"NOM\" }}"
            ),
        )),
        SecretRef::Prompt { prompt: true, .. } => {}
        SecretRef::Env { env } => {
            let mut chars = env.chars();
            let ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                let s = super::naming::shown(env);
                out.push(Issue::new(
                    field,
                    crate::tr_fmt!(
                        "\"{s}\" is not a valid environment variable name",
                        "« {s} » n'est pas un nom de variable d'environnement valide"
                    ),
                    crate::tr_fmt!(
                        "use letters, digits and _ , not starting with a digit (e.g. CRM_SQL_PASSWORD)",
                        "utilisez des lettres, des chiffres et _, sans chiffre en premier (par exemple CRM_SQL_PASSWORD)"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests;
