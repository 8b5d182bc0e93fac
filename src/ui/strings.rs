//! Every word the full-screen interface shows. One table per language
//! (English here, French in [`fr`]); screens only read fields of the tables,
//! and [`s`], [`w`] and [`topo`] give the table of the language in use
//! (`lang::current()`). A field missing in one language does not compile;
//! [`catalogue`] lists every text of every table, for the tests that check
//! both languages are complete and that no English leaks onto a French
//! screen.
//!
//! Templates take their values through [`fill`]: `{}` placeholders are
//! replaced in order.

use serde::Serialize;

use super::keymap::Act;
use crate::model::lang::{self, Lang};

pub mod catalogue;
mod fr;
#[cfg(test)]
mod tests;

#[derive(Serialize)]
pub struct Strings {
    pub too_small: &'static str,
    pub pane_stages: &'static str,
    pub pane_steps: &'static str,
    pub pane_log: &'static str,
    pub pane_log_of: &'static str,
    pub log_paused: &'static str,
    pub log_empty: &'static str,
    pub log_not_loaded: &'static str,
    pub search_prompt: &'static str,
    pub search_none: &'static str,
    pub search_count: &'static str,
    pub no_steps: &'static str,
    /// A label and its value in the status bar: "run: ID".
    pub label_value: &'static str,
    pub status_env: &'static str,
    pub status_run: &'static str,
    pub status_elapsed: &'static str,
    pub status_no_run: &'static str,
    pub stage_not_run: &'static str,
    pub stage_running: &'static str,
    pub stage_passed: &'static str,
    pub stage_failed: &'static str,
    pub stage_skipped: &'static str,
    pub stage_locked: &'static str,
    pub step_pending: &'static str,
    /// A step's status in words, in `StepStatus` order: pending, running,
    /// waiting, passed, failed, skipped, cancelled, interrupted.
    pub step_words: [&'static str; 8],
    pub step_waiting: &'static str,
    pub detail_title: &'static str,
    pub detail_does: &'static str,
    pub detail_measured: &'static str,
    pub detail_notes: &'static str,
    pub detail_log: &'static str,
    pub detail_flags: &'static str,
    pub flag_required: &'static str,
    pub flag_optional: &'static str,
    pub flag_changes: &'static str,
    pub flag_read_only: &'static str,
    pub detail_status: &'static str,
    pub none: &'static str,
    pub help_title: &'static str,
    pub help_key: &'static str,
    pub help_action: &'static str,
    /// Headings of the help: everywhere, stages, steps, log, detail, summary, help, dialogs.
    pub help_sections: [&'static str; 8],
    pub run_aborted: &'static str,
    pub run_interrupted: &'static str,
    pub summary_title: &'static str,
    pub summary_outcome: &'static str,
    pub summary_unfinished: &'static str,
    pub summary_failed: &'static str,
    pub summary_logs: &'static str,
    pub summary_total: &'static str,
    pub summary_fingerprint: &'static str,
    pub summary_override: &'static str,
    pub summary_window: &'static str,
    pub summary_notes: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub confirm_title: &'static str,
    pub confirm_run_stage: &'static str,
    pub confirm_run_step: &'static str,
    pub confirm_changes: &'static str,
    pub confirm_changes_one: &'static str,
    pub confirm_cancel: &'static str,
    pub confirm_quit: &'static str,
    pub confirm_again_stage: &'static str,
    pub confirm_again_step: &'static str,
    pub pick_leave: &'static str,
    pub pick_cancel_quit: &'static str,
    pub pick_stay: &'static str,
    pub pick_recheck: &'static str,
    pub pick_redo: &'static str,
    pub pick_nothing: &'static str,
    pub pick_help_leave: &'static str,
    pub pick_help_again: &'static str,
    pub dialog_hint_choose: &'static str,
    pub hint_answer_waiting: &'static str,
    pub manual_title: &'static str,
    pub manual_tick: &'static str,
    pub manual_note: &'static str,
    pub manual_need_tick: &'static str,
    pub failure_title: &'static str,
    pub failure_text: &'static str,
    pub failure_required: &'static str,
    pub choice_retry: &'static str,
    pub choice_skip: &'static str,
    pub choice_abort: &'static str,
    pub notice_title: &'static str,
    pub notice_locked: &'static str,
    pub notice_busy: &'static str,
    pub notice_lagged: &'static str,
    pub notice_engine_gone: &'static str,
    pub dialog_hint_yes_no: &'static str,
    pub dialog_hint_manual: &'static str,
    pub dialog_hint_failure: &'static str,
    pub dialog_hint_failure_required: &'static str,
    pub dialog_hint_notice: &'static str,
    /// The gate's reason when the interface was not told it.
    pub locked_default: &'static str,
    /// The word the production status bar starts with.
    pub status_production: &'static str,
    pub production_title: &'static str,
    pub production_question: &'static str,
    pub production_what_stage: &'static str,
    pub production_what_step: &'static str,
    pub production_relies: &'static str,
    pub production_relies_none: &'static str,
    pub production_type: &'static str,
    pub production_mismatch: &'static str,
    pub dialog_hint_production: &'static str,
    /// "match", "matches": the count of a log search.
    pub matches: [&'static str; 2],
    /// "manual step", "manual steps": the production window estimate.
    pub manual_steps: [&'static str; 2],
    /// Short and long text of each key action: (hint, help line).
    #[serde(skip)]
    pub act: fn(Act) -> (&'static str, &'static str),
}

pub static EN: Strings = Strings {
    too_small: "Enlarge the window to at least 80x24 (now {}x{}). Press q to quit.",
    pane_stages: "Stages",
    pane_steps: "Steps of {}",
    pane_log: "Log",
    pane_log_of: "Log of {}",
    log_paused: "follow paused",
    log_empty: "(no output yet)",
    log_not_loaded: "(older lines are being read from the log file)",
    search_prompt: "Search: ",
    search_none: "no match for \"{}\"",
    search_count: "\"{}\": {}",
    no_steps: "(this stage has no steps)",
    label_value: "{}: {}",
    status_env: "env",
    status_run: "run",
    status_elapsed: "elapsed",
    status_no_run: "not started",
    stage_not_run: "not run",
    stage_running: "running",
    stage_passed: "passed",
    stage_failed: "failed",
    stage_skipped: "skipped",
    stage_locked: "locked",
    step_pending: "pending",
    step_words: [
        "pending",
        "running",
        "waiting",
        "passed",
        "failed",
        "skipped",
        "cancelled",
        "interrupted",
    ],
    step_waiting: "waiting for operator",
    detail_title: "Step {}",
    detail_does: "What it does",
    detail_measured: "What it measured",
    detail_notes: "Notes",
    detail_log: "Log ({})",
    detail_flags: "Kind: {}  {}  {}",
    flag_required: "required",
    flag_optional: "optional",
    flag_changes: "changes the system",
    flag_read_only: "read-only",
    detail_status: "Status: {}  attempts: {}  duration: {}  {}",
    none: "(none)",
    help_title: "Keys",
    help_key: "Key",
    help_action: "Action",
    help_sections: [
        "Everywhere",
        "Stages",
        "Steps",
        "Log",
        "Step detail",
        "Run summary",
        "Help",
        "Dialogs",
    ],
    run_aborted: "aborted",
    run_interrupted: "interrupted",
    summary_title: "Run summary",
    summary_outcome: "Run {} on {}: {}",
    summary_unfinished: "in progress",
    summary_failed: "Failed steps",
    summary_logs: "Logs: {}",
    summary_total: "Total time of the steps: {}",
    summary_fingerprint: "Recipe fingerprint: {}",
    summary_override: "Production gate overridden by {}: {}",
    summary_window: "Production window (estimate): {} measured + {}",
    summary_notes: "Operator notes",
    yes: "Yes",
    no: "No",
    confirm_title: "Confirm",
    confirm_run_stage: "Run stage \"{}\"?",
    confirm_run_step: "Run step \"{}\"?",
    confirm_changes: "These {} steps change the system (files, database, services):",
    confirm_changes_one: "This step changes the system (files, database, services):",
    confirm_cancel: "Cancel the running step \"{}\"? Its process tree is killed.",
    confirm_quit: "A step is running (\"{}\"). Leave it running in the background?",
    confirm_again_stage: "Stage \"{}\" already passed. Run it again?",
    confirm_again_step: "Step \"{}\" already passed. Run it again?",
    pick_leave: "Leave it running",
    pick_cancel_quit: "Cancel the step and quit",
    pick_stay: "Stay",
    pick_recheck: "Check again",
    pick_redo: "Redo",
    pick_nothing: "Do nothing",
    pick_help_leave: "The engine goes on without this screen: dress attach {} opens the run again.",
    pick_help_again: "Check again: each step checks its work and keeps what is in place, saying so in its log. Redo: the work is done again.",
    dialog_hint_choose: "Left/Right choose  Enter answer  Esc back",
    hint_answer_waiting: "answer the waiting step",
    manual_title: "Manual step",
    manual_tick: "Done",
    manual_note: "Note: ",
    manual_need_tick: "Tick \"Done\" (Space) before confirming.",
    failure_title: "Step failed",
    failure_text: "\"{}\" failed: {}",
    failure_required: "This step is required: it cannot be skipped.",
    choice_retry: "Retry",
    choice_skip: "Skip",
    choice_abort: "Abort",
    notice_title: "Notice",
    notice_locked: "Stage \"{}\" — {}",
    notice_busy: "A step is already running.",
    notice_lagged: "The view fell behind; {} events were missed. Step logs stay complete on disk.",
    notice_engine_gone: "The engine stopped sending events.",
    dialog_hint_yes_no: "y yes  n/Esc no  Tab switch  Enter answer",
    dialog_hint_manual: "Space tick  Tab field  Enter confirm  Esc hide",
    dialog_hint_failure: "r retry  s skip  a abort  arrows choose  Enter answer",
    dialog_hint_failure_required: "r retry  a abort  arrows choose  Enter answer",
    dialog_hint_notice: "Enter/Esc close",
    locked_default: "production is locked: no rehearsal of this recipe passed. Rehearse first: dress run PLAN --stage rehearsal --env test (then sign off the verify stage)",
    status_production: "PRODUCTION",
    production_title: "PRODUCTION",
    production_question: "Run {} on PRODUCTION now? It changes the production system.",
    production_what_stage: "the stage \"{}\"",
    production_what_step: "the step {}",
    production_relies: "It relies on:",
    production_relies_none: "(nothing: the gate was overridden)",
    production_type: "Type the installation name ({}) to go on: ",
    production_mismatch: "That is not {}: nothing was run.",
    dialog_hint_production: "type the installation name  Enter confirm  Esc cancel",
    matches: ["match", "matches"],
    manual_steps: ["manual step", "manual steps"],
    act: act_en,
};

fn act_en(a: Act) -> (&'static str, &'static str) {
    match a {
        Act::Quit => ("quit", "Quit (asks first when a step runs)"),
        Act::Help => ("help", "Show this list of keys"),
        Act::Summary => ("summary", "Show the run summary"),
        Act::Topology => ("topology", "Edit the multiserver worksheet of the plan"),
        Act::NextPane => ("pane", "Move to the next pane"),
        Act::PrevPane => ("pane", "Move to the previous pane"),
        Act::Left => ("stage", "Select the previous stage"),
        Act::Right => ("stage", "Select the next stage"),
        Act::Up => ("up", "Select the previous item / scroll up"),
        Act::Down => ("down", "Select the next item / scroll down"),
        Act::RunStage => ("run", "Run the selected stage (asks if it changes things)"),
        Act::RunStep => (
            "run step",
            "Run the selected step (asks if it changes things)",
        ),
        Act::Detail => ("detail", "Open the detail of the selected step"),
        Act::CancelStep => ("cancel", "Cancel the running step (asks first)"),
        Act::Manual => ("manual", "Show the manual step dialog again"),
        Act::PageUp => ("page up", "Scroll one page up"),
        Act::PageDown => ("page down", "Scroll one page down"),
        Act::Top => ("top", "Go to the first line"),
        Act::Bottom => ("end", "Go to the last line and follow"),
        Act::Follow => ("follow", "Pause or resume following the output"),
        Act::Search => ("search", "Search the log"),
        Act::NextMatch => ("next", "Next match"),
        Act::PrevMatch => ("prev", "Previous match"),
        Act::Back => ("back", "Back to the main screen"),
        Act::Detach => (
            "detach",
            "Leave the interface; the run goes on in the background (dress attach RUN_ID)",
        ),
    }
}

/// The table in use.
pub fn s() -> &'static Strings {
    match lang::current() {
        Lang::En => &EN,
        Lang::Fr => &fr::FR,
    }
}

/// `n` and its noun from a `[singular, plural]` pair of a table, by the
/// plural rule of the language in use: "0 matches", « 0 occurrence ».
pub fn count(n: usize, forms: [&str; 2]) -> String {
    let one = lang::current().singular(n as u64);
    format!("{n} {}", if one { forms[0] } else { forms[1] })
}

/// The words of the topology editor (`dress topology`).
#[derive(Serialize)]
pub struct TopologyStrings {
    pub title: &'static str,
    pub modified: &'static str,
    /// Column headings: role, services, server name, DNS name / IP, IPv6,
    /// install path.
    pub columns: [&'static str; 6],
    /// Role names: SQL server, web master, secondary web.
    pub roles: [&'static str; 3],
    /// Full service names, in `Service::ALL` order.
    pub services: [&'static str; 3],
    /// Short service names for the table cell.
    pub services_short: [&'static str; 3],
    pub empty: &'static str,
    pub problems: &'static str,
    pub no_problem: &'static str,
    pub problem_line: &'static str,
    pub problems_more: &'static str,
    pub problem_short: &'static str,
    pub settings: &'static str,
    /// Labels of the settings panel, in `LB_PARAMS` order.
    pub setting_labels: [&'static str; 5],
    pub derived: &'static str,
    pub chosen: &'static str,
    pub sql_needed: &'static str,
    pub sql_no_connection: &'static str,
    pub sql_check_hint: &'static str,
    pub sql_checking: &'static str,
    pub sql_ok: &'static str,
    pub sql_failed: &'static str,
    pub picker_title: &'static str,
    pub confirm_delete: &'static str,
    pub confirm_quit: &'static str,
    pub editing: &'static str,
    pub saved: &'static str,
    pub save_failed: &'static str,
    pub saved_with_problems: &'static str,
    pub exported: &'static str,
    pub export_failed: &'static str,
    pub choose_title: &'static str,
    pub choose_intro: &'static str,
    pub choose_line: &'static str,
    pub help_title: &'static str,
    /// Headings of the help: table, cell editing, services picker,
    /// questions, the environment question, the help itself.
    pub help_sections: [&'static str; 6],
    /// What one web server needs, in the "SQL connections needed" line
    /// when the pool size is not known.
    pub sql_per_server: &'static str,
    /// The failed and the written files of an export.
    pub export_partial: &'static str,
    /// Headings of the settings table of the Markdown export.
    pub export_setting: &'static str,
    pub export_value: &'static str,
    pub save_io: &'static str,
    pub plan_unreadable: &'static str,
    pub no_env_table: &'static str,
    pub check_no_temp: &'static str,
    pub check_no_start: &'static str,
    #[serde(skip)]
    pub act: fn(super::topology::keys::TAct) -> (&'static str, &'static str),
}

pub static TOPOLOGY_EN: TopologyStrings = TopologyStrings {
    title: "Topology",
    modified: "modified",
    columns: [
        "Role",
        "Services",
        "Server name",
        "DNS name / IP",
        "IPv6 address",
        "Install path",
    ],
    roles: ["SQL server", "web master", "secondary web"],
    services: ["e-mail manager", "escalation", "indexer"],
    services_short: ["mail", "esc", "idx"],
    empty: "No server yet: press a to add the first row (single-server installations need none).",
    problems: "Problems ({})",
    no_problem: "The worksheet is valid.",
    problem_line: "row {} {}: {} — {}",
    problem_short: "row {} {}: {}",
    problems_more: "{} more problem(s), on row(s) {}: a cell in red gives its problem in full below when the cursor is on it",
    settings: "Load-balancing settings (custom_sysparams)",
    setting_labels: [
        "CRM server names",
        "Web server IPv6 addresses",
        "Perform load balancing",
        "Fully qualified names",
        "DTLS server name",
    ],
    derived: "derived, b to choose",
    chosen: "chosen in the plan, b to change",
    sql_needed: "SQL connections needed: {} web server(s) x (1 + Tomcat pool {}) = {}",
    sql_no_connection: "SQL connections needed: {} per web server; the environment has no [sql] section to check against",
    sql_check_hint: "c checks the server",
    sql_checking: "checking the SQL server...",
    sql_ok: "SQL server: {}",
    sql_failed: "SQL check failed: {}",
    picker_title: "Services of {}",
    confirm_delete: "Delete row {} ({})?",
    confirm_quit: "The worksheet has unsaved changes. Quit without saving?",
    editing: "Editing {}: ",
    saved: "Saved into {}",
    save_failed: "Not saved: {}",
    saved_with_problems: "Saved into {}; {} problem(s) remain: the run refuses the plan until they are fixed",
    exported: "Exported {} beside the plan, in {}",
    export_failed: "Export failed: {}",
    choose_title: "Which environment?",
    choose_intro: "Both environments list servers. Choose the worksheet to edit (--env test or --env production opens it directly).",
    choose_line: "{}: {} server(s)",
    help_title: "Topology keys",
    help_sections: [
        "Table",
        "Editing a cell",
        "Services picker",
        "Questions",
        "Which environment",
        "This list",
    ],
    sql_per_server: "1 + Tomcat pool",
    export_partial: "{} (written: {})",
    export_setting: "Setting",
    export_value: "Value",
    save_io: "{}: {} — check the file is writable and the disk not full",
    plan_unreadable: "{}: the plan cannot be read: {} — fix it (dress plan validate {} shows every problem)",
    no_env_table: "{}: the plan has no [environments.{}] table — add it (install_dir, backup_dir) or choose the other environment with --env",
    check_no_temp: "{}: {} — the check needs a temporary file",
    check_no_start: "cannot start the check: {}",
    act: topo_act_en,
};

fn topo_act_en(a: super::topology::keys::TAct) -> (&'static str, &'static str) {
    use super::topology::keys::TAct;
    match a {
        TAct::Up => ("up", "Previous row / item"),
        TAct::Down => ("down", "Next row / item"),
        TAct::Left => ("left", "Previous column"),
        TAct::Right => ("right", "Next column"),
        TAct::NextCell => ("next", "Next cell"),
        TAct::PrevCell => ("prev", "Previous cell"),
        TAct::Edit => (
            "edit",
            "Edit the cell; on Role cycle the role; on Services open the picker",
        ),
        TAct::Toggle => ("toggle", "Cycle the role / toggle a service"),
        TAct::Add => ("add", "Add a row below this one"),
        TAct::Delete => ("del", "Delete this row (asks first)"),
        TAct::MoveUp => ("move", "Move the row up (the master comes first)"),
        TAct::MoveDown => ("move down", "Move the row down"),
        TAct::Balance => (
            "balance",
            "Choose \"perform load balancing\": derived, true, false",
        ),
        TAct::Check => ("check SQL", "Check the SQL server's user connections now"),
        TAct::Save => ("save", "Save the servers into the plan (comments kept)"),
        TAct::Export => (
            "export",
            "Write the worksheet (.md, .csv) and the settings (.sql) next to the plan",
        ),
        TAct::Help => ("help", "Show this list of keys"),
        TAct::Quit => ("quit", "Leave the editor (asks when changes are unsaved)"),
        TAct::Close => ("close", "Close / cancel"),
        TAct::Yes => ("yes", "Answer yes"),
        TAct::No => ("no", "Answer no"),
        TAct::Switch => ("switch", "Switch the highlighted answer"),
        TAct::Answer => ("confirm", "Confirm / give the highlighted answer"),
    }
}

/// The words of the topology editor in use.
pub fn topo() -> &'static TopologyStrings {
    match lang::current() {
        Lang::En => &TOPOLOGY_EN,
        Lang::Fr => &fr::TOPOLOGY_FR,
    }
}

/// Replace each `{}` of `template` by the next value.
pub fn fill(template: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut it = values.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        match it.next() {
            Some(v) => out.push_str(&v.to_string()),
            None => out.push_str("{}"),
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A duration in milliseconds, in the language in use: `1h02m03s`,
/// `2m05s` or `4.2s` in English; « 1 h 02 min 03 s », « 2 min 05 s » or
/// « 4,2 s » in French (decimal comma, a space before each unit).
pub fn duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, sec, tenth) = (s / 3600, (s / 60) % 60, s % 60, (ms % 1000) / 100);
    match (lang::current(), s) {
        (Lang::En, 3600..) => format!("{h}h{m:02}m{sec:02}s"),
        (Lang::En, 60..) => format!("{m}m{sec:02}s"),
        (Lang::En, _) => format!("{sec}.{tenth}s"),
        (Lang::Fr, 3600..) => format!("{h} h {m:02} min {sec:02} s"),
        (Lang::Fr, 60..) => format!("{m} min {sec:02} s"),
        (Lang::Fr, _) => format!("{sec},{tenth} s"),
    }
}

/// Every word of the plan wizard (`dress new`).
#[derive(Serialize)]
pub struct WizardStrings {
    pub title_new: &'static str,
    pub title_edit: &'static str,
    /// Company, installation, SQL, options, environments, integration, summary.
    pub pages: [&'static str; 7],
    pub intros: [&'static str; 7],
    pub next_refused: &'static str,
    pub company_refused: &'static str,
    pub test_refused: &'static str,
    pub test_action: &'static str,
    pub test_running: &'static str,
    pub test_not_run: &'static str,
    pub test_ok: &'static str,
    pub test_failed: &'static str,
    pub masked_note: &'static str,
    pub servers_note: &'static str,
    pub relative_note: &'static str,
    pub companies_empty: &'static str,
    pub companies_service_off: &'static str,
    pub company_columns: [&'static str; 7],
    pub editor_add: &'static str,
    pub editor_modify: &'static str,
    pub confirm_title: &'static str,
    pub confirm_delete: &'static str,
    pub confirm_quit: &'static str,
    pub summary_new: &'static str,
    pub summary_edit: &'static str,
    pub summary_problems: &'static str,
    pub summary_ready: &'static str,
    pub summary_more: &'static str,
    pub saved: &'static str,
    pub save_refused: &'static str,
    pub save_failed: &'static str,
    /// A yes/no answer as shown (the plan keeps `yes`/`no` underneath).
    pub yes: &'static str,
    pub no: &'static str,
    pub summary_sql: &'static str,
    pub summary_password: &'static str,
    /// The integration line of the summary: one company, several.
    pub summary_companies: [&'static str; 2],
    pub proxy_port_bad: &'static str,
    pub proxy_port_fix: &'static str,
    pub test_password_prompt: &'static str,
    pub test_no_temp: &'static str,
    pub test_no_log: &'static str,
    pub open_refused: &'static str,
    #[serde(skip)]
    pub field: fn(crate::ui::wizard::fields::F) -> &'static str,
    #[serde(skip)]
    pub act: fn(crate::ui::wizard::keys::Act) -> &'static str,
    /// What each key does, for the list of keys.
    #[serde(skip)]
    pub act_help: fn(crate::ui::wizard::keys::Act) -> &'static str,
    pub help_title: &'static str,
    /// Headings of the list of keys, in `keys::sections` order.
    pub help_sections: [&'static str; 7],
}

pub static WIZARD_EN: WizardStrings = WizardStrings {
    title_new: "New plan — {}",
    title_edit: "Edit plan — {}",
    pages: [
        "Company",
        "Installation",
        "SQL Server",
        "Options",
        "Environments",
        "Integration",
        "Summary",
    ],
    intros: [
        "The company exactly as on the order form, and where the licence key comes from (never written in the plan).",
        "The installation name names the web site, the database and the folder: CRM + the company, 10 characters at most. Then the vendor setup to run.",
        "The SQL Server of the installation. The password is a reference; type it below only to test the connection.",
        "What to install, how to reach SQL Server, and the HTTP proxy (leave the host empty when there is none).",
        "Folders of the test (rehearsal) and production environments.",
        "Back-office companies synchronised by the integration service.",
        "Check the answers. Nothing is written before you save.",
    ],
    next_refused: "Next refused: {} error(s) on this page, each shown under its field",
    company_refused: "The company is not kept: {} error(s) — fix them first",
    test_refused: "Fix the server, login, database and password reference before testing the connection",
    test_action: "Test connection",
    test_running: "testing the connection…",
    test_not_run: "not run yet",
    test_ok: "ok",
    test_failed: "failed",
    masked_note: "only for the test, never saved",
    servers_note: "Servers: {} in test, {} in production (edited in the topology editor, kept as they are)",
    relative_note: "relative to the plan's folder {}: {}",
    companies_empty: "No integration company yet. Press a to add one (Sage100 is the recommended first title).",
    companies_service_off: "The integration service is off (Options page): companies need it.",
    company_columns: [
        "Title",
        "Dormant",
        "Contacts",
        "Phones",
        "Addresses",
        ".mae file",
        ".gcm file",
    ],
    editor_add: "Add an integration company",
    editor_modify: "Modify an integration company",
    confirm_title: "Confirm",
    confirm_delete: "Delete the integration company \"{}\"?",
    confirm_quit: "Quit without saving? The answers typed are lost.",
    summary_new: "Saving writes the new file {}",
    summary_edit: "Saving changes {} in place (comments and key order kept)",
    summary_problems: "{} problem(s) remain — fix them before saving:",
    summary_ready: "Every answer is valid. Press Enter to save.",
    summary_more: "... {} more line(s): Down to scroll",
    saved: "Saved {}",
    save_refused: "Not saved: {} problem(s) remain — see the summary",
    save_failed: "Not saved: {}",
    yes: "yes",
    no: "no",
    summary_sql: "SQL {} / {}, login {}",
    summary_password: "password {}",
    summary_companies: [
        "{}, {} integration company: {}",
        "{}, {} integration companies: {}",
    ],
    proxy_port_bad: "\"{}\" is not a port number",
    proxy_port_fix: "write the proxy's port, from 1 to 65535 (often 3128 or 8080)",
    test_password_prompt: "{}: the password is asked at the start of a run — type it in the Password (test) field to test the connection",
    test_no_temp: "cannot create a temporary folder for the check logs: {}",
    test_no_log: "cannot write the check log {}: {}",
    open_refused: "{}\n(the wizard opens only a plan file that reads; fix this line first)",
    field: wizard_field_en,
    act: wizard_act_en,
    act_help: wizard_act_help_en,
    help_title: "Wizard keys",
    help_sections: [
        "Form pages",
        "SQL Server page (besides the form's keys)",
        "Integration companies",
        "Company editor",
        "Summary",
        "Questions",
        "This list",
    ],
};

fn wizard_act_help_en(a: crate::ui::wizard::keys::Act) -> &'static str {
    use crate::ui::wizard::keys::Act::*;
    match a {
        NextPage => "Next page (refused while the page has errors)",
        PrevPage => "Previous page (the answers stay)",
        NextField => "Next field",
        PrevField => "Previous field",
        Change => "Change a choice or a yes/no (Space, Left, Right)",
        Test => "Test the SQL connection with the password typed below",
        Add => "Add an integration company",
        Modify => "Modify the selected company",
        Delete => "Delete the selected company (asks first)",
        Up | Down => "Select a company",
        ScrollUp | ScrollDown => "Scroll",
        Help => "This list of keys (? also works where nothing is typed)",
        Save => "Save (the plan, or the company being edited)",
        Cancel => "Close / cancel without keeping",
        Quit => "Leave the wizard (asks when answers would be lost)",
        Yes => "Answer yes",
        No => "Answer no",
        Switch => "Switch the highlighted answer",
        Answer => "Give the highlighted answer (No when the question opens)",
    }
}

fn wizard_field_en(f: crate::ui::wizard::fields::F) -> &'static str {
    use crate::ui::wizard::fields::F::*;
    match f {
        Company => "Company",
        LicenceFrom => "Licence key from",
        LicenceEnv => "Licence key variable",
        Installation => "Installation name",
        Mode => "Install or upgrade",
        IntegrationPackage => "Integration package",
        TestUrl => "Test site URL",
        ProdUrl => "Prod site URL",
        Version => "Target version",
        SetupPackage => "Setup package",
        SetupArgs => "Setup arguments",
        SqlServer => "SQL server",
        SqlLogin => "Login",
        SqlDatabase => "Database",
        SqlTestDatabase => "Test database",
        SqlPasswordFrom => "Password from",
        SqlPasswordEnv => "Password variable",
        SqlTestPassword => "Password (test)",
        IntegrationService => "Integration service",
        Kind => "Installation kind",
        DemoDatabase => "Demo database",
        Encryption => "SQL encryption",
        TrustCertificate => "Trust certificate",
        ProxyHost => "Proxy host",
        ProxyPort => "Proxy port",
        ProxyLogin => "Proxy login",
        ProxyPasswordFrom => "Proxy password from",
        ProxyPasswordEnv => "Proxy pw variable",
        TestInstall => "Test install folder",
        TestBackup => "Test backup folder",
        ProdInstall => "Prod install folder",
        ProdBackup => "Prod backup folder",
        Title => "Title",
        SyncDormant => "Sync dormant",
        SyncContacts => "Sync contacts",
        SyncPhones => "Sync phones",
        SyncAddresses => "Sync addresses",
        MaeFile => "Accounting (.mae)",
        GcmFile => "Commercial (.gcm)",
    }
}

fn wizard_act_en(a: crate::ui::wizard::keys::Act) -> &'static str {
    use crate::ui::wizard::keys::Act::*;
    match a {
        NextPage => "next",
        PrevPage => "back",
        NextField => "field",
        PrevField => "field",
        Change => "change",
        Test => "test",
        Add => "add",
        Modify => "modify",
        Delete => "delete",
        Up | Down => "select",
        ScrollUp | ScrollDown => "scroll",
        Help => "help",
        Save => "save",
        Cancel => "cancel",
        Quit => "quit",
        Yes => "yes",
        No => "no",
        Switch => "switch",
        Answer => "answer",
    }
}

/// The wizard's table in use.
pub fn w() -> &'static WizardStrings {
    match lang::current() {
        Lang::En => &WIZARD_EN,
        Lang::Fr => &fr::WIZARD_FR,
    }
}
