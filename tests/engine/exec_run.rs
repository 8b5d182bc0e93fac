//! The exec step against real child processes.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dress::engine::ctx::parse_log_line;
use dress::engine::exec;
use dress::engine::{StepCtx, Stream};
use dress::model::step::ExecSpec;

fn sh(script: &str) -> ExecSpec {
    ExecSpec {
        program: PathBuf::from("/bin/sh"),
        args: vec!["-c".into(), script.into()],
        cwd: None,
        env: BTreeMap::new(),
        timeout_s: None,
        ok_exit_codes: vec![0],
        pass_secrets: Vec::new(),
        collect_logs: Vec::new(),
    }
}

fn ctx(dir: &Path) -> (StepCtx, PathBuf) {
    let log = dir.join("step.log");
    let (ctx, _rx) = StepCtx::for_test(&log).unwrap();
    (ctx, log)
}

fn read_log(path: &Path) -> Vec<(Stream, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let (s, t) = parse_log_line(l);
            (s, t.to_string())
        })
        .collect()
}

fn raw_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[tokio::test]
async fn output_lines_are_tagged_by_stream() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    let spec = sh("echo hello; echo oops 1>&2; printf 'dos line\\r\\n'; printf 'no newline'");
    let res = exec::run(&spec, &ctx).await;
    assert_eq!(res, Ok("exit code 0 (accepted: 0)".into()));
    let raw = raw_log(&log);
    assert!(raw.contains("O|hello\n"), "{raw}");
    assert!(raw.contains("E|oops\n"), "{raw}");
    assert!(
        raw.contains("O|dos line\n"),
        "carriage return kept: {raw:?}"
    );
    assert!(raw.contains("O|no newline\n"), "{raw}");
    assert!(raw.starts_with("I|run: /bin/sh -c"), "{raw}");
}

#[tokio::test]
async fn exit_codes_accepted_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let mut spec = sh("exit 3");
    let err = exec::run(&spec, &ctx).await.unwrap_err();
    assert_eq!(err.0, "exit code 3; accepted exit codes: 0");
    spec.ok_exit_codes = vec![0, 3];
    let ok = exec::run(&spec, &ctx).await.unwrap();
    assert_eq!(ok, "exit code 3 (accepted: 0, 3)");
}

#[tokio::test]
async fn env_and_cwd_are_applied() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work place");
    std::fs::create_dir(&work).unwrap();
    let (ctx, log) = ctx(dir.path());
    let mut spec = sh("echo \"var=$DRESS_TEST_VAR\"; pwd");
    spec.env
        .insert("DRESS_TEST_VAR".into(), "valeur été".into());
    spec.cwd = Some(work.clone());
    exec::run(&spec, &ctx).await.unwrap();
    let lines = read_log(&log);
    assert!(
        lines.contains(&(Stream::Stdout, "var=valeur été".into())),
        "{lines:?}"
    );
    let canon = work.canonicalize().unwrap();
    assert!(
        lines.contains(&(Stream::Stdout, canon.display().to_string())),
        "{lines:?}"
    );
}

#[tokio::test]
async fn stdin_is_null() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    // `cat` ends at once on a null stdin instead of waiting for input.
    let mut spec = sh("cat; echo after");
    spec.timeout_s = Some(5);
    exec::run(&spec, &ctx).await.unwrap();
    assert!(raw_log(&log).contains("O|after\n"));
}

#[tokio::test]
async fn missing_program_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let mut spec = sh("");
    spec.program = PathBuf::from("/nowhere/bin/no-such-tool");
    let err = exec::run(&spec, &ctx).await.unwrap_err();
    assert!(
        err.0
            .contains("program not found: /nowhere/bin/no-such-tool"),
        "{err}"
    );
    assert!(err.0.contains("check the path"), "{err}");
}

#[tokio::test]
async fn missing_working_folder_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let mut spec = sh("true");
    spec.cwd = Some(dir.path().join("absent"));
    let err = exec::run(&spec, &ctx).await.unwrap_err();
    assert!(err.0.contains("working folder"), "{err}");
    assert!(err.0.contains("absent"), "{err}");
}

/// Whether a process runs (a zombie waiting for its reaper counts as gone).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        }
        Err(_) => false,
    }
}

fn wait_gone(pid: i32) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A parent shell that starts a sleeping grandchild, writes its pid, waits.
fn tree_script(pidfile: &Path) -> ExecSpec {
    sh(&format!(
        "sleep 300 & echo $! > '{}'; echo started; wait",
        pidfile.display()
    ))
}

