//! Names and addresses of servers: Windows computer names, DNS names,
//! IPv4 and IPv6 addresses. Pure checks returning a message a person can act
//! on; values are quoted through `naming::shown` so hostile input stays short.

use std::net::Ipv6Addr;

use super::naming::shown;

/// Windows computer (NetBIOS) name: 1-15 characters, ASCII letters, digits and
/// hyphens, not all digits, no leading hyphen.
pub fn check_computer_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(crate::tr_fmt!(
            "the server name is empty",
            "le nom du serveur est vide"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(crate::tr_fmt!(
            "\"{}\" contains '{}': a Windows computer name has only letters, digits and hyphens",
            "« {} » contient « {} » : un nom d'ordinateur Windows n'a que des lettres, des chiffres et des tirets",
            shown(name),
            c.escape_debug()
        ));
    }
    if name.len() > 15 {
        return Err(crate::tr_fmt!(
            "\"{}\" has {} characters: a Windows computer name has 15 at most",
            "« {} » a {} caractères : un nom d'ordinateur Windows en a 15 au plus",
            shown(name),
            name.len()
        ));
    }
    if name.starts_with('-') {
        return Err(crate::tr_fmt!(
            "\"{}\" starts with a hyphen",
            "« {} » commence par un tiret",
            shown(name)
        ));
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::tr_fmt!(
            "\"{}\" is only digits",
            "« {} » n'a que des chiffres",
            shown(name)
        ));
    }
    Ok(())
}

/// A DNS name (RFC 1123) or a dotted IPv4 address without leading zeros.
pub fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err(crate::tr_fmt!("the address is empty", "l'adresse est vide"));
    }
    if let Some(c) = host.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(crate::tr_fmt!(
            "\"{}\" contains '{}'",
            "« {} » contient « {} »",
            shown(host),
            c.escape_debug()
        ));
    }
    if host.contains(':') {
        return Err(crate::tr_fmt!(
            "\"{}\" is not a DNS name or an IPv4 address (IPv6 addresses go in the ipv6 column, ports are not written here)",
            "« {} » n'est ni un nom DNS ni une adresse IPv4 (les adresses IPv6 vont dans la colonne ipv6, les ports ne s'écrivent pas ici)",
            shown(host)
        ));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels
        .iter()
        .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
    {
        return check_ipv4(host);
    }
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    if trimmed.len() > 253 {
        return Err(crate::tr_fmt!(
            "\"{}\" has {} characters: a DNS name has 253 at most",
            "« {} » a {} caractères : un nom DNS en a 253 au plus",
            shown(host),
            trimmed.len()
        ));
    }
    for label in trimmed.split('.') {
        if label.is_empty() {
            return Err(crate::tr_fmt!(
                "\"{}\" has an empty label (two dots in a row)",
                "« {} » a une partie vide (deux points de suite)",
                shown(host)
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(crate::tr_fmt!(
                "\"{}\" contains '{}': a DNS name has only letters, digits, hyphens and dots",
                "« {} » contient « {} » : un nom DNS n'a que des lettres, des chiffres, des tirets et des points",
                shown(host),
                c.escape_debug()
            ));
        }
        if label.len() > 63 {
            return Err(crate::tr_fmt!(
                "\"{}\" has a label of {} characters, 63 at most",
                "« {} » a une partie de {} caractères, 63 au plus",
                shown(host),
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(crate::tr_fmt!(
                "\"{}\": the label \"{}\" starts or ends with a hyphen",
                "« {} » : la partie « {} » commence ou finit par un tiret",
                shown(host),
                shown(label)
            ));
        }
    }
    Ok(())
}

/// Dotted-quad IPv4: four numbers 0-255, no leading zero (read as octal by
/// some tools).
pub fn check_ipv4(s: &str) -> Result<(), String> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return Err(crate::tr_fmt!(
            "\"{}\" looks like an IPv4 address but does not have 4 numbers",
            "« {} » ressemble à une adresse IPv4 mais n'a pas 4 nombres",
            shown(s)
        ));
    }
    for p in &parts {
        if p.len() > 1 && p.starts_with('0') {
            return Err(crate::tr_fmt!(
                "\"{}\" has a leading zero in \"{}\" (some tools read it as octal)",
                "« {} » a un zéro en tête dans « {} » (certains outils le lisent en octal)",
                shown(s),
                shown(p)
            ));
        }
        if p.len() > 3 || p.parse::<u16>().map_or(true, |n| n > 255) {
            return Err(crate::tr_fmt!(
                "\"{}\": \"{}\" is not a number from 0 to 255",
                "« {} » : « {} » n'est pas un nombre de 0 à 255",
                shown(s),
                shown(p)
            ));
        }
    }
    Ok(())
}

/// A global or site IPv6 address, written without zone id or brackets.
pub fn check_ipv6(s: &str) -> Result<Ipv6Addr, String> {
    if s.is_empty() {
        return Err(crate::tr_fmt!(
            "the IPv6 address is empty",
            "l'adresse IPv6 est vide"
        ));
    }
    if let Some((_, zone)) = s.split_once('%') {
        return Err(crate::tr_fmt!(
            "\"{}\" has the zone id \"%{}\", which only means something on one machine",
            "« {} » a l'identifiant de zone « %{} », qui n'a de sens que sur une seule machine",
            shown(s),
            shown(zone)
        ));
    }
    if s.starts_with('[') || s.ends_with(']') {
        return Err(crate::tr_fmt!(
            "\"{}\" is written in brackets",
            "« {} » est écrit entre crochets",
            shown(s)
        ));
    }
    let addr: Ipv6Addr = s.parse().map_err(|_| {
        crate::tr_fmt!(
            "\"{}\" is not an IPv6 address",
            "« {} » n'est pas une adresse IPv6",
            shown(s)
        )
    })?;
    use super::lang::tr;
    let kind = if addr.is_unspecified() {
        tr("the unspecified address", "l'adresse non spécifiée")
    } else if addr.is_loopback() {
        tr("the loopback address", "l'adresse de bouclage")
    } else if addr.is_multicast() {
        tr("a multicast address", "une adresse de multidiffusion")
    } else {
        ""
    };
    if !kind.is_empty() {
        return Err(crate::tr_fmt!(
            "{addr} is {kind}: other servers cannot reach it",
            "{addr} est {kind} : les autres serveurs ne peuvent pas la joindre"
        ));
    }
    Ok(addr)
}
