//! Integration companies and the recipe's extra steps.

use std::collections::HashMap;

use super::Issue;
use crate::model::naming::shown;
use crate::model::plan::{ExtraStep, Plan};
use crate::model::step_kind::ExtraKind;

/// Longest company title the integration record accepts (the guide: 50
/// characters, any characters).
pub const TITLE_MAX: usize = 50;

pub(super) fn check_integration(plan: &Plan, out: &mut Vec<Issue>) {
    let companies = &plan.integration.companies;
    if !companies.is_empty() && !plan.deployment.integration_service {
        out.push(Issue::new(
            "integration.companies",
            "integration companies are listed but the integration service is not installed",
            "set integration_service = true in [deployment], or remove the companies",
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, c) in companies.iter().enumerate() {
        let base = format!("integration.companies[{i}]");
        let n = c.title.chars().count();
        if c.title.trim().is_empty() {
            out.push(Issue::new(
                format!("{base}.title"),
                "the company title is empty",
                "write the company code, e.g. Sage100 (the recommended default)",
            ));
        } else if n > TITLE_MAX {
            out.push(Issue::new(
                format!("{base}.title"),
                format!("the title has {n} characters, {TITLE_MAX} at most"),
                "shorten it: the integration record keeps 50 characters",
            ));
        } else if let Some(&j) = seen.get(&c.title.to_lowercase()) {
            out.push(Issue::new(
                format!("{base}.title"),
                format!(
                    "the title \"{}\" is already used by \"{}\" (titles are compared without case)",
                    shown(&c.title),
                    shown(&companies[j].title)
                ),
                "titles identify companies: give each one its own title",
            ));
        } else {
            seen.insert(c.title.to_lowercase(), i);
        }
        check_file(
            &base,
            "accounting_file",
            c.accounting_file.as_deref(),
            ".mae",
            "accounting",
            out,
        );
        check_file(
            &base,
            "commercial_file",
            c.commercial_file.as_deref(),
            ".gcm",
            "commercial",
            out,
        );
    }
}

fn check_file(
    base: &str,
    key: &str,
    value: Option<&str>,
    ext: &str,
    which: &str,
    out: &mut Vec<Issue>,
) {
    let field = format!("{base}.{key}");
    match value {
        None => out.push(Issue::new(
            base,
            format!("the {which} file ({ext}) is missing"),
            format!("add {key} = \"C:\\\\...\\\\FILE{}\"", ext.to_uppercase()),
        )),
        Some(v) if v.trim().is_empty() => out.push(Issue::new(
            field,
            format!("the {which} file path is empty"),
            format!("write the path of the back office's {ext} file"),
        )),
        Some(v) if !v.to_lowercase().ends_with(ext) => out.push(Issue::new(
            field,
            format!("\"{}\" is not a {ext} file", shown(v)),
            format!("point to the back office's {which} file, the one ending in {ext}"),
        )),
        Some(v) if !super::paths::is_absolute_any(v) => out.push(Issue::new(
            field,
            format!(
                "\"{}\" is a relative path, and the integration service opens it on its own server",
                shown(v)
            ),
            format!(
                "write the full path from the drive or the share, e.g. \\\\COMPTA\\Sage\\FILE{}",
                ext.to_uppercase()
            ),
        )),
        Some(_) => {}
    }
}

/// Where each extra step asks to be inserted: (index in `recipe.steps`, the
/// `before` or `after` step id). Whether that id names a built-in step is
/// checked by the stage builder, which knows the generated steps.
pub fn extra_step_anchors(plan: &Plan) -> Vec<(usize, String)> {
    plan.recipe
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.before
                .as_ref()
                .or(s.after.as_ref())
                .map(|a| (i, a.clone()))
        })
        .collect()
}

