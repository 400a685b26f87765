//! The 低保/特困 case workflow as pure functions: states, actions, the transition function with
//! its separation-of-duties and near-relative rules, and the working-day calendar for deadlines.
//!
//! No SQL, no I/O, no clock: the store loads [`CaseFacts`], calls [`transition`], and writes the
//! new state, the step's data and the audit row in one transaction.

pub mod application;
mod calendar;
pub mod case_row;
pub mod deliberation;
mod error;
pub mod near_relative;
mod rules;
mod state;
pub mod step;
pub mod temp;

#[cfg(test)]
mod tests;

pub use calendar::{check_exception, first_paid_month, is_overdue, DeadlineRules, WorkCalendar};
pub use error::TransitionError;
pub use rules::{
    actions_in, available_actions, check_actor, notice_end, roles_for, transition, Actor, CaseFacts,
};
pub use state::{Action, ActionKind, CaseState, ExitReason};
