//! Batch grants (价格临时补贴, 一次性生活补贴): a recorded grant's parameters parsed, and what it
//! pays one case in the month.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{CmdError, CmdResult};
use crate::rules::money::yuan_text;
use crate::rules::{self, Area, OneTimeFor, PriceIndex, Standards};

use super::PaymentKind;

/// A recorded batch grant, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchGrant {
    Price(PriceIndex),
    OneTime { dibao: bool, tekun: bool },
}

impl BatchGrant {
    pub fn kind(&self) -> PaymentKind {
        match self {
            BatchGrant::Price(_) => PaymentKind::PriceSubsidy,
            BatchGrant::OneTime { .. } => PaymentKind::OneTime,
        }
    }
}

/// A grant of `kind` (price_subsidy | one_time) from its parameters as recorded:
/// `{"cpi_rise", "food_rise"}` or `{"for": dibao | tekun | all}`. Fields `kind`, `cpi_rise`,
/// `food_rise`, `for`.
pub fn parse_grant(kind: &str, params: &Value) -> CmdResult<BatchGrant> {
    let text = |k: &str| params[k].as_str().map(str::trim).filter(|t| !t.is_empty());
    match kind {
        "price_subsidy" => {
            let cpi = text("cpi_rise")
                .ok_or_else(|| CmdError::invalid("cpi_rise", "请填写本月 CPI 同比涨幅，按百分数填写，如 3.6 表示 3.6%"))?;
            Ok(BatchGrant::Price(PriceIndex::from_percent(cpi, text("food_rise"))?))
        }
        "one_time" => match text("for").unwrap_or("") {
            "dibao" => Ok(BatchGrant::OneTime { dibao: true, tekun: false }),
            "tekun" => Ok(BatchGrant::OneTime { dibao: false, tekun: true }),
            "all" => Ok(BatchGrant::OneTime { dibao: true, tekun: true }),
            other => Err(CmdError::invalid(
                "for",
                format!("发放对象“{other}”无效，应为 dibao（低保）、tekun（特困）或 all（两者）"),
            )),
        },
        other => Err(CmdError::invalid(
            "kind",
            format!("批量补贴类别“{other}”无效，应为 price_subsidy（价格临时补贴）或 one_time（一次性生活补贴）"),
        )),
    }
}

/// A batch grant's amount for one case this month (0 when not due).
pub fn grant_amount(
    g: &BatchGrant,
    st: &Standards,
    programme: &str,
    area: Area,
    persons: u32,
) -> CmdResult<i64> {
    Ok(match g {
        BatchGrant::Price(index) => rules::price_subsidy(st, area, persons, index)?.amount_fen,
        BatchGrant::OneTime { dibao, tekun } => {
            let who = match programme {
                "tekun" if *tekun => OneTimeFor::Tekun,
                "dibao" if *dibao => OneTimeFor::Dibao,
                _ => return Ok(0),
            };
            rules::one_time_subsidy(st, who, persons)?.amount_fen
        }
    })
}

/// What one person gets of a grant, for each programme and area (dibao_rural, dibao_urban,
/// tekun_rural, tekun_urban), as yuan text; an error when a standard it needs is not in force.
pub fn per_person(g: &BatchGrant, st: &Standards) -> CmdResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (code, programme, area) in [
        ("dibao_rural", "dibao", Area::Rural),
        ("dibao_urban", "dibao", Area::Urban),
        ("tekun_rural", "tekun", Area::Rural),
        ("tekun_urban", "tekun", Area::Urban),
    ] {
        out.insert(
            code.to_owned(),
            yuan_text(grant_amount(g, st, programme, area, 1)?),
        );
    }
    Ok(out)
}