pub(super) fn check_recipe(plan: &Plan, out: &mut Vec<Issue>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let vars = super::secrets::secret_vars(plan);
    for (i, s) in plan.recipe.steps.iter().enumerate() {
        let base = format!("recipe.steps[{i}]");
        super::secrets::check_step_secrets(&base, &s.kind, &s.secrets, &vars, out);
        let id_ok = !s.id.is_empty()
            && s.id.len() <= 64
            && s.id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            out.push(Issue::new(
                format!("{base}.id"),
                format!("\"{}\" is not a valid step id", shown(&s.id)),
                "use 1-64 letters, digits, - or _ (e.g. stop-antivirus)",
            ));
        } else if let Some(&j) = seen.get(s.id.as_str()) {
            out.push(Issue::new(
                format!("{base}.id"),
                format!(
                    "the step id \"{}\" is already used by recipe.steps[{j}]",
                    s.id
                ),
                "give each extra step its own id",
            ));
        } else {
            seen.insert(&s.id, i);
        }
        match (&s.before, &s.after) {
            (None, None) => out.push(Issue::new(
                base.clone(),
                "the step says neither before nor after which step it runs",
                "add before = \"step-id\" or after = \"step-id\"",
            )),
            (Some(_), Some(_)) => out.push(Issue::new(
                format!("{base}.after"),
                "the step has both before and after",
                "keep only one of them",
            )),
            _ => {}
        }
        check_kind(&base, s, out);
    }
}

fn check_kind(base: &str, s: &ExtraStep, out: &mut Vec<Issue>) {
    let need = |present: bool, key: &str, example: &str, out: &mut Vec<Issue>| {
        if !present {
            out.push(Issue::new(
                base,
                format!("kind = \"{}\" needs {key}", s.kind),
                format!("add {key} = {example}"),
            ));
        }
    };
    let nonempty =
        |p: &Option<std::path::PathBuf>| p.as_ref().is_some_and(|p| !p.as_os_str().is_empty());
    let kind = match ExtraKind::try_from(s.kind.as_str()) {
        Ok(k) => k,
        Err(fix) => {
            out.push(Issue::new(
                format!("{base}.kind"),
                format!("\"{}\" is not a known step kind", shown(&s.kind)),
                fix,
            ));
            return;
        }
    };
    match kind {
        ExtraKind::Exec => need(
            nonempty(&s.program),
            "program",
            "\"C:\\\\Tools\\\\tool.exe\"",
            out,
        ),
        ExtraKind::Manual => need(
            s.prompt.as_ref().is_some_and(|p| !p.trim().is_empty()),
            "prompt",
            "\"what the operator must do\"",
            out,
        ),
        ExtraKind::HttpWait | ExtraKind::CheckTcp => {
            need(s.url.is_some(), "url", "\"http://web1/CRMSAGE\"", out);
            if let Some(u) = &s.url {
                let ok = if kind == ExtraKind::HttpWait {
                    u.starts_with("http://") || u.starts_with("https://")
                } else {
                    u.rsplit_once(':').is_some_and(|(h, p)| {
                        !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0)
                    })
                };
                if !ok {
                    let fix = if kind == ExtraKind::HttpWait {
                        "write a full http:// or https:// URL"
                    } else {
                        "write host:port, e.g. sql1:1433"
                    };
                    out.push(Issue::new(
                        format!("{base}.url"),
                        format!("\"{}\" is not usable by a {} step", shown(u), s.kind),
                        fix,
                    ));
                }
            }
        }
        ExtraKind::CheckPathExists => need(nonempty(&s.path), "path", "\"C:\\\\...\"", out),
        ExtraKind::SqlScript => need(nonempty(&s.script), "script", "\"scripts\\\\fix.sql\"", out),
        ExtraKind::ServiceStop | ExtraKind::ServiceStart => need(
            s.service
                .as_ref()
                .is_some_and(|n| !n.trim().is_empty() && !n.chars().any(char::is_control)),
            "service",
            "\"W3SVC\" (the service name, as sc.exe query shows it)",
            out,
        ),
        ExtraKind::IisReset => {}
    }
}
