//! Serving a run for views: the stages and steps they ask for, until they
//! close it.

use super::*;
use crate::recipe::StageId;

impl Engine {
    /// Serve the run for views (the TUI, `dress attach`): run the stages and
    /// steps they ask for, until a view closes it, nothing is asked for
    /// `idle`, or an interrupt. `gate` says whether production may run now.
    pub async fn serve(
        &mut self,
        cmds: &mut mpsc::UnboundedReceiver<Command>,
        idle: std::time::Duration,
        gate: &(dyn Fn(&RunState) -> Result<(), String> + Send + Sync),
    ) -> Result<RunOutcome, JournalError> {
        loop {
            let cmd = tokio::select! {
                c = next_command(&mut self.pending, cmds) => c,
                _ = tokio::time::sleep(idle) => None,
                _ = self.interrupt.cancelled() => None,
            };
            let (todo, redo): (Vec<StepRef>, bool) = match cmd {
                None | Some(Command::Close) => break,
                Some(Command::RunStage { stage, redo }) => (
                    self.state
                        .stage_steps(&stage)
                        .map(|s| s.planned.step.clone())
                        .collect(),
                    redo,
                ),
                Some(Command::RunStep { step, redo }) => (vec![step], redo),
                Some(other) => {
                    tracing::info!(?other, "command ignored: nothing waits for it");
                    continue;
                }
            };
            let stages: Vec<String> = todo.iter().fold(Vec::new(), |mut v, r| {
                if !v.contains(&r.stage) {
                    v.push(r.stage.clone());
                }
                v
            });
            if stages.iter().any(|st| !self.state.is_chosen(st)) || self.state.chosen.is_none() {
                self.emit(Event::StagesChosen {
                    stages,
                    at: now_ms(),
                })?;
            }
            let Some(first) = todo.first().cloned() else {
                continue;
            };
            if let Some(why) = self.refusal(&first, &todo, gate) {
                self.refuse(&first, why)?;
                continue;
            }
            // Asked again for steps that finished: nothing confirmed is
            // dropped without a word; each step says what it kept or redid.
            let again = todo
                .iter()
                .all(|r| self.state.step(r).is_some_and(|s| s.status.is_finished()));
            self.again = again.then_some(redo);
            let res = self.run_list(&todo, cmds).await;
            self.again = None;
            res?;
        }
        // Nothing was asked of this run: it leaves no trace (the view was
        // opened and closed).
        if self.state.chosen.is_none() {
            let _ = std::fs::remove_dir_all(&self.run_dir);
            return Ok(RunOutcome::Passed);
        }
        let outcome = served_outcome(&self.state, self.interrupt.is_cancelled());
        self.emit(Event::RunFinished {
            outcome,
            at: now_ms(),
        })?;
        Ok(outcome)
    }
}

/// How a served run ended, judged on the stages the view asked for.
fn served_outcome(st: &RunState, interrupted: bool) -> RunOutcome {
    let chosen: Vec<&crate::engine::state::StepState> = st.chosen_steps().collect();
    let any = |f: &dyn Fn(StepStatus) -> bool| chosen.iter().any(|x| f(x.status));
    let aborted = chosen.iter().any(|x| {
        x.decisions
            .iter()
            .any(|d| d.0 == crate::engine::event::Choice::Abort)
    });
    if chosen.iter().all(|x| x.status.is_finished()) {
        RunOutcome::Passed
    } else if interrupted || any(&|s| s == StepStatus::Interrupted) {
        RunOutcome::Interrupted
    } else if any(&|s| s == StepStatus::WaitingOperator) {
        RunOutcome::Waiting
    } else if aborted || any(&|s| s == StepStatus::Cancelled) {
        RunOutcome::Aborted
    } else if any(&|s| s == StepStatus::Failed) {
        RunOutcome::Failed
    } else {
        // Chosen steps left pending: the operator left before they ran.
        RunOutcome::Aborted
    }
}

impl Engine {
    /// Why the steps a view asked for may not start, judged before any of
    /// them runs: a secret they need does not resolve, a production login
    /// would go in clear text (the command line's --allow-unencrypted-sql is
    /// the only way past it), production's gate is closed, or the stage comes
    /// before its predecessors in the checklist.
    fn refusal(
        &self,
        first: &StepRef,
        todo: &[StepRef],
        gate: &(dyn Fn(&RunState) -> Result<(), String> + Send + Sync),
    ) -> Option<String> {
        let asked: Vec<Stage> = self
            .stages
            .iter()
            .filter(|st| todo.iter().any(|r| r.stage == st.id))
            .cloned()
            .collect();
        let missing: Vec<String> = crate::recipe::secrets::needed(&self.plan, &asked)
            .into_iter()
            .filter_map(|n| {
                self.secrets
                    .resolve(&n.what, n.source)
                    .err()
                    .map(|e| crate::tr_fmt!("{}: {e}", "{} : {e}", n.field))
            })
            .collect();
        if !missing.is_empty() {
            return Some(crate::tr_fmt!(
                "nothing ran: secrets missing before the first step — {}",
                "rien n'a été lancé : secrets manquants avant la première étape — {}",
                missing.join(crate::model::lang::tr("; ", " ; "))
            ));
        }
        let clear = crate::engine::sql::preflight::clear_text_production_steps(&self.plan, &asked);
        if !clear.is_empty() {
            return Some(crate::tr_fmt!(
                "nothing ran: {} would send the production SQL login in clear text (encryption = \"not-supported\"); set encryption in the plan, or run it with dress run --allow-unencrypted-sql",
                "rien n'a été lancé : {} enverrait la connexion SQL de production en clair (encryption = \"not-supported\") ; réglez encryption dans le plan, ou lancez-la avec dress run --allow-unencrypted-sql",
                clear.join(", ")
            ));
        }
        if first.stage == StageId::Production {
            gate(&self.state).err()
        } else {
            self.check_order(&first.stage).err()
        }
    }

    /// Journal that a step was refused before it started: it shows as
    /// failed, with the reason, and nothing ran.
    fn refuse(&mut self, step: &StepRef, why: String) -> Result<(), JournalError> {
        self.emit(Event::StepStarted {
            step: step.clone(),
            attempt: 1,
            at: now_ms(),
        })?;
        self.emit(Event::StepFinished {
            step: step.clone(),
            outcome: Outcome::Failed,
            duration_ms: 0,
            message: why,
            at: now_ms(),
        })
    }
}
