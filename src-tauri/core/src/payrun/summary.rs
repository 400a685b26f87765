//! A month's payments added up for its page: by township × programme, by kind, by status.

use std::collections::{BTreeMap, HashSet};

use super::kinds::HELD;
use super::types::PaymentLine;

/// Rows, households, persons (on regular payments) and money of one township × programme.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub payments: usize,
    pub households: HashSet<i64>,
    pub persons: i64,
    pub fen: i64,
}

/// A month's sums; the maps are in code order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MonthSummary {
    pub fen: i64,
    pub payments: usize,
    pub households: usize,
    /// (township id, programme) → totals.
    pub by_township: BTreeMap<(i64, String), Totals>,
    /// kind → (payments, fen).
    pub by_kind: BTreeMap<String, (usize, i64)>,
    /// status → (payments, fen).
    pub by_status: BTreeMap<String, (usize, i64)>,
}

/// Add up a month's payment lines. Payments held at the lock ([`HELD`]) count only in
/// `by_status`: they are not paid, so not in the totals.
pub fn summarise(lines: &[PaymentLine]) -> MonthSummary {
    let mut s = MonthSummary::default();
    let mut households = HashSet::new();
    for p in lines {
        let k = s.by_status.entry(p.status.clone()).or_default();
        k.0 += 1;
        k.1 += p.amount_fen;
        if p.status == HELD {
            continue;
        }
        s.payments += 1;
        let e = s
            .by_township
            .entry((p.township_id, p.programme.clone()))
            .or_default();
        e.payments += 1;
        e.households.insert(p.household_id);
        if p.kind == "regular" {
            e.persons += p.persons;
        }
        e.fen += p.amount_fen;
        let k = s.by_kind.entry(p.kind.clone()).or_default();
        k.0 += 1;
        k.1 += p.amount_fen;
        s.fen += p.amount_fen;
        households.insert(p.household_id);
    }
    s.households = households.len();
    s
}
