//! The link between a view (the TUI) and a running engine: the events it
//! emits and the commands it takes. The same link works for an engine in the
//! same process and for one reached through a control channel.

use std::path::PathBuf;

use tokio::sync::{broadcast, mpsc};

use super::command::Command;
use super::event::Event;

pub struct EngineLink {
    /// Every event, log lines included. A slow view may lag: on
    /// `RecvError::Lagged` it re-reads the journal and the step logs.
    pub events: broadcast::Receiver<Event>,
    pub commands: mpsc::UnboundedSender<Command>,
    /// The run folder: `journal.jsonl`, `logs/<stage>/<step>.log`, `plan.toml`.
    pub run_dir: PathBuf,
}

/// Where the log of a step lives inside a run folder.
pub fn step_log_path(run_dir: &std::path::Path, stage: &str, step: &str) -> PathBuf {
    run_dir.join("logs").join(stage).join(format!("{step}.log"))
}
