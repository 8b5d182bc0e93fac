//! A folder seen under another name through a bind mount is still the same
//! folder: a test install folder that is production's, mounted elsewhere,
//! is refused like `..` or a link to it. Needs the right to mount (root on
//! Linux); elsewhere the test says it did not run.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Sandbox;

struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn bind(source: &Path, target: &Path) -> Option<Mounted> {
    std::fs::create_dir_all(target).ok()?;
    let ok = Command::new("mount")
        .arg("--bind")
        .arg(source)
        .arg(target)
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| Mounted(target.to_path_buf()))
}

#[test]
fn a_test_folder_that_is_production_through_a_bind_mount_is_refused() {
    let sb = Sandbox::new();
    let production = sb.dir.join("sandbox/production");
    let alias = sb.dir.join("sandbox/work/alias");
    let Some(_mounted) = bind(&production, &alias) else {
        eprintln!("cannot bind-mount here (not root?): not run");
        return;
    };
    let plan = sb.dir.join("sandbox.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let test_dir = "sandbox/work/test/CRM";
    assert!(text.contains(test_dir), "the sandbox's test folder moved");
    std::fs::write(&plan, text.replace(test_dir, "sandbox/work/alias/CRM")).unwrap();
    let o = sb.run(&["plan", "validate", "sandbox.toml"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("environments.test.install_dir")
            || err.contains("environments.production.install_dir"),
        "{err}"
    );
    // And a run is refused before anything is written.
    let r = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(sb.runs().is_empty());
}
