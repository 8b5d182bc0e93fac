//! Every statement the SQL steps send, in one place, so that the dry run
//! (`SqlAction::describe`) shows exactly what goes to the server. Pure text:
//! the engine sends it (`engine::sql`), the topology editor exports it.
//!
//! Rules:
//! - Plan values (paths, names, parameter values) travel as parameters
//!   (`@P1`...) through `sp_executesql`; the only plan value ever written
//!   into a statement is a database name, after [`valid_database_name`], as
//!   a quoted identifier ([`quote_ident`]).
//! - Parameterised statements are written in upper case. The product needs a
//!   case-insensitive server collation (French_CI_AS, see `sql.collation`),
//!   and one spelling keeps journals and the dry run comparable.
//! - Statements without parameters are sent as plain batches.

/// One statement and the values of its parameters, `@P1` first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stmt {
    pub sql: String,
    pub params: Vec<String>,
}

impl Stmt {
    pub fn batch(sql: impl Into<String>) -> Self {
        Stmt {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    pub fn with(sql: impl Into<String>, params: Vec<String>) -> Self {
        Stmt {
            sql: sql.into(),
            params,
        }
    }

    /// The statement as a person reads it: the SQL text, then one line per
    /// parameter with its value as a T-SQL literal.
    pub fn describe(&self) -> Vec<String> {
        let mut out = vec![self.sql.clone()];
        for (i, p) in self.params.iter().enumerate() {
            out.push(format!("  @P{} = N'{}'", i + 1, p.replace('\'', "''")));
        }
        out
    }
}

/// The collation the product requires, on the server and on its database.
pub const REQUIRED_COLLATION: &str = "French_CI_AS";

/// Name of the extended property set on a database this tool restored; a
/// database without it is never overwritten unless the plan allows it.
pub const CREATED_BY_PROPERTY: &str = "dress.created_by";

/// The value of the tool's marker ([`CREATED_BY_PROPERTY`]) on a database
/// restored for `installation` in `run`.
pub fn marker_value(installation: &str, run: &str) -> String {
    format!("dress;installation={installation};run={run}")
}

pub const CONNECT: &str = "SELECT @@SERVERNAME AS server_name, SUSER_SNAME() AS login_name";

pub const VERSION: &str = "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, \
CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition";

pub const SERVER_COLLATION: &str =
    "SELECT CAST(SERVERPROPERTY('Collation') AS nvarchar(128)) AS server_collation";

pub const SYSADMIN: &str = "SELECT CAST(IS_SRVROLEMEMBER('sysadmin') AS int) AS is_sysadmin";

pub const USER_CONNECTIONS: &str = "SELECT CAST(value_in_use AS int) AS user_connections \
FROM sys.configurations WHERE name = 'user connections'";

/// Session id of this connection, so a second one can follow its progress.
pub const SPID: &str = "SELECT CAST(@@SPID AS int) AS spid";

/// `@P1` = database name. NULL when the database does not exist.
pub const DATABASE_ID: &str = "SELECT CAST(DB_ID(@P1) AS INT) AS DATABASE_ID";

/// `@P1` = database name. Its state (`ONLINE`, `RESTORING`,
/// `RECOVERY_PENDING`, `SUSPECT`, `OFFLINE`, ...) and its collation (NULL
/// while it is not online).
pub const DATABASE_STATE: &str = "SELECT CAST(STATE_DESC AS NVARCHAR(60)) AS STATE_DESC, \
CAST(COLLATION_NAME AS NVARCHAR(128)) AS COLLATION_NAME FROM SYS.DATABASES WHERE NAME = @P1";

/// `@P1` = session id of the connection running a backup or restore.
pub const PERCENT_COMPLETE: &str = "SELECT CAST(PERCENT_COMPLETE AS INT) AS PERCENT_COMPLETE \
FROM SYS.DM_EXEC_REQUESTS WHERE SESSION_ID = @P1";

/// `@P1` = the backup's name (set by [`backup`]), `@P2` = database name,
/// `@P3` = backup file. The row `BACKUP` wrote into msdb's history.
pub const BACKUP_HISTORY: &str = "SELECT TOP (1) CAST(BS.NAME AS NVARCHAR(128)) AS BACKUP_NAME, \
CAST(BS.DATABASE_NAME AS NVARCHAR(128)) AS DATABASE_NAME, CAST(BS.BACKUP_SIZE AS BIGINT) AS BACKUP_SIZE, \
CAST(BS.HAS_BACKUP_CHECKSUMS AS INT) AS HAS_BACKUP_CHECKSUMS, CAST(BS.IS_COPY_ONLY AS INT) AS IS_COPY_ONLY, \
CONVERT(NVARCHAR(33), BS.BACKUP_FINISH_DATE, 126) AS BACKUP_FINISH_DATE \
FROM MSDB.DBO.BACKUPSET AS BS JOIN MSDB.DBO.BACKUPMEDIAFAMILY AS MF ON MF.MEDIA_SET_ID = BS.MEDIA_SET_ID \
WHERE BS.NAME = @P1 AND BS.DATABASE_NAME = @P2 AND MF.PHYSICAL_DEVICE_NAME = @P3 AND BS.TYPE = 'D' \
ORDER BY BS.BACKUP_SET_ID DESC";

/// `@P1` = backup file. One row per backup set: DatabaseName,
/// BackupFinishDate, ... (read by column name).
pub const BACKUP_HEADER: &str = "RESTORE HEADERONLY FROM DISK = @P1";

/// `@P1` = backup file (as seen by the SQL server).
pub const VERIFY_BACKUP: &str = "RESTORE VERIFYONLY FROM DISK = @P1 WITH CHECKSUM";

/// `@P1` = backup file. Returns LogicalName, PhysicalName, Type (D, L, F, S).
pub const FILE_LIST: &str = "RESTORE FILELISTONLY FROM DISK = @P1";

/// `@P1` = parameter name, `@P2` = value. Rows affected tell whether it exists.
pub const SYSPARAM_UPDATE: &str =
    "UPDATE CUSTOM_SYSPARAMS SET PARM_VALUE = @P2 WHERE PARM_NAME = @P1";
/// `@P1` = parameter name, `@P2` = value.
pub const SYSPARAM_INSERT: &str =
    "INSERT INTO CUSTOM_SYSPARAMS (PARM_NAME, PARM_VALUE) VALUES (@P1, @P2)";
/// `@P1` = parameter name.
pub const SYSPARAM_READ: &str = "SELECT CAST(PARM_VALUE AS NVARCHAR(4000)) AS PARM_VALUE FROM CUSTOM_SYSPARAMS WHERE PARM_NAME = @P1";

/// `@P1` = the logon (`Admin`). Counts the product's users with that logon
/// and an empty password (the state right after an install).
pub const ADMIN_EMPTY_PASSWORD: &str = "SELECT COUNT(*) AS EMPTY_PASSWORDS FROM USERS \
WHERE USER_LOGON = @P1 AND (USER_PASSWORD IS NULL OR USER_PASSWORD = N'')";
/// The product's administrator logon.
pub const ADMIN_LOGON: &str = "Admin";

/// A database name the tool accepts: letters, digits and `_`, 1 to 128
/// characters. The error says what is wrong and how to fix it.
pub fn valid_database_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(crate::model::lang::tr(
            "the database name is empty: give one in the plan",
            "le nom de la base de données est vide : indiquez-en un dans le plan",
        )
        .into());
    }
    if name.chars().count() > 128 {
        return Err(crate::tr_fmt!(
            "the database name '{}...' is longer than 128 characters, the SQL Server limit",
            "le nom de base de données « {}... » dépasse 128 caractères, la limite de SQL Server",
            name.chars().take(20).collect::<String>()
        ));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || *c == '_')) {
        return Err(crate::tr_fmt!(
            "the database name '{name}' holds '{c}': use only letters, digits and _",
            "le nom de base de données « {name} » contient « {c} » : utilisez seulement des lettres, des chiffres et _"
        ));
    }
    Ok(())
}

