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
                let stages = s.stage_ids();
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
    let text = match format {
        "markdown" | "md" => crate::report::markdown(&s, &dir),
        "json" => serde_json::to_string_pretty(&crate::report::json(&s))
            .map_err(|e| BadInput(e.to_string()))?,
        "junit" => crate::report::junit(&s).map_err(BadInput)?,
        other => {
            return Err(BadInput(format!(
                "--format {other}: use markdown, junit or json"
            )));
        }
    };
    println!("{text}");
    Ok(0)
}
