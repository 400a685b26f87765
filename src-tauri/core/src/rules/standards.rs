//! The standards in force on one date, picked from the dated rows, with where each value came from.
//!
//! Editing a standard never changes a month already computed: a new value is a new row with its own
//! effective date, and a month is always computed with `Standards::as_of` that month.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::catalogue::{
    key_def, parse_bounded_ratio, parse_cause_caps, parse_choice, parse_dibao_tiers, parse_integer,
    parse_money, parse_temp_tiers, CauseCap, DibaoTier, KeyDef, Scope, StandardRow, TempTier,
    ValueKind,
};
use super::facts::Area;
use super::money::{fmt_exact, fmt_ratio, fmt_yuan, round_fen, round_grant, GrantRounding};
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};

/// Where a value came from: which standard, for which scope, in force from when.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub key: &'static str,
    /// The label with its scope: "农村低保标准".
    pub label: String,
    pub scope: Scope,
    pub effective_from: NaiveDate,
    /// The stored text of the value.
    pub value: String,
}

/// A value looked up, and its source for the trail.
#[derive(Debug, Clone, PartialEq)]
pub struct Looked<T> {
    pub value: T,
    pub source: Source,
}

/// A ratio standard as configured: its value, and its text ("1/6") for exact use and display.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratio {
    pub value: Decimal,
    text: String,
}

impl Ratio {
    /// `x` × the ratio; a fraction is applied as × numerator ÷ denominator, so that
    /// 1,650 × 1/6 is exactly 275.
    pub fn of(&self, x: Decimal) -> Decimal {
        let part = |s: &str| s.trim().parse::<Decimal>().ok();
        match self.text.split_once('/') {
            Some((n, d)) => match (part(n), part(d)) {
                (Some(n), Some(d)) if !d.is_zero() => x * n / d,
                _ => x * self.value,
            },
            None => x * self.value,
        }
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.text.contains('/') {
            f.write_str(self.text.trim())
        } else {
            f.write_str(&fmt_ratio(self.value))
        }
    }
}

/// The standards in force on one date.
#[derive(Debug, Clone)]
pub struct Standards {
    date: NaiveDate,
    picked: HashMap<(&'static str, Scope), (NaiveDate, String)>,
}

impl Standards {
    /// Per key and scope, the row with the latest `effective_from` on or before `date`.
    /// Rows with an unknown key or the wrong scope are skipped (`validate_row` keeps them out of
    /// the store); a value that does not parse is reported when it is looked up.
    pub fn as_of(rows: &[StandardRow], date: NaiveDate) -> Standards {
        let mut picked: HashMap<(&'static str, Scope), (NaiveDate, String)> = HashMap::new();
        for row in rows.iter().filter(|r| r.effective_from <= date) {
            let Some(def) = key_def(row.key.trim()) else {
                continue;
            };
            if def.per_area() == (row.scope == Scope::All) {
                continue;
            }
            let slot = picked.entry((def.key, row.scope));
            let newer = |(from, _): &(NaiveDate, String)| row.effective_from >= *from;
            match slot {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    if newer(e.get()) {
                        e.insert((row.effective_from, row.value.clone()));
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((row.effective_from, row.value.clone()));
                }
            }
        }
        Standards { date, picked }
    }

    /// The date these standards are in force on; ages are reckoned on it too.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    fn find(&self, key: &str, area: Option<Area>) -> CmdResult<(&'static KeyDef, Source)> {
        let def = key_def(key)
            .ok_or_else(|| CmdError::internal(format!("规则引用了未定义的保障标准项 {key}")))?;
        let scope = match (def.per_area(), area) {
            (false, _) => Scope::All,
            (true, Some(a)) => a.scope(),
            (true, None) => {
                return Err(CmdError::internal(format!(
                    "保障标准项 {key} 分城乡，计算时未给出城乡类别"
                )))
            }
        };
        let label = def.scoped_label(scope);
        let Some((from, value)) = self.picked.get(&(def.key, scope)) else {
            return Err(CmdError::invalid(
                "standards",
                format!("没有 {} 起生效的{label}，请先配置保障标准", self.date),
            ));
        };
        Ok((
            def,
            Source {
                key: def.key,
                label,
                scope,
                effective_from: *from,
                value: value.clone(),
            },
        ))
    }

    fn parsed<T>(
        &self,
        key: &str,
        area: Option<Area>,
        parse: impl FnOnce(&KeyDef, &str) -> Result<T, String>,
    ) -> CmdResult<Looked<T>> {
        let (def, source) = self.find(key, area)?;
        match parse(def, &source.value) {
            Ok(value) => Ok(Looked { value, source }),
            Err(why) => Err(CmdError::invalid(
                "standards",
                format!(
                    "{}（{} 起执行）的值“{}”有误：{why}，请修改保障标准",
                    source.label, source.effective_from, source.value
                ),
            )),
        }
    }

