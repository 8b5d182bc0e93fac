//! The `dress` binary: parse the command line, start the diagnostic log and
//! run the command; the exit code comes from `dress::error`.

use clap::{CommandFactory, FromArgMatches};

use dress::cli::Cli;

fn init_tracing(g: &dress::cli::Global) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    // The tool's own diagnostic log goes into the state folder, never onto
    // the screen.
    let dir = dress::cli::state_dir(g);
    dress::engine::state_dir::create_state_dir(&dir).ok()?;
    let file = tracing_appender::rolling::never(&dir, "dress.log");
    let (w, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(w)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init()
        .ok()?;
    Some(guard)
}

fn main() {
    // `--help` in the language asked for (or the system's), before parsing.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = dress::cli::help_fr::help_language(&args);
    let matches = dress::cli::help_fr::localised(Cli::command(), lang).get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let guard = init_tracing(&cli.global);
    let code = match dress::cli::run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dress: {e}");
            e.exit_code()
        }
    };
    drop(guard);
    std::process::exit(code);
}
