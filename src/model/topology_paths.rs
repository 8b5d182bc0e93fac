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
                "the SQL server row has an install path".to_string(),
                "clear it: the CRM is not installed on the SQL server (a web server on the same machine has its own row)".to_string(),
            ))
        } else if text.trim().is_empty() {
            Some((
                "the server install folder is empty".to_string(),
                "write the full path of the server install folder".to_string(),
            ))
        } else if text.chars().any(char::is_control) {
            Some((
                "the server install folder contains a control character".to_string(),
                "retype the path".to_string(),
            ))
        } else if !is_absolute_any(&text) {
            Some((
                format!("\"{}\" is not an absolute path", shown(&text)),
                "write it from the drive or share, e.g. \\\\WEB2\\c$\\Program Files (x86)\\Sage\\CRMSAGE".to_string(),
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
            format!(
                "{name} has no install path while {} has one",
                label(servers, with)
            ),
            format!(
                "write the share of its install folder (\\\\{}\\c$\\...) so its customised files are compared and copied like the others'",
                if servers[i].name.is_empty() { "SERVER" } else { servers[i].name.as_str() }
            ),
        ));
    }
}
