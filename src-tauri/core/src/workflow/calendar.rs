//! Working days and step deadlines. The calendar is data (public holidays and make-up workdays
//! as the State Council publishes them each year); nothing here knows today's date.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::state::CaseState;
use crate::error::{CmdError, CmdResult};
use crate::month::Month;

/// Default step limits from DOMAIN.md; counties configure their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRules {
    /// 县级审批 within this many working days after the 公示 ends (default 10).
    pub approval_workdays: u32,
    /// The whole procedure from 受理 (default 30; extendable to 45).
    pub procedure_workdays: u32,
    /// Written refusal notice within this many working days (default 3).
    pub refusal_notice_workdays: u32,
    /// 特困: the township investigates within this many working days of 受理 (default 15).
    pub tekun_survey_workdays: u32,
}

impl Default for DeadlineRules {
    fn default() -> DeadlineRules {
        DeadlineRules {
            approval_workdays: 10,
            procedure_workdays: 30,
            refusal_notice_workdays: 3,
            tekun_survey_workdays: 15,
        }
    }
}

/// Weekends are rest days unless listed as make-up workdays (调休上班); weekdays are workdays
/// unless listed as holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub makeup_workdays: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        if self.makeup_workdays.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        match date.weekday() {
            Weekday::Sat | Weekday::Sun => false,
            Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu | Weekday::Fri => true,
        }
    }

    /// The `n`-th working day after `date` (`date` itself does not count; `n == 0` gives `date`).
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_workday(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`).
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day += Duration::days(1);
            if self.is_workday(day) {
                count += 1;
            }
        }
        count
    }

    /// 县级审批 deadline: the `approval_workdays`-th working day after the last notice day.
    pub fn approval_deadline(&self, notice_end: NaiveDate, rules: &DeadlineRules) -> NaiveDate {
        self.add_workdays(notice_end, rules.approval_workdays)
    }

    /// Deadline of the whole procedure, counted from the day of 受理.
    pub fn procedure_deadline(&self, accepted_on: NaiveDate, rules: &DeadlineRules) -> NaiveDate {
        self.add_workdays(accepted_on, rules.procedure_workdays)
    }

    /// Deadline for the written refusal notice.
    pub fn refusal_notice_deadline(
        &self,
        refused_on: NaiveDate,
        rules: &DeadlineRules,
    ) -> NaiveDate {
        self.add_workdays(refused_on, rules.refusal_notice_workdays)
    }

    /// 特困 survey deadline, counted from the day of 受理.
    pub fn tekun_survey_deadline(
        &self,
        accepted_on: NaiveDate,
        rules: &DeadlineRules,
    ) -> NaiveDate {
        self.add_workdays(accepted_on, rules.tekun_survey_workdays)
    }

    /// The deadline of the step the case is waiting for, if the procedure sets one: the whole
    /// procedure's limit from 受理, and on notice also the county's limit after the notice ends,
    /// whichever comes first. Enrolled and final cases have none here (periodic reviews are due
    /// by review class, elsewhere).
    pub fn step_deadline(
        &self,
        state: CaseState,
        accepted_on: Option<NaiveDate>,
        notice_end: Option<NaiveDate>,
        rules: &DeadlineRules,
    ) -> Option<NaiveDate> {
        let procedure = accepted_on.map(|a| self.procedure_deadline(a, rules));
        match state {
            CaseState::Accepted | CaseState::Investigated | CaseState::TownshipReviewed => {
                procedure
            }
            CaseState::OnNotice => {
                let approval = notice_end.map(|e| self.approval_deadline(e, rules));
                match (procedure, approval) {
                    (Some(p), Some(a)) => Some(p.min(a)),
                    (p, a) => p.or(a),
                }
            }
            CaseState::Applied
            | CaseState::Enrolled
            | CaseState::PhasingOut
            | CaseState::Exited
            | CaseState::Refused
            | CaseState::Withdrawn => None,
        }
    }
}

/// A deadline has passed when today is later than it.
pub fn is_overdue(deadline: NaiveDate, today: NaiveDate) -> bool {
    today > deadline
}

/// The first month paid after approval (`pay_from`): the month after the approval date.
pub fn first_paid_month(approved_on: NaiveDate) -> Month {
    Month::of(approved_on).next()
}

/// A calendar exception as typed: a weekday may be made a `holiday`, a weekend day a make-up
/// `workday`; anything else is a mistake. The note (at most 40 characters) comes back trimmed.
pub fn check_exception(date: NaiveDate, kind: &str, note: &str) -> CmdResult<String> {
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    match (kind, weekend) {
        ("holiday", true) => Err(CmdError::invalid(
            "kind",
            format!("{date} 是周末，本来就不上班，不必登记为节假日"),
        )),
        ("workday", false) => Err(CmdError::invalid(
            "kind",
            format!("{date} 是工作日，只有周末的调休上班日才需要登记"),
        )),
        ("holiday" | "workday", _) => {
            let note = note.trim();
            if note.chars().count() > 40 {
                return Err(CmdError::invalid("note", "说明不能超过 40 个字"));
            }
            Ok(note.to_owned())
        }
        (other, _) => Err(CmdError::invalid(
            "kind",
            format!("类型“{other}”无效，应为 holiday（节假日）或 workday（调休上班）"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The 2026 Spring Festival as a county would enter it: 15–23 February off, Saturdays 14 and
    /// 28 February worked; plus New Year's Day 2027.
    fn cal() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        let mut day = d(2026, 2, 15);
        while day <= d(2026, 2, 23) {
            c.holidays.insert(day);
            day += Duration::days(1);
        }
        c.makeup_workdays.insert(d(2026, 2, 14));
        c.makeup_workdays.insert(d(2026, 2, 28));
        c.holidays.insert(d(2027, 1, 1));
        c
    }

    #[test]
    fn workday_kinds() {
        let c = cal();
        let table = [
            (d(2026, 2, 13), true),  // Friday
            (d(2026, 2, 14), true),  // Saturday, make-up workday
            (d(2026, 2, 15), false), // Sunday, holiday
            (d(2026, 2, 16), false), // Monday, holiday
            (d(2026, 2, 23), false), // Monday, last holiday
            (d(2026, 2, 24), true),
            (d(2026, 2, 28), true), // Saturday, make-up workday
            (d(2026, 3, 1), false), // plain Sunday
            (d(2026, 3, 7), false), // plain Saturday
        ];
        for (day, want) in table {
            assert_eq!(c.is_workday(day), want, "{day}");
        }
    }

    #[test]
    fn add_workdays_table() {
        let c = cal();
        let table = [
            // Across a plain weekend: Friday + 1 = Monday.
            (d(2026, 3, 6), 1, d(2026, 3, 9)),
            (d(2026, 3, 6), 0, d(2026, 3, 6)),
            // Thursday 12 Feb: Fri 13, Sat 14 (make-up), then the holiday, then Tue 24.
            (d(2026, 2, 12), 1, d(2026, 2, 13)),
            (d(2026, 2, 12), 2, d(2026, 2, 14)),
            (d(2026, 2, 12), 3, d(2026, 2, 24)),
            // Friday 27 Feb + 1 = Saturday 28 (make-up), + 2 = Monday 2 March.
            (d(2026, 2, 27), 1, d(2026, 2, 28)),
            (d(2026, 2, 27), 2, d(2026, 3, 2)),
            // 31 December 2026 (Thursday) + 1: New Year's Day off, then the weekend.
            (d(2026, 12, 31), 1, d(2027, 1, 4)),
            // Leap year: Monday 28 Feb 2028 + 1 = Tuesday 29 Feb; Friday 25 Feb + 2 = 29 Feb.
            (d(2028, 2, 28), 1, d(2028, 2, 29)),
            (d(2028, 2, 25), 2, d(2028, 2, 29)),
            (d(2028, 2, 29), 1, d(2028, 3, 1)),
        ];
        for (from, n, want) in table {
            assert_eq!(c.add_workdays(from, n), want, "{from} + {n}");
            assert_eq!(c.workdays_between(from, want), n, "{from}..{want}");
        }
    }

    #[test]
    fn deadlines_over_spring_festival() {
        let c = cal();
        let rules = DeadlineRules::default();
        // Notice ends Tuesday 10 Feb: Wed 11, Thu 12, Fri 13, Sat 14, then 24, 25, 26, 27, 28,
        // 2 March is the 10th working day.
        assert_eq!(c.approval_deadline(d(2026, 2, 10), &rules), d(2026, 3, 2));
        assert_eq!(
            c.refusal_notice_deadline(d(2026, 2, 12), &rules),
            d(2026, 2, 24)
        );
        // Accepted Monday 2 Feb: 30 working days end on Friday 20 March.
        let due = c.procedure_deadline(d(2026, 2, 2), &rules);
        assert_eq!(due, d(2026, 3, 20));
        assert!(!is_overdue(due, d(2026, 3, 20)));
        assert!(is_overdue(due, d(2026, 3, 21)));
    }

    #[test]
    fn step_deadline_takes_the_earlier_limit() {
        let c = cal();
        let rules = DeadlineRules::default();
        let accepted = Some(d(2026, 2, 2));
        // Waiting for the survey: the whole procedure's limit.
        assert_eq!(
            c.step_deadline(CaseState::Accepted, accepted, None, &rules),
            Some(d(2026, 3, 20))
        );
        // On notice ending 10 Feb: the county's 10 days (2 March) come first.
        assert_eq!(
            c.step_deadline(CaseState::OnNotice, accepted, Some(d(2026, 2, 10)), &rules),
            Some(d(2026, 3, 2))
        );
        // A notice ending late: the procedure's limit comes first.
        assert_eq!(
            c.step_deadline(CaseState::OnNotice, accepted, Some(d(2026, 3, 15)), &rules),
            Some(d(2026, 3, 20))
        );
        assert_eq!(
            c.step_deadline(CaseState::Enrolled, accepted, None, &rules),
            None
        );
        // 特困 survey: 15 working days from Monday 2 Feb, across the holiday, end on the
        // make-up Saturday 28 Feb.
        assert_eq!(
            c.tekun_survey_deadline(d(2026, 2, 2), &rules),
            d(2026, 2, 28)
        );
    }

    #[test]
    fn first_paid_month_rolls_over_the_year() {
        for (on, want) in [
            (d(2026, 12, 31), "2027-01"),
            (d(2028, 2, 29), "2028-03"),
            (d(2026, 1, 31), "2026-02"),
        ] {
            assert_eq!(first_paid_month(on).to_string(), want, "{on}");
        }
    }

    #[test]
    fn calendar_exceptions_are_checked() {
        let long = "说".repeat(41);
        // (date, kind, note, the field refused or "" for accepted); 2026-11-21 is a Saturday.
        let table = [
            (d(2026, 11, 20), "holiday", " 调休 ", ""),
            (d(2026, 11, 21), "workday", "", ""),
            (d(2026, 11, 21), "holiday", "", "kind"),
            (d(2026, 11, 20), "workday", "", "kind"),
            (d(2026, 11, 20), "off", "", "kind"),
            (d(2026, 11, 20), "holiday", long.as_str(), "note"),
        ];
        for (date, kind, note, field) in table {
            match check_exception(date, kind, note) {
                Ok(n) => assert_eq!((field, n.as_str()), ("", note.trim()), "{date} {kind}"),
                Err(e) => assert_eq!(e.field.as_deref(), Some(field), "{}", e.message),
            }
        }
    }
}
