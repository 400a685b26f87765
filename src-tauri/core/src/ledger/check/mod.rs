//! Checking every row of a ledger against the areas and the registry: where each row's village
//! is, who is already registered or imported, the same person twice in the file; and the
//! warnings of rows imported as they are (a 保障人数 other than the persons listed). Pure: the areas
//! and the registry come as a [`Snapshot`] read once (`store::ledger::snapshot`), so checking
//! 40,000 rows costs no query per row.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns;
use super::read::Cell;
use super::rows::{self, Cells, LedgerRow, Problem};
use super::sheet::Sheet;
use crate::programme::Programme;
use crate::store::areas::{Area, Level};
use crate::store::ledger::{Known, Snapshot};
use crate::workflow::CaseState;

struct RowCells<'a> {
    cells: &'a [Cell],
    map: &'a HashMap<&'static str, usize>,
}

impl Cells for RowCells<'_> {
    fn get(&self, key: &str) -> Option<&Cell> {
        self.map.get(key).and_then(|i| self.cells.get(*i))
    }
}

/// A problem placed in the file.
pub struct Located {
    pub row: u32,
    pub field: Option<&'static str>,
    pub message: String,
}

impl Snapshot {
    fn children(&self, parent: i64, level: Level) -> impl Iterator<Item = &Area> {
        self.areas
            .iter()
            .filter(move |a| a.parent_id == Some(parent) && a.level == level)
    }

    fn names(&self, parent: i64, level: Level) -> String {
        let n: Vec<&str> = self
            .children(parent, level)
            .filter(|a| a.active)
            .map(|a| a.name.as_str())
            .collect();
        if n.is_empty() {
            "（无）".into()
        } else {
            n.join("、")
        }
    }

    /// (township id, village id, group id) by name, or the problem.
    fn place(&self, r: &LedgerRow) -> Result<(i64, i64, Option<i64>), Problem> {
        let p = |field, message| Problem { field, message };
        let township = self
            .children(self.county_id, Level::Township)
            .find(|a| a.name == r.township)
            .ok_or_else(|| {
                p(
                    "township",
                    format!(
                        "本县没有名为“{}”的乡镇(街道)；已有：{}",
                        r.township,
                        self.names(self.county_id, Level::Township)
                    ),
                )
            })?;
        let village = self
            .children(township.id, Level::Village)
            .find(|a| a.name == r.village)
            .ok_or_else(|| {
                p(
                    "village",
                    format!(
                        "{}没有名为“{}”的村(社区)；已有：{}",
                        township.name,
                        r.village,
                        self.names(township.id, Level::Village)
                    ),
                )
            })?;
        if !village.active || !township.active {
            return Err(p(
                "village",
                format!("{}{}已停用，不能导入新家庭", township.name, village.name),
            ));
        }
        let group = match &r.group {
            None => None,
            Some(g) => Some(
                self.children(village.id, Level::Group)
                    .find(|a| &a.name == g && a.active)
                    .ok_or_else(|| {
                        p(
                            "group",
                            format!(
                                "{}{}没有名为“{g}”的组；已有：{}",
                                township.name,
                                village.name,
                                self.names(village.id, Level::Group)
                            ),
                        )
                    })?
                    .id,
            ),
        };
        Ok((township.id, village.id, group))
    }

    /// What the registry already says about the row's head: the row is already imported (the
    /// head heads a household with an open case of the row's programme: its number), or the
    /// head is a member, not the head, of a household with an open or pending 低保/特困 case —
    /// not the same family, a conflict for the clerk (分户 or 重复享受).
    fn registered(&self, r: &LedgerRow) -> Option<Registered> {
        let k = self.people.get(&r.head.id_number)?;
        let (h, township, village) = k.household.as_ref()?;
        let own = self.open_cases.get(&(*h, r.programme.to_owned()));
        if k.is_head {
            return own.map(|c| Registered::Imported(c.number.clone()));
        }
        let case_of = |p: &'static str| self.open_cases.get(&(*h, p.to_owned())).map(|c| (p, c));
        let (programme, case) = case_of(r.programme)
            .or_else(|| case_of("dibao"))
            .or_else(|| case_of("tekun"))?;
        let state = CaseState::parse(&case.state).map_or(case.state.as_str(), |s| s.label());
        Some(Registered::Conflict(Problem {
            field: "head_id",
            message: format!(
                "疑似重复享受或分户：台账户主{}（身份证号 {}）是{township}{village}{}户（户编号 {h}）的家庭成员，该户已有{}案件 {}（{state}）；请核实是分户还是重复享受，此行不导入",
                r.head.name,
                r.head.id_number,
                case.head_name,
                Programme::label_of(programme),
                case.number,
            ),
        }))
    }

    /// A person of the row who may not join a new household.
    fn taken(&self, who: &str, id: &str) -> Option<String> {
        let k = self.people.get(id)?;
        if let Some(d) = k.death_date {
            return Some(format!(
                "{who}身份证号 {id} 的 {} 已于 {d} 登记死亡",
                k.name
            ));
        }
        k.household.as_ref().map(|(h, t, v)| {
            format!(
                "{who}身份证号 {id} 的 {} 已是{t}{v}（户编号 {h}）的在册成员，请先在原户办理迁出，或从台账中删去此行",
                k.name
            )
        })
    }
}

/// What the registry already holds for a row's head.
enum Registered {
    /// The same family, already imported: the number of its open case.
    Imported(String),
    /// The head belongs to another family with an open or pending case.
    Conflict(Problem),
}

