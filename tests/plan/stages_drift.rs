//! CustomPages drift between a master and two secondaries, on real folders
//! with planted differences (a changed file, a missing file, an extra file,
//! a changed parameter file); after the sync, no drift is left.

use std::fs;
use std::path::Path;

use dress::engine::StepCtx;
use dress::engine::drift::{check, drift, sync};
use dress::engine::files::Difference;
use dress::model::step::DriftSpec;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn install(root: &Path) {
    write(root, "WWWRoot/CustomPages/home.asp", "<% home %>");
    write(root, "WWWRoot/CustomPages/orders/list.asp", "<% list %>");
    write(
        root,
        "WWWRoot/eware.ini",
        "[eware]\nDefaultTheme=Ergonomic\n",
    );
    write(root, "WWWRoot/other.txt", "not compared");
}

fn spec(master: &Path, secondary: &Path, server: &str) -> DriftSpec {
    DriftSpec {
        master: master.to_path_buf(),
        secondary: secondary.to_path_buf(),
        server: server.into(),
        paths: vec!["WWWRoot/CustomPages".into(), "WWWRoot/eware.ini".into()],
    }
}

fn summary(d: &[Difference]) -> Vec<String> {
    d.iter()
        .map(|x| match x {
            Difference::OnlyInA(f) => format!("missing {}", f.path),
            Difference::OnlyInB(f) => format!("extra {}", f.path),
            Difference::Differs { a, .. } => format!("changed {}", a.path),
        })
        .collect()
}

#[tokio::test]
async fn drift_is_found_then_synced_away() {
    let tmp = tempfile::tempdir().unwrap();
    let (m, w2, w3) = (
        tmp.path().join("web1"),
        tmp.path().join("web2"),
        tmp.path().join("web3"),
    );
    for r in [&m, &w2, &w3] {
        install(r);
    }
    // WEB2: a changed page, a missing page, an extra page.
    write(&w2, "WWWRoot/CustomPages/home.asp", "<% old home %>");
    fs::remove_file(w2.join("WWWRoot/CustomPages/orders/list.asp")).unwrap();
    write(&w2, "WWWRoot/CustomPages/debug.asp", "<% debug %>");
    // WEB3: a changed parameter file only; a difference outside the list.
    write(&w3, "WWWRoot/eware.ini", "[eware]\nDefaultTheme=Classic\n");
    write(&w3, "WWWRoot/other.txt", "differs but is not compared");

    let s2 = spec(&m, &w2, "WEB2");
    let s3 = spec(&m, &w3, "WEB3");
    assert_eq!(
        summary(&drift(&s2).unwrap()),
        vec![
            "extra WWWRoot/CustomPages/debug.asp",
            "changed WWWRoot/CustomPages/home.asp",
            "missing WWWRoot/CustomPages/orders/list.asp",
        ]
    );
    assert_eq!(
        summary(&drift(&s3).unwrap()),
        vec!["changed WWWRoot/eware.ini"]
    );

    // The drift step reports in its log and its measurement.
    let log = tmp.path().join("drift.log");
    let (ctx, mut events) = StepCtx::for_test(&log).unwrap();
    let r = check(&s2, &ctx).await.unwrap();
    assert!(
        r.contains("3 difference(s)") && r.contains("1 changed, 1 missing, 1 only on WEB2"),
        "{r}"
    );
    ctx.flush_log();
    let text = fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("changed on WEB2: WWWRoot/CustomPages/home.asp"),
        "{text}"
    );
    assert!(text.contains("missing on WEB2: WWWRoot/CustomPages/orders/list.asp"));
    assert!(text.contains("only on WEB2: WWWRoot/CustomPages/debug.asp"));
    let mut measured = Vec::new();
    while let Ok(e) = events.try_recv() {
        measured.push(format!("{e:?}"));
    }
    assert!(
        measured
            .iter()
            .any(|e| e.contains("Measured") && e.contains("3 difference(s)"))
    );

    // Sync both secondaries: no drift is left, the master is untouched.
    for s in [&s2, &s3] {
        let (ctx, _rx) = StepCtx::for_test(&tmp.path().join("sync.log")).unwrap();
        let r = sync(s, &ctx).await.unwrap();
        assert!(r.contains("has the master's"), "{r}");
        assert!(drift(s).unwrap().is_empty());
    }
    assert!(!w2.join("WWWRoot/CustomPages/debug.asp").exists());
    assert_eq!(
        fs::read_to_string(w2.join("WWWRoot/CustomPages/orders/list.asp")).unwrap(),
        "<% list %>"
    );
    assert_eq!(
        fs::read_to_string(w3.join("WWWRoot/eware.ini")).unwrap(),
        "[eware]\nDefaultTheme=Ergonomic\n"
    );
    assert_eq!(
        fs::read_to_string(w3.join("WWWRoot/other.txt")).unwrap(),
        "differs but is not compared"
    );
    assert!(!m.join("WWWRoot/CustomPages/debug.asp").exists());
}

#[tokio::test]
async fn a_path_only_on_the_secondary_is_not_deleted_silently() {
    let tmp = tempfile::tempdir().unwrap();
    let (m, w2) = (tmp.path().join("web1"), tmp.path().join("web2"));
    install(&m);
    install(&w2);
    write(&w2, "WWWRoot/js/custom/extra.js", "x");
    let mut s = spec(&m, &w2, "WEB2");
    s.paths.push("WWWRoot/js/custom".into());
    let d = drift(&s).unwrap();
    assert_eq!(summary(&d), vec!["extra WWWRoot/js/custom/extra.js"]);
    let (ctx, _rx) = StepCtx::for_test(&tmp.path().join("sync.log")).unwrap();
    let e = sync(&s, &ctx).await.unwrap_err();
    assert!(e.0.contains("not on the master"), "{e}");
    assert!(w2.join("WWWRoot/js/custom/extra.js").exists());
}
