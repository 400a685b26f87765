//! 台账导入: reading a province's 低保/特困 ledger, proposing the column mapping (`ledger.preview`),
//! checking every row against the registry and the areas, and importing the valid rows as
//! households, members and enrolled cases in one transaction (`ledger.import`).
//!
//! Re-importing is idempotent: a row whose head is already an open member of a household with an
//! open case of the row's programme is reported "已导入，跳过" and writes nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{input, output, Session, Stamp};
use crate::auth::Role;
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::ledger::columns::{self, Column, FIELDS};
use crate::ledger::read::{self, Cell, Table};
use crate::ledger::rows::{self, Cells, LedgerRow, Problem};
use crate::store::areas::{Area, Level};
use crate::store::cases::{Amount, CaseRow, Step};
use crate::store::ledger::Known;
use crate::{pinyin_index, store};

const ROLES: &[Role] = &[Role::Approver, Role::Admin];
/// Rows written between progress marks.
pub const CHUNK: usize = 2_000;
/// Problems and skipped rows listed in a reply; the counts are always complete.
const LIST_LIMIT: usize = 2_000;

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The file read, its header row found.
struct Sheet {
    table: Table,
    /// Position of the header row in `table.rows`.
    header_at: usize,
    columns: Vec<Column>,
}

impl Sheet {
    fn open(path: &Path) -> CmdResult<Sheet> {
        let table = read::read(path)?;
        let Some((header_at, columns)) = columns::header_row(&table) else {
            let labels: Vec<&str> = FIELDS
                .iter()
                .filter(|f| f.required)
                .map(|f| f.label)
                .collect();
            return Err(CmdError::invalid(
                "path",
                format!(
                    "在{}的前 10 行中找不到表头：没有一行含有“户主姓名”“户主身份证号”等列名。台账应有一行表头，必需的列为：{}。如果表头显示为乱码，文件可能在 GBK 与 UTF-8 之间转换过，请用 Excel 另存为 .xlsx 后再导入",
                    file_name(path),
                    labels.join("、")
                ),
            ));
        };
        Ok(Sheet {
            table,
            header_at,
            columns,
        })
    }

    fn header_excel_row(&self) -> u32 {
        self.table.first_row + self.header_at as u32
    }

    /// Data rows: (Excel row number, cells), empty rows and a 合计 line left out.
    fn data(&self) -> impl Iterator<Item = (u32, &Vec<Cell>)> {
        let first = self.table.first_row;
        self.table
            .rows
            .iter()
            .enumerate()
            .skip(self.header_at + 1)
            .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
            .filter(|(_, r)| {
                let first_text = r.iter().find(|c| !c.is_empty()).map(Cell::text);
                !first_text.is_some_and(|t| {
                    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                    t.starts_with("合计") || t.starts_with("总计")
                })
            })
            .map(move |(i, r)| (first + i as u32, r))
    }

    fn column(&self, index: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.index == index)
    }
}

fn columns_json(cols: &[Column]) -> Value {
    Value::Array(
        cols.iter()
            .map(|c| json!({"letter": c.letter, "header": c.header}))
            .collect(),
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewIn {
    path: PathBuf,
}

pub(crate) fn preview(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(ROLES, "导入台账")?;
    let i: PreviewIn = input(v)?;
    let sheet = Sheet::open(&i.path)?;
    let proposed = columns::propose(&sheet.columns);
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|f| {
            let col = proposed
                .iter()
                .find(|(k, _)| *k == f.key)
                .and_then(|(_, i)| sheet.column(*i));
            json!({"key": f.key, "label": f.label, "required": f.required,
                   "column": col.map(|c| c.letter.clone()), "header": col.map(|c| c.header.clone())})
        })
        .collect();
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required && !proposed.iter().any(|(k, _)| *k == f.key))
        .map(|f| f.label)
        .collect();
    let sample: Vec<Value> = sheet
        .data()
        .take(5)
        .map(|(row, cells)| {
            let by_letter: serde_json::Map<String, Value> = sheet
                .columns
                .iter()
                .map(|c| {
                    let t = cells.get(c.index).map(Cell::text).unwrap_or_default();
                    (c.letter.clone(), Value::String(t))
                })
                .collect();
            json!({"row": row, "cells": by_letter})
        })
        .collect();
    output(json!({
        "file": file_name(&i.path), "encoding": sheet.table.encoding,
        "header_row": sheet.header_excel_row(), "columns": columns_json(&sheet.columns),
        "fields": fields, "missing": missing, "rows": sheet.data().count(), "sample": sample,
    }))
}

