//! Stopping and starting a Windows service (IIS's W3SVC, the CRM's Tomcat,
//! the e-mail manager...) with `sc.exe stop|start NAME`, then polling
//! `sc.exe query NAME` until it reports STOPPED or RUNNING. `sc stop` and
//! `sc start` only send the request: the service may take a while.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ctx::{StepCtx, StepError, StepResult};
use super::exec;
use crate::model::step::ExecSpec;

/// How long a service gets to reach the wanted state by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
const POLL: Duration = Duration::from_secs(2);

/// The state of a service as `sc query` prints it (`STATE : 4  RUNNING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Stopped,
    StartPending,
    StopPending,
    Running,
    ContinuePending,
    PausePending,
    Paused,
}

impl State {
    /// The state of the numeric code and name printed by `sc query`; both
    /// must agree, so that another line that happens to hold a number and a
    /// word is never taken for the state.
    fn from_code_and_name(code: u32, name: &str) -> Option<State> {
        let s = match (code, name) {
            (1, "STOPPED") => State::Stopped,
            (2, "START_PENDING") => State::StartPending,
            (3, "STOP_PENDING") => State::StopPending,
            (4, "RUNNING") => State::Running,
            (5, "CONTINUE_PENDING") => State::ContinuePending,
            (6, "PAUSE_PENDING") => State::PausePending,
            (7, "PAUSED") => State::Paused,
            _ => return None,
        };
        Some(s)
    }

    pub fn name(self) -> &'static str {
        match self {
            State::Stopped => "STOPPED",
            State::StartPending => "START_PENDING",
            State::StopPending => "STOP_PENDING",
            State::Running => "RUNNING",
            State::ContinuePending => "CONTINUE_PENDING",
            State::PausePending => "PAUSE_PENDING",
            State::Paused => "PAUSED",
        }
    }
}

/// The state in the output of `sc query NAME`. The field label is
/// translated on some Windows languages (`STATE`, `ÉTAT`...) but the code
/// and the state name are not, so the line is found by its value:
/// `LABEL : N  NAME`.
pub fn parse_query(text: &str) -> Option<State> {
    text.lines().find_map(|line| {
        let (_, value) = line.split_once(':')?;
        let mut words = value.split_whitespace();
        let code = words.next()?.parse::<u32>().ok()?;
        let name = words.next()?;
        State::from_code_and_name(code, name)
    })
}

/// What `sc.exe` exit codes mean for a stop or a start.
fn sc_error(code: i32, verb: &str, name: &str) -> String {
    match code {
        5 => crate::tr_fmt!(
            "access denied to {verb} the service {name}; run dress as Administrator",
            "accès refusé à `sc.exe {verb}` sur le service {name} ; lancez dress en administrateur"
        ),
        1051 => crate::tr_fmt!(
            "the service {name} cannot be stopped while services that depend on it run; stop them first (`sc.exe enumdepend {name}` lists them)",
            "le service {name} ne peut pas être arrêté tant que des services qui en dépendent tournent ; arrêtez-les d'abord (`sc.exe enumdepend {name}` les liste)"
        ),
        1058 => crate::tr_fmt!(
            "the service {name} is disabled; enable it (`sc.exe config {name} start= demand`) or remove this step",
            "le service {name} est désactivé ; activez-le (`sc.exe config {name} start= demand`) ou supprimez cette étape"
        ),
        1060 => crate::tr_fmt!(
            "there is no service named {name} on this machine; check the name with `sc.exe query state= all`",
            "il n'y a pas de service nommé {name} sur cette machine ; vérifiez le nom avec `sc.exe query state= all`"
        ),
        1061 => crate::tr_fmt!(
            "the service {name} cannot accept the request now; wait and retry",
            "le service {name} ne peut pas accepter la demande maintenant ; attendez et réessayez"
        ),
        _ => crate::tr_fmt!(
            "sc.exe {verb} {name} failed with exit code {code}",
            "sc.exe {verb} {name} a échoué avec le code de sortie {code}"
        ),
    }
}

/// `sc.exe` itself, found on the PATH.
fn sc_program() -> PathBuf {
    PathBuf::from("sc.exe")
}

/// Stop the service `name` and wait (up to [`DEFAULT_TIMEOUT`]) until it
/// is STOPPED. A service already stopped passes.
pub async fn stop(name: &str, ctx: &StepCtx) -> StepResult {
    change(&sc_program(), name, Want::Stopped, DEFAULT_TIMEOUT, ctx).await
}

/// Start the service `name` and wait (up to [`DEFAULT_TIMEOUT`]) until it
/// is RUNNING. A service already running passes.
pub async fn start(name: &str, ctx: &StepCtx) -> StepResult {
    change(&sc_program(), name, Want::Running, DEFAULT_TIMEOUT, ctx).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Stopped,
    Running,
}

