//! Preflight checks. Each one records what it measured against what
//! threshold (`ctx.measured`) and returns a one-line result.

use std::path::{Path, PathBuf};
use std::time::Duration;

#[cfg(not(windows))]
use sysinfo::Disks;
use sysinfo::System;

use super::ctx::{StepCtx, StepError, StepResult};

const MIB: u64 = 1024 * 1024;

/// `check.port_free`: nothing listens on `port` (a bind on 0.0.0.0 works).
pub async fn port_free(port: u16, ctx: &StepCtx) -> StepResult {
    match std::net::TcpListener::bind(("0.0.0.0", port)) {
        Ok(l) => {
            drop(l);
            ctx.measured(crate::tr_fmt!(
                "TCP port {port}: free (bind on 0.0.0.0 works)",
                "port TCP {port} : libre (l'écoute sur 0.0.0.0 fonctionne)"
            ));
            Ok(crate::tr_fmt!(
                "port {port} is free",
                "le port {port} est libre"
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let who = port_holder(port)
                .map(|h| crate::tr_fmt!(" by {h}", " par {h}"))
                .unwrap_or_default();
            ctx.measured(crate::tr_fmt!(
                "TCP port {port}: in use{who}",
                "port TCP {port} : utilisé{who}"
            ));
            Err(StepError(crate::tr_fmt!(
                "port {port} is in use{who}; stop that program or choose another port{}",
                "le port {port} est utilisé{who} ; arrêtez ce programme ou choisissez un autre port{}",
                if cfg!(windows) {
                    crate::tr_fmt!(
                        " (see `netstat -ano | findstr :{port}`)",
                        " (voir `netstat -ano | findstr :{port}`)"
                    )
                } else {
                    String::new()
                }
            )))
        }
        Err(e) => {
            ctx.measured(crate::tr_fmt!(
                "TCP port {port}: cannot bind: {e}",
                "port TCP {port} : écoute impossible : {e}"
            ));
            Err(StepError(crate::tr_fmt!(
                "cannot test port {port}: {e}",
                "impossible de tester le port {port} : {e}"
            )))
        }
    }
}

/// The program listening on `port`, when /proc tells it (Linux); the
/// lookup is best effort and never fails the check by itself.
#[cfg(target_os = "linux")]
fn port_holder(port: u16) -> Option<String> {
    let mut inodes = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            // local_address is "ADDR:PORT" in hex, st 0A is LISTEN, inode is field 9.
            let (Some(local), Some(st), Some(inode)) = (f.get(1), f.get(3), f.get(9)) else {
                continue;
            };
            let p = local
                .rsplit(':')
                .next()
                .and_then(|h| u16::from_str_radix(h, 16).ok());
            if p == Some(port) && *st == "0A" {
                inodes.push(format!("socket:[{inode}]"));
            }
        }
    }
    if inodes.is_empty() {
        return None;
    }
    for proc in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = proc.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(proc.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            let Ok(target) = std::fs::read_link(fd.path()) else {
                continue;
            };
            if inodes.iter().any(|i| target.as_os_str() == i.as_str()) {
                let comm = std::fs::read_to_string(proc.path().join("comm")).unwrap_or_default();
                return Some(format!("{} (pid {pid})", comm.trim()));
            }
        }
    }
    None
}

#[cfg(not(target_os = "linux"))]
fn port_holder(_port: u16) -> Option<String> {
    None
}

