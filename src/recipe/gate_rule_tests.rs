//! The rule on folded journals: what counts as a rehearsal and what does not.

use super::*;
use crate::model::run::event::*;

const FP: &str = "aaaa";

/// A test run of `stages` (each one step; verify's is the manual sign-off),
/// started at `t0`, each step taking 1 ms, ending with `end` outcomes.
struct R {
    events: Vec<Event>,
    t: Millis,
}

fn by() -> Actor {
    Actor {
        user: "u".into(),
        host: "h".into(),
    }
}

fn step_of(stage: StageId) -> StepRef {
    let s = if stage == StageId::Verify {
        "sign-off"
    } else {
        "main"
    };
    StepRef::new(stage.as_str(), s)
}

impl R {
    fn new(id: &str, env: &str, fp: &str, stages: &[StageId], t0: Millis) -> R {
        let steps = stages
            .iter()
            .map(|s| PlannedStep {
                step: step_of(*s),
                title: "t".into(),
                required: true,
                changes: false,
                kind: if *s == StageId::Verify {
                    "manual"
                } else {
                    "exec"
                }
                .into(),
            })
            .collect();
        R {
            events: vec![Event::RunStarted {
                run_id: id.into(),
                env: env.into(),
                plan: "p".into(),
                steps,
                fingerprint: Some(fp.into()),
                lang: None,
                by: by(),
                pid: 1,
                at: t0,
            }],
            t: t0,
        }
    }
    fn step(mut self, stage: StageId, outcome: Outcome) -> R {
        self.t += 10;
        let r = step_of(stage);
        self.events.push(Event::StepStarted {
            step: r.clone(),
            attempt: 1,
            at: self.t,
        });
        if stage == StageId::Verify && outcome == Outcome::Passed {
            self.events.push(Event::ManualConfirmed {
                step: r.clone(),
                note: "pages checked".into(),
                by: by(),
            });
        }
        self.events.push(Event::StepFinished {
            step: r,
            outcome,
            duration_ms: 1,
            message: String::new(),
            at: self.t + 1,
        });
        self
    }
    fn end(mut self, o: RunOutcome) -> R {
        self.events.push(Event::RunFinished {
            outcome: o,
            at: self.t + 5,
        });
        self
    }
    fn state(&self) -> (String, RunState) {
        let s = RunState::from_events(&self.events);
        (s.run_id.clone(), s)
    }
}

use StageId::*;
const ALL4: [StageId; 4] = [Backup, TestEnv, TrialUpgrade, Verify];

fn full(id: &str, fp: &str, t0: Millis) -> R {
    let mut r = R::new(id, "test", fp, &ALL4, t0);
    for s in ALL4 {
        r = r.step(s, Outcome::Passed);
    }
    r.end(RunOutcome::Passed)
}

#[test]
fn one_full_run_is_a_rehearsal() {
    let runs = vec![full("r1", FP, 0).state()];
    let r = judge(&runs, FP).unwrap();
    assert_eq!(r.runs, ["r1"]);
    assert_eq!(r.signed_off_in, "r1");
    assert!(r.sign_off.contains("pages checked"), "{}", r.sign_off);
}

#[test]
fn verify_alone_is_not_a_rehearsal() {
    let runs = vec![
        R::new("r1", "test", FP, &[Verify], 0)
            .step(Verify, Outcome::Passed)
            .end(RunOutcome::Passed)
            .state(),
    ];
    let e = judge(&runs, FP).unwrap_err();
    assert!(e.contains("backup stage has not run"), "{e}");
}

#[test]
fn a_failed_trial_upgrade_then_a_verify_is_not_a_rehearsal() {
    let mut runs = vec![full("r1", FP, 0).state()];
    runs.push(
        R::new("r2", "test", FP, &[TrialUpgrade, Verify], 1000)
            .step(TrialUpgrade, Outcome::Failed)
            .step(Verify, Outcome::Passed)
            .end(RunOutcome::Aborted)
            .state(),
    );
    let e = judge(&runs, FP).unwrap_err();
    assert!(
        e.contains("trial-upgrade stage of this recipe failed") && e.contains("r2"),
        "{e}"
    );
}

