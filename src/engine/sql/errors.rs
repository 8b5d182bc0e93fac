//! SQL Server failures, told so a person can act on them: what happened,
//! where, and the usual causes. No error text here ever holds a password:
//! messages are built from the server's words, the server address and the
//! login name, and the caller still passes them through `StepCtx::redact`.

use std::io::ErrorKind;

use tiberius::error::Error;

use crate::tr_fmt;

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
        Some(32) => tr_fmt!(
            "the backup file is in use by another process (operating system error 32): another backup, \
             a copy or an antivirus holds it open on the SQL server — wait for it to end, or choose another file name",
            "le fichier de sauvegarde est utilisé par un autre processus (erreur système 32) : une autre sauvegarde, \
             une copie ou un antivirus le tient ouvert sur le serveur SQL — attendez qu'il ait fini, ou choisissez un autre nom de fichier"
        ),
        Some(5) => tr_fmt!(
            "the SQL Server service account may not open the backup file (operating system error 5, access \
             denied): give that account read/write rights on the folder, on the SQL server's machine",
            "le compte du service SQL Server n'a pas le droit d'ouvrir le fichier de sauvegarde (erreur système 5, \
             accès refusé) : donnez à ce compte les droits de lecture et d'écriture sur le dossier, sur la machine du serveur SQL"
        ),
        Some(2) | Some(3) => tr_fmt!(
            "the backup folder does not exist on the SQL server (operating system error 2 or 3): the \
             path is read by the SQL Server service on its own machine — create the folder there or fix backup_dir",
            "le dossier de sauvegarde n'existe pas sur le serveur SQL (erreur système 2 ou 3) : le chemin \
             est lu par le service SQL Server sur sa propre machine — créez le dossier là-bas ou corrigez backup_dir"
        ),
        Some(112) => tr_fmt!(
            "the disk of the backup folder is full (operating system error 112): free space or choose another folder",
            "le disque du dossier de sauvegarde est plein (erreur système 112) : libérez de la place ou choisissez un autre dossier"
        ),
        _ => tr_fmt!(
            "SQL Server cannot open the backup file: the path is read by the SQL Server service on its own machine; \
             check the folder exists there and the service account may write/read it",
            "SQL Server ne peut pas ouvrir le fichier de sauvegarde : le chemin est lu par le service SQL Server sur sa \
             propre machine ; vérifiez que le dossier existe là-bas et que le compte du service peut y lire et écrire"
        ),
    }
}

/// A server error number and message (from an ERROR token).
pub fn server_error(code: u32, class: u8, message: &str, place: &Place) -> String {
    let server = place.server;
    let base = tr_fmt!(
        "SQL Server error {code} (severity {class}) on {server}: {message}",
        "erreur SQL Server {code} (gravité {class}) sur {server} : {message}"
    );
    let (login, database) = (place.login, place.database);
    let hint = match code {
        18456 => tr_fmt!(
            "login '{login}' was refused. Usual causes: wrong password; SQL Server authentication disabled \
             (the server accepts Windows logins only: enable mixed mode in the server properties, \
             Security page, then restart the service); the login is disabled or locked; its default \
             database is unavailable. The server log (ERRORLOG) gives the exact reason as the 'State' \
             of the 18456 entry",
            "la connexion « {login} » a été refusée. Causes habituelles : mauvais mot de passe ; authentification \
             SQL Server désactivée (le serveur n'accepte que les connexions Windows : activez le mode mixte dans \
             les propriétés du serveur, page Sécurité, puis redémarrez le service) ; la connexion est désactivée \
             ou verrouillée ; sa base de données par défaut n'est pas disponible. Le journal du serveur (ERRORLOG) \
             donne la raison exacte dans le « State » de l'entrée 18456"
        ),
        18470 => tr_fmt!(
            "login '{login}' is disabled: enable it (ALTER LOGIN ... ENABLE)",
            "la connexion « {login} » est désactivée : activez-la (ALTER LOGIN ... ENABLE)"
        ),
        18452 => tr_fmt!(
            "the server accepts only Windows logins for this account: use auth = \"windows\" or enable mixed mode",
            "le serveur n'accepte que les connexions Windows pour ce compte : utilisez auth = \"windows\" ou activez le mode mixte"
        ),
        4060 => tr_fmt!(
            "the database '{database}' cannot be opened: it does not exist, is offline or restoring, or login '{login}' has no user in it",
            "la base de données « {database} » ne peut pas être ouverte : elle n'existe pas, est hors ligne ou en cours de restauration, ou la connexion « {login} » n'y a pas d'utilisateur"
        ),
        911 => tr_fmt!(
            "the database '{database}' does not exist on this server: check its name in the plan",
            "la base de données « {database} » n'existe pas sur ce serveur : vérifiez son nom dans le plan"
        ),
        229 | 230 | 262 | 297 | 300 | 916 | 15247 | 15151 | 3110 | 15562 => tr_fmt!(
            "login '{login}' lacks the permission: the product needs a sysadmin login (the sa account or a member of the sysadmin role)",
            "la connexion « {login} » n'a pas l'autorisation : le produit demande une connexion sysadmin (le compte sa ou un membre du rôle sysadmin)"
        ),
        3201 => backup_device(message),
        3154 => tr_fmt!(
            "the backup holds another database than the one being restored over: restore under a new name, or allow the overwrite explicitly",
            "la sauvegarde contient une autre base de données que celle que la restauration remplace : restaurez sous un nouveau nom, ou autorisez explicitement l'écrasement"
        ),
        5133 | 5123 | 3634 => tr_fmt!(
            "SQL Server cannot create the data files: check data_dir exists on the SQL server and its service account may write there",
            "SQL Server ne peut pas créer les fichiers de données : vérifiez que data_dir existe sur le serveur SQL et que le compte de son service peut y écrire"
        ),
        1205 => tr_fmt!(
            "the statement was chosen as a deadlock victim: run the step again",
            "l'instruction a été choisie comme victime d'un interblocage : relancez l'étape"
        ),
        _ => return base,
    };
    format!("{base} — {hint}")
}

