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
            let todo: Vec<StepRef> = match cmd {
                None | Some(Command::Close) => break,
                Some(Command::RunStage { stage }) => self
                    .state
                    .stage_steps(&stage)
                    .map(|s| s.planned.step.clone())
                    .collect(),
                Some(Command::RunStep { step }) => vec![step],
                Some(other) => {
                    tracing::info!(?other, "command ignored: nothing waits for it");
                    continue;
                }
            };
            let refused = match todo.first() {
                Some(first) if first.stage == StageId::Production => {
                    gate(&self.state).err().map(|why| (first.clone(), why))
                }
                Some(first) => self
                    .check_order(&first.stage)
                    .err()
                    .map(|why| (first.clone(), why)),
                None => None,
            };
            if let Some((first, why)) = refused {
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
            self.run_list(&todo, cmds).await?;
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
