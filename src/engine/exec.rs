//! The `exec` step: run a program with an argument list (never through a
//! shell), stream its output line by line into the step log, and stop its
//! whole process tree on timeout or cancel. When the step ends, processes
//! the program left running in its tree are stopped too (services started
//! through the service manager are not part of the tree).

mod capture;
mod lines;
pub mod orphan;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

#[cfg(unix)]
use unix as platform;
#[cfg(windows)]
use windows as platform;

use super::ctx::{StepCtx, StepError, StepResult};
use super::event::Stream;
use crate::model::step::ExecSpec;

pub use lines::{MAX_LINE, decode};

/// Time the tree gets to stop after the polite signal, before it is killed.
const GRACE: Duration = Duration::from_secs(2);
/// Time to finish reading output once the program has ended. A background
/// process that inherited the pipes may keep them open; we stop reading then
/// (and that process is stopped with the rest of the tree).
const DRAIN: Duration = Duration::from_secs(2);

/// How a program run ended.
#[derive(Debug)]
pub enum End {
    Exited(ExitStatus),
    TimedOut(Duration),
    Cancelled,
}

/// A finished run, for callers that read the output (e.g. `reg export`,
/// `sc query`): how it ended and the first bytes of each stream.
#[derive(Debug)]
pub struct Output {
    pub end: End,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The exit code, when the program exited by itself with one.
    pub fn code(&self) -> Option<i32> {
        match &self.end {
            End::Exited(s) => s.code(),
            _ => None,
        }
    }
}

/// Run the step: passes when the program exits with an accepted code.
pub async fn run(spec: &ExecSpec, ctx: &StepCtx) -> StepResult {
    ctx.info(&crate::tr_fmt!("run: {}", "lancement : {}", spec.display()));
    let out = execute(spec, ctx, 0).await;
    // Passed, failed, timed out or cancelled: the logs say why.
    super::collect_logs::collect(&spec.collect_logs, ctx);
    ctx.flush_log();
    let out = out?;
    judge(&out.end, &spec.ok_exit_codes)
}

/// Run a program like [`run`] (output still goes to the step log) and also
/// return up to `keep` bytes of each stream. Fails only when the program
/// could not be started; the caller judges the exit.
pub async fn output(spec: &ExecSpec, ctx: &StepCtx, keep: usize) -> Result<Output, StepError> {
    let out = execute(spec, ctx, keep).await;
    ctx.flush_log();
    out
}

/// The one-line outcome of a run against the accepted exit codes.
pub fn judge(end: &End, ok_codes: &[i32]) -> StepResult {
    let accepted = codes_text(ok_codes);
    match end {
        End::Exited(status) => match status.code() {
            Some(c) if ok_codes.contains(&c) => Ok(crate::tr_fmt!(
                "exit code {c} (accepted: {accepted})",
                "code de sortie {c} (accepté : {accepted})"
            )),
            Some(c) => Err(StepError(crate::tr_fmt!(
                "exit code {c}; accepted exit codes: {accepted}",
                "code de sortie {c} ; codes de sortie acceptés : {accepted}"
            ))),
            None => Err(StepError(crate::tr_fmt!(
                "{}; accepted exit codes: {accepted}",
                "{} ; codes de sortie acceptés : {accepted}",
                killed_text(status)
            ))),
        },
        End::TimedOut(d) => Err(StepError(crate::tr_fmt!(
            "timed out after {} s; the program and the processes it started were stopped",
            "délai dépassé après {} s ; le programme et les processus qu'il a lancés ont été arrêtés",
            d.as_secs()
        ))),
        End::Cancelled => Err(StepError(
            crate::model::lang::tr(
                "cancelled; the program and the processes it started were stopped",
                "annulée ; le programme et les processus qu'il a lancés ont été arrêtés",
            )
            .into(),
        )),
    }
}

fn codes_text(codes: &[i32]) -> String {
    if codes.is_empty() {
        return crate::model::lang::tr("none", "aucun").into();
    }
    codes
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(unix)]
fn killed_text(status: &ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(sig) => crate::tr_fmt!("ended by signal {sig}", "arrêté par le signal {sig}"),
        None => no_exit_code(status),
    }
}

fn no_exit_code(status: &ExitStatus) -> String {
    crate::tr_fmt!(
        "ended without an exit code ({status})",
        "terminé sans code de sortie ({status})"
    )
}

#[cfg(not(unix))]
fn killed_text(status: &ExitStatus) -> String {
    no_exit_code(status)
}

