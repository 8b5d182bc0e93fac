use super::*;

fn srv(name: &str, role: Role, address: &str, ipv6: &str, services: &[Service]) -> Server {
    Server {
        name: name.into(),
        role,
        address: address.into(),
        ipv6: ipv6.into(),
        services: services.to_vec(),
        install_path: None,
    }
}

fn good() -> Vec<Server> {
    vec![
        srv("SQL1", Role::Sql, "sql1.example.local", "", &[]),
        srv(
            "WEB1",
            Role::WebMaster,
            "web1.example.local",
            "fd00::11",
            &[Service::EmailManager],
        ),
        srv(
            "WEB2",
            Role::WebSecondary,
            "10.0.0.12",
            "fd00::12",
            &[Service::Indexer],
        ),
        srv(
            "WEB3",
            Role::WebSecondary,
            "web3.example.local",
            "fd00::13",
            &[Service::Escalation],
        ),
    ]
}

fn cells(errs: &[TopologyError]) -> Vec<(usize, Column)> {
    errs.iter().map(|e| (e.row, e.column)).collect()
}

#[test]
fn good_worksheet_passes_and_empty_is_single_server() {
    assert_eq!(validate_topology(&good()), vec![]);
    assert_eq!(validate_topology(&[]), vec![]);
}

#[test]
fn master_rules() {
    let mut t = good();
    t.swap(1, 2);
    assert_eq!(cells(&validate_topology(&t)), vec![(2, Column::Role)]);
    let mut t = good();
    t[1].role = Role::WebSecondary;
    assert_eq!(cells(&validate_topology(&t)), vec![(1, Column::Role)]);
    let mut t = good();
    t[2].role = Role::WebMaster;
    assert_eq!(cells(&validate_topology(&t)), vec![(2, Column::Role)]);
    // The SQL row may come after the web rows.
    let mut t = good();
    t.rotate_left(1);
    assert_eq!(validate_topology(&t), vec![]);
}

#[test]
fn services_rules() {
    let mut t = good();
    t[0].services = vec![Service::Indexer];
    let e = validate_topology(&t);
    assert_eq!(cells(&e), vec![(0, Column::Services)]);
    assert!(e[0].what.contains("SQL"));
    let mut t = good();
    t[3].services.clear();
    let e = validate_topology(&t);
    assert_eq!(cells(&e), vec![(1, Column::Services)]);
    assert!(e[0].what.contains("escalation"), "{e:?}");
    let mut t = good();
    t[3].services = vec![Service::Indexer, Service::Escalation];
    assert_eq!(cells(&validate_topology(&t)), vec![(3, Column::Services)]);
}

#[test]
fn uniqueness_is_case_insensitive() {
    let mut t = good();
    t[2].name = "web1".into();
    t[3].address = "WEB1.example.local.".into();
    t[3].ipv6 = "fd00:0::11".into();
    assert_eq!(
        cells(&validate_topology(&t)),
        vec![(2, Column::Name), (3, Column::Address), (3, Column::Ipv6)]
    );
    // The SQL row may be the same machine as a web row.
    let mut t = good();
    t[0].name = "WEB2".into();
    t[0].address = "10.0.0.12".into();
    assert_eq!(validate_topology(&t), vec![]);
}

#[test]
fn ipv6_required_on_web_rows_and_zone_refused() {
    let mut t = good();
    t[2].ipv6 = String::new();
    t[3].ipv6 = "fe80::1%eth0".into();
    let e = validate_topology(&t);
    assert_eq!(cells(&e), vec![(2, Column::Ipv6), (3, Column::Ipv6)]);
    assert!(e[1].what.contains("zone id \"%eth0\""), "{e:?}");
    assert!(e[1].fix.contains("without the %zone"), "{e:?}");
}

#[test]
fn computer_names_table() {
    let long = "A".repeat(10_000);
    let cases: &[(&str, bool)] = &[
        ("WEB1", true),
        ("web-2", true),
        ("A23456789012345", true),
        ("A234567890123456", false),
        ("", false),
        ("-WEB", false),
        ("12345", false),
        ("WEB_1", false),
        ("WEB 1", false),
        ("WÉB1", false),
        ("WEB\u{0}1", false),
        ("WEB\n", false),
        (&long, false),
    ];
    for (name, ok) in cases {
        assert_eq!(check_computer_name(name).is_ok(), *ok, "{name:?}");
    }
    // Messages stay short whatever the input.
    assert!(check_computer_name(&long).unwrap_err().len() < 200);
}

#[test]
fn hosts_table() {
    let long_label = format!("{}.example", "a".repeat(64));
    let long_name = vec!["abcdefghi"; 30].join(".");
    let huge = "x".repeat(10_000);
    let cases: &[(&str, bool)] = &[
        ("web1", true),
        ("web1.example.local", true),
        ("web1.example.local.", true),
        ("10.0.0.1", true),
        ("0.0.0.0", true),
        ("255.255.255.255", true),
        ("010.0.0.1", false),
        ("10.0.0.256", false),
        ("10.0.0", false),
        ("10.0.0.1.5", false),
        ("99999999999999999999.1.1.1", false),
        ("", false),
        ("-web.example", false),
        ("web-.example", false),
        ("web..example", false),
        ("web_1.example", false),
        ("wéb.example", false),
        ("web1:8080", false),
        ("fd00::1", false),
        ("web\u{7}1", false),
        ("web 1", false),
        (&long_label, false),
        (&long_name, false),
        (&huge, false),
    ];
    for (h, ok) in cases {
        assert_eq!(check_host(h).is_ok(), *ok, "{h:?} -> {:?}", check_host(h));
    }
    assert!(
        check_host("010.0.0.1")
            .unwrap_err()
            .contains("leading zero")
    );
}

