//! Command line: the TUI by default, headless runs, plan tools, reports.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::EnvKind;

#[derive(Debug, Parser)]
#[command(
    name = "dress",
    version,
    about = "Install and upgrade an on-premises CRM (IIS + Tomcat + SQL Server), rehearsing every upgrade on a test environment first",
    long_about = "dress runs the installation and the upgrade checklist of an on-premises CRM from a plan file \
(TOML answer file): prerequisites, install, multiserver, licence, then backup, test environment, trial upgrade, \
verify, production and control. Every run is journalled in the state folder; production is refused until the \
same recipe passed a rehearsal.\n\nWith no command, the full-screen interface opens on PLAN (or on the bundled example)."
)]
pub struct Cli {
    /// Plan file to open in the full-screen interface.
    pub plan: Option<PathBuf>,

    /// Environment the full-screen interface works on
    #[arg(long, short, default_value = "test", value_name = "test|production")]
    pub env: EnvKind,

    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Args, Clone)]
pub struct Global {
    /// Folder of runs, locks and the diagnostic log [default: %ProgramData%\dress on Windows,
    /// $XDG_STATE_HOME/dress or ~/.local/state/dress elsewhere; DRESS_STATE_DIR overrides]
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Colour theme: default, high-contrast, mono, or a theme file (NO_COLOR selects mono)
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub theme: Option<String>,

    /// Draw with ASCII characters only (old consoles)
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Language of screens, messages and reports: en or fr [default: DRESS_LANG, then the
    /// plan's [deployment] language, then the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG),
    /// then en]
    #[arg(long, global = true, value_name = "en|fr")]
    pub lang: Option<crate::model::lang::Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run stages without the full-screen interface (CI, scripts)
    Run(RunArgs),
    /// Check or inspect a plan file
    #[command(subcommand)]
    Plan(PlanCmd),
    /// List the runs of the state folder (or remove old ones)
    Runs(RunsArgs),
    /// Open the full-screen interface on a run (running or finished); with no id, list the runs
    Attach { run_id: Option<String> },
    /// The background engine of a run started from the full-screen interface
    #[command(hide = true)]
    Engine {
        plan: PathBuf,
        #[arg(long, short)]
        env: EnvKind,
        #[arg(long)]
        run_id: String,
        /// Read the answers of the prompted secrets from standard input
        /// (a JSON object, field -> value), written there by the view
        #[arg(long)]
        secrets_stdin: bool,
    },
    /// Print the report of a run
    Report(ReportArgs),
    /// Write a plan with the full-screen wizard; an existing FILE is opened prefilled
    /// and edited in place (comments and key order kept) [default: plan.toml]
    New { file: Option<PathBuf> },
    /// Edit the multiserver worksheet of an environment (full screen), or export it
    Topology(TopologyArgs),
    /// Print the shell completions of dress (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page of dress (roff), generated from the same definitions as --help
    Man,
}

#[derive(Debug, Args)]
pub struct TopologyArgs {
    /// The plan file; saving writes the servers back into it, comments kept
    pub file: PathBuf,

    /// Environment whose servers are edited [default: the one that has
    /// servers; the editor asks when both have some]
    #[arg(long, short, value_name = "test|production")]
    pub env: Option<EnvKind>,

    /// Print the worksheet (md, csv) or the load-balancing settings as SQL
    /// (sql) instead of opening the editor
    #[arg(long, value_name = "md|csv|sql")]
    pub export: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The plan file (not needed with --resume: the run keeps a copy of its plan)
    pub plan: Option<PathBuf>,

    /// Stage to run; repeat or separate with commas. `rehearsal` stands for
    /// backup,test-env,trial-upgrade,verify
    #[arg(long, short, value_delimiter = ',', value_name = "ID")]
    pub stage: Vec<String>,

    /// Environment the run works on
    #[arg(long, short, default_value = "test", value_name = "test|production")]
    pub env: EnvKind,

    /// Do not ask before steps that change something
    #[arg(long, short)]
    pub yes: bool,

    /// Print events as JSON lines
    #[arg(long)]
    pub json: bool,

    /// Print the output lines of every step too
    #[arg(long, short)]
    pub verbose: bool,

    /// Answer a manual step in advance: STEP_ID=NOTE (STEP_ID is `step` or `stage/step`)
    #[arg(long, value_name = "STEP_ID=NOTE")]
    pub confirm: Vec<String>,

    /// What to do when a step fails: abort, or retry:N
    #[arg(long, default_value = "abort", value_name = "abort|retry:N")]
    pub on_failure: String,

    /// Do the work of this stage again even where it is in place (by default a
    /// step that changes something first checks whether its work is already
    /// done, says so and keeps it); repeat or separate with commas
    #[arg(long, value_delimiter = ',', value_name = "STAGE")]
    pub redo: Vec<String>,

    /// Reopen a run that stopped (crash, kill, waiting for an operator) and go on
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<String>,

    /// Remove a lock left by a run whose process is gone
    #[arg(long)]
    pub break_stale_lock: bool,

    /// Run in the background, apart from this terminal: the run goes on if the
    /// SSH session or console closes; follow it with `dress attach RUN_ID` (needs --yes)
    #[arg(long)]
    pub detach: bool,

    /// Id of the new run (set by --detach)
    #[arg(long, hide = true)]
    pub run_id: Option<String>,

    /// Run production although no rehearsal of this recipe passed; asks twice
    /// on a terminal (or needs --yes without one); the reason is journalled
    #[arg(long, value_name = "REASON")]
    pub override_gate: Option<String>,

    /// Run a stage of the rehearsal although the stages before it in the
    /// checklist have not passed in this rehearsal; the reason is journalled
    #[arg(long, value_name = "REASON")]
    pub out_of_order: Option<String>,

    /// Let production SQL steps log in with encryption = "not-supported"
    /// (the login and password cross the network in clear text)
    #[arg(long)]
    pub allow_unencrypted_sql: bool,
}

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Check a plan; print every error as FILE:LINE:COL: field: what — fix (exit code 2)
    Validate { file: PathBuf },
    /// Dry run: print the stages and steps with the exact commands and SQL they would run (changes nothing)
    Show {
        file: PathBuf,
        #[arg(long, short, default_value = "test", value_name = "test|production")]
        env: EnvKind,
        /// Only this stage
        #[arg(long, short, value_name = "ID")]
        stage: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Print the list as JSON (one array)
    #[arg(long)]
    pub json: bool,

    #[command(subcommand)]
    pub action: Option<RunsCmd>,
}

#[derive(Debug, Subcommand)]
pub enum RunsCmd {
    /// Remove old runs, keeping the newest N; a run the production gate relies
    /// on (the last passed rehearsal, a production run) and a run in progress
    /// are always kept
    Prune {
        #[arg(long, value_name = "N")]
        keep: usize,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    pub run_id: String,
    #[arg(long, default_value = "markdown", value_name = "markdown|junit|json")]
    pub format: String,
}

/// The state folder: --state-dir, DRESS_STATE_DIR, then the system default.
pub fn state_dir(g: &Global) -> PathBuf {
    if let Some(d) = &g.state_dir {
        return d.clone();
    }
    if let Some(d) = std::env::var_os("DRESS_STATE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        return base.join("dress");
    }
    if let Some(x) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(x).join("dress");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local").join("state").join("dress")
}
