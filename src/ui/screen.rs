//! The one loop of every full-screen app: the run view, the plan wizard and
//! the worksheet editor are each a [`Screen`], and [`run`] owns the terminal
//! for them.
//!
//! - [`run`] enters the terminal (raw mode, alternate screen, panic hook;
//!   restored on every way out, see [`super::terminal`]), starts the input
//!   thread and the hang-up watch, and drives the screen until it exits or
//!   the terminal is lost. A lost terminal ends every screen the same way:
//!   [`End::Lost`], within a second, without spinning.
//! - [`drive`] is the loop itself, over any backend and any channel of
//!   [`Input`]: keys and resizes from the terminal, the screen's own events
//!   (engine events, a finished connection check) from whoever holds a
//!   sender, and `Gone` when the terminal went away. [`run_on`] adds the
//!   input thread over any [`TermInput`], the seam the tests use to lose
//!   a terminal on purpose.
//! - Redraws only on change: a screen says [`Flow::Redraw`] (at most 30
//!   frames/s) or [`Flow::RedrawSlow`] (log output, at most 5 frames/s);
//!   waiting input is taken in one batch before the next frame; a resize
//!   draws at once; a ticking screen (the run view while a step runs) is
//!   woken on its period; nothing at all happens while idle.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::backend::Backend;
use ratatui::{Frame, Terminal};

use super::terminal::{self, TermInput};

/// The shortest time between two frames after a key.
pub const FRAME: Duration = Duration::from_millis(33);
/// The shortest time between two frames for log output.
pub const LOG_FRAME: Duration = Duration::from_millis(200);

/// What the loop receives.
#[derive(Debug)]
pub enum Input<E> {
    Key(KeyEvent),
    Resize(u16, u16),
    /// The screen's own events, sent by whoever holds a sender of the
    /// loop's channel (the engine's events, a finished check).
    Event(E),
    /// The terminal is gone (why, for the log). Ends the loop; never
    /// reaches a screen.
    Gone(String),
}

/// What a screen asks of the loop after an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow<T> {
    /// Nothing changed on screen.
    Same,
    /// Draw again (at most 30 frames a second).
    Redraw,
    /// Draw again, at most 5 frames a second (log lines come in bursts).
    RedrawSlow,
    /// The screen is done.
    Exit(T),
}

/// How a screen's loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End<T> {
    /// The screen exited.
    Exit(T),
    /// The terminal went away (hang-up, closed SSH session, unreadable
    /// input, failed write); why, for the log.
    Lost(String),
}

/// A full-screen app the loop drives: it draws itself from its state, and
/// changes its state from input.
pub trait Screen {
    /// The screen's own events, besides keys and resizes.
    type Event: Send + 'static;
    /// What the screen ends with.
    type Exit;

    /// Draw the whole screen. Reads the state, never changes it.
    fn draw(&self, f: &mut Frame);

    /// One input (never `Input::Gone`, which the loop handles).
    fn on_input(&mut self, input: Input<Self::Event>) -> Flow<Self::Exit>;

    /// Called once with the size of the terminal, before the first frame.
    fn opened(&mut self, _size: (u16, u16)) {}

    /// How often [`Screen::tick`] is called, while it says so.
    fn tick_every(&self) -> Option<Duration> {
        None
    }

    /// Time passed (see [`Screen::tick_every`]).
    fn tick(&mut self) -> Flow<Self::Exit> {
        Flow::Same
    }
}

/// Run `screen` full screen on this process's terminal until it exits or
/// the terminal is lost. `tx` and `rx` are the two ends of the loop's
/// channel; the screen's own events come through other senders of it.
/// Blocks: call it from a plain thread or `spawn_blocking`, not from inside
/// an async task. An error means the terminal could not be opened at all.
pub fn run<S: Screen>(
    screen: &mut S,
    tx: Sender<Input<S::Event>>,
    rx: Receiver<Input<S::Event>>,
) -> anyhow::Result<End<S::Exit>> {
    let mut term = terminal::enter()?;
    let _restore = terminal::Restore;
    let stop_watch = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    terminal::spawn_hangup_watch(tx.clone(), stop_watch.clone());
    let end = run_on(&mut term, screen, terminal::Crossterm::new(), tx, rx);
    stop_watch.store(true, Ordering::Relaxed);
    if matches!(end, End::Lost(_)) {
        // Dropping a ratatui Terminal shows the cursor and reports a failure
        // with `eprintln!`, which panics when the terminal is gone.
        std::mem::forget(term);
    }
    Ok(end)
}

