//! Snapshots of every screen and dialog at 80x24 and 120x30, with the
//! default and mono themes, one set in ASCII, and the too-small message.
//! Stored in the top-level `snapshots/` folder; review changes with
//! `cargo insta review`.

use crate::fixture::{self, Phase};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dress::model::lang::{self, Lang};
use dress::ui::update::{Msg, update};
use dress::ui::{App, render};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Style;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 30)];
const THEMES: [&str; 2] = ["default", "mono"];

fn press(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        update(app, Msg::Key(KeyEvent::new(*k, KeyModifiers::NONE)));
    }
}

/// The screen text, then a map of the styles: one letter per cell, with
/// the legend of the letters, so theme changes show in review.
fn draw(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(app, f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = t.backend().to_string();
    let mut legend: Vec<Style> = Vec::new();
    out.push_str("styles:\n");
    for y in 0..h {
        for x in 0..w {
            let c = &buf[(x, y)];
            let st = Style::new().fg(c.fg).bg(c.bg).add_modifier(c.modifier);
            let i = legend.iter().position(|s| *s == st).unwrap_or_else(|| {
                legend.push(st);
                legend.len() - 1
            });
            out.push(LETTERS.chars().nth(i).unwrap_or('?'));
        }
        out.push('\n');
    }
    for (i, st) in legend.iter().enumerate() {
        let l = LETTERS.chars().nth(i).unwrap_or('?');
        out.push_str(&format!(
            "{l} = fg {:?} bg {:?} {:?}\n",
            st.fg.unwrap(),
            st.bg.unwrap(),
            st.add_modifier
        ));
    }
    out
}

const LETTERS: &str = ".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Only the text part of a drawing.
fn text_of(drawing: &str) -> &str {
    drawing.split("styles:").next().unwrap()
}

fn snap(name: &str, text: String) {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../../snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_snapshot!(name, text));
}

/// Every theme and size of one screen, set up by `prepare`; then the same
/// screen in French (`NAME_fr_WxH`, default theme: the words do not
/// depend on the theme).
fn all(name: &str, phase: Phase, prepare: impl Fn(&mut App)) {
    for theme in THEMES {
        for (w, h) in SIZES {
            let mut app = fixture::app(phase, theme, false, (w, h));
            prepare(&mut app);
            snap(&format!("{name}_{theme}_{w}x{h}"), draw(&app, w, h));
        }
    }
    french(|| {
        for (w, h) in SIZES {
            let mut app = fixture::app(phase, "default", false, (w, h));
            prepare(&mut app);
            snap(&format!("{name}_fr_{w}x{h}"), draw(&app, w, h));
        }
    });
}

/// Runs `f` in French on this thread.
fn french(f: impl FnOnce()) {
    lang::scoped(Lang::Fr, f)
}

#[test]
fn main_idle() {
    all("main_idle", Phase::Idle, |_| {});
}

#[test]
fn main_running() {
    all("main_running", Phase::Running, |_| {});
}

#[test]
fn main_log_search() {
    all("main_log_search", Phase::Running, |a| {
        press(
            a,
            &[
                KeyCode::Tab,
                KeyCode::Tab,
                KeyCode::Char('g'),
                KeyCode::Char('/'),
            ],
        );
        press(a, &"percent".chars().map(KeyCode::Char).collect::<Vec<_>>());
        press(a, &[KeyCode::Enter]);
    });
}

#[test]
fn main_search_field() {
    all("main_search_field", Phase::Running, |a| {
        press(
            a,
            &[
                KeyCode::Tab,
                KeyCode::Tab,
                KeyCode::Char('/'),
                KeyCode::Char('C'),
            ],
        );
    });
}

#[test]
fn dialog_confirm_stage() {
    all("dialog_confirm_stage", Phase::Idle, |a| {
        a.stage_sel = 4;
        press(a, &[KeyCode::Enter]);
    });
}

#[test]
fn dialog_cancel() {
    all("dialog_cancel", Phase::Running, |a| {
        press(a, &[KeyCode::Char('c')])
    });
}

