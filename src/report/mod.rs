//! Run reports: Markdown for people, JUnit XML for CI systems, JSON for
//! tools. All are built from the same fold of the journal.

pub mod printer;

use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as X};

use crate::engine::event::RunOutcome;
use crate::engine::state::{RunState, StepStatus};
use crate::model::lang::tr;
use crate::recipe::StageId;
use crate::tr_fmt;

/// The steps whose measured durations estimate the production maintenance
/// window: what production runs again (the backup, then the same setup and
/// its checks as the trial upgrade). Manual steps are operator time and are
/// listed apart.
pub struct WindowEstimate {
    pub automatic_ms: u64,
    pub steps: Vec<(String, u64)>,
    pub manual_steps: Vec<String>,
}

pub fn maintenance_window(s: &RunState) -> Option<WindowEstimate> {
    let mut est = WindowEstimate {
        automatic_ms: 0,
        steps: Vec::new(),
        manual_steps: Vec::new(),
    };
    for x in s.chosen_steps().filter(|x| {
        [StageId::Backup, StageId::TrialUpgrade]
            .iter()
            .any(|s| x.planned.step.stage == *s)
    }) {
        if x.planned.kind == "manual" {
            est.manual_steps.push(x.planned.step.to_string());
            continue;
        }
        if let (StepStatus::Passed, Some(d)) = (x.status, x.duration_ms) {
            est.automatic_ms += d;
            est.steps.push((x.planned.step.to_string(), d));
        }
    }
    (!est.steps.is_empty()).then_some(est)
}

fn secs(ms: u64) -> String {
    decimal(format!("{:.1} s", ms as f64 / 1000.0))
}

pub use crate::model::lang::decimal;

pub fn markdown(s: &RunState, run_dir: &std::path::Path) -> String {
    let mut o = String::new();
    let state = state_word(s);
    o.push_str(&tr_fmt!("# Run {}\n\n", "# Exécution {}\n\n", s.run_id));
    o.push_str(&tr_fmt!(
        "- environment: {}\n- state: {state}\n",
        "- environnement : {}\n- état : {state}\n",
        s.env
    ));
    o.push_str(&tr_fmt!("- plan: {}\n", "- plan : {}\n", s.plan));
    o.push_str(&tr_fmt!(
        "- recipe fingerprint: {}\n",
        "- empreinte de la recette : {}\n",
        s.fingerprint.as_deref().unwrap_or("-")
    ));
    if let Some(t) = s.started_at {
        o.push_str(&tr_fmt!(
            "- started: {}\n",
            "- commencée : {}\n",
            crate::engine::report_time(t)
        ));
    }
    if let (Some(a), Some(b)) = (s.started_at, s.finished_at) {
        o.push_str(&tr_fmt!(
            "- elapsed: {}\n",
            "- durée : {}\n",
            secs(b.saturating_sub(a))
        ));
    }
    if let Some(owner) = &s.owner {
        o.push_str(&tr_fmt!(
            "- by: {}@{}\n",
            "- par : {}@{}\n",
            owner.user,
            owner.host
        ));
    }
    o.push_str(&tr_fmt!(
        "- logs: {}\n",
        "- journaux : {}\n",
        run_dir.join("logs").display()
    ));
    for (reason, by) in &s.overrides {
        o.push_str(&tr_fmt!(
            "- **production gate overridden** by {}@{}: {reason}\n",
            "- **verrou de production levé** par {}@{} : {reason}\n",
            by.user,
            by.host
        ));
    }
    for (what, by) in &s.out_of_order {
        o.push_str(&tr_fmt!(
            "- **out of the checklist's order** by {}@{}: {what}\n",
            "- **hors de l'ordre de la liste** par {}@{} : {what}\n",
            by.user,
            by.host
        ));
    }
    o.push_str(tr(
        "\n| step | status | attempts | duration | result |\n|---|---|---|---|---|\n",
        "\n| étape | état | essais | durée | résultat |\n|---|---|---|---|---|\n",
    ));
    for x in s.chosen_steps() {
        let d = x.duration_ms.map(secs).unwrap_or_default();
        o.push_str(&format!(
            "| {} | {} | {} | {d} | {} |\n",
            x.planned.step,
            status_word(x.status),
            x.attempts,
            x.message.replace('|', "\\|")
        ));
    }
    let notes: Vec<_> = s
        .chosen_steps()
        .filter(|x| !x.notes.is_empty() || !x.measured.is_empty() || !x.decisions.is_empty())
        .collect();
    if !notes.is_empty() {
        o.push_str(tr(
            "\n## Measurements, notes and decisions\n\n",
            "\n## Mesures, notes et décisions\n\n",
        ));
        for x in notes {
            for m in &x.measured {
                o.push_str(&tr_fmt!(
                    "- {}: measured {m}\n",
                    "- {} : mesuré {m}\n",
                    x.planned.step
                ));
            }
            for n in &x.notes {
                o.push_str(&tr_fmt!(
                    "- {}: operator note: {n}\n",
                    "- {} : note de l'opérateur : {n}\n",
                    x.planned.step
                ));
            }
            for (c, by) in &x.decisions {
                o.push_str(&tr_fmt!(
                    "- {}: {} chosen by {}@{}\n",
                    "- {} : {} choisi par {}@{}\n",
                    x.planned.step,
                    choice_word(c),
                    by.user,
                    by.host
                ));
            }
        }
    }
    if let Some(w) = maintenance_window(s) {
        o.push_str(tr(
            "\n## Production maintenance window (estimate)\n\n",
            "\n## Fenêtre de maintenance de la production (estimation)\n\n",
        ));
        o.push_str(&tr_fmt!(
            "About **{}** of automatic work, plus the operator's time for the manual steps, plus a margin for the \
             size of production. Computed as the sum of the measured durations of the steps production runs again: \
             the backup stage and the trial-upgrade steps.\n\n",
            "Environ **{}** de travail automatique, plus le temps de l'opérateur pour les étapes manuelles, plus une marge \
             pour la taille de la production. Calculé comme la somme des durées mesurées des étapes que la production refait : \
             la phase de sauvegarde et les étapes du test de mise à jour.\n\n",
            secs(w.automatic_ms)
        ));
        for (step, d) in &w.steps {
            o.push_str(&tr_fmt!("- {step}: {}\n", "- {step} : {}\n", secs(*d)));
        }
        for m in &w.manual_steps {
            o.push_str(&tr_fmt!(
                "- {m}: operator time (manual)\n",
                "- {m} : temps de l'opérateur (manuelle)\n"
            ));
        }
    }
    o
}

