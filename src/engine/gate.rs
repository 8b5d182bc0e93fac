//! The recipe fingerprint: what a rehearsal proved. Production runs only
//! from a fingerprint that passed a rehearsal.
//!
//! It covers everything that decides what production does:
//! - the recipe (`[recipe]`, canonical JSON);
//! - the BLAKE3 of every program, script and package the recipe runs: the
//!   setup package and program, the licence tool, the integration installer,
//!   the programs and scripts of `[[recipe.steps]]` and the files their
//!   arguments name;
//! - the deployment (company, installation, product, version, kind) and the
//!   identity of production (its folder, site, SQL server and database, web
//!   servers).
//!
//! Environment-specific paths are left out by rule, so that the test and the
//! production runs of ONE deployment share the fingerprint and two
//! deployments never do: the test environment is not part of it, and a file
//! an argument names inside an environment's install or backup folder is
//! data, not something that runs.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::model::Plan;

/// BLAKE3 of a file, streamed.
pub fn hash_file(path: &std::path::Path) -> std::io::Result<blake3::Hash> {
    let mut f = std::fs::File::open(path)?;
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize())
}

/// One thing the fingerprint covers, with its own hash (16 hex digits) or
/// why there is none (a program not found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub what: String,
    pub hash: String,
}

/// The fingerprint and what it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub value: String,
    pub parts: Vec<Part>,
}

fn short(h: blake3::Hash) -> String {
    h.to_hex()[..16].to_string()
}

fn json_part(what: &str, v: &serde_json::Value) -> Part {
    Part {
        what: what.to_string(),
        hash: short(blake3::hash(v.to_string().as_bytes())),
    }
}

/// A program named without a folder, found on the PATH as the step would.
fn on_path(name: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|d| {
        let p = d.join(name);
        if p.is_file() {
            return Some(p);
        }
        let exe = d.join(format!("{}.exe", name.display()));
        (cfg!(windows) && exe.is_file()).then_some(exe)
    })
}

fn file_part(what: &str, path: &Path) -> Part {
    let s = path.to_string_lossy();
    let bare = !s.contains('/') && !s.contains('\\');
    let found = if bare && !path.is_file() {
        on_path(path)
    } else {
        Some(path.to_path_buf())
    };
    let hash = match found {
        None => "not found on the PATH".to_string(),
        Some(p) => match hash_file(&p) {
            Ok(h) => short(h),
            Err(e) => format!("unreadable ({})", e.kind()),
        },
    };
    Part {
        what: format!("{what} {}", path.display()),
        hash,
    }
}

/// The folders of the environments: files in them are data.
fn env_folders(plan: &Plan) -> Vec<&Path> {
    [&plan.environments.test, &plan.environments.production]
        .into_iter()
        .flatten()
        .flat_map(|e| [e.install_dir.as_path(), e.backup_dir.as_path()])
        .collect()
}

/// Files an argument list names: an existing regular file, absolute or
/// relative to the step's folder, outside the environments' folders.
fn named_files(args: &[String], cwd: Option<&Path>, skip: &[&Path]) -> Vec<PathBuf> {
    args.iter()
        .filter_map(|a| {
            let p = Path::new(a);
            let p = if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd?.join(p)
            };
            (p.is_file() && !skip.iter().any(|d| p.starts_with(d))).then_some(p)
        })
        .collect()
}

/// The fingerprint with its parts. `None` when the plan has no setup;
/// an error when the setup package cannot be read.
pub fn fingerprint_parts(plan: &Plan) -> Result<Option<Fingerprint>, String> {
    let Some(setup) = &plan.recipe.setup else {
        return Ok(None);
    };
    let package = hash_file(&setup.package).map_err(|e| {
        crate::tr_fmt!(
            "{}: the setup package cannot be read ({})",
            "{} : le programme d'installation ne peut pas être lu ({})",
            setup.package.display(),
            crate::model::lang_fmt::io_error(&e)
        )
    })?;
    let recipe = serde_json::to_value(&plan.recipe).map_err(|e| e.to_string())?;
    let d = &plan.deployment;
    let mut parts = vec![
        json_part("recipe", &recipe),
        json_part(
            "deployment",
            &json!([
                d.company,
                d.installation,
                d.product,
                d.version,
                d.kind,
                d.demo_database,
                d.integration_service
            ]),
        ),
    ];
    parts.push(match &plan.environments.production {
        Some(p) => json_part(
            "production",
            &json!({
                "install_dir": p.install_dir,
                "url": p.url,
                "sql": p.sql.as_ref().map(|s| (&s.server, &s.database)),
                "servers": p.servers.iter().map(|s| (&s.name, &s.address, &s.install_path)).collect::<Vec<_>>(),
            }),
        ),
        None => json_part("production", &json!(null)),
    });
    parts.push(Part {
        what: format!("setup package {}", setup.package.display()),
        hash: short(package),
    });
    if let Some(p) = &setup.program {
        parts.push(file_part("setup program", p));
    }
    if let Some(i) = &plan.recipe.integration_setup {
        parts.push(file_part("integration installer", &i.package));
        if let Some(p) = &i.program {
            parts.push(file_part("integration program", p));
        }
    }
    let skip = env_folders(plan);
    if let Some(t) = &plan.recipe.licence_tool {
        parts.push(file_part("licence tool", &t.program));
        for f in named_files(&t.args, None, &skip) {
            parts.push(file_part("licence tool file", &f));
        }
    }
    for x in &plan.recipe.steps {
        if let Some(p) = &x.program {
            parts.push(file_part(&format!("step {} program", x.id), p));
        }
        if let Some(s) = &x.script {
            parts.push(file_part(&format!("step {} script", x.id), s));
        }
        for f in named_files(&x.args, x.cwd.as_deref(), &skip) {
            parts.push(file_part(&format!("step {} file", x.id), &f));
        }
    }
    let mut h = blake3::Hasher::new();
    h.update(b"dress-recipe-v2\0");
    for p in &parts {
        h.update(p.what.as_bytes());
        h.update(b"\0");
        h.update(p.hash.as_bytes());
        h.update(b"\0");
    }
    Ok(Some(Fingerprint {
        value: short(h.finalize()),
        parts,
    }))
}

/// The fingerprint alone (see [`fingerprint_parts`]).
pub fn fingerprint(plan: &Plan) -> Result<Option<String>, String> {
    Ok(fingerprint_parts(plan)?.map(|f| f.value))
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
