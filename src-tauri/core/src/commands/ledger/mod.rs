//! 台账导入: reading a province's 低保/特困 ledger, proposing the column mapping (`ledger.preview`),
//! checking every row against the registry and the areas, and importing the valid rows as
//! households, members and enrolled cases in one transaction (`ledger.import`).
//!
//! Re-importing is idempotent: a row whose head is already the head of a household with an open
//! case of the row's programme is reported "已导入，跳过" and writes nothing; a head who is only a
//! member of such a household is a row problem (疑似重复享受或分户), not imported.
//!
//! The file is read and its rows checked below ([`crate::ledger::sheet`], [`crate::ledger::check`],
//! over a snapshot `store::ledger` reads once); `write` writes them. The import reports its
//! phases (read, check, write) to the session's progress sink and times them in its reply.
//!
//! The file is a path on the core's machine or an `upload` ([`super::files::Source`]).

mod write;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::files::{Source, Upload};
use super::progress::Ticker;
use super::{input, Session};
use crate::auth::Role;
use crate::error::CmdResult;
use crate::ledger::check;
use crate::ledger::columns::Column;
use crate::ledger::record;
use crate::ledger::sheet::{resolve_mapping, Sheet};
use crate::month::Month;
use crate::store;

const ROLES: &[Role] = &[Role::Approver, Role::Admin];
/// The name progress is reported under.
const TASK: &str = "ledger.import";
/// Problems and skipped rows listed in a reply; the counts are always complete.
const LIST_LIMIT: usize = 2_000;

/// A column of the file: its letter and header text.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ColumnReply {
    letter: String,
    header: String,
}

impl From<&Column> for ColumnReply {
    fn from(c: &Column) -> ColumnReply {
        ColumnReply {
            letter: c.letter.clone(),
            header: c.header.clone(),
        }
    }
}

/// A ledger field and the column proposed for it.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FieldReply {
    key: &'static str,
    label: &'static str,
    required: bool,
    column: Option<String>,
    header: Option<String>,
}

