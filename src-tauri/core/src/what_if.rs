//! What-if (政策测算): a standard proposed from a date, against what is paid now. Pure: the
//! command loads the standards (in force, and with the proposed row) and the caseload split into
//! open cases and the other households (`store::recompute::caseload`).
//!
//! - [`enrolled`]: every open 低保/特困 case paid in the month — the amount in force then (what it
//!   is paid now) against the rules' amount under the proposed standards, with the reasons (which
//!   standard differs, or that the household differs from when the amount was set). A case in its
//!   渐退期 keeps its amount (the 渐退期 rule fixes it at exit). A case the proposed standards
//!   would take to 0 is listed with 0: it would no longer qualify.
//! - [`newly`]: households with no open 低保/特困 case whom the proposed standards would qualify
//!   (the classification: 低保, 单人保 or 特困 with an amount above 0) and those in force do not,
//!   with the amount they would be paid; those who qualify already under both are only counted.
//! - [`totals`]: paid now, proposed and newly qualifying, by programme and township.
//!
//! [`write_xlsx`] (in `what_if/xlsx.rs`) writes the three tables.

use std::collections::BTreeMap;

use crate::error::CmdResult;
use crate::month::Month;
use crate::programme::Programme;
use crate::recompute::{amount_in, outcome, reasons, OpenCase};
use crate::rules::{self, CareSetting, StandardRow, Standards, Suggestion};

mod xlsx;
pub use xlsx::{write_xlsx, Sheets};

/// The stored rows with `changed` in place of a row of the same key, scope and date.
pub fn proposed_rows(rows: &[StandardRow], changed: StandardRow) -> Vec<StandardRow> {
    let mut out: Vec<StandardRow> = (rows.iter())
        .filter(|r| {
            !(r.key == changed.key
                && r.scope == changed.scope
                && r.effective_from == changed.effective_from)
        })
        .cloned()
        .collect();
    out.push(changed);
    out
}

#[cfg(test)]
mod tests;

/// Where a household is: its id and the names shown beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub household_id: i64,
    pub township_id: i64,
    pub township_name: String,
    pub village_name: String,
}

/// An open case in the month: paid now, and under the proposed standards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLine {
    pub case_id: i64,
    pub number: String,
    pub programme: Programme,
    pub head_name: String,
    pub place: Place,
    pub now_fen: i64,
    pub proposed_fen: i64,
    /// Why the amount differs (empty when it does not).
    pub reasons: Vec<String>,
    pub phasing_out: bool,
}

impl CaseLine {
    pub fn changes(&self) -> bool {
        self.now_fen != self.proposed_fen
    }
}

/// An open case not counted, and why (not paid in the month, or facts the rules refuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub case_id: i64,
    pub number: String,
    pub head_name: String,
    pub why: String,
}

/// A household without an open case as the what-if sees it: where, its facts, and the number
/// of its 低保/特困 application in progress, if any.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub place: Place,
    pub household: rules::Household,
    pub pending: Option<String>,
}

/// A household the proposed standards would newly qualify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newly {
    pub place: Place,
    pub head_name: String,
    /// 低保 (单人保 included) or 特困.
    pub programme: Programme,
    /// 低保, 单人保 or 特困.
    pub form: &'static str,
    /// Persons who would be covered.
    pub persons: u32,
    pub amount_fen: i64,
    /// The application in progress, if any.
    pub pending: Option<String>,
    /// The classification's reasons under the proposed standards.
    pub reasons: Vec<String>,
}

/// The households without an open case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outside {
    pub newly: Vec<Newly>,
    /// Qualify under the standards in force too (no case for another reason): counted only.
    pub already: usize,
    /// Households whose facts the rules refuse.
    pub failed: usize,
}

/// The lines of one programme in one township.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Total {
    pub programme: Option<Programme>,
    pub township_name: String,
    pub cases: usize,
    pub changed: usize,
    pub now_fen: i64,
    pub proposed_fen: i64,
    pub newly: usize,
    pub newly_fen: i64,
}

/// Every case of `cases` paid in `month`: the amount in force against the rules' amount under
/// `proposed`; the reasons compare the trail under `now` (the standards in force in the month)
/// with the proposed one. A missing standard concerns every case and is the error (field
/// `standards`); a case the rules refuse is left out with the message.
pub fn enrolled(
    now: &Standards,
    proposed: &Standards,
    month: Month,
    cases: Vec<(OpenCase, Place)>,
) -> CmdResult<(Vec<CaseLine>, Vec<Left>)> {
    let mut lines = Vec::new();
    let mut left = Vec::new();
    for (c, place) in cases {
        let leave = |why: String| Left {
            case_id: c.case_id,
            number: c.number.clone(),
            head_name: c.head_name.clone(),
            why,
        };
        if c.pay_from > month {
            left.push(leave(format!("{} 起发放，{month} 尚未发放", c.pay_from)));
            continue;
        }
        let Some(current) = amount_in(&c.amounts, month).map(|a| a.amount_fen) else {
            left.push(leave("没有核定金额".to_owned()));
            continue;
        };
        let mut line = CaseLine {
            case_id: c.case_id,
            number: c.number.clone(),
            programme: c.programme,
            head_name: c.head_name.clone(),
            place,
            now_fen: current,
            proposed_fen: current,
            reasons: Vec::new(),
            phasing_out: c.phasing_out,
        };
        if c.phasing_out {
            lines.push(line);
            continue;
        }
        let new = match outcome(proposed, &c) {
            Ok(o) => o,
            Err(e) if e.field.as_deref() == Some("standards") => return Err(e),
            Err(e) => {
                left.push(leave(format!("无法计算：{}", e.message)));
                continue;
            }
        };
        line.proposed_fen = new.amount_fen.max(0);
        if line.changes() {
            let before = outcome(now, &c).ok();
            let old_trail = before.as_ref().map(|o| o.trail.clone()).unwrap_or_default();
            let mut why = reasons(&old_trail, &new.trail);
            if let Some(o) = before.filter(|o| o.amount_fen != current) {
                if !why[0].starts_with("家庭情况已变化") {
                    why.push(format!(
                        "家庭情况与核定时不同（按现行标准现应为 {} 元）",
                        rules::money::yuan_text(o.amount_fen)
                    ));
                }
            }
            if line.proposed_fen == 0 {
                why.insert(0, "按测算标准计算为 0 元，将不再符合条件".to_owned());
            }
            line.reasons = why;
        }
        lines.push(line);
    }
    Ok((lines, left))
}