/// `check.tcp`: a TCP connection to `host:port` opens within `timeout`.
pub async fn tcp(host: &str, port: u16, timeout: Duration, ctx: &StepCtx) -> StepResult {
    let started = std::time::Instant::now();
    let attempt = tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host, port)));
    let res = tokio::select! {
        r = attempt => r,
        _ = ctx.cancel.cancelled() => return Err(StepError(crate::tr_fmt!("cancelled", "annulé"))),
    };
    let ms = started.elapsed().as_millis();
    let limit = timeout.as_millis();
    match res {
        Ok(Ok(_stream)) => {
            ctx.measured(crate::tr_fmt!(
                "{host}:{port}: connected in {ms} ms (limit {limit} ms)",
                "{host}:{port} : connecté en {ms} ms (limite {limit} ms)"
            ));
            Ok(crate::tr_fmt!(
                "{host}:{port} reachable in {ms} ms",
                "{host}:{port} joignable en {ms} ms"
            ))
        }
        Ok(Err(e)) => {
            ctx.measured(crate::tr_fmt!(
                "{host}:{port}: {e} after {ms} ms (limit {limit} ms)",
                "{host}:{port} : {e} après {ms} ms (limite {limit} ms)"
            ));
            Err(StepError(crate::tr_fmt!(
                "cannot connect to {host}:{port}: {e}; check the host name, the port, that the service runs and that no firewall blocks it",
                "impossible de se connecter à {host}:{port} : {e} ; vérifiez le nom d'hôte, le port, que le service tourne et qu'aucun pare-feu ne le bloque"
            )))
        }
        Err(_) => {
            ctx.measured(crate::tr_fmt!(
                "{host}:{port}: no answer within {limit} ms",
                "{host}:{port} : pas de réponse en {limit} ms"
            ));
            Err(StepError(crate::tr_fmt!(
                "no answer from {host}:{port} within {limit} ms; check the host name, the port and the firewall",
                "pas de réponse de {host}:{port} en {limit} ms ; vérifiez le nom d'hôte, le port et le pare-feu"
            )))
        }
    }
}

/// `check.disk_free`: the disk holding `path` has at least `min_mib` MiB free.
pub async fn disk_free(path: &Path, min_mib: u64, ctx: &StepCtx) -> StepResult {
    let target = nearest_existing(path);
    let found = blocking(move || free_space(&target)).await?;
    let Some((mount, free)) = found else {
        ctx.measured(crate::tr_fmt!(
            "{}: no disk found",
            "{} : aucun disque trouvé",
            path.display()
        ));
        return Err(StepError(crate::tr_fmt!(
            "no disk found for {}; check the path",
            "aucun disque trouvé pour {} ; vérifiez le chemin",
            path.display()
        )));
    };
    let free_mib = free / MIB;
    ctx.measured(crate::tr_fmt!(
        "free on {} (for {}): {free_mib} MiB vs at least {min_mib} MiB",
        "libre sur {} (pour {}) : {free_mib} Mio pour au moins {min_mib} Mio",
        mount.display(),
        path.display()
    ));
    if free_mib >= min_mib {
        Ok(crate::tr_fmt!(
            "{free_mib} MiB free on {} (at least {min_mib} MiB needed)",
            "{free_mib} Mio libres sur {} (au moins {min_mib} Mio nécessaires)",
            mount.display()
        ))
    } else {
        Err(StepError(crate::tr_fmt!(
            "only {free_mib} MiB free on {}, at least {min_mib} MiB needed; free some space or choose another disk",
            "seulement {free_mib} Mio libres sur {}, au moins {min_mib} Mio nécessaires ; libérez de la place ou choisissez un autre disque",
            mount.display()
        )))
    }
}

/// The mount point holding `target` and the space free on it.
#[cfg(not(windows))]
fn free_space(target: &Path) -> Result<Option<(PathBuf, u64)>, String> {
    let disks = Disks::new_with_refreshed_list().map_err(|e| format!("cannot list disks: {e}"))?;
    Ok(disks
        .iter()
        .filter(|d| target.starts_with(d.mount_point()))
        .max_by_key(|d| d.mount_point().as_os_str().len())
        .map(|d| (d.mount_point().to_path_buf(), d.available_space())))
}

