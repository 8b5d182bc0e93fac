//! The full-screen interface as a view of a run: `dress [PLAN]` starts a
//! background engine and attaches to it; `dress attach RUN_ID` reattaches
//! (after an SSH session dropped, or from another console); `dress engine`
//! is that background engine.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{Global, session};
use crate::engine::command::Command;
use crate::engine::runner::{OnFailure, Policy, new_run_id, runs_dir};
use crate::engine::{control, gate, lock, tail};
use crate::error::Error::{self, BadInput};
use crate::model::{EnvKind, EnvSecrets, Plan};
use crate::recipe as stages;

/// How long a background engine waits for a view's next command once
/// nothing runs, before it closes the run.
const ENGINE_IDLE: Duration = Duration::from_secs(30 * 60);

/// `dress engine`: create the run and serve it until a view closes it.
pub async fn serve(
    plan_file: &Path,
    env: EnvKind,
    run_id: &str,
    secrets_stdin: bool,
    g: &Global,
) -> Result<i32, Error> {
    session::check_run_id(run_id)?;
    let state_dir = crate::cli::state_dir(g);
    let loaded = session::load_plan(plan_file)?;
    let all = session::stages(&loaded.plan, env)?;
    let fingerprint = session::fingerprint(&loaded.plan, false)?;
    let plan = Arc::new(loaded.plan.clone());
    let policy = Policy {
        on_failure: OnFailure::Ask,
        interactive: true,
        ..Policy::default()
    };
    let (mut engine, lock) = session::open(session::Opening {
        state_dir: state_dir.clone(),
        run_id: run_id.to_string(),
        env,
        plan: loaded,
        stages: all,
        fingerprint,
        secrets: Arc::new(prompted_from_stdin(secrets_stdin)?),
        policy,
        break_stale_lock: false,
    })?;
    control::prepare(&engine.run_dir)
        .map_err(|e| BadInput(format!("{}: {e}", engine.run_dir.display())))?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(control::pump(
        engine.run_dir.clone(),
        tx,
        Duration::from_millis(100),
    ));
    crate::engine::runner::cancel_on_signals(engine.interrupt.clone(), false);
    let gate = session::gate_for(&state_dir, plan);
    let outcome = engine
        .serve(&mut rx, ENGINE_IDLE, &gate)
        .await
        .map_err(|e| BadInput(e.to_string()))?;
    drop(lock);
    Ok(crate::error::outcome_code(outcome))
}

/// `dress [PLAN]`: start a background engine on the plan and attach to it.
pub fn open(plan: Option<PathBuf>, env: EnvKind, g: &Global) -> Result<i32, Error> {
    let state_dir = crate::cli::state_dir(g);
    let plan = match plan {
        Some(p) => p,
        None => crate::cli::launch::bundled_example(&state_dir).map_err(|e| {
            BadInput(crate::tr_fmt!(
                "the bundled example cannot be written into {}: {e}",
                "l'exemple fourni ne peut pas être écrit dans {} : {e}",
                state_dir.display()
            ))
        })?,
    };
    // Refuse a bad plan here, where the error can be printed.
    let p = session::load_plan(&plan)?.plan;
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
    let payload = ask_prompted(&p, env)?;
    if payload.is_some() {
        args.push("--secrets-stdin".into());
    }
    crate::cli::launch::spawn_detached_with(&args, &out, payload.as_deref()).map_err(|e| {
        BadInput(crate::tr_fmt!(
            "the engine cannot be started: {e}",
            "le moteur ne peut pas être lancé : {e}"
        ))
    })?;
    let run_dir = runs_dir(&state_dir).join(&run_id);
    // Draw at once: the run's events arrive as the engine creates it.
    let rt = tokio::runtime::Runtime::new().map_err(|e| BadInput(e.to_string()))?;
    let _guard = rt.enter();
    let link = tail::follow_new(&run_dir);
    let all = stages::build(&p, env).map_err(BadInput)?;
    let res = view(
        &run_id,
        &run_dir,
        &plan,
        &p,
        env,
        all,
        crate::engine::RunState::default(),
        link,
        g,
    );
    // Whatever the follower tasks are doing, leave promptly.
    drop(_guard);
    rt.shutdown_timeout(Duration::from_millis(500));
    res
}

