//! files.restore refuses entries that would land outside the target. The
//! malicious archives are crafted with the tar crate's low-level header API.

use crate::common::files as files_common;

use std::fs;
use std::path::Path;

use dress::engine::files;
use files_common::Fixture;
use tar::{Builder, EntryType, Header};

/// One entry with a raw (unchecked) name.
fn raw_entry(b: &mut Builder<fs::File>, name: &[u8], kind: EntryType, link: &[u8], data: &[u8]) {
    let mut h = Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name);
    h.as_old_mut().linkname[..link.len()].copy_from_slice(link);
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    h.set_cksum();
    b.append(&h, data).unwrap();
}

/// An archive with a harmless file first, then the given entries.
fn craft(path: &Path, entries: &[(&[u8], EntryType, &[u8])]) {
    let mut b = Builder::new(fs::File::create(path).unwrap());
    raw_entry(&mut b, b"harmless.txt", EntryType::Regular, b"", b"fine");
    for (name, kind, link) in entries {
        raw_entry(
            &mut b,
            name,
            *kind,
            link,
            if *kind == EntryType::Regular {
                b"evil"
            } else {
                b""
            },
        );
    }
    b.finish().unwrap();
}

async fn assert_refused(
    fx: &Fixture,
    tag: &str,
    entries: &[(&[u8], EntryType, &[u8])],
    shown: &str,
) {
    let archive = fx.path(&format!("{tag}.tar"));
    craft(&archive, entries);
    let target = fx.path(&format!("target-{tag}"));
    let err = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("refused entry"), "{tag}: {err}");
    assert!(err.0.contains(shown), "{tag}: {err}");
    // Checked before anything is written: not even the harmless file.
    assert!(!target.join("harmless.txt").exists(), "{tag}");
    assert!(!fx.path("evil.txt").exists(), "{tag}");
}

#[tokio::test]
async fn escaping_paths_are_refused_and_nothing_is_written() {
    let fx = Fixture::new();
    let abs = fx.path("evil.txt");
    let abs = abs.to_str().unwrap().as_bytes().to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("parent", b"../evil.txt".to_vec()),
        ("nested-parent", b"a/b/../../../evil.txt".to_vec()),
        ("absolute", abs),
        ("drive", b"C:/evil.txt".to_vec()),
        ("drive-relative", b"C:evil.txt".to_vec()),
        ("backslash", b"..\\evil.txt".to_vec()),
        ("unc", b"\\\\server\\share\\evil.txt".to_vec()),
        ("stream", b"harmless.txt:hidden".to_vec()),
    ];
    for (tag, name) in &cases {
        let shown = String::from_utf8_lossy(name).into_owned();
        assert_refused(&fx, tag, &[(name, EntryType::Regular, b"")], &shown).await;
    }
}

#[tokio::test]
async fn links_are_refused() {
    let fx = Fixture::new();
    // A symlink out, then a file written through it.
    let sym: &[(&[u8], EntryType, &[u8])] = &[
        (b"sub", EntryType::Symlink, b"../.."),
        (b"sub/evil.txt", EntryType::Regular, b""),
    ];
    assert_refused(&fx, "symlink", sym, "a link to `../..`").await;
    let abs: &[(&[u8], EntryType, &[u8])] = &[(b"etc", EntryType::Symlink, b"/etc")];
    assert_refused(&fx, "symlink-abs", abs, "a link to `/etc`").await;
    let hard: &[(&[u8], EntryType, &[u8])] = &[(b"h", EntryType::Link, b"../../evil.txt")];
    assert_refused(&fx, "hardlink", hard, "a link to `../../evil.txt`").await;
    let dev: &[(&[u8], EntryType, &[u8])] = &[(b"dev", EntryType::Char, b"")];
    assert_refused(&fx, "device", dev, "`dev`").await;
}

#[tokio::test]
async fn gnu_long_name_escape_is_refused() {
    let fx = Fixture::new();
    let archive = fx.path("long.tar");
    let long = [b"a/".repeat(60), b"../".repeat(62), b"evil.txt".to_vec()].concat();
    let mut b = Builder::new(fs::File::create(&archive).unwrap());
    // The GNU long-name record carries the real path of the next entry.
    raw_entry(
        &mut b,
        b"././@LongLink",
        EntryType::GNULongName,
        b"",
        &[&long[..], b"\0"].concat(),
    );
    raw_entry(&mut b, b"short-name.txt", EntryType::Regular, b"", b"evil");
    b.finish().unwrap();
    let target = fx.path("t");
    let err = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(err.0.contains("climbs out"), "{err}");
    assert!(!target.join("short-name.txt").exists());
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_already_in_the_target_is_not_written_through() {
    let fx = Fixture::new();
    let outside = fx.path("outside");
    fs::create_dir_all(&outside).unwrap();
    let src = fx.path("src");
    fs::create_dir_all(src.join("CustomPages")).unwrap();
    fs::write(src.join("CustomPages/page.asp"), b"data").unwrap();
    let archive = fx.path("ok.tar");
    files::archive(&src, &archive, &fx.ctx).await.unwrap();
    fx.journal();
    let target = fx.path("target");
    fs::create_dir_all(&target).unwrap();
    std::os::unix::fs::symlink(&outside, target.join("CustomPages")).unwrap();
    // The restore is written beside the target and replaces it whole: the
    // link is replaced by the archived folder, never written through.
    files::restore(&archive, &target, &fx.ctx).await.unwrap();
    assert!(!outside.join("page.asp").exists());
    assert!(!target.join("CustomPages").is_symlink());
    assert_eq!(
        fs::read(target.join("CustomPages/page.asp")).unwrap(),
        b"data"
    );
}

#[tokio::test]
async fn a_plain_archive_without_manifest_is_refused() {
    let fx = Fixture::new();
    let archive = fx.path("plain.tar");
    craft(&archive, &[(b"./dir/x.txt", EntryType::Regular, b"")]);
    let target = fx.path("t");
    let e = files::restore(&archive, &target, &fx.ctx)
        .await
        .unwrap_err();
    assert!(e.0.contains("no manifest"), "{e}");
    assert!(e.0.contains("nothing was restored"), "{e}");
    assert!(!target.join("dir/x.txt").exists());
}
