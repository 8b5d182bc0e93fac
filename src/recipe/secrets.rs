//! Which secrets a list of stages needs, so that every one is read or asked
//! before the first step runs, never discovered by the step that needs it.

use crate::model::step::response::AnswerValue;
use crate::model::step::{Action, Stage};
use crate::model::{Plan, SecretRef};

/// A secret the stages need: the plan field that holds it, the words that
/// name it, its reference, and the steps (`stage/step`) that use it.
pub struct Needed<'p> {
    pub field: String,
    pub what: String,
    pub source: &'p SecretRef,
    pub steps: Vec<String>,
}

/// The secrets the chosen stages need: the SQL password of each environment
/// a stage runs SQL on (or hands to the vendor setup), and the licence key
/// and proxy password when a vendor program gets a response file.
pub fn needed<'p>(plan: &'p Plan, stages: &[Stage]) -> Vec<Needed<'p>> {
    // (environment or "" for the deployment, step)
    let mut users: Vec<(String, String)> = Vec::new();
    for st in stages {
        for step in &st.steps {
            let name = format!("{}/{}", st.id, step.id);
            match &step.action {
                Action::Sql(_) => users.push((st.env.to_string(), name)),
                // A vendor program needs the secrets its response file
                // answers with, and no other.
                Action::ExecWithResponse(r) => {
                    for a in &r.answers {
                        if !matches!(a.value, AnswerValue::Secret { .. }) {
                            continue;
                        }
                        match a.key.as_str() {
                            "sql_password" => users.push((st.env.to_string(), name.clone())),
                            "licence_key" => users.push(("licence".into(), name.clone())),
                            "proxy_password" => users.push(("proxy".into(), name.clone())),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    plan.secret_refs()
        .into_iter()
        .filter_map(|(field, what, source)| {
            let scope = match field.as_str() {
                "deployment.licence_key" => "licence".to_string(),
                "deployment.proxy.password" => "proxy".to_string(),
                f => f
                    .strip_prefix("environments.")
                    .and_then(|rest| rest.split_once('.'))
                    .map_or(String::new(), |(env, _)| env.to_string()),
            };
            let steps: Vec<String> = users
                .iter()
                .filter(|(e, _)| *e == scope)
                .map(|(_, s)| s.clone())
                .collect();
            (!steps.is_empty()).then_some(Needed {
                field,
                what,
                source,
                steps,
            })
        })
        .collect()
}
