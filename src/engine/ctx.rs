//! What a step runner gets: where to write its output, how to report
//! progress and measurements, and how it learns that it was cancelled.
//!
//! Runners never touch the journal or the screen: they only call these.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use super::event::{Event, StepRef, Stream};
use crate::model::secret::redact;

/// The failure of a step, as one line a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError(pub String);

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StepError {}

impl From<String> for StepError {
    fn from(s: String) -> Self {
        StepError(s)
    }
}
impl From<&str> for StepError {
    fn from(s: &str) -> Self {
        StepError(s.to_string())
    }
}

/// Result of a runner: a one-line summary on success.
pub type StepResult = Result<String, StepError>;

/// The step log file: every line tagged with its stream (`O|`, `E|`, `I|`),
/// buffered, flushed when the step ends (not synced line by line).
pub struct StepLog {
    out: BufWriter<File>,
    pub lines: u64,
}

impl StepLog {
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let f = super::private_fs::private(std::fs::OpenOptions::new().create(true).append(true))
            .open(path)?;
        super::private_fs::make_private(&f)?;
        Ok(StepLog {
            out: BufWriter::with_capacity(256 * 1024, f),
            lines: 0,
        })
    }

    pub fn write(&mut self, stream: Stream, line: &str) {
        let tag: &[u8] = match stream {
            Stream::Stdout => b"O|",
            Stream::Stderr => b"E|",
            Stream::Info => b"I|",
        };
        // A full disk must not stop the step; the journal reports the run.
        let _ = self.out.write_all(tag);
        let _ = self.out.write_all(line.as_bytes());
        let _ = self.out.write_all(b"\n");
        self.lines += 1;
    }

    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

/// Parse one line of a step log back into its stream and text.
pub fn parse_log_line(line: &str) -> (Stream, &str) {
    match line.split_at_checked(2) {
        Some(("O|", rest)) => (Stream::Stdout, rest),
        Some(("E|", rest)) => (Stream::Stderr, rest),
        Some(("I|", rest)) => (Stream::Info, rest),
        _ => (Stream::Info, line),
    }
}

#[derive(Clone)]
pub struct StepCtx {
    pub step: StepRef,
    pub cancel: CancellationToken,
    /// The run folder: runners may put collected files under it.
    pub run_dir: PathBuf,
    log: Arc<Mutex<StepLog>>,
    events: mpsc::UnboundedSender<Event>,
    live: Option<broadcast::Sender<Event>>,
    secrets: Arc<Vec<SecretString>>,
    /// The variables the plan's secrets come from: never inherited by a
    /// child unless its step names them (see `engine::secret_env`).
    secret_vars: Arc<Vec<String>>,
}

impl StepCtx {
    pub fn new(
        step: StepRef,
        run_dir: PathBuf,
        log: StepLog,
        events: mpsc::UnboundedSender<Event>,
        live: Option<broadcast::Sender<Event>>,
        secrets: Arc<Vec<SecretString>>,
        cancel: CancellationToken,
    ) -> Self {
        StepCtx {
            step,
            cancel,
            run_dir,
            log: Arc::new(Mutex::new(log)),
            events,
            live,
            secrets,
            secret_vars: Arc::new(Vec::new()),
        }
    }

    /// The names of the variables that hold the plan's secrets.
    pub fn with_secret_vars(mut self, vars: Vec<String>) -> Self {
        self.secret_vars = Arc::new(vars);
        self
    }

    /// The variables of this process a child of this step must not inherit
    /// (`pass`: those the step names explicitly).
    pub fn env_to_remove(&self, pass: &[String]) -> Vec<std::ffi::OsString> {
        super::secret_env::to_remove(std::env::vars_os(), &self.secret_vars, &self.secrets, pass)
    }

    /// A context for tests and benchmarks: logs into `log_path`, events into
    /// the returned receiver.
    pub fn for_test(log_path: &Path) -> std::io::Result<(Self, mpsc::UnboundedReceiver<Event>)> {
        let (tx, rx) = mpsc::unbounded_channel();
        let dir = log_path.parent().map(Path::to_path_buf).unwrap_or_default();
        let ctx = StepCtx::new(
            StepRef::new("test", "step"),
            dir,
            StepLog::create(log_path)?,
            tx,
            None,
            Arc::new(Vec::new()),
            CancellationToken::new(),
        );
        Ok((ctx, rx))
    }

    /// Secrets known to this run, to be masked in anything that goes out.
    pub fn with_secrets(mut self, secrets: Vec<SecretString>) -> Self {
        self.secrets = Arc::new(secrets);
        self
    }

    pub fn redact(&self, text: &str) -> String {
        let refs: Vec<&SecretString> = self.secrets.iter().collect();
        redact(text, &refs)
    }

    /// One line of output of the step. Goes to the step log (buffered) and
    /// to live viewers if any; never blocks on a slow viewer.
    pub fn log(&self, stream: Stream, line: &str) {
        let clean;
        let line = if self.secrets.is_empty() {
            line
        } else {
            clean = self.redact(line);
            clean.as_str()
        };
        if let Ok(mut l) = self.log.lock() {
            l.write(stream, line);
        }
        if let Some(live) = &self.live
            && live.receiver_count() > 0
        {
            let _ = live.send(Event::Log {
                step: self.step.clone(),
                stream,
                line: line.to_string(),
            });
        }
    }

    pub fn info(&self, line: &str) {
        self.log(Stream::Info, line)
    }

    pub fn progress(&self, done: u64, total: Option<u64>, unit: &str) {
        let e = Event::Progress {
            step: self.step.clone(),
            done,
            total,
            unit: unit.to_string(),
        };
        if let Some(live) = &self.live
            && live.receiver_count() > 0
        {
            let _ = live.send(e);
        }
    }

    /// What a check measured and against what threshold; journalled.
    pub fn measured(&self, what: impl Into<String>) {
        let what = self.redact(&what.into());
        self.info(&what);
        let _ = self.events.send(Event::Measured {
            step: self.step.clone(),
            what,
        });
    }

    pub fn flush_log(&self) {
        if let Ok(mut l) = self.log.lock() {
            l.flush();
        }
    }

    pub fn log_lines(&self) -> u64 {
        self.log.lock().map(|l| l.lines).unwrap_or(0)
    }
}
