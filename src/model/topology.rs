//! The multiserver worksheet: pure validators and the derived
//! load-balancing settings (Administration > System > Database).
//!
//! Everything here works on a slice of [`Server`] rows so the topology table
//! editor can call it on every keystroke; nothing panics on hostile input.
//!
//! Decisions taken from the guide's worksheet (SQL server, master, then
//! secondaries):
//! - the web master must be the first web server row; the SQL row may be
//!   anywhere (it takes no part in balancing);
//! - at most one SQL row; it hosts no CRM service;
//! - a SQL row may name the same machine as one web row (the guide's
//!   balancing example puts SQL Server on secondary 2), so its name and address
//!   are not counted in the uniqueness checks of the web rows;
//! - address (DNS name or IPv4) and IPv6 are mandatory on web rows (the IPv6
//!   list must be typed by hand in the CRM), optional on the SQL row.

use std::collections::HashMap;
use std::net::Ipv6Addr;

pub use super::hostnames::{check_computer_name, check_host, check_ipv4, check_ipv6};

use super::naming::shown;
use super::plan::{Role, Server, Service};

/// A column of the worksheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Role,
    Name,
    Address,
    Ipv6,
    Services,
    InstallPath,
}

impl Column {
    /// The plan field name of this column.
    pub fn field(self) -> &'static str {
        match self {
            Column::Role => "role",
            Column::Name => "name",
            Column::Address => "address",
            Column::Ipv6 => "ipv6",
            Column::Services => "services",
            Column::InstallPath => "install_path",
        }
    }
}

/// One problem in the worksheet, at a row (0-based) and a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopologyError {
    pub row: usize,
    pub column: Column,
    pub what: String,
    pub fix: String,
}

pub(super) fn err(
    row: usize,
    column: Column,
    what: impl Into<String>,
    fix: impl Into<String>,
) -> TopologyError {
    TopologyError {
        row,
        column,
        what: what.into(),
        fix: fix.into(),
    }
}

pub(super) fn is_web(role: Role) -> bool {
    matches!(role, Role::WebMaster | Role::WebSecondary)
}

/// Validate the worksheet. An empty slice (single-server installation) is valid.
pub fn validate_topology(servers: &[Server]) -> Vec<TopologyError> {
    let mut out = Vec::new();
    if servers.is_empty() {
        return out;
    }
    check_roles(servers, &mut out);
    check_cells(servers, &mut out);
    check_unique(servers, &mut out);
    check_services(servers, &mut out);
    super::topology_paths::check_install_paths(servers, &mut out);
    out.sort_by_key(|e| e.row);
    out
}

fn check_roles(servers: &[Server], out: &mut Vec<TopologyError>) {
    let masters: Vec<usize> = (0..servers.len())
        .filter(|&i| servers[i].role == Role::WebMaster)
        .collect();
    let first_web = servers.iter().position(|s| is_web(s.role));
    match (masters.first(), first_web) {
        (None, _) => out.push(err(
            first_web.unwrap_or(0),
            Column::Role,
            crate::tr_fmt!("the worksheet has no web master", "le tableau n'a pas de Serveur Web Master"),
            crate::tr_fmt!("set role = \"web-master\" on the first web server (it is installed first and creates the database)", "mettez role = \"web-master\" sur le premier serveur web (il est installé en premier et crée la base de données)"),
        )),
        (Some(&m), Some(f)) if m != f => out.push(err(
            m,
            Column::Role,
            crate::tr_fmt!("the web master is not the first web server ({} comes before it)", "le Serveur Web Master n'est pas le premier serveur web ({} est avant lui)", label(servers, f)),
            crate::tr_fmt!("move the web master above the secondary web servers: it is installed and upgraded first", "placez le Serveur Web Master au-dessus des Serveurs Web Secondaires : il est installé et mis à jour en premier"),
        )),
        _ => {}
    }
    for &m in masters.iter().skip(1) {
        out.push(err(
            m,
            Column::Role,
            crate::tr_fmt!("a second web master", "un deuxième Serveur Web Master"),
            crate::tr_fmt!(
                "keep one web master; set role = \"web-secondary\" here",
                "gardez un seul Serveur Web Master ; mettez role = \"web-secondary\" ici"
            ),
        ));
    }
    for (i, _) in servers
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role == Role::Sql)
        .skip(1)
    {
        out.push(err(
            i,
            Column::Role,
            crate::tr_fmt!(
                "a second SQL server row",
                "une deuxième ligne de serveur SQL"
            ),
            crate::tr_fmt!(
                "the database lives on one SQL server: keep one SQL row",
                "la base de données est sur un seul serveur SQL : gardez une seule ligne SQL"
            ),
        ));
    }
}

