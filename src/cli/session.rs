//! Opening a run, written once for `dress run` and for the interface's
//! background engine: plan → stages → fingerprint → gate → lock → engine.
//! Resuming goes through here too, so the lock and the gate are judged by
//! the same code whichever command asks.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::engine::lock::{self, EnvLock};
use crate::engine::runner::{Engine, Policy, RunSetup, runs_dir};
use crate::engine::{RunState, event, gate, journal, rehearsal};
use crate::error::Error;
use crate::model::step::Stage;
use crate::model::{EnvKind, Plan, SecretSource};
use crate::recipe::StageId;

/// A plan read for a run: the validated plan, its text (kept in the run
/// folder) and the absolute path it was read from.
pub struct LoadedPlan {
    pub plan: Plan,
    pub text: String,
    pub path: PathBuf,
}

/// The one plan loader of the commands: read, validate, resolve relative
/// paths against the plan's folder.
pub fn load_plan(file: &Path) -> Result<LoadedPlan, Error> {
    if let Err(e) = std::fs::metadata(file) {
        return Err(Error::BadInput(unreadable(file, &e)));
    }
    // Bad bytes are located like any other error of the plan.
    let text =
        crate::model::load::read_plan_text(file).map_err(|d| Error::BadInput(d.to_string()))?;
    crate::model::lang::adopt(crate::model::load::language_hint(&text));
    let plan = crate::model::runplan::parse_for_run(
        &file.to_string_lossy(),
        &text,
        &crate::model::paths::plan_folder(file),
    )
    .map_err(Error::BadInput)?;
    nothing_to_run(file, &plan).map_err(Error::BadInput)?;
    Ok(LoadedPlan {
        plan,
        text,
        path: crate::model::paths::absolute(file),
    })
}

/// A plan that describes no environment has nothing to run: say what to add
/// rather than open an empty interface.
pub fn nothing_to_run(file: &Path, plan: &Plan) -> Result<(), String> {
    if plan.environments.test.is_none() && plan.environments.production.is_none() {
        return Err(crate::tr_fmt!(
            "{}:1:1: environments: the plan describes no environment, so it has nothing to run — add [environments.test] (and [environments.production]) with install_dir and backup_dir",
            "{}:1:1: environments : le plan ne décrit aucun environnement, il n'a donc rien à lancer — ajoutez [environments.test] (et [environments.production]) avec install_dir et backup_dir",
            file.display()
        ));
    }
    Ok(())
}

/// Why a plan file cannot be read, where it was looked for and what to do.
pub fn unreadable(file: &Path, e: &std::io::Error) -> String {
    let shown = file.display();
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    match e.kind() {
        std::io::ErrorKind::NotFound => crate::tr_fmt!(
            "{shown}: no such plan file (looked in {cwd}) — give the path of a plan file, or write one with `dress new {shown}`",
            "{shown} : ce fichier de plan n'existe pas (cherché dans {cwd}) — donnez le chemin d'un fichier de plan, ou écrivez-en un avec `dress new {shown}`"
        ),
        std::io::ErrorKind::PermissionDenied => {
            crate::tr_fmt!(
                "{shown}: the plan cannot be read (permission denied) — run as a user who may read it",
                "{shown} : le plan ne peut pas être lu (permission refusée) — lancez en tant qu'utilisateur qui peut le lire"
            )
        }
        std::io::ErrorKind::IsADirectory => {
            crate::tr_fmt!(
                "{shown}: this is a folder — give the plan file inside it",
                "{shown} : c'est un dossier — donnez le fichier du plan qu'il contient"
            )
        }
        std::io::ErrorKind::InvalidData => crate::tr_fmt!(
            "{shown}: the plan is not UTF-8 text — save it as UTF-8 (as dress new writes it)",
            "{shown} : le plan n'est pas du texte UTF-8 — enregistrez-le en UTF-8 (comme l'écrit dress new)"
        ),
        _ => crate::tr_fmt!(
            "{shown}: the plan cannot be read ({e})",
            "{shown} : le plan ne peut pas être lu ({e})"
        ),
    }
}

/// The stages of a plan for a run on `env`.
pub fn stages(plan: &Plan, env: EnvKind) -> Result<Vec<Stage>, Error> {
    crate::recipe::build(plan, env).map_err(Error::BadInput)
}

/// The stages of a loaded plan, a problem located in its file
/// (`FILE:LINE:COL: field: what`).
pub fn stages_located(loaded: &LoadedPlan, env: EnvKind) -> Result<Vec<Stage>, Error> {
    let name = loaded.path.display().to_string();
    let located = |e| crate::engine::plan_check::located(&name, &loaded.text, e).to_string();
    let stages =
        crate::recipe::build_checked(&loaded.plan, env).map_err(|e| Error::BadInput(located(e)))?;
    // A reworded prompt that names no manual step would leave the built-in
    // text in place without a word.
    let issues: Vec<String> = crate::recipe::prompts::issues(&loaded.plan)
        .into_iter()
        .map(located)
        .collect();
    if !issues.is_empty() {
        return Err(Error::BadInput(issues.join("\n")));
    }
    Ok(stages)
}

