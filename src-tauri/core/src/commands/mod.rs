//! The one command layer: a named command takes JSON and returns JSON, or `{code, message, field}`.
//!
//! The Tauri shell, the `doudi` CLI and the tests all come through [`call`]. Commands that change
//! data write their audit row in the same transaction as the change.

mod areas;
mod auth;
pub(crate) mod benefits;
mod calendar;
pub(crate) mod cases;
pub(crate) mod deliberation;
mod documents;
mod files;
mod exclusive;
pub(crate) mod finances;
pub(crate) mod households;
mod ledger;
mod meeting;
mod members;
mod near_relatives;
mod payment_files;
mod payments;
pub(crate) mod queue;
mod recompute;
mod reserve_fund;
pub(crate) mod standards;
mod stats;
mod system;
pub(crate) mod temp_aid;
mod users;
mod what_if;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{CmdError, CmdResult, ErrorCode};
pub use crate::progress::{self, Progress, ProgressSink};
pub use crate::session::Session;
pub(crate) use crate::session::Stamp;

type Handler = fn(&mut Session, Value) -> CmdResult<Value>;

/// A named command: what the faces call, what it replies, one line on what it does.
pub struct Command {
    pub name: &'static str,
    pub summary: &'static str,
    handler: Handler,
    /// The JSON schema of the handler's typed reply; docs/commands.md's examples are checked
    /// against it.
    pub reply_schema: fn() -> schemars::Schema,
}

/// The schema of the reply type a handler returns, inferred from the handler itself.
fn schema_of<R: schemars::JsonSchema>(
    _: &impl Fn(&mut Session, Value) -> CmdResult<R>,
) -> schemars::Schema {
    schemars::schema_for!(R)
}

/// A table row: the handler returns its own typed reply, serialised here and nowhere else.
macro_rules! command {
    ($name:literal, $handler:path, $summary:literal) => {
        Command {
            name: $name,
            summary: $summary,
            handler: |s, v| output($handler(s, v)?),
            reply_schema: || schema_of(&$handler),
        }
    };
}

