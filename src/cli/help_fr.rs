//! `--help`, the man page and the completions' descriptions in French: the
//! clap definitions stay the one source (`args.rs`), and each of their
//! English texts has its French text in [`FR`]. A test walks the whole
//! command tree and fails on any text without its French one, so a new
//! option cannot be left untranslated.
//!
//! The language of `--help` is known before the command line is parsed:
//! `--lang` on the command line, then `DRESS_LANG`, then the system (a
//! plan's `[deployment] language` cannot count: no plan is read yet).

use clap::Command;

use crate::model::lang::Lang;

/// English text (as clap holds it, without a final period) → French.
pub const FR: &[(&str, &str)] = &[
    (
        "Install and upgrade an on-premises CRM (IIS + Tomcat + SQL Server), rehearsing every upgrade on a test environment first",
        "Installer et mettre à jour un CRM sur site (IIS + Tomcat + SQL Server), en répétant chaque mise à jour d'abord sur un environnement de test",
    ),
    (
        "dress runs the installation and the upgrade checklist of an on-premises CRM from a plan file (TOML answer file): prerequisites, install, multiserver, licence, then backup, test environment, trial upgrade, verify, production and control. Every run is journalled in the state folder; production is refused until the same recipe passed a rehearsal.\n\nWith no command, the full-screen interface opens on PLAN (or on the bundled example)",
        "dress déroule l'installation et la liste de mise à jour d'un CRM sur site à partir d'un fichier de plan (fichier de réponses TOML) : prérequis, installation, multiserveur, licence, puis sauvegarde, environnement de test, test de mise à jour, vérification, mise à jour réelle et contrôle. Chaque exécution est inscrite au registre dans le dossier d'état ; la production est refusée tant que la même recette n'a pas réussi une répétition générale.\n\nSans commande, l'interface plein écran s'ouvre sur PLAN (ou sur l'exemple fourni).",
    ),
    (
        "Plan file to open in the full-screen interface",
        "Fichier de plan à ouvrir dans l'interface plein écran",
    ),
    (
        "Environment the full-screen interface works on",
        "Environnement sur lequel travaille l'interface plein écran",
    ),
    (
        "Folder of runs, locks and the diagnostic log [default: %ProgramData%\\dress on Windows, $XDG_STATE_HOME/dress or ~/.local/state/dress elsewhere; DRESS_STATE_DIR overrides]",
        "Dossier des exécutions, des verrous et du journal de diagnostic [par défaut : %ProgramData%\\dress sous Windows, $XDG_STATE_HOME/dress ou ~/.local/state/dress ailleurs ; DRESS_STATE_DIR le remplace]",
    ),
    (
        "Colour theme: default, high-contrast, mono, or a theme file (NO_COLOR selects mono)",
        "Thème de couleurs : default, high-contrast, mono, ou un fichier de thème (NO_COLOR choisit mono)",
    ),
    (
        "Draw with ASCII characters only (old consoles)",
        "Dessiner avec des caractères ASCII seulement (anciennes consoles)",
    ),
    (
        "Language of screens, messages and reports: en or fr [default: DRESS_LANG, then the plan's [deployment] language, then the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), then en]",
        "Langue des écrans, des messages et des rapports : en ou fr [par défaut : DRESS_LANG, puis la langue [deployment] du plan, puis celle du système (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), puis en]",
    ),
    (
        "Run stages without the full-screen interface (CI, scripts)",
        "Lancer des phases sans l'interface plein écran (CI, scripts)",
    ),
    (
        "Check or inspect a plan file",
        "Vérifier ou examiner un fichier de plan",
    ),
    (
        "List the runs of the state folder (or remove old ones)",
        "Lister les exécutions du dossier d'état (ou supprimer les anciennes)",
    ),
    (
        "Open the full-screen interface on a run (running or finished); with no id, list the runs",
        "Ouvrir l'interface plein écran sur une exécution (en cours ou finie) ; sans identifiant, lister les exécutions",
    ),
    (
        "The background engine of a run started from the full-screen interface",
        "Le moteur en arrière-plan d'une exécution lancée depuis l'interface plein écran",
    ),
    (
        "Read the answers of the prompted secrets from standard input (a JSON object, field -> value), written there by the view",
        "Lire les réponses des secrets demandés sur l'entrée standard (un objet JSON, champ -> valeur), écrites là par la vue",
    ),
    (
        "Print the report of a run",
        "Afficher le rapport d'une exécution",
    ),
    (
        "Write a plan with the full-screen wizard; an existing FILE is opened prefilled and edited in place (comments and key order kept) [default: plan.toml]",
        "Écrire un plan avec l'assistant plein écran ; un FICHIER existant est ouvert prérempli et modifié sur place (commentaires et ordre des clés gardés) [par défaut : plan.toml]",
    ),
    (
        "Edit the multiserver worksheet of an environment (full screen), or export it",
        "Modifier la feuille multiserveur d'un environnement (plein écran), ou l'exporter",
    ),
    (
        "Print the shell completions of dress (bash, zsh, fish, powershell, elvish)",
        "Afficher les complétions de dress pour le shell (bash, zsh, fish, powershell, elvish)",
    ),
    (
        "Print the manual page of dress (roff), generated from the same definitions as --help",
        "Afficher la page de manuel de dress (roff), produite à partir des mêmes définitions que --help",
    ),
    (
        "The plan file; saving writes the servers back into it, comments kept",
        "Le fichier de plan ; l'enregistrement y réécrit les serveurs, commentaires gardés",
    ),
    (
        "Environment whose servers are edited [default: the one that has servers; the editor asks when both have some]",
        "Environnement dont les serveurs sont modifiés [par défaut : celui qui a des serveurs ; l'éditeur demande quand les deux en ont]",
    ),
    (
        "Print the worksheet (md, csv) or the load-balancing settings as SQL (sql) instead of opening the editor",
        "Afficher la feuille (md, csv) ou les paramètres d'équilibrage de charge en SQL (sql) au lieu d'ouvrir l'éditeur",
    ),
    (
        "The plan file (not needed with --resume: the run keeps a copy of its plan)",
        "Le fichier de plan (inutile avec --resume : l'exécution garde une copie de son plan)",
    ),
    (
        "Stage to run; repeat or separate with commas. `rehearsal` stands for backup,test-env,trial-upgrade,verify",
        "Phase à lancer ; répétez l'option ou séparez par des virgules. `rehearsal` vaut backup,test-env,trial-upgrade,verify",
    ),
    (
        "Environment the run works on",
        "Environnement sur lequel travaille l'exécution",
    ),
    (
        "Do not ask before steps that change something",
        "Ne pas demander avant les étapes qui modifient le système",
    ),
    (
        "Print events as JSON lines",
        "Afficher les événements en lignes JSON",
    ),
    (
        "Print the output lines of every step too",
        "Afficher aussi les lignes de sortie de chaque étape",
    ),
    (
        "Answer a manual step in advance: STEP_ID=NOTE (STEP_ID is `step` or `stage/step`)",
        "Répondre d'avance à une étape manuelle : STEP_ID=NOTE (STEP_ID est `étape` ou `phase/étape`)",
    ),
    (
        "What to do when a step fails: abort, or retry:N",
        "Que faire quand une étape échoue : abort, ou retry:N",
    ),
    (
        "Do the work of this stage again even where it is in place (by default a step that changes something first checks whether its work is already done, says so and keeps it); repeat or separate with commas",
        "Refaire le travail de cette phase même là où il est en place (par défaut, une étape qui modifie le système vérifie d'abord si son travail est déjà fait, le dit et le garde) ; répétez l'option ou séparez par des virgules",
    ),
    (
        "Reopen a run that stopped (crash, kill, waiting for an operator) and go on",
        "Rouvrir une exécution arrêtée (plantage, arrêt forcé, attente de l'opérateur) et continuer",
    ),
    (
        "Remove a lock left by a run whose process is gone",
        "Retirer un verrou laissé par une exécution dont le processus a disparu",
    ),
    (
        "Run in the background, apart from this terminal: the run goes on if the SSH session or console closes; follow it with `dress attach RUN_ID` (needs --yes)",
        "Lancer en arrière-plan, hors de ce terminal : l'exécution continue si la session SSH ou la console se ferme ; suivez-la avec `dress attach RUN_ID` (demande --yes)",
    ),
    (
        "Id of the new run (set by --detach)",
        "Identifiant de la nouvelle exécution (donné par --detach)",
    ),
    (
        "Run production although no rehearsal of this recipe passed; asks twice on a terminal (or needs --yes without one); the reason is journalled",
        "Lancer la production bien qu'aucune répétition générale de cette recette n'ait réussi ; demande deux fois sur un terminal (ou demande --yes sans terminal) ; la raison est inscrite au registre",
    ),
    (
        "Run a stage of the rehearsal although the stages before it in the checklist have not passed in this rehearsal; the reason is journalled",
        "Lancer une phase de la répétition générale bien que les phases qui la précèdent dans la liste n'aient pas réussi dans cette répétition ; la raison est inscrite au registre",
    ),
    (
        "Let production SQL steps log in with encryption = \"not-supported\" (the login and password cross the network in clear text)",
        "Laisser les étapes SQL de la production se connecter avec encryption = \"not-supported\" (l'identifiant et le mot de passe traversent le réseau en clair)",
    ),
    (
        "Check a plan; print every error as FILE:LINE:COL: field: what — fix (exit code 2)",
        "Vérifier un plan ; afficher chaque erreur sous la forme FICHIER:LIGNE:COL: champ : quoi — correction (code de sortie 2)",
    ),
    (
        "Dry run: print the stages and steps with the exact commands and SQL they would run (changes nothing)",
        "Essai à blanc : afficher les phases et les étapes avec les commandes et le SQL exacts qu'elles lanceraient (ne modifie rien)",
    ),
    ("Only this stage", "Seulement cette phase"),
    (
        "Print the list as JSON (one array)",
        "Afficher la liste en JSON (un tableau)",
    ),
    (
        "Remove old runs, keeping the newest N; a run the production gate relies on (the last passed rehearsal, a production run) and a run in progress are always kept",
        "Supprimer les anciennes exécutions en gardant les N plus récentes ; une exécution sur laquelle s'appuie le verrou de production (la dernière répétition générale réussie, une exécution de production) et une exécution en cours sont toujours gardées",
    ),
    (
        "The state folder: --state-dir, DRESS_STATE_DIR, then the system default",
        "Le dossier d'état : --state-dir, DRESS_STATE_DIR, puis celui du système par défaut",
    ),
    // Texts clap writes itself.
    ("Print help", "Afficher l'aide"),
    (
        "Print help (see more with '--help')",
        "Afficher l'aide (plus de détails avec « --help »)",
    ),
    (
        "Print help (see a summary with '-h')",
        "Afficher l'aide (un résumé avec « -h »)",
    ),
    ("Print version", "Afficher la version"),
    (
        "Print this message or the help of the given subcommand(s)",
        "Afficher ce message ou l'aide des sous-commandes données",
    ),
];

