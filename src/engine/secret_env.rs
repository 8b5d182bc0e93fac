//! Which environment variables hold the plan's secrets, so that no child
//! process inherits them.
//!
//! A secret given as `{ env = "NAME" }` sits in dress's own environment, and
//! every child would inherit it. A child gets a secret only when:
//! - it is the vendor program that needs it: through its response file
//!   (`engine::response`), never through the environment;
//! - it is a recipe step that names it explicitly (`secrets = ["NAME"]`).
//!
//! Every other child starts without those variables, and without any
//! variable whose value is one of the run's secrets (a copy under another
//! name).

use std::ffi::OsString;

use secrecy::{ExposeSecret, SecretString};

pub use crate::model::validate::{secret_refs, secret_vars};

/// The variables of `parent` a child must not inherit: the secret variables
/// and any variable holding a secret value, except those the step names in
/// `pass`.
pub fn to_remove(
    parent: impl Iterator<Item = (OsString, OsString)>,
    secret_vars: &[String],
    secrets: &[SecretString],
    pass: &[String],
) -> Vec<OsString> {
    parent
        .filter(|(k, v)| {
            let name = k.to_string_lossy();
            if pass.iter().any(|p| same_name(p, &name)) {
                return false;
            }
            let named = secret_vars.iter().any(|s| same_name(s, &name));
            let holds = {
                let v = v.to_string_lossy();
                secrets
                    .iter()
                    .any(|s| !s.expose_secret().is_empty() && v.contains(s.expose_secret()))
            };
            named || holds
        })
        .map(|(k, _)| k)
        .collect()
}

/// Variable names compare without case on Windows.
fn same_name(a: &str, b: &str) -> bool {
    if cfg!(windows) {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(v: &[(&str, &str)]) -> impl Iterator<Item = (OsString, OsString)> {
        v.iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v)))
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn named_and_copied_secrets_are_removed_unless_passed() {
        let parent = [
            ("PATH", "/usr/bin"),
            ("PW", "Canary-771"),
            ("COPY", "x=Canary-771"),
            ("KEY", "k"),
        ];
        let s = vec![SecretString::from("Canary-771")];
        let gone = to_remove(vars(&parent), &["KEY".into(), "PW".into()], &s, &[]);
        assert_eq!(gone, vec!["PW", "COPY", "KEY"]);
        let gone = to_remove(
            vars(&parent),
            &["KEY".into(), "PW".into()],
            &s,
            &["PW".into()],
        );
        assert_eq!(gone, vec!["COPY", "KEY"]);
    }
}
