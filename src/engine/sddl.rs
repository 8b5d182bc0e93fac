//! Who may write a folder, read from its access rights written as SDDL
//! (`D:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)...`): the Windows side of
//! "refuse a state folder that another user can write".
//!
//! Pure text analysis, so it is tested on every platform; on Windows the
//! SDDL comes from the folder (`state_dir::dacl_sddl`) and the current
//! user's SID from the process token.
//!
//! An allow entry counts as "another user can write" when its rights hold
//! any of: add a file, add a subfolder, delete a child, change the
//! permissions or the owner, generic write or generic all; and its trustee
//! is none of: the current user, its owner rights (OW), Administrators
//! (BA), SYSTEM (SY), TrustedInstaller, or CREATOR OWNER (CO, which only
//! ever applies to what a user creates). Entries that deny are ignored
//! (they take rights away).

/// Rights that let someone change what a folder holds or who may use it.
const WRITE_MASK: u32 = 0x0000_0002 // FILE_ADD_FILE / FILE_WRITE_DATA
    | 0x0000_0004 // FILE_ADD_SUBDIRECTORY / FILE_APPEND_DATA
    | 0x0000_0040 // FILE_DELETE_CHILD
    | 0x0004_0000 // WRITE_DAC
    | 0x0008_0000 // WRITE_OWNER
    | 0x1000_0000 // GENERIC_ALL
    | 0x4000_0000; // GENERIC_WRITE

/// TrustedInstaller's service SID.
const TRUSTED_INSTALLER: &str = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";

/// The trustees that may write the state folder besides its user.
const TRUSTED: [&str; 8] = [
    "OW",
    "BA",
    "SY",
    "CO",
    "S-1-3-4",
    "S-1-5-32-544",
    "S-1-5-18",
    "S-1-3-0",
];

/// The rights of one SDDL entry as an access mask (`FA`, `0x1301bf`,
/// `CCDCLCSWRPWPDTLOCRSDRCWDWO`, ...). `None` when it cannot be read: the
/// caller then treats it as write, to be safe.
fn rights_mask(rights: &str) -> Option<u32> {
    if let Some(hex) = rights
        .strip_prefix("0x")
        .or_else(|| rights.strip_prefix("0X"))
    {
        return u32::from_str_radix(hex, 16).ok();
    }
    if !rights.len().is_multiple_of(2) {
        return None;
    }
    let mut mask = 0u32;
    for i in (0..rights.len()).step_by(2) {
        mask |= match rights.get(i..i + 2)? {
            "GA" => 0x1000_0000,
            "GR" => 0x8000_0000,
            "GW" => 0x4000_0000,
            "GX" => 0x2000_0000,
            "FA" => 0x001f_01ff,
            "FR" => 0x0012_0089,
            "FW" => 0x0012_0116,
            "FX" => 0x0012_00a0,
            "RC" => 0x0002_0000,
            "SD" => 0x0001_0000,
            "WD" => 0x0004_0000,
            "WO" => 0x0008_0000,
            "CC" => 0x0000_0001,
            "DC" => 0x0000_0002,
            "LC" => 0x0000_0004,
            "SW" => 0x0000_0008,
            "RP" => 0x0000_0010,
            "WP" => 0x0000_0020,
            "DT" => 0x0000_0040,
            "LO" => 0x0000_0080,
            "CR" => 0x0000_0100,
            _ => return None,
        };
    }
    Some(mask)
}

