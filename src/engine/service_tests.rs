use super::*;

/// `sc query W3SVC` on Windows Server 2022 (English).
const RUNNING_EN: &str = "\r
SERVICE_NAME: W3SVC \r
        TYPE               : 20  WIN32_SHARE_PROCESS  \r
        STATE              : 4  RUNNING \r
                                (STOPPABLE, PAUSABLE, ACCEPTS_SHUTDOWN)\r
        WIN32_EXIT_CODE    : 0  (0x0)\r
        SERVICE_EXIT_CODE  : 0  (0x0)\r
        CHECKPOINT         : 0x0\r
        WAIT_HINT          : 0x0\r
";

/// The same query while the service stops, with a translated label.
const STOP_PENDING_FR: &str = "
NOM_SERVICE: Tomcat9
        TYPE               : 10  WIN32_OWN_PROCESS
        ÉTAT               : 3  STOP_PENDING
                                (NOT_STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)
        WIN32_EXIT_CODE    : 0  (0x0)
        SERVICE_EXIT_CODE  : 0  (0x0)
        POINT_CONTRÔLE     : 0x1
        WAIT_HINT          : 0x7530
";

const MISSING: &str = "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r
\r
The specified service does not exist as an installed service.\r
";

#[test]
fn parses_the_state_line() {
    assert_eq!(parse_query(RUNNING_EN), Some(State::Running));
    assert_eq!(parse_query(STOP_PENDING_FR), Some(State::StopPending));
    let stopped = RUNNING_EN.replace("4  RUNNING", "1  STOPPED");
    assert_eq!(parse_query(&stopped), Some(State::Stopped));
}