/// Every command. docs/commands.md documents each, with an example checked against its reply.
#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    command!("auth.status", auth::status, "Whether the database has users, and who is signed in"),
    command!("auth.setup", auth::setup, "First run: create the county and the administrator"),
    command!("auth.sign_in", auth::sign_in, "Sign in with username and password"),
    command!("auth.sign_out", auth::sign_out, "Sign out"),
    command!("auth.change_password", auth::change_password, "Change one's own password"),
    command!("user.list", users::list, "All users (administrator)"),
    command!("user.create", users::create, "Create a user (administrator)"),
    command!("user.update", users::update, "Change a user's name, role, area or active flag (administrator)"),
    command!("user.reset_password", users::reset_password, "Set a new password for a user (administrator)"),
    command!("area.list", areas::list, "The area tree as a flat list"),
    command!("area.create", areas::create, "Add a township, village or group (administrator)"),
    command!("area.update", areas::update, "Rename an area, set urban/rural, deactivate (administrator)"),
    command!("registry.choices", households::choices, "Codes and Chinese labels for the registry's fields"),
    command!("id.check", households::id_check, "Validate a resident ID number; birth date and sex from it"),
    command!("household.search", households::search, "Search households by name, ID prefix, pinyin initials, village"),
    command!("household.get", households::get, "One household with its members and membership history"),
    command!("household.create", households::create, "Register a household with its head and members"),
    command!("household.update", households::update, "Change address, village, hukou, phone, bank"),
    command!("household.set_head", members::set_head, "Make another open member the household head"),
    command!("member.add", members::member_add, "Add a person to a household (new or returning)"),
    command!("member.update", members::member_update, "Correct a member's personal data"),
    command!("member.leave", members::member_leave, "A member leaves the household (kept as history)"),
    command!("member.death", members::member_death, "Record a member's death (kept as history)"),
    command!("member.assess_self_care", members::assess_self_care, "Six-item self-care assessment; sets the member's self-care level"),
    command!("finances.get", finances::get, "A household's itemised income, rigid expenditure and assets"),
    command!("finances.set", finances::set, "Replace a household's income, expenditure and assets statement"),
    command!("standard.catalogue", standards::catalogue, "Every standard key: label, kind of value, per urban/rural, default"),
    command!("standard.list", standards::list, "Every stored standard value, marking those in force"),
    command!("standard.set", standards::set, "Enter a standard value from a date (administrator)"),
    command!("standard.withdraw", standards::withdraw, "Withdraw a value not yet in force (administrator)"),
    command!("standard.export", standards::export, "The whole set of standards as JSON"),
    command!("standard.import", standards::import, "Add an exported set of standards (administrator)"),
    command!("benefit.calculate", benefits::calculate, "One programme's amount for a household and month, with its calculation trail"),
    command!("benefit.classify", benefits::classify, "Suggest 低保 / 单人保 / 低保边缘 / 特困 / not eligible, with reasons"),
    command!("benefit.what_if", what_if::what_if, "Which households' 低保 changes under a new standard, and the budget change"),
    command!("recompute.preview", recompute::preview, "调标: which open cases' amounts change under the standards from a month, and the back pay"),
    command!("recompute.submit", recompute::submit, "调标: freeze the list as a batch waiting for a second approver"),
    command!("recompute.confirm", recompute::confirm, "调标: a second county approver makes the batch's new amounts effective"),
    command!("recompute.cancel", recompute::cancel, "调标: cancel a pending batch"),
    command!("recompute.list", recompute::list, "调标 batches, newest first, with their lists"),
    command!("case.create", cases::create, "Register a 低保/特困 application for a household"),
    command!("case.get", cases::get, "One case: its data, amounts, deadline, the steps this user may take, the timeline"),
    command!("case.list", cases::list, "Cases by household, programme, state or township"),
    command!("case.act", cases::act, "Take one step on a case (accept, survey, review, notice, approve, exit, …)"),
    command!("document.approval_form", documents::approval_form, "Save a 低保/特困 case's 审批表 as PDF"),
    command!("document.temp_aid_form", documents::temp_aid_form, "Save a 临时救助 case's 审批表 as PDF"),
    command!("document.refusal_notice", documents::refusal_notice, "Save a refused case's 不予批准通知书 as PDF"),
    command!("document.notice", documents::notice, "Save the 公示 sheet of a village or township's cases on notice as PDF"),
    command!("document.deliberation_application", documents::deliberation_application, "Save a 一事一议 case's 申报表 as PDF"),
    command!("document.meeting_minutes", documents::meeting_minutes, "Save the 会议纪要 of the meeting that decided a 一事一议 case as PDF"),
    command!("document.open", documents::open, "Open a saved PDF or spreadsheet in the system's viewer (to read and print it)"),
    command!("document.folder", documents::folder, "The folder documents are saved in by default"),
    command!("work.queue", queue::queue, "待我处理: cases awaiting the signed-in user, overdue first"),
    command!("near_relative.list", near_relatives::list, "近亲属备案: declared near relatives of staff and village cadres"),
    command!("near_relative.file", near_relatives::file, "Record a near-relative declaration"),
    command!("near_relative.withdraw", near_relatives::withdraw, "Withdraw a declaration with a reason (county)"),
    command!("calendar.list", calendar::list, "A year's public holidays and make-up workdays"),
    command!("calendar.set", calendar::set, "Mark a weekday as holiday or a weekend day as workday (administrator)"),
    command!("calendar.remove", calendar::remove, "Remove a calendar entry (administrator)"),
    command!("workflow.settings", calendar::settings, "The workflow's time limits (notice days, working-day deadlines)"),
    command!("workflow.set_settings", calendar::set_settings, "Change the time limits (administrator)"),
    command!("audit.list", system::audit_list, "Audit rows, newest first, or those of one entity"),
    command!("audit.verify", system::audit_verify, "Check the audit hash chain; report the first broken link"),
    command!("system.info", system::info, "Database path, schema version and counts"),
    command!("system.backup", system::backup, "Copy the database to a new file (administrator)"),
    command!("deliberation.file", deliberation::file, "File a 一事一议 申报表 for a household"),
    command!("deliberation.get", deliberation::get, "One 一事一议 case with the steps this user may take and its timeline"),
    command!("deliberation.list", deliberation::list, "一事一议 cases, newest first, optionally by state"),
    command!("deliberation.act", deliberation::act, "Take a step on a 一事一议 case (review, return, sign-off, 公示, pay, visit, close)"),
    command!("deliberation.settings", deliberation::settings, "Member units, quorum and majority rules, member-unit users"),
    command!("deliberation.set_settings", deliberation::set_settings, "Change member units, quorum, majority and member-unit users (administrator)"),
    command!("meeting.create", meeting::create, "Convene a coordination meeting, inviting the member units"),
    command!("meeting.get", meeting::get, "One meeting: agenda, attendance, opinions, tallies, decisions"),
    command!("meeting.list", meeting::list, "Coordination meetings, open ones first"),
    command!("meeting.add_item", meeting::add_item, "Put a reviewed 一事一议 case on a meeting's agenda"),
    command!("meeting.attendance", meeting::attendance, "Mark a member unit present or absent"),
    command!("meeting.opinion", meeting::opinion, "Record a unit's opinion and commitment on a case"),
    command!("meeting.decide", meeting::decide, "Record the meeting's decision on a case, with the minutes"),
    command!("meeting.close", meeting::close, "Close a meeting; undecided cases leave the agenda"),
    command!("temp_aid.choices", temp_aid::choices, "临时救助 kinds, causes, states and step codes with their labels"),
    command!("temp_aid.create", temp_aid::create, "Register a 临时救助 application; warns of the same cause this year"),
    command!("temp_aid.get", temp_aid::get, "One 临时救助 case: quota, plan, this user's actions, timeline"),
    command!("temp_aid.list", temp_aid::list, "临时救助 cases, overdue first; or those waiting for this user"),
    command!("temp_aid.act", temp_aid::act, "Take one step on a 临时救助 case"),
    command!("reserve_fund.get", reserve_fund::get, "Reserve-fund balances per township and one township's entries"),
    command!("reserve_fund.top_up", reserve_fund::top_up, "Record a top-up of a township's reserve fund (county)"),
    command!("reserve_fund.adjust", reserve_fund::adjust, "Record a refund to or an adjustment of a reserve fund (county)"),
    command!("payment.batch_grant", payments::batch_grant, "Record a month's 价格临时补贴 or 一次性生活补贴 before the run"),
    command!("payment.run", payments::run, "Run a month's payments: monthly amounts, back pay, grants, stages, re-sends"),
    command!("payment.get", payments::get, "A month's payments: totals, differences from last month, failures"),
    command!("payment.collective_account", payments::collective, "Where 集中供养 特困 is paid: the institution's collective account"),
    command!("payment.set_collective_account", payments::set_collective, "Set or clear the collective account of 集中供养 (administrator)"),
    command!("payment.review", payments::review, "Mark a month's differences reviewed (county approver)"),
    command!("payment.lock", payments::lock, "Lock a reviewed month; it is immutable afterwards"),
    command!("payment.confirm_back_pay", payments::confirm_back_pay, "Confirm back pay held beyond the county's limit, with a reason (an approver other than the case's and the run's)"),
    command!("payment.adjust", payments::adjust, "Record a correction paid in a later (unlocked) month"),
    command!("payment.roster", payment_files::roster, "Write a locked month's 发放花名册 (xlsx or CSV) for the bank"),
    command!("payment.bank_return", payment_files::bank_return, "Import the bank's return file: mark payments paid or failed"),
    command!("stats.month", stats::month, "A run month's statistics by township × programme × urban/rural, with the last 12 months"),
    command!("stats.export", stats::export, "Write a run month's statistics as .xlsx or PDF (with the 12-month chart)"),
    command!("ledger.preview", ledger::preview, "Read a 低保/特困 ledger file's header and first rows; propose the column mapping"),
    command!("ledger.import", ledger::import, "Check every row of a ledger and import the valid ones in one transaction (or a dry run)"),
];

