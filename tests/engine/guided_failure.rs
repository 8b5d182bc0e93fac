//! Guided failure: a transient failure retried, a required step that cannot
//! be skipped, an abort that leaves a consistent journal.
#![cfg(unix)]

use std::path::Path;
use std::sync::Arc;

use dress::engine::command::Command;
use dress::engine::event::{Actor, Choice, Event, RunOutcome, StepRef};
use dress::engine::runner::{Engine, OnFailure, Policy, RunSetup};
use dress::engine::{StepStatus, journal};
use dress::model::{EnvKind, EnvSecrets};
use dress::recipe as stages;

/// A plan whose trial upgrade runs `flaky.sh`: it fails until it has run
/// `fail_times` times.
fn plan(dir: &Path, fail_times: u32) -> String {
    let script = dir.join("flaky.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nc=\"$(dirname \"$0\")/count\"\nn=$(cat \"$c\" 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > \"$c\"\n\
             if [ $n -le {fail_times} ]; then echo \"transient failure $n\" >&2; exit 1; fi\necho ok\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let text = r#"
[deployment]
company = "Guided SA"
installation = "CRMGUIDED"

[environments.test]
install_dir = "test"
backup_dir = "backups"

[recipe.setup]
package = "flaky.sh"
"#;
    std::fs::write(dir.join("plan.toml"), text).unwrap();
    text.to_string()
}

fn dress(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dress"))
        .current_dir(dir)
        .env("DRESS_STATE_DIR", dir.join("state"))
        .args(args)
        .output()
        .unwrap()
}

fn only_run(dir: &Path) -> std::path::PathBuf {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("state/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(v.len(), 1);
    v.remove(0)
}

#[test]
fn a_transient_failure_is_retried_and_journalled() {
    let tmp = tempfile::tempdir().unwrap();
    plan(tmp.path(), 1);
    let o = dress(
        tmp.path(),
        &[
            "run",
            "plan.toml",
            "--stage",
            "trial-upgrade",
            "--yes",
            "--on-failure",
            "retry:2",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let events = journal::load(&only_run(tmp.path())).unwrap().events;
    let decisions: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Decision { choice, by, .. } => Some((*choice, by.user.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(decisions.len(), 1, "{decisions:?}");
    assert_eq!(decisions[0].0, Choice::Retry);
    assert!(
        decisions[0].1.contains("retry"),
        "who decided is recorded: {decisions:?}"
    );
    let st = dress::engine::RunState::from_events(&events);
    let setup = st.step(&StepRef::new("trial-upgrade", "setup")).unwrap();
    assert_eq!((setup.status, setup.attempts), (StepStatus::Passed, 2));
}

#[test]
fn retries_run_out_and_the_run_fails() {
    let tmp = tempfile::tempdir().unwrap();
    plan(tmp.path(), 5);
    let o = dress(
        tmp.path(),
        &[
            "run",
            "plan.toml",
            "--stage",
            "trial-upgrade",
            "--yes",
            "--on-failure",
            "retry:2",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let st =
        dress::engine::RunState::from_events(&journal::load(&only_run(tmp.path())).unwrap().events);
    assert_eq!(
        st.step(&StepRef::new("trial-upgrade", "setup"))
            .unwrap()
            .attempts,
        3
    );
    assert_eq!(st.finished, Some(RunOutcome::Failed));
}

#[tokio::test]
async fn a_required_step_cannot_be_skipped_and_abort_leaves_a_consistent_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let text = plan(tmp.path(), 99);
    let p = dress::model::runplan::parse_for_run("plan.toml", &text, tmp.path()).unwrap();
    let all = stages::build(&p, EnvKind::Test).unwrap();
    let chosen: Vec<_> = all
        .into_iter()
        .filter(|s| s.id == "trial-upgrade")
        .collect();
    assert!(chosen[0].steps[0].required);
    let setup = RunSetup {
        plan: Arc::new(p),
        plan_text: text,
        plan_path: "plan.toml".into(),
        env: EnvKind::Test,
        stages: chosen,
        fingerprint: None,
        secrets: Arc::new(EnvSecrets::default()),
    };
    let policy = Policy {
        on_failure: OnFailure::Ask,
        interactive: true,
        ..Policy::default()
    };
    let state_dir = tmp.path().join("state");
    let mut engine = Engine::start(&state_dir, "guided-1", setup, policy).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let step = StepRef::new("trial-upgrade", "setup");
    let by = Actor {
        user: "alice".into(),
        host: "ops1".into(),
    };
    // The operator first tries to skip (refused: required), then aborts.
    tx.send(Command::Decide {
        step: step.clone(),
        choice: Choice::Skip,
        by: by.clone(),
    })
    .unwrap();
    tx.send(Command::Decide {
        step: step.clone(),
        choice: Choice::Abort,
        by: by.clone(),
    })
    .unwrap();
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(20), engine.run_all(&mut rx))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, RunOutcome::Failed);

    let loaded = journal::load(&state_dir.join("runs/guided-1")).unwrap();
    assert!(!loaded.torn_tail);
    let decisions: Vec<_> = loaded
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Decision { choice, by, .. } => Some((*choice, by.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        decisions,
        vec![(Choice::Abort, by)],
        "the skip of a required step is never recorded as taken"
    );
    let st = dress::engine::RunState::from_events(&loaded.events);
    assert_eq!(st.step(&step).unwrap().status, StepStatus::Failed);
    assert_eq!(st.finished, Some(RunOutcome::Failed));
    assert!(matches!(
        loaded.events.last(),
        Some(Event::RunFinished { .. })
    ));
}
