//! Where the plan's secrets come from: the references, and the names of
//! the environment variables that hold them (which no child inherits unless
//! its step names them, see `engine::secret_env`).

use std::collections::BTreeSet;

use crate::model::Plan;
use crate::model::secret::SecretRef;

use super::Issue;

/// Every secret reference of a plan with what it is, for resolving and for
/// the messages.
pub fn secret_refs(plan: &Plan) -> Vec<(&'static str, &SecretRef)> {
    let mut refs = Vec::new();
    if let Some(k) = &plan.deployment.licence_key {
        refs.push(("licence key", k));
    }
    if let Some(p) = plan
        .deployment
        .proxy
        .as_ref()
        .and_then(|p| p.password.as_ref())
    {
        refs.push(("proxy password", p));
    }
    for env in [&plan.environments.test, &plan.environments.production]
        .into_iter()
        .flatten()
    {
        if let Some(p) = env.sql.as_ref().and_then(|s| s.password.as_ref()) {
            refs.push(("SQL password", p));
        }
    }
    refs
}

/// The names of the environment variables the plan's secrets come from.
pub fn secret_vars(plan: &Plan) -> Vec<String> {
    let set: BTreeSet<String> = secret_refs(plan)
        .into_iter()
        .filter_map(|(_, r)| match r {
            SecretRef::Env { env } => Some(env.clone()),
            _ => None,
        })
        .collect();
    set.into_iter().collect()
}

/// A recipe step's `secrets`: exec steps only, and each name must be the
/// variable of one of the plan's secrets.
pub(super) fn check_step_secrets(
    base: &str,
    kind: &str,
    names: &[String],
    vars: &[String],
    out: &mut Vec<Issue>,
) {
    if names.is_empty() {
        return;
    }
    if kind != "exec" {
        out.push(Issue::new(
            format!("{base}.secrets"),
            crate::tr_fmt!(
                "a {kind} step runs no program: it cannot receive secrets",
                "une étape {kind} ne lance aucun programme : elle ne peut pas recevoir de secrets"
            ),
            crate::tr_fmt!(
                "remove secrets, or make the step kind = \"exec\"",
                "supprimez secrets, ou faites de l'étape une kind = \"exec\""
            ),
        ));
        return;
    }
    for (j, n) in names.iter().enumerate() {
        if !vars.iter().any(|v| v == n) {
            out.push(Issue::new(
                format!("{base}.secrets[{j}]"),
                crate::tr_fmt!(
                    "\"{}\" is not the variable of any secret of the plan",
                    "« {} » n'est la variable d'aucun secret du plan",
                    crate::model::naming::shown(n)
                ),
                if vars.is_empty() {
                    crate::tr_fmt!(
                        "the plan has no secret given as {{ env = \"NAME\" }}: remove this name",
                        "le plan n'a aucun secret donné par {{ env = \"NOM\" }} : supprimez ce nom"
                    )
                } else {
                    crate::tr_fmt!(
                        "use one of {}",
                        "utilisez l'une de ces variables : {}",
                        vars.join(", ")
                    )
                },
            ));
        }
    }
}
