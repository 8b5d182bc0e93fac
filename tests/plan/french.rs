//! `dress plan validate` in French: every invalid plan gives the same places
//! and fields as in English, with French words in place of the English ones;
//! a plan's `[deployment] language` chooses French without a flag, and
//! `--lang en` still wins over it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn invalid_plans() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir("tests/fixtures/plans/invalid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// The real binary on `plan`, with the system locale `locale` and no
/// `DRESS_LANG`; its diagnostics, one a line.
fn validate(state: &Path, locale: &str, flags: &[&str], plan: &Path) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_dress"))
        .env("DRESS_STATE_DIR", state)
        .env_remove("DRESS_LANG")
        .env_remove("LANGUAGE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("NO_COLOR")
        .env("LANG", locale)
        .args(flags)
        .args(["plan", "validate"])
        .arg(plan)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{} must be refused",
        plan.display()
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// `FILE:LINE:COL: field: what — fix` as (place, field, message).
fn parts(line: &str) -> (String, String, String) {
    let mut it = line.splitn(3, ": ");
    let place = it.next().unwrap_or_default().to_string();
    let field = it.next().unwrap_or_default().to_string();
    let message = it.next().unwrap_or_default().to_string();
    (place, field, message)
}

/// The message without what the plan itself wrote: « quoted values » and
/// `identifiers` are left out of the search for English words.
fn own_words(message: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut tick = false;
    for c in message.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            '`' => tick = !tick,
            _ if depth == 0 && !tick => out.push(c),
            _ => {}
        }
    }
    format!(" {out} ")
}

/// Words of our English messages that French never uses.
const ENGLISH: [&str; 24] = [
    " the ",
    " is ",
    " are ",
    " not ",
    " write ",
    " use ",
    " add ",
    " missing ",
    " unknown ",
    " expected ",
    "wrong type",
    " must ",
    " with ",
    " has ",
    " of ",
    " and ",
    " to ",
    " an ",
    " cannot ",
    " check ",
    " already ",
    " empty ",
    " folder ",
    " needs ",
];

#[test]
fn every_invalid_plan_speaks_french_at_the_same_places() {
    let state = tempfile::tempdir().unwrap();
    let plans = invalid_plans();
    assert!(plans.len() >= 15);
    let mut problems = Vec::new();
    for plan in plans {
        let en = validate(state.path(), "C.UTF-8", &[], &plan);
        let fr = validate(state.path(), "fr_FR.UTF-8", &[], &plan);
        assert!(!en.is_empty(), "{}: no diagnostic", plan.display());
        if en.len() != fr.len() {
            problems.push(format!(
                "{}: {} lines in English, {} in French",
                plan.display(),
                en.len(),
                fr.len()
            ));
            continue;
        }
        for (e, f) in en.iter().zip(&fr) {
            let (ep, ef, em) = parts(e);
            let (fp, ff, fm) = parts(f);
            if (ep.as_str(), ef.as_str()) != (fp.as_str(), ff.as_str()) {
                problems.push(format!("place or field differ:\n  {e}\n  {f}"));
            }
            assert!(em.contains(" — "), "no fix in {e}");
            if em == fm {
                problems.push(format!("the same message in both languages:\n  {f}"));
            }
            let words = own_words(&fm).to_lowercase();
            for w in ENGLISH {
                if words.contains(w) {
                    problems.push(format!("English word {w:?} in:\n  {f}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A copy of a broken fixture that names its language in `[deployment]`.
fn with_language(dir: &Path, fixture: &str, lang: &str) -> PathBuf {
    let text = fs::read_to_string(fixture).unwrap();
    let text = text.replacen(
        "[deployment]\n",
        &format!("[deployment]\nlanguage = \"{lang}\"\n"),
        1,
    );
    assert!(text.contains("language ="), "{fixture} has no [deployment]");
    let path = dir.join("plan.toml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_plans_language_is_spoken_without_a_flag_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    // Misspelt keys and wrong types: the plan does not load, its language
    // is still read.
    let plan = with_language(
        dir.path(),
        "tests/fixtures/plans/invalid/many-errors.toml",
        "fr",
    );
    let fr = validate(&state, "C.UTF-8", &[], &plan).join("\n");
    assert!(fr.contains("champ inconnu « installaton »"), "{fr}");
    assert!(fr.contains("type incorrect"), "{fr}");
    assert!(!fr.contains("unknown field"), "{fr}");
    let en = validate(&state, "fr_FR.UTF-8", &["--lang", "en"], &plan).join("\n");
    assert!(en.contains("unknown field `installaton`"), "{en}");
    assert!(!en.contains("champ inconnu"), "{en}");
    // A rule broken after a plan that loads: the same.
    let plan = with_language(dir.path(), "tests/fixtures/plans/invalid/paths.toml", "fr");
    let fr = validate(&state, "C.UTF-8", &[], &plan).join("\n");
    assert!(fr.contains("le dossier de sauvegarde est vide"), "{fr}");
    let en = validate(&state, "C.UTF-8", &["--lang", "en"], &plan).join("\n");
    assert!(en.contains("the backup folder is empty"), "{en}");
}