/// The trustees other than `me` (a SID such as `S-1-5-21-...`) and the
/// trusted ones that an allow entry of `sddl` lets write. An SDDL with no
/// DACL at all (`D:NO_ACCESS_CONTROL`, or no `D:` part) lets everyone
/// write: it answers `["everyone (no access list)"]`.
pub fn shared_writers(sddl: &str, me: &str) -> Vec<String> {
    let Some(d) = sddl.find("D:") else {
        return vec!["everyone (no access list)".into()];
    };
    let dacl = &sddl[d + 2..];
    let dacl = dacl.find("S:").map_or(dacl, |s| &dacl[..s]);
    if dacl.starts_with("NO_ACCESS_CONTROL") {
        return vec!["everyone (no access list)".into()];
    }
    let mut out = Vec::new();
    for ace in dacl.split('(').skip(1) {
        let ace = ace.trim_end_matches(')');
        let f: Vec<&str> = ace.split(';').collect();
        if f.len() < 6 {
            continue;
        }
        let (kind, rights, sid) = (f[0], f[2], f[5].trim_end_matches(')'));
        if !(kind == "A" || kind == "OA") {
            continue;
        }
        if sid.eq_ignore_ascii_case(me)
            || sid == TRUSTED_INSTALLER
            || TRUSTED.iter().any(|t| t.eq_ignore_ascii_case(sid))
        {
            continue;
        }
        if rights_mask(rights).is_none_or(|m| m & WRITE_MASK != 0) && !out.iter().any(|s| s == sid)
        {
            out.push(sid.to_string());
        }
    }
    out
}

/// A trustee as people read it: `BU` is "Users", a SID stays a SID.
pub fn trustee_name(sid: &str) -> String {
    match sid {
        "WD" | "S-1-1-0" => "Everyone".into(),
        "BU" | "S-1-5-32-545" => "Users".into(),
        "AU" | "S-1-5-11" => "Authenticated Users".into(),
        "BG" | "S-1-5-32-546" => "Guests".into(),
        "IU" | "S-1-5-4" => "Interactive users".into(),
        "AN" | "S-1-5-7" => "Anonymous".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";

    #[test]
    fn the_state_folder_dress_creates_is_not_shared() {
        assert!(shared_writers(crate::engine::state_dir::STATE_DIR_SDDL, ME).is_empty());
        let own = format!("O:{ME}G:SYD:PAI(A;OICI;FA;;;{ME})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)");
        assert!(shared_writers(&own, ME).is_empty());
    }

    #[test]
    fn program_data_defaults_let_users_add_files() {
        // %ProgramData% as Windows Server installs it: Users may create
        // files and folders (0x100006 = add file, add subfolder, synchronize).
        let pd = "D:PAI(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CI;0x100006;;;BU)";
        assert_eq!(shared_writers(pd, ME), vec!["BU".to_string()]);
        assert_eq!(trustee_name("BU"), "Users");
    }

    #[test]
    fn read_only_entries_and_denials_do_not_count() {
        let ro = "D:(A;OICI;FR;;;WD)(A;OICI;0x1200a9;;;AU)(D;OICI;FA;;;BU)(A;OICI;FX;;;BU)";
        assert!(
            shared_writers(ro, ME).is_empty(),
            "{:?}",
            shared_writers(ro, ME)
        );
    }

    #[test]
    fn every_kind_of_write_counts() {
        for rights in [
            "FA", "FW", "GA", "GW", "WD", "WO", "DC", "LC", "DT", "0x1301bf", "0x2",
        ] {
            let s = format!("D:(A;;{rights};;;S-1-5-21-1-2-3-1002)");
            assert_eq!(
                shared_writers(&s, ME),
                vec!["S-1-5-21-1-2-3-1002".to_string()],
                "{rights}"
            );
        }
    }

    #[test]
    fn no_access_list_or_unreadable_rights_are_shared() {
        assert_eq!(shared_writers("D:NO_ACCESS_CONTROL", ME).len(), 1);
        assert_eq!(shared_writers("O:BA", ME).len(), 1);
        assert_eq!(
            shared_writers("D:(A;;ZZ;;;BU)", ME),
            vec!["BU".to_string()],
            "an entry it cannot read counts as write"
        );
        // A garbled entry with too few fields is skipped, not a panic.
        assert!(shared_writers("D:(A;;FA)", ME).is_empty());
        assert!(shared_writers("D:", ME).is_empty());
    }

    #[test]
    fn the_system_access_list_is_not_read_as_permissions() {
        let s = "D:PAI(A;OICI;FA;;;BA)S:(AU;SAFA;FA;;;WD)";
        assert!(shared_writers(s, ME).is_empty());
    }
}
