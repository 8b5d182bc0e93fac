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
            if let Some(first) = todo.iter().find(|r| r.stage == StageId::Production)
                && let Err(why) = gate(&self.state)
            {
                self.emit(Event::StepStarted {
                    step: first.clone(),
                    attempt: 1,
                    at: now_ms(),
                })?;
                self.emit(Event::StepFinished {
                    step: first.clone(),
                    outcome: Outcome::Failed,
                    duration_ms: 0,
                    message: why,
                    at: now_ms(),
                })?;
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
        let s = &self.state.steps;
        let outcome = if s.iter().all(|x| x.status.is_finished()) {
            RunOutcome::Passed
        } else if self.interrupt.is_cancelled() {
            RunOutcome::Interrupted
        } else if s
            .iter()
            .any(|x| matches!(x.status, StepStatus::Failed | StepStatus::Cancelled))
        {
            RunOutcome::Failed
        } else {
            RunOutcome::Aborted
        };
        self.emit(Event::RunFinished {
            outcome,
            at: now_ms(),
        })?;
        Ok(outcome)
    }
}
