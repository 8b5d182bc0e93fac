//! Owning the terminal and the event loop.
//!
//! - The terminal is put in raw mode and the alternate screen with a panic
//!   hook that restores it before the panic message, and restored by a guard
//!   on every way out: normal return, error (`?`), panic unwinding.
//!   Restoring ignores errors: on a terminal that is gone, nothing is
//!   printed (an `eprintln!` to a closed terminal would panic again).
//! - Ctrl-C arrives as a key in raw mode and goes through the quit path (it
//!   asks first when a step runs).
//! - Input is read on its own thread with `crossterm::event::poll` (250 ms)
//!   and `read`. A hung-up terminal makes `poll`/`read` fail or report input
//!   without end: any error, or more than 5000 input events within one
//!   second, ends the interface with [`UiExit::TerminalLost`]. On Unix a
//!   SIGHUP handler (tokio signal on a small thread) does the same; with the
//!   handler installed the process is not killed by the hang-up, so an
//!   engine in the same process keeps running. A failed write to the
//!   terminal (draw error) ends it too. Each of these ends the loop within
//!   a second, without spinning.
//! - Redraws only on change: key-driven changes at most 30 frames/s, log
//!   output at most 5 frames/s (lines are batched between frames), the
//!   elapsed time ticks once a second only while a step runs, nothing at
//!   all while idle.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use crossterm::event::{self as term, Event as TermEvent};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::{DefaultTerminal, Terminal};
use tokio::sync::broadcast::error::RecvError;

use super::app::App;
use super::update::{Msg, update};
use super::{UiExit, UiOptions, render};
use crate::engine::command::Command;
use crate::engine::event::{Actor, Event, now_ms};
use crate::engine::link::EngineLink;
use crate::engine::{RunState, Stage};

pub const FRAME: Duration = Duration::from_millis(33);
pub const LOG_FRAME: Duration = Duration::from_millis(200);
pub const TICK: Duration = Duration::from_secs(1);

/// What the loop receives.
#[derive(Debug)]
pub enum Input {
    Msg(Msg),
    /// The terminal is gone (why, for the log).
    TermGone(String),
}

/// Run the full-screen interface until the user quits or the terminal goes
/// away. Blocks: call it from a plain thread or `spawn_blocking`, not from
/// inside an async task.
pub fn run_tui(
    title: String,
    env: String,
    stages: Vec<Stage>,
    state: RunState,
    link: EngineLink,
    opts: UiOptions,
) -> anyhow::Result<UiExit> {
    let EngineLink {
        events,
        commands,
        run_dir,
    } = link;
    let mut app = App::new(
        title,
        env,
        stages,
        state,
        opts.locked,
        run_dir,
        opts.theme,
        opts.ascii,
        Actor::current(),
    );
    app.production = opts.production;
    let (tx, rx) = channel();
    let stop = Arc::new(AtomicBool::new(false));
    spawn_engine_reader(events, tx.clone());
    let mut terminal = enter()?;
    let _restore = Restore;
    let input = spawn_input_reader(tx.clone(), stop.clone());
    #[cfg(unix)]
    spawn_hangup_watch(tx, stop.clone());
    app.now_ms = now_ms();
    if let Ok(s) = terminal.size() {
        app.size = (s.width, s.height);
    }
    let res = drive(&mut terminal, &mut app, &rx, |c| {
        let _ = commands.send(c);
    });
    stop.store(true, Ordering::Relaxed);
    if !matches!(res, Ok(UiExit::TerminalLost)) {
        // The reader stops within one poll (250 ms); until then it would
        // take keys meant for whatever runs next in this terminal (the
        // worksheet editor, the view again).
        let _ = input.join();
    }
    if matches!(res, Ok(UiExit::TerminalLost)) {
        // Dropping a ratatui Terminal shows the cursor and reports a failure
        // with `eprintln!`, which panics when the terminal is gone.
        std::mem::forget(terminal);
    }
    res
}

/// Raw mode, alternate screen, and a panic hook that puts the terminal back
/// before the panic message is printed.
pub(crate) fn enter() -> anyhow::Result<DefaultTerminal> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()
        .context("cannot put the terminal in raw mode (is this a terminal?)")?;
    let mut out = std::io::stdout();
    if let Err(e) = crossterm::execute!(out, EnterAlternateScreen) {
        restore();
        return Err(e).context("cannot switch to the alternate screen");
    }
    match Terminal::new(CrosstermBackend::new(out)) {
        Ok(t) => Ok(t),
        Err(e) => {
            restore();
            Err(e).context("cannot read the terminal size")
        }
    }
}

