//! A plan ready to run: parsed, validated, relative paths resolved.

use std::path::Path;

use super::Plan;

/// Parse and validate a plan's text; every problem on its own line, as
/// `FILE:LINE:COL: field: what — fix`.
pub fn parse_for_run(file: &str, text: &str, base: &Path) -> Result<Plan, String> {
    let mut plan = super::load::parse_plan_at(file, text, Some(base)).map_err(|d| {
        d.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    super::paths::resolve_paths(&mut plan, base);
    Ok(plan)
}
