//! Starting an engine apart from the terminal, and the bundled example.
//!
//! An engine started from the TUI or with `dress run --detach` must survive
//! the end of the SSH session or console it was started from. On Unix it
//! runs in a session of its own (`setsid`): no controlling terminal, so no
//! SIGHUP when the terminal goes. On Windows it is created detached, in a
//! new process group and out of the session's job object
//! (CREATE_BREAKAWAY_FROM_JOB), which is what Windows' OpenSSH server closes
//! when a connection drops; where the job forbids breaking away, it starts
//! without that flag and says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Start `dress ARGS` in the background, its output into `out`.
pub fn spawn_detached(args: &[String], out: &Path) -> std::io::Result<u32> {
    spawn_detached_with(args, out, None)
}

/// The same, with `stdin` written to the process's standard input (then
/// closed): how the prompted secrets reach a background engine.
pub fn spawn_detached_with(
    args: &[String],
    out: &Path,
    stdin: Option<&[u8]>,
) -> std::io::Result<u32> {
    let exe = std::env::current_exe()?;
    if let Some(d) = out.parent() {
        crate::engine::private_fs::create_dir_private(d)?;
    }
    let file = crate::engine::private_fs::private(
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true),
    )
    .open(out)?;
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(file.try_clone()?)
        .stderr(file);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe and touches no memory of the
        // parent; it only makes the child the leader of a new session.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        feed(&mut child, stdin)?;
        Ok(child.id())
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const DETACHED_PROCESS: u32 = 0x0000_0008;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        const CREATE_BREAKAWAY_FROM_JOB: u32 = 0x0100_0000;
        cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP | CREATE_BREAKAWAY_FROM_JOB);
        match cmd.spawn() {
            Ok(mut c) => {
                feed(&mut c, stdin)?;
                Ok(c.id())
            }
            Err(e) if e.raw_os_error() == Some(5) => {
                tracing::warn!("the session's job forbids breaking away; the engine stays in it");
                cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
                let mut c = cmd.spawn()?;
                feed(&mut c, stdin)?;
                Ok(c.id())
            }
            Err(e) => Err(e),
        }
    }
}

/// The sandbox example, built into the binary so that `dress` alone opens on
/// something that runs: the shell-script flavour on Unix, the `.cmd` one
/// (paths with spaces and `(x86)`) on Windows.
/// Write `data` to the child's standard input and close it.
fn feed(child: &mut std::process::Child, data: Option<&[u8]>) -> std::io::Result<()> {
    if let (Some(data), Some(mut pipe)) = (data, child.stdin.take()) {
        std::io::Write::write_all(&mut pipe, data)?;
    }
    Ok(())
}

#[cfg(not(windows))]
const EXAMPLE_PLAN: &str = "sandbox.toml";
#[cfg(not(windows))]
const EXAMPLE: &[(&str, &[u8])] = &[
    (
        "sandbox.toml",
        include_bytes!("../../examples/sandbox.toml"),
    ),
    (
        "sandbox/setup/crm-setup.sh",
        include_bytes!("../../examples/sandbox/setup/crm-setup.sh"),
    ),
    (
        "sandbox/checks/check-version.sh",
        include_bytes!("../../examples/sandbox/checks/check-version.sh"),
    ),
    (
        "sandbox/production/CRM/version.txt",
        include_bytes!("../../examples/sandbox/production/CRM/version.txt"),
    ),
    (
        "sandbox/production/CRM/WWWRoot/eware.ini",
        include_bytes!("../../examples/sandbox/production/CRM/WWWRoot/eware.ini"),
    ),
    (
        "sandbox/production/CRM/WWWRoot/js/crm.js",
        include_bytes!("../../examples/sandbox/production/CRM/WWWRoot/js/crm.js"),
    ),
    (
        "sandbox/production/CRM/WWWRoot/CustomPages/CompanySummary.asp",
        include_bytes!(
            "../../examples/sandbox/production/CRM/WWWRoot/CustomPages/CompanySummary.asp"
        ),
    ),
    (
        "sandbox/production/CRM/WWWRoot/CustomPages/Reports/Pipeline.asp",
        include_bytes!(
            "../../examples/sandbox/production/CRM/WWWRoot/CustomPages/Reports/Pipeline.asp"
        ),
    ),
    (
        "sandbox/production/CRM/Services/tomcat/conf/server.xml",
        include_bytes!("../../examples/sandbox/production/CRM/Services/tomcat/conf/server.xml"),
    ),
];

#[cfg(windows)]
const EXAMPLE_PLAN: &str = "windows.toml";
#[cfg(windows)]
const EXAMPLE: &[(&str, &[u8])] = &[
    (
        "windows.toml",
        include_bytes!("../../examples/windows.toml"),
    ),
    (
        "windows/setup/crm-setup.cmd",
        include_bytes!("../../examples/windows/setup/crm-setup.cmd"),
    ),
    (
        "windows/checks/check-version.cmd",
        include_bytes!("../../examples/windows/checks/check-version.cmd"),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/version.txt",
        include_bytes!("../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/version.txt"),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/Services/tomcat/conf/server.xml",
        include_bytes!(
            "../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/Services/tomcat/conf/server.xml"
        ),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/eware.ini",
        include_bytes!(
            "../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/eware.ini"
        ),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/CustomPages/Company Summary.asp",
        include_bytes!(
            "../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/CustomPages/Company Summary.asp"
        ),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/CustomPages/Reports/Pipeline (x86).asp",
        include_bytes!(
            "../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/CustomPages/Reports/Pipeline (x86).asp"
        ),
    ),
    (
        "windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/js/crm.js",
        include_bytes!(
            "../../examples/windows/Program Files (x86)/Sage/CRM/CRMWIN/WWWRoot/js/crm.js"
        ),
    ),
];

/// Write the bundled example into `STATE/example/` (once) and return its plan.
pub fn bundled_example(state_dir: &Path) -> std::io::Result<PathBuf> {
    let root = state_dir.join("example");
    for (rel, text) in EXAMPLE {
        let p = root.join(rel);
        if p.exists() {
            continue;
        }
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, text)?;
        #[cfg(unix)]
        if rel.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(root.join(EXAMPLE_PLAN))
}
