//! Listing runs and printing their reports.

use std::path::Path;

use crate::engine::runner::runs_dir;
use crate::engine::runs_index::load_all;
use crate::engine::{RunState, journal, report_time};
use crate::error::Error::{self, BadInput};
use crate::report::state_word;

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

pub fn report(state_dir: &Path, run_id: &str, format: &str) -> Result<i32, Error> {
    crate::engine::run_id::check(run_id).map_err(BadInput)?;
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
