//! Frame cost and terminal traffic of the main screen.
//!
//! `cargo run --release --example bench_frame --features fixture`
//!
//! 1. One frame of the main screen at 200x60 with a 100,000-line log (a new
//!    line each frame, so the whole log pane changes): p50/p99 of 1000.
//! 2. Bytes written while idle (2 s, nothing happening): should be 0.
//! 3. Bytes written by the running-step indicator over 10 s.
//! 4. Bytes written for a burst of 100,000 log lines at 200x60: all at
//!    once, and paced at 10,000 lines/s.
//!
//! Bytes are counted by a writer under ratatui's CrosstermBackend, through
//! the same loop every full-screen app runs (`ui::screen::drive`), with the
//! run view on it.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dress::engine::event::{Event, StepRef, Stream};
use dress::ui::fixture::{self, Phase};
use dress::ui::run_view::RunView;
use dress::ui::screen::{End, Input, drive};
use dress::ui::update::{Msg, update};
use dress::ui::{App, render};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

#[derive(Clone)]
struct Counting(Arc<AtomicU64>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len() as u64, Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const W: u16 = 200;
const H: u16 = 60;

fn terminal() -> (Terminal<CrosstermBackend<Counting>>, Arc<AtomicU64>) {
    let n = Arc::new(AtomicU64::new(0));
    let t = Terminal::with_options(
        CrosstermBackend::new(Counting(n.clone())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, W, H)),
        },
    )
    .expect("a terminal over a counting writer");
    (t, n)
}

fn log_line(i: usize) -> String {
    format!(
        "{i:06} Processed {} pages for database 'CRMSAGE', file 'CRMSAGE_dat' on file 1.",
        1000 + i * 7
    )
}

fn log_event(step: &StepRef, i: usize) -> Event {
    let stream = if i.is_multiple_of(17) {
        Stream::Stderr
    } else {
        Stream::Stdout
    };
    Event::Log {
        step: step.clone(),
        stream,
        line: log_line(i),
    }
}

fn quit(tx: &Sender<Input<Msg>>) {
    let _ = tx.send(Input::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
    )));
    // A step runs: `q` asks what to do with it; Enter takes the default
    // (leave it running).
    let _ = tx.send(Input::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
}

fn running_app() -> (App, StepRef) {
    let app = fixture::app(Phase::Running, "default", false, (W, H));
    (app, StepRef::new("backup", "database"))
}

/// Run the real loop on `app` for `feed`, return bytes written after the
/// first frame and the wall time.
fn through_loop(
    mut app: App,
    feed: impl FnOnce(Sender<Input<Msg>>) + Send + 'static,
) -> (u64, Duration) {
    let (mut term, n) = terminal();
    term.draw(|f| render(&app, f)).expect("first frame");
    let before = n.load(Ordering::Relaxed);
    let (tx, rx) = channel();
    let t0 = Instant::now();
    let feeder = std::thread::spawn(move || feed(tx));
    let mut view = RunView {
        app: &mut app,
        send: |_| {},
    };
    let exit = drive(&mut term, &mut view, &rx);
    let took = t0.elapsed();
    feeder.join().expect("feeder");
    assert!(
        matches!(exit, End::Exit(_)),
        "the view did not leave on q, Enter"
    );
    (n.load(Ordering::Relaxed) - before, took)
}

fn main() {
    // 1. Frame time with a 100,000-line log.
    let (mut app, step) = running_app();
    for i in 0..100_000 {
        update(&mut app, Msg::Engine(log_event(&step, i)));
    }
    let (mut term, n) = terminal();
    let mut times = Vec::with_capacity(1000);
    for i in 0..1000 {
        update(&mut app, Msg::Engine(log_event(&step, 100_000 + i)));
        let t = Instant::now();
        term.draw(|f| render(&app, f)).expect("frame");
        times.push(t.elapsed());
    }
    times.sort();
    let bytes = n.load(Ordering::Relaxed);
    println!(
        "frame 200x60, 100k-line log: p50 {:?}  p99 {:?}  max {:?}  ({} bytes/frame avg)",
        times[500],
        times[989],
        times[999],
        bytes / 1000
    );

    // 2. Idle: bytes written after the first frames have settled.
    let idle = fixture::app(Phase::Idle, "default", false, (W, H));
    let window = Arc::new(AtomicU64::new(0));
    let w2 = window.clone();
    let (mut term, n) = terminal();
    let (tx, rx) = channel();
    let n2 = n.clone();
    let feeder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        let before = n2.load(Ordering::Relaxed);
        std::thread::sleep(Duration::from_secs(2));
        w2.store(n2.load(Ordering::Relaxed) - before, Ordering::Relaxed);
        quit(&tx);
    });
    let mut app = idle;
    let mut view = RunView {
        app: &mut app,
        send: |_| {},
    };
    drive(&mut term, &mut view, &rx);
    feeder.join().expect("feeder");
    println!(
        "idle for 2 s after start-up: {} bytes (start-up frames: {} bytes)",
        window.load(Ordering::Relaxed),
        n.load(Ordering::Relaxed) - window.load(Ordering::Relaxed)
    );

    // 3. The running-step indicator and elapsed time.
    let (app, _) = running_app();
    let (bytes, took) = through_loop(app, |tx| {
        std::thread::sleep(Duration::from_secs(10));
        quit(&tx);
    });
    println!(
        "running indicator for {took:.1?}: {bytes} bytes = {:.2} KB/s",
        bytes as f64 / 1024.0 / took.as_secs_f64()
    );

    // 4a. 100,000 lines at once.
    let (app, step) = running_app();
    let s2 = step.clone();
    let (bytes, took) = through_loop(app, move |tx| {
        for i in 0..100_000 {
            let _ = tx.send(Input::Event(Msg::Engine(log_event(&s2, i))));
        }
        std::thread::sleep(Duration::from_millis(500));
        quit(&tx);
    });
    println!(
        "burst of 100k lines at once: {bytes} bytes in {took:.1?} = {:.1} KB/s",
        bytes as f64 / 1024.0 / took.as_secs_f64()
    );

    // 4b. 100,000 lines at 10,000 lines/s.
    let (app, step) = running_app();
    let (bytes, took) = through_loop(app, move |tx| {
        for chunk in 0..100 {
            for i in 0..1000 {
                let _ = tx.send(Input::Event(Msg::Engine(log_event(
                    &step,
                    chunk * 1000 + i,
                ))));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        quit(&tx);
    });
    println!(
        "100k lines at 10k lines/s: {bytes} bytes in {took:.1?} = {:.1} KB/s",
        bytes as f64 / 1024.0 / took.as_secs_f64()
    );
}
