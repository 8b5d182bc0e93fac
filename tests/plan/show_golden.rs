//! `dress plan show` goldens: for every valid plan of the repository (the
//! bundled examples and the valid test plans) and each environment, the exact
//! dry-run text is kept in `tests/fixtures/plans/show/NAME.ENV.txt`. A change to the
//! upgrade checklist is then a text diff a person reviews.
//!
//! The checkout folder is written `<repo>` so the files do not depend on where
//! the repository lives; the recipe fingerprint hashes resolved paths and so is
//! written `<fingerprint>`, and the hashes of its parts `<hash>`. The bundled
//! examples also have French goldens (`NAME.ENV.fr.txt`): the same steps,
//! ids and order, in French. To rewrite the files after a reviewed change:
//! `DRESS_BLESS=1 cargo test --test plan show_golden`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn plans() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    for (prefix, dir) in [
        ("example", "examples"),
        ("valid", "tests/fixtures/plans/valid"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("plan folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned());
            v.push((format!("{prefix}-{}", stem.unwrap_or_default()), f));
        }
    }
    v
}

fn normalise(text: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    text.lines()
        .map(|l| {
            let l = l.replace(root, "<repo>");
            for part in ["  part ", "  partie "] {
                if let Some(rest) = l.strip_prefix(part)
                    && rest
                        .get(..16)
                        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                {
                    return format!("{part}<hash>{}", &rest[16..]);
                }
            }
            match l.strip_prefix("recipe fingerprint ") {
                Some(rest) if !rest.starts_with("unavailable") => {
                    return "recipe fingerprint <fingerprint>".to_string();
                }
                _ => {}
            }
            match l.strip_prefix("empreinte de la recette ") {
                Some(rest) if !rest.starts_with("indisponible") => {
                    "empreinte de la recette <fingerprint>".to_string()
                }
                _ => l,
            }
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn show(plan: &Path, env: &str, lang: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_dress"))
        .args(["--lang", lang, "plan", "show", "--env", env])
        .arg(plan)
        .env_remove("DRESS_LANG")
        .env("LANG", "C")
        .output()
        .expect("run dress plan show");
    let mut text = normalise(&String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8_lossy(&o.stderr);
    if !err.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&normalise(&err));
    }
    text.push_str(&format!("--- exit {}\n", o.status.code().unwrap_or(-1)));
    text
}

#[test]
fn plan_show_matches_its_golden_for_every_valid_plan() {
    let bless = std::env::var_os("DRESS_BLESS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plans/show");
    let all = plans();
    assert!(all.len() >= 8, "expected the examples and the valid plans");
    let mut failures = Vec::new();
    let mut expected_files = Vec::new();
    for (name, plan) in &all {
        let langs: &[&str] = if name.starts_with("example-") {
            &["en", "fr"]
        } else {
            &["en"]
        };
        for (env, lang) in ["test", "production"]
            .iter()
            .flat_map(|e| langs.iter().map(move |l| (*e, *l)))
        {
            let got = show(plan, env, lang);
            let file = match lang {
                "en" => dir.join(format!("{name}.{env}.txt")),
                _ => dir.join(format!("{name}.{env}.{lang}.txt")),
            };
            expected_files.push(file.clone());
            if bless {
                std::fs::write(&file, &got).expect("write golden");
                continue;
            }
            let want = std::fs::read_to_string(&file).unwrap_or_default();
            if want != got {
                failures.push(format!(
                    "{}:\n--- expected\n{want}--- got\n{got}",
                    file.display()
                ));
            }
        }
    }
    for e in std::fs::read_dir(&dir).expect("golden folder").flatten() {
        let p = e.path();
        if !expected_files.contains(&p) {
            failures.push(format!("{}: no plan has this golden", p.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
