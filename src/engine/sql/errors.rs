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
    /// The connection was open (logged in) when the failure happened: a
    /// dropped connection then is not a connect-time problem.
    pub established: bool,
}

/// The number in "Operating system error N(...)" of a server message.
fn os_error(message: &str) -> Option<u32> {
    let rest = &message[message.find("Operating system error ")? + 23..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Error 3201 (cannot open the backup device), by its operating system error.
fn backup_device(message: &str) -> String {
    match os_error(message) {
        Some(32) => "the backup file is in use by another process (operating system error 32): another backup, \
             a copy or an antivirus holds it open on the SQL server — wait for it to end, or choose another file name".into(),
        Some(5) => "the SQL Server service account may not open the backup file (operating system error 5, access \
             denied): give that account read/write rights on the folder, on the SQL server's machine".into(),
        Some(2) | Some(3) => "the backup folder does not exist on the SQL server (operating system error 2 or 3): the \
             path is read by the SQL Server service on its own machine — create the folder there or fix backup_dir".into(),
        Some(112) => "the disk of the backup folder is full (operating system error 112): free space or choose another folder".into(),
        _ => "SQL Server cannot open the backup file: the path is read by the SQL Server service on its own machine; \
             check the folder exists there and the service account may write/read it".into(),
    }
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
        3201 => backup_device(message),
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
        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted
            if place.established =>
        {
            lost(s, message)
        }
        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted => {
            format!(
                "{s} closed the connection ({message}): often an encryption mismatch (try encryption = \"required\" \
             with a valid certificate, or check the server's 'Force Encryption' setting) or a server that is not SQL Server"
            )
        }
        _ => format!("{s}: network error: {message}"),
    }
}

/// Connecting to a named instance failed. The driver's own texts for the
/// SQL Browser step name the TCP port of the plan, not the Browser's UDP
/// 1434: those are told again here.
pub fn named_instance(err: &Error, host: &str, instance: &str, place: &Place) -> String {
    let browser = format!(
        "start the 'SQL Server Browser' service on {host} (set it to start automatically) and allow UDP 1434 \
         in its firewall, or give the instance's TCP port in the plan instead (server = \"{host},PORT\")"
    );
    match err {
        Error::Conversion(m) if m.contains("SQL browser timeout") => format!(
            "the SQL Browser of {host} did not answer on UDP 1434 when asked for the port of instance {instance}: {browser}"
        ),
        Error::Conversion(m) if m.contains("Could not resolve SQL browser instance") => format!(
            "the SQL Browser of {host} (UDP 1434) answered but gave no TCP port for instance {instance}: check the \
             instance name in the plan, and that TCP/IP is enabled for that instance (SQL Server Configuration Manager)"
        ),
        other => format!(
            "{} (the port of instance {instance} is asked from the SQL Browser on UDP 1434 of {host})",
            explain(other, place)
        ),
    }
}

/// An open connection was lost while a statement ran.
pub fn lost(server: &str, message: &str) -> String {
    format!(
        "the connection to {server} was lost while a statement ran ({message}): SQL Server stopped or restarted, \
         or the network cut the connection; the statement did not finish"
    )
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
            established: false,
        }
    }

    #[test]
    fn backup_device_by_os_error() {
        let m = |n: u32| {
            server_error(
                3201,
                16,
                &format!("Cannot open backup device 'D:\\b.bak'. Operating system error {n}(x)."),
                &place(),
            )
        };
        assert!(m(32).contains("in use by another process"), "{}", m(32));
        assert!(!m(32).contains("service account"), "{}", m(32));
        assert!(m(5).contains("access"));
        assert!(m(3).contains("does not exist"));
        assert!(m(99).contains("check the folder exists"));
    }

    #[test]
    fn a_dropped_open_connection_is_not_an_encryption_problem() {
        let mut p = place();
        let e = std::io::Error::from(ErrorKind::UnexpectedEof);
        assert!(io(&e, &p).contains("encryption"));
        p.established = true;
        let t = io(&e, &p);
        assert!(
            t.contains("was lost while a statement ran") && !t.contains("encryption"),
            "{t}"
        );
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