/// The volume holding `target` (`C:\`, a mounted folder, or a share such as
/// `\\nas\backups\`, which a list of local disks would not hold) and the
/// space free on it for this user (quotas included).
#[cfg(windows)]
fn free_space(target: &Path) -> Result<Option<(PathBuf, u64)>, String> {
    use std::os::windows::ffi::{OsStrExt, OsStringExt};
    use windows_sys::Win32::Storage::FileSystem::{GetDiskFreeSpaceExW, GetVolumePathNameW};
    let wide: Vec<u16> = target
        .as_os_str()
        .encode_wide()
        .chain(std::iter::once(0))
        .collect();
    let mut free = 0u64;
    let mut volume = [0u16; 1024];
    // SAFETY: `wide` is NUL-terminated; the output buffers are locals of
    // the sizes passed.
    unsafe {
        if GetDiskFreeSpaceExW(
            wide.as_ptr(),
            &mut free,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        ) == 0
        {
            return Err(format!(
                "cannot read the free space for {}: {}",
                target.display(),
                std::io::Error::last_os_error()
            ));
        }
        if GetVolumePathNameW(wide.as_ptr(), volume.as_mut_ptr(), volume.len() as u32) == 0 {
            return Ok(Some((target.to_path_buf(), free)));
        }
    }
    let n = volume.iter().position(|&c| c == 0).unwrap_or(volume.len());
    let mount = PathBuf::from(std::ffi::OsString::from_wide(&volume[..n]));
    Ok(Some((without_verbatim_prefix(mount), free)))
}

/// The path itself when it exists, else its nearest existing ancestor, made
/// absolute so that it can be matched against mount points.
fn nearest_existing(path: &Path) -> PathBuf {
    let mut p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    loop {
        if let Ok(c) = p.canonicalize() {
            return without_verbatim_prefix(c);
        }
        if !p.pop() {
            return path.to_path_buf();
        }
    }
}

/// Windows canonical paths are verbatim (`\\?\C:\x`, `\\?\UNC\srv\share`)
/// and would never start with a mount point (`C:\`): back to the usual form.
fn without_verbatim_prefix(p: PathBuf) -> PathBuf {
    match p.to_str().and_then(plain_windows_path) {
        Some(s) if cfg!(windows) => PathBuf::from(s),
        _ => p,
    }
}

fn plain_windows_path(s: &str) -> Option<String> {
    if let Some(rest) = s.strip_prefix(r"\\?\UNC\") {
        return Some(format!(r"\\{rest}"));
    }
    let rest = s.strip_prefix(r"\\?\")?;
    let b = rest.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':').then(|| rest.to_string())
}

/// `check.memory`: the machine has at least `min_mib` MiB of memory.
pub async fn memory(min_mib: u64, ctx: &StepCtx) -> StepResult {
    let (total, avail) = blocking(|| {
        let mut sys = System::new().map_err(|e| format!("cannot read the memory size: {e}"))?;
        sys.refresh_memory();
        Ok::<_, String>((sys.total_memory() / MIB, sys.available_memory() / MIB))
    })
    .await?;
    ctx.measured(crate::tr_fmt!(
        "total memory: {total} MiB ({avail} MiB available) vs at least {min_mib} MiB",
        "mémoire totale : {total} Mio ({avail} Mio disponibles) pour au moins {min_mib} Mio"
    ));
    if total >= min_mib {
        Ok(crate::tr_fmt!(
            "{total} MiB of memory (at least {min_mib} MiB needed)",
            "{total} Mio de mémoire (au moins {min_mib} Mio nécessaires)"
        ))
    } else {
        Err(StepError(crate::tr_fmt!(
            "only {total} MiB of memory, at least {min_mib} MiB needed",
            "seulement {total} Mio de mémoire, au moins {min_mib} Mio nécessaires"
        )))
    }
}

