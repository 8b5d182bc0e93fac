//! Extra recipe steps land where inserting them one by one puts them, now
//! that they are placed in linear time: several `before` the same anchor in
//! plan order, several `after` it in reverse plan order, anchors on extra
//! steps followed.

use std::path::Path;

use dress::model::EnvKind;
use dress::model::runplan::parse_for_run;
use dress::recipe::build;

#[test]
fn extra_steps_keep_the_order_of_one_by_one_insertion() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut text = std::fs::read_to_string(root.join("sandbox.toml")).unwrap();
    for (id, side, anchor) in [
        ("a", "after", "backup/disk"),
        ("b", "after", "disk"),
        ("c", "before", "backup/disk"),
        ("d", "before", "backup/disk"),
        ("e", "after", "a"),
        ("f", "before", "backup/a"),
    ] {
        text.push_str(&format!(
            "\n[[recipe.steps]]\nid = \"{id}\"\n{side} = \"{anchor}\"\nkind = \"manual\"\nprompt = \"{id}\"\n"
        ));
    }
    let plan = parse_for_run("sandbox.toml", &text, &root).unwrap();
    let stages = build(&plan, EnvKind::Test).unwrap();
    let backup = stages.iter().find(|s| s.id == "backup").unwrap();
    let ids: Vec<&str> = backup.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(&ids[..7], ["c", "d", "disk", "b", "f", "a", "e"], "{ids:?}");
    // Everything else is where it was.
    assert_eq!(ids[7], "program-files", "{ids:?}");
}
