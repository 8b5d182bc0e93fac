//! From a step's action to the runner of its kind.

use std::sync::Arc;

use crate::engine::ctx::StepCtx;
use crate::model::step::{Action, Stage};
use crate::model::{Plan, SecretSource};

/// How a step ended, as its runner saw it.
pub enum Ran {
    Done(String),
    /// Not applicable here (e.g. no registry on this system).
    NotApplicable(String),
    Failed(String),
}

pub async fn run_action(
    action: &Action,
    stage: &Stage,
    plan: &Plan,
    secrets: &Arc<dyn SecretSource>,
    ctx: &StepCtx,
) -> Ran {
    use crate::engine::{checks, drift, exec, files, http, install, sql};
    let env = plan.environments.get(stage.env);
    let r = match action {
        Action::Exec(spec) => exec::run(spec, ctx).await,
        Action::FilesArchive { source, archive } => files::archive(source, archive, ctx).await,
        Action::FilesRestore { archive, target } => files::restore(archive, target, ctx).await,
        Action::FilesCopy { source, target } => files::copy(source, target, ctx).await,
        Action::FilesVerify { target, manifest } => files::verify(target, manifest, ctx).await,
        Action::CheckPortFree { port } => checks::port_free(*port, ctx).await,
        Action::CheckTcp {
            host,
            port,
            timeout_ms,
        } => {
            checks::tcp(
                host,
                *port,
                std::time::Duration::from_millis(*timeout_ms),
                ctx,
            )
            .await
        }
        Action::CheckDiskFree { path, min_mib } => checks::disk_free(path, *min_mib, ctx).await,
        Action::CheckMemory { min_mib } => checks::memory(*min_mib, ctx).await,
        Action::CheckPathExists { path } => checks::path_exists(path, ctx).await,
        Action::CheckAdmin => checks::admin(ctx).await,
        Action::CheckOs => checks::os(ctx).await,
        Action::HttpWait {
            url,
            status,
            timeout_s,
            interval_ms,
        } => {
            http::wait(
                url,
                *status,
                std::time::Duration::from_secs(*timeout_s),
                std::time::Duration::from_millis(*interval_ms),
                ctx,
            )
            .await
        }
        Action::RegistryExport { key, file } => {
            if !cfg!(windows) {
                return Ran::NotApplicable(crate::tr_fmt!(
                    "not on this system: there is no Windows registry here, {key} was not exported",
                    "pas sur ce système : il n'y a pas de registre Windows ici, {key} n'a pas été exporté"
                ));
            }
            let spec = crate::model::step::ExecSpec {
                program: "reg".into(),
                args: vec![
                    "export".into(),
                    key.clone(),
                    file.to_string_lossy().into_owned(),
                    "/y".into(),
                ],
                cwd: None,
                env: Default::default(),
                timeout_s: Some(300),
                ok_exit_codes: vec![0],
                pass_secrets: Vec::new(),
                collect_logs: Vec::new(),
            };
            exec::run(&spec, ctx).await
        }
        Action::Manual { .. } => Ok(crate::tr_fmt!("confirmed", "confirmée")),
        Action::ExecWithResponse(r) => install::run_with_response(r, secrets.as_ref(), ctx).await,
        Action::CheckPackageVersion {
            package,
            version_file,
            expected,
        } => install::package_version(package, version_file.as_deref(), expected, ctx).await,
        Action::CheckSqlExpressSa { server, login } => {
            install::sql_express_sa(server, login.as_deref(), ctx).await
        }
        Action::IisReset { server } => {
            if !cfg!(windows) {
                return Ran::NotApplicable(crate::tr_fmt!(
                    "not on this system: there is no IIS here, iisreset was not run",
                    "pas sur ce système : il n'y a pas d'IIS ici, iisreset n'a pas été lancé"
                ));
            }
            exec::run(&install::iis_reset_spec(server.as_deref()), ctx).await
        }
        Action::ServiceStop { name } | Action::ServiceStart { name } => {
            if !cfg!(windows) {
                return Ran::NotApplicable(crate::tr_fmt!(
                    "not on this system: there is no Windows service manager here, {name} was left alone",
                    "pas sur ce système : il n'y a pas de gestionnaire de services Windows ici, {name} n'a pas été touché"
                ));
            }
            match action {
                Action::ServiceStop { .. } => crate::engine::service::stop(name, ctx).await,
                _ => crate::engine::service::start(name, ctx).await,
            }
        }
        Action::FilesDrift(d) => drift::check(d, ctx).await,
        Action::FilesSync(d) => drift::sync(d, ctx).await,
        Action::BackupPrune {
            dir,
            installation,
            keep,
        } => crate::engine::generation::prune_step(dir, installation, *keep, ctx),
        Action::Sql(a) => match env.and_then(|e| e.sql.as_ref()) {
            Some(conn) => sql::run(a, conn, secrets.as_ref(), ctx).await,
            None => Err(crate::tr_fmt!(
                "the {} environment of the plan has no [sql] section",
                "l'environnement {} du plan n'a pas de section [sql]",
                stage.env
            )
            .into()),
        },
    };
    match r {
        Ok(m) => Ran::Done(m),
        Err(e) => Ran::Failed(ctx.redact(&e.0)),
    }
}

/// Before a step that changes things runs again (a retry, or a resume after
/// it was interrupted), check whether its work is already in place. `Some`
/// with a summary when it is: the step then passes without redoing it.
pub async fn recheck(action: &Action, ctx: &StepCtx) -> Option<String> {
    use crate::engine::files;
    match action {
        Action::FilesArchive { source, archive } => {
            let manifest_path = files::manifest_path_for(archive);
            if !archive.exists() || !manifest_path.exists() {
                return None;
            }
            let (source, mp) = (source.clone(), manifest_path.clone());
            let same_source = tokio::task::spawn_blocking(move || {
                let now = files::build_manifest(&source).ok()?;
                let then = files::Manifest::read(&mp).ok()?;
                // A manifest without its archive's seal (an older dress)
                // cannot be restored from: archive again.
                Some(then.archive.is_some() && files::diff_manifests(&then, &now).is_empty())
            })
            .await
            .ok()
            .flatten()?;
            if !same_source {
                ctx.info(crate::model::lang::tr(
                    "re-check: the source changed since the archive was made; archiving again",
                    "nouvelle vérification : la source a changé depuis l'archive ; nouvel archivage",
                ));
                return None;
            }
            files::verify(archive, &manifest_path, ctx)
                .await
                .ok()
                .map(|m| crate::tr_fmt!("already in place: {m}", "déjà en place : {m}"))
        }
        Action::FilesRestore { archive, target } => {
            let manifest_path = files::manifest_path_for(archive);
            if !target.exists() || !manifest_path.exists() {
                return None;
            }
            files::verify(target, &manifest_path, ctx)
                .await
                .ok()
                .map(|m| crate::tr_fmt!("already in place: {m}", "déjà en place : {m}"))
        }
        _ => None,
    }
}
