//! The JSON-valued standards parsed: 临时救助 tiers (`temp.tiers`, each optionally with its
//! category's own cap), 临时救助 caps by cause (`temp.cause_caps`) and 低保 分档 tiers
//! (`dibao.tiers`). Errors say which item and field, in
//! Chinese; the catalogue puts them in front of the key's label.

use rust_decimal::Decimal;

use super::catalogue::{parse_bounded_ratio, CauseCap, DibaoTier, TempAidKind, TempTier};

fn json_list(value: &str) -> Result<Vec<serde_json::Value>, String> {
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(serde_json::Value::Array(items)) => Ok(items),
        _ => Err("应为 JSON 列表".into()),
    }
}

/// A JSON field holding text, or a ratio given as text or as a number.
fn json_text(item: &serde_json::Value, name: &str, n: usize) -> Result<String, String> {
    match item.get(name) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Some(serde_json::Value::Number(x)) => Ok(x.to_string()),
        _ => Err(format!("第 {n} 项缺少“{name}”")),
    }
}

fn json_ratio(item: &serde_json::Value, name: &str, n: usize, max: u32) -> Result<Decimal, String> {
    let text = json_text(item, name, n)?;
    parse_bounded_ratio(&text, max).map_err(|why| format!("第 {n} 项的“{name}”{why}"))
}

pub(crate) fn parse_temp_tiers(value: &str) -> Result<Vec<TempTier>, String> {
    let items = json_list(value)?;
    if items.is_empty() {
        return Err("至少要有一个档次".into());
    }
    let mut tiers: Vec<TempTier> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let code = json_text(item, "code", n)?;
        if tiers.iter().any(|t| t.code == code) {
            return Err(format!("档次代码“{code}”重复"));
        }
        let kind = match json_text(item, "kind", n)?.as_str() {
            "emergency" => TempAidKind::Emergency,
            "expenditure" => TempAidKind::Expenditure,
            _ => {
                return Err(format!(
                    "第 {n} 项的“kind”只能是 emergency（急难型）或 expenditure（支出型）"
                ))
            }
        };
        let cap = match item.get("cap") {
            None | Some(serde_json::Value::Null) => None,
            Some(_) => Some(json_ratio(item, "cap", n, 100)?),
        };
        let cap_urban = cap_on(item, n)?;
        tiers.push(TempTier {
            label: json_text(item, "label", n)?,
            multiple: json_ratio(item, "multiple", n, 100)?,
            code,
            kind,
            cap,
            cap_urban,
        });
    }
    Ok(tiers)
}

pub(crate) fn parse_dibao_tiers(value: &str) -> Result<Vec<DibaoTier>, String> {
    let mut tiers = Vec::new();
    for (i, item) in json_list(value)?.iter().enumerate() {
        let n = i + 1;
        let tier = DibaoTier {
            below: json_ratio(item, "below", n, 1)?,
            pay: json_ratio(item, "pay", n, 2)?,
        };
        if tier.below.is_zero() {
            return Err(format!("第 {n} 项的“below”应大于 0"));
        }
        if tiers
            .last()
            .is_some_and(|t: &DibaoTier| t.below >= tier.below)
        {
            return Err("各档的“below”应从小到大排列".into());
        }
        tiers.push(tier);
    }
    Ok(tiers)
}

/// `"cap_on"`: `own` (the household's area, the default) or `urban`.
fn cap_on(item: &serde_json::Value, n: usize) -> Result<bool, String> {
    match item.get("cap_on").and_then(|v| v.as_str()).map(str::trim) {
        None | Some("own") => Ok(false),
        Some("urban") => Ok(true),
        Some(_) => Err(format!(
            "第 {n} 项的“cap_on”只能是 own（按本户城乡类别）或 urban（按城市低保标准）"
        )),
    }
}

pub(crate) fn parse_cause_caps(value: &str) -> Result<Vec<CauseCap>, String> {
    let mut caps: Vec<CauseCap> = Vec::new();
    for (i, item) in json_list(value)?.iter().enumerate() {
        let n = i + 1;
        let cause = json_text(item, "cause", n)?;
        if caps.iter().any(|c| c.cause == cause) {
            return Err(format!("救助事由“{cause}”重复"));
        }
        caps.push(CauseCap {
            cap: json_ratio(item, "cap", n, 100)?,
            cap_urban: cap_on(item, n)?,
            cause,
        });
    }
    Ok(caps)
}
