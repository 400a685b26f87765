//! A 低保/特困 application as typed, decided without the database: the programme, the 特困
//! support mode, the day applied (not in the future), and one open case per household and
//! programme.

use chrono::NaiveDate;

use super::CaseState;
use crate::error::{CmdError, CmdResult};
use crate::programme::Programme;
use crate::store::cases::CaseRow;

/// An application's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub programme: Programme,
    /// `centralised` (集中供养) or `dispersed` (分散供养), for 特困 only.
    pub support_mode: Option<String>,
    pub applied_on: NaiveDate,
}

/// Check an application typed on `today`; errors name the field.
pub fn check_application(
    programme: &str,
    support_mode: Option<&str>,
    applied_on: Option<NaiveDate>,
    today: NaiveDate,
) -> CmdResult<Application> {
    let programme = match Programme::from_code(programme) {
        Some(p @ (Programme::Dibao | Programme::Tekun)) => p,
        _ => {
            return Err(CmdError::invalid(
                "programme",
                format!("救助项目“{programme}”无效，应为 dibao（低保）或 tekun（特困）"),
            ))
        }
    };
    let support_mode = match (programme, support_mode) {
        (Programme::Tekun, Some(m @ ("centralised" | "dispersed"))) => Some(m.to_owned()),
        (Programme::Tekun, None) => {
            return Err(CmdError::invalid(
                "support_mode",
                "特困申请须选择供养方式：集中供养或分散供养",
            ))
        }
        (Programme::Tekun, Some(m)) => {
            return Err(CmdError::invalid(
                "support_mode",
                format!("供养方式“{m}”无效，应为 centralised（集中）或 dispersed（分散）"),
            ))
        }
        (_, Some(_)) => {
            return Err(CmdError::invalid(
                "support_mode",
                "只有特困申请需要填写供养方式",
            ))
        }
        (_, None) => None,
    };
    let applied_on = applied_on.unwrap_or(today);
    if applied_on > today {
        return Err(CmdError::invalid(
            "applied_on",
            format!("申请日期 {applied_on} 晚于今天，不能登记"),
        ));
    }
    Ok(Application {
        programme,
        support_mode,
        applied_on,
    })
}

/// The label of a stored 特困 support mode.
pub fn support_mode_label(code: &str) -> &'static str {
    match code {
        "centralised" => "集中供养",
        _ => "分散供养",
    }
}

/// One open case per household and programme: `existing` are the household's cases of it.
pub fn check_no_open_case(existing: &[CaseRow], programme: Programme) -> CmdResult<()> {
    let open = |c: &&CaseRow| {
        CaseState::parse(&c.state).is_none_or(|st| {
            !matches!(
                st,
                CaseState::Exited | CaseState::Refused | CaseState::Withdrawn
            )
        })
    };
    match existing.iter().find(open) {
        None => Ok(()),
        Some(c) => Err(CmdError::conflict(
            "household_id",
            format!(
                "该户已有未办结的{}案件 {}（{}），不能重复申请",
                programme.full_name(),
                c.number,
                CaseState::parse(&c.state).map(|x| x.label()).unwrap_or("")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applications_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let tomorrow = today.succ_opt();
        // (programme, support mode, applied on, the field refused or "" for accepted)
        let table = [
            ("dibao", None, None, ""),
            ("tekun", Some("centralised"), Some(today), ""),
            ("temp_aid", None, None, "programme"),
            ("tekun", None, None, "support_mode"),
            ("tekun", Some("home"), None, "support_mode"),
            ("dibao", Some("dispersed"), None, "support_mode"),
            ("dibao", None, tomorrow, "applied_on"),
        ];
        for (programme, mode, on, field) in table {
            match check_application(programme, mode, on, today) {
                Ok(a) => assert_eq!(field, "", "{programme} {mode:?}: accepted {a:?}"),
                Err(e) => assert_eq!(e.field.as_deref(), Some(field), "{}", e.message),
            }
        }
        let case = |state: CaseState| CaseRow {
            number: "DB-2026-000001".into(),
            state: state.as_str().into(),
            ..CaseRow::default()
        };
        let closed = [case(CaseState::Exited), case(CaseState::Refused)];
        assert!(check_no_open_case(&closed, Programme::Dibao).is_ok());
        let e = check_no_open_case(&[case(CaseState::OnNotice)], Programme::Dibao).unwrap_err();
        assert_eq!(
            e.message,
            "该户已有未办结的最低生活保障案件 DB-2026-000001（公示中），不能重复申请"
        );
    }
}
