//! SQL for households, persons and membership history.
//!
//! Invariant: a person has at most one open membership (enforced by a partial unique index).
//! Membership rows are closed, never deleted or reopened: leaving, moving and death are history.

use chrono::NaiveDate;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use crate::error::{CmdError, CmdResult};
use crate::idcard::Sex;
use crate::registry::{HouseholdFacts, PersonFacts};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub facts: PersonFacts,
    pub death_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: i64,
    pub facts: HouseholdFacts,
    pub head_id: Option<i64>,
    pub township_id: i64,
    pub township_name: String,
    pub village_name: String,
    pub group_name: Option<String>,
    pub urban_rural: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub id: i64,
    pub household_id: i64,
    pub person: Person,
    pub relation: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub left_reason: Option<String>,
}

const PERSON_COLUMNS: &str =
    "p.id, p.id_number, p.name, p.sex, p.birth_date, p.disability_type, p.disability_grade, \
     p.serious_illness, p.labour_capacity, p.self_care, p.student, p.employment, p.death_date";

fn read_person(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Person> {
    let sex: String = r.get(at + 3)?;
    Ok(Person {
        id: r.get(at)?,
        facts: PersonFacts {
            id_number: r.get(at + 1)?,
            name: r.get(at + 2)?,
            sex: if sex == "male" {
                Sex::Male
            } else {
                Sex::Female
            },
            birth_date: r.get(at + 4)?,
            disability_type: r.get(at + 5)?,
            disability_grade: r.get(at + 6)?,
            serious_illness: r.get(at + 7)?,
            labour_capacity: r.get(at + 8)?,
            self_care: r.get(at + 9)?,
            student: r.get(at + 10)?,
            employment: r.get(at + 11)?,
        },
        death_date: r.get(at + 12)?,
    })
}

pub fn insert_person(
    tx: &Connection,
    f: &PersonFacts,
    initials: &str,
    now: &str,
) -> CmdResult<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO person (id_number, name, initials, sex, birth_date, disability_type, disability_grade,
             serious_illness, labour_capacity, self_care, student, employment, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?;
    stmt.execute(params![
        f.id_number,
        f.name,
        initials,
        f.sex.as_str(),
        f.birth_date,
        f.disability_type,
        f.disability_grade,
        f.serious_illness,
        f.labour_capacity,
        f.self_care,
        f.student,
        f.employment,
        now
    ])
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            CmdError::conflict("id_number", format!("身份证号码 {} 已登记", f.id_number))
        }
        _ => e.into(),
    })?;
    Ok(tx.last_insert_rowid())
}

pub fn update_person(
    tx: &Connection,
    id: i64,
    f: &PersonFacts,
    initials: &str,
    now: &str,
) -> CmdResult<()> {
    tx.execute(
        "UPDATE person SET id_number = ?2, name = ?3, initials = ?4, sex = ?5, birth_date = ?6,
             disability_type = ?7, disability_grade = ?8, serious_illness = ?9, labour_capacity = ?10,
             self_care = ?11, student = ?12, employment = ?13, updated_at = ?14
         WHERE id = ?1",
        params![
            id, f.id_number, f.name, initials, f.sex.as_str(), f.birth_date, f.disability_type, f.disability_grade,
            f.serious_illness, f.labour_capacity, f.self_care, f.student, f.employment, now
        ],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            CmdError::conflict("id_number", format!("身份证号码 {} 已登记给另一个人", f.id_number))
        }
        _ => e.into(),
    })?;
    Ok(())
}

pub fn set_death(tx: &Connection, person_id: i64, date: NaiveDate, now: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE person SET death_date = ?2, updated_at = ?3 WHERE id = ?1",
        params![person_id, date, now],
    )?;
    Ok(())
}

pub fn person(conn: &Connection, id: i64) -> CmdResult<Option<Person>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS} FROM person p WHERE p.id = ?1"
    ))?;
    Ok(stmt.query_row([id], |r| read_person(r, 0)).optional()?)
}

pub fn person_by_id_number(conn: &Connection, id_number: &str) -> CmdResult<Option<Person>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PERSON_COLUMNS} FROM person p WHERE p.id_number = ?1"
    ))?;
    Ok(stmt
        .query_row([id_number], |r| read_person(r, 0))
        .optional()?)
}

