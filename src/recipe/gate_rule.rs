//! The production gate's rule, written once and judged the same way by the
//! command line, the interface's engine, every resume, and again right
//! before each production step that changes something.
//!
//! A rehearsal is recognised from the runs' journals (their folded state):
//! production is open for a fingerprint only when the stages of the
//! rehearsal (`StageId::rehearsal()`: backup, test environment, trial
//! upgrade, verify) each passed on the test environment for that same
//! fingerprint, in that order (each one started after its predecessor
//! passed), the verify stage with the operator's sign-off, and none of them
//! was failed or aborted afterwards. The stages may come from one run
//! resumed until the sign-off, or from a chain of runs (the backup today,
//! the sign-off next week).
//!
//! A stage "passed" in a run when each of its steps passed (or was not
//! applicable); a required step the operator skipped is not a pass.

use crate::model::EnvKind;
use crate::model::run::event::{Choice, Millis};
use crate::model::run::state::{RunState, StepStatus};

use super::StageId;

/// How many other rehearsals a refusal lists.
pub const LISTED: usize = 5;

/// How one stage went in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Passed {
        start: Millis,
        end: Millis,
    },
    /// Failed, cancelled, skipped by the operator, or left unfinished by a
    /// run that ended.
    Failed {
        at: Millis,
        why: String,
    },
    /// Started in a run that has not ended (waiting, stopped, running).
    Open {
        at: Millis,
    },
}

impl Attempt {
    fn at(&self) -> Millis {
        match self {
            Attempt::Passed { end, .. } => *end,
            Attempt::Failed { at, .. } | Attempt::Open { at } => *at,
        }
    }
}

/// The rehearsal that opens production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rehearsal {
    /// The runs of the chain, oldest first, each once.
    pub runs: Vec<String>,
    /// The run in which the verify stage was signed off, and the note.
    pub signed_off_in: String,
    pub sign_off: String,
}

/// How `stage` went in run `s`, if it was started there.
pub fn attempt(s: &RunState, stage: StageId) -> Option<Attempt> {
    let steps: Vec<_> = s.stage_steps(stage.as_str()).collect();
    let started: Vec<Millis> = steps.iter().filter_map(|x| x.started_at).collect();
    let start = *started.iter().min()?;
    let end = steps
        .iter()
        .filter_map(|x| Some(x.started_at? + x.duration_ms.unwrap_or(0)))
        .max()
        .unwrap_or(start);
    let operator_skip = |x: &&crate::model::run::state::StepState| {
        x.planned.required && x.decisions.iter().any(|(c, _)| *c == Choice::Skip)
    };
    if let Some(x) = steps.iter().find(|x| {
        matches!(x.status, StepStatus::Failed | StepStatus::Cancelled) || operator_skip(x)
    }) {
        return Some(Attempt::Failed {
            at: end,
            why: format!("{} {}", x.planned.step, x.status.as_str()),
        });
    }
    let signed = stage != StageId::Verify
        || steps.iter().any(|x| {
            x.planned.kind == "manual" && x.status == StepStatus::Passed && !x.notes.is_empty()
        });
    if steps.iter().all(|x| x.status.is_finished()) && signed {
        return Some(Attempt::Passed { start, end });
    }
    if s.finished.is_some() {
        let why = match steps.iter().find(|x| !x.status.is_finished()) {
            Some(x) => crate::tr_fmt!(
                "{} {} when run {} ended",
                "{} {} à la fin de l'exécution {}",
                x.planned.step,
                x.status.as_str(),
                s.run_id
            ),
            None => crate::model::lang::tr("no sign-off", "pas de validation").to_string(),
        };
        return Some(Attempt::Failed { at: end, why });
    }
    Some(Attempt::Open { at: end })
}

