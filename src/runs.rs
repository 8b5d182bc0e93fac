//! Listing runs and printing their reports.

use std::path::Path;

use crate::engine::event::RunOutcome;
use crate::engine::runner::runs_dir;
use crate::engine::{RunState, journal, report_time};
use crate::headless::BadInput;

/// The runs of the state folder, newest last.
pub fn load_all(state_dir: &Path) -> Vec<(String, Result<RunState, String>)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(runs_dir(state_dir)) else {
        return out;
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // `.NAME.creating` folders are runs killed while being created.
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for n in names {
        let st = journal::load(&runs_dir(state_dir).join(&n))
            .map(|l| RunState::from_events(&l.events))
            .map_err(|e| e.to_string());
        out.push((n, st));
    }
    out
}

pub fn state_word(s: &RunState) -> &'static str {
    match s.finished {
        Some(RunOutcome::Passed) => "passed",
        Some(RunOutcome::Failed) => "failed",
        Some(RunOutcome::Aborted) => "aborted",
        Some(RunOutcome::Waiting) => "waiting",
        Some(RunOutcome::Interrupted) => "interrupted",
        None if s.owner.as_ref().is_some() => "running or stopped",
        None => "unknown",
    }
}

pub fn list(state_dir: &Path) -> i32 {
    let runs = load_all(state_dir);
    if runs.is_empty() {
        println!("no runs in {}", runs_dir(state_dir).display());
        return 0;
    }
    println!(
        "{:<32} {:<20} {:<12} {:<20} {:<20} owner",
        "run", "state", "env", "stages", "started"
    );
    for (id, st) in runs {
        match st {
            Ok(s) => {
                let mut stages: Vec<&str> = s
                    .steps
                    .iter()
                    .map(|x| x.planned.step.stage.as_str())
                    .collect();
                stages.dedup();
                let owner = s
                    .owner
                    .as_ref()
                    .map(|o| format!("{}@{}", o.user, o.host))
                    .unwrap_or_default();
                println!(
                    "{id:<32} {:<20} {:<12} {:<20} {:<20} {owner}",
                    state_word(&s),
                    s.env,
                    stages.join(","),
                    s.started_at.map(report_time).unwrap_or_default()
                );
            }
            Err(e) => println!("{id:<32} unreadable: {e}"),
        }
    }
    0
}

pub fn report(state_dir: &Path, run_id: &str, format: &str) -> Result<i32, BadInput> {
    let dir = runs_dir(state_dir).join(run_id);
    let l = journal::load(&dir).map_err(|e| BadInput(format!("run {run_id}: {e}")))?;
    let s = RunState::from_events(&l.events);
    match format {
        "json" => {
            let steps: Vec<_> = s.steps.iter().map(|x| serde_json::json!({
                "step": x.planned.step.to_string(), "title": x.planned.title, "status": x.status.as_str(),
                "duration_ms": x.duration_ms, "message": x.message, "measured": x.measured, "notes": x.notes,
            })).collect();
            let v = serde_json::json!({ "run": s.run_id, "env": s.env, "state": state_word(&s), "fingerprint": s.fingerprint, "steps": steps });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        "markdown" => {
            println!(
                "# Run {}\n\n- environment: {}\n- state: {}\n- recipe fingerprint: {}\n",
                s.run_id,
                s.env,
                state_word(&s),
                s.fingerprint.as_deref().unwrap_or("-")
            );
            println!("| step | status | duration | result |\n|---|---|---|---|");
            for x in &s.steps {
                let d = x
                    .duration_ms
                    .map(|d| format!("{:.1} s", d as f64 / 1000.0))
                    .unwrap_or_default();
                println!(
                    "| {} | {} | {} | {} |",
                    x.planned.step,
                    x.status.as_str(),
                    d,
                    x.message.replace('|', "\\|")
                );
            }
        }
        other => return Err(BadInput(format!("--format {other}: use markdown or json"))),
    }
    Ok(0)
}