/// The open membership of a person: (membership id, household id).
pub fn active_membership(conn: &Connection, person_id: i64) -> CmdResult<Option<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, household_id FROM membership WHERE person_id = ?1 AND left_on IS NULL",
    )?;
    Ok(stmt
        .query_row([person_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn insert_household(tx: &Connection, f: &HouseholdFacts, now: &str) -> CmdResult<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO household (village_id, group_id, address, hukou, phone, bank_name, bank_account, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    stmt.execute(params![
        f.village_id,
        f.group_id,
        f.address,
        f.hukou,
        f.phone,
        f.bank_name,
        f.bank_account,
        now
    ])?;
    Ok(tx.last_insert_rowid())
}

pub fn update_household(tx: &Connection, id: i64, f: &HouseholdFacts, now: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE household SET village_id = ?2, group_id = ?3, address = ?4, hukou = ?5, phone = ?6,
             bank_name = ?7, bank_account = ?8, updated_at = ?9 WHERE id = ?1",
        params![
            id,
            f.village_id,
            f.group_id,
            f.address,
            f.hukou,
            f.phone,
            f.bank_name,
            f.bank_account,
            now
        ],
    )?;
    Ok(())
}

pub fn set_head(
    tx: &Connection,
    household_id: i64,
    person_id: Option<i64>,
    now: &str,
) -> CmdResult<()> {
    tx.prepare_cached("UPDATE household SET head_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![household_id, person_id, now])?;
    Ok(())
}

pub fn add_membership(
    tx: &Connection,
    household_id: i64,
    person_id: i64,
    relation: &str,
    joined_on: NaiveDate,
) -> CmdResult<i64> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO membership (household_id, person_id, relation, joined_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    stmt.execute(params![household_id, person_id, relation, joined_on])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                CmdError::conflict("id_number", "此人已是另一户的在册成员，请先在原户办理迁出")
            }
            _ => e.into(),
        })?;
    Ok(tx.last_insert_rowid())
}

pub fn set_relation(tx: &Connection, membership_id: i64, relation: &str) -> CmdResult<()> {
    tx.execute(
        "UPDATE membership SET relation = ?2 WHERE id = ?1",
        params![membership_id, relation],
    )?;
    Ok(())
}

pub fn close_membership(
    tx: &Connection,
    membership_id: i64,
    left_on: NaiveDate,
    reason: &str,
) -> CmdResult<()> {
    tx.execute(
        "UPDATE membership SET left_on = ?2, left_reason = ?3 WHERE id = ?1 AND left_on IS NULL",
        params![membership_id, left_on, reason],
    )?;
    Ok(())
}

const HOUSEHOLD_SELECT: &str = "SELECT h.id, h.village_id, h.group_id, h.address, h.hukou, h.phone, h.bank_name,
        h.bank_account, h.head_id, t.id, t.name, v.name, g.name, v.urban_rural, h.created_at, h.updated_at
     FROM household h
     JOIN area v ON v.id = h.village_id
     JOIN area t ON t.id = v.parent_id
     LEFT JOIN area g ON g.id = h.group_id";

fn read_household(r: &rusqlite::Row<'_>) -> rusqlite::Result<Household> {
    Ok(Household {
        id: r.get(0)?,
        facts: HouseholdFacts {
            village_id: r.get(1)?,
            group_id: r.get(2)?,
            address: r.get(3)?,
            hukou: r.get(4)?,
            phone: r.get(5)?,
            bank_name: r.get(6)?,
            bank_account: r.get(7)?,
        },
        head_id: r.get(8)?,
        township_id: r.get(9)?,
        township_name: r.get(10)?,
        village_name: r.get(11)?,
        group_name: r.get(12)?,
        urban_rural: r.get(13)?,
        created_at: r.get(14)?,
        updated_at: r.get(15)?,
    })
}

pub fn household(conn: &Connection, id: i64) -> CmdResult<Option<Household>> {
    let mut stmt = conn.prepare_cached(&format!("{HOUSEHOLD_SELECT} WHERE h.id = ?1"))?;
    Ok(stmt.query_row([id], read_household).optional()?)
}

/// A membership row: its own six columns, then [`PERSON_COLUMNS`].
fn read_membership(r: &rusqlite::Row<'_>) -> rusqlite::Result<Membership> {
    Ok(Membership {
        id: r.get(0)?,
        household_id: r.get(1)?,
        relation: r.get(2)?,
        joined_on: r.get(3)?,
        left_on: r.get(4)?,
        left_reason: r.get(5)?,
        person: read_person(r, 6)?,
    })
}

/// Every membership of a household, open ones first, then history by date.
pub fn memberships(conn: &Connection, household_id: i64) -> CmdResult<Vec<Membership>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.id, m.household_id, m.relation, m.joined_on, m.left_on, m.left_reason, {PERSON_COLUMNS}
         FROM membership m JOIN person p ON p.id = m.person_id
         WHERE m.household_id = ?1
         ORDER BY m.left_on IS NOT NULL, m.relation = 'head' DESC, m.joined_on, m.id"
    ))?;
    let rows = stmt
        .query_map([household_id], read_membership)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every open membership of every household, grouped by household (head first): one query, for
/// recomputing the whole caseload.
pub fn all_open_memberships(conn: &Connection) -> CmdResult<Vec<Membership>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT m.id, m.household_id, m.relation, m.joined_on, m.left_on, m.left_reason, {PERSON_COLUMNS}
         FROM membership m JOIN person p ON p.id = m.person_id
         WHERE m.left_on IS NULL
         ORDER BY m.household_id, m.relation = 'head' DESC, m.joined_on, m.id"
    ))?;
    let rows = stmt
        .query_map([], read_membership)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every household, by id.
