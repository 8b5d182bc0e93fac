use super::*;

#[test]
fn fill_replaces_in_order() {
    assert_eq!(fill("{} of {}", &[&1, &"b"]), "1 of b");
    assert_eq!(fill("{} {}", &[&1]), "1 {}");
}

#[test]
fn durations_read_well() {
    assert_eq!(duration(4200), "4.2s");
    assert_eq!(duration(125_000), "2m05s");
    assert_eq!(duration(3_723_000), "1h02m03s");
}
