//! What changed between the plan a run started with (its copy,
//! `runs/RUN/plan.toml`) and the plan file on disk now. A resumed run keeps
//! the plan it started with: when the operator edited the plan (say, to set
//! `allow_overwrite = true` after a refusal), resuming would fail the same
//! way, so the resume stops and says that a changed plan needs a new run,
//! and what changed.
//!
//! The comparison is on values, not text: comments, blank lines and key
//! order do not count. Values of secret-looking keys are never printed.

use std::path::Path;

use toml::Value;

/// Keys whose values are not shown (a plan holds references to secrets,
/// but a careless edit could put a value there).
const HIDDEN: [&str; 3] = ["password", "licence_key", "key"];

/// Each difference as one line: `path: old → new`, `path: added (value)`,
/// `path: removed (was value)`. Empty when the plans hold the same values.
pub fn plan_changes(started: &str, now: &str) -> Result<Vec<String>, String> {
    let a: Value = toml::from_str(started).map_err(|e| {
        crate::tr_fmt!(
            "the run's copy of the plan cannot be read: {e}",
            "la copie du plan de l'exécution est illisible : {e}"
        )
    })?;
    let b: Value = toml::from_str(now).map_err(|e| {
        crate::tr_fmt!(
            "the plan file cannot be read: {e}",
            "le fichier du plan est illisible : {e}"
        )
    })?;
    let mut out = Vec::new();
    diff("", &a, &b, &mut out);
    Ok(out)
}

