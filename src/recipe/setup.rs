//! The install and licence stages, generated from a plan (the multiserver
//! stage is in `multiserver`).
//!
//! Secrets (SQL password, licence key) reach the vendor programs through a
//! response file only (`exec.response`, see `engine::response`). Whether a
//! setup creates the database is decided here, from the server's role, and
//! never from the plan: the master creates it, a secondary joins it.

use crate::model::lang::tr;
use crate::model::step::response::{Answer, DatabaseMode, ResponseExec};
use crate::model::step::sql::SqlAction;
use crate::model::step::{Action, ExecSpec};

use super::builder::{StageBuilder, StepOptions, wait_site};
use super::upgrade::setup_exec;
use crate::model::{Environment, Plan, Server, SqlAuth};

/// Refuse a plan whose company differs from the one the installation was
/// registered with: the licence update tool would refuse it, and the name
/// must never change.
pub fn check_installed_company(plan: &Plan) -> Result<(), String> {
    let d = &plan.deployment;
    match &d.installed_company {
        Some(installed) if installed.trim() != d.company.trim() => Err(crate::tr_fmt!(
            "deployment.company is \"{}\" but the installation was registered as \"{}\" \
             (deployment.installed_company): the company name can never change and the licence \
             update tool refuses a different one — write the registered name in company",
            "deployment.company est « {} » mais l'installation a été enregistrée sous « {} » \
             (deployment.installed_company) : la société ne peut jamais changer et l'outil de mise \
             à jour de licence en refuse une autre — écrivez le nom enregistré dans company",
            d.company,
            installed
        )),
        _ => Ok(()),
    }
}

/// The answers shared by the CRM setup and the licence tool.
fn base_answers(plan: &Plan, env: &Environment) -> Vec<Answer> {
    let d = &plan.deployment;
    let mut a = vec![
        Answer::text("company", &d.company),
        Answer::text("installation", &d.installation),
    ];
    if let Some(sql) = &env.sql {
        a.push(Answer::text("sql_server", &sql.server));
        a.push(Answer::text("database", &sql.database));
        match sql.auth {
            SqlAuth::Windows => a.push(Answer::text("sql_auth", "windows")),
            SqlAuth::Sql => {
                a.push(Answer::text("sql_auth", "sql"));
                a.push(Answer::text(
                    "sql_login",
                    sql.login.clone().unwrap_or_default(),
                ));
                a.push(Answer::secret(
                    "sql_password",
                    crate::model::lang::tr("SQL password", "mot de passe SQL"),
                    crate::model::lang::tr(
                        "the sql.password of the environment",
                        "le sql.password de l'environnement",
                    ),
                    sql.password.as_ref(),
                ));
            }
        }
    }
    a.push(Answer::secret(
        "licence_key",
        crate::model::lang::tr("licence key", "clé de licence"),
        "deployment.licence_key",
        d.licence_key.as_ref(),
    ));
    a
}

/// The CRM setup for an upgrade: the same answers as an install but the
/// licence key, which an upgrade keeps (a new key goes through the licence
/// stage and its tool). The database exists and is upgraded, never created.
pub(crate) fn crm_upgrade(plan: &Plan, env: &Environment) -> Option<ResponseExec> {
    let mut r = crm_setup(plan, env, None, DatabaseMode::Upgrade)?;
    r.answers.retain(|a| a.key != "licence_key");
    Some(r)
}

/// The CRM setup with its response file, for this machine or `server`.
pub(crate) fn crm_setup(
    plan: &Plan,
    env: &Environment,
    server: Option<&Server>,
    db: DatabaseMode,
) -> Option<ResponseExec> {
    let mut exec = setup_exec(plan, &env.install_dir)?;
    let mut answers = base_answers(plan, env);
    answers.push(Answer::text(
        "install_dir",
        env.install_dir.to_string_lossy(),
    ));
    if let Some(s) = server {
        answers.push(Answer::text("server", &s.name));
        exec.env.insert("DRESS_SERVER".into(), s.name.clone());
    }
    Some(ResponseExec {
        exec,
        answers,
        database: db,
    })
}

fn summary(plan: &Plan, env: &Environment) -> String {
    let d = &plan.deployment;
    let sql = env.sql.as_ref().map_or(
        tr("no SQL section", "pas de section SQL").to_string(),
        |s| {
            format!(
                "{} / {} ({})",
                s.server,
                s.database,
                s.login
                    .as_deref()
                    .unwrap_or(tr("Windows authentication", "authentification Windows"))
            )
        },
    );
    crate::tr_fmt!(
        "The prerequisites stage passed and this summary is right — company: {}; installation: {}; \
         folder: {}; SQL: {sql}; integration service: {}",
        "La phase des prérequis a réussi et ce résumé est juste — société : {} ; installation : {} ; \
         dossier : {} ; SQL : {sql} ; service d'intégration : {}",
        d.company,
        d.installation,
        env.install_dir.display(),
        if d.integration_service {
            tr("yes", "oui")
        } else {
            tr("no", "non")
        }
    )
}

