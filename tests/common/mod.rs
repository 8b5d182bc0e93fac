//! Shared helpers of the integration tests: a copy of the sandbox example in
//! a temporary folder, and the real `dress` binary run on it.
#![allow(dead_code)]

pub mod files;
pub mod sql;
pub mod tmux;
pub mod topology;
pub mod wizard;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let name = e.file_name();
        if name == "work" {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            copy_tree(&p, &to.join(&name));
        } else {
            std::fs::copy(&p, to.join(&name)).unwrap();
        }
    }
}

/// The licence key the sandbox runs are given (never a real one).
pub const SANDBOX_LICENCE_KEY: &str = "SANDBOX-LICENCE-7Q4";

/// A private copy of `examples/sandbox.toml` and its folder.
pub struct Sandbox {
    pub _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub state: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ex");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        copy_tree(&root.join("sandbox"), &dir.join("sandbox"));
        std::fs::copy(root.join("sandbox.toml"), dir.join("sandbox.toml")).unwrap();
        let state = tmp.path().join("state");
        Sandbox {
            _tmp: tmp,
            dir,
            state,
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dress"));
        c.current_dir(&self.dir)
            .env("DRESS_STATE_DIR", &self.state)
            // The sandbox's licence key (its setup gets it in its response
            // file, as the vendor's does).
            .env("DRESS_LICENCE_KEY", SANDBOX_LICENCE_KEY)
            .env_remove("NO_COLOR")
            // English unless a test asks for French.
            .env_remove("DRESS_LANG")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// The ids of the runs, oldest first.
    pub fn runs(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.state.join("runs"))
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
