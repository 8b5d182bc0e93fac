//! `dress run`: stages without the full-screen interface. One line per
//! event (or JSON lines); exit codes a CI system can act on.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use crate::cli::{Global, RunArgs};
use crate::engine::event::{Event, Outcome, RunOutcome, StepRef};
use crate::engine::runner::{Engine, OnFailure, Policy, RunSetup, new_run_id, runs_dir};
use crate::engine::stages::{self, REHEARSAL};
use crate::engine::{gate, journal, lock, rehearsal, report_time};
use crate::model::{EnvKind, EnvSecrets, SecretSource};

/// Exit codes of `dress run`.
pub mod exit {
    pub const OK: i32 = 0;
    pub const STEP_FAILED: i32 = 1;
    pub const BAD_INPUT: i32 = 2;
    pub const WAITING: i32 = 3;
    pub const INTERRUPTED: i32 = 130;
}

/// An error before anything ran: bad input (exit 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn exit_code(o: RunOutcome) -> i32 {
    match o {
        RunOutcome::Passed => exit::OK,
        RunOutcome::Failed | RunOutcome::Aborted => exit::STEP_FAILED,
        RunOutcome::Waiting => exit::WAITING,
        RunOutcome::Interrupted => exit::INTERRUPTED,
    }
}

/// `--stage` values to stage ids, `rehearsal` expanded, unknown ids refused.
pub fn select_stages(
    wanted: &[String],
    available: &[stages::StageInfo],
) -> Result<Vec<String>, BadInput> {
    let mut out: Vec<String> = Vec::new();
    for w in wanted {
        let ids: Vec<&str> = if w == "rehearsal" {
            REHEARSAL.to_vec()
        } else {
            vec![w.as_str()]
        };
        for id in ids {
            if !stages::STAGE_IDS.contains(&id) {
                return Err(BadInput(format!(
                    "--stage {id}: there is no such stage; the stages are {} (or rehearsal)",
                    stages::STAGE_IDS.join(", ")
                )));
            }
            if !available.iter().any(|s| s.id == id) {
                return Err(BadInput(format!(
                    "--stage {id}: this plan has no step in that stage for this environment (see `dress plan show`)"
                )));
            }
            if !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
    }
    if out.is_empty() {
        return Err(BadInput("say which stage to run with --stage ID (e.g. --stage prerequisites, or --stage rehearsal)".into()));
    }
    Ok(out)
}

fn parse_confirms(list: &[String]) -> Result<BTreeMap<String, String>, BadInput> {
    let mut m = BTreeMap::new();
    for c in list {
        match c.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                m.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => {
                return Err(BadInput(format!(
                    "--confirm {c}: write STEP_ID=NOTE, e.g. --confirm users-off=\"announced at 18:00\""
                )));
            }
        }
    }
    Ok(m)
}

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
            "{now}  run {run_id} on {env}: {} steps{}",
            steps.len(),
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
        Event::GateOverridden { reason, by, .. } => format!(
            "{now}  production gate overridden by {}@{}: {reason}",
            by.user, by.host
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

fn printer(json: bool) -> impl FnMut(&Event) + Send + 'static {
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

/// The plan a run started with (the copy in its folder, relative paths
/// resolved against the original plan's folder) and its environment.
pub fn run_plan(
    run_dir: &Path,
    state: &crate::engine::RunState,
) -> Result<(EnvKind, crate::model::Plan), BadInput> {
    let env: EnvKind = state.env.parse().map_err(BadInput)?;
    let plan_file = run_dir.join(journal::PLAN_FILE);
    let text = std::fs::read_to_string(&plan_file)
        .map_err(|e| BadInput(format!("{}: {e}", plan_file.display())))?;
    let plan = crate::model::runplan::parse_for_run(
        &plan_file.to_string_lossy(),
        &text,
        &crate::model::paths::plan_folder(Path::new(&state.plan)),
    )
    .map_err(BadInput)?;
    Ok((env, plan))
}

/// `dress run --detach`: the same run in a background process, apart from
/// this terminal.
fn detach(args: &RunArgs, g: &Global) -> Result<i32, BadInput> {
    if !args.yes {
        return Err(BadInput(
            "--detach needs --yes: nobody is there to answer questions in the background".into(),
        ));
    }
    let state_dir = crate::cli::state_dir(g);
    let run_id = match &args.resume {
        Some(id) => id.clone(),
        None => new_run_id(args.env),
    };
    let mut a: Vec<String> = vec!["run".into()];
    if let Some(p) = &args.plan {
        let abs = crate::model::paths::absolute(p);
        a.push(abs.to_string_lossy().into_owned());
    }
    for s in &args.stage {
        a.extend(["--stage".into(), s.clone()]);
    }
    a.extend([
        "--env".into(),
        args.env.to_string(),
        "--on-failure".into(),
        args.on_failure.clone(),
    ]);
    for c in &args.confirm {
        a.extend(["--confirm".into(), c.clone()]);
    }
    if args.yes {
        a.push("--yes".into());
    }
    if args.json {
        a.push("--json".into());
    }
    if args.break_stale_lock {
        a.push("--break-stale-lock".into());
    }
    if let Some(r) = &args.resume {
        a.extend(["--resume".into(), r.clone()]);
    } else {
        a.extend(["--run-id".into(), run_id.clone()]);
    }
    if let Some(o) = &args.override_gate {
        a.extend(["--override-gate".into(), o.clone()]);
    }
    a.extend([
        "--state-dir".into(),
        state_dir.to_string_lossy().into_owned(),
    ]);
    let out = state_dir.join("engines").join(format!("{run_id}.out"));
    let pid = crate::launch::spawn_detached(&a, &out)
        .map_err(|e| BadInput(format!("the run cannot be started in the background: {e}")))?;
    println!(
        "run {run_id} goes on in the background (pid {pid}); follow it with: dress attach {run_id}"
    );
    println!("its output: {}", out.display());
    Ok(exit::OK)
}

pub async fn run(args: RunArgs, g: &Global) -> Result<i32, BadInput> {
    if args.detach {
        return detach(&args, g);
    }
    let state_dir = crate::cli::state_dir(g);
    let on_failure: OnFailure = args.on_failure.parse().map_err(BadInput)?;
    if on_failure == OnFailure::Ask {
        return Err(BadInput(
            "--on-failure ask needs the full-screen interface; use abort or retry:N".into(),
        ));
    }
    let policy = Policy {
        confirms: parse_confirms(&args.confirm)?,
        on_failure,
        interactive: false,
    };
    let secrets: Arc<dyn SecretSource> = Arc::new(EnvSecrets::default());

    let (mut engine, _lock) = if let Some(id) = &args.resume {
        let run_dir = runs_dir(&state_dir).join(id);
        let loaded = journal::load(&run_dir)
            .map_err(|e| BadInput(format!("cannot resume run {id}: {e}")))?;
        let state = crate::engine::RunState::from_events(&loaded.events);
        if state.run_id.is_empty() {
            return Err(BadInput(format!(
                "cannot resume run {id}: its journal has no start record"
            )));
        }
        if state.finished == Some(RunOutcome::Passed) {
            println!("run {id} already passed: nothing to do");
            return Ok(exit::OK);
        }
        let (env, plan) = run_plan(&run_dir, &state)?;
        let all = stages::build(&plan, env).map_err(BadInput)?;
        let lock = lock::acquire(&plan, env, id, args.break_stale_lock)
            .map_err(|e| BadInput(e.to_string()))?;
        let engine = Engine::resume(&run_dir, Arc::new(plan), all, secrets, policy)
            .map_err(|e| BadInput(e.to_string()))?;
        (engine, lock)
    } else {
        let Some(file) = &args.plan else {
            return Err(BadInput(
                "give the plan file: dress run PLAN.toml --stage ID (or --resume RUN_ID)".into(),
            ));
        };
        let text = crate::model::load::read_plan_text(file).map_err(|d| BadInput(d.to_string()))?;
        let plan = crate::model::runplan::parse_for_run(
            &file.to_string_lossy(),
            &text,
            &crate::model::paths::plan_folder(file),
        )
        .map_err(BadInput)?;
        let all = stages::build_checked(&plan, args.env).map_err(|e| {
            let name = file.display().to_string();
            BadInput(crate::engine::plan_check::located(&name, &text, e).to_string())
        })?;
        let infos = stages::infos(&all);
        let selected = select_stages(&args.stage, &infos)?;
        for s in &selected {
            let senv = stages::stage_env(s, args.env);
            if matches!(s.as_str(), "production" | "control") && args.env != EnvKind::Production {
                return Err(BadInput(format!(
                    "--stage {s} works on the production environment: add --env production"
                )));
            }
            let _ = senv;
        }
        let chosen: Vec<_> = all
            .into_iter()
            .filter(|s| selected.contains(&s.id))
            .collect();
        let changes: Vec<String> = chosen
            .iter()
            .flat_map(|st| {
                st.steps
                    .iter()
                    .filter(|s| s.changes)
                    .map(move |s| format!("{}/{}", st.id, s.id))
            })
            .collect();
        if !changes.is_empty() && !args.yes && !confirm_on_terminal(&changes)? {
            return Err(BadInput("nothing was run".into()));
        }
        // The fingerprint needs the setup package; stages that do not run
        // it can go on without one (the run then proves nothing about it).
        let needs_recipe = selected
            .iter()
            .any(|s| matches!(s.as_str(), "trial-upgrade" | "production" | "install"));
        let fingerprint = match gate::fingerprint(&plan) {
            Ok(f) => f,
            Err(e) if needs_recipe => return Err(BadInput(e)),
            Err(_) => None,
        };
        let mut override_reason = None;
        if selected.iter().any(|s| s == "production") {
            let runs = rehearsal::load_runs(&state_dir);
            let backup_in_run = selected.iter().any(|s| s == "backup");
            match rehearsal::check_gate(
                &runs,
                fingerprint.as_deref(),
                backup_in_run,
                plan.recipe.max_backup_age_h,
                crate::engine::event::now_ms(),
            ) {
                Ok(r) => println!(
                    "production gate open: recipe {} passed the rehearsal of run {r}",
                    fingerprint.as_deref().unwrap_or("-")
                ),
                Err(why) => match &args.override_gate {
                    None => return Err(BadInput(why)),
                    Some(reason) if reason.trim().is_empty() => {
                        return Err(BadInput("--override-gate needs a reason".into()));
                    }
                    Some(reason) => {
                        eprintln!("{why}");
                        if !confirm_override_twice(args.yes)? {
                            return Err(BadInput(
                                "the override was not confirmed: nothing was run".into(),
                            ));
                        }
                        override_reason = Some(reason.clone());
                    }
                },
            }
        }
        let run_id = args.run_id.clone().unwrap_or_else(|| new_run_id(args.env));
        let lock = lock::acquire(&plan, args.env, &run_id, args.break_stale_lock)
            .map_err(|e| BadInput(e.to_string()))?;
        let abs = crate::model::paths::absolute(file);
        let setup = RunSetup {
            plan: Arc::new(plan),
            plan_text: text,
            plan_path: abs.to_string_lossy().into_owned(),
            env: args.env,
            stages: chosen,
            fingerprint,
            secrets,
        };
        let mut engine = Engine::start(&state_dir, &run_id, setup, policy)
            .map_err(|e| BadInput(e.to_string()))?;
        if let Some(reason) = override_reason {
            engine
                .record_override(&reason)
                .map_err(|e| BadInput(e.to_string()))?;
        }
        (engine, lock)
    };

    engine.observe(printer(args.json));
    if args.resume.is_none() {
        engine.replay_to_observers();
    }
    if args.verbose && !args.json {
        let mut rx = engine.subscribe();
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(Event::Log { step, line, .. }) => println!("          {step}: {line}"),
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => println!(
                        "          ({n} output lines not shown here: they are in the step log)"
                    ),
                    Err(_) => break,
                }
            }
        });
    }
    crate::engine::runner::cancel_on_signals(engine.interrupt.clone(), true);
    let (_keep, mut cmds) = tokio::sync::mpsc::unbounded_channel();
    let outcome = engine
        .run_all(&mut cmds)
        .await
        .map_err(|e| BadInput(format!("the journal cannot be written: {e}")))?;
    let run_id = engine.state.run_id.clone();
    if !args.json {
        print_summary(&engine, &run_id);
    }
    Ok(exit_code(outcome))
}

