//! Owning the terminal: entering and restoring it, reading its input, and
//! noticing when it goes away. Used by the one loop of the full-screen apps
//! ([`super::screen::run`]); nothing here knows any screen.
//!
//! - The terminal is put in raw mode and the alternate screen with a panic
//!   hook (installed once per process) that restores it before the panic
//!   message, and restored by a guard on every way out: normal return,
//!   error (`?`), panic unwinding. Restoring ignores errors: on a terminal
//!   that is gone, nothing is printed (an `eprintln!` to a closed terminal
//!   would panic again).
//! - Ctrl-C arrives as a key in raw mode; each screen decides what it does.
//! - Input is read on its own thread from a [`TermInput`] ([`Crossterm`]
//!   in the product: `poll` every 250 ms, then `read`). A hung-up terminal
//!   makes `poll`/`read` fail or report input without end: any error, or
//!   more than 5000 input events within one second, sends
//!   [`Input::Gone`]. On Unix a SIGHUP handler (tokio signal on a small
//!   thread) does the same; with the handler installed the process is not
//!   killed by the hang-up, so an engine in the same process keeps running
//!   and a screen can say what was not saved.

use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use anyhow::Context;
use crossterm::event::{self as term, Event as TermEvent};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};

use super::screen::Input;

/// Where terminal input comes from: the real terminal, or a test's stand-in.
pub trait TermInput: Send + 'static {
    /// Whether an event can be read within `timeout`.
    fn poll(&mut self, timeout: Duration) -> std::io::Result<bool>;
    /// The next event (after `poll` said there is one).
    fn read(&mut self) -> std::io::Result<TermEvent>;
}

/// The process's terminal, through crossterm.
pub struct Crossterm {
    /// Standard input was the terminal when the screen opened: its hang-up
    /// is then watched on it (crossterm reads it and sees only the end of
    /// the input, again and again, without an error).
    #[cfg_attr(not(unix), allow(dead_code))]
    stdin_is_tty: bool,
}

impl Crossterm {
    pub fn new() -> Crossterm {
        use std::io::IsTerminal;
        Crossterm {
            stdin_is_tty: std::io::stdin().is_terminal(),
        }
    }
}

impl Default for Crossterm {
    fn default() -> Self {
        Crossterm::new()
    }
}

impl TermInput for Crossterm {
    fn poll(&mut self, timeout: Duration) -> std::io::Result<bool> {
        #[cfg(unix)]
        if self.stdin_is_tty {
            return poll_terminal(timeout);
        }
        term::poll(timeout)
    }
    fn read(&mut self) -> std::io::Result<TermEvent> {
        term::read()
    }
}

/// Whether the file `fd` reads from is hung up (its other end closed): a
/// terminal whose window or SSH session went away, a pipe whose writer
/// ended. Answers at once.
#[cfg(unix)]
pub(crate) fn hung_up(fd: std::os::fd::RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd on the stack, a zero timeout.
    let n = unsafe { libc::poll(&mut p, 1, 0) };
    n > 0 && (p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL)) != 0
}

/// Wait for input on the terminal (standard input) ourselves, and let
/// crossterm read only what is there. crossterm's reader loops for ever on
/// a terminal that hung up while it waited (its reads return 0 bytes, which
/// it neither treats as an error nor stops on): the wait is ours, so a hang-up
/// is seen as one.
#[cfg(unix)]
fn poll_terminal(timeout: Duration) -> std::io::Result<bool> {
    let gone = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the terminal hung up");
    if hung_up(0) {
        return Err(gone());
    }
    // Events crossterm has already read (several keys in one read, a
    // resize it was told of) come first.
    if term::poll(Duration::ZERO)? {
        return Ok(true);
    }
    let mut p = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd on the stack.
    let n = unsafe { libc::poll(&mut p, 1, ms) };
    if n < 0 {
        let e = std::io::Error::last_os_error();
        // A signal (a window resize) ends the wait: look again next time.
        return if e.kind() == std::io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(e)
        };
    }
    if n == 0 {
        return Ok(false);
    }
    if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(gone());
    }
    term::poll(Duration::ZERO)
}

static PANIC_HOOK: Once = Once::new();

