//! One SQL check run on its own, outside any run: the editors' live tests
//! (the wizard's **Test connection**, the topology editor's user-connections
//! check). No journal and no run folder; the statements' log goes to a file
//! the caller names (and removes), and the secrets it is given are masked in
//! the answer.

use std::path::Path;
use std::sync::Arc;

use secrecy::SecretString;

use super::ctx::{StepCtx, StepLog};
use super::event::StepRef;
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;
use crate::model::step::sql::SqlAction;

/// Run `action` against the server of `conn`. `Err` when the log file
/// cannot be created; otherwise the check's answer: `Ok` with what it found
/// or `Err` with why it failed, both with every secret of `known` masked.
pub async fn sql(
    action: &SqlAction,
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    known: Vec<SecretString>,
    log: &Path,
) -> std::io::Result<Result<String, String>> {
    let step_log = StepLog::create(log)?;
    let (tx, _events) = tokio::sync::mpsc::unbounded_channel();
    let dir = log.parent().map(Path::to_path_buf).unwrap_or_default();
    let ctx = StepCtx::new(
        StepRef::new("probe", action.kind()),
        dir,
        step_log,
        tx,
        None,
        Arc::new(Vec::new()),
        Default::default(),
    )
    .with_secrets(known);
    Ok(super::sql::run(action, conn, secrets, &ctx)
        .await
        .map_err(|e| e.0))
}