pub fn json(s: &RunState) -> serde_json::Value {
    let steps: Vec<_> = s
        .chosen_steps()
        .map(|x| {
            serde_json::json!({
                "step": x.planned.step.to_string(), "title": x.planned.title, "status": x.status.as_str(),
                "attempts": x.attempts, "duration_ms": x.duration_ms, "message": x.message,
                "measured": x.measured, "notes": x.notes,
            })
        })
        .collect();
    let overrides: Vec<_> = s
        .overrides
        .iter()
        .map(|(r, by)| serde_json::json!({ "reason": r, "by": format!("{}@{}", by.user, by.host) }))
        .collect();
    let window = maintenance_window(s).map(|w| w.automatic_ms);
    serde_json::json!({
        "run": s.run_id, "env": s.env, "state": state_key(s), "fingerprint": s.fingerprint,
        "overrides": overrides, "maintenance_window_ms": window, "steps": steps,
    })
}

/// JUnit XML: one test suite per stage, one test case per step.
pub fn junit(s: &RunState) -> Result<String, String> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let err = |e: std::io::Error| e.to_string();
    w.write_event(X::Decl(quick_xml::events::BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        None,
    )))
    .map_err(err)?;
    let failures = s
        .chosen_steps()
        .filter(|x| {
            matches!(
                x.status,
                StepStatus::Failed | StepStatus::Cancelled | StepStatus::Interrupted
            )
        })
        .count();
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", format!("dress run {}", s.run_id).as_str()));
    root.push_attribute(("tests", s.chosen_steps().count().to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    w.write_event(X::Start(root)).map_err(err)?;
    let stages = s.stage_ids();
    for stage in stages {
        let steps: Vec<_> = s.stage_steps(stage).collect();
        let mut suite = BytesStart::new("testsuite");
        let total: u64 = steps.iter().filter_map(|x| x.duration_ms).sum();
        suite.push_attribute(("name", stage));
        suite.push_attribute(("tests", steps.len().to_string().as_str()));
        suite.push_attribute((
            "failures",
            steps
                .iter()
                .filter(|x| x.status == StepStatus::Failed)
                .count()
                .to_string()
                .as_str(),
        ));
        suite.push_attribute((
            "skipped",
            steps
                .iter()
                .filter(|x| matches!(x.status, StepStatus::Skipped | StepStatus::Pending))
                .count()
                .to_string()
                .as_str(),
        ));
        suite.push_attribute(("time", format!("{:.3}", total as f64 / 1000.0).as_str()));
        w.write_event(X::Start(suite)).map_err(err)?;
        for x in steps {
            let mut tc = BytesStart::new("testcase");
            tc.push_attribute(("classname", format!("{}.{}", s.env, stage).as_str()));
            tc.push_attribute(("name", x.planned.step.step.as_str()));
            tc.push_attribute((
                "time",
                format!("{:.3}", x.duration_ms.unwrap_or(0) as f64 / 1000.0).as_str(),
            ));
            w.write_event(X::Start(tc)).map_err(err)?;
            let child = match x.status {
                StepStatus::Failed | StepStatus::Cancelled | StepStatus::Interrupted => {
                    Some("failure")
                }
                StepStatus::Skipped | StepStatus::Pending | StepStatus::WaitingOperator => {
                    Some("skipped")
                }
                _ => None,
            };
            if let Some(tag) = child {
                let mut e = BytesStart::new(tag);
                e.push_attribute((
                    "message",
                    format!("{}: {}", status_word(x.status), x.message).as_str(),
                ));
                w.write_event(X::Empty(e)).map_err(err)?;
            }
            if !x.measured.is_empty() || !x.notes.is_empty() {
                w.write_event(X::Start(BytesStart::new("system-out")))
                    .map_err(err)?;
                let text = x
                    .measured
                    .iter()
                    .chain(x.notes.iter())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n");
                w.write_event(X::Text(BytesText::new(&text))).map_err(err)?;
                w.write_event(X::End(BytesEnd::new("system-out")))
                    .map_err(err)?;
            }
            w.write_event(X::End(BytesEnd::new("testcase")))
                .map_err(err)?;
        }
        w.write_event(X::End(BytesEnd::new("testsuite")))
            .map_err(err)?;
    }
    w.write_event(X::End(BytesEnd::new("testsuites")))
        .map_err(err)?;
    String::from_utf8(w.into_inner().into_inner()).map_err(|e| e.to_string())
}

/// A run's state as a key, the same in every language (`dress runs
/// --json`, `dress report --format json`).
pub fn state_key(s: &RunState) -> &'static str {
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

/// The one word for a run's state, in every listing and report, in the
/// language in use.
pub fn state_word(s: &RunState) -> &'static str {
    match s.finished {
        Some(RunOutcome::Passed) => tr("passed", "réussie"),
        Some(RunOutcome::Failed) => tr("failed", "échouée"),
        Some(RunOutcome::Aborted) => tr("aborted", "abandonnée"),
        Some(RunOutcome::Waiting) => tr("waiting", "attend l'opérateur"),
        Some(RunOutcome::Interrupted) => tr("interrupted", "interrompue"),
        None if s.owner.as_ref().is_some() => tr("running or stopped", "en cours ou arrêtée"),
        None => tr("unknown", "inconnu"),
    }
}

