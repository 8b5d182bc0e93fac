//! Opening a connection: server forms, authentication, encryption, the
//! connect timeout and cancellation.
//!
//! Authentication:
//! - `auth = "sql"`: a SQL login and its password (from `{ env = ... }` or a
//!   prompt, resolved through [`SecretSource`], kept in a `SecretString`).
//! - `auth = "windows"`: only when dress runs on Windows, through SSPI
//!   (tiberius `winauth`): with no `login`, the current Windows account
//!   (integrated); with `login = "DOMAIN\\user"` and a password, those
//!   explicit credentials. On other systems Windows authentication is not
//!   built in (tiberius would need its `sspi-rs` NTLM stack, which is not
//!   shipped): the step says so and asks for a SQL login.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use tiberius::{AuthMethod, Client, Config, EncryptionLevel, SqlBrowser};
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use super::errors::{self, Place};
use crate::engine::ctx::{StepCtx, StepError};
use crate::model::plan::{Encryption, SqlAuth, SqlConnection};
use crate::model::secret::{SecretSource, redact};

pub type SqlClient = Client<Compat<TcpStream>>;

/// Command timeout of ordinary statements (checks, small updates).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// A parsed `server` value of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: Option<u16>,
    pub instance: Option<String>,
}

impl Target {
    pub const DEFAULT_PORT: u16 = 1433;
}

/// `host`, `host,port` or `host\INSTANCE` (a `tcp:` prefix is accepted;
/// `.` and `(local)` mean this machine).
pub fn parse_server(server: &str) -> Result<Target, String> {
    let s = server.trim();
    let s = s.strip_prefix("tcp:").unwrap_or(s);
    let bad = |why: String| {
        crate::tr_fmt!(
            "server '{server}' {why}: write host, host,port or host\\INSTANCE",
            "le serveur « {server} » {why} : écrivez hôte, hôte,port ou hôte\\INSTANCE"
        )
    };
    let (rest, port) = match s.split_once(',') {
        Some((h, p)) => {
            let port: u16 = p.trim().parse().map_err(|_| {
                bad(crate::tr_fmt!(
                    "has a port that is not a number from 1 to 65535",
                    "a un port qui n'est pas un nombre de 1 à 65535"
                ))
            })?;
            if port == 0 {
                return Err(bad(crate::tr_fmt!("has port 0", "a le port 0")));
            }
            (h.trim(), Some(port))
        }
        None => (s, None),
    };
    let (host, instance) = match rest.split_once('\\') {
        Some((h, i)) if !i.is_empty() && !i.contains('\\') => (h, Some(i.to_string())),
        Some(_) => {
            return Err(bad(crate::tr_fmt!(
                "has an empty or nested instance name",
                "a un nom d'instance vide ou imbriqué"
            )));
        }
        None => (rest, None),
    };
    if host.is_empty() {
        return Err(bad(crate::tr_fmt!(
            "has no host name",
            "n'a pas de nom d'hôte"
        )));
    }
    if instance.is_some() && port.is_some() {
        return Err(bad(crate::tr_fmt!(
            "gives both an instance and a port; keep one",
            "donne à la fois une instance et un port ; gardez-en un"
        )));
    }
    let host = match host {
        "." | "(local)" | "(localdb)" => "localhost".to_string(),
        h => h.to_string(),
    };
    Ok(Target {
        host,
        port,
        instance,
    })
}

fn encryption(e: Encryption) -> EncryptionLevel {
    match e {
        Encryption::Required => EncryptionLevel::Required,
        Encryption::Off => EncryptionLevel::Off,
        Encryption::NotSupported => EncryptionLevel::NotSupported,
        Encryption::Strict => EncryptionLevel::Strict,
    }
}

/// The password of the plan, resolved. `None` for integrated Windows logins.
pub fn password(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
) -> Result<Option<SecretString>, String> {
    match &conn.password {
        Some(r) => secrets
            .resolve(
                crate::model::lang::tr("SQL password", "mot de passe SQL"),
                r,
            )
            .map(Some),
        None if conn.auth == SqlAuth::Sql => Err(crate::tr_fmt!(
            "the SQL login needs a password: add password = {{ env = \"NAME\" }} or {{ prompt = true }} to the sql section of the plan",
            "la connexion SQL demande un mot de passe : ajoutez password = {{ env = \"NOM\" }} ou {{ prompt = true }} dans la section sql du plan"
        )),
        None => Ok(None),
    }
}

