//! The 渐退期 (gradual exit), one rule for the calculator, the case step and the payment run: how
//! many months a leaving family may keep its benefit (the county's dated standards
//! `exit.gradual_months` and `exit.voluntary_months`), the monthly amount it keeps (the current
//! amount, at most 低保标准 × persons), and the months it is paid (through the month of the exit
//! decision, then the granted months; the run pays the case's dated amounts until `pay_until`).

use chrono::NaiveDate;

use super::facts::Area;
use super::money::fmt_yuan;
use super::standards::Standards;
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::programme::Programme;

/// The standard holding the 渐退期 after income rises from work.
const WORK_MONTHS: &str = "exit.gradual_months";
/// The standard holding the longest voluntary-exit 渐退期.
const VOLUNTARY_MONTHS: &str = "exit.voluntary_months";

/// Why a family leaves, as far as the 渐退期 is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    /// 就业后收入超过标准: up to the county's 渐退期.
    AfterWork,
    /// 主动退出: up to the county's voluntary months.
    Voluntary,
    /// Anything else: no 渐退期.
    Other,
}

/// The longest 渐退期 the county grants, by why the family leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GraceLimits {
    pub work_months: u32,
    pub voluntary_months: u32,
}

impl GraceLimits {
    /// The limits in force in `st` (error field `standards` when one is not configured).
    pub fn of(st: &Standards) -> CmdResult<GraceLimits> {
        let months = |key| st.integer(key, None).map(|l| l.value.max(0) as u32);
        Ok(GraceLimits {
            work_months: months(WORK_MONTHS)?,
            voluntary_months: months(VOLUNTARY_MONTHS)?,
        })
    }

    pub fn max_months(&self, why: Leaving) -> u32 {
        match why {
            Leaving::AfterWork => self.work_months,
            Leaving::Voluntary => self.voluntary_months,
            Leaving::Other => 0,
        }
    }
}

/// The months of a 渐退期 granted on an exit decided on `decided_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseOut {
    /// The first month paid at the 渐退期 amount: the month after the decision.
    pub first_month: Month,
    /// The last month paid: the decision's month plus the granted months.
    pub pay_until: Month,
    /// The day the 渐退期 ends (none without one).
    pub end: Option<NaiveDate>,
}

pub fn phase_out(decided_on: NaiveDate, months: u32) -> PhaseOut {
    let decided = Month::of(decided_on);
    let pay_until = decided.shift(months as i32);
    PhaseOut {
        first_month: decided.next(),
        pay_until,
        end: (months > 0).then(|| pay_until.last_day()),
    }
}

/// The monthly amount kept: `current_fen`, at most 低保标准 × `persons`; the lines go on `trail`.
fn capped(
    st: &Standards,
    area: Area,
    current_fen: i64,
    persons: u32,
    trail: &mut Trail,
) -> CmdResult<i64> {
    if current_fen < 0 {
        return Err(CmdError::invalid("current_amount", "现发放金额不能为负数"));
    }
    if persons == 0 {
        return Err(CmdError::invalid("persons", "保障人数至少为 1 人"));
    }
    let standard = st.money_on("dibao.standard", Some(area), "元/人·月", trail)?;
    let cap = standard * i64::from(persons);
    Ok(if current_fen > cap {
        trail.push(
            LineKind::Deduction,
            format!(
                "现发放 {} 元超过低保标准 × 人数 = {} × {persons} = {} 元，按 {} 元发放",
                fmt_yuan(current_fen),
                fmt_yuan(standard),
                fmt_yuan(cap),
                fmt_yuan(cap)
            ),
            Some(cap),
        );
        cap
    } else {
        trail.note(format!(
            "现发放 {} 元，不超过低保标准 × 人数 {} 元，照发",
            fmt_yuan(current_fen),
            fmt_yuan(cap)
        ));
        current_fen
    })
}

/// The amount a case of `programme` is paid each month of its granted 渐退期 of `months`, with the
/// trail, from the standards in force in the 渐退期's first month. The 低保 cap applies to 低保
/// cases; a 特困 case keeps its amount (its basic standard is above the 低保 standard by rule).
pub fn phase_out_amount(
    st: &Standards,
    programme: Programme,
    area: Area,
    current_fen: i64,
    persons: u32,
    months: u32,
) -> CmdResult<Outcome> {
    let mut trail = Trail::default();
    trail.note(format!("退出时给予渐退期 {months} 个月"));
    let amount_fen = if programme == Programme::Dibao {
        capped(st, area, current_fen, persons, &mut trail)?
    } else {
        trail.note(format!(
            "{}渐退期内按现发放 {} 元发放",
            programme.label(),
            fmt_yuan(current_fen)
        ));
        current_fen
    };
    Ok(Outcome { amount_fen, trail })
}

/// The calculator's reason: the county's full 渐退期, or the months a voluntary leaver asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReason {
    /// Income rose above the standard after finding work: the county's 渐退期.
    Employment,
    /// The family leaves of its own accord and asks for `months` (1 to the county's maximum).
    Voluntary { months: u32 },
}

