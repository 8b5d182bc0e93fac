//! Names and addresses of servers: Windows computer names, DNS names,
//! IPv4 and IPv6 addresses. Pure checks returning a message a person can act
//! on; values are quoted through `naming::shown` so hostile input stays short.

use std::net::Ipv6Addr;

use super::naming::shown;

/// Windows computer (NetBIOS) name: 1-15 characters, ASCII letters, digits and
/// hyphens, not all digits, no leading hyphen.
pub fn check_computer_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the server name is empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "\"{}\" contains '{}': a Windows computer name has only letters, digits and hyphens",
            shown(name),
            c.escape_debug()
        ));
    }
    if name.len() > 15 {
        return Err(format!(
            "\"{}\" has {} characters: a Windows computer name has 15 at most",
            shown(name),
            name.len()
        ));
    }
    if name.starts_with('-') {
        return Err(format!("\"{}\" starts with a hyphen", shown(name)));
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{}\" is only digits", shown(name)));
    }
    Ok(())
}

/// A DNS name (RFC 1123) or a dotted IPv4 address without leading zeros.
pub fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the address is empty".into());
    }
    if let Some(c) = host.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "\"{}\" contains '{}'",
            shown(host),
            c.escape_debug()
        ));
    }
    if host.contains(':') {
        return Err(format!(
            "\"{}\" is not a DNS name or an IPv4 address (IPv6 addresses go in the ipv6 column, ports are not written here)",
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
        return Err(format!(
            "\"{}\" has {} characters: a DNS name has 253 at most",
            shown(host),
            trimmed.len()
        ));
    }
    for label in trimmed.split('.') {
        if label.is_empty() {
            return Err(format!(
                "\"{}\" has an empty label (two dots in a row)",
                shown(host)
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(format!(
                "\"{}\" contains '{}': a DNS name has only letters, digits, hyphens and dots",
                shown(host),
                c.escape_debug()
            ));
        }
        if label.len() > 63 {
            return Err(format!(
                "\"{}\" has a label of {} characters, 63 at most",
                shown(host),
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "\"{}\": the label \"{}\" starts or ends with a hyphen",
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
        return Err(format!(
            "\"{}\" looks like an IPv4 address but does not have 4 numbers",
            shown(s)
        ));
    }
    for p in &parts {
        if p.len() > 1 && p.starts_with('0') {
            return Err(format!(
                "\"{}\" has a leading zero in \"{}\" (some tools read it as octal)",
                shown(s),
                shown(p)
            ));
        }
        if p.len() > 3 || p.parse::<u16>().map_or(true, |n| n > 255) {
            return Err(format!(
                "\"{}\": \"{}\" is not a number from 0 to 255",
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
        return Err("the IPv6 address is empty".into());
    }
    if let Some((_, zone)) = s.split_once('%') {
        return Err(format!(
            "\"{}\" has the zone id \"%{}\", which only means something on one machine",
            shown(s),
            shown(zone)
        ));
    }
    if s.starts_with('[') || s.ends_with(']') {
        return Err(format!("\"{}\" is written in brackets", shown(s)));
    }
    let addr: Ipv6Addr = s
        .parse()
        .map_err(|_| format!("\"{}\" is not an IPv6 address", shown(s)))?;
    let kind = if addr.is_unspecified() {
        "the unspecified address"
    } else if addr.is_loopback() {
        "the loopback address"
    } else if addr.is_multicast() {
        "a multicast address"
    } else {
        ""
    };
    if !kind.is_empty() {
        return Err(format!("{addr} is {kind}: other servers cannot reach it"));
    }
    Ok(addr)
}