/// Field key → column index, checked against the file.
fn resolve_mapping(
    sheet: &Sheet,
    given: Option<BTreeMap<String, String>>,
) -> CmdResult<HashMap<&'static str, usize>> {
    let mut map: HashMap<&'static str, usize> = HashMap::new();
    match given {
        None => map.extend(columns::propose(&sheet.columns)),
        Some(given) => {
            for (key, letter) in given {
                let f = columns::field(&key).ok_or_else(|| {
                    CmdError::invalid(&format!("mapping.{key}"), format!("不认识的台账字段 {key}"))
                })?;
                if letter.trim().is_empty() {
                    continue;
                }
                let index = columns::index_of_letter(&letter)
                    .filter(|i| sheet.column(*i).is_some())
                    .ok_or_else(|| {
                        CmdError::invalid(
                            &format!("mapping.{key}"),
                            format!("“{}”对应的列 {letter} 在文件的表头中不存在", f.label),
                        )
                    })?;
                if let Some((other, _)) = map.iter().find(|(_, i)| **i == index) {
                    let other = columns::field(other).map_or("", |f| f.label);
                    return Err(CmdError::invalid(
                        &format!("mapping.{key}"),
                        format!(
                            "第 {letter} 列同时对应了“{other}”和“{}”，一列只能对应一项",
                            f.label
                        ),
                    ));
                }
                map.insert(f.key, index);
            }
        }
    }
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required && !map.contains_key(f.key))
        .map(|f| f.label)
        .collect();
    if !missing.is_empty() {
        let headers: Vec<String> = sheet
            .columns
            .iter()
            .map(|c| format!("{} {}", c.letter, c.header))
            .collect();
        return Err(CmdError::invalid(
            "mapping",
            format!(
                "台账缺少必需的列：{}。文件第 {} 行的表头是：{}。请在对应表中为这些项选择列，或核对文件是否选错",
                missing.join("、"),
                sheet.header_excel_row(),
                headers.join("、")
            ),
        ));
    }
    Ok(map)
}

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
struct Located {
    row: u32,
    field: Option<&'static str>,
    message: String,
}

/// What the areas and the registry say about the rows.
struct Context {
    areas: Vec<Area>,
    county_id: i64,
    people: HashMap<String, Known>,
    open_cases: HashMap<(i64, String), String>,
}

impl Context {
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

    /// (village id, group id) by name, or the problem.
    fn place(&self, r: &LedgerRow) -> Result<(i64, Option<i64>), Problem> {
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
        Ok((village.id, group))
    }

