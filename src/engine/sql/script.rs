//! SQL scripts: split on `GO` lines as sqlcmd and SSMS do, each batch sent
//! as it is, stopping at the first error with the batch number and the
//! line of the script.

use std::path::Path;

use super::connect::{self, Session};
use super::{errors, long_running};
use crate::engine::ctx::{StepCtx, StepError, StepResult};
use crate::model::plan::SqlConnection;
use crate::model::secret::SecretSource;

/// One batch of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// 1-based number of the batch in the script.
    pub number: usize,
    /// 1-based line of the script where the batch text starts.
    pub line: usize,
    pub sql: String,
    /// How many times to run it (`GO 3`).
    pub count: u32,
}

/// Whether `line` is a batch separator, and its count: `GO`, `go 2`,
/// `GO -- comment` (case-insensitive, surrounding blanks allowed).
pub fn separator(line: &str) -> Option<Result<u32, String>> {
    let t = line.trim();
    let t = match t.find("--") {
        Some(i) => t[..i].trim_end(),
        None => t,
    };
    let head = t.get(..2)?;
    if !head.eq_ignore_ascii_case("go") {
        return None;
    }
    let rest = &t[2..];
    if rest.is_empty() {
        return Some(Ok(1));
    }
    if !rest.starts_with(char::is_whitespace) {
        return None; // GOTO, GOVERNOR, ...
    }
    Some(match rest.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(crate::tr_fmt!(
            "'{}' is not a valid GO count (GO n, n >= 1)",
            "« {} » n'est pas un nombre de GO correct (GO n, n >= 1)",
            line.trim()
        )),
    })
}

/// Split a script into batches; empty batches are dropped.
pub fn split(script: &str) -> Result<Vec<Batch>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 1;
    let mut number = 0;
    let mut push = |sql: &mut String, start: usize, count: u32, out: &mut Vec<Batch>| {
        if !sql.trim().is_empty() {
            number += 1;
            out.push(Batch {
                number,
                line: start,
                sql: std::mem::take(sql),
                count,
            });
        }
        sql.clear();
    };
    for (i, line) in script.lines().enumerate() {
        let n = i + 1;
        match separator(line) {
            Some(Ok(count)) => {
                push(&mut cur, start, count, &mut out);
                start = n + 1;
            }
            Some(Err(e)) => return Err(crate::tr_fmt!("line {n}: {e}", "ligne {n} : {e}")),
            None => {
                if cur.is_empty() && line.trim().is_empty() {
                    start = n + 1;
                    continue;
                }
                cur.push_str(line);
                cur.push('\n');
            }
        }
    }
    push(&mut cur, start, 1, &mut out);
    Ok(out)
}

/// Read a script file: UTF-8 (with or without BOM) or UTF-16 with a BOM,
/// as SSMS saves them.
pub fn read(path: &Path) -> Result<String, String> {
    let b = std::fs::read(path).map_err(|e| {
        crate::tr_fmt!(
            "cannot read the script {}: {}",
            "impossible de lire le script {} : {}",
            path.display(),
            crate::model::lang_fmt::io_error(&e)
        )
    })?;
    let utf16 = |le: bool| {
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| {
            crate::tr_fmt!(
                "the script {} is not valid UTF-16",
                "le script {} n'est pas de l'UTF-16 correct",
                path.display()
            )
        })
    };
    match b.as_slice() {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|_| bad(path)),
        _ => String::from_utf8(b.clone()).map_err(|_| bad(path)),
    }
}

fn bad(path: &Path) -> String {
    crate::tr_fmt!(
        "the script {} is neither UTF-8 nor UTF-16: save it as UTF-8 (SSMS: File > Save As > Save with Encoding)",
        "le script {} n'est ni en UTF-8 ni en UTF-16 : enregistrez-le en UTF-8 (SSMS : Fichier > Enregistrer sous > Enregistrer avec encodage)",
        path.display()
    )
}

