//! Trial upgrade (« test de mise à jour ») on the test environment and the
//! production upgrade (« mise à jour réelle »): the same vendor setup, run the
//! same way, so the rehearsal proves what production will do.

use std::path::Path;

use crate::engine::step::{Action, ExecSpec};
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
            "All users are logged off production",
            Action::Manual {
                prompt: "Every user is logged off the production CRM".into(),
            },
        );
    }
    // The setup reads its answers (secrets included) from a response file,
    // as in the install stage.
    match super::setup::crm_upgrade(plan, env) {
        Some(r) => {
            b.change(
                "setup",
                "Run the vendor setup (upgrade)",
                Action::ExecWithResponse(r),
            );
        }
        None => {
            return Err(
                "the recipe has no [recipe.setup]: the upgrade stages need the setup package and its arguments"
                    .into(),
            );
        }
    }
    wait_site(b, env, "wait-site", "Wait for IIS and Tomcat to answer");

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
