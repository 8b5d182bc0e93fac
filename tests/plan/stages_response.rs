//! The CRM setup gets its secrets through a response file: written 0600,
//! holding the secrets, gone after the step (passed, failed or cancelled),
//! and the secrets appear nowhere in the run folder nor in the setup's
//! arguments. Real `dress` binary, real shell script as the setup.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use dress::engine::StepCtx;
use dress::engine::install::run_with_response;
use dress::model::SecretSource;
use dress::model::secret::SecretRef;
use dress::model::step::ExecSpec;
use dress::model::step::response::{Answer, DatabaseMode, ResponseExec};

/// Gives the licence key for any reference (no process-wide variable, so
/// tests running side by side do not see each other's settings).
struct Key;
impl SecretSource for Key {
    fn resolve(&self, _: &str, _: &SecretRef) -> Result<secrecy::SecretString, String> {
        Ok(KEY.into())
    }
}

const KEY: &str = "Canary-Key-5521";
const PW: &str = "Canary-Pw-7734";

/// The fake setup: records its arguments, the mode of the response file and
/// a copy of it OUTSIDE the run folder, then exits with $FAKE_EXIT.
const SETUP: &str = r#"#!/bin/sh
echo "ARGV: $0 $*"
echo "$0 $*" > "$OUT/argv.txt"
stat -c %a "$DRESS_RESPONSE_FILE" > "$OUT/mode.txt"
cp "$DRESS_RESPONSE_FILE" "$OUT/copy.txt"
echo "$DRESS_RESPONSE_FILE" > "$OUT/path.txt"
[ -n "$FAKE_SLEEP" ] && sleep "$FAKE_SLEEP"
exit ${FAKE_EXIT:-0}
"#;

const PLAN: &str = r#"
[deployment]
company = "Bijou SA"
installation = "CRMBIJOU"
licence_key = { env = "TEST_LICENCE_KEY" }

[environments.production]
install_dir = "crm"
backup_dir = "backups"

[environments.production.sql]
server = "127.0.0.1,9"
database = "CRMBIJOU"
login = "crm_admin"
password = { env = "TEST_SQL_PASSWORD" }
encryption = "off"
connect_timeout_s = 2

[recipe]
mode = "install"

[recipe.setup]
package = "fake-setup.sh"
args = ["/quiet", "/answers={response_file}"]
timeout_s = 30
"#;

struct Case {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
    state: PathBuf,
}

impl Case {
    fn new() -> Case {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("plan");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let setup = dir.join("fake-setup.sh");
        std::fs::write(&setup, SETUP).unwrap();
        std::fs::set_permissions(&setup, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
        Case {
            state: tmp.path().join("state"),
            _tmp: tmp,
            dir,
            out,
        }
    }

    fn run(&self, exit: i32) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dress"))
            .current_dir(&self.dir)
            .env("DRESS_STATE_DIR", &self.state)
            .env("OUT", &self.out)
            .env("FAKE_EXIT", exit.to_string())
            .env_remove("FAKE_SLEEP")
            .env("TEST_LICENCE_KEY", KEY)
            .env("TEST_SQL_PASSWORD", PW)
            .args([
                "run",
                "plan.toml",
                "--env",
                "production",
                "--stage",
                "install",
                "--yes",
                "--confirm",
                "review=ok",
            ])
            .output()
            .unwrap()
    }

    fn out(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.join(name)).unwrap()
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under `dir`, with its content.
fn all_files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, out);
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
}

fn assert_no_secret_in(dir: &Path) -> usize {
    let mut files = Vec::new();
    all_files(dir, &mut files);
    for (p, bytes) in &files {
        let t = String::from_utf8_lossy(bytes);
        assert!(!t.contains(KEY), "licence key in {}", p.display());
        assert!(!t.contains(PW), "SQL password in {}", p.display());
        assert!(
            !p.to_string_lossy().ends_with(".response"),
            "response file left: {}",
            p.display()
        );
    }
    files.len()
}