#[test]
fn dialog_quit() {
    all("dialog_quit", Phase::Running, |a| {
        press(a, &[KeyCode::Char('q')])
    });
}

#[test]
fn dialog_failure_required() {
    all("dialog_failure", Phase::Failed, |_| {});
}

#[test]
fn dialog_manual() {
    all("dialog_manual", Phase::Manual, |a| {
        press(a, &[KeyCode::Char(' '), KeyCode::Tab]);
        press(
            a,
            &"saved ACME".chars().map(KeyCode::Char).collect::<Vec<_>>(),
        );
    });
}

#[test]
fn dialog_locked() {
    all("dialog_locked", Phase::Idle, |a| {
        a.stage_sel = 8;
        press(a, &[KeyCode::Enter]);
    });
}

#[test]
fn step_detail() {
    all("step_detail", Phase::Running, |a| {
        press(a, &[KeyCode::Tab, KeyCode::Char('i')]);
    });
}

#[test]
fn help() {
    all("help", Phase::Idle, |a| press(a, &[KeyCode::Char('?')]));
}

#[test]
fn summary() {
    all("summary", Phase::Finished, |_| {});
}

#[test]
fn ascii() {
    let mut app = fixture::app(Phase::Running, "default", true, (80, 24));
    snap("ascii_main_running_80x24", draw(&app, 80, 24));
    press(&mut app, &[KeyCode::Char('c')]);
    snap("ascii_dialog_cancel_80x24", draw(&app, 80, 24));
    let drawing = draw(&app, 120, 30);
    let text = text_of(&drawing);
    assert!(text.is_ascii(), "non-ASCII glyph in --ascii mode:\n{text}");
}

#[test]
fn too_small() {
    let app = fixture::app(Phase::Running, "default", false, (60, 20));
    snap("too_small_60x20", draw(&app, 60, 20));
    french(|| {
        let app = fixture::app(Phase::Running, "default", false, (60, 20));
        snap("too_small_fr_60x20", draw(&app, 60, 20));
    });
}

/// The production run view and its confirmation in French, and the
/// re-run question.
#[test]
fn french_production_and_questions() {
    use crate::fixture_production as prod;
    french(|| {
        for (w, h) in SIZES {
            let app = prod::app(Phase::Running, "default", false, (w, h));
            snap(&format!("production_running_fr_{w}x{h}"), draw(&app, w, h));
            let mut app = prod::app(Phase::Idle, "default", false, (w, h));
            app.stage_sel = 8;
            press(&mut app, &[KeyCode::Enter]);
            snap(&format!("dialog_production_fr_{w}x{h}"), draw(&app, w, h));
            let mut app = fixture::app(Phase::Finished, "default", false, (w, h));
            press(&mut app, &[KeyCode::Esc]);
            app.stage_sel = 0;
            press(&mut app, &[KeyCode::Enter]);
            snap(&format!("dialog_again_fr_{w}x{h}"), draw(&app, w, h));
        }
    });
}

#[test]
fn unicode_mode_uses_only_box_lines_and_full_blocks() {
    for phase in [Phase::Running, Phase::Failed, Phase::Finished] {
        let app = fixture::app(phase, "default", false, (120, 30));
        let text = draw(&app, 120, 30);
        for c in text_of(&text).chars().filter(|c| !c.is_ascii()) {
            assert!(
                ('\u{2500}'..='\u{257f}').contains(&c) || c == '\u{2588}',
                "glyph {c:?} is neither a box line nor a full block"
            );
        }
    }
}

use crate::common::tmux;

