//! Every stage that runs the vendor setup writes its response file: the
//! trial upgrade and production as much as the install. The setup never
//! receives the literal `{response_file}`; it receives the path of a file
//! that holds the answers. Real shell script as the setup.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use dress::engine::StepCtx;
use dress::engine::install::run_with_response;
use dress::model::runplan::parse_for_run;
use dress::model::secret::SecretRef;
use dress::model::step::response::{DatabaseMode, PLACEHOLDER};
use dress::model::step::{Action, Stage};
use dress::model::{EnvKind, SecretSource};
use dress::recipe::build;

const PW: &str = "Canary-Pw-4412";
const KEY: &str = "Canary-Key-9031";

struct Secrets;
impl SecretSource for Secrets {
    fn resolve(&self, what: &str, _: &SecretRef) -> Result<secrecy::SecretString, String> {
        Ok(if what.contains("SQL") { PW } else { KEY }.into())
    }
}

const SETUP: &str = r#"#!/bin/sh
echo "$*" > "$OUT/argv.txt"
if [ -f "$DRESS_RESPONSE_FILE" ]; then cp "$DRESS_RESPONSE_FILE" "$OUT/copy.txt"; fi
for a in "$@"; do
  case "$a" in /answers=*) f="${a#/answers=}"; [ -f "$f" ] && echo yes > "$OUT/arg-file-exists.txt";; esac
done
exit 0
"#;

fn plan_text() -> String {
    r#"
[deployment]
company = "Bijou SA"
installation = "CRMBIJOU"
licence_key = { env = "TEST_LICENCE_KEY" }

[environments.test]
install_dir = "test/crm"
backup_dir = "test/backups"

[environments.test.sql]
server = "127.0.0.1,9"
database = "CRMBIJOU_TEST"
login = "crm_admin"
password = { env = "TEST_SQL_PASSWORD" }
encryption = "off"

[environments.production]
install_dir = "prod/crm"
backup_dir = "prod/backups"

[environments.production.sql]
server = "127.0.0.1,9"
database = "CRMBIJOU"
login = "crm_admin"
password = { env = "TEST_SQL_PASSWORD" }
encryption = "off"

[recipe]
mode = "upgrade"

[recipe.setup]
package = "fake-setup.sh"
args = ["/quiet", "/answers={response_file}"]
timeout_s = 30
"#
    .to_string()
}

fn stages(dir: &Path) -> Vec<Stage> {
    let plan = parse_for_run("plan.toml", &plan_text(), dir).unwrap();
    build(&plan, EnvKind::Test).unwrap()
}

/// No stage hands the setup's program a bare `Exec` (whose arguments would
/// keep the placeholder): every step whose arguments name the placeholder
/// goes through a response file.
#[test]
fn no_stage_passes_the_placeholder_to_a_plain_exec() {
    let tmp = tempfile::tempdir().unwrap();
    let all = stages(tmp.path());
    let mut setups = 0;
    for st in &all {
        for s in &st.steps {
            match &s.action {
                Action::Exec(e) => assert!(
                    !e.args.iter().any(|a| a.contains(PLACEHOLDER)),
                    "{}/{} runs {} with the literal placeholder",
                    st.id,
                    s.id,
                    e.program.display()
                ),
                Action::ExecWithResponse(r) if r.exec.program.ends_with("fake-setup.sh") => {
                    setups += 1
                }
                _ => {}
            }
        }
    }
    // trial-upgrade and production (an upgrade plan has no install stage).
    assert!(setups >= 2, "{setups} setup steps with a response file");
}

fn setup_of<'a>(all: &'a [Stage], stage: &str) -> &'a dress::model::step::response::ResponseExec {
    let st = all.iter().find(|s| s.id == stage).unwrap();
    let step = st.steps.iter().find(|s| s.id == "setup").unwrap();
    match &step.action {
        Action::ExecWithResponse(r) => r,
        other => panic!("{stage}/setup is {other:?}, not a setup with a response file"),
    }
}

#[tokio::test]
async fn trial_upgrade_and_production_write_the_response_file() {
    for stage in ["trial-upgrade", "production"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let setup = tmp.path().join("fake-setup.sh");
        std::fs::write(&setup, SETUP).unwrap();
        std::fs::set_permissions(&setup, std::fs::Permissions::from_mode(0o755)).unwrap();
        let all = stages(tmp.path());
        let mut spec = setup_of(&all, stage).clone();
        // An upgrade never creates the database.
        assert_eq!(spec.database, DatabaseMode::Upgrade, "{stage}");
        spec.exec
            .env
            .insert("OUT".into(), out.to_string_lossy().into_owned());
        let run_dir = tmp.path().join("run");
        std::fs::create_dir_all(&run_dir).unwrap();
        let (ctx, _rx) = StepCtx::for_test(&run_dir.join("step.log")).unwrap();
        run_with_response(&spec, &Secrets, &ctx).await.unwrap();
        let argv = std::fs::read_to_string(out.join("argv.txt")).unwrap();
        assert!(!argv.contains(PLACEHOLDER), "{stage}: {argv}");
        assert!(!argv.contains(PW) && !argv.contains(KEY), "{stage}: {argv}");
        // An upgrade keeps the registered licence: no key is asked for.
        assert!(
            !std::fs::read_to_string(out.join("copy.txt"))
                .unwrap()
                .contains("licence_key=")
        );
        assert!(
            out.join("arg-file-exists.txt").exists(),
            "{stage}: /answers= does not name an existing file: {argv}"
        );
        let copy = std::fs::read_to_string(out.join("copy.txt")).unwrap();
        for want in [
            format!("sql_password={PW}"),
            "create_database=false".to_string(),
            "installation=CRMBIJOU".to_string(),
        ] {
            assert!(copy.contains(&want), "{stage}: {want} missing in {copy}");
        }
        let dir = PathBuf::from(argv.trim().rsplit("/answers=").next().unwrap());
        assert!(!dir.exists(), "{stage}: response file left behind");
    }
}
