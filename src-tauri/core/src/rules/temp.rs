//! 临时救助: a one-off grant, a tier's multiple of the monthly 低保 standard (or a multiple or an
//! amount decided by the caseworker), raised to the emergency minimum, held to the cap, and
//! checked against the township's approval quota.

use rust_decimal::Decimal;

use super::catalogue::TempAidKind;
use super::facts::Area;
use super::money::{fmt_dec, fmt_ratio, yuan};
use super::standards::Standards;
use super::trail::{LineKind, Outcome, Trail};
use crate::error::{CmdError, CmdResult};

/// How the amount is set.
#[derive(Debug, Clone, PartialEq)]
pub enum TempAidBasis {
    /// A tier from the county's `temp.tiers`, by code.
    Tier(String),
    /// A multiple of the monthly 低保 standard.
    Multiple(Decimal),
    /// An amount in fen.
    Amount(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TempAidRequest {
    /// The area of the household's 户籍.
    pub area: Area,
    /// The area of the village or community where it lives, when known: the multiples are of
    /// its standard where the county says so (see [`temp_basis_area`]).
    pub residence: Option<Area>,
    pub kind: TempAidKind,
    pub basis: TempAidBasis,
}

/// The area whose 低保 standard a 临时救助 is reckoned on: the 户籍's, or — where
/// `temp.basis_area` is `residence` — that of the village or community the household lives in
/// (a family registered elsewhere, or rural-registered living in town). The trail says which
/// when they differ.
pub fn temp_basis_area(
    st: &Standards,
    hukou: Area,
    residence: Option<Area>,
    trail: &mut Trail,
) -> CmdResult<Area> {
    match residence {
        Some(lives) if lives != hukou => {
            if st.choice_on("temp.basis_area", None, trail)? == "residence" {
                let label = |a: Area| match a {
                    Area::Urban => "城镇",
                    Area::Rural => "农村",
                };
                trail.note(format!(
                    "户籍为{}，现居住地为{}，按居住地的低保标准计算",
                    label(hukou),
                    label(lives)
                ));
                Ok(lives)
            } else {
                Ok(hukou)
            }
        }
        _ => Ok(hukou),
    }
}

/// The one-off 临时救助 amount. The trail ends with who may approve it.
pub fn temp_aid(st: &Standards, req: &TempAidRequest) -> CmdResult<Outcome> {
    let mut trail = Trail::default();
    trail.note(format!("临时救助类型：{}", req.kind.label()));
    let area = temp_basis_area(st, req.area, req.residence, &mut trail)?;
    let standard = yuan(st.money_on("dibao.standard", Some(area), "元/人·月", &mut trail)?);
    // A tier's category may have its own cap (e.g. 3 × the urban standard).
    let mut category_cap: Option<(Decimal, Decimal, String)> = None;
    let mut amount = match &req.basis {
        TempAidBasis::Tier(code) => {
            let tiers = st.temp_tiers()?;
            let Some(tier) = tiers.value.iter().find(|t| t.code == *code) else {
                return Err(CmdError::invalid(
                    "tier",
                    format!("没有代码为“{code}”的临时救助档次，请在保障标准中查看可选档次"),
                ));
            };
            if tier.kind != req.kind {
                return Err(CmdError::invalid(
                    "tier",
                    format!(
                        "“{}”是{}临时救助的档次，不能用于{}临时救助",
                        tier.label,
                        tier.kind.label(),
                        req.kind.label()
                    ),
                ));
            }
            let shown = format!(
                "{}：月低保标准的 {} 倍",
                tier.label,
                fmt_ratio(tier.multiple)
            );
            trail.standard(tiers.source, &shown, None);
            if let Some(cap) = tier.cap {
                let (on, what) = if tier.cap_urban {
                    let urban =
                        st.money_on("dibao.standard", Some(Area::Urban), "元/人·月", &mut trail)?;
                    (yuan(urban), "城市低保标准")
                } else {
                    (standard, "月低保标准")
                };
                category_cap = Some((
                    cap,
                    on,
                    format!("{}上限 {} × {what}", tier.label, fmt_ratio(cap)),
                ));
            }
            multiple(tier.multiple, standard, &tier.label, &mut trail)
        }
        TempAidBasis::Multiple(m) => {
            if *m < Decimal::ZERO {
                return Err(CmdError::invalid("multiple", "倍数不能为负数"));
            }
            multiple(*m, standard, "核定倍数", &mut trail)
        }
        TempAidBasis::Amount(fen) => {
            if *fen < 0 {
                return Err(CmdError::invalid("amount", "救助金额不能为负数"));
            }
            trail.push(
                LineKind::Formula,
                format!("核定金额 {} 元", fmt_dec(yuan(*fen))),
                Some(*fen),
            );
            yuan(*fen)
        }
    };
    if req.kind == TempAidKind::Emergency {
        let m = st.ratio_on("temp.emergency_min_multiple", None, &mut trail)?;
        let floor = m.of(standard);
        if amount < floor {
            amount = floor;
            trail.push(
                LineKind::Deduction,
                format!(
                    "低于急难型下限 {} × {} = {} 元，按下限发放",
                    m,
                    fmt_dec(standard),
                    fmt_dec(floor)
                ),
                None,
            );
        }
    }
    let m = st.ratio_on("temp.cap_multiple", None, &mut trail)?;
    let cap = m.of(standard);
    if let Some((multiple, on, what)) = category_cap.filter(|(c, on, _)| *c * *on < cap) {
        let own = multiple * on;
        if amount > own {
            amount = own;
            trail.push(
                LineKind::Deduction,
                format!(
                    "超过{what} {} = {} 元，按此上限发放",
                    fmt_dec(on),
                    fmt_dec(own)
                ),
                None,
            );
        }
    }
    if amount > cap {
        amount = cap;
        trail.push(
            LineKind::Deduction,
            format!(
                "超过上限 {} × {} = {} 元，按上限发放（仍有困难的可提请一事一议）",
                m,
                fmt_dec(standard),
                fmt_dec(cap)
            ),
            None,
        );
    }
    let mut out = st.settle(amount, trail)?;
    let quota = township_quota(st, area, &mut out.trail)?;
    let text = if yuan(out.amount_fen) <= quota {
        format!(
            "不超过乡镇审批额度 {} 元，乡镇（街道）可审批",
            fmt_dec(quota)
        )
    } else {
        format!(
            "超过乡镇审批额度 {} 元，需报县级民政部门审批",
            fmt_dec(quota)
        )
    };
    out.trail.note(text);
    Ok(out)
}

/// Whether the township may approve a 临时救助 of `amount_fen` on its own.
pub fn township_may_approve(st: &Standards, area: Area, amount_fen: i64) -> CmdResult<bool> {
    let quota = township_quota(st, area, &mut Trail::default())?;
    Ok(yuan(amount_fen) <= quota)
}

fn multiple(m: Decimal, standard: Decimal, what: &str, trail: &mut Trail) -> Decimal {
    let amount = m * standard;
    trail.push(
        LineKind::Formula,
        format!(
            "{what}：{} × 月低保标准 {} = {} 元",
            fmt_ratio(m),
            fmt_dec(standard),
            fmt_dec(amount)
        ),
        None,
    );
    amount
}

/// The township's approval quota in yuan, exact.
fn township_quota(st: &Standards, area: Area, trail: &mut Trail) -> CmdResult<Decimal> {
    if st.choice_on("temp.township_quota.mode", None, trail)? == "amount" {
        return Ok(yuan(st.money_on(
            "temp.township_quota.amount",
            None,
            "元",
            trail,
        )?));
    }
    let m = st.ratio_on("temp.township_quota.multiple", None, trail)?;
    let standard = yuan(st.money("dibao.standard", Some(area))?.value);
    Ok(m.of(standard))
}

/// What bounds a 临时救助 for a household of this area on the standards' date, in fen: the
/// township's approval quota, the cap, and the emergency minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TempAidLimits {
    pub township_quota_fen: i64,
    pub cap_fen: i64,
    pub emergency_min_fen: i64,
}

/// The limits for a case of `cause` (救助事由): the cap is the cause's own
/// (`temp.cause_caps`) where that is lower than the county cap.
pub fn temp_aid_limits_for(st: &Standards, area: Area, cause: &str) -> CmdResult<TempAidLimits> {
    let mut limits = temp_aid_limits(st, area)?;
    if let Some(c) = st
        .cause_caps()?
        .value
        .into_iter()
        .find(|c| c.cause == cause)
    {
        let on = if c.cap_urban { Area::Urban } else { area };
        let standard = yuan(st.money("dibao.standard", Some(on))?.value);
        limits.cap_fen = limits
            .cap_fen
            .min(super::money::round_fen(c.cap * standard));
    }
    Ok(limits)
}

pub fn temp_aid_limits(st: &Standards, area: Area) -> CmdResult<TempAidLimits> {
    let mut trail = Trail::default();
    let standard = yuan(st.money("dibao.standard", Some(area))?.value);
    let cap = st
        .ratio_on("temp.cap_multiple", None, &mut trail)?
        .of(standard);
    let min = st
        .ratio_on("temp.emergency_min_multiple", None, &mut trail)?
        .of(standard);
    Ok(TempAidLimits {
        township_quota_fen: super::money::round_fen(township_quota(st, area, &mut trail)?),
        cap_fen: super::money::round_fen(cap),
        emergency_min_fen: super::money::round_fen(min),
    })
}
