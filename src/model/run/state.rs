//! The run state: one pure fold over events. The TUI, the headless printer,
//! resume and reports all read this.

use super::event::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Running,
    WaitingOperator,
    Passed,
    Failed,
    Skipped,
    Cancelled,
    /// Was running when the engine stopped (crash, kill): re-checked on resume.
    Interrupted,
}

impl StepStatus {
    pub fn is_finished(self) -> bool {
        matches!(self, StepStatus::Passed | StepStatus::Skipped)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Running => "running",
            StepStatus::WaitingOperator => "waiting",
            StepStatus::Passed => "passed",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Cancelled => "cancelled",
            StepStatus::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StepState {
    pub planned: PlannedStep,
    pub status: StepStatus,
    pub attempts: u32,
    pub started_at: Option<Millis>,
    pub duration_ms: Option<u64>,
    pub message: String,
    pub measured: Vec<String>,
    pub notes: Vec<String>,
    pub decisions: Vec<(Choice, Actor)>,
    pub progress: Option<(u64, Option<u64>, String)>,
    /// What the operator is asked, while the step waits for them.
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RunState {
    pub run_id: String,
    pub env: String,
    pub plan: String,
    pub fingerprint: Option<String>,
    /// The language the run was started in (its titles and its report).
    pub lang: Option<crate::model::lang::Lang>,
    pub started_at: Option<Millis>,
    pub finished: Option<RunOutcome>,
    pub finished_at: Option<Millis>,
    pub steps: Vec<StepState>,
    pub overrides: Vec<(String, Actor)>,
    /// Stages run out of the checklist's order, with the reason and who.
    pub out_of_order: Vec<(String, Actor)>,
    pub resumes: u32,
    pub owner: Option<Actor>,
    /// The process that last opened the run (start or resume).
    pub owner_pid: Option<u32>,
    /// Stages a view asked to run, in the order asked; `None` when every
    /// planned stage was chosen (a headless run).
    pub chosen: Option<Vec<String>>,
}

impl RunState {
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut s = RunState::default();
        for e in events {
            s.apply(e);
        }
        s
    }

    pub fn step(&self, r: &StepRef) -> Option<&StepState> {
        self.steps.iter().find(|s| &s.planned.step == r)
    }

    fn step_mut(&mut self, r: &StepRef) -> Option<&mut StepState> {
        self.steps.iter_mut().find(|s| &s.planned.step == r)
    }

    /// The step currently running or waiting, if any.
    pub fn current(&self) -> Option<&StepState> {
        self.steps
            .iter()
            .find(|s| matches!(s.status, StepStatus::Running | StepStatus::WaitingOperator))
    }

    /// The stages of the run, in order, once each.
    /// The ids of the chosen stages, in the order of the checklist.
    pub fn stage_ids(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .chosen_steps()
            .map(|x| x.planned.step.stage.as_str())
            .collect();
        v.dedup();
        v
    }

    /// Whether a stage was chosen for this run.
    pub fn is_chosen(&self, stage: &str) -> bool {
        self.chosen
            .as_ref()
            .is_none_or(|c| c.iter().any(|s| s == stage))
    }

    /// The steps of the chosen stages, in order: what the run was asked to do.
    pub fn chosen_steps(&self) -> impl Iterator<Item = &StepState> + '_ {
        self.steps
            .iter()
            .filter(|s| self.is_chosen(&s.planned.step.stage))
    }

    /// Steps of one stage, in order.
    pub fn stage_steps<'a>(&'a self, stage: &'a str) -> impl Iterator<Item = &'a StepState> + 'a {
        self.steps
            .iter()
            .filter(move |s| s.planned.step.stage == stage)
    }

    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::RunStarted {
                run_id,
                env,
                plan,
                steps,
                fingerprint,
                lang,
                by,
                pid,
                at,
            } => {
                self.lang = *lang;
                self.run_id = run_id.clone();
                self.env = env.clone();
                self.plan = plan.clone();
                self.fingerprint = fingerprint.clone();
                self.started_at = Some(*at);
                self.owner = Some(by.clone());
                self.owner_pid = Some(*pid);
                self.steps = steps
                    .iter()
                    .map(|p| StepState {
                        planned: p.clone(),
                        status: StepStatus::Pending,
                        attempts: 0,
                        started_at: None,
                        duration_ms: None,
                        message: String::new(),
                        measured: Vec::new(),
                        notes: Vec::new(),
                        decisions: Vec::new(),
                        progress: None,
                        prompt: None,
                    })
                    .collect();
            }
            Event::Resumed { by, pid, .. } => {
                self.resumes += 1;
                self.owner = Some(by.clone());
                self.owner_pid = Some(*pid);
                self.finished = None;
                self.finished_at = None;
                for s in &mut self.steps {
                    if matches!(s.status, StepStatus::Running | StepStatus::WaitingOperator) {
                        s.status = StepStatus::Interrupted;
                        s.message = crate::model::lang::tr(
                            "interrupted: the engine stopped while this step ran",
                            "interrompue : le moteur s'est arrêté pendant cette étape",
                        )
                        .into();
                    }
                }
            }
            Event::StepStarted { step, attempt, at } => {
                if let Some(s) = self.step_mut(step) {
                    s.status = StepStatus::Running;
                    s.attempts = *attempt;
                    s.started_at = Some(*at);
                    s.progress = None;
                }
            }
            Event::Log { .. } => {}
            Event::Progress {
                step,
                done,
                total,
                unit,
            } => {
                if let Some(s) = self.step_mut(step) {
                    s.progress = Some((*done, *total, unit.clone()));
                }
            }
            Event::Measured { step, what } => {
                if let Some(s) = self.step_mut(step) {
                    s.measured.push(what.clone());
                }
            }
            Event::ManualWait { step, prompt } => {
                if let Some(s) = self.step_mut(step) {
                    s.status = StepStatus::WaitingOperator;
                    s.prompt = Some(prompt.clone());
                }
            }
            Event::ManualConfirmed { step, note, by } => {
                if let Some(s) = self.step_mut(step) {
                    s.notes.push(format!("{note} ({}@{})", by.user, by.host));
                    s.status = StepStatus::Running;
                }
            }
            Event::StepFinished {
                step,
                outcome,
                duration_ms,
                message,
                ..
            } => {
                if let Some(s) = self.step_mut(step) {
                    s.status = match outcome {
                        Outcome::Passed => StepStatus::Passed,
                        Outcome::Failed => StepStatus::Failed,
                        Outcome::Skipped => StepStatus::Skipped,
                        Outcome::Cancelled => StepStatus::Cancelled,
                    };
                    s.duration_ms = Some(*duration_ms);
                    s.message = message.clone();
                    s.progress = None;
                }
            }
            Event::Decision {
                step, choice, by, ..
            } => {
                if let Some(s) = self.step_mut(step) {
                    s.decisions.push((*choice, by.clone()));
                    if *choice == Choice::Skip {
                        s.status = StepStatus::Skipped;
                    }
                }
            }
            Event::StagesChosen { stages, .. } => {
                let chosen = self.chosen.get_or_insert_with(Vec::new);
                for st in stages {
                    if !chosen.contains(st) {
                        chosen.push(st.clone());
                    }
                }
            }
            Event::GateOverridden { reason, by, .. } => {
                self.overrides.push((reason.clone(), by.clone()));
            }
            Event::OrderOverridden {
                stages, reason, by, ..
            } => {
                self.out_of_order
                    .push((format!("{}: {reason}", stages.join(", ")), by.clone()));
            }
            Event::RunFinished { outcome, at } => {
                self.finished = Some(*outcome);
                self.finished_at = Some(*at);
            }
        }
    }
}
