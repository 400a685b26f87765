//! A coordination meeting as convened and dated (the input of `meeting.create`, and the date
//! its decisions carry), checked. Pure: today is passed in.

use chrono::NaiveDate;
use serde::Deserialize;

use super::input::{invited_units, required};
use crate::error::{CmdError, CmdResult};

/// A meeting as convened (the input of `meeting.create`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    pub held_on: NaiveDate,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    /// The member units invited; all configured units when absent.
    #[serde(default)]
    pub units: Option<Vec<String>>,
}

/// A meeting and its decisions are registered on or after the day it is held, never in advance
/// (field `held_on`): the meeting is recorded as it takes place, its decisions dated that day.
pub fn check_held_on(held_on: NaiveDate, today: NaiveDate) -> CmdResult<()> {
    if held_on > today {
        return Err(CmdError::invalid(
            "held_on",
            format!(
                "会议日期 {held_on} 晚于今天：会议召开时或召开后再登记，不能预先登记会议或会议决定"
            ),
        ));
    }
    Ok(())
}

/// A meeting that may be convened: held today or earlier ([`check_held_on`]), place, chair and
/// recorder named (trimmed), the units it invites (see [`invited_units`]).
pub fn check_meeting(
    i: &MeetingInput,
    configured: &[String],
    today: NaiveDate,
) -> CmdResult<(MeetingInput, Vec<String>)> {
    check_held_on(i.held_on, today)?;
    let checked = MeetingInput {
        held_on: i.held_on,
        place: required("place", &i.place, "会议地点")?,
        chair: required("chair", &i.chair, "会议主持人")?,
        recorder: required("recorder", &i.recorder, "会议记录人")?,
        units: None,
    };
    let units = invited_units(configured, i.units.as_deref())?;
    Ok((checked, units))
}
