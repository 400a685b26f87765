//! Printed documents of 低保/特困 cases: the 审批表, the 公示 sheet of a village or township and
//! the 不予批准通知书, filled from the case, the registry and the rules, rendered by
//! [`crate::documents`] and saved where the user chooses (written aside, then renamed). Each
//! document made is a step on the case's timeline and an audit row: who printed what, when.

use crate::programme::Programme;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{input, output, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::documents::{
    self, AidReceived, ApprovalForm, AssistanceProgramme, Decision, DeliberationApplication,
    FamilyInfo, IncomeItem, Investigation, MeetingMinutes, Member, Notice, NoticeRow, Outcome,
    RefusalNotice, SignOff, SignOffRole, Stance, TrailEntry, UnitOpinion,
};
use crate::error::{CmdError, CmdResult};
use crate::registry;
use crate::rules::money::yuan_text;
use crate::store::cases::{CaseRow, Filter, Step};
use crate::store::registry::Household;
use crate::store::timeline::{NewStep, Timeline};
use crate::store::{self};

const STAFF: &[Role] = &[
    Role::Caseworker,
    Role::Reviewer,
    Role::Approver,
    Role::Admin,
];

/// Where documents are saved unless the user says otherwise: 文档\兜底 (Documents/兜底).
pub(crate) fn default_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("兜底")
}

fn target(path: &Option<String>, name: &str) -> CmdResult<PathBuf> {
    let p = match path.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => PathBuf::from(p),
        None => default_dir().join(name),
    };
    if super::file_ext(&p) != "pdf" {
        return Err(CmdError::invalid("path", "文件名须以 .pdf 结尾"));
    }
    if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CmdError::invalid("path", format!("无法创建文件夹 {}：{e}", dir.display()))
        })?;
    }
    Ok(p)
}

fn load(s: &Session, case_id: i64) -> CmdResult<(CaseRow, Household)> {
    let user = s.require(STAFF, "打印案件文书")?;
    let c = store::cases::get(&s.conn, case_id)?
        .ok_or_else(|| CmdError::not_found(format!("案件 {case_id} 不存在")))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden("此案件不属于您所在的乡镇"));
    }
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    Ok((c, h))
}

fn county_name(s: &Session) -> CmdResult<String> {
    Ok(store::areas::county(&s.conn)?
        .map(|a| a.name)
        .unwrap_or_default())
}