async fn read_pid(pidfile: &Path) -> i32 {
    for _ in 0..100 {
        if let Ok(s) = std::fs::read_to_string(pidfile)
            && let Ok(p) = s.trim().parse()
        {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the script did not write its pid file");
}

#[tokio::test]
async fn timeout_kills_the_whole_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    let pidfile = dir.path().join("grandchild.pid");
    let mut spec = tree_script(&pidfile);
    spec.timeout_s = Some(1);
    let started = Instant::now();
    let err = exec::run(&spec, &ctx).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(6));
    assert!(err.0.starts_with("timed out after 1 s"), "{err}");
    let pid = read_pid(&pidfile).await;
    assert!(
        wait_gone(pid),
        "grandchild {pid} still runs after the timeout"
    );
    assert!(raw_log(&log).contains("O|started\n"));
}

#[tokio::test]
async fn cancel_kills_the_whole_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let pidfile = dir.path().join("grandchild.pid");
    let spec = tree_script(&pidfile);
    let run = {
        let ctx = ctx.clone();
        tokio::spawn(async move { exec::run(&spec, &ctx).await })
    };
    let pid = read_pid(&pidfile).await;
    assert!(alive(pid), "grandchild should run before the cancel");
    ctx.cancel.cancel();
    let res = tokio::time::timeout(Duration::from_secs(6), run)
        .await
        .expect("run did not end after cancel")
        .unwrap();
    assert_eq!(
        res.unwrap_err().0,
        "cancelled; the program and the processes it started were stopped"
    );
    assert!(wait_gone(pid), "grandchild {pid} still runs after cancel");
}

#[tokio::test]
async fn long_line_is_cut_into_bounded_pieces() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    // 200,000 'x' without a newline, then a short line.
    let spec = sh("head -c 200000 /dev/zero | tr '\\0' x; echo; echo tail");
    exec::run(&spec, &ctx).await.unwrap();
    let lines = read_log(&log);
    let pieces: Vec<usize> = lines
        .iter()
        .filter(|(s, t)| *s == Stream::Stdout && t.starts_with('x'))
        .map(|(_, t)| t.len())
        .collect();
    assert_eq!(pieces.iter().sum::<usize>(), 200_000);
    assert!(pieces.iter().all(|&n| n <= exec::MAX_LINE), "{pieces:?}");
    assert_eq!(pieces.len(), 4, "{pieces:?}");
    // The newline that ends the cut line does not add an empty line.
    let after: Vec<&str> = lines
        .iter()
        .filter(|(s, t)| *s == Stream::Stdout && !t.starts_with('x'))
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(after, vec!["tail"]);
}

#[tokio::test]
async fn output_helper_returns_code_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let spec = sh("echo one; echo two; echo bad 1>&2; exit 4");
    let out = exec::output(&spec, &ctx, 1024).await.unwrap();
    assert_eq!(out.code(), Some(4));
    assert_eq!(out.stdout, "one\ntwo\n");
    assert_eq!(out.stderr, "bad\n");
}

#[tokio::test]
async fn invalid_utf8_is_kept_lossily() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    let spec = sh("printf 'caf\\351\\n'");
    exec::run(&spec, &ctx).await.unwrap();
    assert!(
        raw_log(&log).contains("O|caf\u{FFFD}\n"),
        "{}",
        raw_log(&log)
    );
}

#[tokio::test]
async fn background_processes_do_not_outlive_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, log) = ctx(dir.path());
    let detached = dir.path().join("detached.pid");
    let holding = dir.path().join("holding.pid");
    // One leftover writes elsewhere, the other keeps the output pipe open.
    let spec = sh(&format!(
        "sleep 300 >/dev/null 2>&1 & echo $! > '{}'; sleep 300 & echo $! > '{}'; echo done",
        detached.display(),
        holding.display()
    ));
    let started = Instant::now();
    let res = exec::run(&spec, &ctx).await;
    assert_eq!(res, Ok("exit code 0 (accepted: 0)".into()));
    assert!(started.elapsed() < Duration::from_secs(6));
    for f in [&detached, &holding] {
        let pid = read_pid(f).await;
        assert!(wait_gone(pid), "leftover {pid} still runs after the step");
    }
    let text = raw_log(&log);
    assert!(text.contains("O|done\n"), "{text}");
    // The output goes to a file the engine follows: a leftover holding it
    // open no longer delays the end of the step.
}

#[tokio::test]
async fn already_cancelled_step_starts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _) = ctx(dir.path());
    let marker = dir.path().join("ran");
    ctx.cancel.cancel();
    let spec = sh(&format!("touch '{}'", marker.display()));
    let err = exec::run(&spec, &ctx).await.unwrap_err();
    assert!(err.0.starts_with("cancelled"), "{err}");
    assert!(!marker.exists());
}
