//! The folders of a run compared again when each step starts (see
//! `model::validate::check_overlap`): what was checked at validation can
//! have changed since (a link planted, a folder moved).

use std::path::Path;

use crate::model::Plan;

/// Why the run must not go on, when a folder of the plan now overlaps
/// another or the state folder. `run_dir` is `STATE/runs/ID`.
pub fn overlap_now(plan: &Plan, run_dir: &Path) -> Option<String> {
    let state = run_dir.parent().and_then(Path::parent);
    let issues = crate::model::validate::check_overlap(plan, state);
    if issues.is_empty() {
        return None;
    }
    Some(
        issues
            .iter()
            .map(|i| crate::tr_fmt!("{}: {} — {}", "{} : {} — {}", i.field, i.what, i.fix))
            .collect::<Vec<_>>()
            .join(crate::model::lang::tr("; ", " ; ")),
    )
}
