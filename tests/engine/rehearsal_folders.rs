//! A rehearsal never touches production: folders are compared once links
//! and `..` are resolved, at validation and again as each step starts; a
//! restore refuses a link on its target's path and writes into a staging
//! folder moved into place only after the content check. Real binary on the
//! sandbox example, real files.
#![cfg(unix)]

use crate::common;
use crate::common::files as files_common;

use std::fs;

use common::{Sandbox, text};
use dress::engine::files::{self, Manifest, manifest_path_for};
use files_common::{Fixture, make_tree};

fn set_test_dir(sb: &Sandbox, dir: &str) {
    let p = sb.dir.join("sandbox.toml");
    let plan = fs::read_to_string(&p).unwrap().replace(
        "install_dir = \"sandbox/work/test/CRM\"",
        &format!("install_dir = \"{dir}\""),
    );
    assert!(plan.contains(dir));
    fs::write(p, plan).unwrap();
}

fn production_version(sb: &Sandbox) -> String {
    fs::read_to_string(sb.dir.join("sandbox/production/CRM/version.txt"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn a_test_folder_written_with_dot_dot_onto_production_is_refused() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.dir.join("sandbox/work")).unwrap();
    set_test_dir(&sb, "sandbox/work/../production/CRM");
    let o = sb.run(&["plan", "validate", "sandbox.toml"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(t.contains("sandbox.toml:"), "{t}");
    assert!(t.contains("environments.test.install_dir"), "{t}");
    let line = t
        .lines()
        .find(|l| l.contains("environments.test.install_dir"))
        .unwrap();
    // FILE:LINE:COL: the line of the test install_dir.
    let parts: Vec<&str> = line.splitn(4, ':').collect();
    assert!(parts[1].parse::<usize>().unwrap() > 1, "{line}");
    let o = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(production_version(&sb), "2025.2", "{}", text(&o));
}

#[test]
fn a_test_folder_that_is_a_link_to_production_is_refused() {
    let sb = Sandbox::new();
    fs::create_dir_all(sb.dir.join("sandbox/work/test")).unwrap();
    std::os::unix::fs::symlink(
        sb.dir.join("sandbox/production/CRM"),
        sb.dir.join("sandbox/work/test/CRM"),
    )
    .unwrap();
    let o = sb.run(&["plan", "validate", "sandbox.toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("environments.test.install_dir"),
        "{}",
        text(&o)
    );
    let o = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(production_version(&sb), "2025.2", "{}", text(&o));
}

#[test]
fn a_link_planted_after_validation_stops_the_next_step() {
    let sb = Sandbox::new();
    // A step of the run itself turns the test folder into a link to
    // production once the plan was checked.
    let p = sb.dir.join("sandbox.toml");
    let mut plan = fs::read_to_string(&p).unwrap();
    plan.push_str(
        r#"
[[recipe.steps]]
id = "plant-link"
after = "backup/program-files"
kind = "exec"
required = true
program = "/bin/sh"
args = ["-c", "mkdir -p sandbox/work/test && rm -rf sandbox/work/test/CRM && ln -s ../../production/CRM sandbox/work/test/CRM"]
cwd = "."
"#,
    );
    fs::write(&p, plan).unwrap();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("once links and `..` are resolved"), "{t}");
    assert_eq!(production_version(&sb), "2025.2", "{t}");
    assert!(
        !t.contains("trial-upgrade/setup                      passed"),
        "{t}"
    );
}

#[tokio::test]
async fn a_restore_target_that_is_or_lies_under_a_link_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    let prod = fx.path("production");
    fs::create_dir_all(&prod).unwrap();
    fs::write(prod.join("top.ini"), b"production").unwrap();
    // The target itself is a link.
    let target = fx.path("test-crm");
    std::os::unix::fs::symlink(&prod, &target).unwrap();
    let e = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("is a link"), "{e}");
    // A folder above the target is a link.
    let up = fx.path("work");
    std::os::unix::fs::symlink(&prod, &up).unwrap();
    let e = files::restore(&archive, &up.join("CRM"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("on the path of the target"), "{e}");
    assert_eq!(fs::read(prod.join("top.ini")).unwrap(), b"production");
    assert!(!prod.join("CRM").exists());
}

#[tokio::test]
async fn a_restore_that_fails_its_content_check_leaves_the_target_as_it_was() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    // The manifest's file list disagrees with the archive's content (its
    // seal still matches the archive).
    let mpath = manifest_path_for(&archive);
    let mut m = Manifest::read(&mpath).unwrap();
    let e = m.files.iter_mut().find(|f| f.path == "top.ini").unwrap();
    e.blake3 = "0".repeat(64);
    fs::write(&mpath, m.to_json()).unwrap();
    let target = fx.path("test");
    fs::create_dir_all(&target).unwrap();
    fs::write(target.join("keep.txt"), b"before").unwrap();
    let err = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("top.ini"), "{err}");
    // Nothing of the archive reached the target; no staging folder left.
    assert_eq!(fs::read(target.join("keep.txt")).unwrap(), b"before");
    assert!(!target.join("top.ini").exists());
    let left: Vec<_> = fs::read_dir(fx.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
