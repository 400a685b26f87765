//! SQL for a household's finances: itemised income, rigid expenditure and assets.
//! A household's statement is replaced as a whole; the audit row keeps the one before.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::CmdResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Income {
    pub person_id: i64,
    pub kind: String,
    pub period: String,
    pub amount_fen: i64,
    pub exempt: bool,
    pub exempt_reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expenditure {
    pub person_id: Option<i64>,
    pub kind: String,
    pub annual_fen: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assets {
    pub deposits_fen: i64,
    pub vehicles: i64,
    pub extra_housing: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finances {
    pub incomes: Vec<Income>,
    pub expenditures: Vec<Expenditure>,
    pub assets: Assets,
}

pub fn get(conn: &Connection, household_id: i64) -> CmdResult<Finances> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, kind, period, amount_fen, exempt, exempt_reason, note
         FROM income WHERE household_id = ?1 ORDER BY id",
    )?;
    let incomes = stmt
        .query_map([household_id], |r| {
            Ok(Income {
                person_id: r.get(0)?,
                kind: r.get(1)?,
                period: r.get(2)?,
                amount_fen: r.get(3)?,
                exempt: r.get(4)?,
                exempt_reason: r.get(5)?,
                note: r.get(6)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, kind, annual_fen, note FROM expenditure WHERE household_id = ?1 ORDER BY id",
    )?;
    let expenditures = stmt
        .query_map([household_id], |r| {
            Ok(Expenditure {
                person_id: r.get(0)?,
                kind: r.get(1)?,
                annual_fen: r.get(2)?,
                note: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT deposits_fen, vehicles, extra_housing, note FROM asset WHERE household_id = ?1",
    )?;
    let assets = stmt
        .query_row([household_id], |r| {
            Ok(Assets {
                deposits_fen: r.get(0)?,
                vehicles: r.get(1)?,
                extra_housing: r.get(2)?,
                note: r.get(3)?,
            })
        })
        .optional()?
        .unwrap_or_default();
    Ok(Finances {
        incomes,
        expenditures,
        assets,
    })
}

/// Every household's statement, for recomputing the whole caseload (three queries).
pub fn all(conn: &Connection) -> CmdResult<std::collections::HashMap<i64, Finances>> {
    let mut out: std::collections::HashMap<i64, Finances> = std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT household_id, person_id, kind, period, amount_fen, exempt, exempt_reason, note
         FROM income ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().incomes.push(Income {
            person_id: r.get(1)?,
            kind: r.get(2)?,
            period: r.get(3)?,
            amount_fen: r.get(4)?,
            exempt: r.get(5)?,
            exempt_reason: r.get(6)?,
            note: r.get(7)?,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT household_id, person_id, kind, annual_fen, note FROM expenditure ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .expenditures
            .push(Expenditure {
                person_id: r.get(1)?,
                kind: r.get(2)?,
                annual_fen: r.get(3)?,
                note: r.get(4)?,
            });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT household_id, deposits_fen, vehicles, extra_housing, note FROM asset",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().assets = Assets {
            deposits_fen: r.get(1)?,
            vehicles: r.get(2)?,
            extra_housing: r.get(3)?,
            note: r.get(4)?,
        };
    }
    Ok(out)
}

/// Replace a household's whole statement.
pub fn replace(tx: &Connection, household_id: i64, f: &Finances) -> CmdResult<()> {
    tx.execute("DELETE FROM income WHERE household_id = ?1", [household_id])?;
    tx.execute(
        "DELETE FROM expenditure WHERE household_id = ?1",
        [household_id],
    )?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO income (household_id, person_id, kind, period, amount_fen, exempt, exempt_reason, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for i in &f.incomes {
        ins.execute(params![
            household_id,
            i.person_id,
            i.kind,
            i.period,
            i.amount_fen,
            i.exempt,
            i.exempt_reason,
            i.note
        ])?;
    }
    let mut ins = tx.prepare_cached(
        "INSERT INTO expenditure (household_id, person_id, kind, annual_fen, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &f.expenditures {
        ins.execute(params![
            household_id,
            e.person_id,
            e.kind,
            e.annual_fen,
            e.note
        ])?;
    }
    let a = &f.assets;
    tx.execute(
        "INSERT INTO asset (household_id, deposits_fen, vehicles, extra_housing, note) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(household_id) DO UPDATE SET deposits_fen = excluded.deposits_fen,
             vehicles = excluded.vehicles, extra_housing = excluded.extra_housing, note = excluded.note",
        params![household_id, a.deposits_fen, a.vehicles, a.extra_housing, a.note],
    )?;
    Ok(())
}