/// Any tiberius failure.
pub fn explain(err: &Error, place: &Place) -> String {
    let server = place.server;
    match err {
        Error::Server(e) => server_error(e.code(), e.class(), e.message(), place),
        Error::Io { kind, message } => io_kind(*kind, message, place),
        Error::Tls(m) => tls(m, place),
        Error::Routing { host, port } => tr_fmt!(
            "{server} redirected the connection to {host}:{port}; redirections are not followed: put that address in the plan",
            "{server} a redirigé la connexion vers {host}:{port} ; les redirections ne sont pas suivies : mettez cette adresse dans le plan"
        ),
        other => tr_fmt!(
            "SQL Server {server}: {other}",
            "SQL Server {server} : {other}"
        ),
    }
}

pub fn io(err: &std::io::Error, place: &Place) -> String {
    io_kind(err.kind(), &err.to_string(), place)
}

fn io_kind(kind: ErrorKind, message: &str, place: &Place) -> String {
    let s = place.server;
    match kind {
        ErrorKind::ConnectionRefused => tr_fmt!(
            "connection refused by {s}: nothing listens on that port. Check that the SQL Server service \
             is started, that TCP/IP is enabled (SQL Server Configuration Manager), the port (1433 by \
             default; a named instance uses host\\INSTANCE and the SQL Browser), and the firewall",
            "connexion refusée par {s} : rien n'écoute sur ce port. Vérifiez que le service SQL Server \
             est démarré, que TCP/IP est activé (Gestionnaire de configuration SQL Server), le port (1433 par \
             défaut ; une instance nommée s'écrit hôte\\INSTANCE et passe par SQL Browser) et le pare-feu"
        ),
        ErrorKind::TimedOut => tr_fmt!(
            "{s} did not answer in time: a firewall may drop the packets, the host may be down, or the port is wrong ({message})",
            "{s} n'a pas répondu à temps : un pare-feu bloque peut-être les paquets, la machine est peut-être arrêtée, ou le port est faux ({message})"
        ),
        ErrorKind::NotFound if message.contains("resolve") => not_found(s, message),
        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted
            if place.established =>
        {
            lost(s, message)
        }
        ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof | ErrorKind::ConnectionAborted => {
            tr_fmt!(
                "{s} closed the connection ({message}): often an encryption mismatch (try encryption = \"required\" \
             with a valid certificate, or check the server's 'Force Encryption' setting) or a server that is not SQL Server",
                "{s} a fermé la connexion ({message}) : souvent un désaccord sur le chiffrement (essayez encryption = \"required\" \
             avec un certificat valide, ou vérifiez le réglage « Forcer le chiffrement » du serveur) ou un serveur qui n'est pas SQL Server"
            )
        }
        _ => tr_fmt!(
            "{s}: network error: {message}",
            "{s} : erreur réseau : {message}"
        ),
    }
}

