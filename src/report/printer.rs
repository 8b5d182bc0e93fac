//! The headless printer: one line per event for people, or JSON lines.

use std::io::Write;

use crate::engine::event::{Event, Outcome, StepRef};
use crate::model::lang::{counted, tr};
use crate::tr_fmt;

fn secs(ms: u64) -> String {
    if ms < 10_000 {
        super::decimal(format!("{:.1} s", ms as f64 / 1000.0))
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
        } => tr_fmt!(
            "{now}  run {run_id} on {env}: {}{}",
            "{now}  exécution {run_id} sur {env} : {}{}",
            counted(steps.len() as u64, ("step", "steps"), ("étape", "étapes")),
            fingerprint
                .as_ref()
                .map(|f| tr_fmt!(", recipe {f}", ", recette {f}"))
                .unwrap_or_default()
        ),
        Event::Resumed { .. } => tr_fmt!("{now}  run resumed", "{now}  exécution reprise"),
        Event::StepStarted { step, attempt, .. } => {
            let again = if *attempt > 1 {
                tr_fmt!(" (attempt {attempt})", " (essai {attempt})")
            } else {
                String::new()
            };
            tr_fmt!(
                "{now}  {} started{again}",
                "{now}  {} commencée{again}",
                pad(step)
            )
        }
        Event::Measured { step, what } => tr_fmt!(
            "{now}  {} measured: {what}",
            "{now}  {} mesuré : {what}",
            pad(step)
        ),
        Event::ManualWait { step, prompt } => tr_fmt!(
            "{now}  {} waiting for an operator: {prompt}",
            "{now}  {} attend l'opérateur : {prompt}",
            pad(step)
        ),
        Event::ManualConfirmed { step, note, by } => tr_fmt!(
            "{now}  {} confirmed by {}@{}: {note}",
            "{now}  {} confirmée par {}@{} : {note}",
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
                Outcome::Passed => tr("passed", "réussie"),
                Outcome::Failed => tr("FAILED", "ÉCHOUÉE"),
                Outcome::Skipped => tr("skipped", "passée"),
                Outcome::Cancelled => tr("cancelled", "annulée"),
            };
            format!(
                "{now}  {} {o:<9} {:>8}  {message}",
                pad(step),
                secs(*duration_ms)
            )
        }
        Event::Decision {
            step, choice, by, ..
        } => tr_fmt!(
            "{now}  {} decision: {} by {}@{}",
            "{now}  {} décision : {} par {}@{}",
            pad(step),
            super::choice_word(choice),
            by.user,
            by.host
        ),
        Event::StagesChosen { stages, .. } => tr_fmt!(
            "{now}  stage {} asked",
            "{now}  phase {} demandée",
            stages.join(", ")
        ),
        Event::GateOverridden { reason, by, .. } => tr_fmt!(
            "{now}  production gate overridden by {}@{}: {reason}",
            "{now}  verrou de production levé par {}@{} : {reason}",
            by.user,
            by.host
        ),
        Event::OrderOverridden {
            stages, reason, by, ..
        } => tr_fmt!(
            "{now}  out of order: {} run by {}@{}: {reason}",
            "{now}  hors de l'ordre : {} lancée par {}@{} : {reason}",
            stages.join(", "),
            by.user,
            by.host
        ),
        Event::RunFinished { outcome, .. } => tr_fmt!(
            "{now}  run {}",
            "{now}  exécution {}",
            super::run_end_word(*outcome)
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
