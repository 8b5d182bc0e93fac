//! The data of a step that runs a program with a response file: its
//! answers (secrets named, never held) and what it does with the database.
//! Writing the file, secrets resolved, is the engine's (`engine::response`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::secret::SecretRef;

/// The placeholder in an argument list replaced by the response file path.
pub const PLACEHOLDER: &str = "{response_file}";
/// The variable that holds the response file path for the child.
pub const PATH_VAR: &str = "DRESS_RESPONSE_FILE";

/// A program run with a response file: its argument list may hold
/// [`PLACEHOLDER`]; `database` decides the `create_database` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseExec {
    pub exec: super::ExecSpec,
    pub answers: Vec<Answer>,
    pub database: DatabaseMode,
}

impl ResponseExec {
    /// The program's arguments with the placeholder replaced by `path`.
    pub fn args_with(&self, path: &Path) -> Vec<String> {
        let p = path.to_string_lossy();
        self.exec
            .args
            .iter()
            .map(|a| a.replace(PLACEHOLDER, &p))
            .collect()
    }
}

/// One answer of a response file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub key: String,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum AnswerValue {
    Text {
        text: String,
    },
    /// Resolved when the step runs; `None` when the plan names no source
    /// (the step then fails saying which plan field to add).
    Secret {
        what: String,
        field: String,
        source: Option<SecretRef>,
    },
}

impl Answer {
    pub fn text(key: &str, text: impl Into<String>) -> Self {
        Answer {
            key: key.into(),
            value: AnswerValue::Text { text: text.into() },
        }
    }
    pub fn secret(key: &str, what: &str, field: &str, source: Option<&SecretRef>) -> Self {
        Answer {
            key: key.into(),
            value: AnswerValue::Secret {
                what: what.into(),
                field: field.into(),
                source: source.cloned(),
            },
        }
    }
}

/// What the program does with the database; written by the engine as the
/// `create_database` answer, never taken from the plan's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DatabaseMode {
    /// The first (master) installation creates the database.
    Create,
    /// A secondary web server joins the existing database.
    Existing,
    /// An upgrade of an installation whose database exists: the setup
    /// upgrades it and never creates one.
    Upgrade,
    /// The program does not install anything (the licence tool).
    Untouched,
}

impl DatabaseMode {
    /// The answers the engine writes itself for this mode.
    pub fn answers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            DatabaseMode::Create => &[("create_database", "true")],
            DatabaseMode::Existing => {
                &[("create_database", "false"), ("database_mode", "existing")]
            }
            DatabaseMode::Upgrade => &[("create_database", "false"), ("database_mode", "upgrade")],
            DatabaseMode::Untouched => &[],
        }
    }
}

/// Keys the engine writes itself; an answer may not set them.
pub const RESERVED_KEYS: [&str; 2] = ["create_database", "database_mode"];

/// The lines of the file, secrets shown as `***` (for `plan show` and the
/// step log).
pub fn preview(answers: &[Answer], db: DatabaseMode) -> Vec<String> {
    let mut v: Vec<String> = answers
        .iter()
        .map(|a| match &a.value {
            AnswerValue::Text { text } => format!("{}={text}", a.key),
            AnswerValue::Secret { .. } => format!("{}=***", a.key),
        })
        .collect();
    v.extend(db.answers().iter().map(|(k, val)| format!("{k}={val}")));
    v
}
