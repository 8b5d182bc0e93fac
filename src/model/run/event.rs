//! Events: the only thing runners produce. The journal stores them, the run
//! state folds them, the TUI and the headless printer show them.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch.
pub type Millis = u64;

pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
    /// Lines the engine itself writes about the step.
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
    Cancelled,
}

/// Who decided something: user and host, for the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: String,
    pub host: String,
}

impl Actor {
    pub fn current() -> Self {
        let user = std::env::var("USERNAME")
            .or_else(|_| std::env::var("USER"))
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| current_uid_name());
        let host = hostname::get()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "unknown".into());
        Actor { user, host }
    }
}

/// The user name from the process's user id, when no variable names it.
fn current_uid_name() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        if let Ok(users) = sysinfo::Users::new_with_refreshed_list()
            && let Some(u) = users.iter().find(|u| **u.id() == uid)
        {
            return u.name().to_string();
        }
        return format!("uid {uid}");
    }
    #[allow(unreachable_code)]
    "unknown".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Retry,
    Skip,
    Abort,
}

/// A reference to one step of one stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StepRef {
    pub stage: String,
    pub step: String,
}

impl StepRef {
    pub fn new(stage: impl Into<String>, step: impl Into<String>) -> Self {
        StepRef {
            stage: stage.into(),
            step: step.into(),
        }
    }
}

impl std::fmt::Display for StepRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.stage, self.step)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// A run begins: which plan, which environment, which steps in what order.
    RunStarted {
        run_id: String,
        env: String,
        plan: String,
        /// Every step of the run, in order, with its title and flags.
        steps: Vec<PlannedStep>,
        /// Recipe fingerprint (recipe + BLAKE3 of the setup package).
        fingerprint: Option<String>,
        /// The language the run's titles were written in; its report is
        /// written in it too. Journals from before it was kept have none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<crate::model::lang::Lang>,
        by: Actor,
        pid: u32,
        at: Millis,
    },
    /// The run was reopened after it stopped without finishing.
    Resumed {
        by: Actor,
        pid: u32,
        at: Millis,
    },
    StepStarted {
        step: StepRef,
        attempt: u32,
        at: Millis,
    },
    /// One line of output. Kept in the step log file, not in the journal.
    Log {
        step: StepRef,
        stream: Stream,
        line: String,
    },
    /// Progress of a long step. Not journalled.
    Progress {
        step: StepRef,
        done: u64,
        total: Option<u64>,
        unit: String,
    },
    /// What a check measured, against what threshold. Journalled.
    Measured {
        step: StepRef,
        what: String,
    },
    /// The step waits for an operator.
    ManualWait {
        step: StepRef,
        prompt: String,
    },
    ManualConfirmed {
        step: StepRef,
        note: String,
        by: Actor,
    },
    StepFinished {
        step: StepRef,
        outcome: Outcome,
        duration_ms: u64,
        /// One line: the result or the reason of the failure.
        message: String,
        at: Millis,
    },
    /// After a failure: retry, skip or abort, and who chose.
    Decision {
        step: StepRef,
        choice: Choice,
        by: Actor,
        at: Millis,
    },
    /// A view asked for these stages to run: a run served for a view
    /// (the interface) reports and judges only the stages asked for. A
    /// headless run, which lists only its chosen stages, has none.
    StagesChosen {
        stages: Vec<String>,
        at: Millis,
    },
    /// The production gate was overridden.
    GateOverridden {
        reason: String,
        by: Actor,
        at: Millis,
    },
    /// Stages run although their predecessors in the checklist had not
    /// passed in this rehearsal (`--out-of-order REASON`).
    OrderOverridden {
        stages: Vec<String>,
        reason: String,
        by: Actor,
        at: Millis,
    },
    RunFinished {
        outcome: RunOutcome,
        at: Millis,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub step: StepRef,
    pub title: String,
    pub required: bool,
    pub changes: bool,
    pub kind: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunOutcome {
    Passed,
    Failed,
    /// Stopped to wait for an operator (headless manual step without answer).
    Waiting,
    Aborted,
    Interrupted,
}

impl Event {
    /// Whether the event is written to `journal.jsonl`. Log lines and progress
    /// are not: logs go to the step log files, progress is transient.
    pub fn is_journalled(&self) -> bool {
        !matches!(self, Event::Log { .. } | Event::Progress { .. })
    }
}
