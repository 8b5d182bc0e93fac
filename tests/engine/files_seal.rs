//! Archives that prove themselves: the manifest carries the archive's BLAKE3
//! and the run that made it, the journal records both at backup time, and a
//! restore checks the pair against the journal. No manifest, a swapped
//! pair, a forged manifest: refused before anything is written. The pair is
//! committed together.

use crate::common;
use crate::common::files as files_common;

use std::fs;

use common::{Sandbox, text};
use dress::engine::files::{self, Manifest, manifest_path_for};
use files_common::{Fixture, make_tree};

#[tokio::test]
async fn a_restore_without_its_manifest_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("backups/a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    fs::remove_file(manifest_path_for(&archive)).unwrap();
    let target = fx.path("test");
    let e = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("no manifest"), "{e}");
    assert!(!target.exists(), "something was restored");
}

#[tokio::test]
async fn a_pair_swapped_for_another_pair_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("backups/a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    // Another pair, made elsewhere (another state folder), same names.
    let other = Fixture::new();
    let osrc = other.path("src");
    fs::create_dir_all(&osrc).unwrap();
    fs::write(osrc.join("eware.dll"), b"planted").unwrap();
    let oarchive = other.path("a.tar");
    files::archive(&osrc, &oarchive, &other.ctx).await.unwrap();
    other.journal();
    fs::copy(&oarchive, &archive).unwrap();
    fs::copy(manifest_path_for(&oarchive), manifest_path_for(&archive)).unwrap();
    let target = fx.path("test");
    let e = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("has no record of this archive"), "{e}");
    assert!(
        !target.join("eware.dll").exists(),
        "the planted pair was restored"
    );
}

#[tokio::test]
async fn a_forged_manifest_naming_this_run_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("backups/a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    let mpath = manifest_path_for(&archive);
    let genuine = Manifest::read(&mpath).unwrap();
    // A different archive whose manifest is rewritten to match it and to
    // name the genuine run.
    let other = Fixture::new();
    let osrc = other.path("src");
    fs::create_dir_all(&osrc).unwrap();
    fs::write(osrc.join("eware.dll"), b"planted").unwrap();
    let oarchive = other.path("a.tar");
    files::archive(&osrc, &oarchive, &other.ctx).await.unwrap();
    let mut forged = Manifest::read(&manifest_path_for(&oarchive)).unwrap();
    let seal = forged.archive.as_mut().unwrap();
    seal.run_id = genuine.archive.as_ref().unwrap().run_id.clone();
    fs::copy(&oarchive, &archive).unwrap();
    fs::write(&mpath, forged.to_json()).unwrap();
    let e = files::restore(&archive, &fx.path("test"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("has no record of this archive"), "{e}");
    // A run id that climbs out of the runs folder is no way around it.
    let mut forged = genuine.clone();
    forged.archive.as_mut().unwrap().run_id = "../../etc".into();
    fs::write(&mpath, forged.to_json()).unwrap();
    let e = files::restore(&archive, &fx.path("test"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("nothing was restored"), "{e}");
    // A manifest without a seal (older format, or written by hand).
    let mut bare = genuine.clone();
    bare.archive = None;
    fs::write(&mpath, bare.to_json()).unwrap();
    let e = files::restore(&archive, &fx.path("test"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("does not name the archive's BLAKE3"), "{e}");
    assert!(!fx.path("test").join("top.ini").exists());
}

#[cfg(unix)]
#[tokio::test]
async fn a_manifest_that_cannot_be_written_leaves_no_archive() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("backups/a.tar");
    fs::create_dir_all(fx.path("backups")).unwrap();
    // The manifest's temporary name is taken by a folder: its write fails
    // as it would on a full disk.
    let mut partial = manifest_path_for(&archive).into_os_string();
    partial.push(".partial");
    fs::create_dir_all(std::path::PathBuf::from(&partial).join("x")).unwrap();
    let e = files::archive(&src, &archive, &fx.ctx).await.unwrap_err();
    assert!(e.0.contains(".manifest"), "{e}");
    assert!(
        !archive.exists(),
        "an archive without its manifest was left"
    );
    let mut apartial = archive.clone().into_os_string();
    apartial.push(".partial");
    assert!(!std::path::Path::new(&apartial).exists());
}

#[cfg(unix)]
#[test]
fn the_journal_records_the_archive_the_manifest_names() {
    let sb = Sandbox::new();
    let o = sb.run(&["run", "sandbox.toml", "--stage", "backup", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    // Each backup is a generation named by its run.
    let archive = sb.dir.join(format!(
        "sandbox/work/backups/CRMSANDBOX-{run}-program-files.tar"
    ));
    let m = Manifest::read(&manifest_path_for(&archive)).unwrap();
    let seal = m.archive.expect("the manifest names its archive");
    let hash = blake3::hash(&fs::read(&archive).unwrap())
        .to_hex()
        .to_string();
    assert_eq!(seal.blake3, hash);
    assert_eq!(seal.run_id, run);
    let journal =
        fs::read_to_string(sb.state.join("runs").join(&run).join("journal.jsonl")).unwrap();
    assert!(
        journal.contains(&format!("blake3 {hash} run {run}")),
        "{journal}"
    );
}
