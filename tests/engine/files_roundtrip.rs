//! files.archive -> files.restore -> files.verify on real files.

use crate::common::files as files_common;

use std::fs;

use dress::engine::files::{self, Manifest, build_manifest, manifest_path_for};
use files_common::{Fixture, flip_byte, make_tree};

#[tokio::test]
async fn archive_restore_verify_round_trip() {
    let fx = Fixture::new();
    let src = fx.path("source dir (x86)");
    let planted = make_tree(&src);
    let archive = fx.path("backup dir/program files.tar");

    let summary = files::archive(&src, &archive, &fx.ctx).await.unwrap();
    assert!(
        summary.contains(&format!("archived {} files", planted.len())),
        "{summary}"
    );
    assert!(archive.is_file());
    let mpath = manifest_path_for(&archive);
    let manifest = Manifest::read(&mpath).unwrap();
    assert_eq!(manifest.files.len(), planted.len());
    for (rel, content) in &planted {
        let e = manifest.files.iter().find(|f| &f.path == rel).unwrap();
        assert_eq!(e.size, content.len() as u64);
        assert_eq!(e.blake3, blake3::hash(content).to_hex().to_string());
        assert!(!e.path.contains('\\'));
    }
    // No temporary file left beside the archive.
    let names: Vec<_> = fs::read_dir(archive.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        fx.log_text()
            .contains(&format!("archived {} files", planted.len()))
    );

    let target = fx.path("restored here");
    fx.journal();
    let s = files::restore(&archive, &target, &fx.ctx).await.unwrap();
    assert!(s.contains("all match the manifest"), "{s}");
    for (rel, content) in &planted {
        assert_eq!(&fs::read(target.join(rel)).unwrap(), content, "{rel}");
    }
    assert!(
        target
            .join("Program Files (x86)/Sage/CRM/CustomPages/empty folder")
            .is_dir()
    );
    // The same files (the manifest beside the archive also names the archive).
    assert_eq!(build_manifest(&target).unwrap().files, manifest.files);

    let s = files::verify(&target, &mpath, &fx.ctx).await.unwrap();
    assert!(
        s.contains(&format!("verified {} files", planted.len())),
        "{s}"
    );
    let s = files::verify(&archive, &mpath, &fx.ctx).await.unwrap();
    assert!(
        s.contains(&format!("verified {} files", planted.len())),
        "{s}"
    );
}

#[tokio::test]
async fn one_flipped_byte_in_a_folder_fails_naming_the_file() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    let mpath = manifest_path_for(&archive);

    flip_byte(&src.join("Program Files (x86)/Sage/CRM/eware.dll"), 123_456);
    let err = files::verify(&src, &mpath, &fx.ctx).await.unwrap_err();
    assert!(
        err.0
            .contains("changed: Program Files (x86)/Sage/CRM/eware.dll"),
        "{err}"
    );
    assert!(err.0.starts_with("1 of the 7 files checked in"), "{err}");
    assert!(fx.log_text().contains("checked 7 files"));
}

#[tokio::test]
async fn missing_and_extra_files_fail_naming_them() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fs::remove_file(src.join("top.ini")).unwrap();
    fs::write(src.join("Données/new.txt"), b"x").unwrap();
    let err = files::verify(&src, &manifest_path_for(&archive), &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("missing: top.ini"), "{err}");
    assert!(err.0.contains("extra: Données/new.txt"), "{err}");
}

#[tokio::test]
async fn one_flipped_byte_in_an_archive_fails_naming_the_file() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("a.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    let bytes = fs::read(&archive).unwrap();
    let marker = b"UNIQUE-MARKER-0123456789";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .unwrap();
    flip_byte(&archive, at + 3);

    let mpath = manifest_path_for(&archive);
    let err = files::verify(&archive, &mpath, &fx.ctx).await.unwrap_err();
    let name = "Program Files (x86)/Sage/CRM/CustomPages/sub dir/UNIQUE-MARKER.js";
    assert!(err.0.contains(&format!("changed: {name}")), "{err}");
    // A restore of the damaged archive refuses it before writing anything:
    // it is not the archive its manifest was written with.
    fx.journal();
    let err = files::restore(&archive, &fx.path("out"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(
        err.0
            .contains("is not the one its manifest was written with"),
        "{err}"
    );
    assert!(!fx.path("out").exists());
}

#[tokio::test]
async fn cancelled_before_start_leaves_no_archive() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let archive = fx.path("out/a.tar");
    fx.ctx.cancel.cancel();
    let err = files::archive(&src, &archive, &fx.ctx).await.unwrap_err();
    assert!(err.0.contains("cancelled"), "{err}");
    assert!(!archive.exists());
    assert!(!manifest_path_for(&archive).exists());
}

#[tokio::test]
async fn cancelled_while_writing_leaves_no_archive() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    // A large sparse file: slow enough to be cancelled in the middle.
    let big = fs::File::create(src.join("big.bin")).unwrap();
    big.set_len(4 << 30).unwrap();
    drop(big);
    let archive = fx.path("a.tar");
    let partial = fx.path("a.tar.partial");

    let ctx = fx.ctx.clone();
    let (a2, s2) = (archive.clone(), src.clone());
    let job = tokio::spawn(async move { files::archive(&s2, &a2, &ctx).await });
    let t0 = std::time::Instant::now();
    while !partial.exists() {
        assert!(t0.elapsed().as_secs() < 30, "the archive never started");
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    fx.ctx.cancel.cancel();
    let err = job.await.unwrap().unwrap_err();
    assert!(err.0.contains("cancelled"), "{err}");
    assert!(!archive.exists());
    assert!(!partial.exists());
    assert!(!manifest_path_for(&archive).exists());
}

#[tokio::test]
async fn archive_inside_its_source_is_refused() {
    let fx = Fixture::new();
    let src = fx.path("src");
    make_tree(&src);
    let err = files::archive(&src, &src.join("self.tar"), &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("inside the folder being archived"), "{err}");
}

/// Archive, restore and verify tell their results in the language of the run.
#[test]
fn results_read_in_french() {
    use dress::model::lang::{Lang, scoped};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    scoped(Lang::Fr, || {
        rt.block_on(async {
            let fx = Fixture::new();
            let src = fx.path("src");
            let planted = make_tree(&src);
            let n = planted.len();
            let archive = fx.path("a.tar");
            let s = files::archive(&src, &archive, &fx.ctx).await.unwrap();
            assert!(s.starts_with(&format!("{n} fichiers archivés (")), "{s}");
            assert!(s.contains(" avec le manifeste "), "{s}");
            let mpath = manifest_path_for(&archive);

            let target = fx.path("restored here");
            fx.journal();
            let s = files::restore(&archive, &target, &fx.ctx).await.unwrap();
            assert!(s.starts_with(&format!("{n} fichiers restaurés (")), "{s}");
            assert!(s.ends_with(", tous conformes au manifeste"), "{s}");
            let s = files::verify(&target, &mpath, &fx.ctx).await.unwrap();
            assert!(s.contains(": tout correspond"), "{s}");

            fs::remove_file(target.join("top.ini")).unwrap();
            let err = files::verify(&target, &mpath, &fx.ctx).await.unwrap_err();
            assert!(
                err.0
                    .starts_with(&format!("1 des {} fichiers contrôlés dans ", n - 1)),
                "{err}"
            );
            assert!(err.0.contains(" diffère du manifeste "), "{err}");
            assert!(err.0.contains("manquant : top.ini"), "{err}");
        })
    });
}
