//! Listing runs and printing their reports.

use std::path::Path;

use crate::engine::runner::runs_dir;
use crate::engine::runs_index::load_all;
use crate::engine::{RunState, report_time};
use crate::error::Error::{self, BadInput};
use crate::model::lang::{self, Lang, tr};
use crate::report::state_word;
use crate::tr_fmt;

/// A run's state as people read it. A run with no end record is running
/// while the process that opened it lives on this machine, and interrupted
/// once it is gone (resume it with `dress run --resume`).
pub fn live_state(s: &RunState) -> String {
    if s.finished.is_some() {
        return state_word(s).to_string();
    }
    let here = s.owner.as_ref().is_some_and(|o| {
        hostname::get().is_ok_and(|h| h.to_string_lossy().eq_ignore_ascii_case(&o.host))
    });
    match s.owner_pid {
        Some(pid) if here && crate::engine::lock::pid_alive(pid) => {
            tr("running", "en cours").into()
        }
        Some(_) if here => tr("interrupted (engine gone)", "interrompue (moteur disparu)").into(),
        Some(_) => tr(
            "running elsewhere or stopped",
            "en cours ailleurs ou arrêtée",
        )
        .into(),
        None => state_word(s).to_string(),
    }
}

fn duration(s: &RunState) -> String {
    let (Some(a), Some(b)) = (s.started_at, s.finished_at) else {
        return String::new();
    };
    let secs = b.saturating_sub(a) / 1000;
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

fn plan_name(s: &RunState) -> String {
    Path::new(&s.plan)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One row of `dress runs`.
fn row(id: &str, s: &RunState) -> [String; 8] {
    [
        id.to_string(),
        live_state(s),
        s.env.clone(),
        plan_name(s),
        s.stage_ids().join(","),
        s.started_at.map(report_time).unwrap_or_default(),
        duration(s),
        s.owner
            .as_ref()
            .map(|o| format!("{}@{}", o.user, o.host))
            .unwrap_or_default(),
    ]
}

pub fn list(state_dir: &Path, json: bool) -> i32 {
    let runs = load_all(state_dir);
    if json {
        let v: Vec<serde_json::Value> = runs
            .iter()
            .map(|(id, st)| match st {
                Ok(s) => {
                    // The JSON listing is for tools: the same words in every
                    // language.
                    let r = lang::scoped(Lang::En, || row(id, s));
                    serde_json::json!({
                        "run": r[0], "state": r[1], "env": r[2], "plan": s.plan,
                        "stages": s.stage_ids(), "started": s.started_at,
                        "finished": s.finished_at, "owner": r[7],
                    })
                }
                Err(e) => serde_json::json!({ "run": id, "state": "unreadable", "error": e }),
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into())
        );
        return 0;
    }
    if runs.is_empty() {
        println!(
            "{}",
            tr_fmt!(
                "no runs in {}",
                "aucune exécution dans {}",
                runs_dir(state_dir).display()
            )
        );
        return 0;
    }
    let head = match lang::current() {
        Lang::En => [
            "run", "state", "env", "plan", "stages", "started", "duration", "owner",
        ],
        Lang::Fr => [
            "exécution",
            "état",
            "env",
            "plan",
            "phases",
            "commencée",
            "durée",
            "par",
        ],
    }
    .map(String::from);
    let mut rows = vec![head];
    for (id, st) in &runs {
        match st {
            Ok(s) => rows.push(row(id, s)),
            Err(e) => {
                let mut r: [String; 8] = Default::default();
                r[0] = id.clone();
                r[1] = tr_fmt!("unreadable: {e}", "illisible : {e}");
                rows.push(r);
            }
        }
    }
    print!("{}", table(&rows));
    0
}

/// Columns aligned by their width on screen (accents and wide characters
/// count as people see them).
pub fn table(rows: &[[String; 8]]) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut w = [0usize; 8];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.width());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                line.push_str(&" ".repeat(w[i] - c.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `dress runs prune --keep N`: remove the oldest runs beyond the newest N,
/// never one in progress, nor one the production gate relies on (the newest
/// passed rehearsal of each fingerprint, and production runs).
pub fn prune(state_dir: &Path, keep: usize) -> Result<i32, Error> {
    use crate::recipe::StageId;
    let runs = load_all(state_dir);
    let mut protected = std::collections::BTreeSet::new();
    let mut seen_fp = std::collections::BTreeSet::new();
    for (id, st) in runs.iter().rev() {
        let Ok(s) = st else {
            protected.insert(id.clone());
            continue;
        };
        if s.finished.is_none() || s.stage_ids().contains(&StageId::Production.as_str()) {
            protected.insert(id.clone());
        }
        if crate::engine::rehearsal::stage_passed(s, StageId::Verify)
            && seen_fp.insert(s.fingerprint.clone())
        {
            protected.insert(id.clone());
        }
    }
    let total = runs.len();
    let mut removed = 0;
    for (i, (id, _)) in runs.iter().enumerate() {
        if i + keep >= total || protected.contains(id) {
            continue;
        }
        let dir = runs_dir(state_dir).join(id);
        std::fs::remove_dir_all(&dir)
            .map_err(|e| Error::Journal(format!("{}: {e}", dir.display())))?;
        println!(
            "{}",
            tr_fmt!("removed run {id}", "exécution {id} supprimée")
        );
        removed += 1;
    }
    let kept = total - removed;
    let guarded = protected.len();
    println!(
        "{}",
        match lang::current() {
            Lang::En => format!(
                "{} removed; {kept} kept ({guarded} that the gate relies on or in progress)",
                lang::counted(removed as u64, ("run", "runs"), ("exécution", "exécutions")),
            ),
            Lang::Fr => format!(
                "exécutions supprimées : {removed} ; gardées : {kept} (dont {guarded} sur lesquelles le verrou de production s'appuie ou en cours)"
            ),
        }
    );
    Ok(crate::error::exit::OK)
}

pub fn report(state_dir: &Path, run_id: &str, format: &str) -> Result<i32, Error> {
    let (dir, s) = crate::cli::session::load_run(state_dir, run_id)?;
    let text = match format {
        "markdown" | "md" => crate::report::markdown(&s, &dir),
        "json" => serde_json::to_string_pretty(&crate::report::json(&s))
            .map_err(|e| BadInput(e.to_string()))?,
        "junit" => crate::report::junit(&s).map_err(BadInput)?,
        other => {
            return Err(BadInput(tr_fmt!(
                "--format {other}: use markdown, junit or json",
                "--format {other} : utilisez markdown, junit ou json"
            )));
        }
    };
    println!("{text}");
    Ok(0)
}
