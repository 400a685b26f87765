//! docs/commands.md documents every command, and each example reply matches the command's typed
//! reply: every key it shows exists in the reply type, with a value of the type's JSON type.

use serde_json::Value;

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/commands.md");
    std::fs::read_to_string(path).unwrap()
}

/// The text of the section `## name` (up to the next `## `).
fn section<'a>(doc: &'a str, name: &str) -> Option<&'a str> {
    let heading = format!("\n## {name}\n");
    let at = doc.find(&heading)?;
    let rest = &doc[at + heading.len()..];
    Some(&rest[..rest.find("\n## ").unwrap_or(rest.len())])
}

/// The reply side (after `→`) of every example in a section's ```json blocks; a reply may go on
/// over the lines that follow it, up to the next example or the block's end.
fn example_replies(section: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_json = false;
    let mut open = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_json = line.starts_with("```json");
            open = false;
            continue;
        }
        if !in_json {
            continue;
        }
        if let Some((_, reply)) = line.split_once('→') {
            out.push(reply.trim().to_owned());
            open = true;
        } else if open {
            let last = out.last_mut().expect("an open reply");
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    out
}

/// An example reply as JSON, with the elisions (`…`) a reader skips taken out. `None` for a
/// reply that is prose, such as "(as auth.status)".
fn parse_example(reply: &str) -> Option<Result<Value, String>> {
    if !(reply.starts_with('{') || reply.starts_with('[')) {
        return None;
    }
    let mut t = reply.to_owned();
    for (from, to) in [(", …", ""), ("…, ", ""), ("…,", ""), ("…", "")] {
        t = t.replace(from, to);
    }
    Some(serde_json::from_str(&t).map_err(|e| format!("{e}: {t}")))
}

/// Follows `$ref` into the root's `$defs`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or("");
            resolve(root, &root["$defs"][name])
        }
        None => schema,
    }
}

fn json_type_ok(types: &Value, v: &Value) -> bool {
    let names: Vec<&str> = match types {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return true,
    };
    names.iter().any(|t| match *t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    })
}

/// Why `v` does not fit `schema`, at `path`; `None` when it fits.
fn mismatch(root: &Value, schema: &Value, v: &Value, path: &str) -> Option<String> {
    let schema = resolve(root, schema);
    if schema == &Value::Bool(true) {
        return None;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = alts
                .iter()
                .filter_map(|a| mismatch(root, a, v, path))
                .collect();
            return (errors.len() == alts.len()).then(|| errors.join(" / "));
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all.iter().find_map(|a| mismatch(root, a, v, path));
    }
    if let Some(types) = schema.get("type") {
        if !json_type_ok(types, v) {
            return Some(format!("{path}: {v} is not of type {types}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(v) {
            return Some(format!("{path}: {v} is none of {allowed:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            return Some(format!("{path}: {v} is not {c}"));
        }
    }
    match v {
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            let extra = schema.get("additionalProperties");
            for (k, x) in map {
                let p = format!("{path}.{k}");
                let found = match (props.and_then(|p| p.get(k)), extra) {
                    (Some(s), _) => mismatch(root, s, x, &p),
                    (None, Some(Value::Bool(false))) | (None, None) if props.is_some() => {
                        Some(format!("{p}: the reply type has no such field"))
                    }
                    (None, Some(s)) if s.is_object() => mismatch(root, s, x, &p),
                    _ => None,
                };
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        Value::Array(items) => {
            let item = schema.get("items")?;
            items
                .iter()
                .enumerate()
                .find_map(|(i, x)| mismatch(root, item, x, &format!("{path}[{i}]")))
        }
        _ => None,
    }
}

#[test]
fn every_command_is_documented_with_an_example() {
    let doc = doc();
    let mut missing = Vec::new();
    for c in doudi_core::commands::COMMANDS {
        match section(&doc, c.name) {
            None => missing.push(format!("{}: no section", c.name)),
            Some(s) if !s.contains("```json") => {
                missing.push(format!("{}: no JSON example", c.name))
            }
            Some(_) => {}
        }
    }
    assert!(
        missing.is_empty(),
        "docs/commands.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_reply_is_a_typed_struct() {
    let untyped: Vec<&str> = doudi_core::commands::COMMANDS
        .iter()
        .filter(|c| {
            let schema = (c.reply_schema)();
            let v = schema.as_value();
            !(v.get("properties").is_some() || v.get("$ref").is_some() || v.get("anyOf").is_some())
        })
        .map(|c| c.name)
        .collect();
    assert!(
        untyped.is_empty(),
        "commands replying with untyped JSON: {untyped:?}"
    );
}

#[test]
fn documented_replies_match_the_reply_types() {
    let doc = doc();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for c in doudi_core::commands::COMMANDS {
        let Some(s) = section(&doc, c.name) else {
            continue;
        };
        let schema = (c.reply_schema)();
        let root = schema.as_value();
        for reply in example_replies(s) {
            match parse_example(&reply) {
                None => {}
                Some(Err(e)) => wrong.push(format!("{}: example is not JSON: {e}", c.name)),
                Some(Ok(v)) => {
                    checked += 1;
                    if let Some(m) = mismatch(root, root, &v, "reply") {
                        wrong.push(format!("{}: {m}", c.name));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "docs/commands.md:\n{}", wrong.join("\n"));
    assert!(checked >= 60, "only {checked} example replies were checked");
}

#[test]
fn a_wrong_example_is_caught() {
    // The checker itself: a renamed field and a number where the type says string both fail.
    let schema = serde_json::json!({
        "type": "object",
        "properties": {"amount": {"type": "string"}, "rows": {"type": "array", "items": {"$ref": "#/$defs/Row"}}},
        "$defs": {"Row": {"type": "object", "properties": {"id": {"type": "integer"}}}}
    });
    let ok = serde_json::json!({"amount": "1.00", "rows": [{"id": 1}]});
    assert_eq!(mismatch(&schema, &schema, &ok, "reply"), None);
    let renamed = serde_json::json!({"amount": "1.00", "rows": [{"row_id": 1}]});
    assert!(mismatch(&schema, &schema, &renamed, "reply")
        .unwrap()
        .contains("reply.rows[0].row_id"));
    let float = serde_json::json!({"amount": 1.0});
    assert!(mismatch(&schema, &schema, &float, "reply").is_some());
    assert_eq!(
        parse_example("{\"a\": 1, …}").unwrap().unwrap(),
        serde_json::json!({"a": 1})
    );
    assert!(parse_example("(as auth.status)").is_none());
}

#[test]
fn unknown_command_is_named() {
    let mut s = doudi_core::Session::in_memory(Box::new(doudi_core::SystemClock)).unwrap();
    let e = doudi_core::call(&mut s, "household.delete", serde_json::json!({})).unwrap_err();
    assert_eq!(e.code, doudi_core::ErrorCode::UnknownCommand);
    assert!(e.message.contains("household.delete"));
}
