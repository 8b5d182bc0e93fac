//! Production relies on a named backup, checked when production runs
//! (issue "A production gate that means rehearsed", attack 6).
#![cfg(unix)]

use crate::common::{Sandbox, text};
use crate::gate_attacks::{PRODUCTION, prod_version, rehearse};

/// Attack 6: production relies on the backup files, checked now, not on a
/// journal line: a deleted backup folder stops production before it changes
/// anything.
#[test]
fn production_checks_the_backup_it_relies_on() {
    let sb = Sandbox::new();
    let rehearsal = rehearse(&sb);
    std::fs::remove_dir_all(sb.dir.join("sandbox/work/backups")).unwrap();
    let o = sb.run(&[
        "run",
        "sandbox.toml",
        "--stage",
        "production",
        "--env",
        "production",
        "--yes",
        "--confirm",
        "users-off=announced",
    ]);
    let t = text(&o);
    assert_ne!(o.status.code(), Some(0), "{t}");
    assert!(t.contains("backup") && t.contains("missing"), "{t}");
    assert_eq!(prod_version(&sb), "2025.2");
    let _ = rehearsal;
}

/// Attack 6: every backup has its own name; the one the rehearsal restored
/// is still there after production took its own, and the report names the
/// backup production relied on.
#[test]
fn backups_are_generations_named_by_run() {
    let sb = Sandbox::new();
    let rehearsal = rehearse(&sb);
    let o = sb.run(PRODUCTION);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let prod = sb.runs().pop().unwrap();
    let names: Vec<String> = std::fs::read_dir(sb.dir.join("sandbox/work/backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tar"))
        .collect();
    assert!(
        names.iter().any(|n| n.contains(&rehearsal)) && names.iter().any(|n| n.contains(&prod)),
        "{names:?}"
    );
    let md = text(&sb.run(&["report", &prod]));
    assert!(
        md.contains(&rehearsal) && md.contains("pages checked") && md.contains("BLAKE3"),
        "{md}"
    );
}
