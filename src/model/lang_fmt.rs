//! [`tr_fmt!`](crate::tr_fmt): a text with variables, written side by side in
//! both languages.

/// `tr_fmt!("{n} steps", "{n} étapes")`: `format!` of the text of the
/// language in use. Both texts are checked by the compiler; positional
/// arguments follow the two texts and must be used by both.
#[macro_export]
macro_rules! tr_fmt {
    ($en:literal, $fr:literal $(, $arg:expr)* $(,)?) => {
        match $crate::model::lang::current() {
            $crate::model::lang::Lang::En => format!($en $(, $arg)*),
            $crate::model::lang::Lang::Fr => format!($fr $(, $arg)*),
        }
    };
}

/// An operating system error in the language in use. English keeps the
/// system's own text; French names the common cases and keeps the system's
/// code, so the original message can still be looked up.
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if crate::model::lang::current() == crate::model::lang::Lang::En {
        return e.to_string();
    }
    let what = match e.kind() {
        K::NotFound => "introuvable",
        K::PermissionDenied => "accès refusé",
        K::AlreadyExists => "existe déjà",
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset => "connexion réinitialisée par l'autre machine",
        K::ConnectionAborted => "connexion interrompue",
        K::NotConnected => "pas de connexion",
        K::AddrInUse => "adresse ou port déjà utilisé",
        K::AddrNotAvailable => "adresse non disponible sur cette machine",
        K::TimedOut => "délai dépassé",
        K::UnexpectedEof => "fin de données inattendue",
        K::InvalidInput | K::InvalidData => "données incorrectes",
        K::WouldBlock => "opération qui bloquerait",
        K::Interrupted => "opération interrompue",
        K::Unsupported => "opération non prise en charge",
        K::OutOfMemory => "mémoire insuffisante",
        K::StorageFull => "disque plein",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::IsADirectory => "c'est un dossier",
        K::NotADirectory => "ce n'est pas un dossier",
        K::DirectoryNotEmpty => "dossier non vide",
        K::ResourceBusy => "ressource occupée",
        K::HostUnreachable => "machine injoignable",
        K::NetworkUnreachable => "réseau injoignable",
        K::BrokenPipe => "communication coupée",
        K::CrossesDevices => "déplacement entre deux disques impossible",
        K::InvalidFilename => "nom de fichier incorrect",
        K::ArgumentListTooLong => "liste d'arguments trop longue",
        K::FileTooLarge => "fichier trop grand",
        K::TooManyLinks => "trop de liens",
        K::Deadlock => "interblocage",
        K::StaleNetworkFileHandle => "fichier réseau périmé",
        K::ExecutableFileBusy => "programme en cours d'utilisation",
        _ => {
            return match e.raw_os_error() {
                Some(c) => format!("erreur système {c} ({e})"),
                None => format!("erreur système ({e})"),
            };
        }
    };
    match e.raw_os_error() {
        Some(c) => format!("{what} (erreur système {c})"),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::lang::{Lang, scoped};

    #[test]
    fn os_errors_are_named_in_french_with_their_code() {
        let e = std::io::Error::from_raw_os_error(2);
        let en = scoped(Lang::En, || super::io_error(&e));
        assert_eq!(en, e.to_string());
        let fr = scoped(Lang::Fr, || super::io_error(&e));
        assert_eq!(fr, "introuvable (erreur système 2)");
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(scoped(Lang::Fr, || super::io_error(&e)), "accès refusé");
    }

    #[test]
    fn each_language_gets_its_text() {
        let n = 3;
        assert_eq!(
            scoped(Lang::En, || crate::tr_fmt!("{n} steps", "{n} étapes")),
            "3 steps"
        );
        assert_eq!(
            scoped(Lang::Fr, || crate::tr_fmt!("{} of {}", "{} sur {}", 1, n)),
            "1 sur 3"
        );
    }
}
