//! The view model: everything the screens draw, nothing they compute beyond
//! reading it. Changed only by `update`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use tui_input::Input;

use super::glyphs::Glyphs;
use super::logbuf::{LogBuf, LogLine, RING};
use super::theme::Theme;
use crate::engine::event::{Actor, Millis};
use crate::engine::link::step_log_path;
use crate::engine::state::StepState;
use crate::engine::{RunState, StepRef, StepStatus};
use crate::model::step::{Stage, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Main,
    Detail,
    Help,
    Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Stages,
    Steps,
    Log,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    RunStage(String),
    RunStep(StepRef),
    Cancel,
    Quit,
}

/// An answer of a choice dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Leave the view; the background engine goes on with the step.
    Leave,
    /// Cancel the running step, then leave.
    CancelAndQuit,
    /// Stay in the view (the safe answer).
    Stay,
    /// Run the finished steps again: each re-checks and keeps what is in place.
    Recheck,
    /// Run the finished steps again and do the work again.
    Redo,
    /// Do nothing (the safe answer).
    Nothing,
}

#[derive(Debug)]
pub enum Dialog {
    /// A question with several answers; `sel` starts on the one that is
    /// the default (Leave while a step runs; Nothing for a re-run).
    Choose {
        ask: Ask,
        picks: Vec<Pick>,
        sel: usize,
    },
    /// A yes/no question; `yes` is the highlighted answer (starts at No).
    Confirm {
        ask: Ask,
        yes: bool,
    },
    Manual {
        step: StepRef,
        prompt: String,
        done: bool,
        note: Input,
        on_note: bool,
        warn: bool,
    },
    Failure {
        step: StepRef,
        message: String,
        required: bool,
        sel: usize,
    },
    Notice(String),
    /// Running something that changes production.
    ConfirmProduction(crate::ui::production::Confirm),
}

/// Status of a stage as shown in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageStatus {
    NotRun,
    Running,
    Passed,
    Failed,
    Skipped,
    Locked,
}

pub struct DetailView {
    pub step: StepRef,
    pub log: Vec<LogLine>,
    pub scroll: usize,
    /// The search of the step's log (`/`), and the line of the current match.
    pub query: Option<String>,
    pub current: Option<usize>,
}

impl DetailView {
    /// Jump to the next (`forward`) or previous line that matches the
    /// search, wrapping around; the match goes to the top of the view.
    pub fn jump(&mut self, forward: bool) {
        let Some(q) = self.query.clone() else { return };
        let n = self.log.len();
        if n == 0 {
            return;
        }
        let from = self
            .current
            .map_or(self.scroll, |c| if forward { c + 1 } else { c + n - 1 });
        let hit = (0..n)
            .map(|i| {
                if forward {
                    (from + i) % n
                } else {
                    (from + n - i % n) % n
                }
            })
            .find(|i| crate::ui::logbuf::contains(&self.log[*i].text, &q));
        if let Some(i) = hit {
            self.current = Some(i);
            self.scroll = i;
        }
    }

    /// How many lines match the search.
    pub fn matches(&self) -> usize {
        self.query.as_ref().map_or(0, |q| {
            self.log
                .iter()
                .filter(|l| crate::ui::logbuf::contains(&l.text, q))
                .count()
        })
    }
}

pub struct App {
    pub title: String,
    pub env: String,
    pub stages: Vec<Stage>,
    pub state: RunState,
    /// Stage ids the gate keeps closed (filled by the caller).
    pub locked: BTreeSet<String>,
    pub run_dir: PathBuf,
    pub theme: Theme,
    pub glyphs: Glyphs,
    pub screen: Screen,
    pub focus: Pane,
    pub stage_sel: usize,
    pub step_sel: usize,
    pub log: LogBuf,
    pub dialog: Option<Dialog>,
    /// The search field of the log pane, while it is open.
    pub search: Option<Input>,
    pub detail: Option<DetailView>,
    pub help_scroll: usize,
    pub summary_scroll: usize,
    pub size: (u16, u16),
    pub now_ms: Millis,
    /// The running indicator phase, flipped by the tick.
    pub blink: bool,
    pub actor: Actor,
    /// The prompt of the step waiting for an operator, to show the manual
    /// dialog again after it was hidden.
    /// The operator chose the step the log pane shows: the running step
    /// no longer takes it over.
    pub log_pinned: bool,
    pub manual_prompt: Option<(StepRef, String)>,
    /// What the gate said about production (filled by the caller).
    pub production: crate::ui::production::ProductionInfo,
}

