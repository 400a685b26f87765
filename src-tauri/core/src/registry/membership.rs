//! The rules of membership changes: relations to the head, one head per household, dates that
//! are not in the future nor before joining or birth, and why a member may leave. Pure.

use chrono::NaiveDate;

use crate::error::{CmdError, CmdResult};

use super::{label, validate_person, PersonFacts, RawPerson, RELATIONS};

pub fn check_relation(field: &str, relation: &str) -> CmdResult<()> {
    if label(RELATIONS, relation).is_none() {
        return Err(CmdError::invalid(
            field,
            format!("与户主关系“{relation}”无效"),
        ));
    }
    Ok(())
}

/// A date entered for something that happened (joining, leaving, death): not after today.
pub fn check_day(field: &str, what: &str, day: NaiveDate, today: NaiveDate) -> CmdResult<()> {
    if day > today {
        return Err(CmdError::invalid(
            field,
            format!("{what}（{day}）不能晚于今天"),
        ));
    }
    Ok(())
}

/// Another member becomes head: not the head already; an old head who stays takes a relation
/// to the new one.
pub fn check_new_head(
    new_relation: &str,
    old_head_stays: bool,
    old_head_relation: Option<&str>,
) -> CmdResult<()> {
    if new_relation == "head" {
        return Err(CmdError::invalid("person_id", "此人已经是户主"));
    }
    if old_head_stays {
        match old_head_relation {
            None | Some("") => {
                return Err(CmdError::invalid(
                    "old_head_relation",
                    "原户主仍在户内，请选择原户主与新户主的关系",
                ))
            }
            Some("head") => {
                return Err(CmdError::invalid("old_head_relation", "一户只能有一位户主"))
            }
            Some(r) => check_relation("old_head_relation", r)?,
        }
    }
    Ok(())
}

/// A member leaves (moved out or other; death has its own step); the head leaves last.
pub fn check_leave(
    reason: &str,
    is_head: bool,
    others_open: usize,
    left_on: NaiveDate,
    joined_on: NaiveDate,
    today: NaiveDate,
) -> CmdResult<()> {
    match reason {
        "moved_out" | "other" => {}
        "death" => return Err(CmdError::invalid("reason", "死亡请通过“登记死亡”办理")),
        other => {
            return Err(CmdError::invalid(
                "reason",
                format!("迁出原因“{other}”无效，应为 迁出 或 其他"),
            ))
        }
    }
    if is_head && others_open > 0 {
        return Err(CmdError::invalid(
            "person_id",
            "户主迁出前，请先为本户变更户主",
        ));
    }
    check_day("left_on", "迁出日期", left_on, today)?;
    if left_on < joined_on {
        return Err(CmdError::invalid(
            "left_on",
            format!("迁出日期不能早于入户日期 {joined_on}"),
        ));
    }
    Ok(())
}

/// A death on `death_date`: the day the membership closes (not before joining).
pub fn death_left_on(
    death_date: NaiveDate,
    birth_date: NaiveDate,
    joined_on: NaiveDate,
    today: NaiveDate,
) -> CmdResult<NaiveDate> {
    check_day("death_date", "死亡日期", death_date, today)?;
    if death_date < birth_date {
        return Err(CmdError::invalid("death_date", "死亡日期不能早于出生日期"));
    }
    Ok(death_date.max(joined_on))
}

/// An error's field under `prefix`: `id_number` of `members[2]` is `members[2].id_number`.
pub fn prefix_field(mut e: CmdError, prefix: &str) -> CmdError {
    if let Some(f) = e.field.take() {
        e.field = Some(format!("{prefix}.{f}"));
    }
    e
}

/// The members registered with a new household besides its head: each with a relation other
/// than head, valid, and no ID number twice (fields `members[i].…`).
pub fn household_members(
    head: &PersonFacts,
    members: &[(Option<&str>, RawPerson<'_>)],
    today: NaiveDate,
) -> CmdResult<Vec<(String, PersonFacts)>> {
    let mut out: Vec<(String, PersonFacts)> = Vec::with_capacity(members.len());
    for (n, (relation, raw)) in members.iter().enumerate() {
        let prefix = format!("members[{n}]");
        let relation = relation.unwrap_or_default().to_owned();
        check_relation("relation", &relation).map_err(|e| prefix_field(e, &prefix))?;
        if relation == "head" {
            return Err(CmdError::invalid(
                &format!("{prefix}.relation"),
                "一户只能有一位户主；其他成员请选择与户主的关系",
            ));
        }
        let f = validate_person(raw, today).map_err(|e| prefix_field(e, &prefix))?;
        if f.id_number == head.id_number || out.iter().any(|(_, o)| o.id_number == f.id_number) {
            return Err(CmdError::invalid(
                &format!("{prefix}.id_number"),
                format!("身份证号 {} 在本户中重复填写", f.id_number),
            ));
        }
        out.push((relation, f));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn membership_changes() {
        let today = day("2026-03-15");
        let (joined, born) = (day("2020-01-01"), day("1950-01-01"));
        // (what, result, Ok or the refused field)
        let table: Vec<(&str, CmdResult<()>, Result<(), &str>)> = vec![
            (
                "head again",
                check_new_head("head", true, Some("spouse")),
                Err("person_id"),
            ),
            (
                "old head's relation missing",
                check_new_head("child", true, None),
                Err("old_head_relation"),
            ),
            (
                "two heads",
                check_new_head("child", true, Some("head")),
                Err("old_head_relation"),
            ),
            (
                "unknown relation",
                check_new_head("child", true, Some("cousin")),
                Err("old_head_relation"),
            ),
            (
                "old head gone",
                check_new_head("child", false, None),
                Ok(()),
            ),
            (
                "moves out",
                check_leave("moved_out", false, 2, day("2026-03-01"), joined, today),
                Ok(()),
            ),
            (
                "death is its own step",
                check_leave("death", false, 2, day("2026-03-01"), joined, today),
                Err("reason"),
            ),
            (
                "head leaves first",
                check_leave("other", true, 1, day("2026-03-01"), joined, today),
                Err("person_id"),
            ),
            (
                "head leaves last",
                check_leave("other", true, 0, day("2026-03-01"), joined, today),
                Ok(()),
            ),
            (
                "in the future",
                check_leave("other", false, 0, day("2026-03-16"), joined, today),
                Err("left_on"),
            ),
            (
                "before joining",
                check_leave("other", false, 0, day("2019-12-31"), joined, today),
                Err("left_on"),
            ),
            (
                "death before birth",
                death_left_on(day("1949-12-31"), born, joined, today).map(|_| ()),
                Err("death_date"),
            ),
        ];
        for (what, got, want) in table {
            match (got, want) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(f)) => assert_eq!(e.field.as_deref(), Some(f), "{what}"),
                (got, want) => panic!("{what}: {got:?}, want {want:?}"),
            }
        }
        // A death recorded before the joining date closes the membership on joining.
        assert_eq!(
            death_left_on(day("2019-06-01"), born, joined, today).unwrap(),
            joined
        );
    }
}
