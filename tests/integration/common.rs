//! A small county on a temporary file, with one user per role.

use chrono::NaiveDate;
use doudi_core::{call, CmdError, FixedClock, Session};
use serde_json::{json, Value};
use tempfile::TempDir;

pub const PASSWORD: &str = "test-pass-1";

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub struct County {
    /// Dropped first (fields drop in order), while the file is still there; never read, it
    /// checks the trail in its `Drop`.
    #[allow(dead_code)]
    pub audit_check: AuditCheck,
    pub dir: TempDir,
    pub s: Session,
    pub township: i64,
    pub township2: i64,
    pub village: i64,
    pub village2: i64,
    pub group: i64,
}

impl County {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("county.sqlite")
    }

    pub fn ok(&mut self, name: &str, input: Value) -> Value {
        match call(&mut self.s, name, input) {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {e:?}"),
        }
    }

    pub fn err(&mut self, name: &str, input: Value) -> CmdError {
        match call(&mut self.s, name, input) {
            Ok(v) => panic!("{name} should fail, got {v}"),
            Err(e) => e,
        }
    }

    pub fn sign_in(&mut self, user: &str) {
        self.ok(
            "auth.sign_in",
            json!({"username": user, "password": PASSWORD}),
        );
    }

    /// Create a user (signed in as the administrator) who has since set their own password,
    /// `PASSWORD`, as a county's staff do at their first sign-in (users.rs tests that step
    /// through the commands; here it is taken as done).
    pub fn add_user(&mut self, input: Value) -> Value {
        let user = self.ok("user.create", input);
        self.s
            .connection()
            .execute(
                "UPDATE user SET must_change_password = 0 WHERE id = ?1",
                [user["id"].as_i64().unwrap()],
            )
            .unwrap();
        user
    }

    /// (households, persons, audit rows) — to prove a refused command wrote nothing.
    pub fn counts(&self) -> (i64, i64, i64) {
        self.s
            .connection()
            .query_row(
                "SELECT (SELECT count(*) FROM household), (SELECT count(*) FROM person), (SELECT count(*) FROM audit)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    }
}

/// Why an audit row would not read as plain Chinese: an action or record kind with no label, or
/// a line carrying JSON, "null" or a field's code instead of its name.
pub fn unreadable_audit(conn: &rusqlite::Connection) -> Vec<String> {
    use doudi_core::audit_text::{lines, NoNames};
    let mut stmt = conn
        .prepare("SELECT id, command, entity, before, after FROM audit ORDER BY id")
        .unwrap();
    let rows: Vec<(i64, String, String, Option<String>, Option<String>)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let parse = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
    };
    let mut out = Vec::new();
    for (id, command, entity, before, after) in rows {
        if doudi_core::commands::action_label(&command).is_none() {
            out.push(format!("row {id}: action {command} has no label"));
        }
        if doudi_core::labels::entity_label(&entity).is_none() {
            out.push(format!("row {id}: entity {entity} has no label"));
        }
        for line in lines(
            &entity,
            parse(&before).as_ref(),
            parse(&after).as_ref(),
            &NoNames,
        ) {
            if let Some(why) = unreadable_line(&line) {
                out.push(format!("row {id} ({command}): {why}: {line}"));
            }
        }
    }
    out
}

/// Why one line is not plain words, if it is not.
pub fn unreadable_line(line: &str) -> Option<&'static str> {
    if line.contains('{') || line.contains('"') || line.contains('[') {
        return Some("JSON");
    }
    if line.contains("null") || line.contains("undefined") {
        return Some("null");
    }
    // A label is Chinese: an ASCII word right before a full-width colon ("survey_date：") is a
    // field's code.
    let code_label = line.match_indices('：').any(|(i, _)| {
        let before = &line[..i];
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            .collect();
        let rest = &before[..before.len() - word.len()];
        word.len() > 1
            && word.chars().any(|c| c.is_ascii_lowercase())
            && (rest.is_empty() || ['：', '，', '；', ' '].iter().any(|c| rest.ends_with(*c)))
    });
    if code_label {
        return Some("a field's code");
    }
    // A value that is a code ("price_subsidy", "signed_off") rather than its label.
    let code_value = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| {
            w.contains('_')
                && w.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                && w.chars().any(|c| c.is_ascii_lowercase())
        });
    code_value.then_some("a code")
}

/// Every test's county ends with its audit trail readable in Chinese: checked when the county is
/// dropped, on its file.
pub struct AuditCheck(pub std::path::PathBuf);

