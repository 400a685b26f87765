//! Households loaded in the rules engine's form: one, or the whole registry in a handful of
//! queries (for what-if, the payment run and the benchmarks). The facts come from
//! [`crate::caseload::engine_household`].

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::caseload::engine_household;
use crate::error::CmdResult;
use crate::rules;
use crate::store::registry::{Household, Membership};
use crate::store::{finances, registry};

/// The engine's view of a stored household on day `on`.
pub fn household(conn: &Connection, h: &Household, on: NaiveDate) -> CmdResult<rules::Household> {
    let open: Vec<Membership> = registry::memberships(conn, h.id)?
        .into_iter()
        .filter(|m| m.left_on.is_none())
        .collect();
    Ok(engine_household(
        &h.facts.hukou,
        open,
        finances::get(conn, h.id)?,
        on,
    ))
}

/// Every household with an open member, in the engine's form on day `on`.
pub fn all(conn: &Connection, on: NaiveDate) -> CmdResult<Vec<(Household, rules::Household)>> {
    let households = registry::all_households(conn)?;
    let mut finances = finances::all(conn)?;
    let mut members: HashMap<i64, Vec<Membership>> = HashMap::new();
    for m in registry::all_open_memberships(conn)? {
        members.entry(m.household_id).or_default().push(m);
    }
    Ok(households
        .into_iter()
        .filter_map(|h| {
            let open = members.remove(&h.id)?;
            let facts = engine_household(
                &h.facts.hukou,
                open,
                finances.remove(&h.id).unwrap_or_default(),
                on,
            );
            Some((h, facts))
        })
        .collect())
}
