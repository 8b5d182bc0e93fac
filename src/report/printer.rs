//! The headless printer: one line per event for people, or JSON lines.

use std::io::Write;

use crate::engine::event::{Event, Outcome, RunOutcome, StepRef};

fn secs(ms: u64) -> String {
    if ms < 10_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} s", ms / 1000)
    }
}

fn hms(ms: u64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// One line per event for people.
pub fn text_line(e: &Event) -> Option<String> {
    let pad = |r: &StepRef| format!("{:<40}", r.to_string());
    let now = hms(crate::engine::event::now_ms());
    Some(match e {
        Event::RunStarted {
            run_id,
            env,
            steps,
            fingerprint,
            ..
        } => format!(
            "{now}  run {run_id} on {env}: {}{}",
            super::counted(steps.len(), "step", "steps"),
            fingerprint
                .as_ref()
                .map(|f| format!(", recipe {f}"))
                .unwrap_or_default()
        ),
        Event::Resumed { .. } => format!("{now}  run resumed"),
        Event::StepStarted { step, attempt, .. } => {
            let again = if *attempt > 1 {
                format!(" (attempt {attempt})")
            } else {
                String::new()
            };
            format!("{now}  {} started{again}", pad(step))
        }
        Event::Measured { step, what } => format!("{now}  {} measured: {what}", pad(step)),
        Event::ManualWait { step, prompt } => {
            format!("{now}  {} waiting for an operator: {prompt}", pad(step))
        }
        Event::ManualConfirmed { step, note, by } => format!(
            "{now}  {} confirmed by {}@{}: {note}",
            pad(step),
            by.user,
            by.host
        ),
        Event::StepFinished {
            step,
            outcome,
            duration_ms,
            message,
            ..
        } => {
            let o = match outcome {
                Outcome::Passed => "passed",
                Outcome::Failed => "FAILED",
                Outcome::Skipped => "skipped",
                Outcome::Cancelled => "cancelled",
            };
            format!(
                "{now}  {} {o:<9} {:>8}  {message}",
                pad(step),
                secs(*duration_ms)
            )
        }
        Event::Decision {
            step, choice, by, ..
        } => format!(
            "{now}  {} decision: {choice:?} by {}@{}",
            pad(step),
            by.user,
            by.host
        ),
        Event::StagesChosen { stages, .. } => format!("{now}  stage {} asked", stages.join(", ")),
        Event::GateOverridden { reason, by, .. } => format!(
            "{now}  production gate overridden by {}@{}: {reason}",
            by.user, by.host
        ),
        Event::OrderOverridden {
            stages, reason, by, ..
        } => format!(
            "{now}  out of order: {} run by {}@{}: {reason}",
            stages.join(", "),
            by.user,
            by.host
        ),
        Event::RunFinished { outcome, .. } => format!(
            "{now}  run {}",
            match outcome {
                RunOutcome::Passed => "passed",
                RunOutcome::Failed => "failed",
                RunOutcome::Waiting => "stopped: waiting for an operator",
                RunOutcome::Aborted => "aborted",
                RunOutcome::Interrupted => "interrupted",
            }
        ),
        Event::Log { .. } | Event::Progress { .. } => return None,
    })
}

pub fn printer(json: bool) -> impl FnMut(&Event) + Send + 'static {
    move |e: &Event| {
        let mut out = std::io::stdout().lock();
        if json {
            if e.is_journalled() {
                let rec = serde_json::json!({ "t": crate::engine::event::now_ms(), "event": e });
                let _ = writeln!(out, "{rec}");
            }
        } else if let Some(l) = text_line(e) {
            let _ = writeln!(out, "{l}");
        }
    }
}