fn print_summary(engine: &Engine, run_id: &str) {
    let s = &engine.state;
    let failed: Vec<&StepRef> = s
        .steps
        .iter()
        .filter(|x| x.status == crate::engine::StepStatus::Failed)
        .map(|x| &x.planned.step)
        .collect();
    println!("logs and journal: {}", engine.run_dir.display());
    if let Some(w) = s.current() {
        println!(
            "step {} waits for an operator: answer with --confirm {}=\"NOTE\" and go on with: dress run --resume {run_id} --confirm ...",
            w.planned.step, w.planned.step
        );
    }
    for f in failed {
        println!(
            "failed: {f} (log: {})",
            crate::engine::link::step_log_path(&engine.run_dir, &f.stage, &f.step).display()
        );
    }
    if let Some(t) = s.started_at {
        println!("started {}", report_time(t));
    }
}

/// The gate override asks twice on a terminal; without one, --yes stands
/// for both answers (and the journal says so through the override record).
fn confirm_override_twice(yes: bool) -> Result<bool, BadInput> {
    if !std::io::stdin().is_terminal() {
        if yes {
            return Ok(true);
        }
        return Err(BadInput(
            "--override-gate without a terminal needs --yes as well".into(),
        ));
    }
    for q in [
        "Override the production gate and upgrade production without a passed rehearsal? [y/N] ",
        "Production is changed without a rehearsal of this recipe. Type OVERRIDE to go on: ",
    ] {
        eprint!("{q}");
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        let ok = matches!(answer.trim(), "y" | "Y" | "yes" | "o" | "oui" | "OVERRIDE");
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn confirm_on_terminal(changes: &[String]) -> Result<bool, BadInput> {
    if !std::io::stdin().is_terminal() {
        return Err(BadInput(format!(
            "these steps change something: {}. Add --yes to run them without a terminal to ask on",
            changes.join(", ")
        )));
    }
    print!(
        "These steps change something:\n  {}\nGo on? [y/N] ",
        changes.join("\n  ")
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "oui" | "o"))
}
