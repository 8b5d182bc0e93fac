//! The state folder holds journals, step logs and plans with server names:
//! on Windows, a state folder that dress creates is opened to Administrators
//! and SYSTEM only (`%ProgramData%` lets every user read by default).
//! A folder that already existed keeps the access rights it has.

use std::path::Path;

/// The access rights a new state folder gets on Windows, as SDDL: a
/// protected DACL (nothing inherited from `%ProgramData%`) with full control
/// for BUILTIN\Administrators (BA) and SYSTEM (SY), inherited by every file
/// and folder below (OICI).
pub const STATE_DIR_SDDL: &str = "D:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)";

/// The command that sets the same rights by hand, for the warnings.
#[cfg(any(windows, test))]
pub(crate) fn icacls_hint(dir: &Path) -> String {
    format!(
        "icacls \"{}\" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F",
        dir.display()
    )
}

/// Create the state folder (and its parents). When this call creates it on
/// Windows, only Administrators and SYSTEM may open it afterwards. That is
/// done only from an elevated process: a user who is not elevated would
/// otherwise lock themselves out; the folder then keeps the rights it
/// inherits and a warning on stderr says how to restrict it.
pub fn create_state_dir(dir: &Path) -> std::io::Result<()> {
    let existed = dir.is_dir();
    crate::engine::private_fs::create_dir_private(dir)?;
    // A new folder is restricted before it is judged: on Windows it first
    // inherits the rights of its parent (%ProgramData% lets Users add files).
    if !existed && let Err(e) = restrict_new(dir) {
        eprintln!(
            "dress: {}{e}",
            crate::model::lang::tr("warning: ", "attention : ")
        );
    }
    crate::engine::private_fs::check_not_shared(dir, "the state folder")
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::PermissionDenied, e))?;
    // The tool's own log is opened by the tracing appender, which takes the
    // umask: create it private first (it is then only appended to).
    let log = dir.join("dress.log");
    let f =
        crate::engine::private_fs::private(std::fs::OpenOptions::new().append(true).create(true))
            .open(&log)?;
    crate::engine::private_fs::make_private(&f)?;
    Ok(())
}

#[cfg(not(windows))]
fn restrict_new(_dir: &Path) -> Result<(), String> {
    // The folder is under the user's home (or chosen with --state-dir).
    Ok(())
}

#[cfg(windows)]
fn restrict_new(dir: &Path) -> Result<(), String> {
    match crate::engine::checks::is_elevated() {
        Ok(true) => restrict(dir).map_err(|e| {
            crate::tr_fmt!(
                "the state folder {} was created but its access rights could not be limited to Administrators ({e}); run as Administrator: {}",
                "le dossier d'état {} a été créé mais ses droits d'accès n'ont pas pu être limités aux Administrateurs ({e}) ; en Administrateur, lancez : {}",
                dir.display(),
                icacls_hint(dir)
            )
        }),
        Ok(false) | Err(_) => Err(crate::tr_fmt!(
            "the state folder {} was created by a process that is not elevated: other users of this machine may read it; to limit it to Administrators, run as Administrator: {}",
            "le dossier d'état {} a été créé par un processus sans élévation : les autres utilisateurs de cette machine peuvent le lire ; pour le limiter aux Administrateurs, lancez en Administrateur : {}",
            dir.display(),
            icacls_hint(dir)
        )),
    }
}

