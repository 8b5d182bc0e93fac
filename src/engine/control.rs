//! The control channel of a run: commands from views (the TUI, `dress
//! attach`) to an engine that runs apart from them.
//!
//! A command is one JSON file in `RUN_DIR/control/`, written under a
//! temporary name and renamed into place, so the engine never reads half a
//! command. The engine takes them in name order (time first) and deletes
//! each one it has read. Only the run's owner (the folder is created
//! readable by its owner only on Unix) or an administrator can write there.

use std::path::{Path, PathBuf};

use super::command::Command;
use super::journal::write_atomic;

pub const CONTROL_DIR: &str = "control";

pub fn control_dir(run_dir: &Path) -> PathBuf {
    run_dir.join(CONTROL_DIR)
}

/// Create the control folder, private to the current user on Unix.
pub fn prepare(run_dir: &Path) -> std::io::Result<()> {
    let dir = control_dir(run_dir);
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Send a command to the engine of a run.
pub fn send(run_dir: &Path, cmd: &Command) -> std::io::Result<()> {
    let dir = control_dir(run_dir);
    if !dir.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            crate::tr_fmt!(
                "{}: this run takes no commands (it is not served by a background engine)",
                "{} : cette exécution ne prend pas de commandes (elle n'est pas servie par un moteur en arrière-plan)",
                dir.display()
            ),
        ));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let name = format!("{nanos:024}-{}.json", std::process::id());
    let body = serde_json::to_vec(cmd).map_err(std::io::Error::other)?;
    write_atomic(&dir.join(name), &body)
}

/// Take the commands waiting in the folder, oldest first. Unreadable files
/// are reported in the returned errors and removed.
pub fn take(run_dir: &Path) -> (Vec<Command>, Vec<String>) {
    let dir = control_dir(run_dir);
    let mut cmds = Vec::new();
    let mut errors = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else {
        return (cmds, errors);
    };
    let mut names: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("json"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    names.sort();
    for p in names {
        match std::fs::read(&p)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<Command>(&b).map_err(|e| e.to_string()))
        {
            Ok(c) => cmds.push(c),
            Err(e) => errors.push(format!("{}: {e}", p.display())),
        }
        let _ = std::fs::remove_file(&p);
    }
    (cmds, errors)
}

/// Forward the commands of the control folder into an engine's channel,
/// polling every `every` until the channel closes.
pub async fn pump(
    run_dir: PathBuf,
    tx: tokio::sync::mpsc::UnboundedSender<Command>,
    every: std::time::Duration,
) {
    loop {
        // The run folder was removed: nobody can send or read anything any
        // more; closing the channel ends the engine's wait.
        if !run_dir.is_dir() {
            return;
        }
        let (cmds, errors) = take(&run_dir);
        for e in errors {
            tracing::warn!("unreadable command ignored: {e}");
        }
        for c in cmds {
            if tx.send(c).is_err() {
                return;
            }
        }
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::StepRef;

    #[test]
    fn commands_come_back_in_order_and_are_consumed() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(
            send(tmp.path(), &Command::Cancel).is_err(),
            "no control folder: refused"
        );
        prepare(tmp.path()).unwrap();
        send(
            tmp.path(),
            &Command::RunStage {
                stage: "backup".into(),
                redo: false,
            },
        )
        .unwrap();
        send(
            tmp.path(),
            &Command::RunStep {
                step: StepRef::new("backup", "disk"),
                redo: false,
            },
        )
        .unwrap();
        std::fs::write(control_dir(tmp.path()).join("zz-bad.json"), b"{not json").unwrap();
        let (cmds, errors) = take(tmp.path());
        assert_eq!(
            cmds,
            vec![
                Command::RunStage {
                    stage: "backup".into(),
                    redo: false
                },
                Command::RunStep {
                    step: StepRef::new("backup", "disk"),
                    redo: false
                }
            ]
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(take(tmp.path()).0, vec![]);
    }
}
