//! The documents of a 一事一议 case: its 申报表 (with the aid the household's own cases record,
//! [`recorded_aid`]) and the 会议纪要 of the meeting that decided it.

use chrono::NaiveDate;
use serde::Deserialize;

use super::{name_of, UserNames};
use crate::documents::{
    AidReceived, Decision, DeliberationApplication, DocError, DocResult, MeetingMinutes, Outcome,
    Stance, UnitOpinion,
};
use crate::month::Month;
use crate::programme::Programme;
use crate::registry::PersonFacts;
use crate::rules::money::{fmt_yuan, yuan_text};
use crate::store::cases::{Amount, CaseRow as AidCase};
use crate::store::deliberation::{AttendanceRow, CaseRow, MeetingRow, OpinionRow};
use crate::store::registry::Household;
use crate::store::temp_aid::{Stage, TempCase};
use crate::workflow::case_row::amount_in;
use crate::workflow::CaseState;

/// Regular aid the family receives, as stored on the case (JSON).
#[derive(Deserialize)]
struct Received {
    programme: String,
    amount_fen: i64,
    note: String,
}

fn no_head() -> DocError {
    DocError::new("id", "此家庭没有户主，申报表缺少申请人")
}

/// The aid the household's own cases record on the day the 申报表 was filed (`filed_on`): each
/// 低保/特困 case then enrolled or in its 渐退期, with its monthly amount in force that month;
/// each 临时救助 case applied for in the twelve months before, with what was paid by then
/// (先行救助 and stages paid). Cases with nothing paid are left out.
pub fn recorded_aid(
    filed_on: NaiveDate,
    cases: &[(AidCase, Vec<Amount>)],
    temp: &[(TempCase, Vec<Stage>)],
) -> Vec<AidReceived> {
    let month = Month::of(filed_on);
    let mut out = Vec::new();
    for (c, amounts) in cases {
        let open = [CaseState::Enrolled, CaseState::PhasingOut]
            .iter()
            .any(|s| s.as_str() == c.state);
        let Some(a) = amount_in(amounts, month).filter(|a| open && a.amount_fen > 0) else {
            continue;
        };
        let phasing = c.state == CaseState::PhasingOut.as_str();
        out.push(AidReceived {
            programme: Programme::label_of(&c.programme).to_owned(),
            amount: yuan_text(a.amount_fen),
            note: format!(
                "{}：每月 {} 元，自 {} 起{}",
                c.number,
                fmt_yuan(a.amount_fen),
                c.pay_from.as_deref().unwrap_or(&a.from_month),
                if phasing { "（渐退期）" } else { "" }
            ),
        });
    }
    let year_before = filed_on - chrono::Duration::days(365);
    for (t, stages) in temp {
        if t.applied_on < year_before || t.applied_on > filed_on {
            continue;
        }
        let advance = t
            .advance_on
            .filter(|d| *d <= filed_on)
            .map_or(0, |_| t.advance_fen);
        let staged: i64 = (stages.iter())
            .filter(|s| s.paid_on.is_some_and(|d| d <= filed_on))
            .map(|s| s.amount_fen)
            .sum();
        if advance + staged <= 0 {
            continue;
        }
        let mut note = format!("{}：已发放", t.number);
        if advance > 0 {
            note.push_str(&format!("，其中先行救助 {} 元", fmt_yuan(advance)));
        }
        out.push(AidReceived {
            programme: Programme::TempAid.label().to_owned(),
            amount: yuan_text(advance + staged),
            note,
        });
    }
    out
}

/// The 申报表 of a case: `recorded` (the household's own cases, [`recorded_aid`]) first under
/// 已享受常规救助, then what the filer typed, less a typed line of a programme already recorded.
/// Refused (field `id`) when the household has no head.
pub fn deliberation_application(
    c: &CaseRow,
    h: &Household,
    head: Option<&PersonFacts>,
    recorded: Vec<AidReceived>,
    county: &str,
    users: &UserNames,
) -> DocResult<DeliberationApplication> {
    let head = head.ok_or_else(no_head)?;
    let received: Vec<Received> = serde_json::from_str(&c.received).unwrap_or_default();
    let typed: Vec<AidReceived> = (received.into_iter())
        .filter(|r| !recorded.iter().any(|x| x.programme == r.programme.trim()))
        .map(|r| AidReceived {
            programme: r.programme,
            amount: yuan_text(r.amount_fen),
            note: r.note,
        })
        .collect();
    let regular_aid = recorded.into_iter().chain(typed).collect();
    Ok(DeliberationApplication {
        county: county.to_owned(),
        number: c.number.clone(),
        applicant: head.name.clone(),
        id_number: head.id_number.clone(),
        address: h.facts.address.clone(),
        family_situation: c.family_situation.clone(),
        special_matter: c.special_matter.clone(),
        regular_aid,
        proposed_amount: yuan_text(c.proposed_amount_fen),
        proposed_measures: c.proposed_measures.clone(),
        reporting_unit: c.reporting_unit.clone(),
        officer: name_of(users, Some(c.filed_by)),
        report_date: c.filed_on,
        township_opinion: c.township_opinion.clone(),
    })
}

/// The meeting whose 会议纪要 a case has: refused (field `id`) before the case is on a meeting,
/// or before the meeting decided it.
pub fn minutes_meeting(c: &CaseRow) -> DocResult<i64> {
    let Some(meeting_id) = c.meeting_id else {
        return Err(DocError::new(
            "id",
            "此案件还没有列入协调会议，没有会议纪要",
        ));
    };
    if c.decision.is_none() || c.decided_on.is_none() {
        return Err(DocError::new(
            "id",
            "会议还没有对此案件作出决定，没有会议纪要",
        ));
    }
    Ok(meeting_id)
}

/// The 会议纪要 of meeting `m` for case `c`: who was invited, present and absent, each unit's
/// opinion on the case, and the decision.
pub fn meeting_minutes(
    c: &CaseRow,
    m: &MeetingRow,
    attendance: &[AttendanceRow],
    opinions: &[OpinionRow],
    head: Option<&PersonFacts>,
    county: &str,
) -> DocResult<MeetingMinutes> {
    minutes_meeting(c)?;
    let decision = c.decision.clone().unwrap_or_default();
    let units = |status: &str| -> Vec<String> {
        attendance
            .iter()
            .filter(|a| a.status == status)
            .map(|a| a.unit.clone())
            .collect()
    };
    let opinions = opinions
        .iter()
        .filter(|o| o.case_id == c.id)
        .map(|o| UnitOpinion {
            representative: attendance
                .iter()
                .find(|a| a.unit == o.unit)
                .map(|a| a.representative.clone())
                .unwrap_or_default(),
            unit: o.unit.clone(),
            stance: match o.opinion.as_str() {
                "agree" => Stance::Agree,
                "disagree" => Stance::Disagree,
                _ => Stance::AgreeWithChanges,
            },
            commitment: o.commitment.clone(),
        })
        .collect();
    let responsible: Vec<String> = serde_json::from_str(&c.responsible_units).unwrap_or_default();
    let head = head.ok_or_else(no_head)?;
    Ok(MeetingMinutes {
        county: county.to_owned(),
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
    })
}
