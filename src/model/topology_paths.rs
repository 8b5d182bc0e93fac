//! The install path of each server of the worksheet: the share of its
//! install folder as seen from here, through which the multiserver stage
//! compares and copies the customised files.
//!
//! Rules: a path given is absolute (drive or share) and printable; the SQL
//! row has none (the CRM is not installed there); and when some secondary
//! web servers have one, every secondary has one — a secondary left
//! without it (a row added again after a delete, say) would silently get
//! its files copied by hand while the others are synchronised.

use super::naming::shown;
use super::plan::{Role, Server};
use super::topology::{Column, TopologyError, err, label};
use super::validate::paths::is_absolute_any;

pub(super) fn check_install_paths(servers: &[Server], out: &mut Vec<TopologyError>) {
    for (i, s) in servers.iter().enumerate() {
        let Some(p) = &s.install_path else { continue };
        let text = p.to_string_lossy();
        let problem = if s.role == Role::Sql {
            Some((
                crate::tr_fmt!(
                    "the SQL server row has an install path",
                    "la ligne du serveur SQL a un chemin d'installation"
                ),
                crate::tr_fmt!(
                    "clear it: the CRM is not installed on the SQL server (a web server on the same machine has its own row)",
                    "videz-le : le CRM ne s'installe pas sur le serveur SQL (un serveur web sur la même machine a sa propre ligne)"
                ),
            ))
        } else if text.trim().is_empty() {
            Some((
                crate::tr_fmt!(
                    "the server install folder is empty",
                    "le dossier d'installation du serveur est vide"
                ),
                crate::tr_fmt!(
                    "write the full path of the server install folder",
                    "écrivez le chemin complet du dossier d'installation du serveur"
                ),
            ))
        } else if text.chars().any(char::is_control) {
            Some((
                crate::tr_fmt!(
                    "the server install folder contains a control character",
                    "le dossier d'installation du serveur contient un caractère de contrôle"
                ),
                crate::tr_fmt!("retype the path", "retapez le chemin"),
            ))
        } else if !is_absolute_any(&text) {
            Some((
                crate::tr_fmt!(
                    "\"{}\" is not an absolute path",
                    "« {} » n'est pas un chemin absolu",
                    shown(&text)
                ),
                crate::tr_fmt!(
                    "write it from the drive or share, e.g. \\\\WEB2\\c$\\Program Files (x86)\\Sage\\CRMSAGE",
                    "écrivez-le depuis le lecteur ou le partage, par exemple \\\\WEB2\\c$\\Program Files (x86)\\Sage\\CRMSAGE"
                ),
            ))
        } else {
            None
        };
        if let Some((what, fix)) = problem {
            out.push(err(i, Column::InstallPath, what, fix));
        }
    }
    let secondaries: Vec<usize> = (0..servers.len())
        .filter(|&i| servers[i].role == Role::WebSecondary)
        .collect();
    let Some(&with) = secondaries
        .iter()
        .find(|&&i| servers[i].install_path.is_some())
    else {
        return;
    };
    for &i in secondaries
        .iter()
        .filter(|&&i| servers[i].install_path.is_none())
    {
        let name = label(servers, i);
        out.push(err(
            i,
            Column::InstallPath,
            crate::tr_fmt!(
                "{name} has no install path while {} has one", "{name} n'a pas de chemin d'installation alors que {} en a un",
                label(servers, with)
            ),
            crate::tr_fmt!(
                "write the share of its install folder (\\\\{}\\c$\\...) so its customised files are compared and copied like the others'", "écrivez le partage de son dossier d'installation (\\\\{}\\c$\\...) pour que ses fichiers personnalisés soient comparés et copiés comme ceux des autres",
                if servers[i].name.is_empty() { crate::model::lang::tr("SERVER", "SERVEUR") } else { servers[i].name.as_str() }
            ),
        ));
    }
}
