//! The 一事一议 (deliberation) case as pure functions: its states and steps, the transition
//! function with roles, separation of duties and near relatives, and the meeting rules (quorum,
//! decision majority, tally).
//!
//! Same pattern as the 低保/特困 workflow: no SQL, no clock. The store loads [`DelibFacts`], the
//! command calls [`transition`], then writes the new state, the step and the audit row in one
//! transaction.

mod convene;
mod error;
mod input;
mod meeting;
mod rules;
mod state;

#[cfg(test)]
mod tests;

pub use convene::{check_held_on, check_meeting, MeetingInput};
pub use error::DelibError;
pub use input::{
    check_attendance, check_case_step_code, check_filing, check_opinion, check_units,
    check_user_units, check_visit, invited_units, listed_states, parse_opinion, parse_outcome,
    parse_threshold, required, CaseStep, DecisionInput, Filing, FilingInput, OpinionFacts,
    Received, ReceivedInput, StageInput,
};
pub use meeting::{
    check_majority, check_quorum, meeting_state_label, tally, MeetingFacts, Opinion, Tally,
    Threshold,
};
pub use rules::{
    actions_in, available_actions, check_actor, check_filer, paid_by_run, roles_for, transition,
    DelibFacts,
};
pub use state::{
    decision_label, state_label, step_label, DelibAction, DelibActionKind, DelibState, Outcome,
    PAID_IN_RUN,
};
