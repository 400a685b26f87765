//! docs/commands.md documents every command, with an example.

#[test]
fn every_command_is_documented() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/commands.md");
    let doc = std::fs::read_to_string(path).unwrap();
    for (name, _, _) in doudi_core::commands::COMMANDS {
        let heading = format!("\n## {name}\n");
        let at = doc
            .find(&heading)
            .unwrap_or_else(|| panic!("docs/commands.md lacks a section for {name}"));
        let section = &doc[at + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        assert!(
            section.contains("```json"),
            "the section for {name} has no JSON example"
        );
    }
}

#[test]
fn unknown_command_is_named() {
    let mut s = doudi_core::Session::in_memory(Box::new(doudi_core::SystemClock)).unwrap();
    let e = doudi_core::call(&mut s, "household.delete", serde_json::json!({})).unwrap_err();
    assert_eq!(e.code, doudi_core::ErrorCode::UnknownCommand);
    assert!(e.message.contains("household.delete"));
}
