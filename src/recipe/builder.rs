//! The stage builder: a stage file lists its steps with `check` (reads,
//! changes nothing) and `change` (changes the system: an operator is asked
//! first), each required unless `.optional()` says the run may go on when it
//! fails.

use crate::model::step::{Action, Stage, Step};
use crate::model::{EnvKind, Environment};

use super::StageId;

pub struct StageBuilder {
    stage: StageId,
    steps: Vec<Step>,
}

/// What may be said of a step once it is listed.
pub trait StepOptions {
    /// The run goes on when this step fails.
    fn optional(&mut self) -> &mut Self;
    /// The step runs on (or for) this server of the worksheet.
    fn on_server(&mut self, name: &str) -> &mut Self;
}

impl StepOptions for Step {
    fn optional(&mut self) -> &mut Self {
        self.required = false;
        self
    }
    fn on_server(&mut self, name: &str) -> &mut Self {
        self.server = Some(name.to_string());
        self
    }
}

impl StageBuilder {
    pub(crate) fn new(stage: StageId) -> Self {
        StageBuilder {
            stage,
            steps: Vec::new(),
        }
    }

    fn push(&mut self, id: &str, title: String, changes: bool, action: Action) -> &mut Step {
        self.steps.push(Step {
            id: id.to_string(),
            title,
            required: true,
            changes,
            server: None,
            action,
        });
        let last = self.steps.len() - 1;
        &mut self.steps[last]
    }

    /// A step that reads and changes nothing.
    pub fn check(&mut self, id: &str, title: impl Into<String>, action: Action) -> &mut Step {
        self.push(id, title.into(), false, action)
    }

    /// A step that changes the system.
    pub fn change(&mut self, id: &str, title: impl Into<String>, action: Action) -> &mut Step {
        self.push(id, title.into(), true, action)
    }

    pub(crate) fn done(self, env: EnvKind) -> Stage {
        Stage {
            title: self.stage.title().to_string(),
            id: self.stage.as_str().to_string(),
            env,
            steps: self.steps,
        }
    }
}

/// Wait for the site to answer (IIS and Tomcat started), when the
/// environment has a URL.
pub fn wait_site(b: &mut StageBuilder, env: &Environment, id: &str, title: &str) {
    if let Some(url) = &env.url {
        b.check(
            id,
            title,
            Action::HttpWait {
                url: url.clone(),
                status: 200,
                timeout_s: 300,
                interval_ms: 2000,
            },
        );
    }
}
