//! SQL for ledger import: who is already registered (by ID number, with their open household and
//! that household's open cases), read once so that checking 40,000 rows costs no query per row.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::error::CmdResult;
use crate::store::areas::{self, Area};

/// A registered person as the import needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub person_id: i64,
    pub name: String,
    pub death_date: Option<NaiveDate>,
    /// The household of the open membership, with its township and village names.
    pub household: Option<(i64, String, String)>,
    /// Whether they are the head of that household.
    pub is_head: bool,
}

/// An open or pending 低保/特困 case of a registered household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub number: String,
    /// The stored state code (`enrolled`, `applied`, …).
    pub state: String,
    /// The name of the household's head.
    pub head_name: String,
}

/// What the areas and the registry say about a ledger's rows, read once before checking them.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub areas: Vec<Area>,
    pub county_id: i64,
    /// Every registered person by ID number.
    pub people: HashMap<String, Known>,
    /// (household id, programme) → its open or pending case.
    pub open_cases: HashMap<(i64, String), OpenCase>,
}

pub fn snapshot(conn: &Connection) -> CmdResult<Snapshot> {
    Ok(Snapshot {
        areas: areas::all(conn)?,
        county_id: areas::county(conn)?.map(|a| a.id).unwrap_or_default(),
        people: people(conn)?,
        open_cases: open_cases(conn)?,
    })
}

/// Every registered person by ID number.
pub fn people(conn: &Connection) -> CmdResult<HashMap<String, Known>> {
    let mut stmt = conn.prepare(
        "SELECT p.id_number, p.id, p.name, p.death_date, m.household_id, t.name, v.name,
                h.head_id = p.id
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
                is_head: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
            },
        ))
    })?;
    Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
}

/// (household id, programme) of every open or pending 低保/特困 case (not exited, refused or withdrawn), with
/// its number, state and the household head's name.
pub fn open_cases(conn: &Connection) -> CmdResult<HashMap<(i64, String), OpenCase>> {
    let mut stmt = conn.prepare(
        "SELECT c.household_id, c.programme, c.number, c.state, COALESCE(p.name, '')
         FROM aid_case c
         JOIN household h ON h.id = c.household_id
         LEFT JOIN person p ON p.id = h.head_id
         WHERE c.state NOT IN ('exited', 'refused', 'withdrawn')",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            (r.get(0)?, r.get(1)?),
            OpenCase {
                number: r.get(2)?,
                state: r.get(3)?,
                head_name: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
}

/// An imported case's last month paid by the old system: the monthly run pays it from the month
/// after (`aid_case.paid_through`, which the payments then move on).
pub fn set_paid_through(tx: &Connection, case_id: i64, month: &str) -> CmdResult<()> {
    tx.prepare_cached("UPDATE aid_case SET paid_through = ?2 WHERE id = ?1")?
        .execute(rusqlite::params![case_id, month])?;
    Ok(())
}

/// Run `f` with the person table's search indexes (name, pinyin initials) dropped, and re-create
/// them from their stored definitions afterwards: building an index once from the finished table
/// is much cheaper than keeping it in order through 100,000 inserts and as many updates (each new
/// membership sets the person's household, which both indexes cover). Call inside the
/// transaction of the writes: if anything fails, the rollback restores the indexes too.
pub fn with_search_indexes_deferred<T>(
    tx: &Connection,
    f: impl FnOnce() -> CmdResult<T>,
) -> CmdResult<T> {
    let defs: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = 'person' AND name IN ('person_name', 'person_initials')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (name, _) in &defs {
        tx.execute_batch(&format!("DROP INDEX {name}"))?;
    }
    let value = f()?;
    for (_, sql) in &defs {
        tx.execute_batch(sql)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{open_in_memory, with_tx};
    use crate::error::CmdError;

    fn search_indexes(conn: &Connection) -> Vec<String> {
        conn.prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .filter_map(|r| r.unwrap())
        .collect()
    }

    #[test]
    fn deferred_search_indexes_are_back_after_the_writes_and_after_a_failure() {
        let mut conn = open_in_memory().unwrap();
        let before = search_indexes(&conn);
        for name in ["person_name", "person_initials"] {
            assert!(before.iter().any(|sql| sql.contains(name)), "{before:?}");
        }
        let seen_inside = with_tx(&mut conn, |tx| {
            with_search_indexes_deferred(tx, || Ok(search_indexes(tx).len()))
        })
        .unwrap();
        assert_eq!(seen_inside, before.len() - 2);
        assert_eq!(search_indexes(&conn), before);
        // A failure in the writes: the transaction rolls back, the indexes with it.
        let failed = with_tx(&mut conn, |tx| {
            with_search_indexes_deferred(tx, || -> CmdResult<()> {
                Err(CmdError::internal("a write failed"))
            })
        });
        assert!(failed.is_err());
        assert_eq!(search_indexes(&conn), before);
    }
}
