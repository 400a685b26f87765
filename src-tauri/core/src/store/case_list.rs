//! SQL for the case list (案件列表): 低保/特困 cases with their head, township and village, and the
//! dated amount in force, filtered by area, programme, state and a search. Order and page are
//! decided above (`case_list`), so one query serves the page, its total and the export.

use std::sync::LazyLock;

use rusqlite::{params_from_iter, types::Value, Connection};

use super::cases::{read, Amount, CaseRow, COLUMNS};
use crate::error::CmdResult;

/// What the search box looks for, among the cases' heads and numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    All,
    /// Part of the head's name.
    Name(String),
    /// Pinyin initials of the head's name (lower case), any reading.
    Initials(String),
    /// Digits (perhaps ending in X): the start of the head's ID number, or part of the case number.
    Digits(String),
    /// Part of a case number, upper case ("DB-2026-0001", "2026-000123").
    Number(String),
}

/// Which cases; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub township_id: Option<i64>,
    pub village_id: Option<i64>,
    pub household_id: Option<i64>,
    pub programme: Option<String>,
    pub state: Option<String>,
    pub search: Option<Search>,
    /// 'YYYY-MM': the month whose amount in force each line carries.
    pub month: String,
}

/// One case as the list shows it.
#[derive(Debug, Clone)]
pub struct Line {
    pub case: CaseRow,
    pub head_name: Option<String>,
    /// The head's pinyin initials as indexed (' zs zx'), for sorting by name.
    pub head_initials: Option<String>,
    pub head_id_number: Option<String>,
    pub township_name: String,
    pub township_code: String,
    /// Where the family lives now (the household's village).
    pub village_name: String,
    pub village_code: String,
    /// The dated amount in force in the filter's month or, for a case first paid in a later
    /// month, in that month (its trail left out). Whether it is paid is decided above.
    pub amount: Option<Amount>,
}

/// `c.id, c.number, …`: the case's columns for a query that joins other tables.
static CASE_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    COLUMNS
        .split(", ")
        .map(|c| format!("c.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
});

/// The number of `aid_case` columns `read` reads (its columns and `version`).
fn case_width() -> usize {
    COLUMNS.split(", ").count() + 1
}

/// Every case matching `f`, in no particular order.
pub fn lines(conn: &Connection, f: &ListFilter) -> CmdResult<Vec<Line>> {
    let mut args: Vec<Value> = vec![f.month.clone().into()];
    let mut sql = format!(
        "SELECT {}, c.version, hp.name, hp.initials, hp.id_number, t.name, t.code, v.name, v.code,
            a.id, a.from_month, a.amount_fen, a.persons, a.step_id
         FROM aid_case c
         JOIN household h ON h.id = c.household_id
         JOIN area v ON v.id = h.village_id
         JOIN area t ON t.id = c.township_id
         LEFT JOIN person hp ON hp.id = h.head_id
         LEFT JOIN case_amount a ON a.id = (
            SELECT id FROM case_amount WHERE case_id = c.id
              AND from_month <= (CASE WHEN c.pay_from > ?1 THEN c.pay_from ELSE ?1 END)
            ORDER BY from_month DESC, id DESC LIMIT 1)
         WHERE 1 = 1",
        *CASE_COLUMNS
    );
    let mut and = |cond: &str, v: Value| {
        args.push(v);
        sql.push_str(&cond.replace('?', &format!("?{}", args.len())));
    };
    if let Some(t) = f.township_id {
        and(" AND c.township_id = ?", t.into());
    }
    if let Some(v) = f.village_id {
        and(" AND h.village_id = ?", v.into());
    }
    if let Some(h) = f.household_id {
        and(" AND c.household_id = ?", h.into());
    }
    if let Some(p) = &f.programme {
        and(" AND c.programme = ?", p.clone().into());
    }
    if let Some(s) = &f.state {
        and(" AND c.state = ?", s.clone().into());
    }
    match &f.search {
        None | Some(Search::All) => {}
        // instr: a plain byte search; names and numbers have no case to fold.
        Some(Search::Name(s)) => and(" AND instr(hp.name, ?) > 0", s.clone().into()),
        // Stored lower-case, each reading after a space: ' zs' marks a prefix.
        Some(Search::Initials(s)) => and(
            " AND instr(hp.initials, ?) > 0",
            format!(" {}", s.to_lowercase()).into(),
        ),
        Some(Search::Number(s)) => and(" AND instr(c.number, ?) > 0", s.clone().into()),
        // The ID range on the head (ID characters are digits and X, all below 'Z'), or the number.
        Some(Search::Digits(s)) => {
            and(" AND ((hp.id_number >= ?", s.clone().into());
            and(" AND hp.id_number < ?)", format!("{s}Z").into());
            and(" OR instr(c.number, ?) > 0)", s.clone().into());
        }
    }
    let width = case_width();
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(args), |r| {
            let case = read(r)?;
            let at = |i: usize| width + i;
            let amount_id: Option<i64> = r.get(at(7))?;
            let amount = match amount_id {
                Some(_) => Some(Amount {
                    case_id: case.id,
                    from_month: r.get(at(8))?,
                    amount_fen: r.get(at(9))?,
                    persons: r.get(at(10))?,
                    trail: String::new(),
                    step_id: r.get(at(11))?,
                }),
                None => None,
            };
            Ok(Line {
                head_name: r.get(at(0))?,
                head_initials: r.get(at(1))?,
                head_id_number: r.get(at(2))?,
                township_name: r.get(at(3))?,
                township_code: r.get(at(4))?,
                village_name: r.get(at(5))?,
                village_code: r.get(at(6))?,
                amount,
                case,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