/// Connecting to a named instance failed. The driver's own texts for the
/// SQL Browser step name the TCP port of the plan, not the Browser's UDP
/// 1434: those are told again here.
pub fn named_instance(err: &Error, host: &str, instance: &str, place: &Place) -> String {
    let browser = tr_fmt!(
        "start the 'SQL Server Browser' service on {host} (set it to start automatically) and allow UDP 1434 \
         in its firewall, or give the instance's TCP port in the plan instead (server = \"{host},PORT\")",
        "démarrez le service « SQL Server Browser » sur {host} (en démarrage automatique) et autorisez UDP 1434 \
         dans son pare-feu, ou donnez plutôt le port TCP de l'instance dans le plan (server = \"{host},PORT\")"
    );
    match err {
        Error::Conversion(m) if m.contains("SQL browser timeout") => tr_fmt!(
            "the SQL Browser of {host} did not answer on UDP 1434 when asked for the port of instance {instance}: {browser}",
            "le SQL Browser de {host} n'a pas répondu sur UDP 1434 à la demande du port de l'instance {instance} : {browser}"
        ),
        Error::Conversion(m) if m.contains("Could not resolve SQL browser instance") => tr_fmt!(
            "the SQL Browser of {host} (UDP 1434) answered but gave no TCP port for instance {instance}: check the \
             instance name in the plan, and that TCP/IP is enabled for that instance (SQL Server Configuration Manager)",
            "le SQL Browser de {host} (UDP 1434) a répondu mais sans port TCP pour l'instance {instance} : vérifiez le \
             nom d'instance dans le plan, et que TCP/IP est activé pour cette instance (Gestionnaire de configuration SQL Server)"
        ),
        other => {
            let why = explain(other, place);
            tr_fmt!(
                "{why} (the port of instance {instance} is asked from the SQL Browser on UDP 1434 of {host})",
                "{why} (le port de l'instance {instance} est demandé au SQL Browser sur UDP 1434 de {host})"
            )
        }
    }
}

/// An open connection was lost while a statement ran.
pub fn lost(server: &str, message: &str) -> String {
    tr_fmt!(
        "the connection to {server} was lost while a statement ran ({message}): SQL Server stopped or restarted, \
         or the network cut the connection; the statement did not finish",
        "la connexion à {server} a été perdue pendant une instruction ({message}) : SQL Server s'est arrêté ou a \
         redémarré, ou le réseau a coupé la connexion ; l'instruction n'est pas allée à son terme"
    )
}

/// The host name could not be resolved.
pub fn not_found(server: &str, detail: &str) -> String {
    tr_fmt!(
        "the name of {server} was not found (DNS): check the spelling in the plan, or use the IP address ({detail})",
        "le nom {server} est introuvable (DNS) : vérifiez l'orthographe dans le plan, ou utilisez l'adresse IP ({detail})"
    )
}

fn tls(message: &str, place: &Place) -> String {
    let server = place.server;
    tr_fmt!(
        "TLS failure with {server}: {message}. The server certificate is not trusted by this machine or does not \
         carry the server name: install the certificate of the issuing authority, connect with the name \
         in the certificate, or — on a trusted network only — set trust_server_certificate = true",
        "échec TLS avec {server} : {message}. Cette machine ne fait pas confiance au certificat du serveur, ou il \
         ne porte pas le nom du serveur : installez le certificat de l'autorité qui l'a émis, connectez-vous avec \
         le nom du certificat, ou — sur un réseau de confiance seulement — mettez trust_server_certificate = true"
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

    #[test]
    fn french_explanations() {
        use crate::model::lang::{Lang, scoped};
        scoped(Lang::Fr, || {
            let m = server_error(18456, 14, "Login failed for user 'sa'.", &place());
            assert!(
                m.starts_with("erreur SQL Server 18456 (gravité 14) sur sql1,1433 : ")
                    && m.contains("la connexion « sa » a été refusée")
                    && m.contains("mode mixte"),
                "{m}"
            );
            let m = server_error(4060, 11, "x", &place());
            assert!(
                m.contains("la base de données « CRMSAGE » ne peut pas être ouverte"),
                "{m}"
            );
            let m = server_error(
                3201,
                16,
                "Cannot open backup device 'D:\\b.bak'. Operating system error 5(x).",
                &place(),
            );
            assert!(
                m.contains("accès refusé") && m.contains("compte du service"),
                "{m}"
            );
            let e = std::io::Error::from(ErrorKind::ConnectionRefused);
            let m = io(&e, &place());
            assert!(m.starts_with("connexion refusée par sql1,1433 : "), "{m}");
            let e = std::io::Error::from(ErrorKind::TimedOut);
            assert!(io(&e, &place()).contains("n'a pas répondu à temps"));
            let mut p = place();
            p.established = true;
            let e = std::io::Error::from(ErrorKind::UnexpectedEof);
            assert!(io(&e, &p).contains("a été perdue pendant une instruction"));
            for m in [
                server_error(18456, 14, "x", &place()),
                server_error(3201, 16, "Operating system error 32(x).", &place()),
                io(
                    &std::io::Error::from(ErrorKind::ConnectionRefused),
                    &place(),
                ),
            ] {
                for w in [" the ", " was ", " is ", " check "] {
                    assert!(!m.contains(w), "{w:?} in {m}");
                }
            }
        });
    }
}
