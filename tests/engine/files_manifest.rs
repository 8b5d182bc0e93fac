//! build_manifest / diff_manifests, the helpers of the multiserver drift check.

use crate::common::files as files_common;

use std::fs;

use dress::engine::files::{Difference, FileEntry, Manifest, build_manifest, diff_manifests};
use files_common::{Fixture, make_tree};

fn entry(path: &str, size: u64, hash: &str) -> FileEntry {
    FileEntry {
        path: path.into(),
        size,
        blake3: hash.into(),
    }
}

#[test]
fn diff_finds_planted_differences() {
    let a = Manifest::from_files(vec![
        entry("same.asp", 3, "aa"),
        entry("only-a/x.js", 1, "bb"),
        entry("CustomPages/changed.asp", 5, "cc"),
        entry("resized.ini", 5, "dd"),
    ]);
    let b = Manifest::from_files(vec![
        entry("CustomPages/changed.asp", 5, "ce"),
        entry("same.asp", 3, "aa"),
        entry("resized.ini", 6, "dd"),
        entry("only-b.txt", 2, "ee"),
    ]);
    let d = diff_manifests(&a, &b);
    assert_eq!(
        d,
        vec![
            Difference::Differs {
                a: entry("CustomPages/changed.asp", 5, "cc"),
                b: entry("CustomPages/changed.asp", 5, "ce"),
            },
            Difference::OnlyInA(entry("only-a/x.js", 1, "bb")),
            Difference::OnlyInB(entry("only-b.txt", 2, "ee")),
            Difference::Differs {
                a: entry("resized.ini", 5, "dd"),
                b: entry("resized.ini", 6, "dd"),
            },
        ]
    );
    assert!(diff_manifests(&a, &a).is_empty());
}

#[test]
fn manifests_of_two_servers_show_the_drift() {
    let fx = Fixture::new();
    let (s1, s2) = (fx.path("server 1"), fx.path("server 2"));
    make_tree(&s1);
    make_tree(&s2);
    assert!(
        diff_manifests(&build_manifest(&s1).unwrap(), &build_manifest(&s2).unwrap()).is_empty()
    );

    fs::write(
        s2.join("Program Files (x86)/Sage/CRM/CustomPages/My Page.asp"),
        b"edited",
    )
    .unwrap();
    fs::write(s1.join("only on one.txt"), b"1").unwrap();
    let d = diff_manifests(&build_manifest(&s1).unwrap(), &build_manifest(&s2).unwrap());
    let paths: Vec<&str> = d.iter().map(Difference::path).collect();
    assert_eq!(
        paths,
        [
            "Program Files (x86)/Sage/CRM/CustomPages/My Page.asp",
            "only on one.txt"
        ]
    );
    assert!(matches!(d[0], Difference::Differs { .. }));
    assert!(matches!(d[1], Difference::OnlyInA(_)));
}

#[test]
fn manifest_is_written_and_read_back() {
    let fx = Fixture::new();
    let root = fx.path("tree");
    make_tree(&root);
    let m = build_manifest(&root).unwrap();
    let p = fx.path("m.json");
    m.write(&p).unwrap();
    assert_eq!(Manifest::read(&p).unwrap(), m);
    assert!(!fx.path("m.json.partial").exists());
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains("\"Program Files (x86)/Sage/CRM/CustomPages/My Page.asp\""));

    fs::write(&p, "{ not json").unwrap();
    let err = Manifest::read(&p).unwrap_err();
    assert!(err.0.contains("is damaged"), "{err}");
}