#[test]
fn ipv6_table() {
    let cases: &[(&str, bool)] = &[
        ("fd00::12", true),
        ("2001:db8::1", true),
        ("fe80::1", true),
        ("::ffff:10.0.0.1", true),
        ("::", false),
        ("::1", false),
        ("ff02::1", false),
        ("fe80::1%eth0", false),
        ("fe80::1%12", false),
        ("[fd00::1]", false),
        ("fd00::1::2", false),
        ("10.0.0.1", false),
        ("", false),
        ("fd00::\u{0}", false),
        ("ｆｄ００::1", false),
    ];
    for (a, ok) in cases {
        assert_eq!(check_ipv6(a).is_ok(), *ok, "{a:?}");
    }
    assert!(check_ipv6(&"1:".repeat(5_000)).is_err());
}

#[test]
fn lb_settings_master_first() {
    let mut t = good();
    t.rotate_left(2); // WEB2, WEB3, SQL1, WEB1: master last in the rows
    let lb = derive_lb_settings(&t);
    assert_eq!(lb.crm_server_names, "WEB1;WEB2;WEB3");
    assert_eq!(lb.ipv6_addresses, "fd00::11;fd00::12;fd00::13");
    assert_eq!(lb.fqdn_names, "web1.example.local;WEB2;web3.example.local");
    assert_eq!(lb.dtls_server, "WEB1");
    assert!(lb.perform_load_balancing);
    let single = derive_lb_settings(&good()[..2]);
    assert!(!single.perform_load_balancing);
    assert_eq!(single.crm_server_names, "WEB1");
    assert_eq!(derive_lb_settings(&[]), LbSettings::default());
}

/// xorshift64*: deterministic, so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn string(&mut self) -> String {
        const ALPHABET: &[u8] = b"aZ09-.:%_[] \n\0\x7f";
        let len = (self.next() % 24) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| match self.next() % 3 {
                0 => ALPHABET[(self.next() % ALPHABET.len() as u64) as usize],
                _ => self.next() as u8,
            })
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

#[test]
fn random_input_never_panics() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let roles = [Role::Sql, Role::WebMaster, Role::WebSecondary];
    let mut accepted = 0usize;
    for _ in 0..100_000 {
        let n = (rng.next() % 4) as usize;
        let rows: Vec<Server> = (0..n)
            .map(|_| {
                let svc: Vec<Service> = (0..rng.next() % 3)
                    .map(|_| Service::ALL[(rng.next() % 3) as usize])
                    .collect();
                srv(
                    &rng.string(),
                    roles[(rng.next() % 3) as usize],
                    &rng.string(),
                    &rng.string(),
                    &svc,
                )
            })
            .collect();
        let errs = validate_topology(&rows);
        for e in &errs {
            assert!(e.row < rows.len().max(1));
            assert!(!e.what.is_empty() && !e.fix.is_empty());
        }
        let _ = derive_lb_settings(&rows);
        for r in &rows {
            if check_host(&r.address).is_ok() {
                accepted += 1;
                assert!(r.address.is_ascii());
            }
            let _ = check_ipv6(&r.ipv6);
            let _ = check_computer_name(&r.name);
        }
    }
    // The generator reaches the accepting paths too, not only the refusals.
    assert!(accepted > 100, "accepted {accepted}");
}

#[test]
fn install_paths_are_absolute_and_given_to_every_secondary_or_none() {
    // No install path at all: the files are copied by hand on each one.
    assert_eq!(validate_topology(&good()), vec![]);
    let mut t = good();
    t[2].install_path = Some(r"\\WEB2\c$\CRM".into());
    t[3].install_path = Some(r"\\WEB3\c$\CRM".into());
    assert_eq!(validate_topology(&t), vec![]);
    // WEB3 deleted and added again without its path: caught.
    t[3].install_path = None;
    let e = validate_topology(&t);
    assert_eq!(cells(&e), vec![(3, Column::InstallPath)]);
    assert!(
        e[0].what.contains("WEB3") && e[0].what.contains("WEB2"),
        "{e:?}"
    );
    let mut t = good();
    t[2].install_path = Some(r"c$\CRM".into());
    t[0].install_path = Some(r"\\SQL1\c$\CRM".into());
    let e = validate_topology(&t);
    assert_eq!(
        cells(&e),
        vec![
            (0, Column::InstallPath),
            (2, Column::InstallPath),
            (3, Column::InstallPath)
        ]
    );
    assert!(e[1].what.contains("not an absolute path"), "{e:?}");
    let mut t = good();
    t[2].install_path = Some("\\\\WEB2\\c$\\C\u{7}RM".into());
    t[3].install_path = Some(" ".into());
    let e = validate_topology(&t);
    assert!(e[0].what.contains("control character"), "{e:?}");
    assert!(e[1].what.contains("empty"), "{e:?}");
}