/// The word for how a run ended.
pub fn outcome_word(o: RunOutcome) -> &'static str {
    match o {
        RunOutcome::Passed => tr("passed", "réussie"),
        RunOutcome::Failed => tr("failed", "échouée"),
        RunOutcome::Aborted => tr("aborted", "abandonnée"),
        RunOutcome::Waiting => tr("waits for an operator", "attend l'opérateur"),
        RunOutcome::Interrupted => tr("interrupted", "interrompue"),
    }
}

/// How a run ended, in the headless printer's last line.
pub fn run_end_word(o: RunOutcome) -> &'static str {
    match o {
        RunOutcome::Waiting => tr(
            "stopped: waiting for an operator",
            "arrêtée : attend l'opérateur",
        ),
        other => outcome_word(other),
    }
}

/// A step's status for a person, in the language in use (the JSON report
/// keeps `StepStatus::as_str`).
pub fn status_word(s: StepStatus) -> &'static str {
    match s {
        StepStatus::Pending => tr("pending", "à faire"),
        StepStatus::Running => tr("running", "en cours"),
        StepStatus::Passed => tr("passed", "réussie"),
        StepStatus::Failed => tr("failed", "échouée"),
        StepStatus::Skipped => tr("skipped", "passée"),
        StepStatus::Cancelled => tr("cancelled", "annulée"),
        StepStatus::WaitingOperator => tr("waiting", "attend l'opérateur"),
        StepStatus::Interrupted => tr("interrupted", "interrompue"),
    }
}

/// An operator's choice after a failure, for a person.
pub fn choice_word(c: &crate::engine::event::Choice) -> &'static str {
    use crate::engine::event::Choice;
    match c {
        Choice::Retry => tr("Retry", "Réessayer"),
        Choice::Skip => tr("Skip", "Passer"),
        Choice::Abort => tr("Abort", "Abandonner"),
    }
}