/// A database name as a T-SQL identifier: `[name]`, any `]` doubled.
pub fn quote_ident(name: &str) -> String {
    format!("[{}]", name.replace(']', "]]"))
}

/// `@P1` = backup file, `@P2` = the backup's name (found again in msdb's
/// history, see [`BACKUP_HISTORY`]).
pub fn backup(database: &str) -> String {
    format!(
        "BACKUP DATABASE {} TO DISK = @P1 WITH COPY_ONLY, CHECKSUM, INIT, NAME = @P2, STATS = 10",
        quote_ident(database)
    )
}

/// `@P1` = backup file; then `@P2k`/`@P2k+1` = logical name / new physical
/// file of each of the `files` files. `replace` overwrites an existing database.
pub fn restore(database: &str, files: usize, replace: bool) -> String {
    let mut s = format!(
        "RESTORE DATABASE {} FROM DISK = @P1 WITH ",
        quote_ident(database)
    );
    for i in 0..files {
        s.push_str(&format!("MOVE @P{} TO @P{}, ", 2 + 2 * i, 3 + 2 * i));
    }
    if replace {
        s.push_str("REPLACE, ");
    }
    s.push_str("CHECKSUM, RECOVERY, STATS = 10");
    s
}

/// `@P1` = property name. The tool's marker of the database: always one
/// row, NULL when the database carries no marker.
pub fn created_by(database: &str) -> String {
    format!(
        "SELECT CAST((SELECT VALUE FROM {}.SYS.EXTENDED_PROPERTIES WHERE CLASS = 0 AND NAME = @P1) AS NVARCHAR(256)) AS CREATED_BY",
        quote_ident(database)
    )
}

