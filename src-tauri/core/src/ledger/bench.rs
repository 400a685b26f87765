//! Ledger import benchmark (`doudi bench ledger`): a demo county's areas, a generated ledger of N
//! households as a province's .xlsx (IDs and accounts as text), then `ledger.import` timed through
//! the command layer with a progress sink counting its reports, and a second import of the same
//! file (every row skipped). Each import's phases (read, check, write) come from its reply.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rust_xlsxwriter::Workbook;
use serde_json::json;

use crate::demo::{self, DemoOptions};
use crate::error::{CmdError, CmdResult};
use crate::store::areas::Level;
use crate::{idcard, Session, SystemClock};

/// The target for 40,000 households (release build).
pub const TARGET_SECONDS: f64 = 10.0;

#[derive(Debug, Clone)]
pub struct LedgerReport {
    pub households: usize,
    pub persons: usize,
    pub file_bytes: u64,
    pub write_xlsx: Duration,
    pub import: Duration,
    pub import_phases: Phases,
    pub imported: i64,
    /// Progress reports the first import made.
    pub reports: usize,
    pub reimport: Duration,
    pub reimport_phases: Phases,
    pub skipped: i64,
}

/// The phases of one `ledger.import`, as its reply times them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    pub read: Duration,
    pub check: Duration,
    pub write: Duration,
}

impl Phases {
    fn of(reply: &serde_json::Value) -> Phases {
        let ms = |k: &str| Duration::from_millis(reply[k].as_u64().unwrap_or(0));
        Phases {
            read: ms("read_ms"),
            check: ms("check_ms"),
            write: ms("write_ms"),
        }
    }
}

impl fmt::Display for Phases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read {:.2} s, check {:.2} s, write {:.2} s",
            self.read.as_secs_f64(),
            self.check.as_secs_f64(),
            self.write.as_secs_f64()
        )
    }
}

impl fmt::Display for LedgerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "ledger.import：台账 {} 户 {} 人（.xlsx {:.1} MB，生成 {:.1} s）",
            self.households,
            self.persons,
            self.file_bytes as f64 / 1e6,
            self.write_xlsx.as_secs_f64()
        )?;
        let flag = if self.import.as_secs_f64() > TARGET_SECONDS {
            "  > target"
        } else {
            ""
        };
        writeln!(
            f,
            "import   {:>7.2} s  imported {}{flag}  ({}; {} progress reports)",
            self.import.as_secs_f64(),
            self.imported,
            self.import_phases,
            self.reports
        )?;
        writeln!(
            f,
            "reimport {:>7.2} s  skipped {} (already imported)  ({})",
            self.reimport.as_secs_f64(),
            self.skipped,
            self.reimport_phases
        )?;
        write!(
            f,
            "target: import ≤ {TARGET_SECONDS} s for 40,000 households (release build)"
        )
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "志强", "淑珍", "国庆", "红梅", "德明", "玉兰", "海燕", "文华", "小宝",
    "丽娟", "春生",
];

/// Removes the benchmark's files when dropped.
struct Cleanup(Vec<PathBuf>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for p in &self.0 {
            for suffix in ["", "-wal", "-shm"] {
                let mut q = p.clone().into_os_string();
                q.push(suffix);
                let _ = std::fs::remove_file(q);
            }
        }
    }
}

/// A valid ID number, unique for each `k`: region 410183 (not the demo's own 410122), a birth
/// day from 1940 on and a sequence.
fn id_number(k: usize) -> String {
    let day = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
        + chrono::Duration::days((k % 20_000) as i64);
    let body = format!("410183{}{:03}", day.format("%Y%m%d"), k / 20_000 + 1);
    format!("{body}{}", idcard::check_char(&body))
}

