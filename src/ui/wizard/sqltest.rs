//! The SQL page's **Test connection**: the prerequisite checks
//! (`sql.connect`, `sql.version`, `sql.collation`, `sql.sysadmin`) run live
//! through `engine::probe::sql`, each giving one result line. The password
//! typed for the test stays in memory; every line is redacted with it.

use secrecy::{ExposeSecret, SecretString};

use crate::engine::probe;
use crate::model::plan::SqlConnection;
use crate::model::secret::{EnvSecrets, SecretRef, SecretSource};
use crate::model::step::sql::SqlAction;
use crate::ui::strings::{fill, w};

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestLine {
    pub check: &'static str,
    pub ok: bool,
    pub text: String,
}

/// Resolves the connection's password to the value typed in the wizard, or
/// through the environment when nothing was typed.
struct Typed<'a>(&'a SecretString);

impl SecretSource for Typed<'_> {
    fn resolve(&self, what: &str, r: &SecretRef) -> Result<SecretString, String> {
        if !self.0.expose_secret().is_empty() {
            Ok(self.0.clone())
        } else if matches!(r, SecretRef::Prompt { .. }) {
            Err(fill(w().test_password_prompt, &[&what]))
        } else {
            EnvSecrets::default().resolve(what, r)
        }
    }
}

/// Run the four checks in order; stop after a failed connection (the others
/// would fail the same way).
pub async fn run(conn: &SqlConnection, password: &SecretString) -> Vec<TestLine> {
    let checks: [(&'static str, SqlAction); 4] = [
        ("sql.connect", SqlAction::Connect),
        ("sql.version", SqlAction::Version),
        ("sql.collation", SqlAction::Collation { database: None }),
        ("sql.sysadmin", SqlAction::Sysadmin),
    ];
    let mut out = Vec::new();
    let dir = match tempfile_dir() {
        Ok(d) => d,
        Err(e) => {
            out.push(TestLine {
                check: "sql.connect",
                ok: false,
                text: fill(w().test_no_temp, &[&e]),
            });
            return out;
        }
    };
    for (name, action) in checks {
        let log = dir.path.join(format!("{name}.log"));
        let known = vec![password.clone()];
        let r = match probe::sql(&action, conn, &Typed(password), known, &log).await {
            Ok(r) => r,
            Err(e) => {
                out.push(TestLine {
                    check: name,
                    ok: false,
                    text: fill(w().test_no_log, &[&log.display(), &e]),
                });
                break;
            }
        };
        let ok = r.is_ok();
        out.push(TestLine {
            check: name,
            ok,
            text: match r {
                Ok(s) => s,
                Err(e) => e,
            },
        });
        if !ok && name == "sql.connect" {
            break;
        }
    }
    out
}

/// A folder removed on drop, for the check logs.
struct TempDir {
    path: std::path::PathBuf,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn tempfile_dir() -> std::io::Result<TempDir> {
    let path = std::env::temp_dir().join(format!(
        "dress-sqltest-{}-{}",
        std::process::id(),
        crate::engine::event::now_ms()
    ));
    std::fs::create_dir_all(&path)?;
    Ok(TempDir { path })
}