async fn execute(spec: &ExecSpec, ctx: &StepCtx, keep: usize) -> Result<Output, StepError> {
    let program = spec.program.display().to_string();
    if ctx.cancel.is_cancelled() {
        return Ok(Output {
            end: End::Cancelled,
            stdout: String::new(),
            stderr: String::new(),
        });
    }
    if let Some(cwd) = &spec.cwd
        && !cwd.is_dir()
    {
        return Err(StepError(crate::tr_fmt!(
            "working folder {} does not exist or is not a folder; check `cwd` of this step",
            "le dossier de travail {} n'existe pas ou n'est pas un dossier ; vérifiez le `cwd` de cette étape",
            cwd.display()
        )));
    }
    check_passed_secrets(&spec.pass_secrets)?;
    // A program the interrupted run left running: waited for, never doubled.
    orphan::settle_previous(ctx).await?;
    let files = capture::Files::of(ctx);
    let (out_file, err_file) = files.create().map_err(|e| {
        StepError(crate::tr_fmt!(
            "cannot create the output files of the program in {}: {}",
            "impossible de créer les fichiers de sortie du programme dans {} : {}",
            files.out.parent().unwrap_or(&files.out).display(),
            crate::model::lang_fmt::io_error(&e)
        ))
    })?;
    let mut cmd = Command::new(&spec.program);
    // Secrets reach a child only through its response file or when its
    // step names them: the plan's secret variables are not inherited.
    for k in ctx.env_to_remove(&spec.pass_secrets) {
        cmd.env_remove(k);
    }
    cmd.args(&spec.args)
        .envs(&spec.env)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::from(err_file))
        .kill_on_drop(true);
    if let Some(cwd) = &spec.cwd {
        cmd.current_dir(cwd);
    }
    platform::prepare(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| {
        files.remove();
        spawn_error(&program, &e)
    })?;
    if let Some(pid) = child.id() {
        orphan::record(&files, pid, &program);
    }

    let tree = match platform::Tree::attach(&child) {
        Ok(t) => Some(t),
        Err(e) => {
            ctx.info(&crate::tr_fmt!(
                "{e}; on cancel only the program itself will be stopped",
                "{e} ; en cas d'annulation, seul le programme lui-même sera arrêté"
            ));
            None
        }
    };
    let ended = Arc::new(AtomicBool::new(false));
    let readers = start_readers(&files, ctx, keep, &ended);

    let end = tokio::select! {
        status = child.wait() => match status {
            Ok(s) => End::Exited(s),
            Err(e) => {
                stop(&mut child, tree.as_ref()).await;
                return Err(StepError(crate::tr_fmt!(
                    "lost track of {program}: {}",
                    "{program} n'est plus suivi : {}",
                    crate::model::lang_fmt::io_error(&e)
                )));
            }
        },
        _ = ctx.cancel.cancelled() => End::Cancelled,
        _ = sleep_opt(spec.timeout()) => End::TimedOut(spec.timeout().unwrap_or_default()),
    };
    if !matches!(end, End::Exited(_)) {
        stop(&mut child, tree.as_ref()).await;
    }
    ended.store(true, Ordering::Release);
    let (stdout, stderr) = finish_readers(readers, ctx).await;
    files.remove();
    // Ends whatever the program left running in its tree.
    drop(tree);
    Ok(Output {
        end,
        stdout,
        stderr,
    })
}

/// The secrets a step names must be set and long enough to be masked.
fn check_passed_secrets(names: &[String]) -> Result<(), StepError> {
    use crate::model::secret::{MIN_SECRET_CHARS, SecretRef, check_length};
    for n in names {
        let v = std::env::var(n).map_err(|_| {
            StepError(crate::tr_fmt!(
                "this step receives the secret variable {n} (its `secrets`) and {n} is not set: set it before the run",
                "cette étape reçoit la variable secrète {n} (ses `secrets`) et {n} n'est pas définie : définissez-la avant l'exécution"
            ))
        })?;
        let r = SecretRef::Env { env: n.clone() };
        let what = crate::tr_fmt!("the secret variable {n}", "la variable secrète {n}");
        check_length(&what, &r, v.into()).map_err(|e| {
            StepError(crate::tr_fmt!(
                "{e} (at least {MIN_SECRET_CHARS} characters)",
                "{e} ({MIN_SECRET_CHARS} caractères au moins)"
            ))
        })?;
    }
    Ok(())
}

