//! 月度统计: checked every month of the year of runs in `payments.rs` (report total = roster =
//! payment rows; the parts add up; new and exits are the month's differences; the xlsx read back
//! with calamine equals the JSON), the PDF's text, and the refusals.

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::common::{county, County};

pub fn fen(v: &Value) -> i64 {
    let t = v
        .as_str()
        .unwrap_or_else(|| panic!("a money string, got {v}"));
    let neg = t.starts_with('-');
    let (y, f) = t.trim_start_matches('-').split_once('.').unwrap();
    let n = y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap();
    if neg {
        -n
    } else {
        n
    }
}

fn sql(c: &County, q: &str, month: &str) -> i64 {
    c.s.connection()
        .query_row(q, [month], |r| r.get(0))
        .unwrap()
}

fn cell_f64(sheet: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match sheet.get((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("a number at ({row}, {col}), got {other:?}"),
    }
}

/// The month's statistics against its roster total and its payment rows; the xlsx against the
/// JSON. Returns the report.
pub fn check_month(c: &mut County, month: &str, roster_fen: i64, dir: &std::path::Path) -> Value {
    let r = c.ok("stats.month", json!({"month": month}));
    assert_eq!(
        fen(&r["total_amount"]),
        roster_fen,
        "{month}: report = roster"
    );
    let lines = r["lines"].as_array().unwrap();
    let sum = |key: &str| -> i64 { lines.iter().map(|l| l[key].as_i64().unwrap()).sum() };
    let lines_fen: i64 = lines.iter().map(|l| fen(&l["amount"])).sum();
    assert_eq!(
        lines_fen,
        fen(&r["total"]["amount"]),
        "{month}: lines add up"
    );
    assert_eq!(
        lines_fen + fen(&r["temp_aid"]["amount"]) + fen(&r["deliberation"]["amount"]),
        roster_fen,
        "{month}: 低保/特困 + 临时救助 + 一事一议 = everything paid"
    );
    let split: i64 = r["split"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| fen(&s["amount"]))
        .sum();
    assert_eq!(split, roster_fen, "{month}: the spending split adds up");
    assert_eq!(
        sum("households"),
        r["total"]["households"].as_i64().unwrap()
    );
    assert_eq!(
        r["total"]["households"].as_i64().unwrap(),
        sql(c, "SELECT count(DISTINCT household_id) FROM payment WHERE month = ?1 AND kind = 'regular' AND programme IN ('dibao', 'tekun')", month),
        "{month}: households on regular payments"
    );
    assert_eq!(
        sum("persons"),
        sql(c, "SELECT coalesce(sum(persons), 0) FROM payment WHERE month = ?1 AND kind = 'regular' AND programme IN ('dibao', 'tekun')", month),
    );
    assert_eq!(
        sum("new"),
        sql(
            c,
            "SELECT count(*) FROM payment_difference WHERE month = ?1 AND kind = 'new'",
            month
        ),
        "{month}: new = the month's 新增 differences"
    );
    assert_eq!(
        sum("exits"),
        sql(
            c,
            "SELECT count(*) FROM payment_difference WHERE month = ?1 AND kind = 'stopped'",
            month
        ),
        "{month}: exits = the month's 停发 differences"
    );
    for s in r["structure"].as_array().unwrap() {
        let n = |k: &str| s[k].as_i64().unwrap();
        assert_eq!(n("male") + n("female"), n("total"), "{month} {s}");
        assert_eq!(
            n("under_18") + n("age_18_59") + n("over_60"),
            n("total"),
            "{month} {s}"
        );
        assert_eq!(
            n("labour_full") + n("labour_partial") + n("labour_none"),
            n("total"),
            "{month} {s}"
        );
        assert!(n("severe") <= n("disabled"));
    }
    let series = r["series"].as_array().unwrap();
    assert_eq!(series.len(), 12);
    assert_eq!(series[11]["month"], month);
    assert_eq!(fen(&series[11]["amount"]), roster_fen);
    // The xlsx, read back.
    let path = dir.join(format!("统计-{month}.xlsx"));
    let out = c.ok(
        "stats.export",
        json!({"month": month, "path": path.to_str().unwrap()}),
    );
    assert_eq!(fen(&out["total"]), roster_fen);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let main = book.worksheet_range("分乡镇汇总").unwrap();
    let total_row = 3 + lines.len();
    assert_eq!(main.get((total_row, 0)), Some(&Data::String("合计".into())));
    assert_eq!(
        (cell_f64(&main, total_row, 7) * 100.0).round() as i64,
        fen(&r["total"]["amount"])
    );
    assert_eq!(
        cell_f64(&main, total_row, 4) as i64,
        r["total"]["persons"].as_i64().unwrap()
    );
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(
            main.get((3 + i, 0)),
            Some(&Data::String(l["township_name"].as_str().unwrap().into()))
        );
        assert_eq!(
            (cell_f64(&main, 3 + i, 7) * 100.0).round() as i64,
            fen(&l["amount"])
        );
        assert_eq!(cell_f64(&main, 3 + i, 5) as i64, l["new"].as_i64().unwrap());
    }
    let spend = book.worksheet_range("支出构成").unwrap();
    assert_eq!((cell_f64(&spend, 4, 1) * 100.0).round() as i64, roster_fen);
    let people = book.worksheet_range("人员结构").unwrap();
    assert_eq!(
        cell_f64(&people, 4, 1) as i64,
        r["structure"][2]["total"].as_i64().unwrap()
    );
    let year = book.worksheet_range("近12个月").unwrap();
    assert_eq!((cell_f64(&year, 12, 1) * 100.0).round() as i64, roster_fen);
    r
}

