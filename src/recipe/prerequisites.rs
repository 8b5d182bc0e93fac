//! Prerequisites (« Prérequis obligatoires » of the guide): the machine, the
//! rights, the ports, the web servers and the SQL Server, checked before
//! anything changes. Nothing here changes the system.

use crate::model::lang::tr;
use crate::model::step::Action;
use crate::model::step::sql::{DbExpect, SqlAction};
use crate::model::{EnvKind, Environment, Plan, Role};

use super::builder::{StageBuilder, StepOptions};

pub(super) fn prerequisites(plan: &Plan, env: &Environment, kind: EnvKind, b: &mut StageBuilder) {
    b.check(
        "os",
        tr("Operating system", "Système d'exploitation"),
        Action::CheckOs,
    )
    .optional();
    b.check(
        "admin",
        tr("Running as administrator", "Lancé en administrateur"),
        Action::CheckAdmin,
    );
    b.check(
        "memory",
        tr("Memory", "Mémoire"),
        Action::CheckMemory {
            min_mib: env.min_memory_mib,
        },
    );
    b.check(
        "disk-backup",
        tr(
            "Free space for backups",
            "Espace libre pour les sauvegardes",
        ),
        Action::CheckDiskFree {
            path: env.backup_dir.clone(),
            min_mib: env.min_free_mib,
        },
    );
    if let Some(port) = env.web_port {
        b.check(
            "port-web",
            crate::tr_fmt!(
                "Port {port} is free for IIS",
                "Le port {port} est libre pour IIS"
            ),
            Action::CheckPortFree { port },
        );
    }
    for s in env
        .servers
        .iter()
        .filter(|s| s.role != Role::Sql && !s.address.is_empty())
    {
        b.check(
            &format!("reach-{}", s.name.to_lowercase()),
            crate::tr_fmt!("{} answers on port 80", "{} répond sur le port 80", s.name),
            Action::CheckTcp {
                host: s.address.clone(),
                port: 80,
                timeout_ms: 3000,
            },
        )
        .optional()
        .server = Some(s.name.clone());
    }
    sql_checks(b, env, DbExpect::for_env(plan, kind));
}

fn sql_checks(b: &mut StageBuilder, env: &Environment, expect: DbExpect) {
    let Some(sql) = &env.sql else { return };
    let web = env
        .servers
        .iter()
        .filter(|s| s.role != Role::Sql)
        .count()
        .max(1) as u32;
    b.check(
        "sql-connect",
        tr(
            "SQL Server answers and the login is accepted",
            "SQL Server répond et la connexion est acceptée",
        ),
        Action::Sql(SqlAction::Connect),
    );
    b.check(
        "sql-version",
        tr("SQL Server version", "Version de SQL Server"),
        Action::Sql(SqlAction::Version),
    );
    b.check(
        "sql-collation",
        tr(
            "Server collation is French_CI_AS",
            "Le classement du serveur est French_CI_AS",
        ),
        Action::Sql(SqlAction::Collation {
            database: Some(sql.database.clone()),
        }),
    );
    b.check(
        "sql-sysadmin",
        tr("The login is sysadmin", "La connexion est sysadmin"),
        Action::Sql(SqlAction::Sysadmin),
    );
    b.check(
        "sql-browser",
        tr(
            "SQL Browser answers on UDP 1434",
            "SQL Browser répond sur UDP 1434",
        ),
        Action::Sql(SqlAction::Browser {
            port: crate::model::step::sql::SSRP_PORT,
        }),
    )
    .optional();
    b.check(
        "sql-database",
        expect.title(),
        Action::Sql(SqlAction::Database {
            database: sql.database.clone(),
            expect,
        }),
    );
    b.check(
        "sql-connections",
        tr(
            "Enough SQL connections for the web servers",
            "Assez de connexions SQL pour les serveurs web",
        ),
        Action::Sql(SqlAction::Connections { web_servers: web }),
    );
}
