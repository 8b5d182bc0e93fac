//! Drive a program in a real pseudo-terminal through tmux, for end-to-end
//! tests of the full-screen interface: start it at a given size, send keys,
//! read the screen, resize, hang up.
//!
//! Each instance runs its own tmux server (`-L` with a unique socket name)
//! and kills it when dropped, so tests never touch a user's sessions.

#![allow(dead_code)]

use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU32 = AtomicU32::new(0);

pub struct Tmux {
    socket: String,
    target: String,
}

/// Whether tmux can be run here.
pub fn available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Tmux {
    /// Start `program args` in a detached session of `width` x `height`,
    /// with extra environment variables.
    pub fn start(
        program: &str,
        args: &[&str],
        (width, height): (u16, u16),
        env: &[(&str, &str)],
    ) -> Result<Tmux, String> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let socket = format!("dress-test-{}-{n}", std::process::id());
        let t = Tmux {
            socket,
            target: "main".into(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        // No user configuration; keep the pane when the program ends (set
        // before it starts, so a fast program cannot race it), to read its
        // last screen and exit status.
        let mut a: Vec<String> = [
            "start-server",
            ";",
            "set-option",
            "-gw",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            &w,
            "-y",
            &h,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for (k, v) in env {
            a.push("-e".into());
            a.push(format!("{k}={v}"));
        }
        a.push("--".into());
        a.push(program.into());
        a.extend(args.iter().map(|s| s.to_string()));
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        t.run(&refs)?;
        Ok(t)
    }

    fn run(&self, args: &[&str]) -> Result<Output, String> {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .map_err(|e| format!("tmux {args:?}: {e}"))?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "tmux {args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    /// Send keys in tmux notation: `"q"`, `"Enter"`, `"C-c"`, `"PageUp"`,
    /// `"Tab"`, `"Space"`; plain text with `literal`.
    pub fn keys(&self, keys: &[&str]) -> Result<(), String> {
        let mut a = vec!["send-keys", "-t", self.target.as_str()];
        a.extend_from_slice(keys);
        self.run(&a).map(|_| ())
    }

    pub fn literal(&self, text: &str) -> Result<(), String> {
        self.run(&["send-keys", "-t", &self.target, "-l", text])
            .map(|_| ())
    }

    /// The visible screen, one line per row.
    pub fn screen(&self) -> Result<String, String> {
        let out = self.run(&["capture-pane", "-p", "-t", &self.target])?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Wait until the screen shows `needle`; the last screen in the error.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> Result<String, String> {
        let t0 = Instant::now();
        loop {
            let s = self.screen()?;
            if s.contains(needle) {
                return Ok(s);
            }
            if t0.elapsed() > timeout {
                return Err(format!(
                    "`{needle}` not shown within {timeout:?}; screen:\n{s}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn resize(&self, width: u16, height: u16) -> Result<(), String> {
        self.run(&[
            "resize-window",
            "-t",
            &self.target,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ])
        .map(|_| ())
    }

    /// The process id of the program in the pane.
    pub fn pid(&self) -> Result<u32, String> {
        let out = self.run(&["display-message", "-p", "-t", &self.target, "#{pane_pid}"])?;
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|e| format!("pane pid: {e}"))
    }

    /// Whether the program has ended, and its exit status when it has.
    pub fn exit_status(&self) -> Result<Option<i32>, String> {
        let out = self.run(&[
            "display-message",
            "-p",
            "-t",
            &self.target,
            "#{pane_dead} #{pane_dead_status}",
        ])?;
        let s = String::from_utf8_lossy(&out.stdout);
        let mut it = s.split_whitespace();
        match (it.next(), it.next()) {
            (Some("1"), Some(code)) => Ok(code.parse().ok()),
            _ => Ok(None),
        }
    }

    /// Hang up: kill the session, as when an SSH connection drops (the
    /// program gets SIGHUP and its terminal closes).
    pub fn hang_up(&self) -> Result<(), String> {
        self.run(&["kill-session", "-t", &self.target]).map(|_| ())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Whether a process is alive and not a zombie a busy tmux has not reaped.
pub fn running(pid: u32) -> bool {
    #[cfg(not(target_os = "linux"))]
    return dress::engine::lock::pid_alive(pid);
    #[cfg(target_os = "linux")]
    {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(s) => !s
                .rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with(['Z', 'X'])),
            Err(_) => false,
        }
    }
}

impl Tmux {
    /// Wait until the program in the pane has exited (or is a zombie), up
    /// to `timeout`; false when it is still running.
    pub fn wait_exit(&self, timeout: std::time::Duration) -> bool {
        let pid = self.pid().ok();
        let t0 = std::time::Instant::now();
        loop {
            if self.exit_status().ok().flatten().is_some() || pid.is_some_and(|p| !running(p)) {
                return true;
            }
            if t0.elapsed() > timeout {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// The exit status once tmux reports it (a busy tmux may take a while to
    /// reap the program), or `None` after `timeout`.
    pub fn exit_code_within(&self, timeout: std::time::Duration) -> Option<i32> {
        let t0 = std::time::Instant::now();
        loop {
            if let Ok(Some(c)) = self.exit_status() {
                return Some(c);
            }
            if t0.elapsed() > timeout {
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Tmux {
    /// Start `program` through a shell that writes its exit code into
    /// `code_file` when it ends: read with [`exit_code_from`], which does
    /// not depend on how fast a busy tmux reaps the pane.
    pub fn start_with_exit_file(
        program: &str,
        args: &[&str],
        size: (u16, u16),
        env: &[(&str, &str)],
        code_file: &std::path::Path,
    ) -> Result<Tmux, String> {
        let quote = |a: &str| format!("'{}'", a.replace('\'', "'\\''"));
        let line = std::iter::once(program)
            .chain(args.iter().copied())
            .map(quote)
            .collect::<Vec<_>>()
            .join(" ");
        let script = format!("{line}; echo $? > {}", quote(&code_file.to_string_lossy()));
        Tmux::start("sh", &["-c", &script], size, env)
    }
}

/// The exit code written by [`Tmux::start_with_exit_file`], waiting up to
/// `timeout` for it.
pub fn exit_code_from(code_file: &std::path::Path, timeout: std::time::Duration) -> Option<i32> {
    let t0 = std::time::Instant::now();
    loop {
        if let Ok(t) = std::fs::read_to_string(code_file)
            && let Ok(c) = t.trim().parse()
        {
            return Some(c);
        }
        if t0.elapsed() > timeout {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
