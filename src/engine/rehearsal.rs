//! The production gate as the commands ask it: the rule of
//! `recipe::gate_rule` over the runs of the state folder, and a fresh
//! production backup.

use std::path::Path;

use crate::engine::event::Millis;
use crate::engine::state::{RunState, StepStatus};
use crate::recipe::{StageId, gate_rule};

/// A run in which every step of `stage` passed (and the stage had steps).
pub fn stage_passed(s: &RunState, stage: StageId) -> bool {
    let stage = stage.as_str();
    let mut steps = s.stage_steps(stage).peekable();
    steps.peek().is_some()
        && steps.all(|x| x.status.is_finished())
        && s.stage_steps(stage).any(|x| x.status == StepStatus::Passed)
}

/// When a stage last finished, in a run.
fn stage_finished_at(s: &RunState, stage: StageId) -> Option<Millis> {
    s.stage_steps(stage.as_str())
        .filter_map(|x| Some(x.started_at? + x.duration_ms?))
        .max()
}

/// The newest passed production backup, with its age in hours.
pub fn last_backup(runs: &[(String, RunState)], now: Millis) -> Option<(String, f64)> {
    runs.iter()
        .filter(|(_, s)| stage_passed(s, StageId::Backup))
        .filter_map(|(id, s)| {
            stage_finished_at(s, StageId::Backup)
                .map(|t| (id.clone(), now.saturating_sub(t) as f64 / 3_600_000.0))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Every readable run of the state folder, oldest first.
pub fn load_runs(state_dir: &Path) -> Vec<(String, RunState)> {
    crate::engine::runs_index::load_all(state_dir)
        .into_iter()
        .filter_map(|(id, s)| s.ok().map(|s| (id, s)))
        .collect()
}

/// Why production may not run, or `Ok` with the rehearsal that allows it:
/// the rule of `recipe::gate_rule`, then a fresh backup (taken in this run,
/// or one that passed within `max_backup_age_h`).
pub fn check_gate(
    runs: &[(String, RunState)],
    fingerprint: Option<&str>,
    backup_in_run: bool,
    max_backup_age_h: u64,
    now: Millis,
) -> Result<gate_rule::Rehearsal, String> {
    let Some(fp) = fingerprint else {
        return Err(crate::tr_fmt!(
            "production is locked: the plan has no [recipe.setup]: there is no recipe to have rehearsed",
            "la production est verrouillée : le plan n'a pas de [recipe.setup] : il n'y a pas de recette qui ait pu être répétée"
        ));
    };
    let rehearsal =
        gate_rule::judge(runs, fp).map_err(|why| gate_rule::locked_message(runs, fp, &why))?;
    if !backup_in_run {
        match last_backup(runs, now) {
            Some((_, age)) if age <= max_backup_age_h as f64 => {}
            Some((id, age)) => {
                let age_text = crate::model::lang::decimal(format!("{age:.1}"));
                return Err(crate::tr_fmt!(
                    "production needs a fresh backup: the last one (run {id}) is {age_text} h old, the recipe allows {max_backup_age_h} h. Run the backup stage with production: --stage backup,production",
                    "la production demande une sauvegarde récente : la dernière (exécution {id}) date de {age_text} h, la recette permet {max_backup_age_h} h. Lancez la phase de sauvegarde avec la production : --stage backup,production"
                ));
            }
            None => {
                return Err(crate::tr_fmt!(
                    "production needs a fresh backup and none passed: run the backup stage with production: --stage backup,production",
                    "la production demande une sauvegarde récente et aucune n'a réussi : lancez la phase de sauvegarde avec la production : --stage backup,production"
                ));
            }
        }
    }
    Ok(rehearsal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::*;

    fn run(fp: &str, verify: Outcome, backup_at: Option<Millis>) -> RunState {
        let by = Actor {
            user: "u".into(),
            host: "h".into(),
        };
        let ps = |stage: &str, step: &str| PlannedStep {
            step: StepRef::new(stage, step),
            title: step.into(),
            required: true,
            changes: false,
            kind: if step == "sign-off" { "manual" } else { "exec" }.into(),
        };
        let mut ev = vec![Event::RunStarted {
            run_id: "r".into(),
            env: "test".into(),
            plan: "p".into(),
            steps: vec![
                ps("backup", "program-files"),
                ps("test-env", "program-files"),
                ps("trial-upgrade", "setup"),
                ps("verify", "sign-off"),
            ],
            fingerprint: Some(fp.into()),
            lang: None,
            by,
            pid: 1,
            at: 0,
        }];
        if let Some(t) = backup_at {
            ev.push(Event::StepStarted {
                step: StepRef::new("backup", "program-files"),
                attempt: 1,
                at: t,
            });
            ev.push(Event::StepFinished {
                step: StepRef::new("backup", "program-files"),
                outcome: Outcome::Passed,
                duration_ms: 0,
                message: String::new(),
                at: t,
            });
        }
        let t = backup_at.unwrap_or(0);
        for (stage, step) in [("test-env", "program-files"), ("trial-upgrade", "setup")] {
            ev.push(Event::StepStarted {
                step: StepRef::new(stage, step),
                attempt: 1,
                at: t,
            });
            ev.push(Event::StepFinished {
                step: StepRef::new(stage, step),
                outcome: Outcome::Passed,
                duration_ms: 0,
                message: String::new(),
                at: t,
            });
        }
        ev.push(Event::StepStarted {
            step: StepRef::new("verify", "sign-off"),
            attempt: 1,
            at: t,
        });
        ev.push(Event::ManualConfirmed {
            step: StepRef::new("verify", "sign-off"),
            note: "checked".into(),
            by: Actor {
                user: "u".into(),
                host: "h".into(),
            },
        });
        ev.push(Event::StepFinished {
            step: StepRef::new("verify", "sign-off"),
            outcome: verify,
            duration_ms: 1,
            message: String::new(),
            at: 1,
        });
        RunState::from_events(&ev)
    }

    const H: Millis = 3_600_000;

    #[test]
    fn production_opens_only_for_the_rehearsed_fingerprint() {
        let runs = vec![("r1".to_string(), run("aaa", Outcome::Passed, Some(10 * H)))];
        assert_eq!(
            check_gate(&runs, Some("aaa"), false, 24, 11 * H).map(|r| r.runs),
            Ok(vec!["r1".to_string()])
        );
        let e = check_gate(&runs, Some("bbb"), false, 24, 11 * H).unwrap_err();
        assert!(
            e.contains("production is locked") && e.contains("aaa in run r1"),
            "{e}"
        );
    }

    #[test]
    fn a_failed_verify_does_not_count() {
        let runs = vec![("r1".to_string(), run("aaa", Outcome::Failed, Some(10 * H)))];
        let e = check_gate(&runs, Some("aaa"), false, 24, 11 * H).unwrap_err();
        assert!(
            e.contains("the last verify stage of this recipe failed"),
            "{e}"
        );
    }

    #[test]
    fn an_old_backup_is_refused_unless_the_run_takes_one() {
        let runs = vec![("r1".to_string(), run("aaa", Outcome::Passed, Some(0)))];
        let e = check_gate(&runs, Some("aaa"), false, 24, 30 * H).unwrap_err();
        assert!(e.contains("30.0 h old"), "{e}");
        assert!(check_gate(&runs, Some("aaa"), true, 24, 30 * H).is_ok());
    }

    #[test]
    fn refusals_in_french() {
        use crate::model::lang::{Lang, scoped};
        let runs = vec![("r1".to_string(), run("aaa", Outcome::Passed, Some(0)))];
        let e = scoped(Lang::Fr, || {
            check_gate(&runs, Some("aaa"), false, 24, 30 * H).unwrap_err()
        });
        assert!(
            e.starts_with("la production demande une sauvegarde récente")
                && e.contains("date de 30,0 h"),
            "{e}"
        );
        let e = scoped(Lang::Fr, || {
            check_gate(&runs, None, false, 24, H).unwrap_err()
        });
        assert!(e.starts_with("la production est verrouillée"), "{e}");
    }
}
