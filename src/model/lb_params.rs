//! The load-balancing settings as they are stored in `custom_sysparams`:
//! parameter names and values, one place for the editor, its export and the
//! step that writes them, so the three cannot differ.

use super::plan::{Environment, Server};
use super::topology::{LbSettings, derive_lb_settings};

/// The `custom_sysparams` names of the load-balancing settings
/// (Administration > System > Database), in the order they are written.
pub const LB_PARAMS: [&str; 5] = [
    "CRMServerNames",
    "DistributedWebServerIPv6",
    "PerformLoadBalancing",
    "FullyQualifiedWebServerNames",
    "DTLSServer",
];

/// The settings of a worksheet, with the plan's choice for "perform load
/// balancing" when it makes one (`None`: derived from the number of web
/// servers).
pub fn settings(servers: &[Server], perform: Option<bool>) -> LbSettings {
    let mut lb = derive_lb_settings(servers);
    if let Some(p) = perform {
        lb.perform_load_balancing = p;
    }
    lb
}

/// The settings of an environment of the plan.
pub fn env_settings(env: &Environment) -> LbSettings {
    settings(&env.servers, env.perform_load_balancing)
}

/// Name/value pairs written into `custom_sysparams`, in [`LB_PARAMS`] order.
pub fn values(lb: &LbSettings) -> Vec<(String, String)> {
    let v = [
        lb.crm_server_names.clone(),
        lb.ipv6_addresses.clone(),
        lb.perform_load_balancing.to_string(),
        lb.fqdn_names.clone(),
        lb.dtls_server.clone(),
    ];
    LB_PARAMS.iter().map(|n| n.to_string()).zip(v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan::Role;

    fn web(name: &str, role: Role) -> Server {
        Server {
            name: name.into(),
            role,
            address: format!("{}.example.local", name.to_lowercase()),
            ipv6: "fd00::1".into(),
            services: vec![],
            install_path: None,
        }
    }

    #[test]
    fn the_plan_choice_overrides_the_derived_value() {
        let rows = [
            web("WEB1", Role::WebMaster),
            web("WEB2", Role::WebSecondary),
        ];
        assert!(settings(&rows, None).perform_load_balancing);
        assert!(!settings(&rows, Some(false)).perform_load_balancing);
        let v = values(&settings(&rows, Some(false)));
        assert_eq!(v[2], ("PerformLoadBalancing".into(), "false".into()));
        assert_eq!(v[0].1, "WEB1;WEB2");
        assert_eq!(v[4], ("DTLSServer".into(), "WEB1".into()));
    }
}