/// Raw mode, alternate screen, and a panic hook that puts the terminal back
/// before the panic message is printed.
pub(crate) fn enter() -> anyhow::Result<DefaultTerminal> {
    PANIC_HOOK.call_once(|| {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            hook(info);
        }));
    });
    crossterm::terminal::enable_raw_mode().context(crate::model::lang::tr(
        "cannot put the terminal in raw mode (is this a terminal?)",
        "impossible de mettre le terminal en mode brut (est-ce un terminal ?)",
    ))?;
    let mut out = std::io::stdout();
    if let Err(e) = crossterm::execute!(out, EnterAlternateScreen) {
        restore();
        return Err(e).context(crate::model::lang::tr(
            "cannot switch to the alternate screen",
            "impossible de passer à l'écran secondaire",
        ));
    }
    match Terminal::new(CrosstermBackend::new(out)) {
        Ok(t) => Ok(t),
        Err(e) => {
            restore();
            Err(e).context(crate::model::lang::tr(
                "cannot read the terminal size",
                "impossible de lire la taille du terminal",
            ))
        }
    }
}

/// Leave raw mode and the alternate screen. Errors are ignored: when the
/// terminal is gone there is nothing to restore, and printing about it
/// would fail too.
fn restore() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(std::io::stdout(), LeaveAlternateScreen);
}

/// Restores the terminal when dropped.
pub(crate) struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Read `source` on a thread until `stop` is set or the terminal is gone:
/// keys and resizes go to `tx`, a failure or input without end sends
/// [`Input::Gone`] and ends the thread.
pub(crate) fn spawn_input_reader<E: Send + 'static>(
    mut source: impl TermInput,
    tx: Sender<Input<E>>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut window = Instant::now();
        let mut count = 0u32;
        while !stop.load(Ordering::Relaxed) {
            let ev = match source.poll(Duration::from_millis(250)) {
                Ok(false) => continue,
                Ok(true) => source.read(),
                Err(e) => Err(e),
            };
            // Every event counts, the ignored ones too: a terminal that went
            // away can return events without end, and must not keep this
            // thread busy.
            if window.elapsed() > Duration::from_secs(1) {
                window = Instant::now();
                count = 0;
            }
            count += 1;
            if count > 5000 {
                let _ = tx.send(Input::Gone("terminal input without end".into()));
                return;
            }
            let input = match ev {
                Ok(TermEvent::Key(k)) => Input::Key(k),
                Ok(TermEvent::Resize(w, h)) => Input::Resize(w, h),
                Ok(_) => continue,
                Err(e) => Input::Gone(format!("terminal input failed: {e}")),
            };
            let gone = matches!(input, Input::Gone(_));
            if tx.send(input).is_err() || gone {
                return;
            }
        }
    })
}

/// Send [`Input::Gone`] on SIGHUP, until `stop` is set.
#[cfg(unix)]
pub(crate) fn spawn_hangup_watch<E: Send + 'static>(tx: Sender<Input<E>>, stop: Arc<AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            let Ok(mut hup) = signal(SignalKind::hangup()) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = hup.recv() => {
                        let _ = tx.send(Input::Gone("hang-up (SIGHUP)".into()));
                        return;
                    }
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                    }
                }
            }
        });
    });
}

#[cfg(all(test, unix))]
mod tests {
    use super::hung_up;
    use std::os::fd::AsRawFd;

    /// The check the input thread makes before each wait: a reader whose
    /// other end is gone is hung up, one whose other end is there is not.
    #[test]
    fn a_closed_other_end_is_a_hang_up() {
        let (reader, writer) = std::io::pipe().unwrap();
        assert!(!hung_up(reader.as_raw_fd()), "the writer is still there");
        drop(writer);
        assert!(hung_up(reader.as_raw_fd()), "the writer is gone");
    }

    /// A pseudo-terminal whose master side closes (the terminal window, the
    /// SSH session or tmux went away) is hung up for the program on it.
    #[test]
    fn a_terminal_whose_window_closed_is_a_hang_up() {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two descriptors into the given integers;
        // the name, termios and window size are not asked for.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty");
        assert!(!hung_up(slave), "the window is open");
        // SAFETY: master is a descriptor this test owns and closes once.
        unsafe { libc::close(master) };
        assert!(hung_up(slave), "the window closed");
        // SAFETY: slave is a descriptor this test owns and closes once.
        unsafe { libc::close(slave) };
    }
}