#[test]
fn other_lines_are_not_taken_for_the_state() {
    // "TYPE : 20 WIN32_SHARE_PROCESS" has a code and a word, but no state.
    let no_state: String = RUNNING_EN
        .lines()
        .filter(|l| !l.contains("STATE"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(parse_query(&no_state), None);
    assert_eq!(parse_query(MISSING), None);
    // Code and name must agree.
    assert_eq!(parse_query("STATE : 1  RUNNING"), None);
}

#[test]
fn sc_errors_say_what_to_do() {
    assert!(sc_error(1060, "stop", "W3SVC").contains("no service named W3SVC"));
    assert!(sc_error(5, "start", "W3SVC").contains("Administrator"));
    assert!(sc_error(1051, "stop", "W3SVC").contains("enumdepend W3SVC"));
    assert!(sc_error(42, "stop", "W3SVC").contains("exit code 42"));
}

#[test]
fn sc_errors_in_french() {
    use crate::model::lang::{Lang, scoped};
    scoped(Lang::Fr, || {
        assert_eq!(
            sc_error(1060, "stop", "W3SVC"),
            "il n'y a pas de service nommé W3SVC sur cette machine ; vérifiez le nom avec `sc.exe query state= all`"
        );
        assert!(sc_error(5, "start", "W3SVC").contains("accès refusé"));
        assert!(sc_error(42, "stop", "W3SVC").contains("code de sortie 42"));
    });
}

/// A stand-in for sc.exe: `stop`/`start` answer with the exit code in
/// `DIR/rc` (0 when missing); each `query` prints the next state of
/// `DIR/states` (the last one repeats) and counts itself in `DIR/queries`.
#[cfg(unix)]
fn fake_sc(dir: &Path, states: &[&str], rc: i32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(dir.join("states"), states.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("rc"), rc.to_string()).unwrap();
    let script = format!(
        r#"#!/bin/sh
d='{d}'
case "$1" in
  stop|start) echo "[SC] $1 $2"; exit $(cat "$d/rc") ;;
  query)
    n=$(cat "$d/queries" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$d/queries"
    total=$(wc -l < "$d/states")
    [ $n -gt $total ] && n=$total
    s=$(sed -n "${{n}}p" "$d/states")
    printf 'SERVICE_NAME: %s\r\n        STATE              : %s \r\n' "$2" "$s"
    exit 0 ;;
esac
exit 87
"#,
        d = dir.display()
    );
    let p = dir.join("sc");
    std::fs::write(&p, script).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[cfg(unix)]
fn queries(dir: &Path) -> u32 {
    std::fs::read_to_string(dir.join("queries"))
        .map(|s| s.trim().parse().unwrap())
        .unwrap_or(0)
}

#[cfg(unix)]
#[tokio::test]
async fn stop_polls_until_stopped() {
    let t = tempfile::tempdir().unwrap();
    let sc = fake_sc(t.path(), &["3  STOP_PENDING", "1  STOPPED"], 0);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let r = change(&sc, "Tomcat9", Want::Stopped, Duration::from_secs(30), &ctx).await;
    assert_eq!(r.unwrap(), "service Tomcat9 is STOPPED");
    assert_eq!(queries(t.path()), 2);
}

#[cfg(unix)]
#[tokio::test]
async fn start_of_a_running_service_passes() {
    let t = tempfile::tempdir().unwrap();
    // 1056 (already running) arrives as 1056 % 256 on Unix: either way the
    // state is read once and decides.
    let sc = fake_sc(t.path(), &["4  RUNNING"], 1056);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let r = change(&sc, "W3SVC", Want::Running, Duration::from_secs(30), &ctx).await;
    assert_eq!(r.unwrap(), "service W3SVC is RUNNING");
    assert_eq!(queries(t.path()), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn access_denied_fails_without_polling() {
    let t = tempfile::tempdir().unwrap();
    // Exit codes are 8-bit on Unix: 1060 (no such service) cannot be
    // played here, 5 (access denied) can.
    let sc = fake_sc(t.path(), &["1  STOPPED"], 5);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let e = change(&sc, "W3SVC", Want::Stopped, Duration::from_secs(30), &ctx)
        .await
        .unwrap_err();
    assert!(
        e.0.contains("access denied to stop the service W3SVC"),
        "{}",
        e.0
    );
    assert_eq!(queries(t.path()), 0);
}

#[cfg(unix)]
#[tokio::test]
async fn a_service_stuck_pending_times_out() {
    let t = tempfile::tempdir().unwrap();
    let sc = fake_sc(t.path(), &["2  START_PENDING"], 0);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let e = change(&sc, "Tomcat9", Want::Running, Duration::from_secs(3), &ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("still START_PENDING after 3 s"), "{}", e.0);
    assert!(queries(t.path()) >= 2);
}

#[tokio::test]
async fn names_that_are_not_service_names_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    for bad in ["", "a\"b", r"C:\x"] {
        let e = stop(bad, &ctx).await.unwrap_err();
        assert!(e.0.contains("is not a service name"), "{}", e.0);
    }
}

#[cfg(unix)]
#[tokio::test]
async fn an_unknown_exit_code_passes_when_the_state_is_already_right() {
    let t = tempfile::tempdir().unwrap();
    let sc = fake_sc(t.path(), &["1  STOPPED"], 1);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let r = change(&sc, "Spooler", Want::Stopped, Duration::from_secs(30), &ctx).await;
    assert_eq!(r.unwrap(), "service Spooler is STOPPED");
    assert_eq!(queries(t.path()), 1);
}

#[cfg(unix)]
#[tokio::test]
async fn an_unknown_exit_code_fails_when_the_state_is_wrong() {
    let t = tempfile::tempdir().unwrap();
    let sc = fake_sc(t.path(), &["4  RUNNING"], 1);
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    let e = change(&sc, "Spooler", Want::Stopped, Duration::from_secs(30), &ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("failed with exit code 1"), "{}", e.0);
    assert_eq!(queries(t.path()), 1);
}

/// Against the real service manager: stops and starts the service named in
/// DRESS_TEST_SERVICE (e.g. Spooler on a test machine or under Wine).
#[cfg(windows)]
#[tokio::test]
#[ignore = "changes a real service; run with DRESS_TEST_SERVICE=NAME and --ignored"]
async fn stops_and_starts_a_real_service() {
    let name = std::env::var("DRESS_TEST_SERVICE").expect("DRESS_TEST_SERVICE");
    let t = tempfile::tempdir().unwrap();
    let (ctx, _rx) = StepCtx::for_test(&t.path().join("step.log")).unwrap();
    assert_eq!(
        stop(&name, &ctx).await.unwrap(),
        format!("service {name} is STOPPED")
    );
    assert_eq!(
        stop(&name, &ctx).await.unwrap(),
        format!("service {name} is STOPPED")
    );
    assert_eq!(
        start(&name, &ctx).await.unwrap(),
        format!("service {name} is RUNNING")
    );
    let e = stop("NoSuchService42", &ctx).await.unwrap_err();
    assert!(e.0.contains("NoSuchService42"), "{}", e.0);
}
