//! Following a run from its files: the journal and the running step's log.
//!
//! This is how a view attaches to an engine that runs in another process
//! (after an SSH session dropped, or with `dress attach`): it reads what the
//! engine writes, and sends commands through the control folder. Polling
//! every 100 ms keeps the view within a second of the engine at no cost
//! when nothing changes.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::{broadcast, mpsc};

use super::command::Command;
use super::ctx::parse_log_line;
use super::event::{Event, StepRef};
use super::journal::{self, JournalError};
use super::link::{EngineLink, step_log_path};
use super::state::RunState;

const POLL: Duration = Duration::from_millis(100);

/// Reads a file from where it stopped last time; yields complete lines.
struct LineTail {
    path: PathBuf,
    offset: u64,
    partial: Vec<u8>,
}

impl LineTail {
    fn new(path: PathBuf, offset: u64) -> Self {
        LineTail {
            path,
            offset,
            partial: Vec::new(),
        }
    }

    fn poll(&mut self, mut each: impl FnMut(&[u8])) {
        let Ok(mut f) = File::open(&self.path) else {
            return;
        };
        let Ok(len) = f.metadata().map(|m| m.len()) else {
            return;
        };
        if len < self.offset {
            // Cut back (a torn record removed on resume): start over there.
            self.offset = len;
            self.partial.clear();
        }
        if len == self.offset || f.seek(SeekFrom::Start(self.offset)).is_err() {
            return;
        }
        let mut buf = Vec::new();
        let Ok(n) = (&mut f).take(len - self.offset).read_to_end(&mut buf) else {
            return;
        };
        self.offset += n as u64;
        self.partial.extend_from_slice(&buf);
        let mut start = 0;
        while let Some(i) = self.partial[start..].iter().position(|b| *b == b'\n') {
            each(&self.partial[start..start + i]);
            start += i + 1;
        }
        self.partial.drain(..start);
    }
}

/// Attach to a run folder: the run state so far, and a link that follows
/// the engine and forwards commands to it. Must be called inside a tokio
/// runtime.
pub fn follow(run_dir: &Path) -> Result<(EngineLink, RunState), JournalError> {
    let loaded = journal::load(run_dir)?;
    let state = RunState::from_events(&loaded.events);
    let running = state.current().map(|s| s.planned.step.clone());
    let link = start(run_dir, loaded.valid_len, running);
    Ok((link, state))
}

/// A link to a run that a background engine is still creating: events
/// flow from its first record once the folder appears, and commands wait
/// for its control folder. The view can draw at once.
pub fn follow_new(run_dir: &Path) -> EngineLink {
    start(run_dir, 0, None)
}

/// Follow the journal from `offset`, and the log of `running` if a step runs.
fn start(run_dir: &Path, offset: u64, running: Option<StepRef>) -> EngineLink {
    let (ev_tx, ev_rx) = broadcast::channel(16_384);
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel::<Command>();

    let dir = run_dir.to_path_buf();
    tokio::spawn(async move {
        while let Some(cmd) = cmd_rx.recv().await {
            // A run still being created takes commands once its control
            // folder exists.
            let t0 = std::time::Instant::now();
            while !super::control::control_dir(&dir).is_dir()
                && t0.elapsed() < Duration::from_secs(30)
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if let Err(e) = super::control::send(&dir, &cmd) {
                tracing::warn!("command not delivered: {e}");
            }
        }
    });

    let dir = run_dir.to_path_buf();
    let mut jtail = LineTail::new(dir.join(journal::JOURNAL_FILE), offset);
    tokio::spawn(async move {
        let mut log: Option<(StepRef, LineTail)> = running.map(|r| {
            (
                r.clone(),
                LineTail::new(step_log_path(&dir, &r.stage, &r.step), 0),
            )
        });
        loop {
            let mut events = Vec::new();
            jtail.poll(|line| {
                if let Some(e) = journal::parse_record(line) {
                    events.push(e);
                }
            });
            for e in events {
                match &e {
                    Event::StepStarted { step, .. } => {
                        // Lines of the step before this one: read what is left.
                        if let Some((r, mut t)) = log.take() {
                            t.poll(|l| send_log(&ev_tx, &r, l));
                        }
                        log = Some((
                            step.clone(),
                            LineTail::new(step_log_path(&dir, &step.stage, &step.step), 0),
                        ));
                    }
                    Event::StepFinished { step, .. } => {
                        if let Some((r, t)) = log.as_mut()
                            && r == step
                        {
                            t.poll(|l| send_log(&ev_tx, r, l));
                        }
                    }
                    _ => {}
                }
                if ev_tx.send(e).is_err() {
                    return;
                }
            }
            if let Some((r, t)) = log.as_mut() {
                t.poll(|l| send_log(&ev_tx, r, l));
            }
            if ev_tx.receiver_count() == 0 {
                return;
            }
            tokio::time::sleep(POLL).await;
        }
    });

    EngineLink {
        events: ev_rx,
        commands: cmd_tx,
        run_dir: run_dir.to_path_buf(),
    }
}

fn send_log(tx: &broadcast::Sender<Event>, step: &StepRef, raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let (stream, line) = parse_log_line(&text);
    let _ = tx.send(Event::Log {
        step: step.clone(),
        stream,
        line: line.to_string(),
    });
}
