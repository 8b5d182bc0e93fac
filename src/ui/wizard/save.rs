//! Saving the plan: only when every answer is valid; a new file is written
//! whole, an opened file is edited in place. The text is checked by the
//! same loader as `dress plan validate` before it replaces anything.

use super::state::Wizard;
use super::update::Out;
use crate::model::edit;
use crate::ui::strings::{fill, w};

pub fn save(wz: &mut Wizard, out: &mut Out) {
    match write(wz) {
        Ok(_) => {
            wz.saved = true;
            wz.notice = Some(fill(w().saved, &[&wz.path.display()]));
            out.exit = true;
        }
        Err(e) => wz.notice = Some(e),
    }
}

/// The text that saving would write.
pub fn text(wz: &Wizard) -> Result<String, String> {
    let issues = wz.issues();
    if !issues.is_empty() {
        return Err(fill(w().save_refused, &[&issues.len()]));
    }
    let (plan, _) = wz.to_plan();
    let text = match &wz.original {
        Some(o) => edit::updated_text(&o.text, &o.plan, &plan),
        None => edit::new_text(&plan),
    }
    .map_err(|e| fill(w().save_failed, &[&e]))?;
    let name = wz.path.display().to_string();
    if let Err(d) = crate::model::load::parse_plan(&name, &text) {
        let first = d.first().map(ToString::to_string).unwrap_or_default();
        return Err(fill(w().save_failed, &[&first]));
    }
    Ok(text)
}

fn write(wz: &Wizard) -> Result<String, String> {
    let text = text(wz)?;
    let fail = |e: std::io::Error| fill(w().save_failed, &[&format!("{}: {e}", wz.path.display())]);
    let dir = wz
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = wz
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan.toml".into());
    // Write beside, then rename: a failed write never leaves half a plan.
    let tmp = dir.join(format!(".{name}.dress-new"));
    std::fs::write(&tmp, &text).map_err(fail)?;
    std::fs::rename(&tmp, &wz.path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })?;
    Ok(text)
}
