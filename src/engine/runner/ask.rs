//! Asking: what to do after a failure, and manual steps. The answer comes
//! from the policy (headless) or from a view's command, and is journalled
//! with who gave it.

use super::*;

impl Engine {
    /// After a failure: the policy or the operator chooses; the choice is
    /// journalled with who made it.
    pub(super) async fn decide(
        &mut self,
        r: &StepRef,
        required: bool,
        retries_left: &mut u32,
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<Choice, JournalError> {
        let policy_actor = |what: &str| Actor {
            user: format!("policy ({what})"),
            host: Actor::current().host,
        };
        let (choice, by) = match self.policy.on_failure {
            // Nobody to ask: an optional step that failed does not stop the
            // run; its failure stays in its message and in the report.
            OnFailure::Abort if !required => (Choice::Skip, policy_actor("optional step")),
            OnFailure::Retry(_) if *retries_left > 0 => {
                *retries_left -= 1;
                (
                    Choice::Retry,
                    Actor {
                        user: "policy (--on-failure retry)".into(),
                        host: Actor::current().host,
                    },
                )
            }
            OnFailure::Abort | OnFailure::Retry(_) => (
                Choice::Abort,
                Actor {
                    user: "policy (--on-failure)".into(),
                    host: Actor::current().host,
                },
            ),
            OnFailure::Ask => loop {
                tokio::select! {
                    _ = self.interrupt.cancelled() => break (Choice::Abort, Actor::current()),
                    cmd = next_command(&mut self.pending, cmds) => match cmd {
                        Some(Command::Decide { step, choice, by }) if &step == r => {
                            if choice == Choice::Skip && required {
                                continue;
                            }
                            break (choice, by);
                        }
                        Some(Command::Close) => {
                            // The view left without deciding: stop here.
                            self.pending.push_back(Command::Close);
                            break (Choice::Abort, Actor::current());
                        }
                        Some(_) => continue,
                        None => break (Choice::Abort, Actor::current()),
                    }
                }
            },
        };
        self.emit(Event::Decision {
            step: r.clone(),
            choice,
            by,
            at: now_ms(),
        })?;
        Ok(choice)
    }

    /// A manual step: `None` when nobody can answer now (headless run without
    /// a `--confirm` for it): the run then stops, waiting for an operator.
    pub(super) async fn manual(
        &mut self,
        r: &StepRef,
        prompt: &str,
        ctx: &StepCtx,
        cmds: &mut mpsc::UnboundedReceiver<Command>,
    ) -> Result<Option<Ran>, JournalError> {
        self.emit(Event::ManualWait {
            step: r.clone(),
            prompt: prompt.to_string(),
        })?;
        if let Some(note) = self.confirm_note(r) {
            ctx.info(&crate::tr_fmt!(
                "confirmed in advance: {note}",
                "confirmée à l'avance : {note}"
            ));
            self.emit(Event::ManualConfirmed {
                step: r.clone(),
                note,
                by: Actor::current(),
            })?;
            return Ok(Some(Ran::Done(confirmed())));
        }
        if !self.policy.interactive {
            ctx.info(&crate::tr_fmt!(
                "waiting for an operator: {prompt}",
                "attend l'opérateur : {prompt}"
            ));
            return Ok(None);
        }
        loop {
            tokio::select! {
                _ = self.interrupt.cancelled() => return Ok(Some(Ran::Failed(crate::model::lang::tr(
                    "interrupted while waiting for the operator",
                    "interrompue pendant l'attente de l'opérateur",
                ).into()))),
                cmd = next_command(&mut self.pending, cmds) => match cmd {
                    Some(Command::Confirm { step, note, by }) if &step == r => {
                        self.emit(Event::ManualConfirmed { step: r.clone(), note, by })?;
                        return Ok(Some(Ran::Done(confirmed())));
                    }
                    Some(Command::Cancel) => return Ok(Some(Ran::Failed(crate::model::lang::tr(
                        "the operator cancelled the step",
                        "l'opérateur a annulé l'étape",
                    ).into()))),
                    Some(Command::Close) => {
                        self.pending.push_back(Command::Close);
                        return Ok(None);
                    }
                    Some(_) => continue,
                    None => return Ok(None),
                }
            }
        }
    }
}

/// The message of a manual step the operator confirmed.
fn confirmed() -> String {
    crate::model::lang::tr("confirmed by the operator", "confirmée par l'opérateur").into()
}

/// The next command: one kept from earlier first, then the channel.
pub(super) async fn next_command(
    pending: &mut std::collections::VecDeque<Command>,
    cmds: &mut mpsc::UnboundedReceiver<Command>,
) -> Option<Command> {
    match pending.pop_front() {
        Some(c) => Some(c),
        None => cmds.recv().await,
    }
}
