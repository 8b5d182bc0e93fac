//! Exports of the worksheet: Markdown and CSV for people, and the
//! load-balancing settings as a T-SQL script built from the very statements
//! and values the apply step sends (`model::step::sql_text` and
//! `model::lb_params`), so the two cannot differ.

use std::fmt::Write as _;

use crate::model::lb_params::{self, LB_PARAMS};
use crate::model::plan::{EnvKind, Server};
use crate::model::step::sql_text::{self as text, SYSPARAM_INSERT, SYSPARAM_UPDATE};
use crate::model::topology::LbSettings;
use crate::ui::strings::topo;

use super::state::{role_index, service_index};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Sql,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Csv, Format::Sql];

    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Sql => "sql",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "sql" => Ok(Format::Sql),
            other => Err(format!(
                "unknown export format '{other}': use md, csv or sql"
            )),
        }
    }
}

/// What an export needs to know besides the rows.
pub struct Sheet<'a> {
    pub title: &'a str,
    pub env: EnvKind,
    pub rows: &'a [Server],
    pub settings: &'a LbSettings,
    /// The database the settings go into (`None`: no SQL section).
    pub database: Option<&'a str>,
}

pub fn export(sheet: &Sheet, f: Format) -> Result<String, String> {
    match f {
        Format::Markdown => Ok(markdown(sheet)),
        Format::Csv => Ok(csv(sheet.rows)),
        Format::Sql => sql(sheet),
    }
}

fn role_name(s: &Server) -> &'static str {
    topo().roles[role_index(s.role)]
}

fn services_names(s: &Server) -> Vec<&'static str> {
    s.services
        .iter()
        .map(|x| topo().services[service_index(*x)])
        .collect()
}

/// The install path of a row as written in the plan (empty: none).
fn install_path(s: &Server) -> String {
    s.install_path
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A Markdown table cell: one line, pipes escaped, control characters shown.
fn md_cell(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '|' => "\\|".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

pub fn markdown(sheet: &Sheet) -> String {
    let t = topo();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {} — {} — {}\n",
        t.title,
        md_cell(sheet.title),
        sheet.env
    );
    let _ = writeln!(o, "| # | {} |", t.columns.join(" | "));
    let _ = writeln!(o, "|---|{}", "---|".repeat(t.columns.len()));
    for (i, s) in sheet.rows.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            role_name(s),
            services_names(s).join(", "),
            md_cell(&s.name),
            md_cell(&s.address),
            md_cell(&s.ipv6),
            md_cell(&install_path(s))
        );
    }
    let _ = writeln!(o, "\n## {}\n", t.settings);
    let _ = writeln!(
        o,
        "| {} | custom_sysparams | {} |\n|---|---|---|",
        t.export_setting, t.export_value
    );
    for (label, (name, value)) in t
        .setting_labels
        .iter()
        .zip(lb_params::values(sheet.settings))
    {
        let _ = writeln!(o, "| {label} | {name} | {} |", md_cell(&value));
    }
    o
}

/// A CSV field (RFC 4180): quoted when needed; a leading `= + - @` is
/// prefixed with `'` so a spreadsheet never runs it as a formula.
fn csv_field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{v}")
    } else {
        v.to_string()
    };
    if v.contains([',', '"', '\n', '\r', ';']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The worksheet as CSV with the plan's own values (`web-master`,
/// `email-manager`...), services `;`-separated.
pub fn csv(rows: &[Server]) -> String {
    let mut o = String::from("row,role,services,name,address,ipv6,install_path\r\n");
    for (i, s) in rows.iter().enumerate() {
        let role = ["sql", "web-master", "web-secondary"][role_index(s.role)];
        let services: Vec<&str> = s.services.iter().map(|x| x.as_str()).collect();
        let _ = write!(
            o,
            "{},{},{},{},{},{},{}\r\n",
            i + 1,
            role,
            csv_field(&services.join(";")),
            csv_field(&s.name),
            csv_field(&s.address),
            csv_field(&s.ipv6),
            csv_field(&install_path(s))
        );
    }
    o
}

/// A T-SQL string literal.
fn literal(v: &str) -> String {
    format!("N'{}'", v.replace('\'', "''"))
}

/// The settings as a script a DBA can run in the CRM database: for each
/// parameter, the apply step's UPDATE, then its INSERT when no row changed,
/// with `@P1` (name) and `@P2` (value) declared.
pub fn sql(sheet: &Sheet) -> Result<String, String> {
    let db = sheet.database.ok_or_else(|| {
        format!(
            "environments.{}.sql is missing: the settings are written into the CRM database, so add the [sql] section (server, database)",
            sheet.env
        )
    })?;
    text::valid_database_name(db)?;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr_fmt!(
            "-- Load-balancing settings (Administration > System > Database), environment {}",
            "-- Paramètres d'équilibrage de charge (Administration > Système > Base de données), environnement {}",
            sheet.env
        )
    );
    let _ = writeln!(o, "USE {};\nGO", text::quote_ident(db));
    for (name, value) in lb_params::values(sheet.settings) {
        debug_assert!(LB_PARAMS.contains(&name.as_str()));
        let _ = writeln!(
            o,
            "DECLARE @P1 NVARCHAR(4000) = {}, @P2 NVARCHAR(4000) = {};",
            literal(&name),
            literal(&value)
        );
        let _ = writeln!(o, "{SYSPARAM_UPDATE};");
        let _ = writeln!(o, "IF @@ROWCOUNT = 0 {SYSPARAM_INSERT};");
        let _ = writeln!(o, "GO");
    }
    Ok(o)
}
