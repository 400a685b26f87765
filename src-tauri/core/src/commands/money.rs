//! Money at the command boundary: yuan as decimal strings ("1894.50") in and out, integer fen
//! inside. JavaScript never holds a float.

use crate::error::{CmdError, CmdResult};

/// Parse a non-negative yuan amount with at most two decimals into fen.
pub(crate) fn fen_from_yuan(field: &str, text: &str) -> CmdResult<i64> {
    let t = text.trim().replace([',', '，'], "");
    let bad = || {
        CmdError::invalid(
            field,
            format!("金额“{text}”不是有效数字，请填写如 1894 或 1894.50 的金额（元）"),
        )
    };
    if t.is_empty() {
        return Err(CmdError::invalid(field, "请填写金额（元）"));
    }
    if t.starts_with('-') {
        return Err(CmdError::invalid(
            field,
            format!("金额不能为负数（现在是 {text}）"),
        ));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    if frac.len() > 2 {
        return Err(CmdError::invalid(
            field,
            format!("金额最多精确到分（两位小数），现在是 {text}"),
        ));
    }
    if whole.len() > 12 {
        return Err(CmdError::invalid(field, format!("金额 {text} 过大")));
    }
    let yuan: i64 = whole.parse().map_err(|_| bad())?;
    let fen: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(yuan * 100 + fen)
}

/// Fen as a yuan string with two decimals: 189450 → "1894.50".
pub(crate) fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        let ok = [
            ("1894", 189400),
            ("1894.5", 189450),
            ("1,894.05", 189405),
            ("0", 0),
            (" 12.30 ", 1230),
        ];
        for (t, fen) in ok {
            assert_eq!(fen_from_yuan("amount", t).unwrap(), fen, "{t}");
        }
        let bad = [
            ("", "请填写金额"),
            ("-5", "不能为负数"),
            ("abc", "不是有效数字"),
            ("1.234", "精确到分"),
            ("1e3", "不是有效数字"),
            (".5", "不是有效数字"),
        ];
        for (t, msg) in bad {
            let e = fen_from_yuan("amount", t).unwrap_err();
            assert!(e.message.contains(msg), "{t}: {}", e.message);
            assert_eq!(e.field.as_deref(), Some("amount"));
        }
        assert_eq!(yuan(189450), "1894.50");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(-250), "-2.50");
    }
}