fn check_cells(servers: &[Server], out: &mut Vec<TopologyError>) {
    for (i, s) in servers.iter().enumerate() {
        let web = is_web(s.role);
        if let Err(e) = check_computer_name(&s.name) {
            out.push(err(
                i,
                Column::Name,
                e,
                crate::tr_fmt!("write the Windows computer name of the server (1-15 letters, digits or hyphens)", "écrivez le nom d'ordinateur Windows du serveur (1 à 15 lettres, chiffres ou tirets)"),
            ));
        }
        if (web || !s.address.is_empty())
            && let Err(e) = check_host(&s.address)
        {
            out.push(err(
                i,
                Column::Address,
                e,
                crate::tr_fmt!("write the server's DNS name (web2.example.local) or IPv4 address (10.0.0.12)", "écrivez le nom DNS du serveur (web2.example.local) ou son adresse IPv4 (10.0.0.12)"),
            ));
        }
        if (web || !s.ipv6.is_empty())
            && let Err(e) = check_ipv6(&s.ipv6)
        {
            let fix = if s.ipv6.contains('%') {
                crate::tr_fmt!(
                    "write the address without the %zone suffix (use a global or unique-local address)",
                    "écrivez l'adresse sans le suffixe %zone (utilisez une adresse globale ou locale unique)"
                )
            } else {
                crate::tr_fmt!(
                    "write the server's IPv6 address (ipconfig on that server), e.g. fd00::12; load balancing needs it on every web server",
                    "écrivez l'adresse IPv6 du serveur (ipconfig sur ce serveur), par exemple fd00::12 ; l'équilibrage de charge en a besoin sur chaque serveur web"
                )
            };
            out.push(err(i, Column::Ipv6, e, fix));
        }
    }
}

fn check_unique(servers: &[Server], out: &mut Vec<TopologyError>) {
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut addrs: HashMap<String, usize> = HashMap::new();
    let mut v6: HashMap<Ipv6Addr, usize> = HashMap::new();
    for (i, s) in servers.iter().enumerate().filter(|(_, s)| is_web(s.role)) {
        if !s.name.is_empty() {
            if let Some(&j) = names.get(&s.name.to_ascii_lowercase()) {
                out.push(dup(servers, i, j, Column::Name, &s.name));
            } else {
                names.insert(s.name.to_ascii_lowercase(), i);
            }
        }
        if !s.address.is_empty() {
            let key = s.address.trim_end_matches('.').to_ascii_lowercase();
            if let Some(&j) = addrs.get(&key) {
                out.push(dup(servers, i, j, Column::Address, &s.address));
            } else {
                addrs.insert(key, i);
            }
        }
        if let Ok(a) = s.ipv6.parse::<Ipv6Addr>() {
            if let Some(&j) = v6.get(&a) {
                out.push(dup(servers, i, j, Column::Ipv6, &s.ipv6));
            } else {
                v6.insert(a, i);
            }
        }
    }
}

/// How a message names another row: its server name, else its 1-based row.
pub(super) fn label(servers: &[Server], row: usize) -> String {
    match servers.get(row).map(|s| s.name.as_str()) {
        Some(n) if !n.is_empty() => shown(n),
        _ => crate::tr_fmt!("row {}", "ligne {}", row + 1),
    }
}

fn dup(servers: &[Server], row: usize, first: usize, column: Column, value: &str) -> TopologyError {
    err(
        row,
        column,
        crate::tr_fmt!(
            "\"{}\" is already used by {}",
            "« {} » est déjà pris par {}",
            shown(value),
            label(servers, first)
        ),
        crate::tr_fmt!(
            "give each web server its own {}",
            "donnez à chaque serveur web son propre champ {}",
            column.field()
        ),
    )
}

