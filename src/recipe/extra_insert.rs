//! The recipe's extra steps put into the built-in stages, in time linear in
//! their number.
//!
//! Each step goes before or after an anchor: a built-in step or an extra
//! step placed earlier in the plan (`stage/step` or `step`). The result is
//! the one inserting them one by one gives — several steps `before` the
//! same anchor keep the plan's order, several `after` it come in reverse
//! plan order (each goes right after the anchor) — built as a tree and
//! flattened once instead of shifting vectors.

use std::collections::HashMap;

use crate::model::Plan;
use crate::model::step::{Stage, Step};

/// A plan problem found while building the stages, with the field it is
/// about (`recipe.steps[3].after`), to be located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildIssue {
    pub field: String,
    pub what: String,
}

impl std::fmt::Display for BuildIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)
    }
}

struct Node {
    step: Option<Step>,
    before: Vec<usize>,
    after: Vec<usize>,
}

/// Insert every extra step; `to_step` turns one into a step of the engine
/// (`database`: that of the stage's environment).
pub fn insert(
    plan: &Plan,
    stages: &mut [Stage],
    to_step: impl Fn(&crate::model::ExtraStep, Option<&str>) -> Result<Step, String>,
) -> Result<(), BuildIssue> {
    if plan.recipe.steps.is_empty() {
        return Ok(());
    }
    // Nodes: the built-in steps of each stage, then the extras.
    let mut nodes: Vec<Node> = Vec::new();
    let mut roots: Vec<Vec<usize>> = Vec::with_capacity(stages.len());
    let mut by_id: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (si, st) in stages.iter_mut().enumerate() {
        let mut r = Vec::with_capacity(st.steps.len());
        for s in st.steps.drain(..) {
            by_id
                .entry(s.id.clone())
                .or_default()
                .push((si, nodes.len()));
            r.push(nodes.len());
            nodes.push(Node {
                step: Some(s),
                before: Vec::new(),
                after: Vec::new(),
            });
        }
        roots.push(r);
    }
    let mut result = Ok(());
    for (i, x) in plan.recipe.steps.iter().enumerate() {
        // Only an error names the field: no string is built otherwise.
        let base = || format!("recipe.steps[{i}]");
        let (anchor, after, key) = match (&x.before, &x.after) {
            (Some(a), None) => (a, false, "before"),
            (None, Some(a)) => (a, true, "after"),
            _ => {
                result = Err(BuildIssue {
                    field: base(),
                    what: format!("recipe step {}: give exactly one of before or after", x.id),
                });
                break;
            }
        };
        let (want_stage, want_step) = match anchor.split_once('/') {
            Some((s, t)) => (Some(s), t),
            None => (None, anchor.as_str()),
        };
        let hits: Vec<(usize, usize)> = by_id
            .get(want_step)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|(si, _)| want_stage.is_none_or(|w| w == stages[*si].id))
                    .collect()
            })
            .unwrap_or_default();
        let (si, at) = match hits.as_slice() {
            [one] => *one,
            [] => {
                result = Err(BuildIssue {
                    field: format!("{}.{key}", base()),
                    what: format!(
                        "recipe step {}: no built-in step '{anchor}' to insert next to (see `dress plan show`)",
                        x.id
                    ),
                });
                break;
            }
            _ => {
                result = Err(BuildIssue {
                    field: format!("{}.{key}", base()),
                    what: format!(
                        "recipe step {}: '{anchor}' names several steps; write it as stage/step",
                        x.id
                    ),
                });
                break;
            }
        };
        let database = plan
            .environments
            .get(stages[si].env)
            .and_then(|e| e.sql.as_ref())
            .map(|s| s.database.as_str());
        let step = match to_step(x, database) {
            Ok(s) => s,
            Err(what) => {
                result = Err(BuildIssue {
                    field: base(),
                    what,
                });
                break;
            }
        };
        let id = nodes.len();
        by_id.entry(step.id.clone()).or_default().push((si, id));
        nodes.push(Node {
            step: Some(step),
            before: Vec::new(),
            after: Vec::new(),
        });
        if after {
            nodes[at].after.push(id);
        } else {
            nodes[at].before.push(id);
        }
    }
    // Flatten (also on error, so the stages are left whole).
    for (si, r) in roots.into_iter().enumerate() {
        let mut out = Vec::new();
        for n in r {
            flatten(&mut nodes, n, &mut out);
        }
        stages[si].steps = out;
    }
    result
}

/// The node's `before` steps (plan order), itself, its `after` steps
/// (reverse plan order), each with its own; without recursion.
fn flatten(nodes: &mut [Node], root: usize, out: &mut Vec<Step>) {
    enum Todo {
        Visit(usize),
        Emit(usize),
    }
    let mut stack = vec![Todo::Visit(root)];
    while let Some(t) = stack.pop() {
        match t {
            Todo::Emit(n) => {
                if let Some(s) = nodes[n].step.take() {
                    out.push(s);
                }
            }
            Todo::Visit(n) => {
                // Pushed in reverse of the order they are emitted.
                for &a in &nodes[n].after {
                    stack.push(Todo::Visit(a));
                }
                stack.push(Todo::Emit(n));
                for &b in nodes[n].before.iter().rev() {
                    stack.push(Todo::Visit(b));
                }
            }
        }
    }
}
