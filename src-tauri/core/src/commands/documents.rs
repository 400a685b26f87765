//! Printed documents of cases: the 审批表, the 公示 sheet of a village or township, the 不予批准
//! 通知书 and the 一事一议 申报表 and 会议纪要. Each command loads the records through the store,
//! fills the document's data ([`crate::documents::fill`]), renders it ([`crate::documents`]) and
//! saves it where the user chooses (written aside, then renamed), or returns its bytes
//! (`deliver: "bytes"`, [`super::files`]). Each document made is a step on the case's timeline and
//! an audit row: who printed what, when (and where, or the file's name and SHA-256).

use std::path::Path;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::files::{Deliver, Dest, Where};
use super::{input, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::documents::fill::{self, Basis, FamilyRecords, NoticeEntry, NoticePlace, UserNames};
use crate::documents::{self};
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::month::Month;
use crate::store::cases::Filter;
use crate::store::registry::Household;
use crate::store::timeline::{NewStep, Timeline};
use crate::store::{self};

const STAFF: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];

/// A document saved.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SavedReply {
    /// Where it was saved (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    bytes: usize,
    /// 审批表, 公示, …
    document: String,
    /// The PDF itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

/// The step data and audit row of a document made.
#[derive(Serialize)]
struct Made<'a> {
    document: &'a str,
    #[serde(flatten)]
    at: Where,
}

/// Where a document goes: the path given, `deliver: "bytes"`, or by default `name` in the
/// documents folder (embedded mode, as always).
fn dest(path: Option<&str>, deliver: Option<Deliver>, name: &str) -> CmdResult<Dest> {
    Ok(match Dest::optional("path", path, deliver)? {
        Some(Dest::Bytes) => Dest::Bytes,
        _ => Dest::Path(documents::save_path(path, name)?),
    })
}

