//! The full-screen interface as a view of a run: `dress [PLAN]` starts a
//! background engine and attaches to it; `dress attach RUN_ID` reattaches
//! (after an SSH session dropped, or from another console); `dress engine`
//! is that background engine.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::cli::Global;
use crate::engine::command::Command;
use crate::engine::runner::{Engine, OnFailure, Policy, RunSetup, new_run_id, runs_dir};
use crate::engine::{control, gate, journal, lock, rehearsal, stages, tail};
use crate::headless::BadInput;
use crate::model::{EnvKind, EnvSecrets, Plan};

/// How long a background engine waits for a view's next command once
/// nothing runs, before it closes the run.
const ENGINE_IDLE: Duration = Duration::from_secs(30 * 60);

fn load_plan(file: &Path) -> Result<(Plan, String), BadInput> {
    let text =
        std::fs::read_to_string(file).map_err(|e| BadInput(format!("{}: {e}", file.display())))?;
    let plan = crate::model::runplan::parse_for_run(
        &file.to_string_lossy(),
        &text,
        &crate::model::paths::plan_folder(file),
    )
    .map_err(BadInput)?;
    Ok((plan, text))
}

/// Whether production may run, for a run in progress: the same recipe
/// passed a rehearsal, and a fresh backup exists (or passed in this run).
fn gate_for(
    state_dir: &Path,
    fingerprint: Option<String>,
    max_age_h: u64,
) -> impl Fn(&crate::engine::RunState) -> Result<(), String> + Send + Sync {
    let runs = rehearsal::load_runs(state_dir);
    move |st| {
        let backup_here = rehearsal::stage_passed(st, "backup");
        rehearsal::check_gate(
            &runs,
            fingerprint.as_deref(),
            backup_here,
            max_age_h,
            crate::engine::event::now_ms(),
        )
        .map(|_| ())
    }
}

/// `dress engine`: create the run and serve it until a view closes it.
pub async fn serve(
    plan_file: &Path,
    env: EnvKind,
    run_id: &str,
    g: &Global,
) -> Result<i32, BadInput> {
    let state_dir = crate::cli::state_dir(g);
    let (plan, text) = load_plan(plan_file)?;
    let all = stages::build(&plan, env).map_err(BadInput)?;
    let fingerprint = gate::fingerprint(&plan).ok().flatten();
    let lock = lock::acquire(&plan, env, run_id, false).map_err(|e| BadInput(e.to_string()))?;
    let abs = crate::model::paths::absolute(plan_file);
    let max_age = plan.recipe.max_backup_age_h;
    let setup = RunSetup {
        plan: Arc::new(plan),
        plan_text: text,
        plan_path: abs.to_string_lossy().into_owned(),
        env,
        stages: all,
        fingerprint: fingerprint.clone(),
        secrets: Arc::new(EnvSecrets::default()),
    };
    let policy = Policy {
        on_failure: OnFailure::Ask,
        interactive: true,
        ..Policy::default()
    };
    let mut engine =
        Engine::start(&state_dir, run_id, setup, policy).map_err(|e| BadInput(e.to_string()))?;
    control::prepare(&engine.run_dir)
        .map_err(|e| BadInput(format!("{}: {e}", engine.run_dir.display())))?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(control::pump(
        engine.run_dir.clone(),
        tx,
        Duration::from_millis(100),
    ));
    crate::engine::runner::cancel_on_signals(engine.interrupt.clone(), false);
    let gate = gate_for(&state_dir, fingerprint, max_age);
    let outcome = engine
        .serve(&mut rx, ENGINE_IDLE, &gate)
        .await
        .map_err(|e| BadInput(e.to_string()))?;
    drop(lock);
    Ok(crate::headless::exit_code(outcome))
}

/// `dress [PLAN]`: start a background engine on the plan and attach to it.
pub fn open(plan: Option<PathBuf>, env: EnvKind, g: &Global) -> Result<i32, BadInput> {
    let state_dir = crate::cli::state_dir(g);
    let plan = match plan {
        Some(p) => p,
        None => crate::launch::bundled_example(&state_dir).map_err(|e| {
            BadInput(format!(
                "the bundled example cannot be written into {}: {e}",
                state_dir.display()
            ))
        })?,
    };
    // Refuse a bad plan here, where the error can be printed.
    let (p, _) = load_plan(&plan)?;
    // The engine takes the environment's lock; say now if it cannot.
    lock::check_free(&p, env).map_err(|e| BadInput(e.to_string()))?;
    let run_id = new_run_id(env);
    let mut args = vec![
        "engine".to_string(),
        plan.to_string_lossy().into_owned(),
        "--env".into(),
        env.to_string(),
        "--run-id".into(),
        run_id.clone(),
    ];
    args.extend([
        "--state-dir".into(),
        state_dir.to_string_lossy().into_owned(),
    ]);
    let out = state_dir.join("engines").join(format!("{run_id}.out"));
    crate::launch::spawn_detached(&args, &out)
        .map_err(|e| BadInput(format!("the engine cannot be started: {e}")))?;
    let run_dir = runs_dir(&state_dir).join(&run_id);
    // Draw at once: the run's events arrive as the engine creates it.
    let rt = tokio::runtime::Runtime::new().map_err(|e| BadInput(e.to_string()))?;
    let _guard = rt.enter();
    let link = tail::follow_new(&run_dir);
    let all = stages::build(&p, env).map_err(BadInput)?;
    let fingerprint = gate::fingerprint(&p).ok().flatten();
    let res = view(
        &run_id,
        &run_dir,
        &plan,
        &p,
        env,
        all,
        crate::engine::RunState::default(),
        fingerprint,
        link,
        g,
    );
    // Whatever the follower tasks are doing, leave promptly.
    drop(_guard);
    rt.shutdown_timeout(Duration::from_millis(500));
    res
}

