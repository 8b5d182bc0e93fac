//! The upgrade lifecycle on the sandbox example, with the real binary:
//! rehearsal, production allowed; a one-byte change of the setup package
//! locks production again; an override is journalled and reported.
#![cfg(unix)]

use crate::common;

use common::{Sandbox, text};

/// A production run with a fresh backup, the users-off step answered.
const PRODUCTION: &[&str] = &[
    "run",
    "sandbox.toml",
    "--stage",
    "backup,production",
    "--env",
    "production",
    "--yes",
    "--confirm",
    "users-off=announced",
];

#[test]
fn rehearsal_opens_production_and_a_changed_package_closes_it() {
    let sb = Sandbox::new();
    // Production is locked before any rehearsal.
    let o = sb.run(PRODUCTION);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("production is locked: no run of this recipe"),
        "{}",
        text(&o)
    );

    // A rehearsal that stops at the sign-off waits (exit 3), then resumes.
    let o = sb.run(&["run", "sandbox.toml", "--stage", "rehearsal", "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let rehearsal = sb.runs().pop().unwrap();
    let o = sb.run(&[
        "run",
        "--resume",
        &rehearsal,
        "--confirm",
        "sign-off=pages checked",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let upgraded =
        std::fs::read_to_string(sb.dir.join("sandbox/work/test/CRM/version.txt")).unwrap();
    assert_eq!(upgraded.trim(), "2026.1");
    let prod = std::fs::read_to_string(sb.dir.join("sandbox/production/CRM/version.txt")).unwrap();
    assert_eq!(
        prod.trim(),
        "2025.2",
        "the rehearsal must not touch production"
    );

    // Production is allowed now, with a fresh backup in the same run.
    let o = sb.run(PRODUCTION);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(&format!("passed the rehearsal of run {rehearsal}")),
        "{}",
        text(&o)
    );

    // One byte more in the setup package: a new recipe, production refused.
    let setup = sb.dir.join("sandbox/setup/crm-setup.sh");
    let mut bytes = std::fs::read(&setup).unwrap();
    bytes.push(b'\n');
    std::fs::write(&setup, bytes).unwrap();
    let o = sb.run(PRODUCTION);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("the recipe changed since the last rehearsal")
            && t.contains("--stage rehearsal"),
        "{t}"
    );

    // The override runs it, and is journalled and reported.
    let with_override = [
        PRODUCTION,
        &["--override-gate", "vendor hotfix, rehearsed by hand"],
    ]
    .concat();
    let o = sb.run(&with_override);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let run = sb.runs().pop().unwrap();
    let journal =
        std::fs::read_to_string(sb.state.join("runs").join(&run).join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("GateOverridden") && journal.contains("vendor hotfix"),
        "{journal}"
    );
    let md = sb.run(&["report", &run]);
    assert!(
        text(&md).contains("production gate overridden") && text(&md).contains("vendor hotfix"),
        "{}",
        text(&md)
    );

    // The rehearsal report estimates the maintenance window; JUnit parses.
    let md = text(&sb.run(&["report", &rehearsal]));
    assert!(
        md.contains("maintenance window") && md.contains("trial-upgrade/setup"),
        "{md}"
    );
    let xml = text(&sb.run(&["report", &rehearsal, "--format", "junit"]));
    let doc = roxmltree::Document::parse(&xml).expect("valid XML");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert!(cases.len() >= 6, "{xml}");
    assert!(
        cases
            .iter()
            .any(|c| c.attribute("name") == Some("sign-off"))
    );
    let failures: usize = doc
        .root_element()
        .attribute("failures")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(failures, 0);
}