/// The benefit kept during a 渐退期: `monthly.amount_fen` for `months` months.
#[derive(Debug, Clone, PartialEq)]
pub struct ExitOutcome {
    pub monthly: Outcome,
    pub months: u32,
    pub total_fen: i64,
}

/// 渐退期 for the calculator: the current monthly benefit kept for N months, at most
/// standard × persons.
pub fn gradual_exit(
    st: &Standards,
    area: Area,
    current_fen: i64,
    persons: u32,
    reason: ExitReason,
) -> CmdResult<ExitOutcome> {
    if current_fen < 0 {
        return Err(CmdError::invalid("current_amount", "现发放金额不能为负数"));
    }
    if persons == 0 {
        return Err(CmdError::invalid("persons", "保障人数至少为 1 人"));
    }
    let mut trail = Trail::default();
    let months = match reason {
        ExitReason::Employment => {
            let n = st.integer_on(WORK_MONTHS, None, "个月", &mut trail)?;
            trail.note(format!(
                "家庭成员就业后收入超过低保标准，给予渐退期 {n} 个月"
            ));
            n as u32
        }
        ExitReason::Voluntary { months } => {
            let max = st.integer_on(VOLUNTARY_MONTHS, None, "个月", &mut trail)?;
            if months < 1 || i64::from(months) > max {
                return Err(CmdError::invalid(
                    "months",
                    format!("主动退出可继续发放 1 到 {max} 个月，现在是 {months} 个月"),
                ));
            }
            trail.note(format!("主动申请退出，继续发放 {months} 个月"));
            months
        }
    };
    let monthly = capped(st, area, current_fen, persons, &mut trail)?;
    let total_fen = monthly * i64::from(months);
    trail.push(
        LineKind::Formula,
        format!(
            "{} 元/月 × {months} 个月 = {} 元",
            fmt_yuan(monthly),
            fmt_yuan(total_fen)
        ),
        Some(total_fen),
    );
    Ok(ExitOutcome {
        monthly: Outcome {
            amount_fen: monthly,
            trail,
        },
        months,
        total_fen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{demo_rows, Scope, StandardRow};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn phase_out_months() {
        // (decided on, months granted, first month, pay until, end)
        let cases = [
            ("2026-11-23", 2, "2026-12", "2027-01", Some("2027-01-31")),
            ("2026-12-31", 1, "2027-01", "2027-01", Some("2027-01-31")),
            ("2027-01-31", 1, "2027-02", "2027-02", Some("2027-02-28")),
            ("2027-11-05", 3, "2027-12", "2028-02", Some("2028-02-29")),
            ("2026-11-23", 0, "2026-12", "2026-11", None),
        ];
        for (on, months, first, until, end) in cases {
            let p = phase_out(d(on), months);
            let want = PhaseOut {
                first_month: month(first),
                pay_until: month(until),
                end: end.map(d),
            };
            assert_eq!(p, want, "{on} + {months}");
        }
    }

    #[test]
    fn limits_and_capped_amount_come_from_the_standards() {
        let mut rows = demo_rows();
        rows.push(StandardRow {
            key: VOLUNTARY_MONTHS.into(),
            scope: Scope::All,
            effective_from: d("2026-06-01"),
            value: "2".into(),
        });
        let before = Standards::as_of(&rows, d("2026-05-31"));
        let after = Standards::as_of(&rows, d("2026-06-01"));
        let limits = GraceLimits::of(&after).unwrap();
        assert_eq!(limits.max_months(Leaving::Voluntary), 2);
        assert_eq!(
            GraceLimits::of(&before)
                .unwrap()
                .max_months(Leaving::Voluntary),
            3
        );
        assert_eq!(limits.max_months(Leaving::Other), 0);
        let standard = after
            .money("dibao.standard", Some(Area::Rural))
            .unwrap()
            .value;
        // (current amount, persons, kept)
        let cases = [
            (standard * 3, 2, standard * 2),
            (standard, 2, standard),
            (0, 1, 0),
        ];
        for (current, persons, kept) in cases {
            let o = phase_out_amount(&after, Programme::Dibao, Area::Rural, current, persons, 2)
                .unwrap();
            assert_eq!(o.amount_fen, kept, "{current} for {persons}");
        }
        // A 特困 case keeps its amount: the 低保 cap is not its rule.
        let o =
            phase_out_amount(&after, Programme::Tekun, Area::Rural, standard * 3, 2, 2).unwrap();
        assert_eq!(o.amount_fen, standard * 3);
        let e = phase_out_amount(&after, Programme::Dibao, Area::Rural, 100, 0, 2).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("persons"));
        assert_eq!(
            GraceLimits::of(&Standards::as_of(&[], d("2026-06-01")))
                .unwrap_err()
                .field
                .as_deref(),
            Some("standards")
        );
    }
}
