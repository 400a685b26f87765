//! 月度发放, pure: who is paid what in a month's run and how it differs from last month.
//!
//! No SQL, no I/O, no clock. `commands/payments.rs` loads the inputs from the store in one step
//! (cases, their dated amounts, grants, stages, adjustments, failed payments), calls the planner,
//! writes the payments, reads back the month's regular payments and calls [`differences`].
//!
//! # Entry points
//! Kinds, each with its stored code and Chinese label (the one place for them):
//! - [`PaymentKind`] (`regular`, `back_pay`, `price_subsidy`, `one_time`, `temp_aid`,
//!   `deliberation`, `adjustment`, `resend`), [`kind_label`]`(code)`.
//! - [`DifferenceKind`] (`new`, `stopped`, `changed`, `back_pay`, `adjustment`, `resend`),
//!   [`difference_label`]`(code)`; [`status_label`]`(code)` for pending/sent/paid/failed and
//!   [`HELD`] (held at the lock for an invalid account: not paid, re-sent 暂缓后补发);
//!   [`run_state_label`]`(state)` for a run open or locked.
//!
//! Batch grants:
//! - [`parse_grant`]`(kind, &params)` → [`BatchGrant`]; fields `kind`, `cpi_rise`, `food_rise`,
//!   `for`.
//! - [`grant_amount`]`(&grant, &st, programme, area, persons)`: what one case gets (0 when not
//!   due); field `standards` when a value is not in force. [`per_person`]`(&grant, &st)`.
//!
//! Refusals, from the runs there are: [`runnable`]`(month, today)` (at most next month),
//! [`run_order`]`(&runs, month)` → `since`, [`open_run`]`(run, month)` (to review or lock),
//! [`adjustment`]`(&runs, month, amount_fen, reason)`; fields `month`, `amount`, `reason`.
//! [`invalid_accounts_at_lock`]`(month, policy, &unpayable)`: `refuse` refuses the lock while
//! any payee's account cannot be paid (field `month`); `hold` returns those to hold.
//!
//! The plan:
//! - [`plan`]`(&PlanInput)` → every [`Payment`](types::Payment) due: regular
//!   and back pay up to `pay_until` (the 渐退期's end), batch grants, 临时救助/一事一议 stages,
//!   adjustments ([`AdjustmentDue`]) and re-sends ([`Resend`]). Errors are the grants'.
//! - [`adjustment_payment`]`(&AdjustmentDue)`: the one payment of an adjustment.
//! - [`plan_with_holds`]: the same, and the back pay it holds ([`Held`]): months before the
//!   case's [`free_from`] (the month after the approval was entered, less the county's
//!   `payment.back_pay_months`) not yet confirmed; [`held_differences`] lists them (key
//!   [`held_key`]), [`confirm`] says who may confirm them (`back_pay`).
//!
//! The differences:
//! - [`changed_cases`]`(&this, &prev)`: cases whose regular payment is new, stopped or changed.
//! - [`cases_to_load`]`(&this, &prev, &inserted)`: whose [`CaseFacts`] to load (and whether the
//!   amount step is needed).
//! - [`differences`]`(&DifferenceInput)` → the rows to review, each with its Chinese reason.
//! - [`payment_differences`]`(month, &inserted)`: those of adjustments and re-sends alone.
//!
//! Accounts: [`account_problem`]`(bank_name, account)` → why a payee cannot be paid (missing,
//! not digits, a length the bank does not issue, a wrong card check digit), `None` when it can;
//! the bank table is in `payrun/account.rs`. [`unpayable`]`(&payments)` → [`Unpayable`]: the
//! payees a month cannot pay, one per household, with their payments and why (those paid to the
//! collective account are paid). [`collective_account`]`(payee, bank_name, bank_account)` →
//! [`CollectiveAccount`] (fields of the same names); [`to_collective`]`(&mut payments,
//! &centralised, &account)`: 集中供养 特困 paid to the institution.
//!
//! The month's page: [`summarise`]`(&lines)` → [`MonthSummary`] (by township × programme, by
//! kind, by status).
//!
//! The files (written and read by `crate::payment_files`):
//! - [`roster`]: [`ROSTER_HEADS`](roster::ROSTER_HEADS), [`roster_line`](roster::roster_line)
//!   `(n, &payment, &area_names)`, [`RosterTotals`](roster::RosterTotals) (by township),
//!   [`csv_line`](roster::csv_line).
//! - [`match_return`]`(month, &rows, &roster)` → [`Returned`] (updates, unchanged): the bank's
//!   return file against the roster (the month's payments in roster order), each row by its 序号
//!   when echoed, else by account + payee name + amount; any mismatch refuses the file (field
//!   `path`).
//!
//! Money is integer fen; amounts come from the stored dated amounts and the rules.

mod account;
mod back_pay;
mod bank_return;
mod checks;
mod differences;
mod grants;
mod kinds;
mod plan;
pub mod roster;
mod summary;
pub mod types;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_back_pay;
#[cfg(test)]
mod tests_checks;
#[cfg(test)]
mod tests_files;

pub use account::{
    account_problem, collective_account, luhn_digit, to_collective, unpayable, CollectiveAccount,
    Unpayable,
};
pub use back_pay::{
    confirm, free_from, held_differences, held_key, held_label, is_held_key, Held, Hold,
};
pub use bank_return::{match_return, Returned};
pub use checks::{adjustment, invalid_accounts_at_lock, open_run, run_order, runnable};
pub use differences::{
    cases_to_load, changed_cases, differences, payment_differences, CaseFacts, DifferenceInput,
    RegularByCase,
};
pub use grants::{grant_amount, parse_grant, per_person, BatchGrant};
pub use kinds::{
    difference_label, kind_label, run_state_label, status_label, DifferenceKind, PaymentKind, HELD,
};
pub use plan::{adjustment_payment, plan, plan_with_holds, AdjustmentDue, PlanInput, Resend};
pub use summary::{summarise, MonthSummary, Totals};