/// The recipe fingerprint. When the chosen stages run the setup, a plan
/// whose package cannot be read is refused; otherwise the run goes on
/// without one (it then proves nothing about the recipe).
pub fn fingerprint(plan: &Plan, runs_the_setup: bool) -> Result<Option<String>, Error> {
    match gate::fingerprint(plan) {
        Ok(f) => Ok(f),
        Err(e) if runs_the_setup => Err(Error::BadInput(e)),
        Err(_) => Ok(None),
    }
}

/// The production gate, judged the same way for every command: the same
/// recipe passed a rehearsal, and a fresh backup exists (or is taken in
/// this run). Ok names the rehearsal run.
pub fn judge_gate(
    state_dir: &Path,
    fingerprint: Option<&str>,
    backup_in_run: bool,
    max_backup_age_h: u64,
) -> Result<crate::recipe::gate_rule::Rehearsal, String> {
    let runs = rehearsal::load_runs(state_dir);
    rehearsal::check_gate(
        &runs,
        fingerprint,
        backup_in_run,
        max_backup_age_h,
        event::now_ms(),
    )
}

/// The gate as the interface judges it before each production stage it is
/// asked to run: the fingerprint is computed again from the plan each time,
/// so a file replaced after the engine started is seen (the engine judges
/// it once more before each production step that changes something).
pub fn gate_for(
    state_dir: &Path,
    plan: Arc<Plan>,
) -> impl Fn(&RunState) -> Result<(), String> + Send + Sync + use<> {
    let state_dir = state_dir.to_path_buf();
    move |st| {
        if !st.overrides.is_empty() {
            return Ok(());
        }
        let fingerprint = gate::fingerprint(&plan).map_err(|e| {
            crate::tr_fmt!("production is locked: the recipe fingerprint cannot be computed: {e}", "la production est verrouillée : l'empreinte de la recette ne peut pas être calculée : {e}")
        })?;
        let backup_here = rehearsal::stage_passed(st, StageId::Backup);
        let max_age_h = plan.recipe.max_backup_age_h;
        judge_gate(&state_dir, fingerprint.as_deref(), backup_here, max_age_h).map(|_| ())
    }
}

/// A stage the plan's `recipe.mode` does not list is refused with the
/// reason: an upgrade plan has no install stage, an install plan no
/// upgrade checklist.
pub fn check_mode(plan: &Plan, wanted: &[String]) -> Result<(), Error> {
    let mode = plan.recipe.mode;
    for w in wanted {
        if let Some(id) = StageId::parse(w).filter(|id| !id.in_mode(mode)) {
            let kind = serde_json::to_value(mode)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            return Err(Error::BadInput(crate::tr_fmt!(
                "--stage {id}: a plan with recipe.mode = \"{kind}\" has no {id} stage (an upgrade plan has no install stage, an install plan no upgrade checklist); see `dress plan show`",
                "--stage {id} : un plan avec recipe.mode = \"{kind}\" n'a pas de phase {id} (un plan de mise à jour n'a pas de phase d'installation, un plan d'installation pas de liste de mise à jour) ; voir `dress plan show`"
            )));
        }
    }
    Ok(())
}

/// The checklist's order for the stages chosen for a run: `Err` says which
/// stage lacks which predecessor in this rehearsal, and how to go on.
pub fn check_order(
    state_dir: &Path,
    fingerprint: Option<&str>,
    chosen: &[String],
    present: &[crate::recipe::StageInfo],
) -> Result<(), String> {
    let ids: Vec<StageId> = chosen.iter().filter_map(|s| StageId::parse(s)).collect();
    let present: Vec<StageId> = present
        .iter()
        .filter_map(|s| StageId::parse(&s.id))
        .collect();
    let runs = rehearsal::load_runs(state_dir);
    crate::recipe::gate_rule::check_order(&runs, fingerprint, &ids, &present)
}

