//! files.copy mirrors a tree: new and changed files copied, extras removed.

use crate::common::files as files_common;

use std::fs;
use std::time::{Duration, SystemTime};

use dress::engine::files::{self, build_manifest};
use files_common::{Fixture, make_tree};

fn set_mtime(p: &std::path::Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(p)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[tokio::test]
async fn mirror_copies_changes_and_removes_extras() {
    let fx = Fixture::new();
    let src = fx.path("server1/CRM");
    let planted = make_tree(&src);
    let dst = fx.path("server2/CRM");

    // First run: everything is new.
    let s = files::copy(&src, &dst, &fx.ctx).await.unwrap();
    assert!(s.contains(&format!("{} copied", planted.len())), "{s}");
    assert!(s.contains("0 removed"), "{s}");
    assert_eq!(build_manifest(&src).unwrap(), build_manifest(&dst).unwrap());

    // Drift on the target: extras, a changed file of the same size with an
    // older time, a file where the source has a folder.
    fs::write(dst.join("extra.txt"), b"only on server2").unwrap();
    fs::create_dir_all(dst.join("Old Pages/nested")).unwrap();
    fs::write(dst.join("Old Pages/nested/old.asp"), b"old").unwrap();
    let changed = dst.join("top.ini");
    fs::write(&changed, b"[crm]\nport=81\n").unwrap();
    set_mtime(&changed, SystemTime::now() - Duration::from_secs(3600));
    fs::remove_dir_all(dst.join("Données")).unwrap();
    fs::write(dst.join("Données"), b"a file in place of a folder").unwrap();

    let s = files::copy(&src, &dst, &fx.ctx).await.unwrap();
    // top.ini changed, Données/été.txt new again.
    assert!(s.contains("2 copied"), "{s}");
    assert!(
        s.contains(&format!("{} unchanged", planted.len() - 2)),
        "{s}"
    );
    // extra.txt, Old Pages/nested/old.asp, Old Pages/nested, Old Pages, Données (file).
    assert!(s.contains("5 removed"), "{s}");
    assert_eq!(build_manifest(&src).unwrap(), build_manifest(&dst).unwrap());
    assert!(!dst.join("Old Pages").exists());
    assert!(
        dst.join("Program Files (x86)/Sage/CRM/CustomPages/empty folder")
            .is_dir()
    );
    let log = fx.log_text();
    assert!(
        log.contains("removed extra.txt (not in the source)"),
        "{log}"
    );
    assert!(log.contains("removed Old Pages/nested/old.asp (not in the source)"));
    assert!(log.contains("copied top.ini (changed)"));

    // Nothing left to do.
    let s = files::copy(&src, &dst, &fx.ctx).await.unwrap();
    assert!(s.contains("0 copied") && s.contains("0 removed"), "{s}");
}

#[tokio::test]
async fn mirror_into_itself_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("CRM");
    make_tree(&src);
    let err = files::copy(&src, &src.join("copy"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("one holds the other"), "{err}");
    assert!(!src.join("copy").exists());
}
