//! The scheduler: runs the steps of a run in order, journals every event,
//! folds them into the run state and hands them to the views.
//!
//! Views never change state: they send [`Command`]s. Headless runs take
//! their answers from a [`Policy`] instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use secrecy::SecretString;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use super::command::Command;
use super::ctx::{StepCtx, StepLog};
use super::dispatch::{Ran, run_action};
use super::event::*;
use super::journal::{self, Journal, JournalError};
use super::link::step_log_path;
use super::state::{RunState, StepStatus};
use crate::model::step::{Action, Stage};
use crate::model::{EnvKind, Plan, SecretSource};

mod ask;
mod guard;
mod serve;

use ask::next_command;

/// What to do when a step fails and nobody is there to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    Abort,
    /// Retry up to N times, then abort.
    Retry(u32),
    /// Wait for a `Command::Decide` (interactive views).
    Ask,
}

impl std::str::FromStr for OnFailure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "abort" => Ok(OnFailure::Abort),
            "ask" => Ok(OnFailure::Ask),
            _ => match s.strip_prefix("retry:").map(str::parse::<u32>) {
                Some(Ok(n)) => Ok(OnFailure::Retry(n)),
                _ => Err(crate::tr_fmt!(
                    "'{s}' is not a failure policy: use abort or retry:N (e.g. retry:2)",
                    "« {s} » n'est pas une conduite en cas d'échec : utilisez abort ou retry:N (par exemple retry:2)"
                )),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Policy {
    /// Manual steps answered in advance: `stage/step` or `step` -> note.
    pub confirms: BTreeMap<String, String>,
    pub on_failure: OnFailure,
    /// Wait for commands for manual steps (TUI); otherwise stop and report.
    pub interactive: bool,
    /// Stages whose work is done again even when it is in place
    /// (`--redo STAGE`): the re-check that keeps work in place is skipped.
    pub redo: std::collections::BTreeSet<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            redo: Default::default(),
            confirms: BTreeMap::new(),
            on_failure: OnFailure::Abort,
            interactive: false,
        }
    }
}

/// Cancel `token` on Ctrl-C and SIGTERM, and on SIGHUP when `hangup` (a
/// headless run in a terminal that closes stops cleanly; a background engine
/// has no terminal and ignores it).
pub fn cancel_on_signals(token: CancellationToken, hangup: bool) {
    let t = token.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            t.cancel();
        }
    });
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return;
        };
        let mut hup = if hangup {
            signal(SignalKind::hangup()).ok()
        } else {
            None
        };
        tokio::select! {
            _ = term.recv() => {}
            Some(_) = async { match hup.as_mut() { Some(h) => h.recv().await, None => std::future::pending().await } } => {}
        }
        token.cancel();
    });
    #[cfg(not(unix))]
    let _ = (token, hangup);
}

/// A folder name for a new run: sortable, with its environment.
pub fn new_run_id(env: EnvKind) -> String {
    let now = chrono::Local::now();
    let salt = blake3::hash(
        format!(
            "{}{}",
            std::process::id(),
            now.timestamp_nanos_opt().unwrap_or(0)
        )
        .as_bytes(),
    );
    format!(
        "{}-{}-{}",
        now.format("%Y%m%d-%H%M%S"),
        env,
        &salt.to_hex()[..4]
    )
}

pub fn runs_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("runs")
}

type Observer = Box<dyn FnMut(&Event) + Send>;

pub struct Engine {
    pub run_dir: PathBuf,
    journal: Journal,
    pub state: RunState,
    stages: Vec<Stage>,
    plan: Arc<Plan>,
    secrets: Arc<dyn SecretSource>,
    known_secrets: Vec<SecretString>,
    live: broadcast::Sender<Event>,
    observers: Vec<Observer>,
    pub policy: Policy,
    /// Set by an interrupt (Ctrl-C, SIGTERM): cancel the step, stop the run.
    pub interrupt: CancellationToken,
    /// Commands that came while a step ran (a decision sent early, a
    /// confirmation): kept for when they apply, never dropped.
    pending: std::collections::VecDeque<Command>,
    /// The operator asked for finished steps to run again: `Some(redo)`.
    again: Option<bool>,
    /// The backup production relies on was checked in this process.
    backup_checked: bool,
}

/// Everything needed to open a run.
pub struct RunSetup {
    pub plan: Arc<Plan>,
    pub plan_text: String,
    pub plan_path: String,
    pub env: EnvKind,
    pub stages: Vec<Stage>,
    pub fingerprint: Option<String>,
    pub secrets: Arc<dyn SecretSource>,
}