fn user_name(s: &Session, id: Option<i64>) -> CmdResult<String> {
    Ok(match id {
        Some(id) => store::users::get(&s.conn, id)?
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// Save the PDF and record it on the case: a timeline step and an audit row.
fn save_and_record(
    s: &mut Session,
    case_ids: &[i64],
    what: &str,
    path: PathBuf,
    bytes: Vec<u8>,
) -> CmdResult<Value> {
    documents::write_atomically(&path, &bytes)?;
    let user = s.user()?.clone();
    let stamp = Stamp::of(s)?;
    let shown = path.display().to_string();
    with_tx(&mut s.conn, |tx| {
        for id in case_ids {
            let c = store::cases::get(tx, *id)?
                .ok_or_else(|| CmdError::not_found(format!("案件 {id} 不存在")))?;
            let data = json!({"document": what, "path": shown});
            store::cases::add_step(
                tx,
                &Step {
                    id: 0,
                    case_id: c.id,
                    action: "document".into(),
                    from_state: c.state.clone(),
                    to_state: c.state.clone(),
                    user_id: user.id,
                    at: stamp.at.clone(),
                    data: data.to_string(),
                },
            )?;
            stamp.record(tx, "document", "case", Some(c.id), None, Some(&data))?;
        }
        Ok(())
    })?;
    output(json!({"path": shown, "bytes": bytes.len(), "document": what}))
}

/// A document made, as a step on a 临时救助 or 一事一议 timeline (the state does not change).
fn on_timeline(
    tx: &rusqlite::Connection,
    t: Timeline,
    case_id: i64,
    state: &str,
    user_id: i64,
    at: &str,
    data: &Value,
) -> CmdResult<i64> {
    let data = data.to_string();
    let step = NewStep {
        action: "document",
        from_state: state,
        to_state: state,
        user_id,
        at,
        data: &data,
    };
    store::timeline::append(tx, t, case_id, &step)
}

// ---- 审批表 ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseDocIn {
    case_id: i64,
    path: Option<String>,
}

/// The family block of a 审批表: head, address, hukou, phone; open members; income items.
fn family_parts(
    s: &Session,
    h: &Household,
) -> CmdResult<(FamilyInfo, Vec<Member>, Vec<IncomeItem>)> {
    let members: Vec<_> = store::registry::memberships(&s.conn, h.id)?
        .into_iter()
        .filter(|m| m.left_on.is_none())
        .collect();
    let name_of = |pid: i64| {
        members
            .iter()
            .find(|m| m.person.id == pid)
            .map(|m| m.person.facts.name.clone())
            .unwrap_or_default()
    };
    let fin = store::finances::get(&s.conn, h.id)?;
    let incomes = fin
        .incomes
        .iter()
        .map(|i| {
            let annual = if i.period == "annual" {
                i.amount_fen
            } else {
                i.amount_fen * 12
            };
            IncomeItem {
                member: name_of(i.person_id),
                kind: registry::label(registry::INCOME_KINDS, &i.kind)
                    .unwrap_or("其他")
                    .to_owned(),
                annual_amount: yuan_text(annual),
                note: if i.exempt {
                    format!("豁免：{}", i.exempt_reason.clone().unwrap_or_default())
                } else {
                    "计入".into()
                },
            }
        })
        .collect();
    let head = h
        .head_id
        .map(name_of)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| CmdError::invalid("case_id", "此家庭没有户主，审批表缺少申请人"))?;
    let family = FamilyInfo {
        head,
        address: h.facts.address.clone(),
        hukou: if h.facts.hukou == "urban" {
            "城镇"
        } else {
            "农村"
        }
        .into(),
        phone: h.facts.phone.clone().unwrap_or_default(),
    };
    let members = members
        .iter()
        .map(|m| Member {
            name: m.person.facts.name.clone(),
            relation: registry::label(registry::RELATIONS, &m.relation)
                .unwrap_or("其他")
                .to_owned(),
            id_number: m.person.facts.id_number.clone(),
            note: member_note(&m.person.facts),
        })
        .collect();
    Ok((family, members, incomes))
}

fn approval_form_of(s: &Session, c: &CaseRow, h: &Household) -> CmdResult<ApprovalForm> {
    let (family, members, incomes) = family_parts(s, h)?;
    // The approved amount's trail; before approval, the amount the rules give for next month.
    let amounts = store::cases::amounts(&s.conn, c.id)?;
    let (trail, result) = match amounts.last() {
        Some(a) => {
            let lines: Vec<TrailEntry> = serde_json::from_str::<Vec<Value>>(&a.trail)
                .unwrap_or_default()
                .iter()
                .map(|l| TrailEntry {
                    text: l["text"].as_str().unwrap_or_default().to_owned(),
                    amount: l["amount"].as_str().map(str::to_owned),
                })
                .collect();
            let result = format!(
                "{} 起保障 {} 人，月保障金 {} 元",
                a.from_month,
                a.persons,
                crate::rules::money::fmt_yuan(a.amount_fen)
            );
            (lines, result)
        }
        None => {
            let today = s.clock.today();
            let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
            let (amount, persons, trail) = super::cases::rules_amount(s, c, month)?;
            let lines = trail
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|l| TrailEntry {
                    text: l["text"].as_str().unwrap_or_default().to_owned(),
                    amount: l["amount"].as_str().map(str::to_owned),
                })
                .collect();
            (
                lines,
                format!(
                    "按现行标准测算：拟保障 {persons} 人，月保障金 {} 元",
                    yuan_text(amount)
                ),
            )
        }
    };
    let (Some(survey_on), Some(findings)) = (c.survey_on, c.survey_findings.clone()) else {
        return Err(CmdError::invalid(
            "case_id",
            "此案件还没有登记入户调查，审批表缺少调查情况；请先登记入户调查",
        ));
    };
    let mut investigators = vec![];
    for id in &c.investigator_ids {
        investigators.push(user_name(s, Some(*id))?);
    }
    let mut sign_offs = vec![SignOff {
        role: SignOffRole::Caseworker,
        opinion: format!("经入户调查和家庭经济状况核对，{findings}"),
        signer: user_name(s, c.accepted_by.or(Some(c.created_by)))?,
        date: survey_on,
    }];
    if let (Some(on), Some(opinion)) = (c.reviewed_on, c.review_opinion.clone()) {
        sign_offs.push(SignOff {
            role: SignOffRole::Township,
            opinion,
            signer: user_name(s, c.reviewed_by)?,
            date: on,
        });
    }
    if let Some(on) = c.decided_on {
        let opinion = match &c.refusal_reasons {
            Some(r) => format!("不同意。{r}"),
            None => format!(
                "同意纳入，自 {} 起发放。",
                c.pay_from.clone().unwrap_or_default()
            ),
        };
        sign_offs.push(SignOff {
            role: SignOffRole::County,
            opinion,
            signer: user_name(s, c.decided_by)?,
            date: on,
        });
    }
    Ok(ApprovalForm {
        programme: if c.programme == "tekun" {
            AssistanceProgramme::Tekun
        } else {
            AssistanceProgramme::Dibao
        },
        county: county_name(s)?,
        township: h.township_name.clone(),
        village: h.village_name.clone(),
        application_no: c.number.clone(),
        application_date: c.applied_on,
        family,
        members,
        incomes,
        trail,
        result,
        investigation: Investigation {
            date: survey_on,
            investigators,
            findings,
        },
        sign_offs,
    })
}