/// One of the first data rows: its Excel row number and its cells by column letter.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SampleRow {
    row: u32,
    cells: BTreeMap<String, String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct PreviewReply {
    file: String,
    encoding: &'static str,
    header_row: u32,
    columns: Vec<ColumnReply>,
    fields: Vec<FieldReply>,
    /// Labels of the required fields no column was proposed for.
    missing: Vec<&'static str>,
    rows: usize,
    sample: Vec<SampleRow>,
    /// The first month Doudi would pay the imported cases by default (`ledger.import`'s
    /// `first_paid_month`): the month after the latest month run.
    first_paid_month: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewIn {
    path: Option<String>,
    upload: Option<Upload>,
}

/// The ledger file named by `path` or `upload`.
fn source(path: Option<&str>, upload: Option<Upload>) -> CmdResult<Source> {
    Source::choose(path, upload, "台账文件")
}

pub(crate) fn preview(s: &mut Session, v: Value) -> CmdResult<PreviewReply> {
    s.require(ROLES, "导入台账")?;
    let i: PreviewIn = input(v)?;
    let file = source(i.path.as_deref(), i.upload)?;
    let sheet = file.read(Sheet::open)?;
    let (proposal, missing) = sheet.proposal();
    let fields = proposal
        .into_iter()
        .map(|(f, col)| FieldReply {
            key: f.key,
            label: f.label,
            required: f.required,
            column: col.map(|c| c.letter.clone()),
            header: col.map(|c| c.header.clone()),
        })
        .collect();
    let sample = sheet
        .sample(5)
        .into_iter()
        .map(|(row, cells)| SampleRow { row, cells })
        .collect();
    Ok(PreviewReply {
        file: file.name(),
        encoding: sheet.table.encoding,
        header_row: sheet.header_excel_row(),
        columns: sheet.columns.iter().map(ColumnReply::from).collect(),
        fields,
        missing,
        rows: sheet.data().count(),
        sample,
        first_paid_month: first_paid_month(s, None)?.to_string(),
    })
}

/// The first month Doudi pays imported cases: as chosen, or by default the first month not yet
/// run; never earlier (field `first_paid_month`).
fn first_paid_month(s: &Session, chosen: Option<&str>) -> CmdResult<Month> {
    let latest = store::payments::runs(&s.conn)?
        .first()
        .and_then(|r| Month::parse(&r.month));
    record::first_paid_month(latest, s.clock.today(), chosen)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportIn {
    path: Option<String>,
    upload: Option<Upload>,
    /// Field key → column letter; absent: the proposed mapping.
    mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    dry_run: bool,
    #[serde(default)]
    skip_invalid: bool,
    /// The first month Doudi pays the imported cases (`YYYY-MM`); absent: the first month not
    /// yet run. The ledger's start month stays the start of the benefit.
    first_paid_month: Option<String>,
}

/// A problem of a row, placed in the file.
#[derive(Serialize, JsonSchema)]
pub(crate) struct RowError {
    row: u32,
    column: Option<ColumnReply>,
    field: Option<&'static str>,
    message: String,
}

/// A row already imported, skipped.
#[derive(Serialize, JsonSchema)]
pub(crate) struct SkippedRow {
    row: u32,
    head_name: String,
    head_id: String,
    case_number: String,
    message: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct ImportReply {
    file: String,
    encoding: &'static str,
    header_row: u32,
    dry_run: bool,
    written: bool,
    /// The first month Doudi pays the imported cases; the months before are not back-paid.
    first_paid_month: String,
    rows: usize,
    valid: usize,
    invalid_rows: usize,
    skipped_count: usize,
    imported: usize,
    errors_total: usize,
    /// The first 2,000 problems.
    errors: Vec<RowError>,
    /// The first 2,000 rows skipped.
    skipped: Vec<SkippedRow>,
    read_ms: u64,
    check_ms: u64,
    write_ms: u64,
    total_ms: u64,
}

pub(crate) fn import(s: &mut Session, v: Value) -> CmdResult<ImportReply> {
    s.require(ROLES, "导入台账")?;
    let admin_id = s.user()?.id;
    let i: ImportIn = input(v)?;
    let file = source(i.path.as_deref(), i.upload)?;
    let paid_from = first_paid_month(s, i.first_paid_month.as_deref())?.to_string();
    let started = Instant::now();
    Ticker::start(s.progress.as_ref(), TASK, "read", 0);
    let sheet = file.read(Sheet::open)?;
    let map = resolve_mapping(&sheet, i.mapping)?;
    let read_in = started.elapsed();
    let snapshot = store::ledger::snapshot(&s.conn)?;
    let rows = sheet.data().count();
    let ticker = Ticker::start(s.progress.as_ref(), TASK, "check", rows);
    let checked = check::check(snapshot, &sheet, &map, s.clock.today(), |n| ticker.tick(n));
    let check_in = started.elapsed() - read_in;
    let errors = checked
        .problems
        .iter()
        .take(LIST_LIMIT)
        .map(|p| RowError {
            row: p.row,
            column: p
                .field
                .and_then(|f| map.get(f))
                .and_then(|i| sheet.column(*i))
                .map(ColumnReply::from),
            field: p.field,
            message: p.message.clone(),
        })
        .collect();
    let skipped = checked
        .skipped
        .iter()
        .take(LIST_LIMIT)
        .map(|(row, name, id, number)| SkippedRow {
            row: *row,
            head_name: name.clone(),
            head_id: id.clone(),
            case_number: number.clone(),
            message: format!("已导入，跳过（已有在册案件 {number}）"),
        })
        .collect();
    let write = !i.dry_run && (checked.problems.is_empty() || i.skip_invalid);
    let mut imported = 0;
    let writing = Instant::now();
    if write && !checked.ready.is_empty() {
        imported = write::write_rows(
            s,
            &file,
            sheet.header_excel_row(),
            admin_id,
            &checked,
            &paid_from,
        )?;
    }
    let ms = |d: Duration| d.as_millis() as u64;
    Ok(ImportReply {
        file: file.name(),
        encoding: sheet.table.encoding,
        header_row: sheet.header_excel_row(),
        dry_run: i.dry_run,
        written: write && imported > 0,
        first_paid_month: paid_from,
        rows: checked.total,
        valid: checked.ready.len(),
        invalid_rows: checked.invalid_rows,
        skipped_count: checked.skipped.len(),
        imported,
        errors_total: checked.problems.len(),
        errors,
        skipped,
        read_ms: ms(read_in),
        check_ms: ms(check_in),
        write_ms: ms(writing.elapsed()),
        total_ms: ms(started.elapsed()),
    })
}
