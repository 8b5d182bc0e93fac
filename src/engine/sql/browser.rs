//! The SQL Browser check: one SSRP request (MS-SQLR `CLNT_UCAST_EX`, the
//! single byte 0x03) to UDP port 1434 of the server, and its answer
//! (`SVR_RESP`: 0x05, a 16-bit length, then `ServerName;..;InstanceName;..;tcp;PORT;;`
//! for each instance). The product's import feature needs the service.

use std::time::Duration;

use tokio::net::UdpSocket;

use super::connect::parse_server;
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;

const CLNT_UCAST_EX: u8 = 0x03;
const SVR_RESP: u8 = 0x05;

/// One instance the Browser reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub name: String,
    pub tcp_port: Option<u16>,
}

/// Parse a `SVR_RESP` datagram.
pub fn parse_response(buf: &[u8]) -> Result<Vec<Instance>, String> {
    if buf.len() < 3 || buf[0] != SVR_RESP {
        return Err(crate::model::lang::tr(
            "the answer is not an SSRP server response",
            "la réponse n'est pas une réponse de serveur SSRP",
        )
        .into());
    }
    let body = String::from_utf8_lossy(&buf[3..]);
    let mut out = Vec::new();
    for rec in body.split(";;").filter(|r| !r.trim().is_empty()) {
        let parts: Vec<&str> = rec.split(';').collect();
        let field = |k: &str| {
            parts
                .chunks(2)
                .find(|c| c.len() == 2 && c[0].eq_ignore_ascii_case(k))
                .map(|c| c[1].to_string())
        };
        if let Some(name) = field("InstanceName") {
            out.push(Instance {
                name,
                tcp_port: field("tcp").and_then(|p| p.parse().ok()),
            });
        }
    }
    Ok(out)
}

/// Send the probe to `host:port` and wait up to `wait` for the answer.
pub async fn probe(host: &str, port: u16, wait: Duration) -> Result<Vec<Instance>, String> {
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| {
            crate::tr_fmt!(
                "the name {host} was not found (DNS): {}",
                "le nom {host} est introuvable (DNS) : {}",
                crate::model::lang_fmt::io_error(&e)
            )
        })?
        .next()
        .ok_or_else(|| {
            crate::tr_fmt!(
                "the name {host} has no address",
                "le nom {host} n'a pas d'adresse"
            )
        })?;
    let bind = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let sock = UdpSocket::bind(bind).await.map_err(|e| {
        crate::tr_fmt!(
            "cannot open a UDP socket: {}",
            "impossible d'ouvrir une socket UDP : {}",
            crate::model::lang_fmt::io_error(&e)
        )
    })?;
    sock.send_to(&[CLNT_UCAST_EX], addr).await.map_err(|e| {
        crate::tr_fmt!(
            "cannot send to {addr}: {}",
            "impossible d'envoyer à {addr} : {}",
            crate::model::lang_fmt::io_error(&e)
        )
    })?;
    let mut buf = vec![0u8; 65535];
    let no_answer = || {
        crate::tr_fmt!(
            "no answer from the SQL Browser on {host} (UDP {port}) within {} s: start the 'SQL Server Browser' \
             service (set it to start automatically) and allow UDP {port} in the firewall",
            "aucune réponse du SQL Browser sur {host} (UDP {port}) en {} s : démarrez le service « SQL Server \
             Browser » (en démarrage automatique) et autorisez UDP {port} dans le pare-feu",
            crate::model::lang::decimal(wait.as_secs_f32().to_string())
        )
    };
    match tokio::time::timeout(wait, sock.recv_from(&mut buf)).await {
        Err(_) => Err(no_answer()),
        // An ICMP port-unreachable shows up as an error on some systems.
        Ok(Err(_)) => Err(no_answer()),
        Ok(Ok((n, _))) => parse_response(&buf[..n]),
    }
}

pub async fn check(conn: &SqlConnection, ctx: &StepCtx, port: u16) -> StepResult {
    let target = parse_server(&conn.server)?;
    let wait = Duration::from_secs(conn.connect_timeout_s.clamp(1, 5));
    let r = tokio::select! {
        _ = ctx.cancel.cancelled() => return Err(crate::model::lang::tr(
            "cancelled while waiting for the SQL Browser",
            "annulé pendant l'attente du SQL Browser",
        ).into()),
        r = probe(&target.host, port, wait) => r,
    };
    let instances = r.map_err(StepError)?;
    if instances.is_empty() {
        // An answer that names no instance is no answer.
        return Err(StepError(crate::tr_fmt!(
            "the SQL Browser on {} (UDP {port}) answered but listed no instance: the answer is empty or not \
             understood — check that the 'SQL Server Browser' service of that server answers, and that nothing \
             else listens on UDP {port}",
            "le SQL Browser sur {} (UDP {port}) a répondu mais n'a listé aucune instance : la réponse est vide ou \
             incompréhensible — vérifiez que le service « SQL Server Browser » de ce serveur répond, et que rien \
             d'autre n'écoute sur UDP {port}",
            target.host
        )));
    }
    let list: Vec<String> = instances
        .iter()
        .map(|i| match i.tcp_port {
            Some(p) => format!("{} (tcp {p})", i.name),
            None => i.name.clone(),
        })
        .collect();
    ctx.measured(crate::tr_fmt!(
        "SQL Browser on {} answered: {}",
        "le SQL Browser sur {} a répondu : {}",
        target.host,
        list.join(", ")
    ));
    if let Some(want) = &target.instance
        && !instances.iter().any(|i| i.name.eq_ignore_ascii_case(want))
    {
        return Err(StepError(crate::tr_fmt!(
            "the SQL Browser on {} does not list the instance {want} (found: {}): check the instance name in the plan",
            "le SQL Browser sur {} ne liste pas l'instance {want} (trouvées : {}) : vérifiez le nom de l'instance dans le plan",
            target.host,
            list.join(", ")
        )));
    }
    Ok(crate::tr_fmt!(
        "SQL Browser answers ({} instance(s))",
        "le SQL Browser répond ({} instance(s))",
        instances.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_instances() {
        let body = b"ServerName;SQL1;InstanceName;MSSQLSERVER;IsClustered;No;Version;16.0.1000.6;tcp;1433;;ServerName;SQL1;InstanceName;CRM;IsClustered;No;Version;16.0.1000.6;tcp;50123;;";
        let mut d = vec![SVR_RESP, body.len() as u8, 0];
        d.extend_from_slice(body);
        let v = parse_response(&d).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[1],
            Instance {
                name: "CRM".into(),
                tcp_port: Some(50123)
            }
        );
        assert!(parse_response(&[1, 2, 3]).is_err());
    }
}