fn household(s: &Session, id: i64) -> CmdResult<Household> {
    store::registry::household(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {id} 不存在")))
}

/// The user may print for a case of `township_id` (township staff: their own township only).
fn own_township(s: &Session, what: &str, township_id: i64) -> CmdResult<()> {
    let user = s.require(STAFF, what)?;
    if user.role.works_in_township() && user.area_id != township_id {
        return Err(CmdError::forbidden("此案件不属于您所在的乡镇"));
    }
    Ok(())
}

fn county_name(s: &Session) -> CmdResult<String> {
    Ok(store::areas::county(&s.conn)?
        .map(|a| a.name)
        .unwrap_or_default())
}

fn user_names(s: &Session) -> CmdResult<UserNames> {
    Ok(store::users::all(&s.conn)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn head_facts(s: &Session, h: &Household) -> CmdResult<Option<crate::registry::PersonFacts>> {
    Ok(h.head_id
        .map(|p| store::registry::person(&s.conn, p))
        .transpose()?
        .flatten()
        .map(|p| p.facts))
}

fn this_month(s: &Session) -> NaiveDate {
    Month::of(s.clock.today()).first_day()
}

/// Save the PDF, then record it on each case's timeline with its audit row, in one transaction.
fn save(
    s: &mut Session,
    t: Timeline,
    case_ids: &[i64],
    what: &str,
    (dest, name): (Dest, String),
    bytes: Vec<u8>,
) -> CmdResult<SavedReply> {
    let saved = dest.put("path", &name, &bytes)?;
    let user_id = s.user()?.id;
    let stamp = Stamp::of(s)?;
    let made = Made {
        document: what,
        at: saved.audit(),
    };
    let data = super::json_text(&made)?;
    with_tx(&mut s.conn, |tx| {
        for &id in case_ids {
            let (state, entity) = match t {
                Timeline::Case => (
                    Some(
                        store::cases::get(tx, id)?
                            .ok_or_else(|| CmdError::not_found(format!("案件 {id} 不存在")))?
                            .state,
                    ),
                    "case",
                ),
                Timeline::TempAid => (
                    store::temp_aid::get(tx, id)?.map(|c| c.state),
                    "temp_aid_case",
                ),
                Timeline::Deliberation => (
                    store::deliberation::get_case(tx, id)?.map(|c| c.state),
                    "deliberation_case",
                ),
            };
            let state = state.unwrap_or_default();
            let step = NewStep {
                action: "document",
                from_state: &state,
                to_state: &state,
                user_id,
                at: &stamp.at,
                data: &data,
            };
            store::timeline::append(tx, t, id, &step)?;
            stamp.record_new(tx, "document", entity, Some(id), &made)?;
        }
        Ok(())
    })?;
    Ok(SavedReply {
        path: saved.path,
        bytes: bytes.len(),
        document: what.to_owned(),
        file: saved.file,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDocIn {
    case_id: i64,
    path: Option<String>,
    deliver: Option<Deliver>,
}

pub(crate) fn approval_form(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    let i: CaseDocIn = input(v)?;
    let c = case(s, i.case_id)?;
    let h = household(s, c.household_id)?;
    let memberships = store::registry::memberships(&s.conn, h.id)?;
    let finances = store::finances::get(&s.conn, h.id)?;
    let records = FamilyRecords {
        household: &h,
        memberships: &memberships,
        finances: &finances,
    };
    // A family without a head is refused before the rules are asked for an estimate.
    fill::family(&records)?;
    let amounts = store::cases::amounts(&s.conn, c.id)?;
    let basis = match amounts.last() {
        Some(a) => Basis::Kept(a),
        None => {
            let (amount_fen, persons, trail) = super::cases::rules_amount(s, &c, this_month(s))?;
            Basis::Estimated {
                amount_fen,
                persons,
                trail,
            }
        }
    };
    let form = fill::approval_form(&c, &records, basis, &county_name(s)?, &user_names(s)?)?;
    let path = to(&i.path, i.deliver, &format!("{}-审批表.pdf", c.number))?;
    let bytes = documents::approval_form(&form)?;
    save(s, Timeline::Case, &[c.id], "审批表", path, bytes)
}

/// The destination and file name of a document.
fn to(path: &Option<String>, deliver: Option<Deliver>, name: &str) -> CmdResult<(Dest, String)> {
    Ok((dest(path.as_deref(), deliver, name)?, name.to_owned()))
}

/// A 低保/特困 case the user may print for.
fn case(s: &Session, id: i64) -> CmdResult<store::cases::CaseRow> {
    s.require(STAFF, "打印案件文书")?;
    let c = store::cases::get(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("案件 {id} 不存在")))?;
    own_township(s, "打印案件文书", c.township_id)?;
    Ok(c)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocIn {
    id: i64,
    path: Option<String>,
    deliver: Option<Deliver>,
}

pub(crate) fn temp_aid_form(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    s.require(STAFF, "打印临时救助审批表")?;
    let i: DocIn = input(v)?;
    let c = store::temp_aid::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {} 不存在", i.id)))?;
    own_township(s, "打印临时救助审批表", c.township_id)?;
    let h = household(s, c.household_id)?;
    let memberships = store::registry::memberships(&s.conn, h.id)?;
    let finances = store::finances::get(&s.conn, h.id)?;
    let records = FamilyRecords {
        household: &h,
        memberships: &memberships,
        finances: &finances,
    };
    let form = fill::temp_aid_form(&c, &records, &county_name(s)?, &user_names(s)?)?;
    let path = to(
        &i.path,
        i.deliver,
        &format!("{}-临时救助审批表.pdf", c.number),
    )?;
    let bytes = documents::approval_form(&form)?;
    save(s, Timeline::TempAid, &[c.id], "临时救助审批表", path, bytes)
}

pub(crate) fn refusal_notice(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    let i: CaseDocIn = input(v)?;
    let c = case(s, i.case_id)?;
    let h = household(s, c.household_id)?;
    let head = head_facts(s, &h)?.map(|f| f.name).unwrap_or_default();
    let notice = fill::refusal_notice(&c, &head, &county_name(s)?, s.clock.today())?;
    let path = to(
        &i.path,
        i.deliver,
        &format!("{}-不予批准通知书.pdf", c.number),
    )?;
    let bytes = documents::refusal_notice(&notice)?;
    save(s, Timeline::Case, &[c.id], "不予批准通知书", path, bytes)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeIn {
    /// A village (村/社区) or a township: the cases on notice there.
    area_id: i64,
    programme: String,
    complaint_phone: String,
    complaint_address: String,
    path: Option<String>,
    deliver: Option<Deliver>,
}

pub(crate) fn notice(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    let user = s.require(STAFF, "打印公示")?.clone();
    let i: NoticeIn = input(v)?;
    let area = store::areas::get(&s.conn, i.area_id)?
        .ok_or_else(|| CmdError::invalid("area_id", format!("区划 {} 不存在", i.area_id)))?;
    let (township_id, village_id) = fill::notice_area(&area)?;
    if user.role.works_in_township() && user.area_id != township_id {
        return Err(CmdError::forbidden("只能打印本乡镇（街道）的公示"));
    }
    fill::notice_input(&i.programme, &i.complaint_phone, &i.complaint_address)?;
    let cases = store::cases::list(
        &s.conn,
        &Filter {
            township_id: Some(township_id),
            programme: Some(i.programme.clone()),
            states: Some(vec!["on_notice".into()]),
            ..Filter::default()
        },
    )?;
    let settings = store::calendar::workflow_settings(&s.conn)?;
    let notice_days = settings.notice_days;
    let notice_calendar = settings.notice_calendar(&store::calendar::load(&s.conn)?);
    // The cases on notice in the place, each with its household, head and amount.
    let mut entries = vec![];
    for c in cases {
        let Some(h) = store::registry::household(&s.conn, c.household_id)? else {
            continue;
        };
        if village_id.is_some_and(|v| h.facts.village_id != v) {
            continue;
        }
        let Some(notice_end) =
            crate::workflow::case_row::notice_end_of(&c, notice_days, notice_calendar.as_ref())
        else {
            continue;
        };
        let (amount_fen, persons, _) = super::cases::rules_amount(s, &c, this_month(s))?;
        let head = h
            .head_id
            .map(|p| store::registry::person(&s.conn, p))
            .transpose()?
            .flatten();
        entries.push(NoticeEntry {
            notice_end,
            case: c,
            household: h,
            head,
            amount_fen,
            persons,
        });
    }
    let county = county_name(s)?;
    let township = store::areas::get(&s.conn, township_id)?
        .map(|a| a.name)
        .unwrap_or_default();
    let place = NoticePlace {
        county: &county,
        township: &township,
        village: village_id.map(|_| area.name.as_str()),
        area_name: &area.name,
        programme: &i.programme,
        complaint_phone: &i.complaint_phone,
        complaint_address: &i.complaint_address,
        today: s.clock.today(),
    };
    let (doc, ids) = fill::notice(&place, &entries)?;
    let name = format!("{}-公示-{}.pdf", fill::place_name(&place), doc.period_from);
    let path = to(&i.path, i.deliver, &name)?;
    let bytes = documents::notice(&doc)?;
    save(s, Timeline::Case, &ids, "公示", path, bytes)
}

/// A 一事一议 case the user may print for, and its household.
fn deliberation_case(s: &Session, id: i64) -> CmdResult<(store::deliberation::CaseRow, Household)> {
    s.require(STAFF, "打印一事一议文书")?;
    let c = store::deliberation::get_case(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("一事一议案件 {id} 不存在")))?;
    own_township(s, "打印一事一议文书", c.township_id)?;
    let h = household(s, c.household_id)?;
    Ok((c, h))
}

pub(crate) fn deliberation_application(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    let i: DocIn = input(v)?;
    let (c, h) = deliberation_case(s, i.id)?;
    let head = head_facts(s, &h)?;
    // The aid the household's own cases record, beside what the filer typed.
    let cases = store::cases::list(
        &s.conn,
        &store::cases::Filter {
            household_id: Some(h.id),
            ..Default::default()
        },
    )?
    .into_iter()
    .map(|a| Ok((store::cases::amounts(&s.conn, a.id)?, a)))
    .map(|r: CmdResult<_>| r.map(|(amounts, a)| (a, amounts)))
    .collect::<CmdResult<Vec<_>>>()?;
    let temp = store::temp_aid::list(
        &s.conn,
        &store::temp_aid::Filter {
            household_id: Some(h.id),
            ..Default::default()
        },
    )?
    .into_iter()
    .map(|t| Ok((store::temp_aid::stages(&s.conn, t.id)?, t)))
    .map(|r: CmdResult<_>| r.map(|(stages, t)| (t, stages)))
    .collect::<CmdResult<Vec<_>>>()?;
    let recorded = fill::recorded_aid(c.filed_on, &cases, &temp);
    let doc = fill::deliberation_application(
        &c,
        &h,
        head.as_ref(),
        recorded,
        &county_name(s)?,
        &user_names(s)?,
    )?;
    let path = to(
        &i.path,
        i.deliver,
        &format!("{}-一事一议申报表.pdf", c.number),
    )?;
    let bytes = documents::deliberation_application(&doc)?;
    save(
        s,
        Timeline::Deliberation,
        &[c.id],
        "一事一议申报表",
        path,
        bytes,
    )
}

pub(crate) fn meeting_minutes(s: &mut Session, v: Value) -> CmdResult<SavedReply> {
    let i: DocIn = input(v)?;
    let (c, h) = deliberation_case(s, i.id)?;
    let meeting_id = fill::minutes_meeting(&c)?;
    let m = store::deliberation::get_meeting(&s.conn, meeting_id)?
        .ok_or_else(|| CmdError::not_found(format!("会议 {meeting_id} 不存在")))?;
    let attendance = store::deliberation::attendance(&s.conn, meeting_id)?;
    let opinions = store::deliberation::opinions(&s.conn, meeting_id)?;
    let head = head_facts(s, &h)?;
    let doc = fill::meeting_minutes(
        &c,
        &m,
        &attendance,
        &opinions,
        head.as_ref(),
        &county_name(s)?,
    )?;
    let path = to(&i.path, i.deliver, &format!("{}-会议纪要.pdf", c.number))?;
    let bytes = documents::meeting_minutes(&doc)?;
    save(s, Timeline::Deliberation, &[c.id], "会议纪要", path, bytes)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenIn {
    path: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct OpenedReply {
    opened: String,
}

/// Open a saved PDF or spreadsheet with the system's viewer (to look at it and print it).
pub(crate) fn open(s: &mut Session, v: Value) -> CmdResult<OpenedReply> {
    s.user()?;
    let i: OpenIn = input(v)?;
    let p = documents::open_in_viewer(Path::new(i.path.trim()))?;
    Ok(OpenedReply {
        opened: p.display().to_string(),
    })
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct FolderReply {
    folder: String,
}

/// The default folder documents are saved in.
pub(crate) fn folder(s: &mut Session, _: Value) -> CmdResult<FolderReply> {
    s.user()?;
    Ok(FolderReply {
        folder: documents::default_dir().display().to_string(),
    })
}