/// Leave raw mode and the alternate screen. Errors are ignored: when the
/// terminal is gone there is nothing to restore, and printing about it
/// would fail too.
fn restore() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(std::io::stdout(), LeaveAlternateScreen);
}

pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

fn spawn_engine_reader(mut events: tokio::sync::broadcast::Receiver<Event>, tx: Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let msg = match events.blocking_recv() {
                Ok(e) => Msg::Engine(e),
                Err(RecvError::Lagged(n)) => Msg::Lagged(n),
                Err(RecvError::Closed) => {
                    let _ = tx.send(Input::Msg(Msg::EngineClosed));
                    return;
                }
            };
            if tx.send(Input::Msg(msg)).is_err() {
                return;
            }
        }
    });
}

pub(crate) fn spawn_input_reader(
    tx: Sender<Input>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut window = Instant::now();
        let mut count = 0u32;
        while !stop.load(Ordering::Relaxed) {
            let ev = match term::poll(Duration::from_millis(250)) {
                Ok(false) => continue,
                Ok(true) => term::read(),
                Err(e) => Err(e),
            };
            // Every event counts, the ignored ones too: a terminal that went
            // away can return events without end, and must not keep this
            // thread busy.
            if window.elapsed() > Duration::from_secs(1) {
                window = Instant::now();
                count = 0;
            }
            count += 1;
            if count > 5000 {
                let _ = tx.send(Input::TermGone("terminal input without end".into()));
                return;
            }
            let msg = match ev {
                Ok(TermEvent::Key(k)) => Input::Msg(Msg::Key(k)),
                Ok(TermEvent::Resize(w, h)) => Input::Msg(Msg::Resize(w, h)),
                Ok(_) => continue,
                Err(e) => Input::TermGone(format!("terminal input failed: {e}")),
            };
            let gone = matches!(msg, Input::TermGone(_));
            if tx.send(msg).is_err() || gone {
                return;
            }
        }
    })
}

#[cfg(unix)]
fn spawn_hangup_watch(tx: Sender<Input>, stop: Arc<AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = hup.recv() => {
                        let _ = tx.send(Input::TermGone("hang-up (SIGHUP)".into()));
                        return;
                    }
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                    }
                }
            }
        });
    });
}

/// The event loop over any backend: messages in, coalesced frames out,
/// commands to `send`. Used by [`run_tui`] and by the frame benchmark.
pub fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &Receiver<Input>,
    mut send: impl FnMut(Command),
) -> anyhow::Result<UiExit> {
    let mut dirty = true;
    let mut dirty_log = false;
    let mut force = true;
    let mut last_draw = Instant::now();
    let mut next_tick: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let due = force
            || (dirty && now >= last_draw + FRAME)
            || (dirty_log && now >= last_draw + LOG_FRAME);
        if due {
            if terminal.draw(|f| render(app, f)).is_err() {
                return Ok(UiExit::TerminalLost);
            }
            last_draw = now;
            (dirty, dirty_log, force) = (false, false, false);
        }
        next_tick = match (app.running().is_some(), next_tick) {
            (true, None) => Some(now + TICK),
            (true, t) => t,
            (false, _) => None,
        };
        let deadline = [
            dirty.then_some(last_draw + FRAME),
            dirty_log.then_some(last_draw + LOG_FRAME),
            next_tick,
        ]
        .into_iter()
        .flatten()
        .min();
        let first = match deadline {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(i) => Some(i),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(UiExit::TerminalLost),
            },
            None => match rx.recv() {
                Ok(i) => Some(i),
                Err(_) => return Ok(UiExit::TerminalLost),
            },
        };
        let Some(first) = first else {
            if next_tick.is_some_and(|t| Instant::now() >= t) {
                update(app, Msg::Tick(now_ms()));
                next_tick = Some(Instant::now() + TICK);
                dirty = true;
            }
            continue;
        };
        // Take everything already waiting: log lines are batched per frame.
        let mut pending = Some(first);
        let mut taken = 0;
        while let Some(input) = pending.take() {
            let msg = match input {
                Input::TermGone(_) => return Ok(UiExit::TerminalLost),
                Input::Msg(m) => m,
            };
            let log_only = matches!(msg, Msg::Engine(Event::Log { .. }));
            force |= matches!(msg, Msg::Resize(..));
            app.now_ms = now_ms();
            let out = update(app, msg);
            for c in out.commands {
                send(c);
            }
            if let Some(exit) = out.exit {
                return Ok(exit);
            }
            if out.redraw {
                if log_only {
                    dirty_log = true;
                } else {
                    dirty = true;
                }
            }
            taken += 1;
            if taken < 20_000 {
                pending = rx.try_recv().ok();
            }
        }
    }
}
