//! Steps the plan adds to the checklist (`[[recipe.steps]]`), inserted
//! before or after a built-in step.

use crate::model::step::sql::SqlAction;
use crate::model::step::{Action, ExecSpec, Stage, Step};
use crate::model::{ExtraKind, ExtraStep, Plan};

/// Turn a recipe step into a step of the engine.
/// `database`: the database of the stage's environment, for SQL steps.
fn extra_to_step(x: &ExtraStep, database: Option<&str>) -> Result<Step, String> {
    let kind = ExtraKind::try_from(x.kind.as_str()).map_err(|fix| {
        crate::tr_fmt!(
            "recipe step {}: unknown kind '{}': {fix}",
            "étape de recette {} : type « {} » inconnu : {fix}",
            x.id,
            x.kind
        )
    })?;
    let action = match kind {
        ExtraKind::Exec => Action::Exec(ExecSpec {
            program: x
                .program
                .clone()
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: exec needs program", "étape de recette {} : exec demande program", x.id))?,
            args: x.args.clone(),
            cwd: x.cwd.clone(),
            env: x.env.clone(),
            timeout_s: x.timeout_s,
            ok_exit_codes: x.ok_exit_codes.clone(),
            pass_secrets: x.secrets.clone(),
            collect_logs: Vec::new(),
        }),
        ExtraKind::Manual => Action::Manual {
            prompt: x.prompt.clone().unwrap_or_else(|| x.id.clone()),
        },
        ExtraKind::HttpWait => Action::HttpWait {
            url: x
                .url
                .clone()
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: http.wait needs url", "étape de recette {} : http.wait demande url", x.id))?,
            status: x.status.unwrap_or(200),
            timeout_s: x.timeout_s.unwrap_or(300),
            interval_ms: 2000,
        },
        ExtraKind::CheckPathExists => Action::CheckPathExists {
            path: x
                .path
                .clone()
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: check.path_exists needs path", "étape de recette {} : check.path_exists demande path", x.id))?,
        },
        ExtraKind::CheckTcp => {
            let target = x.url.clone().unwrap_or_default();
            let (host, port) = target
                .rsplit_once(':')
                .and_then(|(h, p)| p.parse::<u16>().ok().map(|p| (h.to_string(), p)))
                .ok_or_else(|| {
                    crate::tr_fmt!("recipe step {}: check.tcp needs url = \"host:port\"", "étape de recette {} : check.tcp demande url = \"hôte:port\"", x.id)
                })?;
            Action::CheckTcp {
                host,
                port,
                timeout_ms: x.timeout_s.unwrap_or(5) * 1000,
            }
        }
        ExtraKind::SqlScript => Action::Sql(SqlAction::Script {
            file: x
                .script
                .clone()
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: sql.script needs script", "étape de recette {} : sql.script demande script", x.id))?,
            database: database
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: sql.script runs in a stage whose environment has no [sql] section", "étape de recette {} : sql.script tourne dans une phase dont l'environnement n'a pas de section [sql]", x.id))?
                .to_string(),
        }),
        ExtraKind::ServiceStop | ExtraKind::ServiceStart => {
            let name = x
                .service
                .clone()
                .ok_or_else(|| crate::tr_fmt!("recipe step {}: {} needs service", "étape de recette {} : {} demande service", x.id, x.kind))?;
            if kind == ExtraKind::ServiceStop {
                Action::ServiceStop { name }
            } else {
                Action::ServiceStart { name }
            }
        }
        ExtraKind::IisReset => Action::IisReset { server: None },
    };
    let changes = kind.changes();
    Ok(Step {
        id: x.id.clone(),
        title: x.title.clone().unwrap_or_else(|| x.id.clone()),
        required: x.required,
        changes,
        server: None,
        action,
    })
}

pub(super) fn insert_extra_steps(
    plan: &Plan,
    stages: &mut [Stage],
) -> Result<(), super::extra_insert::BuildIssue> {
    super::extra_insert::insert(plan, stages, extra_to_step)
}