fn auth(conn: &SqlConnection, pw: Option<&SecretString>) -> Result<AuthMethod, String> {
    match conn.auth {
        SqlAuth::Sql => {
            let login = conn
                .login
                .as_deref()
                .filter(|l| !l.is_empty())
                .ok_or_else(|| {
                    crate::tr_fmt!(
                        "auth = \"sql\" needs a login (for example login = \"sa\") in the sql section of the plan",
                        "auth = \"sql\" demande une connexion (par exemple login = \"sa\") dans la section sql du plan"
                    )
                })?;
            let pw = pw.ok_or_else(|| {
                crate::tr_fmt!(
                    "the SQL login needs a password",
                    "la connexion SQL demande un mot de passe"
                )
            })?;
            Ok(AuthMethod::sql_server(login, pw.expose_secret()))
        }
        SqlAuth::Windows => windows_auth(conn, pw),
    }
}

#[cfg(windows)]
fn windows_auth(conn: &SqlConnection, pw: Option<&SecretString>) -> Result<AuthMethod, String> {
    match (conn.login.as_deref(), pw) {
        (Some(login), Some(pw)) if !login.is_empty() => {
            Ok(AuthMethod::windows(login, pw.expose_secret()))
        }
        (Some(login), None) if !login.is_empty() => Err(crate::tr_fmt!(
            "Windows login '{login}' needs a password; leave login out to use the current Windows account",
            "la connexion Windows « {login} » demande un mot de passe ; retirez login pour utiliser le compte Windows en cours"
        )),
        _ => Ok(AuthMethod::Integrated),
    }
}

#[cfg(not(windows))]
fn windows_auth(_conn: &SqlConnection, _pw: Option<&SecretString>) -> Result<AuthMethod, String> {
    Err(crate::tr_fmt!(
        "Windows authentication (integrated or with DOMAIN\\user credentials) is only available when dress \
         runs on Windows; this is {}. Use a SQL login (auth = \"sql\", login = \"sa\" or another sysadmin \
         login, password = {{ env = \"NAME\" }}), or run dress on a Windows machine of the domain",
        "l'authentification Windows (intégrée ou avec des identifiants DOMAINE\\utilisateur) n'est possible que \
         si dress tourne sous Windows ; ce système est {}. Utilisez une connexion SQL (auth = \"sql\", login = \"sa\" \
         ou une autre connexion sysadmin, password = {{ env = \"NOM\" }}), ou lancez dress sur une machine Windows du domaine",
        std::env::consts::OS
    ))
}

/// A connection and what is needed to explain its failures.
pub struct Session {
    pub client: SqlClient,
    pub server: String,
    pub login: String,
    pub database: String,
    password: Option<SecretString>,
}

impl Session {
    pub fn place(&self) -> Place<'_> {
        Place {
            server: &self.server,
            login: &self.login,
            database: &self.database,
            established: true,
        }
    }

    /// A tiberius error told to a person, the password masked.
    pub fn explain(&self, err: &tiberius::error::Error, ctx: &StepCtx) -> StepError {
        self.clean(&errors::explain(err, &self.place()), ctx)
    }

    /// Mask the password (and every secret of the run) in `text`.
    pub fn clean(&self, text: &str, ctx: &StepCtx) -> StepError {
        clean(text, self.password.as_ref(), ctx)
    }
}

fn clean(text: &str, pw: Option<&SecretString>, ctx: &StepCtx) -> StepError {
    let t = match pw {
        Some(p) => redact(text, &[p]),
        None => text.to_string(),
    };
    StepError(ctx.redact(&t))
}

