//! 近亲属备案 as data: the relations that count as near relatives and the checks on a filing's
//! typed fields. The command resolves the declaring user and the area; nothing here reads the
//! database.

use chrono::NaiveDate;

use crate::error::{CmdError, CmdResult};
use crate::idcard;

/// Relations that count as near relatives (配偶、直系血亲、三代以内旁系血亲及近姻亲).
pub const RELATIONS: &[&str] = &[
    "配偶",
    "父母",
    "子女",
    "兄弟姐妹",
    "祖父母、外祖父母",
    "孙子女、外孙子女",
    "叔伯姑舅姨",
    "侄子女、外甥子女",
    "堂兄弟姐妹、表兄弟姐妹",
    "配偶的父母",
    "配偶的兄弟姐妹",
    "子女的配偶",
    "其他近姻亲",
];

/// A filing's fields as typed.
#[derive(Debug, Clone, Default)]
pub struct Typed<'a> {
    /// The declaring user's name when a Doudi user is chosen.
    pub user_name: Option<String>,
    /// The name typed for a village cadre who is not a user.
    pub staff_name: Option<&'a str>,
    pub staff_post: &'a str,
    pub relative_id_number: &'a str,
    pub relative_name: &'a str,
    pub relation: &'a str,
    pub declared_on: Option<NaiveDate>,
}

/// A filing's fields, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub staff_name: String,
    pub staff_post: String,
    pub relative_id_number: String,
    pub relative_name: String,
    pub relation: String,
    pub declared_on: NaiveDate,
}

/// Check a filing typed on `today`; errors name the field.
pub fn check_filing(t: Typed, today: NaiveDate) -> CmdResult<Checked> {
    let staff_name = match t.user_name {
        Some(name) => name,
        None => {
            let n = t.staff_name.map(str::trim).unwrap_or("");
            if n.is_empty() {
                return Err(CmdError::invalid(
                    "staff_name",
                    "请填写备案人姓名（村干部等非系统用户），或选择系统用户",
                ));
            }
            n.to_owned()
        }
    };
    let post = t.staff_post.trim();
    if post.is_empty() {
        return Err(CmdError::invalid(
            "staff_post",
            "请填写备案人职务，如“村委会主任”“乡镇经办人”",
        ));
    }
    let id_number = t.relative_id_number.trim().to_uppercase();
    idcard::parse(&id_number, today)
        .map_err(|e| CmdError::invalid("relative_id_number", format!("近亲属{}", e.message)))?;
    let relative_name = t.relative_name.trim();
    if relative_name.is_empty() {
        return Err(CmdError::invalid("relative_name", "请填写近亲属姓名"));
    }
    if !RELATIONS.contains(&t.relation) {
        return Err(CmdError::invalid(
            "relation",
            format!(
                "关系“{}”不在近亲属范围内，可选：{}",
                t.relation,
                RELATIONS.join("、")
            ),
        ));
    }
    let declared_on = t.declared_on.unwrap_or(today);
    if declared_on > today {
        return Err(CmdError::invalid("declared_on", "备案日期不能晚于今天"));
    }
    Ok(Checked {
        staff_name,
        staff_post: post.to_owned(),
        relative_id_number: id_number,
        relative_name: relative_name.to_owned(),
        relation: t.relation.to_owned(),
        declared_on,
    })
}

/// The reason a filing is withdrawn: required.
pub fn check_withdraw_reason(reason: &str) -> CmdResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CmdError::invalid(
            "reason",
            "请填写撤销原因，如“已离任”“关系已解除”",
        ));
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filings_are_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok = Typed {
            staff_name: Some(" 刘主任 "),
            staff_post: "村委会主任",
            relative_id_number: "410122195001010554",
            relative_name: "刘老汉",
            relation: "父母",
            ..Typed::default()
        };
        let tomorrow = today.succ_opt();
        // (what is changed, the field refused or "" for accepted)
        let table: Vec<(&str, Typed, &str)> = vec![
            ("nothing", ok.clone(), ""),
            (
                "a user instead of a name",
                Typed {
                    user_name: Some("王经办".into()),
                    staff_name: None,
                    ..ok.clone()
                },
                "",
            ),
            (
                "no name",
                Typed {
                    staff_name: Some(" "),
                    ..ok.clone()
                },
                "staff_name",
            ),
            (
                "no post",
                Typed {
                    staff_post: "",
                    ..ok.clone()
                },
                "staff_post",
            ),
            (
                "a bad id number",
                Typed {
                    relative_id_number: "410122195001010557",
                    ..ok.clone()
                },
                "relative_id_number",
            ),
            (
                "no relative",
                Typed {
                    relative_name: " ",
                    ..ok.clone()
                },
                "relative_name",
            ),
            (
                "a far relation",
                Typed {
                    relation: "同事",
                    ..ok.clone()
                },
                "relation",
            ),
            (
                "declared tomorrow",
                Typed {
                    declared_on: tomorrow,
                    ..ok.clone()
                },
                "declared_on",
            ),
        ];
        for (what, typed, field) in table {
            match check_filing(typed, today) {
                Ok(c) => assert_eq!(field, "", "{what}: accepted {c:?}"),
                Err(e) => assert_eq!(e.field.as_deref(), Some(field), "{what}: {}", e.message),
            }
        }
        let c = check_filing(ok, today).unwrap();
        assert_eq!((c.staff_name.as_str(), c.declared_on), ("刘主任", today));
        assert_eq!(
            check_withdraw_reason(" ").unwrap_err().field.as_deref(),
            Some("reason")
        );
    }
}