impl Drop for AuditCheck {
    fn drop(&mut self) {
        if std::thread::panicking() || !self.0.exists() {
            return;
        }
        let conn = rusqlite::Connection::open(&self.0).unwrap();
        let bad = unreadable_audit(&conn);
        assert!(
            bad.is_empty(),
            "audit rows not in plain Chinese:\n{}",
            bad.join("\n")
        );
    }
}

/// A valid ID number for a birth date and sequence (odd = male, even = female).
pub fn id(birth: &str, seq: u32) -> String {
    let body = format!("410122{birth}{seq:03}");
    format!("{body}{}", doudi_core::idcard::check_char(&body))
}

pub fn county() -> County {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::open(
        &dir.path().join("county.sqlite"),
        Box::new(FixedClock::on(today())),
    )
    .unwrap();
    let mut c = County {
        audit_check: AuditCheck(dir.path().join("county.sqlite")),
        dir,
        s,
        township: 0,
        township2: 0,
        village: 0,
        village2: 0,
        group: 0,
    };
    c.ok(
        "auth.setup",
        json!({"county_name": "清河县", "county_code": "410122", "username": "admin", "display_name": "管理员", "password": PASSWORD}),
    );
    let county_id = c.ok("area.list", json!({}))["areas"][0]["id"]
        .as_i64()
        .unwrap();
    c.township = c.ok(
        "area.create",
        json!({"parent_id": county_id, "name": "城关镇", "urban_rural": "rural"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.township2 = c.ok(
        "area.create",
        json!({"parent_id": county_id, "name": "东城街道", "urban_rural": "urban"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.village = c.ok(
        "area.create",
        json!({"parent_id": c.township, "name": "李庄村"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.village2 = c.ok(
        "area.create",
        json!({"parent_id": c.township2, "name": "幸福社区"}),
    )["id"]
        .as_i64()
        .unwrap();
    c.group = c.ok(
        "area.create",
        json!({"parent_id": c.village, "name": "三组"}),
    )["id"]
        .as_i64()
        .unwrap();
    let users = [
        ("jbr1", "王经办", "caseworker", c.township),
        ("shr1", "李审核", "reviewer", c.township),
        ("jbr2", "赵经办", "caseworker", c.township2),
        ("spr", "陈审批", "approver", county_id),
        ("cydw", "周成员", "member_unit", county_id),
    ];
    for (username, name, role, area) in users {
        c.add_user(json!({"username": username, "display_name": name, "role": role, "area_id": area, "password": PASSWORD}));
    }
    c.sign_in("jbr1");
    c
}

/// A household input in the first township's village, head 张三.
pub fn household_input(c: &County, head_name: &str, head_id: &str) -> Value {
    json!({
        "village_id": c.village, "group_id": c.group, "address": "李庄村三组 12 号", "hukou": "rural",
        "phone": "13812345678", "bank_name": "农村信用社", "bank_account": "6222021234567890123",
        "head": {"name": head_name, "id_number": head_id, "labour_capacity": "partial"},
    })
}

/// Import the example county's standards (rules::demo_rows) through standard.import, as admin;
/// signs back in as `back_as`.
pub fn seed_standards(c: &mut County, back_as: &str) {
    use doudi_core::rules::{demo_rows, key_def, ValueKind};
    let rows: Vec<Value> = demo_rows()
        .iter()
        .map(|r| {
            let value = match key_def(&r.key).map(|d| d.kind) {
                Some(ValueKind::Money) => {
                    let fen: i64 = r.value.parse().unwrap();
                    format!("{}.{:02}", fen / 100, fen % 100)
                }
                _ => r.value.clone(),
            };
            json!({"key": r.key, "scope": r.scope.code(), "effective_from": r.effective_from, "value": value})
        })
        .collect();
    c.sign_in("admin");
    c.ok(
        "standard.import",
        json!({"format": "doudi-standards/1", "rows": rows}),
    );
    c.sign_in(back_as);
}

/// The text of a saved PDF, pages joined with "|", line breaks removed.
pub fn pdf_text(path: impl AsRef<std::path::Path>) -> String {
    let doc = lopdf::Document::load(path.as_ref()).expect("a readable PDF");
    doc.get_pages()
        .keys()
        .map(|&n| doc.extract_text(&[n]).unwrap().replace(['\n', '\r'], ""))
        .collect::<Vec<_>>()
        .join("|")
}
