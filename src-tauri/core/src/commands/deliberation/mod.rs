//! 一事一议 cases at the command boundary: file a 申报表, read and list cases, take a step on the
//! case page (`deliberation.act`), the coordination mechanism's settings, and the cases waiting
//! for the signed-in user (for 待我处理). Meeting steps are in `commands/meeting.rs`.
//!
//! Every step runs the pure transition function first; a refused step writes nothing.

mod case;
mod reply;
mod settings;

use serde_json::{json, Value};

use super::{Session, Stamp};
use crate::auth::User;
use crate::error::{CmdError, CmdResult};
use crate::store::deliberation::{self as st, CaseRow, MeetingRow};
use crate::store::{self};
use crate::workflow::conflict;
use crate::workflow::deliberation::{DelibActionKind, DelibError, DelibFacts, DelibState};
use crate::workflow::Actor;

pub(super) use crate::workflow::conflict::{check_version, take_expected_version};
pub(crate) use crate::workflow::deliberation::Received as ReceivedStored;
pub(crate) use case::{act, file, get, list, queue_items};
pub(super) use reply::{case_view, DelibCaseReply};
pub(crate) use settings::{set_settings, settings};

/// The workflow's view of the signed-in user.
pub(super) fn actor_of(s: &Session, user: &User) -> CmdResult<Actor> {
    let area = store::areas::get(&s.conn, user.area_id)?;
    let is_county = area.is_some_and(|a| a.level == store::areas::Level::County);
    Ok(Actor {
        user_id: user.id,
        role: user.role,
        township_id: user.role.works_in_township().then_some(user.area_id),
        is_county,
    })
}

pub(super) fn state_of(c: &CaseRow) -> CmdResult<DelibState> {
    DelibState::parse(&c.state)
        .ok_or_else(|| CmdError::internal(format!("一事一议案件状态“{}”无法识别", c.state)))
}

/// A case the signed-in user may see: township staff see their own township's only.
pub(super) fn load_case(s: &Session, id: i64) -> CmdResult<CaseRow> {
    let user = s.user()?;
    let c = st::get_case(&s.conn, id)?
        .ok_or_else(|| CmdError::not_found(format!("一事一议案件 {id} 不存在")))?;
    if user.role.works_in_township() && user.area_id != c.township_id {
        return Err(CmdError::forbidden(
            "此案件不属于您所在的乡镇，您只能查看和办理本乡镇的案件",
        ));
    }
    Ok(c)
}

/// A refused step: the conflict when another person just took this same step on the case (it
/// is no longer in the state the step belongs to), else the rule's own refusal.
pub(super) fn or_taken(
    s: &Session,
    case_id: i64,
    kind: DelibActionKind,
    e: DelibError,
) -> CmdError {
    let wrong_state = matches!(e, DelibError::WrongState { .. });
    let t = store::timeline::Timeline::Deliberation;
    match store::timeline::last_action(&s.conn, t, case_id) {
        Ok(last)
            if conflict::taken_by_another(
                wrong_state,
                last.as_ref().map(|(a, by)| (a.as_str(), *by)),
                kind.as_str(),
                s.user.as_ref().map_or(0, |u| u.id),
            ) =>
        {
            conflict::moved_on_error()
        }
        _ => e.into(),
    }
}

/// The facts of a case as of today; `meeting` is the meeting the step belongs to.
pub(super) fn facts(
    s: &Session,
    c: &CaseRow,
    meeting: Option<&MeetingRow>,
) -> CmdResult<DelibFacts> {
    st::case_facts(&s.conn, c, meeting, s.clock.today())
}

/// One step of a case inside a transaction: the case row, the step row and the audit row.
pub(super) struct Step<'a> {
    pub command: &'a str,
    pub user_id: i64,
    pub kind: DelibActionKind,
    pub data: &'a Value,
}

impl Step<'_> {
    pub(super) fn record(
        &self,
        tx: &rusqlite::Connection,
        stamp: &Stamp,
        before: &CaseRow,
        after: &CaseRow,
    ) -> CmdResult<()> {
        st::update_case(tx, after)?;
        let code = self.kind.as_str();
        let data = self.data.to_string();
        store::timeline::append(
            tx,
            store::timeline::Timeline::Deliberation,
            after.id,
            &store::timeline::NewStep {
                action: code,
                from_state: &before.state,
                to_state: &after.state,
                user_id: self.user_id,
                at: &stamp.at,
                data: &data,
            },
        )?;
        stamp.record(
            tx,
            self.command,
            "deliberation_case",
            Some(after.id),
            Some(&json!({"state": before.state})),
            Some(&json!({"state": after.state, "action": code, "data": self.data})),
        )
    }
}