/// What a household would be paid under `st`: the classification's programme with its amount,
/// when it is 低保, 单人保 or 特困 and above 0. 特困 is reckoned as 分散供养 (at home).
fn qualifies(
    st: &Standards,
    h: &rules::Household,
) -> CmdResult<Option<(Programme, &'static str, u32, i64, Vec<String>)>> {
    let c = rules::classify(st, h)?;
    let label = c.suggestion.label();
    let (programme, persons, fen) = match &c.suggestion {
        Suggestion::Dibao => (
            Programme::Dibao,
            h.members.iter().filter(|m| m.covered).count(),
            rules::dibao(st, h)?.amount_fen,
        ),
        Suggestion::SinglePerson { person_ids } => {
            let mut fen = 0;
            for id in person_ids {
                fen += rules::single_person(st, h, *id)?.amount_fen;
            }
            (Programme::Dibao, person_ids.len(), fen)
        }
        Suggestion::Tekun { person_ids } => {
            let mut only = h.clone();
            for m in &mut only.members {
                m.covered = person_ids.contains(&m.person_id);
            }
            let fen = rules::tekun(st, &only, CareSetting::Home)?.amount_fen;
            (Programme::Tekun, person_ids.len(), fen)
        }
        Suggestion::Marginal | Suggestion::NotEligible => return Ok(None),
    };
    let persons = u32::try_from(persons).unwrap_or(u32::MAX);
    Ok((fen > 0).then_some((programme, label, persons, fen, c.reasons)))
}

/// The households of `candidates` whom `proposed` would qualify and `now` does not. A missing
/// standard is the error (field `standards`); a household the rules refuse is counted in
/// `failed`.
pub fn newly(
    now: &Standards,
    proposed: &Standards,
    candidates: Vec<Candidate>,
) -> CmdResult<Outside> {
    let mut out = Outside::default();
    for c in candidates {
        // The standards in force are asked only about a household the proposed ones qualify.
        let both = qualifies(proposed, &c.household).and_then(|p| match p {
            Some(p) => Ok((Some(p), qualifies(now, &c.household)?)),
            None => Ok((None, None)),
        });
        match both {
            Ok((Some(_), Some(_))) => out.already += 1,
            Ok((Some((programme, form, persons, amount_fen, reasons)), None)) => {
                out.newly.push(Newly {
                    head_name: (c.household.members.first())
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    place: c.place,
                    programme,
                    form,
                    persons,
                    amount_fen,
                    pending: c.pending,
                    reasons,
                })
            }
            Ok((None, _)) => {}
            Err(e) if e.field.as_deref() == Some("standards") => return Err(e),
            Err(_) => out.failed += 1,
        }
    }
    Ok(out)
}

/// Totals by programme (低保, 特困) and township in the townships' order (by id), each
/// programme's townships followed by its county line (`township_name` 全县), and last one line
/// for everything (`programme` `None`, 全县合计).
pub fn totals(lines: &[CaseLine], newly: &[Newly]) -> Vec<Total> {
    let rank = |p: Programme| Programme::ALL.iter().position(|x| *x == p).unwrap_or(9);
    let mut by: BTreeMap<(usize, i64), Total> = BTreeMap::new();
    fn at<'a>(
        by: &'a mut BTreeMap<(usize, i64), Total>,
        rank: usize,
        p: Programme,
        place: &Place,
    ) -> &'a mut Total {
        by.entry((rank, place.township_id))
            .or_insert_with(|| Total {
                programme: Some(p),
                township_name: place.township_name.clone(),
                ..Total::default()
            })
    }
    for l in lines {
        let t = at(&mut by, rank(l.programme), l.programme, &l.place);
        t.cases += 1;
        t.changed += usize::from(l.changes());
        t.now_fen += l.now_fen;
        t.proposed_fen += l.proposed_fen;
    }
    for n in newly {
        let t = at(&mut by, rank(n.programme), n.programme, &n.place);
        t.newly += 1;
        t.newly_fen += n.amount_fen;
    }
    let add = |sum: &mut Total, t: &Total| {
        sum.cases += t.cases;
        sum.changed += t.changed;
        sum.now_fen += t.now_fen;
        sum.proposed_fen += t.proposed_fen;
        sum.newly += t.newly;
        sum.newly_fen += t.newly_fen;
    };
    let mut out = Vec::new();
    let mut all = Total {
        township_name: "全县合计".to_owned(),
        ..Total::default()
    };
    let mut current: Option<Total> = None;
    for t in by.into_values() {
        if current.as_ref().is_some_and(|c| c.programme != t.programme) {
            out.extend(current.take());
        }
        let sum = current.get_or_insert_with(|| Total {
            programme: t.programme,
            township_name: "全县".to_owned(),
            ..Total::default()
        });
        add(sum, &t);
        add(&mut all, &t);
        out.push(t);
    }
    out.extend(current);
    out.push(all);
    out
}
