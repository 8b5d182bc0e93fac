//! A run killed with SIGKILL at many instants can always be reopened: the
//! journal loads, finished steps never run again, and the run completes.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use dress::engine::event::{Event, Outcome};
use dress::engine::journal;

const STEPS: usize = 60;

fn write_plan(dir: &Path) {
    let script = dir.join("step.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho \"start $1\" >> \"$2\"\nsleep 0.04\necho \"end $1\" >> \"$2\"\necho \"step $1 done\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut plan = String::from(
        r#"
[deployment]
company = "Kill Test"
installation = "CRMKILL"

[environments.test]
install_dir = "test/CRM"
backup_dir = "backups"

[environments.production]
install_dir = "prod/CRM"
backup_dir = "backups"

[recipe.setup]
package = "step.sh"
args = ["setup", "ran.log"]
"#,
    );
    let mut prev = "trial-upgrade/setup".to_string();
    for i in 0..STEPS {
        let id = format!("s{i:02}");
        plan.push_str(&format!(
            "\n[[recipe.steps]]\nid = \"{id}\"\nafter = \"{prev}\"\nkind = \"exec\"\nprogram = \"./step.sh\"\nargs = [\"{id}\", \"ran.log\"]\ncwd = \".\"\n"
        ));
        prev = format!("trial-upgrade/{id}");
    }
    std::fs::write(dir.join("plan.toml"), plan).unwrap();
}

fn dress(dir: &Path, state: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dress"));
    c.current_dir(dir)
        .env("DRESS_STATE_DIR", state)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Checks that must hold after any kill: the journal loads; no step started
/// again after it passed; every start the script saw was journalled first.
fn check_invariants(run_dir: &Path, ran_log: &Path) -> Vec<Event> {
    let loaded = journal::load(run_dir).expect("the journal always loads");
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    let mut started: BTreeMap<String, usize> = BTreeMap::new();
    for e in &loaded.events {
        match e {
            Event::StepStarted { step, .. } => {
                assert!(
                    !passed.contains_key(&step.step),
                    "{} started again after it passed",
                    step
                );
                *started.entry(step.step.clone()).or_default() += 1;
            }
            Event::StepFinished {
                step,
                outcome: Outcome::Passed,
                ..
            } => {
                *passed.entry(step.step.clone()).or_default() += 1;
            }
            _ => {}
        }
    }
    let ran = std::fs::read_to_string(ran_log).unwrap_or_default();
    let mut runs: BTreeMap<String, usize> = BTreeMap::new();
    for l in ran.lines() {
        if let Some(id) = l.strip_prefix("start ") {
            *runs.entry(id.to_string()).or_default() += 1;
        }
    }
    for (id, n) in &runs {
        let j = started.get(id).copied().unwrap_or(0);
        assert!(
            *n <= j,
            "{id} ran {n} times but the journal shows {j} starts"
        );
    }
    loaded.events
}

fn resumed_count(run_dir: &Path) -> usize {
    std::fs::read_to_string(run_dir.join("journal.jsonl"))
        .map(|t| t.matches("\"type\":\"Resumed\"").count())
        .unwrap_or(0)
}

#[test]
fn killed_runs_resume_without_running_finished_steps_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let state = dir.join("state");
    write_plan(dir);
    let ran_log = dir.join("ran.log");

    // Start the run and kill it almost at once, until a run folder exists
    // (a kill before the folder is renamed into place leaves no run).
    let mut kills = 0;
    let run_dir = loop {
        let mut child = dress(
            dir,
            &state,
            &[
                "run",
                "plan.toml",
                "--stage",
                "trial-upgrade",
                "--out-of-order",
                "kill and resume alone",
                "--yes",
                "--break-stale-lock",
            ],
        )
        .spawn()
        .unwrap();
        std::thread::sleep(Duration::from_millis(5 + kills * 7));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        let runs: Vec<_> = std::fs::read_dir(state.join("runs"))
            .map(|rd| {
                rd.map(|e| e.unwrap().path())
                    .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        assert!(runs.len() <= 1, "one run folder at most");
        if let Some(r) = runs.into_iter().next() {
            break r;
        }
        assert!(kills < 50, "the run never started");
    };
    let run_id = run_dir.file_name().unwrap().to_string_lossy().into_owned();
    check_invariants(&run_dir, &ran_log);

    // Resume and kill again, at instants spread over a step's length.
    for i in 0..60u64 {
        // Counted before the start: a fast process may reopen the run before
        // this loop looks.
        let before = resumed_count(&run_dir);
        let mut child = dress(
            dir,
            &state,
            &["run", "--resume", &run_id, "--break-stale-lock"],
        )
        .spawn()
        .unwrap();
        // Wait until this process has reopened the run (whatever the load
        // of the machine), then kill it at an instant that varies over a
        // step's length.
        let t0 = std::time::Instant::now();
        while resumed_count(&run_dir) == before && t0.elapsed() < Duration::from_secs(10) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let delay = (i * 37) % 90;
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        check_invariants(&run_dir, &ran_log);
    }
    assert!(kills >= 50, "at least 50 kill points");

    // Let it finish.
    let out = dress(
        dir,
        &state,
        &["run", "--resume", &run_id, "--break-stale-lock"],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = check_invariants(&run_dir, &ran_log);
    let state = dress::engine::RunState::from_events(&events);
    assert_eq!(state.steps.len(), STEPS + 1);
    for s in &state.steps {
        assert_eq!(
            s.status,
            dress::engine::StepStatus::Passed,
            "{}",
            s.planned.step
        );
    }
    // Most kills must have landed inside the run, many in the middle of a step.
    let trace: String = events
        .iter()
        .filter_map(|e| match e {
            Event::Resumed { .. } => Some("R ".to_string()),
            Event::StepFinished { step, .. } => Some(format!("{} ", step.step)),
            _ => None,
        })
        .collect();
    assert!(
        state.resumes >= 40,
        "resumed {} times: {trace}",
        state.resumes
    );
    let interrupted_steps = events
        .windows(2)
        .filter(|w| {
            matches!(
                (&w[0], &w[1]),
                (
                    // Measured: waiting for the program the last kill left.
                    Event::StepStarted { .. } | Event::Log { .. } | Event::Measured { .. },
                    Event::Resumed { .. }
                )
            )
        })
        .count();
    assert!(
        interrupted_steps >= 10,
        "only {interrupted_steps} kills landed inside a step"
    );
}