fn member_note(f: &registry::PersonFacts) -> String {
    let mut parts = vec![];
    if f.disability_grade.is_some() {
        parts.push("残疾".to_owned());
    }
    if f.serious_illness.as_deref().is_some_and(|x| !x.is_empty()) {
        parts.push("重病".to_owned());
    }
    if f.student.as_deref().is_some_and(|x| !x.is_empty()) {
        parts.push("在校学生".to_owned());
    }
    parts.join("、")
}

pub(crate) fn approval_form(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: CaseDocIn = input(v)?;
    let (c, h) = load(s, i.case_id)?;
    let form = approval_form_of(s, &c, &h)?;
    let path = target(&i.path, &format!("{}-审批表.pdf", c.number))?;
    let bytes = documents::approval_form(&form)?;
    save_and_record(s, &[c.id], "审批表", path, bytes)
}

// ---- 临时救助 审批表 ----

fn kind_cause(c: &store::temp_aid::TempCase) -> String {
    let kind = if c.kind == "emergency" {
        "急难型"
    } else {
        "支出型"
    };
    let cause = crate::workflow::temp::cause_label(&c.cause).unwrap_or("其他");
    format!("{kind}（{cause}）")
}

pub(crate) fn temp_aid_form(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(STAFF, "打印临时救助审批表")?.clone();
    let i: DelibDocIn = input(v)?;
    let c = store::temp_aid::get(&s.conn, i.id)?
        .ok_or_else(|| CmdError::not_found(format!("临时救助案件 {} 不存在", i.id)))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden("此案件不属于您所在的乡镇"));
    }
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    let (Some(on), Some(findings), Some(by)) =
        (c.investigated_on, c.findings.clone(), c.investigated_by)
    else {
        return Err(CmdError::invalid(
            "id",
            "此案件还没有登记入户调查（或补齐手续），审批表缺少调查情况",
        ));
    };
    let (family, members, incomes) = family_parts(s, &h)?;
    let mut trail = vec![TrailEntry {
        text: format!("救助类型：{}；{}", kind_cause(&c), c.description),
        amount: None,
    }];
    if let Some(r) = c.requested_fen {
        trail.push(TrailEntry {
            text: "申请救助金额".into(),
            amount: Some(yuan_text(r)),
        });
    }
    if c.advance_fen > 0 {
        trail.push(TrailEntry {
            text: format!(
                "先行救助（{}）",
                c.advance_on.map(|d| d.to_string()).unwrap_or_default()
            ),
            amount: Some(yuan_text(c.advance_fen)),
        });
    }
    let result = match (c.approved_fen, &c.refusal_reasons) {
        (Some(a), _) => format!("批准临时救助金 {} 元", crate::rules::money::fmt_yuan(a)),
        (None, Some(r)) => format!("不予救助：{r}"),
        _ => "尚未审批".into(),
    };
    let mut sign_offs = vec![SignOff {
        role: SignOffRole::Caseworker,
        opinion: findings.clone(),
        signer: user_name(s, Some(by))?,
        date: on,
    }];
    if let (Some(on), Some(opinion)) = (c.referred_on, c.referral_opinion.clone()) {
        sign_offs.push(SignOff {
            role: SignOffRole::Township,
            opinion,
            signer: user_name(s, c.referred_by)?,
            date: on,
        });
    }
    if let Some(on) = c.decided_on {
        let opinion = match (c.approved_fen, &c.refusal_reasons) {
            (Some(a), _) => format!("同意救助 {} 元。", crate::rules::money::fmt_yuan(a)),
            (_, Some(r)) => format!("不同意。{r}"),
            _ => String::new(),
        };
        let role = if c.decision_level.as_deref() == Some("county") {
            SignOffRole::County
        } else {
            SignOffRole::Township
        };
        sign_offs.push(SignOff {
            role,
            opinion,
            signer: user_name(s, c.decided_by)?,
            date: on,
        });
    }
    let form = ApprovalForm {
        programme: AssistanceProgramme::TempAid,
        county: county_name(s)?,
        township: h.township_name.clone(),
        village: h.village_name.clone(),
        application_no: c.number.clone(),
        application_date: c.applied_on,
        family,
        members,
        incomes,
        trail,
        result,
        investigation: Investigation {
            date: on,
            investigators: vec![user_name(s, Some(by))?],
            findings,
        },
        sign_offs,
    };
    let path = target(&i.path, &format!("{}-临时救助审批表.pdf", c.number))?;
    let bytes = documents::approval_form(&form)?;
    documents::write_atomically(&path, &bytes)?;
    let stamp = Stamp::of(s)?;
    let shown = path.display().to_string();
    let data = json!({"document": "临时救助审批表", "path": shown});
    with_tx(&mut s.conn, |tx| {
        on_timeline(
            tx,
            Timeline::TempAid,
            c.id,
            &c.state,
            user.id,
            &stamp.at,
            &data,
        )?;
        stamp.record(
            tx,
            "document",
            "temp_aid_case",
            Some(c.id),
            None,
            Some(&data),
        )
    })?;
    output(json!({"path": shown, "bytes": bytes.len(), "document": "临时救助审批表"}))
}

