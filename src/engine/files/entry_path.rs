//! Checking the path of an archive entry before anything is written
//! ("zip-slip"): an entry must name a place inside the target folder on both
//! Linux and Windows.

/// Why an entry path was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryPathError {
    NotUnicode,
    Absolute,
    ParentComponent,
    /// `C:`, `\\server`, or an NTFS stream name `file:stream`.
    Colon,
    Backslash,
    Nul,
    /// `CON`, `NUL`, `COM1`...: Windows opens a device instead of a file.
    WindowsDevice(String),
}

impl std::fmt::Display for EntryPathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryPathError::NotUnicode => f.write_str(crate::model::lang::tr(
                "the path is not valid UTF-8",
                "le chemin n'est pas de l'UTF-8 valide",
            )),
            EntryPathError::Absolute => f.write_str(crate::model::lang::tr(
                "the path is absolute",
                "le chemin est absolu",
            )),
            EntryPathError::ParentComponent => f.write_str(crate::model::lang::tr(
                "the path climbs out with `..`",
                "le chemin remonte avec `..`",
            )),
            EntryPathError::Colon => f.write_str(crate::model::lang::tr(
                "the path holds `:` (a Windows drive or a stream name)",
                "le chemin contient `:` (un lecteur Windows ou un nom de flux)",
            )),
            EntryPathError::Backslash => f.write_str(crate::model::lang::tr(
                "the path holds `\\` (a Windows separator or UNC prefix)",
                "le chemin contient `\\` (un séparateur Windows ou un préfixe UNC)",
            )),
            EntryPathError::Nul => f.write_str(crate::model::lang::tr(
                "the path holds a NUL byte",
                "le chemin contient un octet NUL",
            )),
            EntryPathError::WindowsDevice(n) => f.write_str(&crate::tr_fmt!(
                "`{n}` is a Windows device name",
                "`{n}` est un nom de périphérique Windows"
            )),
        }
    }
}

const DEVICES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The entry path normalised (`./a//b/` -> `a/b`; the empty string names the
/// target folder itself), or why it would land outside the target.
pub fn check_entry_path(raw: &[u8]) -> Result<String, EntryPathError> {
    let s = std::str::from_utf8(raw).map_err(|_| EntryPathError::NotUnicode)?;
    if s.contains('\0') {
        return Err(EntryPathError::Nul);
    }
    if s.contains('\\') {
        return Err(EntryPathError::Backslash);
    }
    if s.contains(':') {
        return Err(EntryPathError::Colon);
    }
    if s.starts_with('/') {
        return Err(EntryPathError::Absolute);
    }
    let mut parts = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(EntryPathError::ParentComponent),
            _ => {
                let stem = c.split('.').next().unwrap_or(c).trim_end();
                if DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem)) {
                    return Err(EntryPathError::WindowsDevice(c.to_string()));
                }
                parts.push(c);
            }
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_paths() {
        assert_eq!(
            check_entry_path(b"./Program Files (x86)//CRM/a.asp").unwrap(),
            "Program Files (x86)/CRM/a.asp"
        );
        assert_eq!(check_entry_path(b"./").unwrap(), "");
        assert_eq!(check_entry_path(b"console.log").unwrap(), "console.log");
    }

    #[test]
    fn refuses_escapes() {
        let bad: [(&[u8], EntryPathError); 8] = [
            (b"/etc/passwd", EntryPathError::Absolute),
            (b"a/../../x", EntryPathError::ParentComponent),
            (b"..", EntryPathError::ParentComponent),
            (b"C:/Windows/x.dll", EntryPathError::Colon),
            (b"C:x", EntryPathError::Colon),
            (b"..\\x", EntryPathError::Backslash),
            (
                b"a/nul.txt",
                EntryPathError::WindowsDevice("nul.txt".into()),
            ),
            (b"a\xff", EntryPathError::NotUnicode),
        ];
        for (raw, why) in bad {
            assert_eq!(check_entry_path(raw), Err(why), "{raw:?}");
        }
    }
}
