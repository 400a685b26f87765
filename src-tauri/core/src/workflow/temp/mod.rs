//! The 临时救助 (temporary assistance) case workflow as pure functions.
//!
//! Two kinds. **急难型** (emergency): a township reviewer may grant 先行救助 at once, within the
//! township quota and from the township's reserve fund (备用金); the caseworker then completes
//! the paperwork (事后补充说明) within `temp_paperwork_workdays`, after which the case is decided
//! like any other: the approved total includes the advance, and if the advance was all of it the
//! approval closes the case. **支出型** (expenditure): the normal procedure, 受理 → 入户调查 →
//! decision.
//!
//! The decision: within the township quota the township reviewer approves or refuses; above it
//! (or by choice) the reviewer refers the case and the county approver decides. One approval,
//! paid in stages (一次审批、分阶段救助): the approval carries the plan, each stage is paid once,
//! and paying the last one closes the case.
//!
//! Rules, enforced here rather than in the UI: whoever registered, accepted or investigated a
//! case takes no decision on it; the township reviewer who granted the advance, referred the case
//! or signed a same-cause override does not also decide it at the county; a declared near
//! relative takes no step at all, and a 近亲属备案 case gets no money (advance included) before
//! the county's home check; help for a cause the household was already helped for this calendar
//! year needs a township reviewer's override with a reason.
//!
//! No SQL, no I/O, no clock: the store loads [`TempFacts`], calls [`transition`], and writes the
//! new state, the step, any reserve-fund entry and the audit row in one transaction.

mod error;
mod fund;
mod input;
mod rules;
mod state;

#[cfg(test)]
mod tests;

pub use error::{TempError, MAX_STAGES};
pub use fund::{adjustment, entry_date, entry_kind_label, top_up_amount, EntryKind};
pub use input::{
    check_application, list_order, parse_step, repeat_warning, step_data, Application,
    ApplicationInput, StageInput, StepInput,
};
pub use rules::{
    actions_in, available_actions, check_actor, paid_by_run, roles_for, step_deadline, transition,
    StageFact, TempDates, TempFacts, TempLimits,
};
pub use state::{
    cause_label, kind_code, kind_label, parse_kind, state_label, step_label, StagePlan, TempAction,
    TempActionKind, TempState, CAUSES, PAID_IN_RUN,
};
