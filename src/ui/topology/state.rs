//! The editor's view model: the rows being edited, the cursor, what is open,
//! and the validation computed after every change. Changed only by
//! `update`; read by `render`.

use std::path::PathBuf;

use tui_input::Input;

use super::envs::{self, EnvPick};
use crate::model::lb_params;
use crate::model::plan::{EnvKind, Plan, Role, Server, Service, SqlConnection};
use crate::model::topology::{Column, LbSettings, TopologyError, validate_topology};
use crate::ui::glyphs::Glyphs;
use crate::ui::theme::Theme;

/// The table's columns, left to right.
pub const COLUMNS: [Column; 6] = [
    Column::Role,
    Column::Services,
    Column::Name,
    Column::Address,
    Column::Ipv6,
    Column::InstallPath,
];

/// What has the keys besides the table.
#[derive(Debug)]
pub enum Mode {
    Table,
    /// A text cell being edited.
    Edit(Input),
    /// The services picker of the current row; `sel` indexes `Service::ALL`.
    Services {
        sel: usize,
    },
    ConfirmDelete {
        yes: bool,
    },
    ConfirmQuit {
        yes: bool,
    },
    /// The list of keys, scrolled by this many lines.
    Help {
        scroll: u16,
    },
    /// Both environments have servers and none was named: which one to
    /// edit (`sel` indexes `envs::KINDS`).
    ChooseEnv {
        sel: usize,
    },
}

/// The live SQL connections check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlCheck {
    NotRun,
    Running,
    Done(Result<String, String>),
}

/// A line for the user after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub error: bool,
    pub text: String,
}

pub struct Editor {
    /// The plan file.
    pub path: PathBuf,
    pub env: EnvKind,
    /// The plan text as last read or saved: saving edits it.
    pub source: String,
    pub sql: Option<SqlConnection>,
    pub rows: Vec<Server>,
    pub row: usize,
    /// Index into [`COLUMNS`].
    pub col: usize,
    pub mode: Mode,
    /// "Perform load balancing" chosen in the plan (`None`: derived).
    pub perform_lb: Option<bool>,
    pub errors: Vec<TopologyError>,
    pub note: Option<Note>,
    pub dirty: bool,
    pub sql_check: SqlCheck,
    pub theme: Theme,
    pub glyphs: Glyphs,
    /// Servers listed by each environment of `envs::KINDS` when opened.
    pub env_servers: [Option<usize>; 2],
}

impl Editor {
    /// An editor on the servers of `env` in the plan text `source` (read
    /// from `path`). The plan must parse; its other checks are not needed to
    /// edit the worksheet.
    pub fn new(
        path: PathBuf,
        env: EnvKind,
        source: String,
        theme: Theme,
        ascii: bool,
    ) -> Result<Editor, String> {
        Editor::open(path, Some(env), source, theme, ascii)
    }

    /// An editor on `env`, or without it on the environment that has
    /// servers; when both have some, it opens asking which.
    pub fn open(
        path: PathBuf,
        env: Option<EnvKind>,
        source: String,
        theme: Theme,
        ascii: bool,
    ) -> Result<Editor, String> {
        let plan = parse(&path, &source)?;
        let (env, mode) = match env.map_or_else(|| envs::pick(&plan), EnvPick::Open) {
            EnvPick::Open(env) => (env, Mode::Table),
            EnvPick::Ask => (EnvKind::Test, Mode::ChooseEnv { sel: 0 }),
        };
        let e = env_of(&path, &plan, env)?;
        let mut ed = Editor {
            path,
            env,
            sql: e.sql.clone(),
            rows: e.servers.clone(),
            perform_lb: e.perform_load_balancing,
            source,
            row: 0,
            col: 0,
            mode,
            errors: Vec::new(),
            note: None,
            dirty: false,
            sql_check: SqlCheck::NotRun,
            theme,
            glyphs: Glyphs::new(ascii),
            env_servers: envs::KINDS.map(|k| envs::servers_of(&plan, k)),
        };
        ed.revalidate();
        Ok(ed)
    }

    /// Edit `env` instead (nothing changed yet): its rows from the text.
    pub fn switch_env(&mut self, env: EnvKind) -> Result<(), String> {
        let plan = parse(&self.path, &self.source)?;
        let e = env_of(&self.path, &plan, env)?;
        self.env = env;
        self.sql = e.sql.clone();
        self.rows = e.servers.clone();
        self.perform_lb = e.perform_load_balancing;
        self.row = 0;
        self.col = 0;
        self.dirty = false;
        self.note = None;
        self.sql_check = SqlCheck::NotRun;
        self.revalidate();
        Ok(())
    }

    /// Recompute the problems after a change.
    pub fn revalidate(&mut self) {
        self.errors = validate_topology(&self.rows);
        self.row = self.row.min(self.rows.len().saturating_sub(1));
        self.col = self.col.min(COLUMNS.len() - 1);
    }

    pub fn column(&self) -> Column {
        COLUMNS[self.col.min(COLUMNS.len() - 1)]
    }

    /// The settings as they will be stored.
    pub fn settings(&self) -> LbSettings {
        lb_params::settings(&self.rows, self.perform_lb)
    }

    pub fn web_servers(&self) -> u32 {
        let n = self.rows.iter().filter(|s| s.role != Role::Sql).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// SQL connections the web servers need: one DLL connection plus a
    /// Tomcat pool each. `None` without a SQL section.
    pub fn needed_connections(&self) -> Option<(u32, u32, u64)> {
        let pool = self.sql.as_ref()?.tomcat_pool;
        let web = self.web_servers().max(1);
        Some((web, pool, u64::from(web) * (1 + u64::from(pool))))
    }

    /// The first problem of a cell.
    pub fn error_at(&self, row: usize, column: Column) -> Option<&TopologyError> {
        self.errors
            .iter()
            .find(|e| e.row == row && e.column == column)
    }

    /// The text of a cell as it is edited (not for role and services).
    pub fn cell_text(&self, row: usize, column: Column) -> String {
        let Some(s) = self.rows.get(row) else {
            return String::new();
        };
        match column {
            Column::Name => s.name.clone(),
            Column::Address => s.address.clone(),
            Column::Ipv6 => s.ipv6.clone(),
            Column::InstallPath => s
                .install_path
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Column::Role => role_index(s.role).to_string(),
            Column::Services => s
                .services
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

fn parse(path: &std::path::Path, source: &str) -> Result<Plan, String> {
    toml::from_str(source).map_err(|e| {
        crate::ui::strings::fill(
            crate::ui::strings::topo().plan_unreadable,
            &[&path.display(), &e.message(), &path.display()],
        )
    })
}

fn env_of<'a>(
    path: &std::path::Path,
    plan: &'a Plan,
    env: EnvKind,
) -> Result<&'a crate::model::plan::Environment, String> {
    plan.environments.get(env).ok_or_else(|| {
        crate::ui::strings::fill(
            crate::ui::strings::topo().no_env_table,
            &[&path.display(), &env],
        )
    })
}

/// Position of a role in the role names (and the cycling order).
pub fn role_index(r: Role) -> usize {
    match r {
        Role::Sql => 0,
        Role::WebMaster => 1,
        Role::WebSecondary => 2,
    }
}

pub fn service_index(s: Service) -> usize {
    Service::ALL.iter().position(|x| *x == s).unwrap_or(0)
}