pub fn attach(run_id: &str, g: &Global) -> Result<i32, Error> {
    let state_dir = crate::cli::state_dir(g);
    let (run_dir, _) = session::load_run(&state_dir, run_id)?;
    let rt = tokio::runtime::Runtime::new().map_err(|e| BadInput(e.to_string()))?;
    let _guard = rt.enter();
    let (link, state) = tail::follow(&run_dir).map_err(|e| BadInput(e.to_string()))?;
    let (env, plan) = crate::cli::run::run_plan(&run_dir, &state)?;
    let mut st = stages::build(&plan, env).map_err(BadInput)?;
    st.retain(|s| state.steps.iter().any(|x| x.planned.step.stage == s.id));
    let original_plan = PathBuf::from(&state.plan);
    let res = view(
        run_id,
        &run_dir,
        &original_plan,
        &plan,
        env,
        st,
        state,
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
    stages: Vec<crate::model::step::Stage>,
    state: crate::engine::RunState,
    link: crate::engine::link::EngineLink,
    g: &Global,
) -> Result<i32, Error> {
    let state_dir = crate::cli::state_dir(g);
    let mut opts = crate::ui::UiOptions::from_cli(g.theme.as_deref(), g.ascii)
        .map_err(|e| BadInput(e.to_string()))?;
    // The gate as the command line judges it, with the files as they are
    // now: the locked notice gives its reason, the production confirmation
    // what production relies on.
    opts.production.installation = plan.deployment.installation.clone();
    let backup_here =
        crate::engine::rehearsal::stage_passed(&state, crate::recipe::StageId::Backup);
    let judged = gate::fingerprint(plan)
        .map_err(|e| e.to_string())
        .and_then(|fp| {
            session::judge_gate(
                &state_dir,
                fp.as_deref(),
                backup_here,
                plan.recipe.max_backup_age_h,
            )
        });
    match judged {
        _ if !state.overrides.is_empty() => {}
        Ok(r) => {
            opts.production.relies =
                crate::cli::relies::describe(&state_dir, plan, &r, backup_here);
        }
        Err(why) => {
            opts.locked
                .insert(crate::recipe::StageId::Production.as_str().into());
            opts.production.locked_why = Some(why);
        }
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
        .map_err(|e| Error::Terminal(e.to_string()))?;
        match exit {
            crate::ui::UiExit::Topology => {
                let edited = crate::ui::topology::run_editor(plan_file, env, &opts)
                    .map_err(|e| BadInput(e.to_string()))?;
                if let crate::ui::topology::EditorExit::TerminalLost { unsaved } = edited {
                    // As when the view loses it: the engine goes on.
                    tracing::warn!(
                        "terminal lost in the worksheet editor (unsaved changes: {unsaved}); run {run_id} goes on in the background"
                    );
                    return Ok(0);
                }
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
                        "{}",
                        crate::tr_fmt!(
                            "dress: the engine of run {run_id} did not get the request to close: {e}",
                            "dress : le moteur de l'exécution {run_id} n'a pas reçu la demande de fermeture : {e}"
                        )
                    );
                }
                return Ok(leave(run_id, run_dir));
            }
            crate::ui::UiExit::Detach => {
                println!(
                    "{}",
                    crate::tr_fmt!(
                        "run {run_id} goes on in the background; open it again with: dress attach {run_id}",
                        "l'exécution {run_id} continue en arrière-plan ; rouvrez-la avec : dress attach {run_id}"
                    )
                );
                return Ok(crate::error::exit::OK);
            }
            crate::ui::UiExit::TerminalLost => {
                tracing::warn!("terminal lost; run {run_id} goes on in the background");
                return Ok(0);
            }
        }
    }
}

/// After the view asked the engine to close the run: wait for the run's end
/// (a cancelled step takes a moment to stop), say where it is and return its
/// exit code, the same table as `dress run`.
fn leave(run_id: &str, run_dir: &Path) -> i32 {
    let t0 = std::time::Instant::now();
    loop {
        if !run_dir.is_dir() {
            // Nothing was run: the engine removed the empty run.
            println!(
                "{}",
                crate::tr_fmt!(
                    "nothing was run: no run was recorded",
                    "rien n'a été lancé : aucune exécution n'a été enregistrée"
                )
            );
            return crate::error::exit::OK;
        }
        if let Ok(l) = crate::engine::journal::load(run_dir) {
            let st = crate::engine::RunState::from_events(&l.events);
            if let Some(o) = st.finished {
                println!(
                    "{}",
                    crate::tr_fmt!(
                        "run {run_id} {}: journal and logs in {}",
                        "exécution {run_id} {} : registre et journaux dans {}",
                        crate::report::outcome_word(o),
                        run_dir.display()
                    )
                );
                return crate::error::outcome_code(o);
            }
        }
        if t0.elapsed() > Duration::from_secs(60) {
            println!(
                "{}",
                crate::tr_fmt!(
                    "run {run_id} has not ended yet: its engine goes on; see dress attach {run_id}",
                    "l'exécution {run_id} n'est pas encore finie : son moteur continue ; voir dress attach {run_id}"
                )
            );
            return crate::error::exit::OK;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The answers of the prompted secrets, given by the view on standard input
/// (never on the command line, never in a file).
fn prompted_from_stdin(read: bool) -> Result<EnvSecrets, Error> {
    let mut out = EnvSecrets::default();
    if !read {
        return Ok(out);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
        Error::BadInput(crate::tr_fmt!(
            "the prompted secrets cannot be read: {e}",
            "les secrets demandés ne peuvent pas être lus : {e}"
        ))
    })?;
    let map: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|e| {
            Error::BadInput(crate::tr_fmt!(
                "the prompted secrets are garbled: {e}",
                "les secrets demandés sont illisibles : {e}"
            ))
        })?;
    text.clear();
    for (k, v) in map {
        out.prompted.insert(k, secrecy::SecretString::from(v));
    }
    Ok(out)
}

/// Ask the prompted secrets the stages of `env` may need, before the screen
/// opens; the answers go to the engine through a pipe.
fn ask_prompted(plan: &Plan, env: EnvKind) -> Result<Option<Vec<u8>>, Error> {
    let all = session::stages(plan, env)?;
    let asked = session::ask_prompted_secrets(plan, &all, &mut crate::cli::prompt::ask_hidden)?;
    let answers: std::collections::BTreeMap<&String, &str> = asked
        .prompted
        .iter()
        .map(|(k, v)| (k, secrecy::ExposeSecret::expose_secret(v)))
        .collect();
    if answers.is_empty() {
        return Ok(None);
    }
    serde_json::to_vec(&answers)
        .map(Some)
        .map_err(|e| Error::BadInput(e.to_string()))
}
