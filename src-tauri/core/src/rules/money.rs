//! Money: integer fen at the boundary, exact `Decimal` inside, and the only two roundings.
//!
//! Invariant: a computed amount is rounded exactly once to the fen by [`round_fen`] (四舍五入, half
//! away from zero), then, if the county says so, to whole yuan by [`round_grant`]. Nothing else in
//! the engine rounds. `Decimal::round_dp` is banker's rounding (2.345 → 2.34) and is never used.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{CmdError, CmdResult};

/// Fen as an exact decimal number of yuan: 189400 → 1894.00.
pub fn yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// 四舍五入 to the fen, half away from zero: 2.345 → 2.35, −2.345 → −2.35. Returns fen.
pub fn round_fen(exact_yuan: Decimal) -> i64 {
    let r = exact_yuan.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    (r * Decimal::ONE_HUNDRED)
        .to_i64()
        .expect("an amount of money fits in i64 fen")
}

/// How a grant already rounded to the fen is finally rounded (a county setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantRounding {
    /// Keep the fen.
    Fen,
    /// 四舍五入 to whole yuan.
    YuanRound,
    /// Up to the next whole yuan.
    YuanCeil,
}

impl GrantRounding {
    pub const CODES: &'static [(&'static str, &'static str)] = &[
        ("fen", "精确到分"),
        ("yuan_round", "四舍五入到元"),
        ("yuan_ceil", "向上取整到元"),
    ];

    pub fn from_code(code: &str) -> Option<GrantRounding> {
        match code {
            "fen" => Some(GrantRounding::Fen),
            "yuan_round" => Some(GrantRounding::YuanRound),
            "yuan_ceil" => Some(GrantRounding::YuanCeil),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GrantRounding::Fen => "精确到分",
            GrantRounding::YuanRound => "四舍五入到元",
            GrantRounding::YuanCeil => "向上取整到元",
        }
    }
}

/// The grant's final rounding, applied to an amount already rounded to the fen.
pub fn round_grant(fen: i64, rule: GrantRounding) -> i64 {
    let whole = match rule {
        GrantRounding::Fen => return fen,
        GrantRounding::YuanRound => {
            yuan(fen).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        }
        GrantRounding::YuanCeil => yuan(fen).ceil(),
    };
    (whole * Decimal::ONE_HUNDRED)
        .to_i64()
        .expect("an amount of money fits in i64 fen")
}

/// Fen for display, with thousands separators: 522600 → "5,226.00", -5 → "-0.05".
pub fn fmt_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

/// An exact intermediate amount for display: exact at the fen as "631.50", otherwise "≈631.33"
/// (display only; the calculation keeps the exact value).
pub(crate) fn fmt_dec(exact_yuan: Decimal) -> String {
    let fen = exact_yuan * Decimal::ONE_HUNDRED;
    if fen.fract().is_zero() {
        fmt_yuan(fen.to_i64().expect("an amount of money fits in i64 fen"))
    } else {
        format!("≈{}", fmt_yuan(round_fen(exact_yuan)))
    }
}

/// An exact decimal for the rounding line: every digit up to eight places, then "…".
pub(crate) fn fmt_exact(d: Decimal) -> String {
    let n = d.normalize();
    if n.scale() <= 2 {
        fmt_dec(n)
    } else if n.scale() <= 8 {
        n.to_string()
    } else {
        format!("{}…", n.trunc_with_scale(8))
    }
}

/// A ratio or multiple as typed by an administrator: "1.3", "0.3", "30%" or "1/6".
pub(crate) fn parse_ratio(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let plain = |s: &str| -> Option<Decimal> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        s.parse::<Decimal>().ok()
    };
    if let Some(p) = t.strip_suffix('%') {
        return plain(p).map(|d| d / Decimal::ONE_HUNDRED);
    }
    if let Some((n, d)) = t.split_once('/') {
        let (n, d) = (plain(n)?, plain(d)?);
        return if d.is_zero() { None } else { Some(n / d) };
    }
    plain(t)
}

/// A ratio for display as a percentage when below 1 ("30%"), else as a multiple ("1.3").
pub(crate) fn fmt_ratio(r: Decimal) -> String {
    if r < Decimal::ONE {
        let p = (r * Decimal::ONE_HUNDRED).normalize();
        return if p.scale() <= 4 {
            format!("{p}%")
        } else {
            format!("≈{}%", p.trunc_with_scale(2))
        };
    }
    let n = r.normalize();
    if n.scale() <= 4 {
        n.to_string()
    } else {
        format!("≈{}", n.trunc_with_scale(4))
    }
}

/// Parse a non-negative yuan amount with at most two decimals into fen.
pub fn fen_from_yuan(field: &str, text: &str) -> CmdResult<i64> {
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

/// Fen as a yuan string with two decimals, as it crosses IPC and goes into files: 189450 →
/// "1894.50". (Trails group thousands with [`fmt_yuan`].)
pub fn yuan_text(fen: i64) -> String {
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
        assert_eq!(yuan_text(189450), "1894.50");
        assert_eq!(yuan_text(5), "0.05");
        assert_eq!(yuan_text(-250), "-2.50");
    }
}
