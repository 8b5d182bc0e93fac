//! A child gets a secret only when its step names it: the variables the
//! plan's secrets come from, and copies of their values, are not inherited
//! by recipe steps or the setup. A secret too short to be masked is refused
//! and never reaches a log. Real binary, real shell steps.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KEY: &str = "Canary-Env-6620";

fn plan(out: &Path, named: bool) -> String {
    let mut p = format!(
        r#"
[deployment]
company = "Bijou SA"
installation = "CRMBIJOU"
licence_key = {{ env = "TEST_ENV_LICENCE_KEY" }}

[environments.production]
install_dir = "crm"
backup_dir = "backups"

[recipe.setup]
package = "setup.sh"

[[recipe.steps]]
id = "plain"
before = "prerequisites/os"
kind = "exec"
required = true
program = "/bin/sh"
args = ["-c", "env > '{out}/plain.env'; echo has-$TEST_ENV_LICENCE_KEY-end"]
"#,
        out = out.display()
    );
    if named {
        p.push_str(&format!(
            r#"
[[recipe.steps]]
id = "named"
before = "prerequisites/os"
kind = "exec"
required = true
program = "/bin/sh"
args = ["-c", "env > '{out}/named.env'; echo has-$TEST_ENV_LICENCE_KEY-end"]
secrets = ["TEST_ENV_LICENCE_KEY"]
"#,
            out = out.display()
        ));
    }
    p
}

struct Case {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
    state: PathBuf,
}

impl Case {
    fn new(named: bool) -> Case {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("plan");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(dir.join("plan.toml"), plan(&out, named)).unwrap();
        Case {
            state: tmp.path().join("state"),
            dir,
            out,
            _tmp: tmp,
        }
    }

    fn run(&self, key: &str) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dress"))
            .current_dir(&self.dir)
            .env("DRESS_STATE_DIR", &self.state)
            .env("TEST_ENV_LICENCE_KEY", key)
            .env("A_COPY_OF_THE_KEY", format!("x{key}x"))
            .args([
                "run",
                "plan.toml",
                "--env",
                "production",
                "--stage",
                "prerequisites",
                "--yes",
            ])
            .output()
            .unwrap()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.out.join(name)).unwrap_or_default()
    }

    fn logs(&self) -> String {
        let mut all = String::new();
        let mut stack = vec![self.state.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    all.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
                }
            }
        }
        all
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_step_that_names_no_secret_does_not_inherit_it() {
    let c = Case::new(false);
    let o = c.run(KEY);
    let plain = c.read("plain.env");
    assert!(
        !plain.is_empty(),
        "the plain step did not run: {}",
        text(&o)
    );
    assert!(
        !plain.contains(KEY),
        "a step that names no secret inherited it:\n{plain}"
    );
    assert!(!plain.contains("TEST_ENV_LICENCE_KEY="), "{plain}");
    assert!(!plain.contains("A_COPY_OF_THE_KEY="), "{plain}");
    // PATH and the rest of the environment are still there.
    assert!(plain.contains("PATH="), "{plain}");
    assert!(c.logs().contains("has--end"), "the step saw no value");
}

#[test]
fn the_step_that_names_a_secret_receives_it_masked_in_logs() {
    let c = Case::new(true);
    let o = c.run(KEY);
    let named = c.read("named.env");
    assert!(
        named.contains(&format!("TEST_ENV_LICENCE_KEY={KEY}")),
        "the step that names the secret did not get it: {}\n{named}",
        text(&o)
    );
    // Only what it names: not the copy under another name.
    assert!(!named.contains("A_COPY_OF_THE_KEY="), "{named}");
    // What it printed is masked in the logs and on the console.
    assert!(!c.logs().contains(KEY), "the secret is in the state folder");
    assert!(!text(&o).contains(KEY), "{}", text(&o));
    assert!(c.logs().contains("has-***-end"), "masked output expected");
}

#[test]
fn a_secret_too_short_to_mask_is_refused_and_never_logged() {
    for short in ["q", "q7", "q7z", "q7zk0"] {
        let needle = format!("has-{short}-end");
        // No step names it: no step sees it.
        let c = Case::new(false);
        let o = c.run(short);
        assert!(
            !c.logs().contains(&needle),
            "{short}: written in clear in the state folder"
        );
        assert!(!text(&o).contains(&needle), "{short}: {}", text(&o));
        // A step names it: the step is refused before it starts.
        let c = Case::new(true);
        let o = c.run(short);
        let t = text(&o);
        assert!(
            t.contains("cannot be masked safely"),
            "{short}: no refusal: {t}"
        );
        assert!(!c.logs().contains(&needle), "{short}: in the state folder");
        assert!(
            !c.read("named.env").contains(short),
            "{short}: the step ran"
        );
    }
}
