//! Trial upgrade (« test de mise à jour ») on the test environment and the
//! production upgrade (« mise à jour réelle »): the same vendor setup, run the
//! same way, so the rehearsal proves what production will do.

use crate::model::lang::tr;
use std::path::Path;

use crate::model::step::{Action, ExecSpec};
use crate::model::{Environment, Plan};

use super::StageId;
use super::builder::{StageBuilder, wait_site};

pub(super) fn upgrade(
    plan: &Plan,
    env: &Environment,
    stage: StageId,
    b: &mut StageBuilder,
) -> Result<(), String> {
    if stage == StageId::Production {
        b.check(
            "users-off",
            tr(
                "All users are logged off production",
                "Tous les utilisateurs sont déconnectés de la production",
            ),
            Action::Manual {
                prompt: tr(
                    "Every user is logged off the production CRM",
                    "Chaque utilisateur est déconnecté du CRM de production",
                )
                .into(),
            },
        );
    }
    // The setup reads its answers (secrets included) from a response file,
    // as in the install stage.
    match super::setup::crm_upgrade(plan, env) {
        Some(r) => {
            b.change(
                "setup",
                tr(
                    "Run the vendor setup (upgrade)",
                    "Lancer le programme d'installation de l'éditeur (mise à jour)",
                ),
                Action::ExecWithResponse(r),
            );
        }
        None => {
            return Err(tr(
                "the recipe has no [recipe.setup]: the upgrade stages need the setup package and its arguments",
                "la recette n'a pas de [recipe.setup] : les phases de mise à jour ont besoin du programme d'installation et de ses arguments",
            )
            .into());
        }
    }
    wait_site(
        b,
        env,
        "wait-site",
        tr(
            "Wait for IIS and Tomcat to answer",
            "Attendre que IIS et Tomcat répondent",
        ),
    );

    Ok(())
}

pub(super) fn setup_exec(plan: &Plan, install_dir: &Path) -> Option<ExecSpec> {
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
