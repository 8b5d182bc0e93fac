//! The fingerprint covers what runs and who it runs for, and nothing that
//! differs between the test and the production run of one deployment.

use super::*;

const PLAN: &str = r#"
[deployment]
company = "Bijou SARL"
installation = "CRMBIJOU"

[environments.production]
install_dir = "prod/CRM"
backup_dir = "prod/backups"

[environments.test]
install_dir = "test/CRM"
backup_dir = "test/backups"

[recipe.setup]
package = "setup/package.bin"
program = "setup/wrapper.sh"

[[recipe.steps]]
id = "post"
after = "production/setup"
kind = "exec"
program = "tools/post.sh"
args = ["tools/post.sql", "prod/CRM/version.txt"]
cwd = "."
"#;

struct Dir {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    for (f, body) in [
        ("setup/package.bin", "package v1"),
        ("setup/wrapper.sh", "#!/bin/sh\nexec package\n"),
        ("tools/post.sh", "#!/bin/sh\n"),
        ("tools/post.sql", "UPDATE x SET y = 1"),
        ("prod/CRM/version.txt", "2025.2"),
    ] {
        let p = root.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    Dir { _tmp: tmp, root }
}

fn fp(d: &Dir, text: &str) -> Fingerprint {
    let plan = crate::model::runplan::parse_for_run("p.toml", text, &d.root).unwrap();
    fingerprint_parts(&plan).unwrap().unwrap()
}

#[test]
fn every_file_that_runs_is_a_part() {
    let d = dir();
    let f = fp(&d, PLAN);
    let whats: Vec<&str> = f.parts.iter().map(|p| p.what.as_str()).collect();
    for w in [
        "recipe",
        "deployment",
        "production",
        "setup package",
        "setup program",
        "step post program",
        "step post file",
    ] {
        assert!(whats.iter().any(|x| x.starts_with(w)), "{w} in {whats:?}");
    }
    // A file inside an environment's folder is data, not a part.
    assert!(
        !whats.iter().any(|x| x.contains("version.txt")),
        "{whats:?}"
    );
}

#[test]
fn a_changed_program_script_or_package_changes_it() {
    for f in [
        "setup/package.bin",
        "setup/wrapper.sh",
        "tools/post.sh",
        "tools/post.sql",
    ] {
        let d = dir();
        let before = fp(&d, PLAN).value;
        let p = d.root.join(f);
        let mut b = std::fs::read(&p).unwrap();
        b.push(b'\n');
        std::fs::write(&p, b).unwrap();
        assert_ne!(fp(&d, PLAN).value, before, "{f}");
    }
    // Data in an environment folder does not.
    let d = dir();
    let before = fp(&d, PLAN).value;
    std::fs::write(d.root.join("prod/CRM/version.txt"), "2026.1").unwrap();
    assert_eq!(fp(&d, PLAN).value, before);
}

#[test]
fn two_deployments_never_share_it_and_the_test_environment_is_not_in_it() {
    let d = dir();
    let base = fp(&d, PLAN).value;
    for other in [
        PLAN.replace("installation = \"CRMBIJOU\"", "installation = \"CRMOTHER\""),
        PLAN.replace("install_dir = \"prod/CRM\"", "install_dir = \"other/CRM\""),
        PLAN.replace("company = \"Bijou SARL\"", "company = \"Autre SARL\""),
    ] {
        assert_ne!(fp(&d, &other).value, base, "{other}");
    }
    let moved_test = PLAN.replace("install_dir = \"test/CRM\"", "install_dir = \"test2/CRM\"");
    assert_eq!(fp(&d, &moved_test).value, base);
}

#[test]
fn a_missing_program_is_a_part_too() {
    let d = dir();
    let before = fp(&d, PLAN).value;
    std::fs::remove_file(d.root.join("setup/wrapper.sh")).unwrap();
    let f = fp(&d, PLAN);
    assert_ne!(f.value, before);
    assert!(
        f.parts.iter().any(|p| p.hash.starts_with("unreadable")),
        "{:?}",
        f.parts
    );
}
