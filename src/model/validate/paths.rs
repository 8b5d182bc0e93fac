//! Path rules: install and backup folders, setup package, server shares.
//!
//! Plans are often written on one OS and run on another, so absolute forms
//! of both worlds are accepted whatever the host: `C:\...`, `C:/...`,
//! `\\server\share\...` and `/...`. A relative path is relative to the
//! plan file's folder (see `model::paths`), which keeps example plans
//! working wherever they are checked out.

use std::path::Path;

use super::Issue;
use crate::model::plan::{Environment, Plan};

/// Whether `p` is absolute in Windows or Unix form.
pub fn is_absolute_any(p: &str) -> bool {
    let b = p.as_bytes();
    let drive = b.len() >= 3
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b[2] == b'\\' || b[2] == b'/');
    let unc =
        p.starts_with("\\\\") && p[2..].split(['\\', '/']).filter(|s| !s.is_empty()).count() >= 2;
    drive || unc || p.starts_with('/') && !p.starts_with("//")
}

/// Lower-cased components, separators unified: for comparisons only.
pub(super) fn components(p: &str) -> Vec<String> {
    p.split(['\\', '/'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(|c| c.to_lowercase())
        .collect()
}

fn text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `absolute`: the path must be absolute (a server's share); other folders
/// may be relative to the plan file's folder.
/// `what_dir` names the folder in English and in French (with its article).
fn check_dir(
    field: &str,
    p: &Path,
    what_dir: (&str, &str),
    absolute: bool,
    out: &mut Vec<Issue>,
) -> bool {
    let s = text(p);
    let (en, fr) = what_dir;
    if s.trim().is_empty() {
        out.push(Issue::new(
            field,
            crate::tr_fmt!("the {en} is empty", "le {fr} est vide"),
            crate::tr_fmt!(
                "write the full path of the {en}",
                "écrivez le chemin complet du {fr}"
            ),
        ));
        return false;
    }
    if s.chars().any(|c| c.is_control()) {
        out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "the {en} contains a control character",
                "le {fr} contient un caractère de contrôle"
            ),
            crate::tr_fmt!("retype the path", "retapez le chemin"),
        ));
        return false;
    }
    if absolute && !is_absolute_any(&s) {
        let s = crate::model::naming::shown(&s);
        out.push(Issue::new(
            field,
            crate::tr_fmt!(
                "\"{s}\" is not an absolute path",
                "« {s} » n'est pas un chemin absolu"
            ),
            crate::tr_fmt!(
                "write it from the drive or share, e.g. \\\\WEB2\\c$\\Program Files (x86)\\Sage\\CRMSAGE",
                "écrivez-le depuis le lecteur ou le partage, par exemple \\\\WEB2\\c$\\Program Files (x86)\\Sage\\CRMSAGE"
            ),
        ));
        return false;
    }
    true
}

pub(super) fn check_env_paths(base: &str, env: &Environment, out: &mut Vec<Issue>) {
    let inst_ok = check_dir(
        &format!("{base}.install_dir"),
        &env.install_dir,
        ("install folder", "dossier d'installation"),
        false,
        out,
    );
    let back_ok = check_dir(
        &format!("{base}.backup_dir"),
        &env.backup_dir,
        ("backup folder", "dossier de sauvegarde"),
        false,
        out,
    );
    if inst_ok && back_ok {
        let inst = components(&text(&env.install_dir));
        let back = components(&text(&env.backup_dir));
        if back.starts_with(&inst) {
            out.push(Issue::new(
                format!("{base}.backup_dir"),
                crate::tr_fmt!(
                    "the backup folder is inside the install folder",
                    "le dossier de sauvegarde est dans le dossier d'installation"
                ),
                crate::tr_fmt!(
                    "choose a folder outside the install folder: a reinstall or a restore would overwrite the backups",
                    "choisissez un dossier hors du dossier d'installation : une réinstallation ou une restauration écraserait les sauvegardes"
                ),
            ));
        }
    }
    // The servers' install paths are checked with the worksheet
    // (`model::topology`), so the editor shows the same problems live.
}

pub(super) fn check_between_envs(plan: &Plan, out: &mut Vec<Issue>) {
    if let Some(setup) = &plan.recipe.setup {
        check_setup_path("recipe.setup.package", &setup.package, out);
        if let Some(prog) = &setup.program {
            check_setup_path("recipe.setup.program", prog, out);
        }
    }
    let (Some(t), Some(p)) = (&plan.environments.test, &plan.environments.production) else {
        return;
    };
    let (ts, ps) = (text(&t.install_dir), text(&p.install_dir));
    // Empty folders are reported as empty, not as the same folder.
    if !components(&ts).is_empty() && components(&ts) == components(&ps) {
        out.push(Issue::new(
            "environments.production.install_dir",
            crate::tr_fmt!(
                "test and production use the same install folder",
                "le test et la production utilisent le même dossier d'installation"
            ),
            crate::tr_fmt!(
                "the rehearsal must not touch production: give the test environment its own folder (or its server's share, \\\\TESTSRV\\c$\\...)",
                "la répétition générale ne doit pas toucher la production : donnez à l'environnement de test son propre dossier (ou le partage de son serveur, \\\\TESTSRV\\c$\\...)"
            ),
        ));
    }
}

fn check_setup_path(field: &str, p: &Path, out: &mut Vec<Issue>) {
    if text(p).trim().is_empty() {
        out.push(Issue::new(
            field,
            crate::tr_fmt!("the path is empty", "le chemin est vide"),
            crate::tr_fmt!(
                "write the path of the vendor setup file",
                "écrivez le chemin du programme d'installation de l'éditeur"
            ),
        ));
    }
}