/// Run one named command.
pub fn call(session: &mut Session, name: &str, input: Value) -> CmdResult<Value> {
    let command = COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| {
        CmdError::new(ErrorCode::UnknownCommand, format!("没有名为 {name} 的命令"))
    })?;
    if let Some(user) = &session.user {
        crate::auth::check_password_set(user, name)?;
    }
    if UNLOCKED.contains(&name) {
        return (command.handler)(session, input);
    }
    // Every other command loads, decides and writes under the write lock (db::begin_command):
    // on a county server many sessions share the file, and a state read before the lock is a
    // lost update when another session changes it before this one writes.
    let claim = exclusive::claim(session, name, &input)?;
    let gate = crate::db::enter_gate(session.path.as_deref());
    let reply = gate.and_then(|_gate| {
        crate::db::begin_command(&session.conn)?;
        let reply = (command.handler)(session, input);
        let end = crate::db::end_command(&session.conn);
        let reply = reply?;
        end.map(|()| reply)
    });
    if let Some(c) = claim {
        exclusive::release(session, c);
    }
    reply
}

/// Commands that run without the command-long write lock: they only read; or they write a file
/// and append the audit row of what they made, deciding nothing on what they read (holding the
/// lock through a county's roster or a PDF would keep every desktop waiting); or they sign in and
/// out (a password hash is slow on purpose, and decides on nothing another session changes).
/// Their own `with_tx` writes are still IMMEDIATE transactions.
#[rustfmt::skip]
const UNLOCKED: &[&str] = &[
    "auth.status", "auth.sign_in", "auth.sign_out", "auth.change_password",
    "user.list", "area.list", "registry.choices", "id.check", "household.search", "household.get",
    "finances.get", "standard.catalogue", "standard.list", "standard.export",
    "benefit.calculate", "benefit.classify", "benefit.what_if",
    "case.get", "case.list",
    "document.approval_form", "document.temp_aid_form", "document.refusal_notice",
    "document.notice", "document.deliberation_application", "document.meeting_minutes",
    "document.open", "document.folder",
    "work.queue", "near_relative.list", "calendar.list", "workflow.settings",
    "audit.list", "audit.verify", "system.info", "system.backup",
    "deliberation.get", "deliberation.list", "deliberation.settings",
    "meeting.get", "meeting.list",
    "temp_aid.choices", "temp_aid.get", "temp_aid.list", "reserve_fund.get",
    "payment.get", "payment.collective_account", "payment.roster",
    "stats.month", "stats.export", "ledger.preview",
];