/// Before the first step: every SQL connection the chosen stages use can be
/// resolved (secrets included), and a production login in clear text is
/// allowed only when the operator said so. Warnings go to stderr.
pub fn preflight(
    plan: &Plan,
    stages: &[Stage],
    secrets: &dyn SecretSource,
    allow_unencrypted_sql: bool,
) -> Result<(), Error> {
    let warnings =
        crate::engine::sql::preflight::before_run(plan, stages, secrets, allow_unencrypted_sql)
            .map_err(Error::BadInput)?;
    for w in warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// Resolve every secret the chosen stages need before the first step runs:
/// each `{ env = "NAME" }` is read, each `{ prompt = true }` is asked with
/// `ask` (no echo). Everything missing is listed at once, with the fix.
pub fn resolve_secrets(
    plan: &Plan,
    stages: &[Stage],
    ask: &mut dyn FnMut(&str) -> Option<secrecy::SecretString>,
) -> Result<crate::model::EnvSecrets, Error> {
    resolve(plan, stages, ask, false)
}

/// Only the `{ prompt = true }` secrets of `stages`, asked the same way:
/// the interface asks them before its screen opens (its engine checks the
/// `{ env = ... }` ones when the operator chooses a stage).
pub fn ask_prompted_secrets(
    plan: &Plan,
    stages: &[Stage],
    ask: &mut dyn FnMut(&str) -> Option<secrecy::SecretString>,
) -> Result<crate::model::EnvSecrets, Error> {
    resolve(plan, stages, ask, true)
}

fn resolve(
    plan: &Plan,
    stages: &[Stage],
    ask: &mut dyn FnMut(&str) -> Option<secrecy::SecretString>,
    prompts_only: bool,
) -> Result<crate::model::EnvSecrets, Error> {
    use crate::model::SecretRef;
    let mut out = crate::model::EnvSecrets::default();
    let mut missing = Vec::new();
    for n in crate::recipe::secrets::needed(plan, stages) {
        if prompts_only && !matches!(n.source, SecretRef::Prompt { .. }) {
            continue;
        }
        let (field, what) = (&n.field, &n.what);
        let used = crate::tr_fmt!("needed by {}", "demandé par {}", n.steps.join(", "));
        match n.source {
            SecretRef::Env { env } => {
                if std::env::var(env).map_or(true, |v| v.is_empty()) {
                    missing.push(crate::tr_fmt!(
                        "{field} ({what}, {used}): the environment variable {env} is not set — set it before the run", "{field} ({what}, {used}) : la variable d'environnement {env} n'est pas définie — définissez-la avant l'exécution"
                    ));
                }
            }
            SecretRef::Prompt { .. } => match ask(&format!("{what} ({field})")) {
                Some(v) if !secrecy::ExposeSecret::expose_secret(&v).is_empty() => {
                    out.prompted.insert(field.clone(), v);
                }
                Some(_) => missing.push(crate::tr_fmt!("{field} ({what}, {used}): the answer was empty", "{field} ({what}, {used}) : la réponse était vide")),
                None => missing.push(crate::tr_fmt!(
                    "{field} ({what}, {used}): it is asked on a terminal and there is none (or it was not answered) — use {{ env = \"NAME\" }} for runs without a terminal", "{field} ({what}, {used}) : il est demandé sur un terminal et il n'y en a pas (ou il n'a pas été répondu) — utilisez {{ env = \"NOM\" }} pour les exécutions sans terminal"
                )),
            },
            SecretRef::Literal(_) => missing.push(crate::tr_fmt!(
                "{field}: a secret cannot be written in the plan — use {{ env = \"NAME\" }} or {{ prompt = true }}", "{field} : un secret ne peut pas être écrit dans le plan — utilisez {{ env = \"NOM\" }} ou {{ prompt = true }}"
            )),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(Error::BadInput(crate::tr_fmt!(
            "{} before anything runs:\n  {}",
            "{} avant que rien ne soit lancé :\n  {}",
            crate::model::lang::counted(
                missing.len() as u64,
                ("secret is missing", "secrets are missing"),
                ("secret manque", "secrets manquent")
            ),
            missing.join("\n  ")
        )))
    }
}

/// What a new run is opened with.
pub struct Opening {
    pub state_dir: PathBuf,
    pub run_id: String,
    pub env: EnvKind,
    pub plan: LoadedPlan,
    pub stages: Vec<Stage>,
    pub fingerprint: Option<String>,
    pub secrets: Arc<dyn SecretSource>,
    pub policy: Policy,
    pub break_stale_lock: bool,
}

/// The locks a run holds: its own environment's, and that of every other
/// environment its stages work on. A rehearsal's backup reads production
/// (its folders and its database): it must not read them while a
/// production run changes them, nor let one start meanwhile.
pub fn lock_envs(
    plan: &Plan,
    run_env: EnvKind,
    stages: &[Stage],
    run_id: &str,
    break_stale_lock: bool,
) -> Result<Vec<EnvLock>, Error> {
    let mut envs = vec![run_env];
    for s in stages {
        if let Some(e) = StageId::parse(&s.id).map(|id| id.env(run_env))
            && !envs.contains(&e)
            && plan.environments.get(e).is_some()
        {
            envs.push(e);
        }
    }
    envs.iter()
        .map(|e| lock::acquire(plan, *e, run_id, break_stale_lock).map_err(lock_error))
        .collect()
}

fn lock_error(e: lock::LockError) -> Error {
    match e {
        lock::LockError::Io { .. } => Error::Journal(e.to_string()),
        _ => Error::Locked(e.to_string()),
    }
}

/// Take the environment's lock and create the run.
pub fn open(o: Opening) -> Result<(Engine, Vec<EnvLock>), Error> {
    // The lock is the environment's (its install folder), seen by every
    // dress on this machine whatever their state folder.
    let lock = lock_envs(
        &o.plan.plan,
        o.env,
        &o.stages,
        &o.run_id,
        o.break_stale_lock,
    )?;
    let setup = RunSetup {
        plan: Arc::new(o.plan.plan),
        plan_text: o.plan.text,
        plan_path: o.plan.path.to_string_lossy().into_owned(),
        env: o.env,
        stages: o.stages,
        fingerprint: o.fingerprint,
        secrets: o.secrets,
    };
    let engine = Engine::start(&o.state_dir, &o.run_id, setup, o.policy)
        .map_err(|e| Error::Journal(e.to_string()))?;
    Ok((engine, lock))
}

/// A run id is a folder name made by dress (letters, digits, `-`), never a
/// path: `../x` or `a/b` would read and write outside the state folder.
pub fn check_run_id(run_id: &str) -> Result<(), Error> {
    crate::engine::run_id::check(run_id).map_err(Error::BadInput)
}

/// A run folder's journal and its state, or an error that says where the
/// run was looked for and how to list the runs.
pub fn load_run(state_dir: &Path, run_id: &str) -> Result<(PathBuf, RunState), Error> {
    check_run_id(run_id)?;
    let run_dir = runs_dir(state_dir).join(run_id);
    if !run_dir.join(journal::JOURNAL_FILE).is_file() {
        return Err(Error::BadInput(crate::tr_fmt!(
            "run {run_id} not found in {}: `dress runs` lists the runs",
            "exécution {run_id} introuvable dans {} : `dress runs` liste les exécutions",
            runs_dir(state_dir).display()
        )));
    }
    let loaded = journal::load(&run_dir).map_err(|e| {
        Error::Journal(crate::tr_fmt!(
            "run {run_id}: {e}",
            "exécution {run_id} : {e}"
        ))
    })?;
    let state = RunState::from_events(&loaded.events);
    if state.run_id.is_empty() {
        return Err(Error::Journal(crate::tr_fmt!(
            "run {run_id}: its journal has no start record",
            "exécution {run_id} : son registre n'a pas d'enregistrement de début"
        )));
    }
    // A run is read and reported in the language it was started in.
    crate::model::lang::adopt(state.lang);
    Ok((run_dir, state))
}

/// Reopen a run that stopped, under the environment's lock.
pub fn resume(
    state_dir: &Path,
    run_id: &str,
    ask: &mut dyn FnMut(&str) -> Option<secrecy::SecretString>,
    policy: Policy,
    break_stale_lock: bool,
    allow_unencrypted_sql: bool,
) -> Result<(Engine, Vec<EnvLock>), Error> {
    let (run_dir, state) = load_run(state_dir, run_id)?;
    let (env, plan) = crate::cli::run::run_plan(&run_dir, &state)?;
    // A plan edited since the run started needs a new run: say what changed.
    let copy = run_dir.join(journal::PLAN_FILE);
    match crate::model::plan_diff::check_resume(Path::new(&state.plan), &copy, run_id) {
        Ok(notes) => notes.iter().for_each(|n| eprintln!("{n}")),
        Err(e) => return Err(Error::BadInput(e)),
    }
    let all = stages(&plan, env)?;
    let left = crate::engine::sql::preflight::stages_left(&all, &state);
    let secrets: Arc<dyn SecretSource> = Arc::new(resolve_secrets(&plan, &left, ask)?);
    preflight(&plan, &left, secrets.as_ref(), allow_unencrypted_sql)?;
    // The gate is judged again on resume, against the plan the run goes on
    // with and the files it names now.
    let plan = Arc::new(plan);
    let gated = left
        .iter()
        .any(|s| StageId::parse(&s.id).is_some_and(StageId::gated));
    if gated {
        gate_for(state_dir, plan.clone())(&state).map_err(Error::BadInput)?;
    }
    let lock = lock_envs(&plan, env, &left, run_id, break_stale_lock)?;
    let engine = Engine::resume(&run_dir, plan, all, secrets, policy)
        .map_err(|e| Error::Journal(e.to_string()))?;
    Ok((engine, lock))
}