/// [`drive`] with the input thread reading `source`: what [`run`] does once
/// the terminal is open, on any backend and any input.
pub fn run_on<B: Backend, S: Screen>(
    term: &mut Terminal<B>,
    screen: &mut S,
    source: impl TermInput,
    tx: Sender<Input<S::Event>>,
    rx: Receiver<Input<S::Event>>,
) -> End<S::Exit> {
    let stop = Arc::new(AtomicBool::new(false));
    let reader = terminal::spawn_input_reader(source, tx, stop.clone());
    if let Ok(s) = term.size() {
        screen.opened((s.width, s.height));
    }
    let end = drive(term, screen, &rx);
    stop.store(true, Ordering::Relaxed);
    if !matches!(end, End::Lost(_)) {
        // The reader stops within one poll (250 ms); until then it would
        // take keys meant for whatever runs next in this terminal (the
        // worksheet editor, the view again). A reader that does not come
        // back within a second is left behind: the terminal went away while
        // it read, and nothing may wait on it.
        let t0 = std::time::Instant::now();
        while !reader.is_finished() && t0.elapsed() < std::time::Duration::from_secs(1) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        if reader.is_finished() {
            let _ = reader.join();
        }
    }
    end
}

/// The loop over any backend: input in, coalesced frames out. Ends when
/// the screen exits, on `Input::Gone`, when every sender is gone, or when
/// a frame cannot be written.
pub fn drive<B: Backend, S: Screen>(
    term: &mut Terminal<B>,
    screen: &mut S,
    rx: &Receiver<Input<S::Event>>,
) -> End<S::Exit> {
    let mut dirty = true;
    let mut dirty_slow = false;
    let mut force = true;
    let mut last_draw = Instant::now();
    let mut next_tick: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let due = force
            || (dirty && now >= last_draw + FRAME)
            || (dirty_slow && now >= last_draw + LOG_FRAME);
        if due {
            if let Err(e) = term.draw(|f| screen.draw(f)) {
                return End::Lost(format!("cannot draw on the terminal: {e}"));
            }
            last_draw = now;
            (dirty, dirty_slow, force) = (false, false, false);
        }
        next_tick = match (screen.tick_every(), next_tick) {
            (Some(every), None) => Some(now + every),
            (Some(_), t) => t,
            (None, _) => None,
        };
        let deadline = [
            dirty.then_some(last_draw + FRAME),
            dirty_slow.then_some(last_draw + LOG_FRAME),
            next_tick,
        ]
        .into_iter()
        .flatten()
        .min();
        let first = match deadline {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(i) => Some(i),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return End::Lost(closed()),
            },
            None => match rx.recv() {
                Ok(i) => Some(i),
                Err(_) => return End::Lost(closed()),
            },
        };
        let Some(first) = first else {
            if next_tick.is_some_and(|t| Instant::now() >= t) {
                match screen.tick() {
                    Flow::Exit(x) => return End::Exit(x),
                    Flow::Redraw => dirty = true,
                    Flow::RedrawSlow => dirty_slow = true,
                    Flow::Same => {}
                }
                next_tick = screen.tick_every().map(|every| Instant::now() + every);
            }
            continue;
        };
        // Take everything already waiting: log lines are batched per frame.
        let mut pending = Some(first);
        let mut taken = 0;
        while let Some(input) = pending.take() {
            match input {
                Input::Gone(why) => return End::Lost(why),
                Input::Resize(..) => force = true,
                _ => {}
            }
            match screen.on_input(input) {
                Flow::Exit(x) => return End::Exit(x),
                Flow::Redraw => dirty = true,
                Flow::RedrawSlow => dirty_slow = true,
                Flow::Same => {}
            }
            taken += 1;
            if taken < 20_000 {
                pending = rx.try_recv().ok();
            }
        }
    }
}

fn closed() -> String {
    "the terminal input stopped".into()
}
