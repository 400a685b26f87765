//! SQL for ledger import: who is already registered (by ID number, with their open household and
//! that household's open cases), read once so that checking 40,000 rows costs no query per row.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::error::CmdResult;

/// A registered person as the import needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub person_id: i64,
    pub name: String,
    pub death_date: Option<NaiveDate>,
    /// The household of the open membership, with its township and village names.
    pub household: Option<(i64, String, String)>,
}

/// Every registered person by ID number.
pub fn people(conn: &Connection) -> CmdResult<HashMap<String, Known>> {
    let mut stmt = conn.prepare(
        "SELECT p.id_number, p.id, p.name, p.death_date, m.household_id, t.name, v.name
         FROM person p
         LEFT JOIN membership m ON m.person_id = p.id AND m.left_on IS NULL
         LEFT JOIN household h ON h.id = m.household_id
         LEFT JOIN area v ON v.id = h.village_id
         LEFT JOIN area t ON t.id = v.parent_id",
    )?;
    let rows = stmt.query_map([], |r| {
        let household: Option<i64> = r.get(4)?;
        Ok((
            r.get::<_, String>(0)?,
            Known {
                person_id: r.get(1)?,
                name: r.get(2)?,
                death_date: r.get(3)?,
                household: match household {
                    Some(h) => Some((
                        h,
                        r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                        r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    )),
                    None => None,
                },
            },
        ))
    })?;
    Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
}

/// (household id, programme) of every open 低保/特困 case (not exited or refused).
pub fn open_cases(conn: &Connection) -> CmdResult<HashMap<(i64, String), String>> {
    let mut stmt = conn.prepare(
        "SELECT household_id, programme, number FROM aid_case WHERE state NOT IN ('exited', 'refused')",
    )?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
}
