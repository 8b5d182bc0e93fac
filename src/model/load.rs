//! Loading a plan file: TOML syntax, serde types, then every semantic rule,
//! all reported as [`Diagnostic`]s with a line and a column.
//!
//! Syntax and type errors stop at the first one (the TOML parser and serde
//! cannot go on); semantic rules are all checked and all reported.

use std::fmt;
use std::path::{Path, PathBuf};

use super::locate::{LineIndex, SpanIndex};
use super::naming::{shown, shown_max};
use super::plan::Plan;
use super::validate::{Issue, validate};

/// One problem in a plan file, printed as
/// `FILE:LINE:COL: field: what is wrong — how to fix it`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// Dotted path of the field, e.g. `environments.test.servers[1].ipv6`.
    pub field: String,
    pub what: String,
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {} — {}",
            self.file, self.line, self.col, self.field, self.what, self.fix
        )
    }
}

/// A plan that passed every rule, with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub plan: Plan,
    pub path: PathBuf,
    pub source: String,
}

/// Read and check a plan file.
pub fn load_plan(path: impl AsRef<Path>) -> Result<LoadedPlan, Vec<Diagnostic>> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let text = read_plan_text(path).map_err(|d| vec![*d])?;
    let base = super::paths::plan_folder(path);
    let plan = parse_plan_at(&name, &text, Some(&base))?;
    Ok(LoadedPlan {
        plan,
        path: path.to_path_buf(),
        source: text,
    })
}

/// A plan file's text; a byte that is not UTF-8 is pointed at.
pub fn read_plan_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(Diagnostic {
            file: name.clone(),
            line: 1,
            col: 1,
            field: "plan".into(),
            what: format!("the file cannot be read ({e})"),
            fix: "check the path and the permissions".into(),
        })
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The valid text before the bad byte gives its line and column.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, col) = LineIndex::new(before).line_col(at);
        Box::new(Diagnostic {
            file: name.clone(),
            line,
            col,
            field: "plan".into(),
            what: format!(
                "byte {at} (0x{:02X}) is not UTF-8 text",
                bytes.get(at).copied().unwrap_or_default()
            ),
            fix: "save the plan as UTF-8 (an editor's \"UTF-8\" encoding), or retype the \
                  characters at this place"
                .into(),
        })
    })
}

/// Parse and check plan text; `file_name` is only used in the diagnostics.
pub fn parse_plan(file_name: &str, text: &str) -> Result<Plan, Vec<Diagnostic>> {
    parse_plan_at(file_name, text, None)
}

/// Parse and check plan text; with `base` (the plan file's folder), the
/// folders are also resolved on disk and compared (see
/// `validate::check_overlap`). The plan returned keeps its paths as written.
pub fn parse_plan_at(
    file_name: &str,
    text: &str,
    base: Option<&Path>,
) -> Result<Plan, Vec<Diagnostic>> {
    let lines = LineIndex::new(text);
    let at = |offset: Option<usize>, field: String, what: String, fix: String| {
        let (line, col) = offset.map_or((1, 1), |o| lines.line_col(o));
        Diagnostic {
            file: file_name.to_string(),
            line,
            col,
            field,
            what,
            fix,
        }
    };
    // One parse when the plan is well formed (a large plan is parsed once,
    // not three times); on an error, the syntax check and the span index
    // say where and what, as before.
    let plan: Plan = match toml::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            if let Err(e) = toml_edit::Document::parse(text) {
                let what = first_line(e.message());
                let field = "syntax".to_string();
                let fix = "correct the TOML at this place (strings in \"quotes\", one key = value per line)";
                return Err(vec![at(e.span().map(|s| s.start), field, what, fix.into())]);
            }
            let index = SpanIndex::new(text);
            let offset = e.span().map(|s| s.start);
            let (mut field, what, fix) =
                explain_serde(e.message(), offset.and_then(|o| index.path_at(o)));
            if field.is_empty() {
                field = "plan".into();
            }
            return Err(vec![at(offset, field, what, fix)]);
        }
    };
    let mut issues = validate(&plan);
    if let Some(base) = base {
        let mut resolved = plan.clone();
        super::paths::resolve_paths(&mut resolved, base);
        issues.extend(super::validate::check_overlap(&resolved, None));
    }
    if issues.is_empty() {
        return Ok(plan);
    }
    let index = SpanIndex::new(text);
    let mut diags: Vec<Diagnostic> = issues
        .into_iter()
        .map(|Issue { field, what, fix }| {
            let offset = index.span_of(&field).map(|s| s.start);
            at(offset, field, what, fix)
        })
        .collect();
    if diags.is_empty() {
        return Ok(plan);
    }
    diags.sort_by_key(|a| (a.line, a.col));
    Err(diags)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Turn a serde message into (field, what, fix).
fn explain_serde(message: &str, path: Option<String>) -> (String, String, String) {
    let msg = first_line(message);
    let path = path.unwrap_or_default();
    let named = |base: &str, name: &str| {
        if base.is_empty() {
            name.to_string()
        } else {
            format!("{base}.{name}")
        }
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected
            .trim_start_matches(", ")
            .trim_start_matches("expected ");
        let field = if path == name || path.ends_with(&format!(".{name}")) {
            path.clone()
        } else {
            named(&path, name)
        };
        return (
            field,
            format!("unknown field `{}`", shown(name)),
            format!("check the spelling or remove it; expected {expected}"),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (
            named(&path, name),
            format!("the field `{name}` is missing"),
            format!("add {name} = ... to this table"),
        );
    }
    if msg.contains("untagged enum SecretRef") {
        return (
            path,
            "this secret reference has an unknown form".into(),
            "use { env = \"NAME\" } or { prompt = true }".into(),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let expected = expected.trim_start_matches(", ");
        return (
            path,
            format!("`{}` is not a known value", shown(name)),
            format!(
                "use one of: {}",
                expected.trim_start_matches("expected one of ")
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        return (
            path,
            format!("wrong type: {}", shown(found)),
            format!("write {}", type_hint(expected)),
        );
    }
    let field = if path.is_empty() {
        "plan".to_string()
    } else {
        path
    };
    let fix = match msg.rsplit_once(", expected ").map(|(_, e)| e) {
        Some("u16") => "write a whole number from 0 to 65535".into(),
        Some("u32") => "write a whole number from 0 to 4294967295".into(),
        Some("u64") => "write a whole number, 0 or more".into(),
        _ => "correct the value to the form the field expects".to_string(),
    };
    (field, shown_max(&msg, 160), fix)
}

/// Serde's expected type in words a person writing TOML understands.
fn type_hint(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number without quotes, e.g. 1024".into(),
        "i8" | "i16" | "i32" | "i64" => "a whole number without quotes, e.g. 0".into(),
        "a boolean" => "true or false, without quotes".into(),
        "a string" => "text in quotes".into(),
        "a sequence" => "a list in brackets, e.g. [\"a\", \"b\"]".into(),
        other => other.to_string(),
    }
}