/// `@P1` = property name, `@P2` = value.
pub fn mark_created(database: &str) -> String {
    format!(
        "EXEC {}.SYS.SP_ADDEXTENDEDPROPERTY @P1, @P2",
        quote_ident(database)
    )
}

/// The product's own table, read to recognise a Sage CRM database: a
/// database of another application has no `custom_sysparams` (error 208).
pub fn product_table(database: &str) -> String {
    format!(
        "SELECT CAST(COUNT(*) AS INT) AS SYSPARAMS FROM {}.DBO.CUSTOM_SYSPARAMS",
        quote_ident(database)
    )
}

pub fn checkdb(database: &str) -> String {
    format!("DBCC CHECKDB ({}) WITH NO_INFOMSGS", quote_ident(database))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_quoted() {
        assert!(valid_database_name("CRMSAGE_test1").is_ok());
        assert!(valid_database_name("").is_err());
        let e = valid_database_name("CRM]; DROP").unwrap_err();
        assert!(e.contains("']'"), "{e}");
        assert!(valid_database_name(&"a".repeat(129)).is_err());
        assert!(valid_database_name(&"a".repeat(128)).is_ok());
        assert_eq!(quote_ident("a]b"), "[a]]b]");
    }

    #[test]
    fn parameterised_statements_are_upper_case() {
        for s in [
            DATABASE_ID,
            DATABASE_STATE,
            BACKUP_HISTORY,
            PERCENT_COMPLETE,
            VERIFY_BACKUP,
            BACKUP_HEADER,
            FILE_LIST,
            SYSPARAM_UPDATE,
            SYSPARAM_INSERT,
            SYSPARAM_READ,
            ADMIN_EMPTY_PASSWORD,
            &backup("CRM"),
            &restore("CRM", 2, true),
            &created_by("CRM"),
            &mark_created("CRM"),
            &product_table("CRM"),
        ] {
            assert_eq!(s, s.to_uppercase());
        }
    }

    #[test]
    fn restore_moves_every_file() {
        assert_eq!(
            restore("T", 2, false),
            "RESTORE DATABASE [T] FROM DISK = @P1 WITH MOVE @P2 TO @P3, MOVE @P4 TO @P5, CHECKSUM, RECOVERY, STATS = 10"
        );
        assert!(restore("T", 1, true).contains("REPLACE, "));
    }

    #[test]
    fn describe_lists_parameters() {
        let s = Stmt::with(VERIFY_BACKUP, vec!["D:\\b\\it's.bak".into()]);
        assert_eq!(
            s.describe(),
            vec![
                VERIFY_BACKUP.to_string(),
                "  @P1 = N'D:\\b\\it''s.bak'".to_string()
            ]
        );
    }
}