pub fn attach(run_id: &str, g: &Global) -> Result<i32, BadInput> {
    let state_dir = crate::cli::state_dir(g);
    let run_dir = runs_dir(&state_dir).join(run_id);
    if !run_dir.join(journal::JOURNAL_FILE).is_file() {
        return Err(BadInput(format!(
            "there is no run {run_id} in {} (see dress attach)",
            runs_dir(&state_dir).display()
        )));
    }
    let rt = tokio::runtime::Runtime::new().map_err(|e| BadInput(e.to_string()))?;
    let _guard = rt.enter();
    let (link, state) = tail::follow(&run_dir).map_err(|e| BadInput(e.to_string()))?;
    let (env, plan) = crate::headless::run_plan(&run_dir, &state)?;
    let mut st = stages::build(&plan, env).map_err(BadInput)?;
    st.retain(|s| state.steps.iter().any(|x| x.planned.step.stage == s.id));
    let fingerprint = state.fingerprint.clone();
    let original_plan = PathBuf::from(&state.plan);
    let res = view(
        run_id,
        &run_dir,
        &original_plan,
        &plan,
        env,
        st,
        state,
        fingerprint,
        link,
        g,
    );
    // Whatever the follower tasks are doing, leave promptly.
    drop(_guard);
    rt.shutdown_timeout(Duration::from_millis(500));
    res
}

/// The full-screen interface on a run, until the operator leaves or the
/// terminal goes away. `plan_file` is the plan the worksheet editor (`t`)
/// edits: changes apply to the next run, this one keeps its copy.
#[allow(clippy::too_many_arguments)]
fn view(
    run_id: &str,
    run_dir: &Path,
    plan_file: &Path,
    plan: &Plan,
    env: EnvKind,
    stages: Vec<crate::engine::Stage>,
    state: crate::engine::RunState,
    fingerprint: Option<String>,
    link: crate::engine::link::EngineLink,
    g: &Global,
) -> Result<i32, BadInput> {
    let state_dir = crate::cli::state_dir(g);
    let mut opts = crate::ui::UiOptions::from_cli(g.theme.as_deref(), g.ascii)
        .map_err(|e| BadInput(e.to_string()))?;
    let gate = gate_for(&state_dir, fingerprint, plan.recipe.max_backup_age_h);
    if gate(&state).is_err() {
        opts.locked.insert("production".into());
    }
    let title = format!(
        "{} — {} ({})",
        plan.deployment.company, plan.deployment.installation, plan.deployment.product
    );
    let (mut state, mut link) = (state, link);
    loop {
        let exit = crate::ui::run_tui(
            title.clone(),
            env.to_string(),
            stages.clone(),
            state,
            link,
            opts.clone(),
        )
        .map_err(|e| BadInput(e.to_string()))?;
        match exit {
            crate::ui::UiExit::Topology => {
                crate::ui::topology::run_editor(plan_file, env, &opts)
                    .map_err(|e| BadInput(e.to_string()))?;
                (link, state) = match tail::follow(run_dir) {
                    Ok(x) => x,
                    Err(_) => (
                        tail::follow_new(run_dir),
                        crate::engine::RunState::default(),
                    ),
                };
            }
            crate::ui::UiExit::Quit | crate::ui::UiExit::QuitCancelled => {
                // Leaving: the engine closes the run once nothing runs (if it
                // is still creating the run, once it can take the command).
                let t0 = std::time::Instant::now();
                while !control::control_dir(run_dir).is_dir()
                    && t0.elapsed() < Duration::from_secs(10)
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                if let Err(e) = control::send(run_dir, &Command::Close) {
                    eprintln!(
                        "dress: the engine of run {run_id} did not get the request to close: {e}"
                    );
                }
                println!("run {run_id}: journal and logs in {}", run_dir.display());
                return Ok(0);
            }
            crate::ui::UiExit::TerminalLost => {
                tracing::warn!("terminal lost; run {run_id} goes on in the background");
                return Ok(0);
            }
        }
    }
}