fn spawn_error(program: &str, e: &std::io::Error) -> StepError {
    StepError(match e.kind() {
        std::io::ErrorKind::NotFound => crate::tr_fmt!(
            "program not found: {program}; check the path in the plan, or that it is installed and on PATH",
            "programme introuvable : {program} ; vérifiez le chemin dans le plan, ou qu'il est installé et dans le PATH"
        ),
        std::io::ErrorKind::PermissionDenied => crate::tr_fmt!(
            "cannot run {program}: permission denied; check that it is an executable file you may run",
            "impossible de lancer {program} : accès refusé ; vérifiez que c'est un fichier exécutable que vous pouvez lancer"
        ),
        _ => {
            let why = crate::model::lang_fmt::io_error(e);
            crate::tr_fmt!(
                "cannot start {program}: {why}",
                "impossible de démarrer {program} : {why}"
            )
        }
    })
}

async fn sleep_opt(d: Option<Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending().await,
    }
}

/// Stop the whole tree: polite signal, a short grace for the program, then
/// kill whatever of the tree is left.
async fn stop(child: &mut Child, tree: Option<&platform::Tree>) {
    match tree {
        Some(tree) => {
            tree.terminate();
            let _ = tokio::time::timeout(GRACE, child.wait()).await;
            tree.kill();
            // The program itself, should it have left its group.
            let _ = child.start_kill();
        }
        None => {
            let _ = child.start_kill();
        }
    }
    let _ = child.wait().await;
}

type Reader = JoinHandle<std::io::Result<String>>;

fn start_readers(
    files: &capture::Files,
    ctx: &StepCtx,
    keep: usize,
    ended: &Arc<AtomicBool>,
) -> [Option<Reader>; 2] {
    let start = |path: &std::path::Path, stream: Stream| {
        let (p, c, e) = (path.to_path_buf(), ctx.clone(), ended.clone());
        Some(tokio::spawn(capture::follow(p, stream, c, keep, e)))
    };
    [
        start(&files.out, Stream::Stdout),
        start(&files.err, Stream::Stderr),
    ]
}

async fn finish_readers(readers: [Option<Reader>; 2], ctx: &StepCtx) -> (String, String) {
    let deadline = tokio::time::Instant::now() + DRAIN;
    let mut texts = [String::new(), String::new()];
    for (i, r) in readers.into_iter().enumerate() {
        let Some(mut r) = r else { continue };
        match tokio::time::timeout_at(deadline, &mut r).await {
            Ok(Ok(Ok(text))) => texts[i] = text,
            Ok(Ok(Err(e))) => ctx.info(&crate::tr_fmt!(
                "reading the program's output failed: {e}",
                "la lecture de la sortie du programme a échoué : {e}"
            )),
            Ok(Err(e)) => ctx.info(&crate::tr_fmt!(
                "reading the program's output stopped: {e}",
                "la lecture de la sortie du programme s'est arrêtée : {e}"
            )),
            Err(_) => {
                r.abort();
                ctx.info(crate::model::lang::tr(
                    "the program ended but a process it started still holds its output open; \
                     stopped reading",
                    "le programme est terminé mais un processus qu'il a lancé garde sa sortie ouverte ; \
                     lecture arrêtée",
                ));
            }
        }
    }
    let [stdout, stderr] = texts;
    (stdout, stderr)
}

#[cfg(test)]
mod french {
    use super::*;
    use crate::model::lang::{Lang, scoped};

    #[cfg(unix)]
    fn exited(code: i32) -> End {
        use std::os::unix::process::ExitStatusExt;
        End::Exited(ExitStatus::from_raw(code << 8))
    }

    #[cfg(windows)]
    fn exited(code: i32) -> End {
        use std::os::windows::process::ExitStatusExt;
        End::Exited(ExitStatus::from_raw(code as u32))
    }

    #[test]
    fn exit_codes_and_timeouts_read_in_french() {
        let ok = scoped(Lang::Fr, || judge(&exited(0), &[0, 3010])).unwrap();
        assert_eq!(ok, "code de sortie 0 (accepté : 0, 3010)");
        let e = scoped(Lang::Fr, || judge(&exited(2), &[0])).unwrap_err();
        assert_eq!(e.0, "code de sortie 2 ; codes de sortie acceptés : 0");
        let e = scoped(Lang::Fr, || judge(&exited(2), &[])).unwrap_err();
        assert!(e.0.ends_with("acceptés : aucun"), "{e}");
        let t = scoped(Lang::Fr, || {
            judge(&End::TimedOut(std::time::Duration::from_secs(90)), &[0])
        })
        .unwrap_err();
        assert!(t.0.starts_with("délai dépassé après 90 s ;"), "{t}");
        let en = scoped(Lang::En, || judge(&exited(2), &[0])).unwrap_err();
        assert_eq!(en.0, "exit code 2; accepted exit codes: 0");
    }
}