impl Want {
    fn verb(self) -> &'static str {
        match self {
            Want::Stopped => "stop",
            Want::Running => "start",
        }
    }
    fn state(self) -> State {
        match self {
            Want::Stopped => State::Stopped,
            Want::Running => State::Running,
        }
    }
    /// The `sc` exit code that says the service is already there.
    fn already(self) -> i32 {
        match self {
            // ERROR_SERVICE_NOT_ACTIVE
            Want::Stopped => 1062,
            // ERROR_SERVICE_ALREADY_RUNNING
            Want::Running => 1056,
        }
    }
}

fn sc_spec(sc: &Path, verb: &str, name: &str) -> ExecSpec {
    ExecSpec {
        program: sc.to_path_buf(),
        args: vec![verb.to_string(), name.to_string()],
        cwd: None,
        env: Default::default(),
        timeout_s: Some(60),
        ok_exit_codes: vec![0],
        pass_secrets: Vec::new(),
        collect_logs: Vec::new(),
    }
}

async fn change(sc: &Path, name: &str, want: Want, timeout: Duration, ctx: &StepCtx) -> StepResult {
    if name.is_empty() || name.contains(['"', '/', '\\']) {
        return Err(StepError(crate::tr_fmt!(
            "{name:?} is not a service name; use the short name `sc.exe query` shows (e.g. W3SVC)",
            "« {name} » n'est pas un nom de service ; utilisez le nom court que `sc.exe query` affiche (par exemple W3SVC)"
        )));
    }
    let verb = want.verb();
    ctx.info(&crate::tr_fmt!(
        "run: {} {verb} {name}",
        "lancement : {} {verb} {name}",
        sc.display()
    ));
    let out = exec::output(&sc_spec(sc, verb, name), ctx, 0).await?;
    match out.code() {
        Some(0) => wait_for(sc, name, want.state(), timeout, ctx).await,
        Some(c) if c == want.already() => {
            ctx.info(&crate::tr_fmt!(
                "the service {name} is already {}",
                "le service {name} est déjà {}",
                want.state().name()
            ));
            wait_for(sc, name, want.state(), timeout, ctx).await
        }
        Some(c) if FATAL.contains(&c) => Err(StepError(sc_error(c, verb, name))),
        Some(c) => {
            // Other sc.exe versions (and Wine's) answer a stop of a stopped
            // service with another code: the state decides.
            ctx.info(&crate::tr_fmt!(
                "sc.exe {verb} {name} exited with code {c}; checking the service's state",
                "sc.exe {verb} {name} s'est terminé avec le code {c} ; vérification de l'état du service"
            ));
            wait_for(sc, name, want.state(), Duration::ZERO, ctx)
                .await
                .map_err(|_| StepError(sc_error(c, verb, name)))
        }
        None => exec::judge(&out.end, &[0]),
    }
}

/// `sc.exe` exit codes after which waiting makes no sense.
const FATAL: [i32; 5] = [5, 1051, 1058, 1060, 1061];

/// Poll `sc query NAME` until the service is in state `want`.
async fn wait_for(
    sc: &Path,
    name: &str,
    want: State,
    timeout: Duration,
    ctx: &StepCtx,
) -> StepResult {
    let started = tokio::time::Instant::now();
    let mut last: Option<State> = None;
    loop {
        let out = exec::output(&sc_spec(sc, "query", name), ctx, 4096).await?;
        match out.code() {
            Some(0) => {}
            Some(c) => return Err(StepError(sc_error(c, "query", name))),
            None => return exec::judge(&out.end, &[0]),
        }
        let state = parse_query(&out.stdout).ok_or_else(|| {
            StepError(crate::tr_fmt!(
                "sc.exe query {name} printed no state line; see the step log",
                "sc.exe query {name} n'a affiché aucune ligne d'état ; voyez le journal de l'étape"
            ))
        })?;
        let waited = started.elapsed();
        if state == want {
            ctx.measured(crate::tr_fmt!(
                "service {name}: {} after {} s (limit {} s)",
                "service {name} : {} après {} s (limite {} s)",
                state.name(),
                waited.as_secs(),
                timeout.as_secs()
            ));
            return Ok(crate::tr_fmt!(
                "service {name} is {}",
                "le service {name} est {}",
                state.name()
            ));
        }
        if last != Some(state) {
            ctx.info(&crate::tr_fmt!(
                "service {name}: {}",
                "service {name} : {}",
                state.name()
            ));
            last = Some(state);
        }
        if waited >= timeout {
            ctx.measured(crate::tr_fmt!(
                "service {name}: still {} after {} s (limit {} s)",
                "service {name} : toujours {} après {} s (limite {} s)",
                state.name(),
                waited.as_secs(),
                timeout.as_secs()
            ));
            return Err(StepError(crate::tr_fmt!(
                "the service {name} is still {} after {} s, not {}; see its state with `sc.exe queryex {name}` and the System event log",
                "le service {name} est toujours {} après {} s, et non {} ; voyez son état avec `sc.exe queryex {name}` et le journal d'événements Système",
                state.name(),
                timeout.as_secs(),
                want.name()
            )));
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = ctx.cancel.cancelled() => return Err(StepError(crate::tr_fmt!("cancelled", "annulé"))),
        }
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
