//! Secret references and secret values.
//!
//! A plan never holds a secret in clear: it names where the secret comes from
//! (`{ env = "NAME" }` or `{ prompt = true }`). Resolved values live in
//! [`SecretString`], which prints as `***` and is zeroed on drop.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Where a secret comes from. A bare string in the plan is refused by
/// validation (see `model::validate`), so it is kept here only to be reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SecretRef {
    /// Read from an environment variable when the run starts.
    Env { env: String },
    /// Asked from the operator when the run starts.
    Prompt {
        prompt: bool,
        /// Where the plan asks for it (`environments.test.sql.password`):
        /// set by the loader, so that each prompted secret has its own answer.
        #[serde(skip)]
        field: String,
    },
    /// A literal value: always a validation error. Never printed.
    Literal(LiteralSecret),
}

/// A literal secret found in a plan; kept only so validation can refuse it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct LiteralSecret(String);

/// Two references are the same when they name the same source; the field a
/// prompt stands in (set by the loader) does not count.
impl PartialEq for SecretRef {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (SecretRef::Env { env: a }, SecretRef::Env { env: b }) => a == b,
            (SecretRef::Prompt { prompt: a, .. }, SecretRef::Prompt { prompt: b, .. }) => a == b,
            (SecretRef::Literal(a), SecretRef::Literal(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for SecretRef {}

impl std::fmt::Debug for LiteralSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for LiteralSecret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("***")
    }
}

impl std::fmt::Display for SecretRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretRef::Env { env } => write!(f, "{{ env = \"{env}\" }}"),
            SecretRef::Prompt { .. } => f.write_str("{ prompt = true }"),
            SecretRef::Literal(_) => f.write_str("***"),
        }
    }
}

/// Something that turns secret references into values.
pub trait SecretSource: Send + Sync {
    fn resolve(&self, what: &str, r: &SecretRef) -> Result<SecretString, String>;
}

/// Resolves `env` references from the process environment; `prompt` references
/// from values collected beforehand (the TUI or the headless prompt fill them).
#[derive(Default)]
pub struct EnvSecrets {
    pub prompted: std::collections::BTreeMap<String, SecretString>,
}

/// Shortest secret accepted: a shorter value cannot be masked in logs
/// without masking ordinary text too, so it is refused when it is read.
pub const MIN_SECRET_CHARS: usize = 6;

/// Refuse a secret too short to be masked safely.
pub fn check_length(what: &str, r: &SecretRef, v: SecretString) -> Result<SecretString, String> {
    let n = v.expose_secret().chars().count();
    if n < MIN_SECRET_CHARS {
        return Err(crate::tr_fmt!(
            "{what} ({r}): the value has {n} characters; a secret shorter than {MIN_SECRET_CHARS} characters cannot be masked safely in logs — use a longer one",
            "{what} ({r}) : la valeur a {n} caractères ; un secret de moins de {MIN_SECRET_CHARS} caractères ne peut pas être masqué sûrement dans les journaux — utilisez-en un plus long"
        ));
    }
    Ok(v)
}

impl SecretSource for EnvSecrets {
    fn resolve(&self, what: &str, r: &SecretRef) -> Result<SecretString, String> {
        self.resolve_any(what, r)
            .and_then(|v| check_length(what, r, v))
    }
}

impl EnvSecrets {
    fn resolve_any(&self, what: &str, r: &SecretRef) -> Result<SecretString, String> {
        match r {
            SecretRef::Env { env } => match std::env::var(env) {
                Ok(v) if !v.is_empty() => Ok(SecretString::from(v)),
                _ => Err(crate::tr_fmt!(
                    "{what}: the environment variable {env} is not set — set it before the run (it is read once and never written anywhere)",
                    "{what} : la variable d'environnement {env} n'est pas définie — définissez-la avant l'exécution (elle est lue une fois et jamais écrite nulle part)"
                )),
            },
            SecretRef::Prompt { field, .. } => self
                .prompted
                .get(field)
                .or_else(|| self.prompted.get(what))
                .cloned()
                .ok_or_else(|| {
                crate::tr_fmt!(
                    "{what}: this secret is asked at the start of the run and no answer was given",
                    "{what} : ce secret est demandé au début de l'exécution et aucune réponse n'a été donnée"
                )
            }),
            SecretRef::Literal(_) => Err(crate::tr_fmt!(
                "{what}: a secret cannot be written in the plan — use {{ env = \"NAME\" }} or {{ prompt = true }}",
                "{what} : un secret ne peut pas être écrit dans le plan — utilisez {{ env = \"NOM\" }} ou {{ prompt = true }}"
            )),
        }
    }
}

/// Replace every occurrence of the given secrets in `text` by `***`.
/// Used on anything that leaves the engine (errors, logs from children).
pub fn redact(text: &str, secrets: &[&SecretString]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        let v = s.expose_secret();
        // Every secret, whatever its length (short ones are refused when
        // read, see MIN_SECRET_CHARS; this is the second line of defence).
        if !v.is_empty() && out.contains(v) {
            out = out.replace(v, "***");
        }
    }
    out
}