/// Replace the DACL of `dir` with [`STATE_DIR_SDDL`].
#[cfg(windows)]
pub fn restrict(dir: &Path) -> Result<(), String> {
    use windows_sys::Win32::Foundation::{LocalFree, WIN32_ERROR};
    use windows_sys::Win32::Security::Authorization::{
        ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1, SE_FILE_OBJECT,
        SetNamedSecurityInfoW,
    };
    use windows_sys::Win32::Security::{
        ACL, DACL_SECURITY_INFORMATION, GetSecurityDescriptorDacl,
        PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR,
    };

    let sddl = wide(STATE_DIR_SDDL);
    let path = wide_path(dir)?;
    // SAFETY: every pointer passed points to a live, NUL-terminated buffer
    // or to a local out-variable; the security descriptor allocated by
    // ConvertStringSecurityDescriptorToSecurityDescriptorW is freed once
    // with LocalFree, after the last use of the DACL that points into it.
    unsafe {
        let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        if ConvertStringSecurityDescriptorToSecurityDescriptorW(
            sddl.as_ptr(),
            SDDL_REVISION_1,
            &mut sd,
            std::ptr::null_mut(),
        ) == 0
        {
            return Err(crate::tr_fmt!(
                "cannot build the access rights {STATE_DIR_SDDL}: {}",
                "impossible de construire les droits d'accès {STATE_DIR_SDDL} : {}",
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        }
        let mut present = 0;
        let mut defaulted = 0;
        let mut dacl: *mut ACL = std::ptr::null_mut();
        let got = GetSecurityDescriptorDacl(sd, &mut present, &mut dacl, &mut defaulted);
        let result: WIN32_ERROR = if got == 0 || present == 0 {
            LocalFree(sd);
            return Err(crate::tr_fmt!(
                "the access rights {STATE_DIR_SDDL} have no DACL: {}",
                "les droits d'accès {STATE_DIR_SDDL} n'ont pas de DACL : {}",
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        } else {
            SetNamedSecurityInfoW(
                path.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                dacl,
                std::ptr::null(),
            )
        };
        LocalFree(sd);
        if result != 0 {
            return Err(crate::tr_fmt!(
                "cannot set the access rights of {}: {}",
                "impossible de régler les droits d'accès de {} : {}",
                dir.display(),
                crate::model::lang_fmt::io_error(&std::io::Error::from_raw_os_error(result as i32))
            ));
        }
    }
    Ok(())
}

/// The DACL of `dir` as SDDL (e.g. `D:PAI(A;OICI;FA;;;BA)...`), to check
/// what [`restrict`] left.
#[cfg(windows)]
pub fn dacl_sddl(dir: &Path) -> Result<String, String> {
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Authorization::{
        ConvertSecurityDescriptorToStringSecurityDescriptorW, GetNamedSecurityInfoW,
        SDDL_REVISION_1, SE_FILE_OBJECT,
    };
    use windows_sys::Win32::Security::{DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR};

    let path = wide_path(dir)?;
    // SAFETY: out-pointers are locals; both buffers the system allocates
    // are freed once with LocalFree; the string is read up to its length.
    unsafe {
        let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        let r = GetNamedSecurityInfoW(
            path.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut sd,
        );
        if r != 0 {
            return Err(crate::tr_fmt!(
                "cannot read the access rights of {}: {}",
                "impossible de lire les droits d'accès de {} : {}",
                dir.display(),
                crate::model::lang_fmt::io_error(&std::io::Error::from_raw_os_error(r as i32))
            ));
        }
        let mut text: *mut u16 = std::ptr::null_mut();
        let mut len = 0u32;
        let ok = ConvertSecurityDescriptorToStringSecurityDescriptorW(
            sd,
            SDDL_REVISION_1,
            DACL_SECURITY_INFORMATION,
            &mut text,
            &mut len,
        );
        LocalFree(sd);
        if ok == 0 || text.is_null() {
            return Err(crate::tr_fmt!(
                "cannot describe the access rights of {}: {}",
                "impossible de décrire les droits d'accès de {} : {}",
                dir.display(),
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        }
        Ok(take_local_string(text))
    }
}

/// The SID of the user running dress (`S-1-5-21-...`), from the process
/// token.
#[cfg(windows)]
pub fn current_user_sid() -> Result<String, String> {
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::Security::Authorization::ConvertSidToStringSidW;
    use windows_sys::Win32::Security::{GetTokenInformation, TOKEN_QUERY, TOKEN_USER, TokenUser};
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    // SAFETY: the token handle is ours and closed once; the buffer is sized
    // by the first call and 8-byte aligned (u64) for TOKEN_USER; the SID
    // string the system allocates is read up to its NUL and freed once.
    unsafe {
        let mut token: HANDLE = std::ptr::null_mut();
        if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
            return Err(crate::tr_fmt!(
                "cannot read this process's token: {}",
                "impossible de lire le jeton de ce processus : {}",
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        }
        let mut len = 0u32;
        GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len);
        let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
        let ok = GetTokenInformation(
            token,
            TokenUser,
            buf.as_mut_ptr() as *mut std::ffi::c_void,
            (buf.len() * 8) as u32,
            &mut len,
        );
        CloseHandle(token);
        if ok == 0 {
            return Err(crate::tr_fmt!(
                "cannot read the user of this process: {}",
                "impossible de lire l'utilisateur de ce processus : {}",
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        }
        let user = &*(buf.as_ptr() as *const TOKEN_USER);
        let mut text: *mut u16 = std::ptr::null_mut();
        if ConvertSidToStringSidW(user.User.Sid, &mut text) == 0 || text.is_null() {
            return Err(crate::tr_fmt!(
                "cannot write the user's SID: {}",
                "impossible d'écrire le SID de l'utilisateur : {}",
                crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
            ));
        }
        Ok(take_local_string(text))
    }
}

/// A NUL-terminated UTF-16 string the system allocated with LocalAlloc,
/// read and freed.
///
/// # Safety
/// `text` is non-null, NUL-terminated, allocated by the system for this
/// caller, and not used afterwards.
#[cfg(windows)]
unsafe fn take_local_string(text: *mut u16) -> String {
    use windows_sys::Win32::Foundation::LocalFree;
    // SAFETY: the caller gives a live, NUL-terminated buffer it owns.
    unsafe {
        let mut n = 0usize;
        while *text.add(n) != 0 {
            n += 1;
        }
        let s = String::from_utf16_lossy(std::slice::from_raw_parts(text, n));
        LocalFree(text as _);
        s
    }
}

#[cfg(windows)]
fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

#[cfg(windows)]
fn wide_path(p: &Path) -> Result<Vec<u16>, String> {
    use std::os::windows::ffi::OsStrExt;
    let v: Vec<u16> = p.as_os_str().encode_wide().collect();
    if v.contains(&0) {
        return Err(crate::tr_fmt!(
            "{} contains a NUL character",
            "{} contient un caractère NUL",
            p.display()
        ));
    }
    Ok(v.into_iter().chain(std::iter::once(0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_missing_folder_and_parents() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("Program Files (x86)").join("dress state");
        create_state_dir(&d).unwrap();
        assert!(d.is_dir());
        // A second call on an existing folder changes nothing and succeeds.
        std::fs::write(d.join("dress.log"), "x").unwrap();
        create_state_dir(&d).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("dress.log")).unwrap(), "x");
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("state");
        std::fs::write(&f, "not a folder").unwrap();
        assert!(create_state_dir(&f).is_err());
    }

    #[test]
    fn hint_quotes_paths_with_spaces() {
        let h = icacls_hint(Path::new(r"C:\ProgramData\dress (test)"));
        assert!(h.starts_with("icacls \"C:\\ProgramData\\dress (test)\" /inheritance:r"));
        assert!(h.contains("*S-1-5-32-544:(OI)(CI)F"));
        assert!(h.contains("*S-1-5-18:(OI)(CI)F"));
    }

    #[cfg(windows)]
    #[test]
    fn restrict_leaves_administrators_and_system_only() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path().join("Program Files (x86)");
        std::fs::create_dir(&d).unwrap();
        restrict(&d).unwrap();
        let sddl = dacl_sddl(&d).unwrap();
        assert!(sddl.starts_with("D:P"), "{sddl}");
        assert!(sddl.contains("(A;OICI;FA;;;BA)"), "{sddl}");
        assert!(sddl.contains("(A;OICI;FA;;;SY)"), "{sddl}");
        assert_eq!(sddl.matches("(A;").count(), 2, "{sddl}");
    }
}
