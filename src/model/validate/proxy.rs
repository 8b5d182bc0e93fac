//! The HTTP proxy of `[deployment.proxy]`.

use super::{Issue, check_secret};
use crate::model::hostnames::check_host;
use crate::model::plan::Proxy;

pub(super) fn check_proxy(base: &str, p: &Proxy, out: &mut Vec<Issue>) {
    if let Err(e) = check_host(&p.host) {
        out.push(Issue::new(
            format!("{base}.host"),
            crate::tr_fmt!("proxy host: {e}", "hôte du proxy : {e}"),
            crate::tr_fmt!(
                "write the proxy's DNS name or IPv4 address, e.g. proxy.example.local",
                "écrivez le nom DNS ou l'adresse IPv4 du proxy, par exemple proxy.example.local"
            ),
        ));
    }
    if p.port == 0 {
        out.push(Issue::new(
            format!("{base}.port"),
            crate::tr_fmt!(
                "port 0 is not a TCP port",
                "le port 0 n'est pas un port TCP"
            ),
            crate::tr_fmt!(
                "write the proxy's port, from 1 to 65535 (often 3128 or 8080)",
                "écrivez le port du proxy, de 1 à 65535 (souvent 3128 ou 8080)"
            ),
        ));
    }
    if let Some(login) = &p.login
        && (login.trim().is_empty() || login.chars().any(char::is_control))
    {
        out.push(Issue::new(
            format!("{base}.login"),
            crate::tr_fmt!(
                "the proxy login is empty or contains a control character",
                "l'identifiant du proxy est vide ou contient un caractère de contrôle"
            ),
            crate::tr_fmt!(
                "write the login name, or remove it when the proxy needs none",
                "écrivez l'identifiant, ou supprimez-le si le proxy n'en demande pas"
            ),
        ));
    }
    match (&p.login, &p.password) {
        (Some(_), None) => out.push(Issue::new(
            format!("{base}.password"),
            crate::tr_fmt!(
                "a proxy login is given without its password",
                "un identifiant de proxy est donné sans son mot de passe"
            ),
            crate::tr_fmt!(
                "add password = {{ env = \"NAME\" }} or {{ prompt = true }}, or remove the login",
                "ajoutez password = {{ env = \"NOM\" }} ou {{ prompt = true }}, ou supprimez l'identifiant"
            ),
        )),
        (None, Some(_)) => out.push(Issue::new(
            format!("{base}.password"),
            crate::tr_fmt!(
                "a proxy password without a login is never used",
                "un mot de passe de proxy sans identifiant ne sert jamais"
            ),
            crate::tr_fmt!(
                "add the login it belongs to, or remove the password",
                "ajoutez l'identifiant auquel il appartient, ou supprimez le mot de passe"
            ),
        )),
        (_, Some(r)) => check_secret(&format!("{base}.password"), r, out),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::secret::SecretRef;

    fn issues(p: &Proxy) -> Vec<String> {
        let mut out = Vec::new();
        check_proxy("deployment.proxy", p, &mut out);
        out.into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn proxy_rules() {
        let mut p = Proxy {
            host: "proxy.example.local".into(),
            port: 3128,
            login: None,
            password: None,
        };
        assert!(issues(&p).is_empty());
        p.port = 0;
        p.host = "bad host".into();
        assert_eq!(
            issues(&p),
            ["deployment.proxy.host", "deployment.proxy.port"]
        );
        p.port = 8080;
        p.host = "10.0.0.1".into();
        p.login = Some("crm".into());
        assert_eq!(issues(&p), ["deployment.proxy.password"]);
        p.password = Some(SecretRef::Env { env: "1BAD".into() });
        assert_eq!(issues(&p), ["deployment.proxy.password"]);
        p.password = Some(SecretRef::Prompt {
            prompt: true,
            field: String::new(),
        });
        assert!(issues(&p).is_empty());
    }
}