#[test]
fn statistics_refuse_a_month_not_run_and_write_nothing() {
    let mut c = county();
    c.sign_in("spr");
    let e = c.err("stats.month", json!({"month": "2026-03"}));
    assert_eq!(e.field.as_deref(), Some("month"));
    assert!(e.message.contains("还没有执行发放"), "{}", e.message);
    let path = c.dir.path().join("统计.pdf");
    let e = c.err(
        "stats.export",
        json!({"month": "2026-03", "path": path.to_str().unwrap()}),
    );
    assert_eq!(e.field.as_deref(), Some("month"));
    assert!(!path.exists());
    let e = c.err(
        "stats.export",
        json!({"month": "2026-03", "path": c.dir.path().join("统计.doc").to_str().unwrap()}),
    );
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(e.message.contains(".xlsx"));
    let e = c.err("stats.month", json!({"month": "2026-13"}));
    assert_eq!(e.field.as_deref(), Some("month"));
    // A caseworker does not see the county's statistics.
    c.sign_in("jbr1");
    let e = c.err("stats.month", json!({"month": "2026-03"}));
    assert_eq!(e.code, doudi_core::ErrorCode::Forbidden);
}

#[test]
fn a_locked_month_reports_what_was_kept_at_its_lock() {
    let mut c = county();
    let h = crate::payments::enrolled_household(&mut c);
    // The members belonged to the household long before (the test county registers them today).
    c.s.connection()
        .execute(
            "UPDATE membership SET joined_on = '2020-01-01' WHERE household_id = ?1",
            [h],
        )
        .unwrap();
    c.sign_in("spr");
    for month in ["2025-12", "2026-01"] {
        c.ok("payment.run", json!({"month": month}));
        c.ok("payment.review", json!({"month": month}));
        c.ok("payment.lock", json!({"month": month}));
    }
    let kept = c.ok("stats.month", json!({"month": "2025-12"}));
    assert_eq!(kept["structure"][2]["total"], 2, "{kept}");
    // Learned after the lock: one member left the household on the first of December.
    c.s.connection()
        .execute(
            "UPDATE membership SET left_on = '2025-12-01', left_reason = 'moved_out'
             WHERE household_id = ?1 AND relation <> 'self'",
            [h],
        )
        .unwrap();
    assert_eq!(
        c.ok("stats.month", json!({"month": "2025-12"})),
        kept,
        "December as reported"
    );
    // The kept report cannot be changed underneath.
    let e =
        c.s.connection()
            .execute(
                "UPDATE payment_run SET stats = '{}' WHERE month = '2025-12'",
                [],
            )
            .unwrap_err();
    assert!(e.to_string().contains("never changed"), "{e}");
}