fn key(text: &str) -> &str {
    text.trim().trim_end_matches('.')
}

/// The French text of `english`, when the table has it.
pub fn french(english: &str) -> Option<&'static str> {
    let k = key(english);
    FR.iter().find(|(en, _)| key(en) == k).map(|(_, fr)| *fr)
}

/// The language of `--help`, from the raw command line and the
/// environment (nothing is parsed yet).
pub fn help_language(args: &[std::ffi::OsString]) -> Lang {
    let mut flag = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--lang" {
            flag = it.next().and_then(|v| v.parse().ok());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            flag = v.parse().ok();
        }
    }
    crate::model::lang::from_environment(flag).0
}

/// `cmd` with its texts in `lang`: headings, about, every argument's help,
/// recursively through the subcommands.
pub fn localised(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => cmd,
        Lang::Fr => {
            let mut cmd = cmd;
            cmd.build();
            to_french(cmd)
        }
    }
}

fn to_french(cmd: Command) -> Command {
    let mut cmd = cmd
        .help_template(
            "{before-help}{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}",
        )
        .subcommand_help_heading("Commandes ")
        .subcommand_value_name("COMMANDE");
    if let Some(about) = cmd.get_about().map(|s| s.to_string())
        && let Some(fr) = french(&about)
    {
        cmd = cmd.about(fr);
    }
    if let Some(long) = cmd.get_long_about().map(|s| s.to_string())
        && let Some(fr) = french(&long)
    {
        cmd = cmd.long_about(fr);
    }
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let heading = if a.is_positional() {
                "Arguments "
            } else {
                "Options "
            };
            let mut a = a.help_heading(heading);
            if let Some(fr) = a.get_help().and_then(|h| french(&h.to_string())) {
                a = a.help(fr);
            }
            if let Some(fr) = a.get_long_help().and_then(|h| french(&h.to_string())) {
                a = a.long_help(fr);
            }
            a
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for n in names {
        cmd = cmd.mut_subcommand(n, to_french);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn texts(cmd: &Command, out: &mut Vec<String>) {
        for t in [cmd.get_about(), cmd.get_long_about()]
            .into_iter()
            .flatten()
        {
            out.push(t.to_string());
        }
        for a in cmd.get_arguments() {
            for t in [a.get_help(), a.get_long_help()].into_iter().flatten() {
                out.push(t.to_string());
            }
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    /// Every text of the command line, clap's own included, has its
    /// French text: a new option cannot be left in English.
    #[test]
    fn every_help_text_has_its_french_one() {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        let mut all = Vec::new();
        texts(&cmd, &mut all);
        assert!(all.len() > 40, "{}", all.len());
        let missing: Vec<&String> = all.iter().filter(|t| french(t).is_none()).collect();
        assert!(missing.is_empty(), "no French text for: {missing:#?}");
    }

    /// And the French command line shows them: no English text is left in
    /// any help of the tree.
    #[test]
    fn the_french_help_has_no_english_text_left() {
        let fr = localised(crate::cli::Cli::command(), Lang::Fr);
        let mut all = Vec::new();
        texts(&fr, &mut all);
        let english: Vec<&String> = all
            .iter()
            .filter(|t| FR.iter().any(|(en, _)| key(en) == key(t)))
            .collect();
        assert!(english.is_empty(), "{english:#?}");
        let mut fr = fr;
        let help = fr.render_long_help().to_string();
        assert!(help.contains("Utilisation : dress"), "{help}");
        assert!(help.contains("Commandes"), "{help}");
        assert!(
            help.contains("Répondre d'avance") || help.contains("Lancer des phases"),
            "{help}"
        );
    }

    #[test]
    fn the_help_language_is_read_before_parsing() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            help_language(&args(&["dress", "--lang", "fr", "--help"])),
            Lang::Fr
        );
        assert_eq!(
            help_language(&args(&["dress", "--lang=fr", "run", "-h"])),
            Lang::Fr
        );
        assert_eq!(
            help_language(&args(&["dress", "--lang", "en", "--help"])),
            Lang::En
        );
    }
}
