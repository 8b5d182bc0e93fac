//! Relative paths in a plan are relative to the plan file's folder, so an
//! example plan works wherever the repository is checked out.

use std::path::{Path, PathBuf};

use super::Plan;

/// Absolute on any system: `/x`, `C:\x`, `C:/x`, `\\server\share`.
pub fn is_absolute_anywhere(p: &Path) -> bool {
    p.is_absolute() || super::validate::paths::is_absolute_any(&p.to_string_lossy())
}

/// A path made absolute without resolving links; unlike canonicalize, it
/// never turns `C:\x` into `\\?\C:\x` on Windows, which some setup
/// scripts cannot `cd` into.
pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Where a plan's relative paths start: the folder of the plan file.
pub fn plan_folder(plan_file: &Path) -> PathBuf {
    absolute(plan_file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn fix(base: &Path, p: &mut PathBuf) {
    if !p.as_os_str().is_empty() && !is_absolute_anywhere(p) {
        *p = base.join(&*p);
    }
}

/// A program named without any folder (`reg`, `iisreset`) is found on the
/// PATH; one with a folder is resolved like the other paths.
fn fix_program(base: &Path, p: &mut PathBuf) {
    let s = p.to_string_lossy();
    if s.contains('/') || s.contains('\\') {
        fix(base, p);
    }
}

pub fn resolve_paths(plan: &mut Plan, base: &Path) {
    for env in [
        &mut plan.environments.test,
        &mut plan.environments.production,
    ]
    .into_iter()
    .flatten()
    {
        fix(base, &mut env.install_dir);
        fix(base, &mut env.backup_dir);
        for s in &mut env.servers {
            if let Some(p) = &mut s.install_path {
                fix(base, p);
            }
        }
    }
    if let Some(s) = &mut plan.recipe.setup {
        fix(base, &mut s.package);
        if let Some(p) = &mut s.program {
            fix_program(base, p);
        }
        for l in &mut s.logs {
            fix(base, l);
        }
    }
    if let Some(s) = &mut plan.recipe.integration_setup {
        fix(base, &mut s.package);
        if let Some(p) = &mut s.program {
            fix_program(base, p);
        }
        if let Some(p) = &mut s.version_file {
            fix(base, p);
        }
        for l in &mut s.logs {
            fix(base, l);
        }
    }
    if let Some(t) = &mut plan.recipe.licence_tool {
        fix_program(base, &mut t.program);
    }
    for x in &mut plan.recipe.steps {
        if let Some(p) = &mut x.program {
            fix_program(base, p);
        }
        for p in [&mut x.cwd, &mut x.path, &mut x.script]
            .into_iter()
            .flatten()
        {
            fix(base, p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_forms_of_both_systems_are_recognised() {
        for p in [
            "/srv/crm",
            r"C:\Program Files (x86)\Sage",
            "D:/x",
            r"\\WEB2\c$\CRM",
        ] {
            assert!(is_absolute_anywhere(Path::new(p)), "{p}");
        }
        for p in ["crm", "./crm", r"Program Files\x", "C:relative"] {
            assert!(!is_absolute_anywhere(Path::new(p)), "{p}");
        }
    }
}