fn planned(stages: &[Stage]) -> Vec<PlannedStep> {
    stages
        .iter()
        .flat_map(|st| {
            st.steps.iter().map(move |s| PlannedStep {
                step: StepRef::new(&st.id, &s.id),
                title: s.title.clone(),
                required: s.required,
                changes: s.changes,
                kind: s.action.kind().to_string(),
            })
        })
        .collect()
}

/// Every secret value the plan refers to that can be resolved now, so that
/// anything leaving the engine can be masked.
fn known_secrets(plan: &Plan, secrets: &dyn SecretSource) -> Vec<SecretString> {
    super::secret_env::secret_refs(plan)
        .into_iter()
        .filter_map(|(what, r)| secrets.resolve(what, r).ok())
        .collect()
}

impl Engine {
    /// Create the run folder, journal the start of the run.
    pub fn start(
        state_dir: &Path,
        run_id: &str,
        setup: RunSetup,
        policy: Policy,
    ) -> Result<Engine, JournalError> {
        let run_dir = runs_dir(state_dir).join(run_id);
        let first = Event::RunStarted {
            run_id: run_id.to_string(),
            env: setup.env.to_string(),
            plan: setup.plan_path,
            steps: planned(&setup.stages),
            fingerprint: setup.fingerprint,
            lang: Some(crate::model::lang::current()),
            by: Actor::current(),
            pid: std::process::id(),
            at: now_ms(),
        };
        let journal = Journal::create(&run_dir, &setup.plan_text, &first)?;
        let known_secrets = known_secrets(&setup.plan, setup.secrets.as_ref());
        let (live, _) = broadcast::channel(8192);
        let mut state = RunState::default();
        state.apply(&first);
        Ok(Engine {
            run_dir,
            journal,
            state,
            plan: setup.plan,
            secrets: setup.secrets,
            known_secrets,
            live,
            observers: Vec::new(),
            policy,
            interrupt: CancellationToken::new(),
            stages: setup.stages,
            pending: Default::default(),
            again: None,
            backup_checked: false,
        })
    }

    /// The events so far, for an observer added after the start.
    pub fn replay_to_observers(&mut self) {
        let Ok(l) = journal::load(&self.run_dir) else {
            return;
        };
        for e in &l.events {
            for o in &mut self.observers {
                o(e);
            }
        }
    }

    /// Reopen a run that stopped without finishing: journal `Resumed`, which
    /// marks the step that was running as interrupted.
    pub fn resume(
        run_dir: &Path,
        plan: Arc<Plan>,
        stages: Vec<Stage>,
        secrets: Arc<dyn SecretSource>,
        policy: Policy,
    ) -> Result<Engine, JournalError> {
        let loaded = journal::load(run_dir)?;
        let journal = Journal::reopen(run_dir, &loaded)?;
        let state = RunState::from_events(&loaded.events);
        let known_secrets = known_secrets(&plan, secrets.as_ref());
        let (live, _) = broadcast::channel(8192);
        let mut e = Engine {
            run_dir: run_dir.to_path_buf(),
            journal,
            state,
            stages,
            plan,
            secrets,
            known_secrets,
            live,
            observers: Vec::new(),
            policy,
            interrupt: CancellationToken::new(),
            pending: Default::default(),
            again: None,
            backup_checked: false,
        };
        e.emit(Event::Resumed {
            by: Actor::current(),
            pid: std::process::id(),
            at: now_ms(),
        })?;
        Ok(e)
    }

    /// Journal an override of the production gate, with who made it.
    pub fn record_override(&mut self, reason: &str) -> Result<(), JournalError> {
        self.emit(Event::GateOverridden {
            reason: reason.to_string(),
            by: Actor::current(),
            at: now_ms(),
        })
    }

    /// Journal stages run out of the checklist's order, with the reason.
    pub fn record_out_of_order(
        &mut self,
        stages: Vec<String>,
        reason: &str,
    ) -> Result<(), JournalError> {
        self.emit(Event::OrderOverridden {
            stages,
            reason: reason.to_string(),
            by: Actor::current(),
            at: now_ms(),
        })
    }

    /// Called for every event but log lines, in order, synchronously.
    pub fn observe(&mut self, f: impl FnMut(&Event) + Send + 'static) {
        self.observers.push(Box::new(f));
    }

