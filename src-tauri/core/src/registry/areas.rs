//! What a valid area is: a name, urban or rural, and a code of the level's length that starts
//! with its parent's. Pure: the commands load the parent and pass it in.

use crate::error::{CmdError, CmdResult};
use crate::store::areas::Level;

pub fn check_area_name(name: &str) -> CmdResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CmdError::invalid("name", "请填写区划名称"));
    }
    if name.chars().count() > 40 {
        return Err(CmdError::invalid("name", "区划名称不能超过 40 个字"));
    }
    Ok(name.to_owned())
}

/// `urban` or `rural`, or none given.
pub fn check_urban_rural(v: Option<&str>) -> CmdResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(x @ ("urban" | "rural")) => Ok(Some(x.to_owned())),
        Some(x) => Err(CmdError::invalid(
            "urban_rural",
            format!("城乡属性“{x}”无效，应为 urban（城市）或 rural（农村）"),
        )),
    }
}

/// A typed code for a new area of `level` under a parent coded `parent_code` (field `code`).
pub fn check_child_code(level: Level, parent_code: &str, code: &str) -> CmdResult<String> {
    if code.len() != level.code_len()
        || !code.bytes().all(|b| b.is_ascii_digit())
        || !code.starts_with(parent_code)
    {
        return Err(CmdError::invalid(
            "code",
            format!(
                "{}代码应为 {} 位数字，并以上级代码 {} 开头",
                level.label(),
                level.code_len(),
                parent_code
            ),
        ));
    }
    Ok(code.to_owned())
}

/// The county at first run: its name (trimmed) and six-digit code.
pub fn check_county(name: &str, code: &str) -> CmdResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CmdError::invalid("county_name", "请填写县（区）名称"));
    }
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CmdError::invalid(
            "county_code",
            "县级行政区划代码应为 6 位数字，如 410122",
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_fields() {
        // (what, result: Ok or the refused field)
        let table: Vec<(&str, CmdResult<String>, Result<&str, &str>)> = vec![
            ("name", check_area_name(" 李庄村 "), Ok("李庄村")),
            ("blank name", check_area_name("  "), Err("name")),
            ("long name", check_area_name(&"村".repeat(41)), Err("name")),
            (
                "village code",
                check_child_code(Level::Village, "410122001", "410122001007"),
                Ok("410122001007"),
            ),
            (
                "short code",
                check_child_code(Level::Village, "410122001", "41012200107"),
                Err("code"),
            ),
            (
                "other parent",
                check_child_code(Level::Village, "410122001", "410122002007"),
                Err("code"),
            ),
            ("county", check_county(" 清河县 ", "410122"), Ok("清河县")),
            (
                "county code",
                check_county("清河县", "41012"),
                Err("county_code"),
            ),
            (
                "county name",
                check_county("", "410122"),
                Err("county_name"),
            ),
        ];
        for (what, got, want) in table {
            match (got, want) {
                (Ok(v), Ok(w)) => assert_eq!(v, w, "{what}"),
                (Err(e), Err(f)) => assert_eq!(e.field.as_deref(), Some(f), "{what}"),
                (got, want) => panic!("{what}: {got:?}, want {want:?}"),
            }
        }
        assert_eq!(
            check_urban_rural(Some("rural")).unwrap().as_deref(),
            Some("rural")
        );
        assert_eq!(check_urban_rural(None).unwrap(), None);
        assert!(check_urban_rural(Some("town")).is_err());
    }
}
