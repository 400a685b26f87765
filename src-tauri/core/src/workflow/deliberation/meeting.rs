//! The coordination meeting's rules, pure: the quorum, the tally of the units' opinions and the
//! majority a decision to grant aid needs. Both thresholds are county settings.

use super::error::DelibError;

/// A share of a whole that must be reached: the quorum (units present of units expected) and
/// the decision majority (units in favour of units present).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Threshold {
    /// 超过半数 (default for both).
    MoreThanHalf,
    /// 不少于半数.
    AtLeastHalf,
    /// 不少于三分之二.
    AtLeastTwoThirds,
    /// 全部.
    All,
}

impl Threshold {
    pub const ALL: [Threshold; 4] = [
        Threshold::MoreThanHalf,
        Threshold::AtLeastHalf,
        Threshold::AtLeastTwoThirds,
        Threshold::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Threshold::MoreThanHalf => "more_than_half",
            Threshold::AtLeastHalf => "at_least_half",
            Threshold::AtLeastTwoThirds => "at_least_two_thirds",
            Threshold::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Threshold> {
        Threshold::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// As it reads after 须: "超过半数".
    pub fn label(self) -> &'static str {
        match self {
            Threshold::MoreThanHalf => "超过半数",
            Threshold::AtLeastHalf => "不少于半数",
            Threshold::AtLeastTwoThirds => "不少于三分之二",
            Threshold::All => "全部",
        }
    }

    /// Whether `count` of `base` reaches the threshold. Nothing of nothing never does.
    pub fn met(self, count: usize, base: usize) -> bool {
        if base == 0 || count == 0 {
            return false;
        }
        match self {
            Threshold::MoreThanHalf => count * 2 > base,
            Threshold::AtLeastHalf => count * 2 >= base,
            Threshold::AtLeastTwoThirds => count * 3 >= base * 2,
            Threshold::All => count >= base,
        }
    }
}

/// A member unit's opinion on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Opinion {
    Agree,
    Disagree,
    AgreeWithChanges,
}

impl Opinion {
    pub const ALL: [Opinion; 3] = [Opinion::Agree, Opinion::Disagree, Opinion::AgreeWithChanges];

    pub fn as_str(self) -> &'static str {
        match self {
            Opinion::Agree => "agree",
            Opinion::Disagree => "disagree",
            Opinion::AgreeWithChanges => "agree_with_changes",
        }
    }

    pub fn parse(s: &str) -> Option<Opinion> {
        Opinion::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Opinion::Agree => "同意",
            Opinion::Disagree => "不同意",
            Opinion::AgreeWithChanges => "修改后同意",
        }
    }
}

/// The opinions of the units present on one case. A present unit that gave no opinion counts
/// as not in favour: the majority is of units present, not of opinions given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub agree: usize,
    pub agree_with_changes: usize,
    pub disagree: usize,
    /// Present units without an opinion on this case.
    pub silent: usize,
}

impl Tally {
    /// Units in favour: 同意 plus 修改后同意.
    pub fn in_favour(&self) -> usize {
        self.agree + self.agree_with_changes
    }
}

/// Count the opinions of the `present` units (opinions of units not present are ignored).
pub fn tally(present: usize, opinions: &[Opinion]) -> Tally {
    let mut t = Tally::default();
    for o in opinions {
        match o {
            Opinion::Agree => t.agree += 1,
            Opinion::Disagree => t.disagree += 1,
            Opinion::AgreeWithChanges => t.agree_with_changes += 1,
        }
    }
    t.silent = present.saturating_sub(t.agree + t.agree_with_changes + t.disagree);
    t
}

/// What the transition function knows of the meeting deciding a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    pub open: bool,
    /// 应到: the member units invited to the meeting.
    pub expected: usize,
    /// 实到: the units marked present.
    pub present: usize,
    /// The opinions on this case of units present.
    pub tally: Tally,
    /// The units invited, for naming responsible units.
    pub units: Vec<String>,
    pub quorum: Threshold,
    pub majority: Threshold,
}

/// The meeting may decide only with its quorum present.
pub fn check_quorum(rule: Threshold, expected: usize, present: usize) -> Result<(), DelibError> {
    if rule.met(present, expected) {
        Ok(())
    } else {
        Err(DelibError::NoQuorum {
            expected,
            present,
            rule,
        })
    }
}

/// A decision to grant aid needs the majority of the units present in favour.
pub fn check_majority(rule: Threshold, present: usize, tally: &Tally) -> Result<(), DelibError> {
    if rule.met(tally.in_favour(), present) {
        Ok(())
    } else {
        Err(DelibError::NoMajority {
            in_favour: tally.in_favour(),
            against: tally.disagree,
            present,
            rule,
        })
    }
}

/// The label of a meeting's state: `open` 进行中, otherwise 已结束.
pub fn meeting_state_label(state: &str) -> &'static str {
    if state == "open" {
        "进行中"
    } else {
        "已结束"
    }
}

/// The agenda items of a meeting still waiting for `unit`'s opinion: none unless the meeting is
/// open and the unit invited and not recorded absent (a unit invited but not yet marked present
/// is waited for: it records its attendance at the meeting); then each undecided item
/// (`items`: case id and whether it was decided) without an opinion of the unit (`given`: the
/// case ids it gave one on). In agenda order.
pub fn opinions_owed(
    open: bool,
    unit_status: Option<&str>,
    items: &[(i64, bool)],
    given: &[i64],
) -> Vec<i64> {
    if !open || !matches!(unit_status, Some("present" | "invited")) {
        return Vec::new();
    }
    items
        .iter()
        .filter(|(case, decided)| !decided && !given.contains(case))
        .map(|(case, _)| *case)
        .collect()
}

#[cfg(test)]
mod owed_tests {
    use super::opinions_owed;

    #[test]
    fn a_unit_owes_its_opinion_on_undecided_items_of_open_meetings_it_attends() {
        let items = [(1, false), (2, false), (3, true)];
        // (open, status, given) → owed
        let table: [(bool, Option<&str>, &[i64], &[i64]); 6] = [
            (true, Some("present"), &[], &[1, 2]),
            (true, Some("present"), &[1], &[2]),
            (true, Some("invited"), &[], &[1, 2]),
            (true, Some("absent"), &[], &[]),
            (true, None, &[], &[]),
            (false, Some("present"), &[], &[]),
        ];
        for (open, status, given, owed) in table {
            assert_eq!(
                opinions_owed(open, status, &items, given),
                owed,
                "{open} {status:?} {given:?}"
            );
        }
    }
}