    /// A live feed of every event, log lines included (may lag).
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.live.subscribe()
    }

    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    fn emit(&mut self, e: Event) -> Result<(), JournalError> {
        if e.is_journalled() {
            self.journal.append(&e)?;
        }
        self.state.apply(&e);
        for o in &mut self.observers {
            o(&e);
        }
        let _ = self.live.send(e);
        Ok(())
    }

    fn confirm_note(&self, r: &StepRef) -> Option<String> {
        self.policy
            .confirms
            .get(&r.to_string())
            .or_else(|| self.policy.confirms.get(&r.step))
            .cloned()
    }

    /// Run every step of the run that is not finished yet, in order.
    pub async fn run_all(
        &mut self,
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<RunOutcome, JournalError> {
        let todo: Vec<StepRef> = self
            .state
            .steps
            .iter()
            .map(|s| s.planned.step.clone())
            .collect();
        self.run_steps(&todo, cmds).await
    }

    /// Run the given steps that have not finished yet, in order; then journal
    /// the end of the run.
    pub async fn run_steps(
        &mut self,
        todo: &[StepRef],
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<RunOutcome, JournalError> {
        let outcome = self
            .run_list(todo, cmds)
            .await?
            .unwrap_or(RunOutcome::Passed);
        self.emit(Event::RunFinished {
            outcome,
            at: now_ms(),
        })?;
        Ok(outcome)
    }

    /// Run the given steps that have not finished yet, in order. `Some` when
    /// the list stopped early (failure, waiting, interrupt).
    async fn run_list(
        &mut self,
        todo: &[StepRef],
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<Option<RunOutcome>, JournalError> {
        for r in todo {
            let Some(st) = self.state.step(r) else {
                continue;
            };
            if st.status.is_finished() && self.again.is_none() {
                continue;
            }
            if self.interrupt.is_cancelled() {
                return Ok(Some(RunOutcome::Interrupted));
            }
            if let StepEnd::Stop(o) = self.run_one(r, cmds).await? {
                return Ok(Some(o));
            }
        }
        Ok(None)
    }

    async fn run_one(
        &mut self,
        r: &StepRef,
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<StepEnd, JournalError> {
        let Some((stage, step)) = self.stages.iter().find(|s| s.id == r.stage).and_then(|st| {
            st.steps
                .iter()
                .find(|s| s.id == r.step)
                .map(|s| (st.clone(), s.clone()))
        }) else {
            return Ok(StepEnd::Next);
        };
        let (step, no_backup) = self.with_generation(step);
        let mut retries_left = match self.policy.on_failure {
            OnFailure::Retry(n) => n,
            _ => 0,
        };
        loop {
            let prev = self.state.step(r).map(|s| (s.attempts, s.status));
            let attempt = prev.map(|p| p.0).unwrap_or(0) + 1;
            let was_interrupted = prev.map(|p| p.1) == Some(StepStatus::Interrupted);
            self.emit(Event::StepStarted {
                step: r.clone(),
                attempt,
                at: now_ms(),
            })?;
            let t0 = Instant::now();
            let log_path = step_log_path(&self.run_dir, &r.stage, &r.step);
            if let Some(d) = log_path.parent() {
                let _ = super::private_fs::create_dir_private(d);
            }
            let log = StepLog::create(&log_path).map_err(|source| JournalError::Io {
                path: log_path.clone(),
                source,
            })?;
            let (ev_tx, mut ev_rx) = mpsc::unbounded_channel();
            let cancel = self.interrupt.child_token();
            let ctx = StepCtx::new(
                r.clone(),
                self.run_dir.clone(),
                log,
                ev_tx,
                Some(self.live.clone()),
                Arc::new(self.known_secrets.clone()),
                cancel.clone(),
            )
            .with_secret_vars(super::secret_env::secret_vars(&self.plan));
            if was_interrupted {
                ctx.info(crate::model::lang::tr("this step was interrupted by a stop of the engine: it is checked and run again", "cette étape a été interrompue par un arrêt du moteur : elle est vérifiée et relancée"));
            }
            // The folders are compared again as the step starts: a link
            // planted since validation must not turn the rehearsal onto
            // production.
            let overlap = super::folders::overlap_now(&self.plan, &self.run_dir);
            // A step that changes things is checked first: when its work is
            // already in place (a retry, a resume, or the same stage run
            // again with nothing changed), it changes nothing.
            let redo = self.again == Some(true) || self.policy.redo.contains(&r.stage);
            if prev.is_some_and(|p| p.1.is_finished()) {
                ctx.info(if redo {
                    crate::model::lang::tr(
                        "run again by the operator: the work is done again (redo)",
                        "relancée par l'opérateur : le travail est refait (redo)",
                    )
                } else {
                    crate::model::lang::tr(
                        "run again by the operator: what is in place is checked and kept",
                        "relancée par l'opérateur : ce qui est en place est vérifié et gardé",
                    )
                });
            } else if redo && step.changes {
                ctx.info(crate::model::lang::tr(
                    "redo asked: the work is done again even if it is in place",
                    "redo demandé : le travail est refait même s'il est en place",
                ));
            }
            // Production changes nothing unless the gate is open now, for
            // the files that would run, with the backup it relies on.
            let refused = if step.changes && r.stage == crate::recipe::StageId::Production {
                self.guard_production(&ctx).await.err()
            } else {
                no_backup.clone()
            };
            let ran = if let Some(why) = overlap {
                Ran::Failed(why)
            } else if let Some(why) = refused {
                Ran::Failed(why)
            } else if step.changes
                && !redo
                && let Some(done) = {
                    if was_interrupted || attempt > 1 {
                        ctx.info(crate::model::lang::tr(
                            "re-checking the state before running this step again",
                            "nouvelle vérification de l'état avant de relancer cette étape",
                        ));
                    }
                    super::dispatch::recheck(&step.action, &ctx).await
                }
            {
                Ran::Done(done)
            } else if let Action::Manual { prompt } = &step.action {
                match self.manual(r, prompt, &ctx, cmds).await? {
                    Some(ran) => ran,
                    None => {
                        // Nobody to ask: the run stops here, waiting.
                        ctx.flush_log();
                        return Ok(StepEnd::Stop(RunOutcome::Waiting));
                    }
                }
            } else {
                let fut = {
                    let action = step.action.clone();
                    let stage = stage.clone();
                    let plan = self.plan.clone();
                    let secrets = self.secrets.clone();
                    let ctx = ctx.clone();
                    tokio::spawn(
                        async move { run_action(&action, &stage, &plan, &secrets, &ctx).await },
                    )
                };
                tokio::pin!(fut);
                // Step logs are flushed a few times a second, so a view that
                // follows the files sees the output live.
                let mut flush = tokio::time::interval(std::time::Duration::from_millis(200));
                loop {
                    tokio::select! {
                        _ = flush.tick() => ctx.flush_log(),
                        res = &mut fut => {
                            break match res {
                                Ok(r) => r,
                                Err(e) => Ran::Failed(crate::tr_fmt!(
                                    "the step stopped unexpectedly: {e}",
                                    "l'étape s'est arrêtée de façon inattendue : {e}"
                                )),
                            };
                        }
                        Some(ev) = ev_rx.recv() => self.emit(ev)?,
                        Some(cmd) = cmds.recv() => {
                            if matches!(cmd, Command::Cancel) {
                                ctx.info(crate::model::lang::tr("cancel requested", "annulation demandée"));
                                cancel.cancel();
                            } else {
                                self.pending.push_back(cmd);
                            }
                        }
                    }
                }
            };
            while let Ok(ev) = ev_rx.try_recv() {
                self.emit(ev)?;
            }
            ctx.flush_log();
            let duration_ms = t0.elapsed().as_millis() as u64;
            let (outcome, message) = match ran {
                Ran::Done(m) => (Outcome::Passed, m),
                Ran::NotApplicable(m) => (Outcome::Skipped, m),
                Ran::Failed(m) if cancel.is_cancelled() => (Outcome::Cancelled, m),
                Ran::Failed(m) => (Outcome::Failed, m),
            };
            self.emit(Event::StepFinished {
                step: r.clone(),
                outcome,
                duration_ms,
                message,
                at: now_ms(),
            })?;
            match outcome {
                Outcome::Passed | Outcome::Skipped => return Ok(StepEnd::Next),
                Outcome::Cancelled if self.interrupt.is_cancelled() => {
                    return Ok(StepEnd::Stop(RunOutcome::Interrupted));
                }
                Outcome::Cancelled | Outcome::Failed => {}
            }
            match self
                .decide(r, step.required, &mut retries_left, cmds)
                .await?
            {
                Choice::Retry => continue,
                Choice::Skip => return Ok(StepEnd::Next),
                Choice::Abort => return Ok(StepEnd::Stop(RunOutcome::Failed)),
            }
        }
    }
}

enum StepEnd {
    Next,
    Stop(RunOutcome),
}
