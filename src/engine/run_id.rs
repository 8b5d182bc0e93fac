//! Run ids: the name of a run's folder under `runs/`, in the one format
//! `runner::new_run_id` writes (`YYYYMMDD-HHMMSS-ENV-XXXX`). An id is a
//! name, never a path: anything else is refused before a folder is read or
//! written.

use crate::model::EnvKind;

/// `Ok` when `id` has the format of a run id.
pub fn check(id: &str) -> Result<(), String> {
    let bad = || {
        crate::tr_fmt!(
            "'{}' is not a run id: a run id looks like 20260611-093000-test-3f2a (date, time, environment, 4 hex digits); `dress runs` lists them",
            "« {} » n'est pas un identifiant d'exécution : un identifiant ressemble à 20260611-093000-test-3f2a (date, heure, environnement, 4 chiffres hexadécimaux) ; `dress runs` les liste",
            id.escape_debug()
        )
    };
    let parts: Vec<&str> = id.split('-').collect();
    let [date, time, env, salt] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let hex = salt.len() == 4
        && salt
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if digits(date, 8)
        && digits(time, 6)
        && [EnvKind::Test, EnvKind::Production]
            .iter()
            .any(|e| e.as_str() == *env)
        && hex
    {
        Ok(())
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_pass_and_paths_do_not() {
        for env in [EnvKind::Test, EnvKind::Production] {
            let id = crate::engine::runner::new_run_id(env);
            assert_eq!(check(&id), Ok(()), "{id}");
        }
        for bad in [
            "",
            "..",
            "../../x",
            "/tmp",
            "20260101-000000-test-0a0b/..",
            "20260101-000000-test-0a0b/../../x",
            "20260101-000000-staging-0a0b",
            "20260101-000000-test-0A0B",
            "20260101-00000-test-0a0b",
            "20260101-000000-test-0a0b\n",
            "..\\..\\x",
            "C:20260101-000000-test-0a0b",
        ] {
            let e = check(bad).unwrap_err();
            assert!(e.contains("is not a run id"), "{bad}: {e}");
        }
    }
}