/// The pseudo-terminal helper the end-to-end tests of the binary use:
/// checked here on a shell so it is known to work.
#[test]
fn tmux_helper_drives_a_real_terminal() {
    if !tmux::available() {
        eprintln!("tmux not installed: helper not checked");
        return;
    }
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let code = dir.path().join("exit-code");
    let t = tmux::Tmux::start_with_exit_file(
        "sh",
        &[
            "-c",
            "stty size; echo ready; read x; echo \"got:$x\"; exit 3",
        ],
        (100, 30),
        &[("NO_COLOR", "1")],
        &code,
    )
    .unwrap();
    let screen = t.wait_for("ready", Duration::from_secs(5)).unwrap();
    assert!(screen.contains("30 100"), "{screen}");
    t.literal("hello").unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("got:hello", Duration::from_secs(5)).unwrap();
    // The program's own exit code, as its shell saw it.
    assert_eq!(
        tmux::exit_code_from(&code, Duration::from_secs(20)),
        Some(3)
    );
    assert!(
        t.wait_exit(Duration::from_secs(20)),
        "the pane's program did not end"
    );
}

/// The demo program (the interface on a simulated engine), built if needed.
fn demo_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir
        .join("examples")
        .join(format!("tui_demo{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let st = std::process::Command::new(env!("CARGO"))
            .args(["build", "--example", "tui_demo"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap();
        assert!(st.success(), "cannot build the demo");
    }
    bin
}

fn wait_file(path: &std::path::Path, within: std::time::Duration) -> String {
    let t0 = std::time::Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(path) {
            return s;
        }
        assert!(
            t0.elapsed() < within,
            "{} not written within {within:?}",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// In a real terminal: run a stage, quit while a step runs (asks; No is the
/// default: leave it running), Esc stays, Ctrl-C asks too, "Cancel the step and
/// quit" cancels and quits; the screen is restored.
#[test]
fn pty_quit_while_running_asks_and_restores_the_terminal() {
    if !tmux::available() {
        eprintln!("tmux not installed: not run");
        return;
    }
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let exit = dir.path().join("exit");
    let bin = demo_binary();
    let t = tmux::Tmux::start(
        bin.to_str().unwrap(),
        // Steps long enough that the stage still runs when the test,
        // slowed by a busy machine, presses its keys.
        &[
            "--lines",
            "400",
            "--step-ms",
            "6000",
            "--exit-file",
            exit.to_str().unwrap(),
        ],
        (100, 30),
        &[],
    )
    .unwrap();
    let d = Duration::from_secs(10);
    t.wait_for("Steps of Prerequisites", d).unwrap();
    t.keys(&["Enter"]).unwrap();
    t.wait_for("[>] Administrator rights", d).unwrap();
    t.keys(&["q"]).unwrap();
    t.wait_for("< Leave it running >", d).unwrap();
    // n stays: nothing is cancelled, nothing is left.
    t.keys(&["n"]).unwrap();
    let s = t.wait_for("Enter/r run", d).unwrap();
    assert!(!s.contains("< Leave it running >"), "{s}");
    // Ctrl-C asks the same; cancelling the step is a choice of its own.
    t.keys(&["C-c"]).unwrap();
    t.wait_for("[ Cancel the step and quit ]", d).unwrap();
    t.keys(&["Tab", "Enter"]).unwrap();
    assert_eq!(wait_file(&exit, d).trim(), "QuitCancelled");
    std::thread::sleep(Duration::from_millis(200));
    let s = t.screen().unwrap();
    assert!(!s.contains("Steps of"), "alternate screen not left:\n{s}");
}

/// In a real terminal: a window under 80x24 shows the message, growing it
/// back redraws; hanging up ends the interface within a second.
#[test]
fn pty_small_window_and_hang_up() {
    if !tmux::available() {
        eprintln!("tmux not installed: not run");
        return;
    }
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let exit = dir.path().join("exit");
    let bin = demo_binary();
    let t = tmux::Tmux::start(
        bin.to_str().unwrap(),
        &["--ascii", "--exit-file", exit.to_str().unwrap()],
        (100, 30),
        &[],
    )
    .unwrap();
    let d = Duration::from_secs(10);
    t.wait_for("Steps of Prerequisites", d).unwrap();
    t.resize(70, 20).unwrap();
    t.wait_for("Enlarge the window to at least 80x24 (now 70x20)", d)
        .unwrap();
    t.resize(90, 26).unwrap();
    let s = t.wait_for("Steps of Prerequisites", d).unwrap();
    assert!(s.is_ascii(), "--ascii drew a non-ASCII glyph:\n{s}");
    t.keys(&["Enter"]).unwrap();
    t.wait_for("[>]", d).unwrap();
    t.hang_up().unwrap();
    assert_eq!(
        wait_file(&exit, Duration::from_secs(1)).trim(),
        "TerminalLost"
    );
}

/// Production looks like production in every theme: the word PRODUCTION,
/// then the run id, never cut at 80 columns.
#[test]
fn production_run_view() {
    use crate::fixture_production::{self as prod, RUN_ID};
    for theme in ["default", "high-contrast", "mono"] {
        for (w, h) in SIZES {
            let app = prod::app(Phase::Running, theme, false, (w, h));
            let drawing = draw(&app, w, h);
            let bar = text_of(&drawing).lines().nth(h as usize - 2).unwrap();
            assert!(
                bar.contains("PRODUCTION") && bar.contains(RUN_ID),
                "{theme} {w}x{h}: {bar}"
            );
            // Not the test environment's bar.
            let test = draw(&fixture::app(Phase::Running, theme, false, (w, h)), w, h);
            assert_ne!(
                drawing.split("styles:").nth(1),
                test.split("styles:").nth(1),
                "{theme}: the production bar has its own style"
            );
            snap(&format!("production_running_{theme}_{w}x{h}"), drawing);
        }
    }
    let app = prod::app(Phase::Running, "default", true, (80, 24));
    let drawing = draw(&app, 80, 24);
    assert!(text_of(&drawing).is_ascii());
    assert!(drawing.contains("REVERSED"), "{drawing}");
    snap("ascii_production_running_80x24", drawing);
}

/// The production confirmation names what the run relies on and runs only
/// when the installation name is typed.
#[test]
fn production_confirmation() {
    use crate::fixture_production as prod;
    use dress::engine::command::Command;
    for theme in ["default", "high-contrast", "mono"] {
        for (w, h) in SIZES {
            let mut app = prod::app(Phase::Idle, theme, false, (w, h));
            app.stage_sel = 8;
            press(&mut app, &[KeyCode::Enter]);
            snap(
                &format!("dialog_production_{theme}_{w}x{h}"),
                draw(&app, w, h),
            );
        }
    }
    let mut app = prod::app(Phase::Idle, "default", false, (120, 30));
    app.stage_sel = 8;
    press(&mut app, &[KeyCode::Enter]);
    let text = draw(&app, 120, 30);
    assert!(
        text.contains("20240610-140000-test-9c1d") && text.contains("BLAKE3"),
        "{text}"
    );
    // A wrong name runs nothing and says so.
    let mut sent = Vec::new();
    for k in "CRMSAG".chars().map(KeyCode::Char).chain([KeyCode::Enter]) {
        sent.extend(update(&mut app, Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))).commands);
    }
    assert!(sent.is_empty(), "{sent:?}");
    assert!(draw(&app, 120, 30).contains("That is not CRMSAGE"));
    for k in [KeyCode::Char('E'), KeyCode::Enter] {
        sent.extend(update(&mut app, Msg::Key(KeyEvent::new(k, KeyModifiers::NONE))).commands);
    }
    assert_eq!(
        sent,
        [Command::RunStage {
            stage: "production".into(),
            redo: false
        }]
    );
}

/// The locked notice gives the gate's reason and fix, as the command line.
#[test]
fn locked_notice_says_why_and_how() {
    let mut app = fixture::app(Phase::Idle, "default", false, (120, 30));
    app.production.locked_why = Some(
        "production is locked: the backup stage has not run for this recipe on the test environment. Rehearse first: dress run PLAN --stage rehearsal --env test".into(),
    );
    app.stage_sel = 8;
    press(&mut app, &[KeyCode::Enter]);
    match &app.dialog {
        Some(dress::ui::app::Dialog::Notice(text)) => assert!(
            text.contains("the backup stage has not run") && text.contains("--stage rehearsal"),
            "{text}"
        ),
        other => panic!("{other:?}"),
    }
}
