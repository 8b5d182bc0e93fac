//! SQL Server failures, told so a person can act on them: what happened,
//! where, and the usual causes. No error text here ever holds a password:
//! messages are built from the server's words, the server address and the
//! login name, and the caller still passes them through `StepCtx::redact`.

use std::io::ErrorKind;

use tiberius::error::Error;

/// Where the failure happened, for the wording.
pub struct Place<'a> {
    /// The server as written in the plan (`host`, `host,port`, `host\INSTANCE`).
    pub server: &'a str,
    pub login: &'a str,
    pub database: &'a str,
}

/// A server error number and message (from an ERROR token).
pub fn server_error(code: u32, class: u8, message: &str, place: &Place) -> String {
    let base = format!(
        "SQL Server error {code} (severity {class}) on {}: {message}",
        place.server
    );
    let hint = match code {
        18456 => format!(
            "login '{}' was refused. Usual causes: wrong password; SQL Server authentication disabled \
             (the server accepts Windows logins only: enable mixed mode in the server properties, \
             Security page, then restart the service); the login is disabled or locked; its default \
             database is unavailable. The server log (ERRORLOG) gives the exact reason as the 'State' \
             of the 18456 entry",
            place.login
        ),
        18470 => format!("login '{}' is disabled: enable it (ALTER LOGIN ... ENABLE)", place.login),
        18452 => "the server accepts only Windows logins for this account: use auth = \"windows\" or enable mixed mode".into(),
        4060 => format!(
            "the database '{}' cannot be opened: it does not exist, is offline or restoring, or login '{}' has no user in it",
            place.database, place.login
        ),
        911 => format!("the database '{}' does not exist on this server: check its name in the plan", place.database),
        229 | 230 | 262 | 297 | 300 | 916 | 15247 | 15151 | 3110 | 15562 => format!(
            "login '{}' lacks the permission: the product needs a sysadmin login (the sa account or a member of the sysadmin role)",
            place.login
        ),
        3201 => "SQL Server cannot open the backup file: the path is read by the SQL Server service on its own machine; check the folder exists there and the service account may write/read it".into(),
        3154 => "the backup holds another database than the one being restored over: restore under a new name, or allow the overwrite explicitly".into(),
        5133 | 5123 | 3634 => "SQL Server cannot create the data files: check data_dir exists on the SQL server and its service account may write there".into(),
        1205 => "the statement was chosen as a deadlock victim: run the step again".into(),
        _ => return base,
    };
    format!("{base} — {hint}")
}

/// Any tiberius failure.
pub fn explain(err: &Error, place: &Place) -> String {
    match err {
        Error::Server(e) => server_error(e.code(), e.class(), e.message(), place),
        Error::Io { kind, message } => io_kind(*kind, message, place),
        Error::Tls(m) => tls(m, place),
        Error::Routing { host, port } => format!(
            "{} redirected the connection to {host}:{port}; redirections are not followed: put that address in the plan",
            place.server
        ),
        other => format!("SQL Server {}: {other}", place.server),
    }
}

pub fn io(err: &std::io::Error, place: &Place) -> String {
    io_kind(err.kind(), &err.to_string(), place)
}

fn io_kind(kind: ErrorKind, message: &str, place: &Place) -> String {
    let s = place.server;
    match kind {
        ErrorKind::ConnectionRefused => format!(
            "connection refused by {s}: nothing listens on that port. Check that the SQL Server service \
             is started, that TCP/IP is enabled (SQL Server Configuration Manager), the port (1433 by \
             default; a named instance uses host\\INSTANCE and the SQL Browser), and the firewall"
        ),
        ErrorKind::TimedOut => format!(
            "{s} did not answer in time: a firewall may drop the packets, the host may be down, or the port is wrong ({message})"
        ),
        ErrorKind::NotFound if message.contains("resolve") => not_found(s, message),
        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted => {
            format!(
                "{s} closed the connection ({message}): often an encryption mismatch (try encryption = \"required\" \
             with a valid certificate, or check the server's 'Force Encryption' setting) or a server that is not SQL Server"
            )
        }
        _ => format!("{s}: network error: {message}"),
    }
}

/// The host name could not be resolved.
pub fn not_found(server: &str, detail: &str) -> String {
    format!(
        "the name of {server} was not found (DNS): check the spelling in the plan, or use the IP address ({detail})"
    )
}

fn tls(message: &str, place: &Place) -> String {
    format!(
        "TLS failure with {}: {message}. The server certificate is not trusted by this machine or does not \
         carry the server name: install the certificate of the issuing authority, connect with the name \
         in the certificate, or — on a trusted network only — set trust_server_certificate = true",
        place.server
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place<'static> {
        Place {
            server: "sql1,1433",
            login: "sa",
            database: "CRMSAGE",
        }
    }

    #[test]
    fn login_failed_lists_causes() {
        let m = server_error(18456, 14, "Login failed for user 'sa'.", &place());
        assert!(
            m.contains("18456") && m.contains("mixed mode") && m.contains("disabled"),
            "{m}"
        );
    }

    #[test]
    fn missing_database_and_permissions() {
        assert!(server_error(4060, 11, "x", &place()).contains("'CRMSAGE'"));
        assert!(server_error(911, 16, "x", &place()).contains("does not exist"));
        assert!(server_error(262, 14, "x", &place()).contains("sysadmin"));
        assert!(server_error(15247, 16, "x", &place()).contains("sysadmin"));
        assert_eq!(
            server_error(50000, 16, "custom", &place()),
            "SQL Server error 50000 (severity 16) on sql1,1433: custom"
        );
    }

    #[test]
    fn refused_and_timeout() {
        let e = std::io::Error::from(ErrorKind::ConnectionRefused);
        assert!(io(&e, &place()).contains("connection refused"));
        let e = std::io::Error::from(ErrorKind::TimedOut);
        assert!(io(&e, &place()).contains("did not answer in time"));
    }
}