/// The latest attempt of each rehearsal stage for this fingerprint, over
/// the test runs, with the run it was in.
fn latest(
    runs: &[(String, RunState)],
    fingerprint: Option<&str>,
) -> Vec<(StageId, Option<(String, Attempt)>)> {
    StageId::rehearsal()
        .map(|stage| {
            let last = runs
                .iter()
                .filter(|(_, s)| {
                    s.env == EnvKind::Test.as_str() && s.fingerprint.as_deref() == fingerprint
                })
                .filter_map(|(id, s)| attempt(s, stage).map(|a| (id.clone(), a)))
                .max_by_key(|(_, a)| a.at());
            (stage, last)
        })
        .collect()
}

/// The run whose `stage` passed last for this fingerprint on test, when
/// that last attempt passed.
pub fn latest_pass(
    runs: &[(String, RunState)],
    fingerprint: Option<&str>,
    stage: StageId,
) -> Option<String> {
    latest(runs, fingerprint)
        .into_iter()
        .find(|(s, _)| *s == stage)
        .and_then(|(_, last)| match last {
            Some((run, Attempt::Passed { .. })) => Some(run),
            _ => None,
        })
}

/// How many stages of the rehearsal stand passed, in order, for this
/// fingerprint now; and why the next one does not.
pub fn standing(runs: &[(String, RunState)], fingerprint: Option<&str>) -> (usize, String) {
    standing_of(runs, fingerprint, &StageId::rehearsal().collect::<Vec<_>>())
}

/// [`standing`] over some of the rehearsal's stages only (those a plan
/// has), in the checklist's order.
fn standing_of(
    runs: &[(String, RunState)],
    fingerprint: Option<&str>,
    stages: &[StageId],
) -> (usize, String) {
    let mut prev_end: Option<Millis> = None;
    let wanted = latest(runs, fingerprint)
        .into_iter()
        .filter(|(s, _)| stages.contains(s));
    for (i, (stage, last)) in wanted.enumerate() {
        let why = match last {
            None => {
                crate::tr_fmt!(
                    "the {stage} stage has not run for this recipe on the test environment",
                    "la phase {stage} n'a pas été lancée pour cette recette sur l'environnement de test"
                )
            }
            Some((run, Attempt::Failed { why, .. })) => {
                crate::tr_fmt!(
                    "the last {stage} stage of this recipe failed (run {run}: {why})",
                    "la dernière phase {stage} de cette recette a échoué (exécution {run} : {why})"
                )
            }
            Some((run, Attempt::Open { .. })) => {
                crate::tr_fmt!(
                    "the {stage} stage of run {run} is not finished",
                    "la phase {stage} de l'exécution {run} n'est pas finie"
                )
            }
            Some((run, Attempt::Passed { start, end })) => {
                if prev_end.is_some_and(|p| start < p) {
                    crate::tr_fmt!(
                        "the {stage} stage (run {run}) passed before the stage it follows was done again: run it again",
                        "la phase {stage} (exécution {run}) a réussi avant que la phase qui la précède soit refaite : relancez-la"
                    )
                } else {
                    prev_end = Some(end);
                    continue;
                }
            }
        };
        return (i, why);
    }
    (stages.len(), String::new())
}

/// The rehearsal that opens production for this fingerprint, or why none.
pub fn judge(runs: &[(String, RunState)], fingerprint: &str) -> Result<Rehearsal, String> {
    let any = runs.iter().any(|(_, s)| {
        s.env == EnvKind::Test.as_str() && s.fingerprint.as_deref() == Some(fingerprint)
    });
    if !any {
        return Err(crate::tr_fmt!(
            "no run of this recipe (fingerprint {fingerprint}) on the test environment",
            "aucune exécution de cette recette (empreinte {fingerprint}) sur l'environnement de test"
        ));
    }
    let (n, why) = standing(runs, Some(fingerprint));
    if n < StageId::rehearsal().count() {
        return Err(why);
    }
    let mut chain: Vec<String> = Vec::new();
    let mut sign = (String::new(), String::new());
    for (stage, last) in latest(runs, Some(fingerprint)) {
        if let Some((run, _)) = last {
            if stage == StageId::Verify
                && let Some((_, s)) = runs.iter().find(|(id, _)| *id == run)
            {
                let note = s
                    .stage_steps(stage.as_str())
                    .filter(|x| x.planned.kind == "manual")
                    .flat_map(|x| x.notes.iter())
                    .last()
                    .cloned()
                    .unwrap_or_default();
                sign = (run.clone(), note);
            }
            if !chain.contains(&run) {
                chain.push(run);
            }
        }
    }
    Ok(Rehearsal {
        runs: chain,
        signed_off_in: sign.0,
        sign_off: sign.1,
    })
}