pub(crate) fn install(plan: &Plan, env: &Environment, b: &mut StageBuilder) {
    let prompt = summary(plan, env);
    b.check(
        "review",
        tr(
            "Prerequisites reviewed, setup summary checked",
            "Prérequis revus, résumé de l'installation vérifié",
        ),
        Action::Manual { prompt },
    );
    if plan.deployment.integration_service {
        match &plan.recipe.integration_setup {
            Some(s) => {
                b.check(
                    "integration-version",
                    crate::tr_fmt!(
                        "The integration service package is version {}",
                        "Le paquet du service d'intégration est en version {}",
                        s.version
                    ),
                    Action::CheckPackageVersion {
                        package: s.package.clone(),
                        version_file: s.version_file.clone(),
                        expected: s.version.clone(),
                    },
                );
                b.change(
                    "integration-setup",
                    tr(
                        "Install the integration web service (before the CRM)",
                        "Installer le service web d'intégration (avant le CRM)",
                    ),
                    Action::Exec(ExecSpec {
                        program: s.program.clone().unwrap_or_else(|| s.package.clone()),
                        args: s.args.clone(),
                        cwd: None,
                        env: Default::default(),
                        timeout_s: Some(s.timeout_s),
                        ok_exit_codes: s.ok_exit_codes.clone(),
                        pass_secrets: Vec::new(),
                        collect_logs: s.logs.clone(),
                    }),
                );
            }
            None => {
                b.check("integration-setup", tr("Install the integration web service by hand (before the CRM)", "Installer à la main le service web d'intégration (avant le CRM)"), Action::Manual {
                        prompt: tr("The integration web service is installed, as administrator, in the version of the CRM and the back office (the plan has no [recipe.integration_setup])", "Le service web d'intégration est installé, en administrateur, dans la version du CRM et de la gestion commerciale (le plan n'a pas de [recipe.integration_setup])").into(),
                    });
            }
        }
    }
    if let Some(r) = crm_setup(plan, env, None, DatabaseMode::Create) {
        b.change(
            "setup",
            tr("Run the CRM setup", "Lancer l'installation du CRM"),
            Action::ExecWithResponse(r),
        );
    }
    wait_site(
        b,
        env,
        "wait-site",
        tr(
            "Wait for IIS and Tomcat to answer",
            "Attendre que IIS et Tomcat répondent",
        ),
    );
    if let Some(sql) = &env.sql {
        b.check(
            "admin-password",
            tr(
                "Security: the Admin account has a password",
                "Sécurité : le compte Admin a un mot de passe",
            ),
            Action::Sql(SqlAction::AdminPassword {
                database: sql.database.clone(),
            }),
        )
        .optional();
        b.check(
            "sql-express-sa",
            tr(
                "Security: not the setup's SQL Express with its default sa",
                "Sécurité : pas le SQL Express de l'installation avec son sa par défaut",
            ),
            Action::CheckSqlExpressSa {
                server: sql.server.clone(),
                login: match sql.auth {
                    SqlAuth::Sql => sql.login.clone(),
                    SqlAuth::Windows => None,
                },
            },
        )
        .optional();
    }
}

pub(crate) fn licence(plan: &Plan, env: &Environment, b: &mut StageBuilder) {
    b.check(
        "users-off",
        tr(
            "All users are logged off",
            "Tous les utilisateurs sont déconnectés",
        ),
        Action::Manual {
            prompt: tr(
                "Every user is logged off the CRM",
                "Chaque utilisateur est déconnecté du CRM",
            )
            .into(),
        },
    );
    if plan.deployment.installed_company.is_none() {
        b.check("company", tr("The company name is the registered one", "La société est celle enregistrée"), Action::Manual {
                prompt: crate::tr_fmt!(
                    "Administration > System > Licence key details shows the company \"{}\" exactly (add deployment.installed_company to have it checked)",
                    "Administration > Système > Détails de la clé de licence montre exactement la société « {} » (ajoutez deployment.installed_company pour qu'elle soit vérifiée)",
                    plan.deployment.company
                ),
            });
    }
    match &plan.recipe.licence_tool {
        Some(t) => {
            let exec = ExecSpec {
                program: t.program.clone(),
                args: t.args.clone(),
                cwd: None,
                env: Default::default(),
                timeout_s: Some(t.timeout_s),
                ok_exit_codes: t.ok_exit_codes.clone(),
                pass_secrets: Vec::new(),
                collect_logs: Vec::new(),
            };
            b.change(
                "licence-tool",
                tr(
                    "Run the licence update tool with the new key",
                    "Lancer l'outil de mise à jour de licence avec la nouvelle clé",
                ),
                Action::ExecWithResponse(ResponseExec {
                    exec,
                    answers: base_answers(plan, env),
                    database: DatabaseMode::Untouched,
                }),
            );
        }
        None => {
            b.check("licence-tool", tr("Run the licence update tool by hand", "Lancer à la main l'outil de mise à jour de licence"), Action::Manual {
                    prompt: tr("The licence update tool ran with the new key and the same company name (the plan has no [recipe.licence_tool])", "L'outil de mise à jour de licence a tourné avec la nouvelle clé et la même société (le plan n'a pas de [recipe.licence_tool])").into(),
                });
        }
    }
    b.change(
        "iis-reset",
        tr("Restart IIS", "Redémarrer IIS"),
        Action::IisReset { server: None },
    );
    wait_site(
        b,
        env,
        "wait-site",
        tr(
            "Wait for the site after the IIS reset",
            "Attendre le site après le redémarrage d'IIS",
        ),
    );
    b.check("licence-details", tr("Record the licence details", "Noter les détails de la licence"), Action::Manual {
            prompt: tr("Administration > System > Licence key details shows the new number of users and edition: write them in the note", "Administration > Système > Détails de la clé de licence montre le nouveau nombre d'utilisateurs et l'édition : notez-les dans la note").into(),
        });
}
