//! The upgrade checklist as data: which stages exist, in which order, on
//! which environment, and the steps each one lists, built from a plan.
//!
//! Where things are:
//! - `stage_id`: the table of stages (id, title, environment, part of the
//!   rehearsal, gated, runs the setup). The only place a stage id is text.
//! - one file per stage, readable by someone who knows the vendor's
//!   checklist: `prerequisites`, `setup` (install and licence),
//!   `multiserver`, `backup`, `test_env`, `upgrade` (trial upgrade and
//!   production), `verify`, `control`.
//! - `builder`: `check(..)` (reads), `change(..)` (changes the system: the
//!   operator is asked first), `.optional()` (the run goes on if it fails).
//! - `extra`: the steps a plan adds with `[[recipe.steps]]`, mapped to
//!   steps; `extra_insert`: put before or after their anchors.
//! - `gate_rule`: the production gate's rule, judged over runs' states.
//!
//! How to add a step kind (something a step can do):
//! 1. describe it in `model::step::Action` (its fields are the data the
//!    plan or the checklist gives it), give it a `kind()` name and a
//!    `describe()` text for `dress plan show` (English and French, in
//!    `model/step/mod.rs` or `model/step/describe.rs`);
//! 2. run it in `engine::dispatch::run_action` (a function that returns a
//!    `StepResult` and writes its lines through the step context);
//! 3. to let a plan add it with `[[recipe.steps]]`, accept its `kind` in
//!    `model::validate` and map it in `extra::extra_to_step`;
//! 4. list it in a stage file with `check` or `change`;
//! 5. the `tests/fixtures/plans/show/` goldens then show the new step as a diff.
//!
//! This layer reads the plan and names the step vocabulary, both from
//! `model` only (`model::step`, `model::run` for the gate rule); it runs
//! nothing.

mod backup;
pub mod builder;
mod control;
mod extra;
mod extra_insert;
pub mod gate_rule;
pub mod multiserver;
mod prerequisites;
pub mod prompts;
pub mod secrets;
pub mod setup;
pub mod stage_id;
mod test_env;
mod upgrade;
mod verify;

pub use backup::{database_backup_file, program_archive, registry_file};
pub use builder::{StageBuilder, StepOptions};
pub use extra_insert::BuildIssue;
pub use stage_id::{REHEARSAL_WORD, StageId, title_of};

use crate::model::step::Stage;
use crate::model::{EnvKind, Plan};

/// Build every stage of a plan for a run on `run_env`. Stages whose
/// environment the plan does not describe are left out, and so are stages
/// that end up with no step.
pub fn build(plan: &Plan, run_env: EnvKind) -> Result<Vec<Stage>, String> {
    build_checked(plan, run_env).map_err(|e| e.what)
}

/// [`build`], with the plan field each problem is about, to be located in
/// the file.
pub fn build_checked(plan: &Plan, run_env: EnvKind) -> Result<Vec<Stage>, BuildIssue> {
    setup::check_installed_company(plan).map_err(|what| BuildIssue {
        field: "deployment.company".into(),
        what,
    })?;
    let mut stages = Vec::new();
    for id in StageId::ALL
        .into_iter()
        .filter(|s| s.in_mode(plan.recipe.mode))
    {
        let env_kind = id.env(run_env);
        let Some(env) = plan.environments.get(env_kind) else {
            continue;
        };
        let mut b = StageBuilder::new(id);
        match id {
            StageId::Prerequisites => prerequisites::prerequisites(plan, env, env_kind, &mut b),
            StageId::Install => setup::install(plan, env, &mut b),
            StageId::Multiserver => multiserver::multiserver(plan, env, &mut b),
            StageId::Licence => setup::licence(plan, env, &mut b),
            StageId::Backup => backup::backup(plan, env, &mut b),
            StageId::TestEnv => test_env::test_env(plan, env, &mut b),
            StageId::TrialUpgrade | StageId::Production => upgrade::upgrade(plan, env, id, &mut b)
                .map_err(|what| BuildIssue {
                    field: "recipe.setup".into(),
                    what,
                })?,
            StageId::Verify => verify::verify(env, &mut b),
            StageId::Control => control::control(&mut b),
        }
        stages.push(b.done(env_kind));
    }
    extra::insert_extra_steps(plan, &mut stages)?;
    prompts::apply(plan, &mut stages);
    stages.retain(|s| !s.steps.is_empty());
    Ok(stages)
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