/// A row to write.
pub struct Ready {
    pub row: u32,
    pub r: LedgerRow,
    pub township_id: i64,
}

pub struct Checked {
    pub ready: Vec<Ready>,
    pub problems: Vec<Located>,
    /// What a clerk should look at in rows that can be imported (they are imported as they
    /// are): a 保障人数 other than the persons the row lists.
    pub warnings: Vec<Located>,
    pub invalid_rows: usize,
    /// (row, head name, head ID, case number)
    pub skipped: Vec<(u32, String, String, String)>,
    pub total: usize,
    /// Everyone registered before the import, by ID number (as checked; the writing reuses it).
    pub people: HashMap<String, Known>,
}

impl Checked {
    /// A row that cannot be imported: its problems, in the order of the file's columns.
    fn reject(&mut self, row: u32, mut problems: Vec<Problem>, map: &HashMap<&'static str, usize>) {
        self.invalid_rows += 1;
        problems.sort_by_key(|p| map.get(p.field).copied().unwrap_or(usize::MAX));
        self.problems.extend(problems.into_iter().map(|p| Located {
            row,
            field: Some(p.field),
            message: p.message,
        }));
    }
}

/// ID number → the row and field where it first appeared in the file.
type Seen = HashMap<String, (u32, &'static str)>;

impl Snapshot {
    /// A parsed row placed in the county and its people checked: ready to write, or its problems.
    fn vet(
        &self,
        mut r: LedgerRow,
        row: u32,
        seen: &mut Seen,
        map: &HashMap<&'static str, usize>,
    ) -> Result<Ready, Vec<Problem>> {
        let mut problems = vec![];
        let mut township_id = 0;
        match self.place(&r) {
            Ok((t, v, g)) => {
                township_id = t;
                r.household.village_id = v;
                r.household.group_id = g;
            }
            Err(p) => problems.push(p),
        }
        let people = std::iter::once(("户主", "head_id", &r.head))
            .chain(r.members.iter().map(|(_, m)| ("家庭成员", "members", m)));
        for (who, field, p) in people {
            if let Some((first_row, first_field)) = seen.get(&p.id_number) {
                let col = map
                    .get(first_field)
                    .map(|i| columns::letter(*i))
                    .unwrap_or_default();
                problems.push(Problem {
                    field,
                    message: format!(
                        "{who}{}的身份证号 {} 与第 {first_row} 行 {col} 列重复；同一人只能在台账中出现一次",
                        p.name, p.id_number
                    ),
                });
            } else {
                seen.insert(p.id_number.clone(), (row, field));
            }
            if let Some(m) = self.taken(who, &p.id_number) {
                problems.push(Problem { field, message: m });
            }
        }
        if problems.is_empty() {
            Ok(Ready {
                row,
                r,
                township_id,
            })
        } else {
            Err(problems)
        }
    }
}

/// Check every data row of `sheet` (columns by `map`) against `ctx`; `tick(n)` is told each row
/// checked, to report progress.
pub fn check(
    ctx: Snapshot,
    sheet: &Sheet,
    map: &HashMap<&'static str, usize>,
    today: NaiveDate,
    tick: impl Fn(usize),
) -> Checked {
    let data: Vec<(u32, &Vec<Cell>)> = sheet.data().collect();
    let mut out = Checked {
        ready: vec![],
        problems: vec![],
        warnings: vec![],
        invalid_rows: 0,
        skipped: vec![],
        total: data.len(),
        people: HashMap::new(),
    };
    let mut seen = Seen::new();
    for (n, (row, cells)) in data.into_iter().enumerate() {
        tick(n + 1);
        let r = match rows::parse(&RowCells { cells, map }, today) {
            Ok(r) => r,
            Err(problems) => {
                out.reject(row, problems, map);
                continue;
            }
        };
        match ctx.registered(&r) {
            Some(Registered::Imported(number)) => {
                out.skipped
                    .push((row, r.head.name.clone(), r.head.id_number.clone(), number));
                continue;
            }
            Some(Registered::Conflict(p)) => {
                out.reject(row, vec![p], map);
                continue;
            }
            None => {}
        }
        match ctx.vet(r, row, &mut seen, map) {
            Ok(ready) => {
                if let Some(message) = persons_warning(&ready.r) {
                    out.warnings.push(Located {
                        row,
                        field: Some("persons"),
                        message,
                    });
                }
                out.ready.push(ready)
            }
            Err(problems) => out.reject(row, problems, map),
        }
    }
    if out.total == 0 {
        out.problems.push(Located {
            row: sheet.header_excel_row() + 1,
            field: None,
            message: "表头下面没有数据行".into(),
        });
    }
    out.people = ctx.people;
    out
}

/// The warning when a row's 保障人数 differs from the persons it lists (the head and the
/// members given). More persons than listed is a row problem (`rows::parse`); fewer may be
/// right (members not covered, 单人保) and a row without members adds only the head.
pub fn persons_warning(r: &LedgerRow) -> Option<String> {
    let listed = r.members.len() as u32 + 1;
    if r.persons == listed {
        return None;
    }
    Some(if r.members.is_empty() {
        format!(
            "保障人数为 {}，但台账只列出户主 1 人：导入后本户只有户主，请核实并在导入后补录家庭成员",
            r.persons
        )
    } else {
        format!(
            "保障人数为 {}，台账列出户主和家庭成员共 {listed} 人：请核实未纳入保障的成员（如单人保）",
            r.persons
        )
    })
}

#[cfg(test)]
mod tests;
