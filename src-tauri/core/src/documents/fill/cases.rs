//! The documents of 低保/特困 and 临时救助 cases: the 审批表, the 不予批准通知书 and the 公示.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::{family, name_of, FamilyRecords, UserNames};
use crate::documents::{
    ApprovalForm, AssistanceProgramme, DocError, DocResult, Investigation, Notice, NoticeRow,
    RefusalNotice, SignOff, SignOffRole, TrailEntry,
};
use crate::programme::Programme;
use crate::rules::money::{fmt_yuan, yuan_text};
use crate::store::areas::{Area, Level};
use crate::store::cases::{Amount, CaseRow};
use crate::store::registry::{Household, Person};
use crate::store::temp_aid::TempCase;

/// The amount an 审批表 shows: the approved amount's trail, or before approval what the rules
/// give for this month.
pub enum Basis<'a> {
    Kept(&'a Amount),
    Estimated {
        amount_fen: i64,
        persons: u32,
        /// The rules' trail as JSON lines `{text, amount}`.
        trail: Value,
    },
}

fn trail_lines(lines: &[Value]) -> Vec<TrailEntry> {
    lines
        .iter()
        .map(|l| TrailEntry {
            text: l["text"].as_str().unwrap_or_default().to_owned(),
            amount: l["amount"].as_str().map(str::to_owned),
        })
        .collect()
}