impl App {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        title: String,
        env: String,
        stages: Vec<Stage>,
        state: RunState,
        locked: BTreeSet<String>,
        run_dir: PathBuf,
        theme: Theme,
        ascii: bool,
        actor: Actor,
    ) -> Self {
        let mut app = App {
            title,
            env,
            stages,
            state,
            locked,
            run_dir,
            theme,
            glyphs: Glyphs::new(ascii),
            screen: Screen::Main,
            focus: Pane::Stages,
            stage_sel: 0,
            step_sel: 0,
            log: LogBuf::new(RING),
            dialog: None,
            search: None,
            detail: None,
            help_scroll: 0,
            summary_scroll: 0,
            size: (80, 24),
            now_ms: 0,
            blink: false,
            actor,
            manual_prompt: None,
            log_pinned: false,
            production: Default::default(),
        };
        // Attaching to a run in progress: follow its current step, and bring
        // back the question of a step that waits for an operator.
        if let Some(cur) = app.state.current().map(|s| s.planned.step.clone()) {
            app.select(&cur);
            let path = app.log_path(&cur);
            app.log.follow_step(cur.clone(), &path);
            if let Some(st) = app.state.step(&cur)
                && st.status == StepStatus::WaitingOperator
            {
                let prompt = st
                    .prompt
                    .clone()
                    .unwrap_or_else(|| st.planned.title.clone());
                app.manual_prompt = Some((cur.clone(), prompt.clone()));
                app.dialog = Some(Dialog::Manual {
                    step: cur,
                    prompt,
                    done: false,
                    note: Input::default(),
                    on_note: false,
                    warn: false,
                });
            }
        }
        app
    }

    pub fn log_path(&self, r: &StepRef) -> PathBuf {
        step_log_path(&self.run_dir, &r.stage, &r.step)
    }

    pub fn stage(&self) -> Option<&Stage> {
        self.stages.get(self.stage_sel)
    }

    pub fn step(&self) -> Option<&Step> {
        self.stage().and_then(|s| s.steps.get(self.step_sel))
    }

    pub fn step_ref(&self) -> Option<StepRef> {
        let st = self.stage()?;
        let sp = st.steps.get(self.step_sel)?;
        Some(StepRef::new(&st.id, &sp.id))
    }

    pub fn step_state(&self, stage: &str, step: &str) -> Option<&StepState> {
        self.state
            .steps
            .iter()
            .find(|s| s.planned.step.stage == stage && s.planned.step.step == step)
    }

    pub fn step_status(&self, stage: &str, step: &str) -> StepStatus {
        self.step_state(stage, step)
            .map(|s| s.status)
            .unwrap_or(StepStatus::Pending)
    }

    /// Move the selection to a step.
    pub fn select(&mut self, r: &StepRef) {
        if let Some(i) = self.stages.iter().position(|s| s.id == r.stage) {
            self.stage_sel = i;
            self.step_sel = self.stages[i]
                .steps
                .iter()
                .position(|s| s.id == r.step)
                .unwrap_or(0);
        }
    }

    pub fn stage_status(&self, stage: &Stage) -> StageStatus {
        let st: Vec<StepStatus> = stage
            .steps
            .iter()
            .map(|s| self.step_status(&stage.id, &s.id))
            .collect();
        let any = |f: &dyn Fn(StepStatus) -> bool| st.iter().any(|s| f(*s));
        if any(&|s| matches!(s, StepStatus::Running | StepStatus::WaitingOperator)) {
            StageStatus::Running
        } else if self.locked.contains(&stage.id) {
            StageStatus::Locked
        } else if any(&|s| {
            matches!(
                s,
                StepStatus::Failed | StepStatus::Cancelled | StepStatus::Interrupted
            )
        }) {
            StageStatus::Failed
        } else if !st.is_empty() && st.iter().all(|s| *s == StepStatus::Skipped) {
            StageStatus::Skipped
        } else if !st.is_empty() && st.iter().all(|s| s.is_finished()) {
            StageStatus::Passed
        } else {
            StageStatus::NotRun
        }
    }

    /// Whether a step runs or waits: quitting asks, the tick runs.
    pub fn running(&self) -> Option<&StepState> {
        self.state.current()
    }

    /// Lines of the log pane on the main screen for the current size.
    pub fn log_height(&self) -> usize {
        super::screens::main::log_height(self.size)
    }

    /// Lines of the scrolling part of the detail / help / summary screens.
    pub fn page_height(&self) -> usize {
        (self.size.1 as usize).saturating_sub(6).max(1)
    }
}