pub fn all_households(conn: &Connection) -> CmdResult<Vec<Household>> {
    let mut stmt = conn.prepare_cached(&format!("{HOUSEHOLD_SELECT} ORDER BY h.id"))?;
    let rows = stmt
        .query_map([], read_household)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// What to look for among the open members of households.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Needle {
    All,
    NameContains(String),
    IdPrefix(String),
    Initials(String),
}

#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub needle: Needle,
    pub township_id: Option<i64>,
    pub village_id: Option<i64>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: i64,
    pub head_name: Option<String>,
    pub head_id_number: Option<String>,
    pub township_name: String,
    pub village_name: String,
    pub group_name: Option<String>,
    pub address: String,
    pub hukou: String,
    pub phone: Option<String>,
    /// Open members' names, head first.
    pub member_names: Vec<String>,
}

/// Households with an open member matching the needle, newest first: (total, one page).
pub fn search(conn: &Connection, q: &SearchQuery) -> CmdResult<(i64, Vec<HouseholdSummary>)> {
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let cond = match &q.needle {
        Needle::All => None,
        Needle::NameContains(s) => {
            // instr: a plain byte search, faster than LIKE's case folding; names have no case.
            args.push(s.clone().into());
            Some("instr(p.name, ?1) > 0")
        }
        Needle::IdPrefix(s) => {
            // A range on the unique index: ID characters are digits and X, all below 'Z'.
            args.push(s.clone().into());
            args.push(format!("{s}Z").into());
            Some("p.id_number >= ?1 AND p.id_number < ?2")
        }
        Needle::Initials(s) => {
            // Stored lower-case, each variant after a space: ' zs' marks a prefix.
            args.push(format!(" {}", s.to_lowercase()).into());
            Some("instr(p.initials, ?1) > 0")
        }
    };
    let filtered = q.township_id.is_some() || q.village_id.is_some();
    // With a needle, answer from one narrow index: (name, household_id), (initials, household_id)
    // or the ID range, where household_id is that of the person's open membership (kept by
    // triggers). Household and area are joined only to filter by township or village.
    let mut sql = match cond {
        Some(cond) => format!(
            "SELECT p.household_id FROM person p{} WHERE {cond} AND p.household_id IS NOT NULL",
            if filtered {
                " CROSS JOIN household h JOIN area v ON v.id = h.village_id"
            } else {
                ""
            }
        ),
        None => {
            "SELECT h.id FROM household h JOIN area v ON v.id = h.village_id WHERE 1 = 1".to_owned()
        }
    };
    if cond.is_some() && filtered {
        sql.push_str(" AND h.id = p.household_id");
    }
    if let Some(t) = q.township_id {
        args.push(t.into());
        sql.push_str(&format!(" AND v.parent_id = ?{}", args.len()));
    }
    if let Some(v) = q.village_id {
        args.push(v.into());
        sql.push_str(&format!(" AND h.village_id = ?{}", args.len()));
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut ids: Vec<i64> = stmt
        .query_map(params_from_iter(args), |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // Newest first, each household once (several members may match).
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.dedup();
    let total = ids.len() as i64;
    let page: Vec<i64> = ids
        .into_iter()
        .skip(q.offset.max(0) as usize)
        .take(q.limit.max(0) as usize)
        .collect();
    let mut out = Vec::with_capacity(page.len());
    let mut head_stmt = conn.prepare_cached(
        "SELECT h.id, hp.name, hp.id_number, t.name, v.name, g.name, h.address, h.hukou, h.phone
         FROM household h
         JOIN area v ON v.id = h.village_id
         JOIN area t ON t.id = v.parent_id
         LEFT JOIN area g ON g.id = h.group_id
         LEFT JOIN person hp ON hp.id = h.head_id
         WHERE h.id = ?1",
    )?;
    let mut names_stmt = conn.prepare_cached(
        "SELECT p.name FROM membership m JOIN person p ON p.id = m.person_id
         WHERE m.household_id = ?1 AND m.left_on IS NULL
         ORDER BY m.relation = 'head' DESC, m.id",
    )?;
    for id in page {
        let mut s = head_stmt.query_row([id], |r| {
            Ok(HouseholdSummary {
                id: r.get(0)?,
                head_name: r.get(1)?,
                head_id_number: r.get(2)?,
                township_name: r.get(3)?,
                village_name: r.get(4)?,
                group_name: r.get(5)?,
                address: r.get(6)?,
                hukou: r.get(7)?,
                phone: r.get(8)?,
                member_names: Vec::new(),
            })
        })?;
        s.member_names = names_stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        out.push(s);
    }
    Ok((total, out))
}

/// How many persons and households there are, for status lines and benchmarks.
pub fn counts(conn: &Connection) -> CmdResult<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM household), (SELECT count(*) FROM membership WHERE left_on IS NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}