/// Rehearsals of other fingerprints, to explain a refusal: the last
/// [`LISTED`], newest first, one line per fingerprint.
pub fn other_rehearsals(runs: &[(String, RunState)], fingerprint: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (id, s) in runs.iter().rev() {
        let Some(f) = s.fingerprint.as_deref().filter(|f| *f != fingerprint) else {
            continue;
        };
        if out.iter().any(|(_, g)| g == f) || s.env != EnvKind::Test.as_str() {
            continue;
        }
        if matches!(attempt(s, StageId::Verify), Some(Attempt::Passed { .. })) {
            out.push((id.clone(), f.to_string()));
        }
        if out.len() == LISTED {
            break;
        }
    }
    out
}

/// The refusal of production, with its fix: the one text the command line
/// and the interface show.
pub fn locked_message(runs: &[(String, RunState)], fingerprint: &str, why: &str) -> String {
    let others = other_rehearsals(runs, fingerprint);
    let changed = if others.is_empty() {
        String::new()
    } else {
        crate::tr_fmt!(
            "; the recipe changed since the last rehearsals (now {fingerprint}; rehearsed: {}): a changed setup package, program, recipe or deployment needs a new rehearsal",
            " ; la recette a changé depuis les dernières répétitions générales (maintenant {fingerprint} ; répétées : {}) : un programme d'installation, un programme, une recette ou un déploiement modifié demande une nouvelle répétition générale",
            others
                .iter()
                .map(|(id, f)| crate::tr_fmt!("{f} in run {id}", "{f} dans l'exécution {id}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    crate::tr_fmt!(
        "production is locked: {why}{changed}. Rehearse first: dress run PLAN --stage rehearsal --env test (then sign off the verify stage)",
        "la production est verrouillée : {why}{changed}. Faites d'abord la répétition générale : dress run PLAN --stage rehearsal --env test (puis validez la phase verify)"
    )
}

/// The order of the checklist: each stage of the rehearsal chosen for a run
/// needs its predecessors passed in this rehearsal, or chosen before it in
/// the same run. Only the stages the plan has (`present`) count: a plan
/// without production has no backup to wait for. `Err` says which stage
/// and why.
pub fn check_order(
    runs: &[(String, RunState)],
    fingerprint: Option<&str>,
    chosen: &[StageId],
    present: &[StageId],
) -> Result<(), String> {
    let order: Vec<StageId> = StageId::rehearsal()
        .filter(|s| present.contains(s))
        .collect();
    let (standing, why) = standing_of(runs, fingerprint, &order);
    for (k, stage) in chosen.iter().enumerate() {
        let Some(i) = order.iter().position(|s| s == stage) else {
            continue;
        };
        for (j, pred) in order.iter().enumerate().take(i) {
            if j < standing || chosen[..k].contains(pred) {
                continue;
            }
            return Err(crate::tr_fmt!(
                "--stage {stage}: the checklist runs {} before it, and {pred} has not passed in this rehearsal ({why}). Add --stage {pred} before it, or give the reason to run it anyway with --out-of-order REASON (journalled)",
                "--stage {stage} : la liste fait {} avant elle, et {pred} n'a pas réussi dans cette répétition générale ({why}). Ajoutez --stage {pred} avant elle, ou donnez la raison de la lancer quand même avec --out-of-order RAISON (inscrite au registre)",
                order[..i]
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "gate_rule_tests.rs"]
mod tests;