fn show(key: &str, v: &Value) -> String {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    if HIDDEN.iter().any(|h| leaf.eq_ignore_ascii_case(h)) {
        return crate::model::lang::tr("(not shown)", "(non affiché)").into();
    }
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}...", s.chars().take(77).collect::<String>())
    } else {
        s
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Table(x), Value::Table(y)) => {
            for (k, va) in x {
                let p = join(path, k);
                match y.get(k) {
                    Some(vb) => diff(&p, va, vb, out),
                    None => out.push(crate::tr_fmt!(
                        "{p}: removed (was {})",
                        "{p} : supprimé (valait {})",
                        show(&p, va)
                    )),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    let p = join(path, k);
                    out.push(crate::tr_fmt!(
                        "{p}: added ({})",
                        "{p} : ajouté ({})",
                        show(&p, vb)
                    ));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(crate::tr_fmt!(
            "{path}: {} → {}",
            "{path} : {} → {}",
            show(path, a),
            show(path, b)
        )),
        _ => {}
    }
}

/// For `dress run --resume`: compare the plan the run started from
/// (`original`, as recorded in its journal) with the run's copy (`copy`).
/// `Ok(None)`: the same plan. `Ok(Some(note))`: the original cannot be read
/// (moved, deleted): the run goes on with its copy, and the note says so.
/// `Err`: the plan changed — the message lists what changed and how to
/// start a new run with it.
pub fn check_resume(original: &Path, copy: &Path, run_id: &str) -> Result<Option<String>, String> {
    let started = std::fs::read_to_string(copy).map_err(|e| {
        crate::tr_fmt!(
            "cannot resume run {run_id}: its copy of the plan {} cannot be read: {}",
            "impossible de reprendre l'exécution {run_id} : sa copie du plan {} est illisible : {}",
            copy.display(),
            crate::model::lang_fmt::io_error(&e)
        )
    })?;
    let now = match std::fs::read_to_string(original) {
        Ok(t) => t,
        Err(e) => {
            return Ok(Some(crate::tr_fmt!(
                "the plan file {} cannot be read ({}): run {run_id} goes on with the plan it started with ({})",
                "le fichier du plan {} est illisible ({}) : l'exécution {run_id} continue avec le plan de son départ ({})",
                original.display(),
                crate::model::lang_fmt::io_error(&e),
                copy.display()
            )));
        }
    };
    let changes = match plan_changes(&started, &now) {
        Ok(c) => c,
        Err(e) => vec![crate::tr_fmt!(
            "the plan file no longer reads as a plan ({e})",
            "le fichier du plan ne se lit plus comme un plan ({e})"
        )],
    };
    if changes.is_empty() {
        return Ok(None);
    }
    Err(crate::tr_fmt!(
        "the plan {} changed since run {run_id} started:\n  {}\nA resumed run keeps the plan it started with \
         ({}), so the change would not be used. To use the changed plan, start a new run: \
         dress run {} --stage ID; to go on with the plan as it was, put the file back as it was and resume again",
        "le plan {} a changé depuis le début de l'exécution {run_id} :\n  {}\nUne exécution reprise garde le plan de \
         son départ ({}), la modification ne serait donc pas prise en compte. Pour utiliser le plan modifié, lancez \
         une nouvelle exécution : dress run {} --stage ID ; pour continuer avec le plan tel qu'il était, remettez le \
         fichier dans son état d'origine et reprenez à nouveau",
        original.display(),
        changes.join("\n  "),
        copy.display(),
        original.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "# a comment\n[deployment]\ninstallation = \"CRMSAGE\"\n\n[environments.test.sql]\n\
        server = \"sql1\"\nallow_overwrite = false\npassword = { env = \"PW\" }\nlist = [1, 2]\n";

    #[test]
    fn same_values_are_no_change() {
        let reordered = "[environments.test.sql]\nallow_overwrite = false\nlist = [1, 2]\n\
            password = { env = \"PW\" }\nserver = \"sql1\"\n[deployment]\ninstallation = \"CRMSAGE\"\n";
        assert_eq!(plan_changes(PLAN, reordered).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn each_change_is_named_with_its_values() {
        let now = PLAN
            .replace(
                "allow_overwrite = false",
                "allow_overwrite = true\ndata_dir = 'D:\\Data'",
            )
            .replace("[1, 2]", "[1, 3]")
            .replace("server = \"sql1\"\n", "")
            .replace("env = \"PW\"", "env = \"OTHER\"");
        let c = plan_changes(PLAN, &now).unwrap();
        assert!(
            c.contains(&"environments.test.sql.allow_overwrite: false → true".to_string()),
            "{c:?}"
        );
        assert!(
            c.contains(&"environments.test.sql.data_dir: added ('D:\\Data')".to_string()),
            "{c:?}"
        );
        assert!(
            c.contains(&"environments.test.sql.server: removed (was \"sql1\")".to_string()),
            "{c:?}"
        );
        assert!(
            c.contains(&"environments.test.sql.list[1]: 2 → 3".to_string()),
            "{c:?}"
        );
        assert!(
            c.contains(&"environments.test.sql.password.env: \"PW\" → \"OTHER\"".to_string()),
            "{c:?}"
        );
        assert_eq!(c.len(), 5, "{c:?}");
    }

    #[test]
    fn secret_values_are_not_shown() {
        let a = "[deployment]\nlicence_key = \"AAAA-1111\"\n";
        let b = "[deployment]\nlicence_key = \"BBBB-2222\"\n";
        let c = plan_changes(a, b).unwrap().join("\n");
        assert!(!c.contains("AAAA") && !c.contains("BBBB"), "{c}");
        assert!(c.contains("licence_key: (not shown) → (not shown)"), "{c}");
    }

    #[test]
    fn resume_refusal_reads_in_french() {
        use crate::model::lang::{Lang, scoped};
        let dir = tempfile::tempdir().unwrap();
        let (orig, copy) = (dir.path().join("plan.toml"), dir.path().join("copy.toml"));
        std::fs::write(&copy, PLAN).unwrap();
        let note = scoped(Lang::Fr, || check_resume(&orig, &copy, "R"))
            .unwrap()
            .unwrap();
        assert!(
            note.contains("continue avec le plan de son départ"),
            "{note}"
        );
        std::fs::write(&orig, PLAN.replace("= false", "= true")).unwrap();
        let e = scoped(Lang::Fr, || check_resume(&orig, &copy, "R")).unwrap_err();
        assert!(
            e.contains("a changé depuis le début de l'exécution R :")
                && e.contains("allow_overwrite : false → true")
                && e.contains("lancez une nouvelle exécution"),
            "{e}"
        );
    }

    #[test]
    fn resume_check_on_files() {
        let dir = tempfile::tempdir().unwrap();
        let (orig, copy) = (dir.path().join("plan.toml"), dir.path().join("copy.toml"));
        std::fs::write(&copy, PLAN).unwrap();
        // Gone: goes on with the copy, and says so.
        let note = check_resume(&orig, &copy, "R").unwrap().unwrap();
        assert!(
            note.contains("goes on with the plan it started with"),
            "{note}"
        );
        std::fs::write(&orig, format!("{PLAN}\n# only a comment more\n")).unwrap();
        assert_eq!(check_resume(&orig, &copy, "R").unwrap(), None);
        std::fs::write(&orig, PLAN.replace("= false", "= true")).unwrap();
        let e = check_resume(&orig, &copy, "R").unwrap_err();
        assert!(
            e.contains("changed since run R started")
                && e.contains("allow_overwrite: false → true")
                && e.contains("start a new run"),
            "{e}"
        );
        // Garbled now: a change, said as such.
        std::fs::write(&orig, "[deployment\n").unwrap();
        assert!(
            check_resume(&orig, &copy, "R")
                .unwrap_err()
                .contains("no longer reads as a plan")
        );
        // The run's copy unreadable: the resume cannot go on.
        std::fs::remove_file(&copy).unwrap();
        assert!(
            check_resume(&orig, &copy, "R")
                .unwrap_err()
                .contains("cannot be read")
        );
    }
}