fn check_services(servers: &[Server], out: &mut Vec<TopologyError>) {
    let mut placed: HashMap<Service, usize> = HashMap::new();
    for (i, s) in servers.iter().enumerate() {
        if s.role == Role::Sql && !s.services.is_empty() {
            out.push(err(
                i,
                Column::Services,
                crate::tr_fmt!("the SQL server row hosts CRM services", "la ligne du serveur SQL héberge des services du CRM"),
                crate::tr_fmt!("move the services to a web server (by default the master): no CRM service runs on the SQL server", "placez les services sur un serveur web (par défaut le Master) : aucun service du CRM ne tourne sur le serveur SQL"),
            ));
            continue;
        }
        for svc in &s.services {
            if let Some(&j) = placed.get(svc) {
                out.push(err(
                    i,
                    Column::Services,
                    crate::tr_fmt!(
                        "the service {} is already placed on {}",
                        "le service {} est déjà placé sur {}",
                        svc.as_str(),
                        label(servers, j)
                    ),
                    crate::tr_fmt!(
                        "each service runs once: keep it on one server only",
                        "chaque service tourne une seule fois : gardez-le sur un seul serveur"
                    ),
                ));
            } else {
                placed.insert(*svc, i);
            }
        }
    }
    let master = servers.iter().position(|s| s.role == Role::WebMaster);
    let Some(row) = master.or_else(|| servers.iter().position(|s| is_web(s.role))) else {
        return;
    };
    let missing: Vec<&str> = Service::ALL
        .iter()
        .filter(|s| !placed.contains_key(s))
        .map(|s| s.as_str())
        .collect();
    if !missing.is_empty() {
        out.push(err(
            row,
            Column::Services,
            crate::tr_fmt!(
                "no web server runs {}",
                "aucun serveur web n'exécute {}",
                missing.join(", ")
            ),
            crate::tr_fmt!(
                "place each service on one web server (by default the master)",
                "placez chaque service sur un serveur web (par défaut le Master)"
            ),
        ));
    }
}

/// The load-balancing settings stored in `custom_sysparams`, as the fields of
/// Administration > System > Database expect them (`;`-separated, master first).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LbSettings {
    /// CRM server names: the web servers' computer names.
    pub crm_server_names: String,
    /// Distributed web server IPv6 addresses (the field typed by hand), in
    /// canonical form.
    pub ipv6_addresses: String,
    /// True when the CRM balances itself: derived as "more than one web server".
    pub perform_load_balancing: bool,
    /// Fully qualified names: the address when it is a DNS name, else the name.
    pub fqdn_names: String,
    /// DTLS server name: the master's computer name.
    pub dtls_server: String,
}

/// Derive the settings from the worksheet: web rows only, master first, then
/// the secondaries in row order. Meant for a validated worksheet; on an
/// invalid one it still returns something and never panics.
pub fn derive_lb_settings(servers: &[Server]) -> LbSettings {
    let mut web: Vec<&Server> = servers.iter().filter(|s| is_web(s.role)).collect();
    web.sort_by_key(|s| s.role != Role::WebMaster);
    let join =
        |f: &dyn Fn(&Server) -> String| web.iter().map(|s| f(s)).collect::<Vec<_>>().join(";");
    LbSettings {
        crm_server_names: join(&|s| s.name.clone()),
        ipv6_addresses: join(&|s| {
            // Canonical form (fd00:0::1 -> fd00::1) when it parses.
            s.ipv6
                .parse::<Ipv6Addr>()
                .map_or_else(|_| s.ipv6.clone(), |a| a.to_string())
        }),
        perform_load_balancing: web.len() > 1,
        fqdn_names: join(&|s| {
            let dns = check_host(&s.address).is_ok() && check_ipv4(&s.address).is_err();
            if dns {
                s.address.clone()
            } else {
                s.name.clone()
            }
        }),
        dtls_server: web.first().map(|s| s.name.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
#[path = "topology_tests.rs"]
mod tests;