// ---- 不予批准通知书 ----

pub(crate) fn refusal_notice(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: CaseDocIn = input(v)?;
    let (c, h) = load(s, i.case_id)?;
    let (Some(reasons), Some(on)) = (c.refusal_reasons.clone(), c.decided_on) else {
        return Err(CmdError::invalid(
            "case_id",
            "此案件没有不予批准的决定，不能出具不予批准通知书",
        ));
    };
    let county = county_name(s)?;
    let head = match h.head_id {
        Some(p) => store::registry::person(&s.conn, p)?
            .map(|p| p.facts.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let notice = RefusalNotice {
        number: format!("{county}民政局不予批准〔{}〕{}号", on.year(), c.number),
        addressee: head,
        application_date: c.applied_on,
        programme: Programme::full_name_of(&c.programme).to_owned(),
        reasons: reasons
            .split(['\n', '；'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        review_body: format!("{county}人民政府"),
        court: format!("{county}人民法院"),
        issuing_office: format!("{county}民政局"),
        issue_date: s.clock.today(),
    };
    let path = target(&i.path, &format!("{}-不予批准通知书.pdf", c.number))?;
    let bytes = documents::refusal_notice(&notice)?;
    save_and_record(s, &[c.id], "不予批准通知书", path, bytes)
}

// ---- 公示 ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticeIn {
    /// A village (村/社区) or a township: the cases on notice there.
    area_id: i64,
    programme: String,
    complaint_phone: String,
    complaint_address: String,
    path: Option<String>,
}

pub(crate) fn notice(s: &mut Session, v: Value) -> CmdResult<Value> {
    let user = s.require(STAFF, "打印公示")?.clone();
    let i: NoticeIn = input(v)?;
    let area = store::areas::get(&s.conn, i.area_id)?
        .ok_or_else(|| CmdError::invalid("area_id", format!("区划 {} 不存在", i.area_id)))?;
    let (township_id, village_id) = match area.level {
        store::areas::Level::Township => (area.id, None),
        store::areas::Level::Village => (area.parent_id.unwrap_or_default(), Some(area.id)),
        _ => {
            return Err(CmdError::invalid(
                "area_id",
                "请选择一个乡镇（街道）或村（社区）",
            ))
        }
    };
    if user.role.works_in_township() && user.area_id != township_id {
        return Err(CmdError::forbidden("只能打印本乡镇（街道）的公示"));
    }
    if !matches!(i.programme.as_str(), "dibao" | "tekun") {
        return Err(CmdError::invalid(
            "programme",
            "救助项目应为 dibao（低保）或 tekun（特困）",
        ));
    }
    for (field, text, what) in [
        ("complaint_phone", &i.complaint_phone, "监督电话"),
        (
            "complaint_address",
            &i.complaint_address,
            "监督地址（来信来访地址）",
        ),
    ] {
        if text.trim().is_empty() {
            return Err(CmdError::invalid(field, format!("请填写{what}")));
        }
    }
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
    let today = s.clock.today();
    let month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let mut rows = vec![];
    let mut ids = vec![];
    let (mut from, mut to): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for c in &cases {
        let Some(h) = store::registry::household(&s.conn, c.household_id)? else {
            continue;
        };
        if let Some(v) = village_id {
            if h.facts.village_id != v {
                continue;
            }
        }
        let Some(start) = c.notice_start else {
            continue;
        };
        let end = crate::workflow::notice_end(start, c.notice_days.unwrap_or(settings.notice_days));
        from = Some(from.map_or(start, |f| f.min(start)));
        to = Some(to.map_or(end, |t| t.max(end)));
        let (amount, persons, _) = super::cases::rules_amount(s, c, month)?;
        let head = h
            .head_id
            .map(|p| store::registry::person(&s.conn, p))
            .transpose()?
            .flatten();
        let Some(head) = head else { continue };
        rows.push(NoticeRow {
            name: head.facts.name.clone(),
            id_number: Some(head.facts.id_number.clone()),
            birth_date: Some(head.facts.birth_date),
            village: h.village_name.clone(),
            group: h.group_name.clone(),
            persons,
            programme: if c.programme == "tekun" {
                "特困供养"
            } else {
                "低保"
            }
            .into(),
            monthly_amount: yuan_text(amount),
        });
        ids.push(c.id);
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(CmdError::invalid(
            "area_id",
            format!(
                "{}没有正在公示的{}案件，无法生成公示",
                area.name,
                Programme::full_name_of(&i.programme)
            ),
        ));
    };
    let county = county_name(s)?;
    let township = store::areas::get(&s.conn, township_id)?
        .map(|a| a.name)
        .unwrap_or_default();
    let place = if village_id.is_some() {
        format!("{township}{}", area.name)
    } else {
        township.clone()
    };
    let doc = Notice {
        title: format!(
            "{county}{place}{}拟纳入对象公示",
            Programme::full_name_of(&i.programme)
        ),
        period_from: from,
        period_to: to,
        issuing_office: format!("{township}人民政府"),
        issue_date: today,
        complaint_phone: i.complaint_phone.trim().to_owned(),
        complaint_address: i.complaint_address.trim().to_owned(),
        rows,
    };
    let path = target(&i.path, &format!("{place}-公示-{from}.pdf"))?;
    let bytes = documents::notice(&doc)?;
    save_and_record(s, &ids, "公示", path, bytes)
}

// ---- 一事一议 申报表 and 会议纪要 ----

fn deliberation_case(s: &Session, id: i64) -> CmdResult<(store::deliberation::CaseRow, Household)> {
    let user = s.require(STAFF, "打印一事一议文书")?;
    let c = store::deliberation::get_case(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("一事一议案件 {id} 不存在")))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden("此案件不属于您所在的乡镇"));
    }
    let h = store::registry::household(&s.conn, c.household_id)?
        .ok_or_else(|| CmdError::not_found(format!("家庭 {} 不存在", c.household_id)))?;
    Ok((c, h))
}