fn check_file_handling(c: &Case, o: &Output) {
    // It held the secrets, was readable by its owner only, and is gone.
    let copy = c.out("copy.txt");
    assert!(copy.contains(&format!("licence_key={KEY}")), "{copy}");
    assert!(copy.contains(&format!("sql_password={PW}")), "{copy}");
    assert!(copy.contains("create_database=true"), "{copy}");
    assert_eq!(c.out("mode.txt").trim(), "600");
    let path = PathBuf::from(c.out("path.txt").trim());
    assert!(path.starts_with(&c.state), "{}", path.display());
    assert!(!path.exists(), "the response file is still there");
    let private = path.parent().unwrap();
    let mode = std::fs::metadata(private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    // The setup got the path, never a secret, on its command line.
    let argv = c.out("argv.txt");
    assert!(
        argv.contains(&format!("/answers={}", path.display())),
        "{argv}"
    );
    assert!(!argv.contains(KEY) && !argv.contains(PW), "{argv}");
    // Nothing in the run folder, nor on the console.
    let n = assert_no_secret_in(&c.state);
    assert!(n >= 3, "journal, plan and logs expected, found {n} files");
    assert!(!text(o).contains(KEY) && !text(o).contains(PW));
    let run = std::fs::read_dir(c.state.join("runs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let log = std::fs::read_to_string(run.join("logs/install/setup.log")).unwrap();
    assert!(log.contains("O|ARGV: "), "{log}");
    assert!(log.contains("licence_key=***"), "{log}");
}

#[test]
fn passed_setup_leaves_no_response_file_and_no_secret() {
    let c = Case::new();
    let o = c.run(0);
    let t = text(&o);
    assert!(
        t.lines()
            .any(|l| l.contains("install/setup") && l.contains("passed")),
        "{t}"
    );
    check_file_handling(&c, &o);
}

#[test]
fn failed_setup_also_deletes_the_response_file() {
    let c = Case::new();
    let o = c.run(7);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o)
            .lines()
            .any(|l| l.contains("install/setup") && l.contains("FAILED")),
        "{}",
        text(&o)
    );
    check_file_handling(&c, &o);
}

#[tokio::test]
async fn cancelled_setup_deletes_the_response_file() {
    let c = Case::new();
    let run_dir = c.state.join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    let (ctx, _rx) = StepCtx::for_test(&run_dir.join("step.log")).unwrap();
    let spec = ResponseExec {
        exec: ExecSpec {
            program: c.dir.join("fake-setup.sh"),
            args: vec!["{response_file}".into()],
            cwd: None,
            env: [
                ("OUT".to_string(), c.out.to_string_lossy().into_owned()),
                ("FAKE_SLEEP".to_string(), "30".to_string()),
            ]
            .into(),
            timeout_s: Some(60),
            ok_exit_codes: vec![0],
            pass_secrets: Vec::new(),
            collect_logs: Vec::new(),
        },
        answers: vec![Answer::secret(
            "licence_key",
            "licence key",
            "deployment.licence_key",
            Some(&SecretRef::Env {
                env: "TEST_LICENCE_KEY".into(),
            }),
        )],
        database: DatabaseMode::Existing,
    };
    let cancel = ctx.cancel.clone();
    let out = c.out.clone();
    tokio::spawn(async move {
        // Cancel once the setup has started (it wrote its copy).
        for _ in 0..100 {
            if out.join("path.txt").exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        cancel.cancel();
    });
    let r = run_with_response(&spec, &Key, &ctx).await;
    assert!(r.is_err(), "{r:?}");
    let path = PathBuf::from(c.out("path.txt").trim());
    assert!(
        !path.exists(),
        "still there after cancel: {}",
        path.display()
    );
    let copy = c.out("copy.txt");
    assert!(copy.contains(KEY) && copy.contains("create_database=false"));
    assert_no_secret_in(&run_dir);
}