#[cfg(test)]
mod lock_tests {
    #[test]
    fn every_unlocked_name_is_a_command() {
        for name in super::UNLOCKED {
            assert!(
                super::COMMANDS.iter().any(|c| c.name == *name),
                "{name} is not a command"
            );
        }
    }
}

/// A file name's extension in lower case ("" when it has none).
pub(crate) fn file_ext(path: &std::path::Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}

/// Deserialize a command's input; a malformed field is named in the error.
pub(crate) fn input<T: DeserializeOwned>(v: Value) -> CmdResult<T> {
    let v = if v.is_null() {
        Value::Object(Default::default())
    } else {
        v
    };
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if let Some(missing) = inner
            .strip_prefix("missing field `")
            .and_then(|s| s.split('`').next())
        {
            let field = if path == "." {
                missing.to_owned()
            } else {
                format!("{path}.{missing}")
            };
            CmdError::invalid(&field, format!("缺少必填项 {field}"))
        } else if inner.starts_with("unknown field") {
            let field = inner.split('`').nth(1).unwrap_or("?").to_owned();
            CmdError::invalid(&field, format!("不认识的输入项 {field}"))
        } else {
            CmdError::invalid(&path, format!("输入项 {path} 的类型或格式不对：{inner}"))
        }
    })
}

pub(crate) fn output<T: Serialize>(v: T) -> CmdResult<Value> {
    serde_json::to_value(v).map_err(|e| CmdError::internal(format!("结果无法序列化：{e}")))
}

/// JSON text of a record to store (a step's data, an audit row).
pub(crate) fn json_text<T: Serialize>(v: &T) -> CmdResult<String> {
    serde_json::to_string(v).map_err(|e| CmdError::internal(format!("记录无法序列化：{e}")))
}
