//! SQL for the area tree: county → township → village/community → group.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{CmdError, CmdResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    County,
    Township,
    Village,
    Group,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Township => "township",
            Level::Village => "village",
            Level::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        [Level::County, Level::Township, Level::Village, Level::Group]
            .into_iter()
            .find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::County => "县（区）",
            Level::Township => "乡镇/街道",
            Level::Village => "村/社区",
            Level::Group => "组",
        }
    }

    /// The level a child of this level has, if any.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::County => Some(Level::Township),
            Level::Township => Some(Level::Village),
            Level::Village => Some(Level::Group),
            Level::Group => None,
        }
    }

    /// Length of the area code at this level (statistical division codes; groups add 3 digits).
    pub fn code_len(self) -> usize {
        match self {
            Level::County => 6,
            Level::Township => 9,
            Level::Village => 12,
            Level::Group => 15,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: Level,
    pub code: String,
    pub name: String,
    /// Urban or rural; set on townships and below.
    pub urban_rural: Option<String>,
    pub active: bool,
}

const COLUMNS: &str = "id, parent_id, level, code, name, urban_rural, active";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Area> {
    let level: String = r.get(2)?;
    Ok(Area {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        level: Level::parse(&level).unwrap_or(Level::Group),
        code: r.get(3)?,
        name: r.get(4)?,
        urban_rural: r.get(5)?,
        active: r.get(6)?,
    })
}

pub fn all(conn: &Connection) -> CmdResult<Vec<Area>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM area ORDER BY code"))?;
    let rows = stmt.query_map([], read)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> CmdResult<Option<Area>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM area WHERE id = ?1"))?;
    Ok(stmt.query_row([id], read).optional()?)
}

pub fn county(conn: &Connection) -> CmdResult<Option<Area>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM area WHERE level = 'county' LIMIT 1"
    ))?;
    Ok(stmt.query_row([], read).optional()?)
}

pub fn by_code(conn: &Connection, code: &str) -> CmdResult<Option<Area>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM area WHERE code = ?1"))?;
    Ok(stmt.query_row([code], read).optional()?)
}

/// The next free code under `parent` (parent code + 3 digits), or the county's own.
pub fn next_child_code(conn: &Connection, parent: &Area) -> CmdResult<String> {
    let max: Option<String> = conn.query_row(
        "SELECT max(code) FROM area WHERE parent_id = ?1",
        [parent.id],
        |r| r.get(0),
    )?;
    let next = match max {
        Some(m) => m[parent.code.len()..].parse::<u32>().unwrap_or(0) + 1,
        None => 1,
    };
    if next > 999 {
        return Err(CmdError::invalid(
            "code",
            "下级区划已满 999 个，请手工填写代码",
        ));
    }
    Ok(format!("{}{next:03}", parent.code))
}

pub fn insert(conn: &Connection, a: &Area) -> CmdResult<i64> {
    conn.execute(
        "INSERT INTO area (parent_id, level, code, name, urban_rural, active) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![a.parent_id, a.level.as_str(), a.code, a.name, a.urban_rural, a.active],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            CmdError::conflict("name", format!("同一上级下已有名为“{}”或代码为 {} 的区划", a.name, a.code))
        }
        _ => e.into(),
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, a: &Area) -> CmdResult<()> {
    conn.execute(
        "UPDATE area SET name = ?2, urban_rural = ?3, active = ?4 WHERE id = ?1",
        params![a.id, a.name, a.urban_rural, a.active],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            CmdError::conflict("name", format!("同一上级下已有名为“{}”的区划", a.name))
        }
        _ => e.into(),
    })?;
    Ok(())
}