    /// Whether the head's household already has this programme open: the case number.
    fn already_imported(&self, r: &LedgerRow) -> Option<&String> {
        let k = self.people.get(&r.head.id_number)?;
        let (h, _, _) = k.household.as_ref()?;
        self.open_cases.get(&(*h, r.programme.to_owned()))
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

/// A row to write.
struct Ready {
    row: u32,
    r: LedgerRow,
}

struct Checked {
    ready: Vec<Ready>,
    problems: Vec<Located>,
    invalid_rows: usize,
    /// (row, head name, head ID, case number)
    skipped: Vec<(u32, String, String, String)>,
    total: usize,
}

fn check(s: &Session, sheet: &Sheet, map: &HashMap<&'static str, usize>) -> CmdResult<Checked> {
    let today = s.clock.today();
    let ctx = Context {
        areas: store::areas::all(&s.conn)?,
        county_id: store::areas::county(&s.conn)?
            .map(|a| a.id)
            .unwrap_or_default(),
        people: store::ledger::people(&s.conn)?,
        open_cases: store::ledger::open_cases(&s.conn)?,
    };
    let mut out = Checked {
        ready: vec![],
        problems: vec![],
        invalid_rows: 0,
        skipped: vec![],
        total: 0,
    };
    // ID number → the row and column where it first appeared.
    let mut seen: HashMap<String, (u32, &'static str)> = HashMap::new();
    for (row, cells) in sheet.data() {
        out.total += 1;
        let parsed = rows::parse(&RowCells { cells, map }, today);
        let mut problems = match parsed {
            Ok(r) => {
                if let Some(number) = ctx.already_imported(&r) {
                    out.skipped.push((
                        row,
                        r.head.name.clone(),
                        r.head.id_number.clone(),
                        number.clone(),
                    ));
                    continue;
                }
                let mut problems = vec![];
                let mut r = r;
                match ctx.place(&r) {
                    Ok((v, g)) => {
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
                    if let Some(m) = ctx.taken(who, &p.id_number) {
                        problems.push(Problem { field, message: m });
                    }
                }
                if problems.is_empty() {
                    out.ready.push(Ready { row, r });
                    continue;
                }
                problems
            }
            Err(problems) => problems,
        };
        out.invalid_rows += 1;
        // Problems in the order of the file's columns.
        problems.sort_by_key(|p| map.get(p.field).copied().unwrap_or(usize::MAX));
        out.problems.extend(problems.into_iter().map(|p| Located {
            row,
            field: Some(p.field),
            message: p.message,
        }));
    }
    if out.total == 0 {
        out.problems.push(Located {
            row: sheet.header_excel_row() + 1,
            field: None,
            message: "表头下面没有数据行".into(),
        });
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportIn {
    path: PathBuf,
    /// Field key → column letter; absent: the proposed mapping.
    mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    skip_invalid: bool,
}

pub(crate) fn import(s: &mut Session, v: Value) -> CmdResult<Value> {
    s.require(ROLES, "导入台账")?;
    let admin_id = s.user()?.id;
    let i: ImportIn = input(v)?;
    let started = Instant::now();
    let sheet = Sheet::open(&i.path)?;
    let map = resolve_mapping(&sheet, i.mapping)?;
    let checked = check(s, &sheet, &map)?;
    let checked_in = started.elapsed();
    let errors: Vec<Value> = checked
        .problems
        .iter()
        .take(LIST_LIMIT)
        .map(|p| {
            let col = p
                .field
                .and_then(|f| map.get(f))
                .and_then(|i| sheet.column(*i));
            json!({"row": p.row, "column": col.map(|c| json!({"letter": c.letter, "header": c.header})),
                   "field": p.field, "message": p.message})
        })
        .collect();
    let skipped: Vec<Value> = checked
        .skipped
        .iter()
        .take(LIST_LIMIT)
        .map(|(row, name, id, number)| {
            json!({"row": row, "head_name": name, "head_id": id, "case_number": number, "message": format!("已导入，跳过（已有在册案件 {number}）")})
        })
        .collect();
    let write = !i.dry_run && (checked.problems.is_empty() || i.skip_invalid);
    let mut imported = 0;
    if write && !checked.ready.is_empty() {
        imported = write_rows(s, &i.path, &sheet, admin_id, &checked)?;
    }
    output(json!({
        "file": file_name(&i.path), "encoding": sheet.table.encoding, "header_row": sheet.header_excel_row(),
        "dry_run": i.dry_run, "written": write && imported > 0,
        "rows": checked.total, "valid": checked.ready.len(), "invalid_rows": checked.invalid_rows,
        "skipped_count": checked.skipped.len(), "imported": imported,
        "errors_total": checked.problems.len(), "errors": errors, "skipped": skipped,
        "chunks": if imported > 0 { imported.div_ceil(CHUNK) } else { 0 },
        "check_ms": checked_in.as_millis() as u64, "total_ms": started.elapsed().as_millis() as u64,
    }))
}

fn sha256_of(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| hex::encode(Sha256::digest(&b)))
        .unwrap_or_default()
}

/// Households, members, enrolled cases with their one `import` step and amount, one audit row per
/// household and one for the whole import: all in one transaction.
fn write_rows(
    s: &mut Session,
    path: &Path,
    sheet: &Sheet,
    admin_id: i64,
    checked: &Checked,
) -> CmdResult<usize> {
    let stamp = Stamp::of(s)?;
    let today = s.clock.today();
    let file = file_name(path);
    let hash = sha256_of(path);
    let people = store::ledger::people(&s.conn)?;
    let header_row = sheet.header_excel_row();
    with_tx(&mut s.conn, |tx| {
        // Case numbers run on from the last of the year, counted here rather than per row.
        let mut next: HashMap<&str, u32> = HashMap::new();
        for p in ["dibao", "tekun"] {
            let n = store::cases::next_number(tx, p, today.year())?;
            next.insert(
                p,
                n.rsplit('-')
                    .next()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(1),
            );
        }
        for chunk in checked.ready.chunks(CHUNK) {
            for Ready { row, r } in chunk {
                write_one(
                    tx, &stamp, &people, admin_id, today, &file, *row, r, &mut next,
                )?;
            }
        }
        stamp.record(
            tx,
            "ledger.import",
            "ledger_import",
            None,
            None,
            Some(&json!({"file": file, "sha256": hash, "header_row": header_row, "rows": checked.total,
                "imported": checked.ready.len(), "skipped": checked.skipped.len(), "invalid_rows": checked.invalid_rows})),
        )?;
        Ok(())
    })?;
    Ok(checked.ready.len())
}

#[allow(clippy::too_many_arguments)]
fn write_one(
    tx: &rusqlite::Connection,
    stamp: &Stamp,
    people: &HashMap<String, Known>,
    admin_id: i64,
    today: NaiveDate,
    file: &str,
    row: u32,
    r: &LedgerRow,
    next: &mut HashMap<&str, u32>,
) -> CmdResult<()> {
    let hid = store::registry::insert_household(tx, &r.household, &stamp.at)?;
    let enrol = |p: &crate::registry::PersonFacts, relation: &str| -> CmdResult<i64> {
        // A person seen before with no open membership (moved out earlier) keeps their record.
        let pid = match people.get(&p.id_number) {
            Some(k) => k.person_id,
            None => store::registry::insert_person(
                tx,
                p,
                &pinyin_index::index_text(&p.name),
                &stamp.at,
            )?,
        };
        store::registry::add_membership(tx, hid, pid, relation, today)?;
        Ok(pid)
    };
    let head_id = enrol(&r.head, "head")?;
    store::registry::set_head(tx, hid, Some(head_id), &stamp.at)?;
    for (relation, m) in &r.members {
        enrol(m, relation)?;
    }
    let seq = next.entry(r.programme).or_insert(1);
    let number = format!(
        "{}-{:04}-{:06}",
        if r.programme == "tekun" { "TK" } else { "DB" },
        today.year(),
        *seq
    );
    *seq += 1;
    let township_id = crate::store::areas::get(tx, r.household.village_id)?
        .and_then(|v| v.parent_id)
        .unwrap_or_default();
    let amount = super::money::yuan(r.amount_fen);
    let case = CaseRow {
        number: number.clone(),
        programme: r.programme.into(),
        household_id: hid,
        township_id,
        state: "enrolled".into(),
        applied_on: today,
        application_note: format!("由原台账转入（{file} 第 {row} 行）"),
        support_mode: r.support_mode.map(str::to_owned),
        created_by: admin_id,
        created_at: stamp.at.clone(),
        pay_from: Some(r.pay_from.clone()),
        updated_at: stamp.at.clone(),
        ..CaseRow::default()
    };
    let case_id = store::cases::save(tx, &case)?;
    let data = json!({"source": "原台账", "file": file, "row": row, "pay_from": r.pay_from,
        "amount": amount, "persons": r.persons});
    let step_id = store::cases::add_step(
        tx,
        &Step {
            id: 0,
            case_id,
            action: "import".into(),
            from_state: "enrolled".into(),
            to_state: "enrolled".into(),
            user_id: admin_id,
            at: stamp.at.clone(),
            data: data.to_string(),
        },
    )?;
    let trail = json!([{"kind": "note", "text": format!("原台账金额（{file} 第 {row} 行），导入时未按标准重新计算"), "amount": amount}]);
    store::cases::add_amount(
        tx,
        &Amount {
            case_id,
            from_month: r.pay_from.clone(),
            amount_fen: r.amount_fen,
            persons: r.persons,
            trail: trail.to_string(),
            step_id,
        },
    )?;
    let members: Vec<Value> = r
        .members
        .iter()
        .map(|(rel, m)| json!({"name": m.name, "id_number": m.id_number, "relation": rel}))
        .collect();
    stamp.record(
        tx,
        "ledger.import",
        "household",
        Some(hid),
        None,
        Some(&json!({"file": file, "row": row, "head": {"name": r.head.name, "id_number": r.head.id_number},
            "members": members, "village_id": r.household.village_id, "group_id": r.household.group_id,
            "address": r.household.address, "hukou": r.household.hukou, "phone": r.household.phone,
            "bank_name": r.household.bank_name, "bank_account": r.household.bank_account,
            "case": {"id": case_id, "number": number, "programme": r.programme, "support_mode": r.support_mode,
                     "pay_from": r.pay_from, "amount": amount, "persons": r.persons}})),
    )?;
    Ok(())
}
