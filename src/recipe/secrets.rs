//! Which secrets a list of stages needs, so that every one is read or asked
//! before the first step runs, never discovered by the step that needs it.

use crate::engine::step::Stage;
use crate::model::Plan;

/// The secrets the chosen stages need: the SQL password of each environment
/// a stage runs SQL on (or hands to the vendor setup), and the licence key
/// and proxy password when a vendor program gets a response file.
pub fn needed<'p>(
    plan: &'p Plan,
    stages: &[Stage],
) -> Vec<(String, String, &'p crate::model::SecretRef)> {
    use crate::engine::step::Action;
    let mut sql_envs = std::collections::BTreeSet::new();
    let mut vendor = false;
    for st in stages {
        for step in &st.steps {
            match &step.action {
                Action::Sql(_) => {
                    sql_envs.insert(st.env.to_string());
                }
                Action::ExecWithResponse(_) => {
                    vendor = true;
                    sql_envs.insert(st.env.to_string());
                }
                _ => {}
            }
        }
    }
    plan.secret_refs()
        .into_iter()
        .filter(|(field, _, _)| match field.strip_prefix("environments.") {
            Some(rest) => rest
                .split_once('.')
                .is_some_and(|(env, _)| sql_envs.contains(env)),
            None => vendor,
        })
        .collect()
}
