//! What the server refuses before the core sees a call: anything that would touch the server's
//! own disk or programs at the desktop's word. Every file command works over the network in
//! bytes mode (`deliver: "bytes"`, `upload: {name, base64}`, docs/commands.md); a call that names
//! a path — which would be a path on the server — is refused, as are `document.open` (a viewer on
//! the server), `document.folder` (the server's folder) and `auth.setup` (a county's database is
//! initialised on the server itself). Everything else, including who may do what, is the core's.

use doudi_core::CmdError;
use serde_json::Value;

/// Each file command with the argument that names a path on the machine running the core, and
/// whether it saves somewhere by default when given neither that path nor `deliver` (the
/// documents go to the documents folder: on a server, the server's).
const FILE_ARGUMENTS: &[(&str, &str, bool)] = &[
    ("document.approval_form", "path", true),
    ("document.temp_aid_form", "path", true),
    ("document.refusal_notice", "path", true),
    ("document.notice", "path", true),
    ("document.deliberation_application", "path", true),
    ("document.meeting_minutes", "path", true),
    ("payment.roster", "path", false),
    ("payment.bank_return", "path", false),
    ("stats.export", "path", false),
    ("ledger.preview", "path", false),
    ("ledger.import", "path", false),
    ("standard.export", "path", false),
    ("standard.import", "path", false),
    ("benefit.what_if", "xlsx", false),
    ("system.backup", "dest", false),
];

/// The refusal of a path on the server.
pub const PATH_ON_SERVER: &str =
    "连接县级服务器时不能按路径读写文件（那是服务器上的路径）：生成的文件请以 deliver: \"bytes\" 取回后保存在本机，要读取的文件请以 upload 上传";

/// Why the server refuses `name` with `args` before running it, if it does.
pub fn refusal(name: &str, args: &Value) -> Option<CmdError> {
    match name {
        "document.open" => {
            return Some(CmdError::forbidden(
                "连接县级服务器时，文件保存在本机，请在本机打开（服务器不能替本机打开文件）",
            ))
        }
        "document.folder" => {
            return Some(CmdError::forbidden(
                "连接县级服务器时，文件由本机选择位置保存，服务器上的文件夹不可用",
            ))
        }
        "auth.setup" => {
            return Some(CmdError::forbidden(
                "县级服务器的数据库须在服务器上初始化（doudi --db 文件 call auth.setup …），不能通过网络初始化",
            ))
        }
        _ => {}
    }
    let (_, field, saves_by_default) = FILE_ARGUMENTS.iter().find(|(n, ..)| *n == name)?;
    let names_a_path = match args.get(*field) {
        None | Some(Value::Null) => false,
        Some(Value::String(p)) => !p.trim().is_empty(),
        Some(_) => true,
    };
    let saves_on_server = *saves_by_default && args.get("deliver").is_none_or(Value::is_null);
    (names_a_path || saves_on_server).then(|| {
        let mut e = CmdError::forbidden(PATH_ON_SERVER);
        e.field = Some(if names_a_path { *field } else { "deliver" }.to_owned());
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_on_the_server_are_refused_bytes_are_not() {
        for (name, args, refused_field) in [
            (
                "payment.roster",
                json!({"month": "2026-11", "path": "/tmp/x.xlsx"}),
                Some("path"),
            ),
            (
                "payment.roster",
                json!({"month": "2026-11", "deliver": "bytes"}),
                None,
            ),
            (
                "payment.roster",
                json!({"month": "2026-11", "path": "  "}),
                None,
            ),
            (
                "ledger.preview",
                json!({"upload": {"name": "a.csv", "base64": ""}}),
                None,
            ),
            (
                "ledger.import",
                json!({"path": "C:\\台账.xlsx"}),
                Some("path"),
            ),
            (
                "system.backup",
                json!({"dest": "/tmp/b.sqlite"}),
                Some("dest"),
            ),
            ("system.backup", json!({"deliver": "bytes"}), None),
            (
                "benefit.what_if",
                json!({"xlsx": "/tmp/w.xlsx"}),
                Some("xlsx"),
            ),
            ("benefit.what_if", json!({"key": "dibao.standard"}), None),
            ("standard.export", json!({}), None),
            ("document.notice", json!({"area_id": 3}), Some("deliver")),
            (
                "document.notice",
                json!({"area_id": 3, "deliver": "bytes"}),
                None,
            ),
            (
                "document.approval_form",
                json!({"case_id": 1, "path": "a.pdf"}),
                Some("path"),
            ),
            ("document.open", json!({"path": "a.pdf"}), Some("")),
            ("document.folder", json!({}), Some("")),
            ("auth.setup", json!({}), Some("")),
            ("case.act", json!({"path": "whatever"}), None),
        ] {
            let e = refusal(name, &args);
            assert_eq!(
                e.as_ref().map(|e| e.field.clone().unwrap_or_default()),
                refused_field.map(str::to_owned),
                "{name} {args}"
            );
        }
    }
}
