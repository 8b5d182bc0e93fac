//! The full-screen interface on a simulated engine, to try it by hand and
//! to drive it through a pseudo-terminal in tests.
//!
//! `cargo run --example tui_demo -- [--ascii] [--theme NAME|PATH] [--lines N] [--step-ms MS] [--exit-file F]`
//!
//! Steps print N log lines (default 40) over about a second; the database
//! backup fails on its first attempt; the manual step waits for a confirm.
//! On exit it prints how the interface ended (and writes it to F).

use std::io::Write;
use std::time::Duration;

use dress::engine::RunState;
use dress::engine::command::Command;
use dress::engine::ctx::StepLog;
use dress::engine::event::{Actor, Choice, Event, Outcome, RunOutcome, StepRef, Stream, now_ms};
use dress::engine::link::{EngineLink, step_log_path};
use dress::model::step::{Action, Stage, Step};
use dress::ui::{UiOptions, run_tui};
use tokio::sync::{broadcast, mpsc};

// The screen fixture of the tests, by path (the library has it only with
// its `fixture` feature).
#[allow(dead_code)]
#[path = "../src/ui/fixture.rs"]
mod fixture;

struct Sim {
    tx: broadcast::Sender<Event>,
    rx: mpsc::UnboundedReceiver<Command>,
    run_dir: std::path::PathBuf,
    lines: usize,
    /// How long each step writes its lines.
    step_ms: u64,
    failed_once: bool,
}

enum End {
    Done,
    Stop,
}

impl Sim {
    fn emit(&self, e: Event) {
        let _ = self.tx.send(e);
    }

    async fn run_step(&mut self, stage: &str, step: &Step) -> End {
        let r = StepRef::new(stage, &step.id);
        let path = step_log_path(&self.run_dir, stage, &step.id);
        if let Some(p) = path.parent() {
            let _ = std::fs::create_dir_all(p);
        }
        let Ok(mut log) = StepLog::create(&path) else {
            return End::Stop;
        };
        let mut attempt = 1;
        loop {
            let t0 = now_ms();
            self.emit(Event::StepStarted {
                step: r.clone(),
                attempt,
                at: t0,
            });
            if let Action::Manual { prompt } = &step.action {
                self.emit(Event::ManualWait {
                    step: r.clone(),
                    prompt: prompt.clone(),
                });
                loop {
                    match self.rx.recv().await {
                        Some(Command::Confirm { note, by, .. }) => {
                            self.emit(Event::ManualConfirmed {
                                step: r.clone(),
                                note,
                                by,
                            });
                            break;
                        }
                        Some(Command::Cancel) | None => {
                            return self.finish(&r, Outcome::Cancelled, t0, "cancelled");
                        }
                        Some(_) => {}
                    }
                }
                return self.finish(&r, Outcome::Passed, t0, "confirmed");
            }
            let pause = Duration::from_millis(self.step_ms / self.lines.max(1) as u64);
            for i in 0..self.lines {
                tokio::select! {
                    c = self.rx.recv() => if matches!(c, Some(Command::Cancel) | None) {
                        log.flush();
                        return self.finish(&r, Outcome::Cancelled, t0, "cancelled by the operator");
                    },
                    _ = tokio::time::sleep(pause) => {
                        let (stream, line) = if i % 9 == 4 {
                            (Stream::Stderr, format!("warning {i}: slow disk"))
                        } else {
                            (Stream::Stdout, format!("{} line {i}", step.id))
                        };
                        log.write(stream, &line);
                        self.emit(Event::Log { step: r.clone(), stream, line });
                    }
                }
            }
            log.flush();
            if step.id == "database" && !self.failed_once {
                self.failed_once = true;
                self.finish(
                    &r,
                    Outcome::Failed,
                    t0,
                    "operating system error 112 (not enough space)",
                );
                let choice = loop {
                    match self.rx.recv().await {
                        Some(Command::Decide { choice, .. }) => break choice,
                        None => return End::Stop,
                        Some(_) => {}
                    }
                };
                self.emit(Event::Decision {
                    step: r.clone(),
                    choice,
                    by: Actor::current(),
                    at: now_ms(),
                });
                match choice {
                    Choice::Retry => {
                        attempt += 1;
                        continue;
                    }
                    Choice::Skip => return End::Done,
                    Choice::Abort => {
                        self.emit(Event::RunFinished {
                            outcome: RunOutcome::Aborted,
                            at: now_ms(),
                        });
                        return End::Stop;
                    }
                }
            }
            return self.finish(&r, Outcome::Passed, t0, "ok");
        }
    }

    fn finish(&self, r: &StepRef, outcome: Outcome, t0: u64, msg: &str) -> End {
        self.emit(Event::StepFinished {
            step: r.clone(),
            outcome,
            duration_ms: now_ms().saturating_sub(t0),
            message: msg.into(),
            at: now_ms(),
        });
        match outcome {
            Outcome::Cancelled => End::Stop,
            _ => End::Done,
        }
    }

    async fn serve(mut self, stages: Vec<Stage>) {
        while let Some(cmd) = self.rx.recv().await {
            let steps: Vec<(String, Step)> = match cmd {
                Command::RunStage { stage, .. } => stages
                    .iter()
                    .filter(|s| s.id == stage)
                    .flat_map(|s| s.steps.iter().map(|p| (s.id.clone(), p.clone())))
                    .collect(),
                Command::RunStep { step, .. } => stages
                    .iter()
                    .filter(|s| s.id == step.stage)
                    .flat_map(|s| {
                        s.steps
                            .iter()
                            .filter(|p| p.id == step.step)
                            .map(|p| (s.id.clone(), p.clone()))
                    })
                    .collect(),
                _ => continue,
            };
            for (stage, step) in steps {
                if let End::Stop = self.run_step(&stage, &step).await {
                    break;
                }
            }
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let lines = flag("--lines").and_then(|v| v.parse().ok()).unwrap_or(40);
    let step_ms = flag("--step-ms")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut opts = UiOptions::from_cli(
        flag("--theme").as_deref(),
        args.iter().any(|a| a == "--ascii"),
    )?;
    opts.locked.insert("production".into());
    let dir = tempfile::tempdir()?;
    let rt = tokio::runtime::Runtime::new()?;
    let (tx, events) = broadcast::channel(8192);
    let (commands, rx) = mpsc::unbounded_channel();
    let stages = fixture::stages();
    let mut start = fixture::run_started(&stages);
    if let Event::RunStarted { at, .. } = &mut start {
        *at = now_ms();
    }
    let state = RunState::from_events([&start]);
    let sim = Sim {
        tx,
        rx,
        run_dir: dir.path().to_path_buf(),
        lines,
        step_ms,
        failed_once: false,
    };
    rt.spawn(sim.serve(stages.clone()));
    let link = EngineLink {
        events,
        commands,
        run_dir: dir.path().to_path_buf(),
    };
    // The runtime's worker threads run the simulated engine; the interface
    // blocks this (non-async) thread.
    let exit = run_tui(
        "CRMSAGE upgrade (demo)".into(),
        "test".into(),
        stages,
        state,
        link,
        opts,
    )?;
    drop(rt);
    if let Some(f) = flag("--exit-file") {
        std::fs::write(f, format!("{exit:?}\n"))?;
    }
    // The terminal may be gone: a failed print must not panic.
    let _ = writeln!(std::io::stdout(), "ui exit: {exit:?}");
    Ok(())
}
