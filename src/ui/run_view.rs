//! The run view as a [`Screen`] of the one loop: the engine's events come
//! in through the loop's channel (a thread forwards them), keys and resizes
//! through the terminal, commands go out to the engine. The elapsed time
//! ticks once a second only while a step runs; log output redraws at most
//! 5 times a second, keys at most 30.

use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use ratatui::Frame;
use tokio::sync::broadcast::error::RecvError;

use super::app::App;
use super::screen::{self, End, Flow, Input, Screen};
use super::update::{Msg, update};
use super::{UiExit, UiOptions, render};
use crate::engine::RunState;
use crate::engine::command::Command;
use crate::engine::event::{Actor, Event, now_ms};
use crate::engine::link::EngineLink;
use crate::model::step::Stage;

/// How often the elapsed time of a running step is redrawn.
pub const TICK: Duration = Duration::from_secs(1);

/// The run view on the loop: its view model, and where its commands go.
pub struct RunView<'a, F: FnMut(Command)> {
    pub app: &'a mut App,
    pub send: F,
}

impl<F: FnMut(Command)> Screen for RunView<'_, F> {
    /// The engine's messages: `Msg::Engine`, `Msg::Lagged`, `Msg::EngineClosed`.
    type Event = Msg;
    type Exit = UiExit;

    fn draw(&self, f: &mut Frame) {
        render(self.app, f);
    }

    fn opened(&mut self, size: (u16, u16)) {
        self.app.size = size;
        // The clock of the view starts now: the elapsed time of a run the
        // view attaches to counts from the run's start, not from zero.
        self.app.now_ms = now_ms();
    }

    fn on_input(&mut self, input: Input<Msg>) -> Flow<UiExit> {
        let msg = match input {
            Input::Key(k) => Msg::Key(k),
            Input::Resize(w, h) => Msg::Resize(w, h),
            Input::Event(m) => m,
            Input::Gone(_) => return Flow::Same,
        };
        let log_only = matches!(msg, Msg::Engine(Event::Log { .. }));
        self.app.now_ms = now_ms();
        let out = update(self.app, msg);
        for c in out.commands {
            (self.send)(c);
        }
        match (out.exit, out.redraw, log_only) {
            (Some(exit), _, _) => Flow::Exit(exit),
            (None, false, _) => Flow::Same,
            (None, true, true) => Flow::RedrawSlow,
            (None, true, false) => Flow::Redraw,
        }
    }

    fn tick_every(&self) -> Option<Duration> {
        self.app.running().is_some().then_some(TICK)
    }

    fn tick(&mut self) -> Flow<UiExit> {
        update(self.app, Msg::Tick(now_ms()));
        Flow::Redraw
    }
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
    spawn_engine_reader(events, tx.clone());
    app.now_ms = now_ms();
    let mut view = RunView {
        app: &mut app,
        send: |c| {
            let _ = commands.send(c);
        },
    };
    Ok(match screen::run(&mut view, tx, rx)? {
        End::Exit(exit) => exit,
        End::Lost(why) => {
            tracing::warn!("the run view lost its terminal: {why}");
            UiExit::TerminalLost
        }
    })
}

fn spawn_engine_reader(
    mut events: tokio::sync::broadcast::Receiver<Event>,
    tx: Sender<Input<Msg>>,
) {
    std::thread::spawn(move || {
        loop {
            let msg = match events.blocking_recv() {
                Ok(e) => Msg::Engine(e),
                Err(RecvError::Lagged(n)) => Msg::Lagged(n),
                Err(RecvError::Closed) => {
                    let _ = tx.send(Input::Event(Msg::EngineClosed));
                    return;
                }
            };
            if tx.send(Input::Event(msg)).is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::fixture::{self, Phase};
    use ratatui::backend::TestBackend;

    fn status_line(app: &mut App) -> String {
        let mut view = RunView {
            app,
            send: |_: Command| {},
        };
        view.opened((120, 30));
        let mut term = ratatui::Terminal::new(TestBackend::new(120, 30)).expect("test backend");
        term.draw(|f| view.draw(f)).expect("draw");
        let buf = term.backend().buffer();
        (0..120).map(|x| buf[(x, 28)].symbol()).collect()
    }

    /// Attaching to a run that started 10 minutes before the view opened:
    /// the status bar counts from the run's start.
    #[test]
    fn elapsed_counts_from_the_run_start_not_from_the_opening_of_the_view() {
        let mut state = RunState::default();
        for e in fixture::events(Phase::Running) {
            state.apply(&e);
        }
        state.started_at = Some(now_ms() - 600_000);
        let mut app = App::new(
            "CRMSAGE upgrade".into(),
            "test".into(),
            fixture::stages(),
            state,
            Default::default(),
            "/var/lib/dress/runs/x".into(),
            crate::ui::Theme::builtin("default").expect("built-in theme"),
            false,
            fixture::actor(),
        );
        let line =
            crate::model::lang::scoped(crate::model::lang::Lang::En, || status_line(&mut app));
        let elapsed = line
            .split("elapsed: ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .unwrap_or_default()
            .to_string();
        let minutes: u64 = elapsed
            .split('m')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        assert!(elapsed.contains('m') && minutes >= 10, "{line}");
    }

    #[test]
    fn elapsed_is_a_dash_without_a_run() {
        let mut app = App::new(
            "CRMSAGE upgrade".into(),
            "test".into(),
            fixture::stages(),
            RunState::default(),
            Default::default(),
            "/var/lib/dress/runs/x".into(),
            crate::ui::Theme::builtin("default").expect("built-in theme"),
            false,
            fixture::actor(),
        );
        let line =
            crate::model::lang::scoped(crate::model::lang::Lang::En, || status_line(&mut app));
        assert!(line.contains("elapsed: -"), "{line}");
    }
}
