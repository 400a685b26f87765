//! The 低保/特困 case workflow as pure functions: states, actions, the transition function with
//! its separation-of-duties and near-relative rules, and the working-day calendar for deadlines.
//!
//! No SQL, no I/O, no clock: the command loads [`CaseFacts`], calls [`transition`], and writes
//! the new state, the step's data and the audit row in one transaction.
//!
//! # Entry points (低保/特困)
//! - [`transition`]`(&state, &action, &actor, &facts)`, [`check_actor`], [`available_actions`]:
//!   whether a step is allowed ([`TransitionError`], field per error).
//! - [`case_row`]: a stored case's `facts`, `notice_end_of` (fixed at the start), `deadline`,
//!   `awaited` steps, `may_wait` (work queue),
//!   `amount_in` / `amount_paid` (the dated amount of a month).
//! - [`step`]: a step's data — `step_date` (field `date`), `review_class` / `next_review_due`,
//!   `draft` (texts, investigators, reason; fields `summary`, `findings`, `investigator_ids`,
//!   `start`, `review_class`, `reason`, `note`) → [`step::Needs`] → `Draft::priced` → `record`
//!   (pay_from, next review, the 渐退期 months via [`crate::rules::phase_out`]).
//! - [`application`]: `check_application` (fields `programme`, `support_mode`, `applied_on`),
//!   `check_no_open_case` (`household_id`).
//! - [`near_relative`]: `RELATIONS`, `check_filing`, `check_withdraw_reason`.
//! - [`conflict`]: two people on one case — `take_expected_version`, `check_version`,
//!   `taken_by_another` (code `conflict`, field `expected_version`, 「该案件已被他人办理，请刷新」).
//! - [`WorkCalendar`], [`check_exception`] (fields `kind`, `note`), [`first_paid_month`].

pub mod application;
mod calendar;
pub mod case_row;
pub mod conflict;
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