/// Open a connection to `database` (use `master` for server-wide checks).
/// `long` removes the command timeout for statements that may run for hours
/// (backup, restore, CHECKDB, scripts): those are bounded by cancellation.
/// The TCP connect, the TLS handshake and the login together are bounded by
/// the plan's `connect_timeout_s`.
pub async fn open(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    database: &str,
    long: bool,
) -> Result<Session, StepError> {
    let pw = password(conn, secrets).map_err(|e| clean(&e, None, ctx))?;
    let fail = |e: String| clean(&e, pw.as_ref(), ctx);
    let target = parse_server(&conn.server).map_err(fail)?;
    let login = conn.login.clone().unwrap_or_else(|| {
        crate::model::lang::tr("(current Windows account)", "(compte Windows en cours)").into()
    });
    let place = Place {
        server: &conn.server,
        login: &login,
        database,
        established: false,
    };

    ctx.info(&crate::tr_fmt!(
        "connecting to {} as {login}, database {database}, encryption {:?}{}",
        "connexion à {} en tant que {login}, base de données {database}, chiffrement {:?}{}",
        conn.server,
        conn.encryption,
        if conn.trust_server_certificate {
            crate::model::lang::tr(
                ", server certificate trusted without check",
                ", certificat du serveur accepté sans vérification",
            )
        } else {
            ""
        }
    ));
    if conn.encryption == Encryption::NotSupported {
        ctx.info(&crate::tr_fmt!(
            "warning: encryption = \"not-supported\": the login {login} and its password cross the network to {} in clear text",
            "attention : encryption = \"not-supported\" : la connexion {login} et son mot de passe traversent le réseau jusqu'à {} en clair",
            conn.server
        ));
    }
    let mut config = Config::new();
    config.host(&target.host);
    // With a named instance the driver asks the SQL Browser for the port,
    // on the port configured here: that must be the Browser's UDP 1434.
    config.port(match &target.instance {
        Some(_) => crate::model::step::sql::SSRP_PORT,
        None => target.port.unwrap_or(Target::DEFAULT_PORT),
    });
    if let Some(i) = &target.instance {
        config.instance_name(i);
    }
    config.database(database);
    config.application_name("dress");
    config.encryption(encryption(conn.encryption));
    if conn.trust_server_certificate {
        config.trust_cert();
    }
    let limit = Duration::from_secs(conn.connect_timeout_s.max(1));
    config.handshake_timeout(Some(limit));
    config.command_timeout(if long { None } else { Some(COMMAND_TIMEOUT) });
    config.authentication(auth(conn, pw.as_ref()).map_err(fail)?);

    let attempt = async {
        let tcp = match &target.instance {
            // The SQL Browser (UDP 1434) tells the instance's port.
            Some(i) => {
                resolve(&target.host, crate::model::step::sql::SSRP_PORT, &place).await?;
                TcpStream::connect_named(&config)
                    .await
                    .map_err(|e| errors::named_instance(&e, &target.host, i, &place))?
            }
            None => {
                let port = target.port.unwrap_or(Target::DEFAULT_PORT);
                let addrs = resolve(&target.host, port, &place).await?;
                TcpStream::connect(&addrs[..])
                    .await
                    .map_err(|e| errors::io(&e, &place))?
            }
        };
        let _ = tcp.set_nodelay(true);
        Client::connect(config, tcp.compat_write())
            .await
            .map_err(|e| errors::explain(&e, &place))
    };

    let client = tokio::select! {
        _ = ctx.cancel.cancelled() => {
            return Err(fail(crate::tr_fmt!(
                "cancelled while connecting to {}",
                "annulé pendant la connexion à {}",
                conn.server
            )));
        }
        r = tokio::time::timeout(limit, attempt) => match r {
            Err(_) => return Err(fail(crate::tr_fmt!(
                "no answer from {} within {} s (connect_timeout_s): the host may be down, a firewall may drop \
                 the packets, or the port is wrong",
                "pas de réponse de {} en {} s (connect_timeout_s) : la machine est peut-être arrêtée, un pare-feu \
                 bloque peut-être les paquets, ou le port est faux",
                conn.server, limit.as_secs()
            ))),
            Ok(r) => r.map_err(fail)?,
        }
    };
    Ok(Session {
        client,
        server: conn.server.clone(),
        login,
        database: database.to_string(),
        password: pw,
    })
}

async fn resolve(
    host: &str,
    port: u16,
    place: &Place<'_>,
) -> Result<Vec<std::net::SocketAddr>, String> {
    match tokio::net::lookup_host((host, port)).await {
        Ok(a) => {
            let v: Vec<_> = a.collect();
            if v.is_empty() {
                Err(errors::not_found(
                    place.server,
                    crate::model::lang::tr("no address", "aucune adresse"),
                ))
            } else {
                Ok(v)
            }
        }
        Err(e) => Err(errors::not_found(
            place.server,
            &crate::model::lang_fmt::io_error(&e),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_forms() {
        assert_eq!(
            parse_server("sql1").unwrap(),
            Target {
                host: "sql1".into(),
                port: None,
                instance: None
            }
        );
        assert_eq!(parse_server("sql1, 1500").unwrap().port, Some(1500));
        let t = parse_server("SQL1\\CRM").unwrap();
        assert_eq!(
            (t.host.as_str(), t.instance.as_deref()),
            ("SQL1", Some("CRM"))
        );
        assert_eq!(parse_server(".").unwrap().host, "localhost");
        assert_eq!(parse_server("tcp:h,1").unwrap().port, Some(1));
        assert!(parse_server("h,abc").unwrap_err().contains("not a number"));
        assert!(parse_server("h,0").is_err());
        assert!(parse_server("h\\I,1433").is_err());
        assert!(parse_server(",1433").is_err());
        assert!(parse_server("h\\").is_err());
    }
}