/// `check.path_exists`.
pub async fn path_exists(path: &Path, ctx: &StepCtx) -> StepResult {
    match tokio::fs::metadata(path).await {
        Ok(m) => {
            let kind = if m.is_dir() {
                crate::model::lang::tr("folder", "dossier")
            } else {
                crate::model::lang::tr("file", "fichier")
            };
            ctx.measured(crate::tr_fmt!(
                "{}: exists ({kind})",
                "{} : existe ({kind})",
                path.display()
            ));
            Ok(crate::tr_fmt!(
                "{} exists ({kind})",
                "{} existe ({kind})",
                path.display()
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            ctx.measured(crate::tr_fmt!("{}: missing", "{} : absent", path.display()));
            Err(StepError(crate::tr_fmt!(
                "{} does not exist; check the path in the plan",
                "{} n'existe pas ; vérifiez le chemin dans le plan",
                path.display()
            )))
        }
        Err(e) => {
            ctx.measured(crate::tr_fmt!(
                "{}: cannot be read: {e}",
                "{} : illisible : {e}",
                path.display()
            ));
            Err(StepError(crate::tr_fmt!(
                "cannot check {}: {e}",
                "impossible de vérifier {} : {e}",
                path.display()
            )))
        }
    }
}

/// `check.admin`: the process runs elevated (root / Administrator).
pub async fn admin(ctx: &StepCtx) -> StepResult {
    let elevated = is_elevated().map_err(StepError)?;
    ctx.measured(format!("elevated: {}", if elevated { "yes" } else { "no" }));
    if elevated {
        Ok(crate::tr_fmt!(
            "running elevated",
            "lancé avec les droits d'administrateur"
        ))
    } else if cfg!(windows) {
        Err(StepError(crate::tr_fmt!(
            "not running as Administrator; start dress from an elevated prompt (Run as administrator)",
            "pas lancé en administrateur ; démarrez dress depuis une invite élevée (Exécuter en tant qu'administrateur)"
        )))
    } else {
        Err(StepError(crate::tr_fmt!(
            "not running as root; run dress with sudo",
            "pas lancé en root ; lancez dress avec sudo"
        )))
    }
}

#[cfg(unix)]
fn is_elevated() -> Result<bool, String> {
    // SAFETY: geteuid has no preconditions.
    Ok(unsafe { libc::geteuid() } == 0)
}

#[cfg(windows)]
pub(crate) fn is_elevated() -> Result<bool, String> {
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::Security::{
        GetTokenInformation, TOKEN_ELEVATION, TOKEN_QUERY, TokenElevation,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    // SAFETY: the token handle is ours and closed once; the output buffer is
    // a TOKEN_ELEVATION of the size we pass.
    unsafe {
        let mut token: HANDLE = std::ptr::null_mut();
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return Err(format!(
                "cannot read this process's token: {}",
                std::io::Error::last_os_error()
            ));
        }
        let mut info = TOKEN_ELEVATION { TokenIsElevated: 0 };
        let mut len = 0u32;
        let ok = GetTokenInformation(
            token,
            TokenElevation,
            &mut info as *mut TOKEN_ELEVATION as *mut std::ffi::c_void,
            std::mem::size_of::<TOKEN_ELEVATION>() as u32,
            &mut len,
        );
        CloseHandle(token);
        if ok == 0 {
            return Err(format!(
                "cannot read the elevation of this process: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(info.TokenIsElevated != 0)
    }
}

/// `check.os`: report the operating system; always passes.
pub async fn os(ctx: &StepCtx) -> StepResult {
    let name = System::long_os_version()
        .or_else(|_| System::name())
        .unwrap_or_else(|_| std::env::consts::OS.to_string());
    let version = System::os_version().unwrap_or_else(|_| "unknown".into());
    let kernel = System::kernel_version().unwrap_or_else(|_| "unknown".into());
    let arch = std::env::consts::ARCH;
    ctx.measured(format!(
        "os: {name}; version {version}; kernel {kernel}; {arch}"
    ));
    Ok(format!(
        "{name} (version {version}, kernel {kernel}, {arch})"
    ))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, StepError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(StepError),
        Err(e) => Err(StepError(crate::tr_fmt!(
            "the check stopped unexpectedly: {e}",
            "la vérification s'est arrêtée de façon inattendue : {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::plain_windows_path;

    #[test]
    fn verbatim_paths_lose_their_prefix() {
        assert_eq!(
            plain_windows_path(r"\\?\C:\Example Plans (x86)\work").as_deref(),
            Some(r"C:\Example Plans (x86)\work")
        );
        assert_eq!(
            plain_windows_path(r"\\?\UNC\srv\share\CRM").as_deref(),
            Some(r"\\srv\share\CRM")
        );
        // Volume GUID paths and plain paths stay as they are.
        assert_eq!(plain_windows_path(r"\\?\Volume{0b1c}\x"), None);
        assert_eq!(plain_windows_path(r"C:\x"), None);
        assert_eq!(plain_windows_path("/tmp/x"), None);
    }
}