/// The 审批表 of a 低保/特困 case. Refused (field `case_id`) before the household survey.
pub fn approval_form(
    c: &CaseRow,
    family_records: &FamilyRecords,
    basis: Basis,
    county: &str,
    users: &UserNames,
) -> DocResult<ApprovalForm> {
    let (family, members, incomes) = family(family_records)?;
    let h = family_records.household;
    let (trail, result) = match basis {
        Basis::Kept(a) => (
            trail_lines(&serde_json::from_str::<Vec<Value>>(&a.trail).unwrap_or_default()),
            format!(
                "{} 起保障 {} 人，月保障金 {} 元",
                a.from_month,
                a.persons,
                fmt_yuan(a.amount_fen)
            ),
        ),
        Basis::Estimated {
            amount_fen,
            persons,
            trail,
        } => (
            trail_lines(trail.as_array().map(Vec::as_slice).unwrap_or_default()),
            format!(
                "按现行标准测算：拟保障 {persons} 人，月保障金 {} 元",
                yuan_text(amount_fen)
            ),
        ),
    };
    let (Some(survey_on), Some(findings)) = (c.survey_on, c.survey_findings.clone()) else {
        return Err(DocError::new(
            "case_id",
            "此案件还没有登记入户调查，审批表缺少调查情况；请先登记入户调查",
        ));
    };
    let investigators = c
        .investigator_ids
        .iter()
        .map(|id| name_of(users, Some(*id)))
        .collect();
    let mut sign_offs = vec![SignOff {
        role: SignOffRole::Caseworker,
        opinion: format!("经入户调查和家庭经济状况核对，{findings}"),
        signer: name_of(users, c.accepted_by.or(Some(c.created_by))),
        date: survey_on,
    }];
    if let (Some(on), Some(opinion)) = (c.reviewed_on, c.review_opinion.clone()) {
        sign_offs.push(SignOff {
            role: SignOffRole::Township,
            opinion,
            signer: name_of(users, c.reviewed_by),
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
            signer: name_of(users, c.decided_by),
            date: on,
        });
    }
    Ok(ApprovalForm {
        programme: if Programme::from_code(&c.programme) == Some(Programme::Tekun) {
            AssistanceProgramme::Tekun
        } else {
            AssistanceProgramme::Dibao
        },
        county: county.to_owned(),
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

/// "急难型（因病）".
fn kind_cause(c: &TempCase) -> String {
    let kind = if c.kind == "emergency" {
        "急难型"
    } else {
        "支出型"
    };
    let cause = crate::workflow::temp::cause_label(&c.cause).unwrap_or("其他");
    format!("{kind}（{cause}）")
}

/// The 审批表 of a 临时救助 case. Refused (field `id`) before the household survey.
pub fn temp_aid_form(
    c: &TempCase,
    family_records: &FamilyRecords,
    county: &str,
    users: &UserNames,
) -> DocResult<ApprovalForm> {
    let (Some(on), Some(findings), Some(by)) =
        (c.investigated_on, c.findings.clone(), c.investigated_by)
    else {
        return Err(DocError::new(
            "id",
            "此案件还没有登记入户调查（或补齐手续），审批表缺少调查情况",
        ));
    };
    let (family, members, incomes) = family(family_records)?;
    let h = family_records.household;
    let mut trail = vec![TrailEntry {
        text: format!("救助类型：{}；{}", kind_cause(c), c.description),
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
        (Some(a), _) => format!("批准临时救助金 {} 元", fmt_yuan(a)),
        (None, Some(r)) => format!("不予救助：{r}"),
        _ => "尚未审批".into(),
    };
    let mut sign_offs = vec![SignOff {
        role: SignOffRole::Caseworker,
        opinion: findings.clone(),
        signer: name_of(users, Some(by)),
        date: on,
    }];
    if let (Some(on), Some(opinion)) = (c.referred_on, c.referral_opinion.clone()) {
        sign_offs.push(SignOff {
            role: SignOffRole::Township,
            opinion,
            signer: name_of(users, c.referred_by),
            date: on,
        });
    }
    if let Some(on) = c.decided_on {
        let opinion = match (c.approved_fen, &c.refusal_reasons) {
            (Some(a), _) => format!("同意救助 {} 元。", fmt_yuan(a)),
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
            signer: name_of(users, c.decided_by),
            date: on,
        });
    }
    Ok(ApprovalForm {
        programme: AssistanceProgramme::TempAid,
        county: county.to_owned(),
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
            investigators: vec![name_of(users, Some(by))],
            findings,
        },
        sign_offs,
    })
}

/// The 不予批准通知书 of a refused case, addressed to the head (`head_name`), issued `today`.
/// Refused (field `case_id`) when the case has no refusal.
pub fn refusal_notice(
    c: &CaseRow,
    head_name: &str,
    county: &str,
    today: NaiveDate,
) -> DocResult<RefusalNotice> {
    let (Some(reasons), Some(on)) = (c.refusal_reasons.clone(), c.decided_on) else {
        return Err(DocError::new(
            "case_id",
            "此案件没有不予批准的决定，不能出具不予批准通知书",
        ));
    };
    Ok(RefusalNotice {
        number: format!("{county}民政局不予批准〔{}〕{}号", on.year(), c.number),
        addressee: head_name.to_owned(),
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
        issue_date: today,
    })
}

/// A case on notice in the place, loaded: its household, its head (if any), when its notice
/// period ends, and what the rules give it this month.
pub struct NoticeEntry {
    pub case: CaseRow,
    pub household: Household,
    pub head: Option<Person>,
    pub notice_end: NaiveDate,
    pub amount_fen: i64,
    pub persons: u32,
}

/// The township and the village (if any) of the area a 公示 is asked for (field `area_id`).
pub fn notice_area(area: &Area) -> DocResult<(i64, Option<i64>)> {
    match area.level {
        Level::Township => Ok((area.id, None)),
        Level::Village => Ok((area.parent_id.unwrap_or_default(), Some(area.id))),
        _ => Err(DocError::new(
            "area_id",
            "请选择一个乡镇（街道）或村（社区）",
        )),
    }
}

/// A 公示 is of 低保 or 特困, with the complaint phone and address filled in.
pub fn notice_input(programme: &str, phone: &str, address: &str) -> DocResult<()> {
    if !matches!(
        Programme::from_code(programme),
        Some(Programme::Dibao | Programme::Tekun)
    ) {
        return Err(DocError::new(
            "programme",
            "救助项目应为 dibao（低保）或 tekun（特困）",
        ));
    }
    for (field, text, what) in [
        ("complaint_phone", phone, "监督电话"),
        ("complaint_address", address, "监督地址（来信来访地址）"),
    ] {
        if text.trim().is_empty() {
            return Err(DocError::new(field, format!("请填写{what}")));
        }
    }
    Ok(())
}

/// Where a 公示 is posted and what it says besides the rows.
pub struct NoticePlace<'a> {
    pub county: &'a str,
    pub township: &'a str,
    /// The village (村/社区) posted in; `None` for a whole township.
    pub village: Option<&'a str>,
    /// The area the user chose (named in the refusal when nothing is on notice).
    pub area_name: &'a str,
    pub programme: &'a str,
    pub complaint_phone: &'a str,
    pub complaint_address: &'a str,
    pub today: NaiveDate,
}

/// The 公示 of the cases on notice, with the ids of the cases it lists (a case whose household has
/// no head is left off the rows but counts for the period). Refused (field `area_id`) when
/// nothing is on notice.
pub fn notice(place: &NoticePlace, entries: &[NoticeEntry]) -> DocResult<(Notice, Vec<i64>)> {
    let mut rows = vec![];
    let mut ids = vec![];
    let (mut from, mut to): (Option<NaiveDate>, Option<NaiveDate>) = (None, None);
    for e in entries {
        let Some(start) = e.case.notice_start else {
            continue;
        };
        from = Some(from.map_or(start, |f| f.min(start)));
        to = Some(to.map_or(e.notice_end, |t| t.max(e.notice_end)));
        let Some(head) = &e.head else { continue };
        rows.push(NoticeRow {
            name: head.facts.name.clone(),
            id_number: Some(head.facts.id_number.clone()),
            birth_date: Some(head.facts.birth_date),
            village: e.household.village_name.clone(),
            group: e.household.group_name.clone(),
            persons: e.persons,
            programme: if Programme::from_code(&e.case.programme) == Some(Programme::Tekun) {
                "特困供养"
            } else {
                "低保"
            }
            .into(),
            monthly_amount: yuan_text(e.amount_fen),
        });
        ids.push(e.case.id);
    }
    let full_name = Programme::full_name_of(place.programme);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(DocError::new(
            "area_id",
            format!(
                "{}没有正在公示的{full_name}案件，无法生成公示",
                place.area_name
            ),
        ));
    };
    let doc = Notice {
        title: format!(
            "{}{}{full_name}拟纳入对象公示",
            place.county,
            place_name(place)
        ),
        period_from: from,
        period_to: to,
        issuing_office: format!("{}人民政府", place.township),
        issue_date: place.today,
        complaint_phone: place.complaint_phone.trim().to_owned(),
        complaint_address: place.complaint_address.trim().to_owned(),
        rows,
    };
    Ok((doc, ids))
}

/// "城关镇李庄村", or the township alone.
pub fn place_name(place: &NoticePlace) -> String {
    match place.village {
        Some(v) => format!("{}{v}", place.township),
        None => place.township.to_owned(),
    }
}
