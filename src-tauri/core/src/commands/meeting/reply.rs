//! The typed replies of the meeting commands: the meeting page (`meeting.get`, also after each
//! change) and a listed meeting.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::auth::Role;
use crate::commands::deliberation::state_of;
use crate::commands::Session;
use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::store::deliberation::{self as st, MeetingRow};
use crate::store::{self};
use crate::workflow::deliberation::{meeting_state_label, Opinion, Threshold};

fn rule(code: &str) -> Threshold {
    Threshold::parse(code).unwrap_or(Threshold::MoreThanHalf)
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Rule {
    rule: &'static str,
    label: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Quorum {
    #[serde(flatten)]
    rule: Rule,
    expected: usize,
    present: usize,
    met: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Attendance {
    unit: String,
    status: String,
    representative: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct UnitOpinion {
    unit: String,
    opinion: String,
    opinion_label: Option<&'static str>,
    commitment: String,
    /// Who entered it.
    recorded_by: String,
    /// The unit's signed paper opinion it was entered from; empty when the unit's own user
    /// recorded it.
    paper_ref: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TallyReply {
    agree: usize,
    agree_with_changes: usize,
    disagree: usize,
    silent: usize,
    in_favour: usize,
}

/// A case on the agenda with the units' opinions and the live tally.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Item {
    case_id: i64,
    number: String,
    state: String,
    state_label: &'static str,
    position: i64,
    decision: Option<String>,
    head_name: Option<String>,
    township_name: String,
    village_name: String,
    special_matter: String,
    family_situation: String,
    proposed_amount: String,
    proposed_measures: String,
    approved_amount: Option<String>,
    approved_measures: Option<String>,
    responsible_units: Vec<String>,
    decision_note: Option<String>,
    opinions: Vec<UnitOpinion>,
    tally: TallyReply,
    majority_met: bool,
}

/// The meeting page.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MeetingReply {
    id: i64,
    /// Bumped by every change to the meeting; send it back as `expected_version` when recording.
    version: i64,
    held_on: NaiveDate,
    place: String,
    chair: String,
    recorder: String,
    minutes: String,
    state: String,
    state_label: &'static str,
    quorum: Quorum,
    majority: Rule,
    attendance: Vec<Attendance>,
    items: Vec<Item>,
    /// The approver, while the meeting is open.
    can_record: bool,
    /// The unit a member-unit user speaks for.
    my_unit: Option<String>,
    closed_at: Option<String>,
}

/// The meeting page: agenda with each case's opinions and tally, attendance with the quorum,
/// and what this user may record.
pub(super) fn view(s: &Session, m: &MeetingRow) -> CmdResult<MeetingReply> {
    let user = s.user()?;
    let attendance = st::attendance(&s.conn, m.id)?;
    let present = attendance.iter().filter(|a| a.status == "present").count();
    let (quorum, majority) = (rule(&m.quorum_rule), rule(&m.majority_rule));
    let opinions = st::opinions(&s.conn, m.id)?;
    let mut items = Vec::new();
    for it in st::items(&s.conn, m.id)? {
        let c = st::get_case(&s.conn, it.case_id)?
            .ok_or_else(|| CmdError::internal("议程上的案件不存在"))?;
        let h = store::registry::household(&s.conn, c.household_id)?
            .ok_or_else(|| CmdError::internal("案件的家庭不存在"))?;
        let head_name = match h.head_id {
            Some(id) => store::registry::person(&s.conn, id)?.map(|p| p.facts.name),
            None => None,
        };
        let t = st::meeting_facts(&s.conn, m, c.id)?.tally;
        items.push(Item {
            case_id: c.id,
            state_label: state_of(&c)?.label(),
            position: it.position,
            decision: it.decision,
            head_name,
            township_name: h.township_name,
            village_name: h.village_name,
            proposed_amount: yuan_text(c.proposed_amount_fen),
            approved_amount: c.approved_amount_fen.map(yuan_text),
            responsible_units: serde_json::from_str(&c.responsible_units).unwrap_or_default(),
            opinions: opinions
                .iter()
                .filter(|o| o.case_id == c.id)
                .map(|o| UnitOpinion {
                    unit: o.unit.clone(),
                    opinion: o.opinion.clone(),
                    opinion_label: Opinion::parse(&o.opinion).map(|x| x.label()),
                    commitment: o.commitment.clone(),
                    recorded_by: o.recorded_by_name.clone(),
                    paper_ref: o.paper_ref.clone(),
                })
                .collect(),
            tally: TallyReply {
                agree: t.agree,
                agree_with_changes: t.agree_with_changes,
                disagree: t.disagree,
                silent: t.silent,
                in_favour: t.in_favour(),
            },
            majority_met: majority.met(t.in_favour(), present),
            number: c.number,
            state: c.state,
            special_matter: c.special_matter,
            family_situation: c.family_situation,
            proposed_measures: c.proposed_measures,
            approved_measures: c.approved_measures,
            decision_note: c.decision_note,
        });
    }
    let my_unit = match user.role {
        Role::MemberUnit => st::unit_of(&s.conn, user.id)?,
        _ => None,
    };
    Ok(MeetingReply {
        id: m.id,
        held_on: m.held_on,
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        minutes: m.minutes.clone(),
        state: m.state.clone(),
        state_label: meeting_state_label(&m.state),
        quorum: Quorum {
            rule: Rule {
                rule: quorum.as_str(),
                label: quorum.label(),
            },
            expected: attendance.len(),
            present,
            met: quorum.met(present, attendance.len()),
        },
        majority: Rule {
            rule: majority.as_str(),
            label: majority.label(),
        },
        attendance: attendance
            .into_iter()
            .map(|a| Attendance {
                unit: a.unit,
                status: a.status,
                representative: a.representative,
            })
            .collect(),
        items,
        can_record: m.state == "open" && user.role == Role::Approver,
        my_unit,
        closed_at: m.closed_at.clone(),
        version: m.version,
    })
}

/// A meeting in the list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ListedMeeting {
    id: i64,
    /// Bumped by every change to the meeting; send it back as `expected_version` when recording.
    version: i64,
    held_on: NaiveDate,
    place: String,
    chair: String,
    state: String,
    state_label: &'static str,
    /// Cases on the agenda, and those not yet decided.
    items: usize,
    undecided: usize,
    expected: usize,
    present: usize,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    pub(super) meetings: Vec<ListedMeeting>,
}

impl ListedMeeting {
    /// A meeting with the size of its agenda and its attendance.
    pub(super) fn of(s: &Session, m: MeetingRow) -> CmdResult<ListedMeeting> {
        let attendance = st::attendance(&s.conn, m.id)?;
        let items = st::items(&s.conn, m.id)?;
        Ok(ListedMeeting {
            id: m.id,
            version: m.version,
            held_on: m.held_on,
            place: m.place,
            chair: m.chair,
            state_label: meeting_state_label(&m.state),
            state: m.state,
            items: items.len(),
            undecided: items.iter().filter(|i| i.decision.is_none()).count(),
            expected: attendance.len(),
            present: attendance.iter().filter(|a| a.status == "present").count(),
        })
    }
}