pub async fn run(
    conn: &SqlConnection,
    secrets: &dyn SecretSource,
    ctx: &StepCtx,
    file: &Path,
    database: &str,
) -> StepResult {
    super::text::valid_database_name(database)?;
    let batches =
        split(&read(file)?).map_err(|e| crate::tr_fmt!("{}: {e}", "{} : {e}", file.display()))?;
    if batches.is_empty() {
        return Err(StepError(crate::tr_fmt!(
            "the script {} holds no statement",
            "le script {} ne contient aucune instruction",
            file.display()
        )));
    }
    let mut s = connect::open(conn, secrets, ctx, database, true).await?;
    let total = batches.len();
    let name = file.display().to_string();
    for b in &batches {
        for _ in 0..b.count {
            ctx.info(&crate::tr_fmt!(
                "batch {}/{total} (line {})",
                "lot {}/{total} (ligne {})",
                b.number,
                b.line
            ));
            let what = crate::tr_fmt!("{name}, batch {}", "{name}, lot {}", b.number);
            let left = crate::tr_fmt!(
                "SQL Server rolls back the open transaction of batch {}; the batches before it stay applied — \
                 check that the script may run again from the start before resuming",
                "SQL Server annule la transaction ouverte du lot {} ; les lots précédents restent appliqués — \
                 vérifiez que le script peut être relancé depuis le début avant de reprendre",
                b.number
            );
            long_running(&mut s, ctx, &what, &left, async |s: &mut Session| {
                one(s, ctx, b, &name).await
            })
            .await?;
        }
        ctx.progress(
            b.number as u64,
            Some(total as u64),
            crate::model::lang::tr("batches", "lots"),
        );
    }
    ctx.measured(crate::tr_fmt!(
        "{name}: {total} batch(es) run in {database}",
        "{name} : {total} lot(s) exécuté(s) dans {database}"
    ));
    Ok(crate::tr_fmt!(
        "{name}: {total} batch(es) run",
        "{name} : {total} lot(s) exécuté(s)"
    ))
}

async fn one(s: &mut Session, ctx: &StepCtx, b: &Batch, name: &str) -> Result<(), StepError> {
    let r = match s.client.simple_query(b.sql.as_str()).await {
        Ok(q) => q.into_results().await.map(|_| ()),
        Err(e) => Err(e),
    };
    r.map_err(|e| {
        let line = match &e {
            tiberius::error::Error::Server(t) if t.line() > 0 => b.line + t.line() as usize - 1,
            _ => b.line,
        };
        let msg = errors::explain(&e, &s.place());
        s.clean(
            &crate::tr_fmt!(
                "{name}: batch {} (script line {line}) failed: {msg}",
                "{name} : le lot {} (ligne {line} du script) a échoué : {msg}",
                b.number
            ),
            ctx,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_lines() {
        assert_eq!(separator("GO"), Some(Ok(1)));
        assert_eq!(separator("  go  "), Some(Ok(1)));
        assert_eq!(separator("Go 3 -- thrice"), Some(Ok(3)));
        assert_eq!(separator("GOTO label"), None);
        assert_eq!(separator("SELECT 1"), None);
        assert!(matches!(separator("GO x"), Some(Err(_))));
        assert!(matches!(separator("GO 0"), Some(Err(_))));
    }

    #[test]
    fn batches_keep_their_lines() {
        let s = "-- header\nCREATE TABLE t (a int)\ngo\n\n\nINSERT t VALUES (1)\nGO 2\n  \nSELECT * FROM t\n";
        let b = split(s).unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!((b[0].line, b[0].count), (1, 1));
        assert_eq!(
            (b[1].line, b[1].count, b[1].sql.as_str()),
            (6, 2, "INSERT t VALUES (1)\n")
        );
        assert_eq!((b[2].number, b[2].line), (3, 9));
        assert!(split("GO\nGO\n").unwrap().is_empty());
        assert!(split("a\nGO -1\n").unwrap_err().starts_with("line 2"));
    }
}
