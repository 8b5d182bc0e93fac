//! A customer's own wording of the built-in manual steps:
//! `[recipe.prompts."verify/sign-off"] fr = "..." en = "..."`.
//!
//! The text of the language in use replaces the step's built-in prompt; a
//! language the plan leaves out keeps the built-in text. Every key must name
//! a manual step of the checklist (`stage/step`, as `dress plan show` lists
//! them), for a run on either environment, and every text must say
//! something: a typo would otherwise leave the built-in prompt in place
//! without a word.

use crate::model::lang::{self, Lang};
use crate::model::step::{Action, Stage};
use crate::model::{EnvKind, Plan};

use super::BuildIssue;

/// Puts the plan's wording on the manual steps of `stages`.
pub(super) fn apply(plan: &Plan, stages: &mut [Stage]) {
    let lang = lang::current();
    for stage in stages.iter_mut() {
        for step in &mut stage.steps {
            let key = format!("{}/{}", stage.id, step.id);
            let (Some(text), Action::Manual { prompt }) = (
                plan.recipe.prompts.get(&key).and_then(|t| t.get(lang)),
                &mut step.action,
            ) else {
                continue;
            };
            *prompt = text.trim().to_string();
        }
    }
}

/// The `stage/step` keys of the manual steps of `stages`, in order.
pub fn manual_steps(stages: &[Stage]) -> Vec<String> {
    stages
        .iter()
        .flat_map(|s| {
            s.steps
                .iter()
                .filter(|st| matches!(st.action, Action::Manual { .. }))
                .map(move |st| format!("{}/{}", s.id, st.id))
        })
        .collect()
}

/// The `stage/step` keys of the manual steps, for a run on either
/// environment.
pub fn manual_keys(plan: &Plan) -> Vec<String> {
    let mut keys = Vec::new();
    for env in [EnvKind::Test, EnvKind::Production] {
        let Ok(stages) = super::build_checked(plan, env) else {
            continue;
        };
        for k in manual_steps(&stages) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// What is wrong with the plan's `[recipe.prompts]`: a key that names no
/// manual step, a text that is empty.
pub fn issues(plan: &Plan) -> Vec<BuildIssue> {
    if plan.recipe.prompts.is_empty() {
        return Vec::new();
    }
    let keys = manual_keys(plan);
    let mut out = Vec::new();
    for (key, text) in &plan.recipe.prompts {
        let field = format!("recipe.prompts.{key}");
        if !keys.contains(key) {
            out.push(BuildIssue {
                field,
                what: crate::tr_fmt!(
                    "{key:?} is not a manual step of this plan; the manual steps are: {}",
                    "« {key} » n'est pas une étape manuelle de ce plan ; les étapes manuelles sont : {}",
                    keys.join(", ")
                ),
            });
            continue;
        }
        for l in Lang::ALL {
            if text.get(l).is_some_and(|t| t.trim().is_empty()) {
                out.push(BuildIssue {
                    field: format!("{field}.{}", l.code()),
                    what: lang::tr(
                        "the prompt is empty: the operator would sign nothing",
                        "le texte est vide : l'opérateur ne validerait rien",
                    )
                    .into(),
                });
            }
        }
        if text.en.is_none() && text.fr.is_none() {
            out.push(BuildIssue {
                field,
                what: lang::tr(
                    "no text is given: write en = \"...\" and/or fr = \"...\"",
                    "aucun texte n'est donné : écrivez en = \"...\" et/ou fr = \"...\"",
                )
                .into(),
            });
        }
    }
    out
}
