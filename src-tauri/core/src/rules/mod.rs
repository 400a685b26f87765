//! The benefit rules engine: dated standards in, amounts with their calculation trail out.
//!
//! Pure functions only: no SQL, no I/O, no clock. The caller loads the county's standard rows and
//! the household's facts, picks a date, and calls one of the entry points below.
//!
//! # Entry points
//! Standards (stored by the caller as rows of text):
//! - [`CATALOGUE`], [`key_def`]: every standard key with its label, value kind, scope and default.
//! - [`validate_row`]`(&StandardRow)`: check a row before it is stored (field `key`/`scope`/`value`).
//! - [`default_rows`]`(effective_from)`, [`demo_rows`]`()`: the example county's standards.
//! - [`Standards::as_of`]`(&rows, date)`: the standards in force on `date`; everything below takes it.
//!
//! Facts: [`Household`] (members, itemised [`IncomeItem`]s, [`RigidExpenditure`]s, [`Assets`]),
//! checked by [`validate_household`]`(&h, date)`; every calculation validates its input first.
//!
//! Amounts, each an [`Outcome`] `{ amount_fen, trail }` (monthly unless said otherwise):
//! - [`dibao`]`(&st, &h)`: 低保 补差 for the covered members, with 分档 and 分类施保.
//! - [`single_person`]`(&st, &h, person_id)`: 单人保, one member as a household of one.
//! - [`tekun`]`(&st, &h, CareSetting)`: 特困 basic + care for each covered member.
//! - [`temp_aid`]`(&st, &TempAidRequest)`: 临时救助 (one-off); [`township_may_approve`];
//!   [`temp_basis_area`]`(&st, hukou, residence, &mut trail)`: whose standard it is reckoned on;
//!   [`temp_aid_limits_for`]`(&st, area, cause)` → [`TempAidLimits`]: a case's quota, cap (the
//!   cause's own where lower) and emergency minimum.
//! - [`child_allowance`]`(&st, &member, ChildCategory)`: 孤儿 / 事实无人抚养儿童.
//! - [`disability_subsidies`]`(&st, &member, low_income)`: 残疾人两项补贴.
//! - [`price_subsidy`]`(&st, area, persons, &PriceIndex)`: 价格临时补贴 for one month.
//! - [`one_time_subsidy`]`(&st, OneTimeFor, persons)`: 一次性生活补贴 (one-off).
//! - [`gradual_exit`]`(&st, area, current_fen, persons, ExitReason)` → [`ExitOutcome`]: 渐退期
//!   for the calculator. The one 渐退期 rule (module `gradual_exit`) also gives the case step
//!   [`GraceLimits::of`]`(&st)` (the months allowed, by [`Leaving`]), [`phase_out`]`(decided_on,
//!   months)` → [`PhaseOut`] (first month, `pay_until`, end) and [`phase_out_amount`]`(&st, area,
//!   current_fen, persons, months)` (the capped monthly amount).
//! - [`classify`]`(&st, &h)` → [`Classification`]: suggested programme with reasons and trail.
//!
//! Also public: [`Standards::money`]/`ratio`/`integer`/`choice` (a value in force, with its
//! [`Source`]), [`Trail::sources`] (the standards an amount used, for what-if), and [`money`]
//! (`round_fen`, `round_grant`, `fmt_yuan`).
//!
//! Errors are `CmdError::invalid(field, 中文)`. Fields: `standards` (no value in force, or a stored
//! value that no longer parses); for rows `key`/`scope`/`value`; for households
//! `members[i].employment`, `members[i].self_care.bathing`, `incomes[i].amount`,
//! `incomes[i].exempt_reason`, `expenditures[i].amount`, `assets.deposits`, …; and the argument
//! names `person_id`, `tier`, `multiple`, `amount`, `months`, `persons`, `cpi_rise`, `food_rise`
//! (rises in per cent), `birth_date`.
//!
//! Money is integer fen at the boundary and `Decimal` inside; the only rounding is in [`money`]:
//! once to the fen, half away from zero, then the county's grant rounding.

mod catalogue;
mod classify;
mod dibao;
mod facts;
mod gradual_exit;
mod grants;
mod means;
pub mod money;
mod standards;
mod tekun;
mod temp;
mod tiers;
mod trail;

#[cfg(test)]
mod tests;

pub use catalogue::{
    default_rows, demo_rows, key_def, validate_row, CauseCap, Defaults, DibaoTier, KeyDef, Scope,
    StandardRow, TempAidKind, TempTier, ValueKind, CATALOGUE,
};
pub use classify::{classify, Classification, Suggestion};
pub use dibao::{dibao, single_person};
pub use facts::{
    validate_household, Area, Assets, ExpenditureKind, Household, IncomeItem, IncomeKind,
    LabourCapacity, Member, Period, RigidExpenditure, SelfCare, SelfCareFacts, SixItems,
};
pub use gradual_exit::{
    gradual_exit, phase_out, phase_out_amount, ExitOutcome, ExitReason, GraceLimits, Leaving,
    PhaseOut,
};
pub use grants::{
    child_allowance, disability_subsidies, one_time_subsidy, price_subsidy, temp_aid,
    township_may_approve, ChildCategory, OneTimeFor, PriceIndex, TempAidBasis, TempAidRequest,
};
pub use money::GrantRounding;
pub use standards::{Looked, Ratio, Source, Standards};
pub use tekun::{self_care_level, tekun, CareSetting};
pub use temp::{temp_aid_limits, temp_aid_limits_for, temp_basis_area, TempAidLimits};
pub(crate) use tiers::{parse_cause_caps, parse_dibao_tiers, parse_temp_tiers};
pub use trail::{LineKind, Outcome, Trail, TrailLine};
