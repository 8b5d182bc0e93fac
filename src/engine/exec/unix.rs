//! Unix: the child leads its own process group, so the whole tree it starts
//! can be signalled at once.

use tokio::process::{Child, Command};

/// The process group of a started child. Dropping it kills whatever of the
/// group is still running, as closing a job object does on Windows: when a
/// step ends, nothing it started is left behind.
pub struct Tree {
    pgid: libc::pid_t,
}

/// Make the child the leader of a new process group when it starts.
pub fn prepare(cmd: &mut Command) {
    cmd.process_group(0);
}

impl Tree {
    pub fn attach(child: &Child) -> Result<Tree, String> {
        let pid = child.id().ok_or_else(|| {
            crate::model::lang::tr(
                "the program ended before it could be tracked",
                "le programme s'est terminé avant de pouvoir être suivi",
            )
            .to_string()
        })?;
        let pgid = libc::pid_t::try_from(pid).map_err(|_| {
            crate::tr_fmt!(
                "process id {pid} out of range",
                "numéro de processus {pid} hors limites"
            )
        })?;
        Ok(Tree { pgid })
    }

    /// Ask every process of the group to stop (SIGTERM).
    pub fn terminate(&self) {
        self.signal(libc::SIGTERM);
    }

    /// Stop every process of the group that is still there (SIGKILL).
    pub fn kill(&self) {
        self.signal(libc::SIGKILL);
    }

    fn signal(&self, sig: libc::c_int) {
        // SAFETY: killpg only sends a signal; a group already gone gives ESRCH,
        // which is what we want to ignore.
        unsafe {
            libc::killpg(self.pgid, sig);
        }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        self.kill();
    }
}