#[test]
fn a_chain_of_runs_in_order_is_a_rehearsal_and_out_of_order_is_not() {
    let chain = vec![
        R::new("r1", "test", FP, &[Backup, TestEnv], 0)
            .step(Backup, Outcome::Passed)
            .step(TestEnv, Outcome::Passed)
            .end(RunOutcome::Passed)
            .state(),
        R::new("r2", "test", FP, &[TrialUpgrade, Verify], 1000)
            .step(TrialUpgrade, Outcome::Passed)
            .step(Verify, Outcome::Passed)
            .end(RunOutcome::Passed)
            .state(),
    ];
    assert_eq!(judge(&chain, FP).unwrap().runs, ["r1", "r2"]);
    // The verify of an older trial upgrade does not sign off a newer one.
    let mut redone = chain.clone();
    redone.push(
        R::new("r3", "test", FP, &[TrialUpgrade], 2000)
            .step(TrialUpgrade, Outcome::Passed)
            .end(RunOutcome::Passed)
            .state(),
    );
    let e = judge(&redone, FP).unwrap_err();
    assert!(e.contains("verify stage (run r2) passed before"), "{e}");
}

#[test]
fn a_production_run_another_fingerprint_or_a_run_waiting_do_not_count() {
    let mut prod = R::new("p1", "production", FP, &ALL4, 0);
    for s in ALL4 {
        prod = prod.step(s, Outcome::Passed);
    }
    let runs = vec![
        prod.end(RunOutcome::Passed).state(),
        full("r1", "bbbb", 10).state(),
    ];
    let e = judge(&runs, FP).unwrap_err();
    assert!(
        e.contains("no run of this recipe (fingerprint aaaa)"),
        "{e}"
    );
    let m = locked_message(&runs, FP, &e);
    assert!(
        m.contains("bbbb in run r1") && m.contains("--stage rehearsal"),
        "{m}"
    );

    let waiting = R::new("r2", "test", FP, &ALL4, 0)
        .step(Backup, Outcome::Passed)
        .step(TestEnv, Outcome::Passed)
        .step(TrialUpgrade, Outcome::Passed)
        .end(RunOutcome::Waiting);
    let e = judge(&[waiting.state()], FP).unwrap_err();
    assert!(e.contains("verify"), "{e}");
}

#[test]
fn a_required_step_skipped_by_the_operator_is_not_a_pass() {
    let mut r = R::new("r1", "test", FP, &ALL4, 0)
        .step(Backup, Outcome::Passed)
        .step(TestEnv, Outcome::Passed)
        .step(TrialUpgrade, Outcome::Failed);
    r.events.push(Event::Decision {
        step: step_of(TrialUpgrade),
        choice: Choice::Skip,
        by: by(),
        at: r.t + 2,
    });
    let r = r.step(Verify, Outcome::Passed).end(RunOutcome::Passed);
    assert!(judge(&[r.state()], FP).is_err());
}

#[test]
fn the_refusal_lists_at_most_five_other_rehearsals_once_each() {
    let mut runs = Vec::new();
    for i in 0..8u64 {
        runs.push(full(&format!("r{i}"), &format!("f{}", i % 7), i * 100).state());
    }
    runs.push(full("r8", "f0", 900).state());
    let o = other_rehearsals(&runs, FP);
    assert_eq!(o.len(), LISTED);
    assert_eq!(o[0], ("r8".to_string(), "f0".to_string()));
    let mut fps: Vec<&String> = o.iter().map(|(_, f)| f).collect();
    fps.dedup();
    assert_eq!(fps.len(), LISTED);
}

#[test]
fn order_needs_the_predecessors_in_this_rehearsal_or_in_the_run() {
    assert!(
        check_order(
            &[],
            Some(FP),
            &[Backup, TestEnv, TrialUpgrade, Verify],
            &ALL4
        )
        .is_ok()
    );
    let e = check_order(&[], Some(FP), &[TrialUpgrade], &ALL4).unwrap_err();
    assert!(
        e.contains("--stage trial-upgrade") && e.contains("backup") && e.contains("--out-of-order"),
        "{e}"
    );
    let runs = vec![
        R::new("r1", "test", FP, &[Backup, TestEnv], 0)
            .step(Backup, Outcome::Passed)
            .step(TestEnv, Outcome::Passed)
            .end(RunOutcome::Passed)
            .state(),
    ];
    assert!(check_order(&runs, Some(FP), &[TrialUpgrade, Verify], &ALL4).is_ok());
    assert!(check_order(&runs, Some("other"), &[TrialUpgrade], &ALL4).is_err());
    assert!(check_order(&runs, Some(FP), &[Verify], &ALL4).is_err());
    // A plan without production has no backup nor test copy to wait for.
    let test_only = [TrialUpgrade, Verify];
    assert!(check_order(&[], Some(FP), &[TrialUpgrade], &test_only).is_ok());
    let e = check_order(&[], Some(FP), &[Verify], &test_only).unwrap_err();
    assert!(e.contains("trial-upgrade has not passed"), "{e}");
}