fn head_of(s: &Session, h: &Household) -> CmdResult<registry::PersonFacts> {
    h.head_id
        .map(|p| store::registry::person(&s.conn, p))
        .transpose()?
        .flatten()
        .map(|p| p.facts)
        .ok_or_else(|| CmdError::invalid("id", "此家庭没有户主，申报表缺少申请人"))
}

/// Record a 一事一议 document as an audit row (its timeline is the deliberation's own).
fn save_deliberation_doc(
    s: &mut Session,
    case_id: i64,
    what: &str,
    path: PathBuf,
    bytes: Vec<u8>,
) -> CmdResult<Value> {
    documents::write_atomically(&path, &bytes)?;
    let stamp = Stamp::of(s)?;
    let shown = path.display().to_string();
    let data = json!({"document": what, "path": shown});
    let (user_id, state) = (
        s.user()?.id,
        store::deliberation::get_case(&s.conn, case_id)?
            .map(|c| c.state)
            .unwrap_or_default(),
    );
    with_tx(&mut s.conn, |tx| {
        on_timeline(
            tx,
            Timeline::Deliberation,
            case_id,
            &state,
            user_id,
            &stamp.at,
            &data,
        )?;
        stamp.record(
            tx,
            "document",
            "deliberation_case",
            Some(case_id),
            None,
            Some(&data),
        )
    })?;
    output(json!({"path": shown, "bytes": bytes.len(), "document": what}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DelibDocIn {
    id: i64,
    path: Option<String>,
}

pub(crate) fn deliberation_application(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: DelibDocIn = input(v)?;
    let (c, h) = deliberation_case(s, i.id)?;
    let head = head_of(s, &h)?;
    let received: Vec<super::deliberation::ReceivedStored> =
        serde_json::from_str(&c.received).unwrap_or_default();
    let doc = DeliberationApplication {
        county: county_name(s)?,
        number: c.number.clone(),
        applicant: head.name,
        id_number: head.id_number,
        address: h.facts.address.clone(),
        family_situation: c.family_situation.clone(),
        special_matter: c.special_matter.clone(),
        regular_aid: received
            .iter()
            .map(|r| AidReceived {
                programme: r.programme.clone(),
                amount: yuan_text(r.amount_fen),
                note: r.note.clone(),
            })
            .collect(),
        proposed_amount: yuan_text(c.proposed_amount_fen),
        proposed_measures: c.proposed_measures.clone(),
        reporting_unit: c.reporting_unit.clone(),
        officer: user_name(s, Some(c.filed_by))?,
        report_date: c.filed_on,
        township_opinion: c.township_opinion.clone(),
    };
    let path = target(&i.path, &format!("{}-一事一议申报表.pdf", c.number))?;
    let bytes = documents::deliberation_application(&doc)?;
    save_deliberation_doc(s, c.id, "一事一议申报表", path, bytes)
}

pub(crate) fn meeting_minutes(s: &mut Session, v: Value) -> CmdResult<Value> {
    let i: DelibDocIn = input(v)?;
    let (c, h) = deliberation_case(s, i.id)?;
    let Some(meeting_id) = c.meeting_id else {
        return Err(CmdError::invalid(
            "id",
            "此案件还没有列入协调会议，没有会议纪要",
        ));
    };
    let (Some(decision), Some(decided_on)) = (c.decision.clone(), c.decided_on) else {
        return Err(CmdError::invalid(
            "id",
            "会议还没有对此案件作出决定，没有会议纪要",
        ));
    };
    let m = store::deliberation::get_meeting(&s.conn, meeting_id)?
        .ok_or_else(|| CmdError::not_found(format!("会议 {meeting_id} 不存在")))?;
    let attendance = store::deliberation::attendance(&s.conn, meeting_id)?;
    let units = |status: &str| -> Vec<String> {
        attendance
            .iter()
            .filter(|a| a.status == status)
            .map(|a| a.unit.clone())
            .collect()
    };
    let opinions = store::deliberation::opinions(&s.conn, meeting_id)?
        .into_iter()
        .filter(|o| o.case_id == c.id)
        .map(|o| UnitOpinion {
            representative: attendance
                .iter()
                .find(|a| a.unit == o.unit)
                .map(|a| a.representative.clone())
                .unwrap_or_default(),
            unit: o.unit,
            stance: match o.opinion.as_str() {
                "agree" => Stance::Agree,
                "disagree" => Stance::Disagree,
                _ => Stance::AgreeWithChanges,
            },
            commitment: o.commitment,
        })
        .collect();
    let responsible: Vec<String> = serde_json::from_str(&c.responsible_units).unwrap_or_default();
    let head = head_of(s, &h)?;
    let doc = MeetingMinutes {
        county: county_name(s)?,
        subject: format!("{} {}家庭", c.number, head.name),
        date: m.held_on,
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        invited: attendance.iter().map(|a| a.unit.clone()).collect(),
        present: units("present"),
        absent: units("absent"),
        opinions,
        decision: Decision {
            outcome: match decision.as_str() {
                "approve" => Outcome::Approve,
                "reject" => Outcome::Reject,
                _ => Outcome::Refer,
            },
            amount: c.approved_amount_fen.map(yuan_text),
            measures: c
                .approved_measures
                .clone()
                .or(c.decision_note.clone())
                .unwrap_or_default(),
            responsible_units: responsible,
        },
        minutes: m.minutes.clone(),
    };
    let _ = decided_on;
    let path = target(&i.path, &format!("{}-会议纪要.pdf", c.number))?;
    let bytes = documents::meeting_minutes(&doc)?;
    save_deliberation_doc(s, c.id, "会议纪要", path, bytes)
}

// ---- opening a saved file ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenIn {
    path: String,
}

/// Open a saved PDF or spreadsheet with the system's viewer (to look at it and print it).
pub(crate) fn open(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.user()?;
    let i: OpenIn = input(v)?;
    let p = PathBuf::from(i.path.trim());
    let ext = super::file_ext(&p);
    if !matches!(ext.as_str(), "pdf" | "xlsx" | "csv") {
        return Err(CmdError::invalid(
            "path",
            "只能打开 .pdf、.xlsx 或 .csv 文件",
        ));
    }
    if !p.is_file() {
        return Err(CmdError::invalid(
            "path",
            format!("文件 {} 不存在", p.display()),
        ));
    }
    let spawned = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", ""])
            .arg(&p)
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(&p).spawn()
    };
    spawned.map_err(|e| CmdError::internal(format!("无法打开 {}：{e}", p.display())))?;
    output(json!({"opened": p.display().to_string()}))
}

/// The default folder documents are saved in.
pub(crate) fn folder(s: &mut Session, _: Value) -> CmdResult<Value> {
    s.user()?;
    output(json!({"folder": default_dir().display().to_string()}))
}
