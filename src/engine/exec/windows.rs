//! Windows: the child runs without a console window, inside a job object
//! that is terminated as a whole; output is decoded from the OEM code page.

use std::ffi::c_void;

use tokio::process::{Child, Command};
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::Globalization::{CP_OEMCP, MultiByteToWideChar};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
    SetInformationJobObject, TerminateJobObject,
};
use windows_sys::Win32::System::Threading::CREATE_NO_WINDOW;

/// The job object holding a started child and everything it starts. Closing
/// it (on drop) ends whatever is still running inside.
pub struct Tree {
    job: HANDLE,
}

// SAFETY: a job handle may be used and closed from any thread.
unsafe impl Send for Tree {}
unsafe impl Sync for Tree {}

/// No console window for the child.
pub fn prepare(cmd: &mut Command) {
    cmd.creation_flags(CREATE_NO_WINDOW);
}

impl Tree {
    pub fn attach(child: &Child) -> Result<Tree, String> {
        let process = child.raw_handle().ok_or_else(|| {
            crate::model::lang::tr(
                "the program ended before it could be tracked",
                "le programme s'est terminé avant de pouvoir être suivi",
            )
            .to_string()
        })?;
        // SAFETY: plain Win32 calls on handles we own; the structure is
        // zero-initialised as the API allows.
        unsafe {
            let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
            if job.is_null() {
                return Err(crate::tr_fmt!(
                    "could not create a job object: {}",
                    "impossible de créer un objet job : {}",
                    crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
                ));
            }
            let tree = Tree { job };
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
            info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
            let ok = SetInformationJobObject(
                job,
                JobObjectExtendedLimitInformation,
                &info as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION as *const c_void,
                std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
            );
            if ok == 0 {
                return Err(crate::tr_fmt!(
                    "could not configure the job object: {}",
                    "impossible de configurer l'objet job : {}",
                    crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
                ));
            }
            if AssignProcessToJobObject(job, process as HANDLE) == 0 {
                return Err(crate::tr_fmt!(
                    "could not put the program in a job object: {}",
                    "impossible de placer le programme dans un objet job : {}",
                    crate::model::lang_fmt::io_error(&std::io::Error::last_os_error())
                ));
            }
            Ok(tree)
        }
    }

    /// End every process of the job.
    pub fn terminate(&self) {
        // SAFETY: the handle is valid until drop.
        unsafe {
            TerminateJobObject(self.job, 1);
        }
    }

    pub fn kill(&self) {
        self.terminate();
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        // SAFETY: the handle was created by us and is closed once.
        unsafe {
            CloseHandle(self.job);
        }
    }
}

/// Decode console output written in the OEM code page (e.g. 850 on a
/// French Windows).
pub fn decode_oem(bytes: &[u8]) -> String {
    let Ok(len) = i32::try_from(bytes.len()) else {
        return String::from_utf8_lossy(bytes).into_owned();
    };
    if len == 0 {
        return String::new();
    }
    // SAFETY: the buffers and their lengths are passed together.
    unsafe {
        let n = MultiByteToWideChar(CP_OEMCP, 0, bytes.as_ptr(), len, std::ptr::null_mut(), 0);
        if n <= 0 {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        let mut wide = vec![0u16; n as usize];
        let n = MultiByteToWideChar(CP_OEMCP, 0, bytes.as_ptr(), len, wide.as_mut_ptr(), n);
        if n <= 0 {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        String::from_utf16_lossy(&wide[..n as usize])
    }
}