    /// A money standard, in fen.
    pub fn money(&self, key: &str, area: Option<Area>) -> CmdResult<Looked<i64>> {
        self.parsed(key, area, |_, v| parse_money(v))
    }

    pub fn ratio(&self, key: &str, area: Option<Area>) -> CmdResult<Looked<Decimal>> {
        self.parsed(key, area, |def, v| match def.kind {
            ValueKind::Ratio { max } => parse_bounded_ratio(v, max),
            _ => Err("不是比例".into()),
        })
    }

    pub fn integer(&self, key: &str, area: Option<Area>) -> CmdResult<Looked<i64>> {
        self.parsed(key, area, |def, v| match def.kind {
            ValueKind::Integer { min, max } => parse_integer(v, min, max),
            _ => Err("不是整数".into()),
        })
    }

    /// The code of an enumerated standard ("ratio", "on", …).
    pub fn choice(&self, key: &str, area: Option<Area>) -> CmdResult<Looked<String>> {
        self.parsed(key, area, |def, v| match def.kind {
            ValueKind::Choice(choices) => parse_choice(v, choices).map(str::to_owned),
            _ => Err("不是选项".into()),
        })
    }

    pub fn temp_tiers(&self) -> CmdResult<Looked<Vec<TempTier>>> {
        self.parsed("temp.tiers", None, |_, v| parse_temp_tiers(v))
    }

    pub fn cause_caps(&self) -> CmdResult<Looked<Vec<CauseCap>>> {
        self.parsed("temp.cause_caps", None, |_, v| parse_cause_caps(v))
    }

    pub fn dibao_tiers(&self) -> CmdResult<Looked<Vec<DibaoTier>>> {
        self.parsed("dibao.tiers", None, |_, v| parse_dibao_tiers(v))
    }

    /// Look up a money standard and put it on the trail.
    pub(crate) fn money_on(
        &self,
        key: &str,
        area: Option<Area>,
        unit: &str,
        trail: &mut Trail,
    ) -> CmdResult<i64> {
        let l = self.money(key, area)?;
        trail.standard(
            l.source,
            &format!("{} {unit}", fmt_yuan(l.value)),
            Some(l.value),
        );
        Ok(l.value)
    }

    /// Look up a ratio and put it on the trail as configured ("1.3", "30%", "1/6").
    pub(crate) fn ratio_on(
        &self,
        key: &str,
        area: Option<Area>,
        trail: &mut Trail,
    ) -> CmdResult<Ratio> {
        let l = self.ratio(key, area)?;
        let r = Ratio {
            value: l.value,
            text: l.source.value.clone(),
        };
        trail.standard(l.source, &r.to_string(), None);
        Ok(r)
    }

    /// Look up an integer standard and put it on the trail.
    pub(crate) fn integer_on(
        &self,
        key: &str,
        area: Option<Area>,
        unit: &str,
        trail: &mut Trail,
    ) -> CmdResult<i64> {
        let l = self.integer(key, area)?;
        trail.standard(l.source, &format!("{} {unit}", l.value), None);
        Ok(l.value)
    }

    /// Look up an enumerated standard and put its label on the trail.
    pub(crate) fn choice_on(
        &self,
        key: &str,
        area: Option<Area>,
        trail: &mut Trail,
    ) -> CmdResult<String> {
        let l = self.choice(key, area)?;
        let shown = match key_def(key).map(|d| d.kind) {
            Some(ValueKind::Choice(choices)) => choices
                .iter()
                .find(|(c, _)| *c == l.value)
                .map_or(l.value.clone(), |(_, label)| (*label).to_owned()),
            _ => l.value.clone(),
        };
        trail.standard(l.source, &shown, None);
        Ok(l.value)
    }

    /// Finish a computed amount: never below zero, 四舍五入 once to the fen, then the county's
    /// grant rounding. Every calculated grant ends here.
    pub(crate) fn settle(&self, exact_yuan: Decimal, mut trail: Trail) -> CmdResult<Outcome> {
        let exact = exact_yuan.max(Decimal::ZERO);
        let fen = round_fen(exact);
        trail.push(
            LineKind::Rounding,
            format!("四舍五入到分：{} → {} 元", fmt_exact(exact), fmt_yuan(fen)),
            Some(fen),
        );
        let code = self.choice_on("grant.rounding", None, &mut trail)?;
        let rule = GrantRounding::from_code(&code).unwrap_or(GrantRounding::Fen);
        let amount_fen = round_grant(fen, rule);
        if rule != GrantRounding::Fen {
            trail.push(
                LineKind::Rounding,
                format!(
                    "{}：{} → {} 元",
                    rule.label(),
                    fmt_yuan(fen),
                    fmt_yuan(amount_fen)
                ),
                Some(amount_fen),
            );
        }
        Ok(Outcome { amount_fen, trail })
    }
}