pub fn ledger_bench(households: usize, seed: u64) -> CmdResult<LedgerReport> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let base = std::env::temp_dir().join(format!("doudi-ledger-{}-{nanos}", std::process::id()));
    let db = base.with_extension("sqlite");
    let xlsx = base.with_extension("xlsx");
    let _cleanup = Cleanup(vec![db.clone(), xlsx.clone()]);
    let mut s = Session::open(&db, Box::new(SystemClock))?;
    demo::generate(
        &mut s,
        &DemoOptions {
            households: 40,
            seed,
        },
    )?;
    // (township, village, group names) of every village.
    let areas = crate::store::areas::all(&s.conn)?;
    let name = |id: Option<i64>| {
        areas
            .iter()
            .find(|a| Some(a.id) == id)
            .map(|a| a.name.clone())
            .unwrap_or_default()
    };
    let places: Vec<(String, String, Vec<String>)> = areas
        .iter()
        .filter(|a| a.level == Level::Village && a.active)
        .map(|v| {
            let groups = areas
                .iter()
                .filter(|g| g.parent_id == Some(v.id) && g.level == Level::Group)
                .map(|g| g.name.clone())
                .collect();
            (name(v.parent_id), v.name.clone(), groups)
        })
        .collect();
    if places.is_empty() {
        return Err(CmdError::internal("demo county has no villages"));
    }

    let started = Instant::now();
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x1ED6E4);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let xe = |e: rust_xlsxwriter::XlsxError| CmdError::internal(format!("xlsx: {e}"));
    sheet
        .write_string(0, 0, "演示县城乡低保、特困人员台账")
        .map_err(xe)?;
    let header = [
        "序号",
        "户主姓名",
        "公民身份号码",
        "乡镇（街道）",
        "村（社区）",
        "组",
        "家庭住址",
        "户籍",
        "保障类别",
        "保障人数",
        "月保障金",
        "起始发放年月",
        "开户银行",
        "银行账号",
        "联系电话",
        "家庭成员",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).map_err(xe)?;
    }
    let mut k = 0;
    let mut persons = 0;
    let person_name = |rng: &mut SmallRng| {
        format!(
            "{}{}",
            SURNAMES[rng.gen_range(0..SURNAMES.len())],
            GIVEN[rng.gen_range(0..GIVEN.len())]
        )
    };
    for i in 0..households {
        let r = i as u32 + 2;
        let (township, village, groups) = &places[rng.gen_range(0..places.len())];
        let group = groups
            .get(rng.gen_range(0..groups.len().max(1)))
            .cloned()
            .unwrap_or_default();
        let tekun = rng.gen_bool(0.15);
        let extra = if tekun { 0 } else { rng.gen_range(0..4) };
        let head = id_number(k);
        let members: Vec<String> = (0..extra)
            .map(|m| {
                let id = id_number(k + 1 + m);
                let rel = if m == 0 { "配偶" } else { "子女" };
                format!("{}({rel}){id}", person_name(&mut rng))
            })
            .collect();
        persons += 1 + extra;
        k += 1 + extra;
        let n = 1 + extra as u32;
        let amount = if tekun {
            1250.0
        } else {
            f64::from(n) * 660.0 - f64::from(rng.gen_range(0..300))
        };
        let cells: [(u16, String); 13] = [
            (1, person_name(&mut rng)),
            (2, head),
            (3, township.clone()),
            (4, village.clone()),
            (5, group),
            (6, format!("{village}{} 号", rng.gen_range(1..300))),
            (7, "农村".into()),
            (
                8,
                if tekun {
                    "特困（分散）"
                } else {
                    "农村低保"
                }
                .into(),
            ),
            (
                11,
                format!("20{:02}-{:02}", rng.gen_range(18..26), rng.gen_range(1..13)),
            ),
            (12, "农村信用社".into()),
            (13, format!("62220{:014}", i)),
            (14, format!("138{:08}", i)),
            (15, members.join("；")),
        ];
        sheet.write_number(r, 0, i as f64 + 1.0).map_err(xe)?;
        for (c, v) in &cells {
            sheet.write_string(r, *c, v).map_err(xe)?;
        }
        sheet.write_number(r, 9, f64::from(n)).map_err(xe)?;
        sheet.write_number(r, 10, amount).map_err(xe)?;
    }
    book.save(&xlsx).map_err(xe)?;
    let write_xlsx = started.elapsed();
    let file_bytes = std::fs::metadata(&xlsx).map_or(0, |m| m.len());

    crate::call(
        &mut s,
        "auth.sign_in",
        json!({"username": "admin", "password": demo::PASSWORD}),
    )?;
    let reports = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&reports);
    s.set_progress(Box::new(move |_| {
        counted.fetch_add(1, Ordering::Relaxed);
    }));
    let t = Instant::now();
    let v = crate::call(&mut s, "ledger.import", json!({"path": xlsx}))?;
    let import = t.elapsed();
    let reports = reports.load(Ordering::Relaxed);
    if v["errors_total"].as_i64().unwrap_or(0) > 0 {
        return Err(CmdError::internal(format!(
            "generated ledger has errors: {}",
            v["errors"][0]
        )));
    }
    let t = Instant::now();
    let again = crate::call(&mut s, "ledger.import", json!({"path": xlsx}))?;
    let reimport = t.elapsed();
    Ok(LedgerReport {
        households,
        persons,
        file_bytes,
        write_xlsx,
        import,
        import_phases: Phases::of(&v),
        imported: v["imported"].as_i64().unwrap_or(0),
        reports,
        reimport,
        reimport_phases: Phases::of(&again),
        skipped: again["skipped_count"].as_i64().unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ledger_imports_then_skips_every_row() {
        let r = ledger_bench(300, 2).unwrap();
        assert_eq!(r.imported, 300, "{r}");
        assert_eq!(r.skipped, 300, "{r}");
        // read; check 0, 300; write 0, 300.
        assert_eq!(r.reports, 5, "{r}");
        assert!(r.persons >= 300);
        assert!(r.to_string().contains("reimport"));
    }
}
