//! A plan ready to run: parsed, validated, relative paths resolved.

use std::path::Path;

use super::Plan;

/// Parse and validate a plan's text; every problem on its own line.
pub fn parse_for_run(file: &str, text: &str, base: &Path) -> Result<Plan, String> {
    let mut plan: Plan = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    super::paths::resolve_paths(&mut plan, base);
    Ok(plan)
}
