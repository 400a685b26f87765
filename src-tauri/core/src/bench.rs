//! Search benchmark: build a demo county of a given size, then time `household.search` through the
//! command layer, as the search box calls it, for the three needles caseworkers type: a piece of a
//! name, the start of an ID number, and pinyin initials; and `case.list` on the same county, as
//! the case list opens, sorts, searches and filters.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Datelike;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::demo::{self, DemoOptions, Sample};
use crate::error::{CmdError, CmdResult};
use crate::{pinyin_index, Session, SystemClock};

/// The document benchmark lives beside the renderers; `doudi bench documents` reaches it here.
pub use crate::documents::bench::{documents_bench, DocumentsReport};
/// `doudi bench ledger` lives beside the ledger import.
pub use crate::ledger::bench::{ledger_bench, LedgerReport};

/// Queries timed per kind of needle.
pub const QUERIES_PER_KIND: usize = 300;
/// The latency a caseworker should not notice, for the 99th percentile.
pub const TARGET_P99_MS: f64 = 20.0;
/// `case.list` calls timed per kind (each reads every matching case to sort it).
pub const CASE_LIST_QUERIES: usize = 60;
/// A page of the case list, for the 99th percentile: the whole county's cases sorted each time.
pub const CASE_LIST_TARGET_P99_MS: f64 = 150.0;

#[derive(Debug, Clone)]
pub struct KindStats {
    pub kind: &'static str,
    pub samples: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Mean number of households found, to show what the needles select.
    pub mean_hits: f64,
    /// The slowest needle and how many households it found.
    pub slowest: (String, i64),
}

#[derive(Debug, Clone)]
pub struct BenchReport {
    pub households: usize,
    pub persons: usize,
    pub build: Duration,
    /// Where the county was built, if kept.
    pub path: Option<PathBuf>,
    pub kinds: Vec<KindStats>,
    /// The county's 低保/特困 cases, and `case.list` by kind (hits: cases matching).
    pub cases: i64,
    pub case_kinds: Vec<KindStats>,
}

impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "household.search：{} 户 {} 人，建库 {:.1} s{}",
            self.households,
            self.persons,
            self.build.as_secs_f64(),
            self.path
                .as_ref()
                .map(|p| format!("（{}）", p.display()))
                .unwrap_or_default()
        )?;
        kind_table(f, &self.kinds, TARGET_P99_MS)?;
        writeln!(
            f,
            "case.list：{} 件低保、特困案件（每页 50 件）",
            self.cases
        )?;
        kind_table(f, &self.case_kinds, CASE_LIST_TARGET_P99_MS)?;
        write!(
            f,
            "target: p99 ≤ {TARGET_P99_MS} ms per search kind, ≤ {CASE_LIST_TARGET_P99_MS} ms per case.list kind (release build)"
        )
    }
}

fn kind_table(f: &mut fmt::Formatter<'_>, kinds: &[KindStats], target: f64) -> fmt::Result {
    writeln!(
        f,
        "{:<12} {:>7} {:>8} {:>8} {:>8} {:>8}  slowest (hits)",
        "kind", "queries", "p50 ms", "p99 ms", "max ms", "hits"
    )?;
    for k in kinds {
        let flag = if k.p99_ms > target { "  > target" } else { "" };
        writeln!(
            f,
            "{:<12} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.1}  {} ({}){flag}",
            k.kind, k.samples, k.p50_ms, k.p99_ms, k.max_ms, k.mean_hits, k.slowest.0, k.slowest.1
        )?;
    }
    Ok(())
}

/// Removes a temporary database and its WAL files when dropped.
struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Build a county of about `persons_target` persons at `path` (kept) or in a temporary file
/// (removed), sign in as the county approver, and time searches with needles from real members.
pub fn search_bench(
    persons_target: usize,
    seed: u64,
    path: Option<&Path>,
) -> CmdResult<BenchReport> {
    let (db_path, _temp) = match path {
        Some(p) => (p.to_owned(), None),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let p = std::env::temp_dir()
                .join(format!("doudi-bench-{}-{nanos}.sqlite", std::process::id()));
            (p.clone(), Some(TempDb(p)))
        }
    };
    let mut session = Session::open(&db_path, Box::new(SystemClock))?;
    let opts = DemoOptions {
        households: (persons_target as f64 / 2.8).round().max(1.0) as usize,
        seed,
    };
    let started = Instant::now();
    let (summary, people) = demo::generate_keeping(&mut session, &opts, true)?;
    let build = started.elapsed();
    crate::call(
        &mut session,
        "auth.sign_in",
        json!({"username": "spr", "password": demo::PASSWORD}),
    )?;

    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5EA6C4);
    let needles: Vec<(&'static str, Vec<String>)> = vec![
        (
            "name",
            (0..QUERIES_PER_KIND)
                .filter_map(|_| name_piece(&mut rng, &people))
                .collect(),
        ),
        (
            "id_prefix",
            (0..QUERIES_PER_KIND)
                .map(|_| id_prefix(&mut rng, &people))
                .collect(),
        ),
        (
            "initials",
            (0..QUERIES_PER_KIND)
                .filter_map(|_| initials(&mut rng, &people))
                .collect(),
        ),
    ];
    // One query of each kind first, so statement preparation is not counted against the first needle.
    for (_, qs) in &needles {
        if let Some(q) = qs.first() {
            crate::call(&mut session, "household.search", json!({"q": q}))?;
        }
    }
    // (time, needle, households found) of each query, by kind.
    let mut runs: Vec<Vec<(Duration, &str, i64)>> = vec![Vec::new(); needles.len()];
    // Interleaved, as real use mixes them.
    for i in 0..QUERIES_PER_KIND {
        for (k, (_, qs)) in needles.iter().enumerate() {
            let Some(q) = qs.get(i) else { continue };
            let t = Instant::now();
            let v = crate::call(&mut session, "household.search", json!({"q": q}))?;
            runs[k].push((t.elapsed(), q.as_str(), v["total"].as_i64().unwrap_or(0)));
        }
    }
    let kinds = needles
        .iter()
        .zip(runs)
        .map(|((kind, _), r)| stats(kind, r))
        .collect::<CmdResult<Vec<_>>>()?;
    let (cases, case_kinds) = case_list_runs(&mut session, &mut rng, &people)?;
    drop(session);
    Ok(BenchReport {
        households: summary.households,
        persons: summary.persons,
        build,
        path: path.map(Path::to_owned),
        kinds,
        cases,
        case_kinds,
    })
}

/// `case.list` as the county approver uses it: pages of the whole county as the list opens,
/// sorted by amount, searched by a name piece and by an ID prefix, and one township's enrolled
/// cases by last change. Returns the county's case count and the stats by kind.
fn case_list_runs(
    session: &mut Session,
    rng: &mut SmallRng,
    people: &[Sample],
) -> CmdResult<(i64, Vec<KindStats>)> {
    let areas = crate::call(session, "area.list", json!({}))?;
    let townships: Vec<i64> = (areas["areas"].as_array().into_iter().flatten())
        .filter(|a| a["level"] == "township")
        .filter_map(|a| a["id"].as_i64())
        .collect();
    let n = CASE_LIST_QUERIES;
    let inputs: Vec<(&'static str, Vec<(String, serde_json::Value)>)> = vec![
        ("case_page", (0..n).map(|i| (format!("p{}", 1 + i % 20), json!({"page": 1 + i % 20}))).collect()),
        ("case_amount", (0..n).map(|i| (format!("p{}", 1 + i % 5), json!({"sort": "amount", "order": "desc", "page": 1 + i % 5}))).collect()),
        ("case_name", (0..n).filter_map(|_| name_piece(rng, people)).map(|q| (q.clone(), json!({"q": q, "sort": "name"}))).collect()),
        ("case_id", (0..n).map(|_| id_prefix(rng, people)).map(|q| (q.clone(), json!({"q": q}))).collect()),
        ("case_town", (0..n).filter_map(|_| townships.choose(rng)).map(|t| (format!("t{t}"), json!({"township_id": t, "state": "enrolled", "sort": "updated", "order": "desc"}))).collect()),
    ];
    let first = crate::call(session, "case.list", json!({}))?;
    let cases = first["total"].as_i64().unwrap_or(0);
    let mut out = Vec::new();
    for (kind, qs) in &inputs {
        let mut runs = Vec::with_capacity(qs.len());
        for (label, input) in qs {
            let t = Instant::now();
            let v = crate::call(session, "case.list", input.clone())?;
            runs.push((
                t.elapsed(),
                label.as_str(),
                v["total"].as_i64().unwrap_or(0),
            ));
        }
        out.push(stats(kind, runs)?);
    }
    Ok((cases, out))
}

fn pick<'a>(rng: &mut SmallRng, people: &'a [Sample]) -> &'a Sample {
    people.choose(rng).expect("the demo county has people")
}

/// Two adjacent characters of a name, or (one time in four) the surname alone.
fn name_piece(rng: &mut SmallRng, people: &[Sample]) -> Option<String> {
    let p = pick(rng, people);
    let chars: Vec<char> = p.name.chars().collect();
    if rng.gen_bool(0.25) && !p.name.contains('·') {
        return Some(chars[0].to_string());
    }
    let starts: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| chars[i] != '·' && chars[i + 1] != '·')
        .collect();
    starts
        .choose(rng)
        .map(|&i| chars[i..i + 2].iter().collect())
}

/// The first 10–14 characters of an ID number: county code, then the birth date in part.
fn id_prefix(rng: &mut SmallRng, people: &[Sample]) -> String {
    let p = pick(rng, people);
    p.id_number[..rng.gen_range(10..=14)].to_owned()
}

/// The first 2–3 pinyin initials of a name, in its usual reading.
fn initials(rng: &mut SmallRng, people: &[Sample]) -> Option<String> {
    let p = pick(rng, people);
    let v = pinyin_index::variants(&p.name).into_iter().next()?;
    let n = rng.gen_range(2..=3).min(v.len());
    (n >= 2).then(|| v[..n].to_owned())
}

fn stats(kind: &'static str, mut runs: Vec<(Duration, &str, i64)>) -> CmdResult<KindStats> {
    if runs.is_empty() {
        return Err(CmdError::internal(format!("{kind} 没有可用的查询样本")));
    }
    runs.sort_by_key(|r| r.0);
    let hits: i64 = runs.iter().map(|r| r.2).sum();
    let (_, slow_q, slow_hits) = runs[runs.len() - 1];
    let t: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    // Nearest rank: the smallest sample with at least p% of samples at or below it.
    let rank = |p: f64| ((p / 100.0 * t.len() as f64).ceil() as usize).clamp(1, t.len()) - 1;
    Ok(KindStats {
        kind,
        samples: t.len(),
        p50_ms: ms(t[rank(50.0)]),
        p99_ms: ms(t[rank(99.0)]),
        max_ms: ms(t[t.len() - 1]),
        mean_hits: hits as f64 / t.len() as f64,
        slowest: (slow_q.to_owned(), slow_hits),
    })
}

/// What the rules benchmark measured.
#[derive(Debug, Clone)]
pub struct RulesReport {
    pub households: usize,
    pub persons: usize,
    /// Households with a 低保 amount above zero this month, and those the rules refused.
    pub paid: usize,
    pub failed: usize,
    /// Loading the caseload, and computing every household's 低保, best of the runs.
    pub load: Duration,
    pub compute: Duration,
    /// `benefit.what_if` through the command layer (load + two computations + changes).
    pub what_if: Duration,
    pub what_if_changed: i64,
}

impl fmt::Display for RulesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rules：{} 户 {} 人；本月低保 > 0 的 {} 户，规则拒算 {} 户",
            self.households, self.persons, self.paid, self.failed
        )?;
        writeln!(f, "recompute every household's 低保 for one month: load {:.0} ms + compute {:.0} ms = {:.0} ms (target ≤ 1000 ms)",
            ms(self.load), ms(self.compute), ms(self.load + self.compute))?;
        write!(f, "benefit.what_if (rural 低保 +40 yuan): {:.0} ms, {} open cases change (target ≤ 2000 ms)", ms(self.what_if), self.what_if_changed)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A demo county of `households` households at `path`, with the county approver `spr` signed in.
fn approver_county(
    path: &Path,
    households: usize,
    seed: u64,
) -> CmdResult<(Session, demo::DemoSummary)> {
    let mut session = Session::open(path, Box::new(SystemClock))?;
    let opts = DemoOptions { households, seed };
    let (summary, _) = demo::generate_keeping(&mut session, &opts, false)?;
    crate::call(
        &mut session,
        "auth.sign_in",
        json!({"username": "spr", "password": demo::PASSWORD}),
    )?;
    Ok((session, summary))
}

/// Build a county of about `persons_target` persons (with standards and incomes) in a temporary
/// file and time recomputing every household's 低保 for this month, and one what-if.
pub fn rules_bench(persons_target: usize, seed: u64) -> CmdResult<RulesReport> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path =
        std::env::temp_dir().join(format!("doudi-rules-{}-{nanos}.sqlite", std::process::id()));
    let _temp = TempDb(path.clone());
    let households = (persons_target as f64 / 2.8).round().max(1.0) as usize;
    let (mut session, summary) = approver_county(&path, households, seed)?;
    let today = session.clock.today();
    let month = today.with_day(1).expect("day 1 exists");
    let rows = crate::store::standards::engine_rows(&session.conn)?;
    let st = crate::rules::Standards::as_of(&rows, month);
    let (mut load, mut compute) = (Duration::MAX, Duration::MAX);
    let (mut paid, mut failed) = (0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let cases = crate::store::caseload::all(&session.conn, month)?;
        load = load.min(t.elapsed());
        let t = Instant::now();
        (paid, failed) = (0, 0);
        for (_, h) in &cases {
            match crate::rules::dibao(&st, h) {
                Ok(o) if o.amount_fen > 0 => paid += 1,
                Ok(_) => {}
                Err(_) => failed += 1,
            }
        }
        compute = compute.min(t.elapsed());
    }
    let current = st
        .money("dibao.standard", Some(crate::rules::Area::Rural))?
        .value;
    let input = json!({
        "key": "dibao.standard", "scope": "rural", "value": format!("{}", current / 100 + 40),
        "effective_from": month, "month": month.format("%Y-%m").to_string(), "limit": 1,
    });
    let t = Instant::now();
    let v = crate::call(&mut session, "benefit.what_if", input)?;
    let what_if = t.elapsed();
    Ok(RulesReport {
        households: summary.households,
        persons: summary.persons,
        paid,
        failed,
        load,
        compute,
        what_if,
        what_if_changed: v["count"].as_i64().unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_run_reports_three_kinds() {
        let r = search_bench(2_000, 3, None).unwrap();
        assert!((600..=900).contains(&r.households), "{r}");
        assert!(r.persons > 1_500, "{r}");
        let kinds: Vec<&str> = r.kinds.iter().map(|k| k.kind).collect();
        assert_eq!(kinds, ["name", "id_prefix", "initials"]);
        for k in &r.kinds {
            assert!(k.samples > 0, "{r}");
            assert!(k.p50_ms <= k.p99_ms && k.p99_ms <= k.max_ms, "{r}");
            // Every needle comes from a real member, so every search finds someone.
            assert!(k.mean_hits >= 1.0, "{r}");
        }
        let text = r.to_string();
        assert!(text.contains("id_prefix") && text.contains("p99"), "{text}");
        let kinds: Vec<&str> = r.case_kinds.iter().map(|k| k.kind).collect();
        assert_eq!(
            kinds,
            [
                "case_page",
                "case_amount",
                "case_name",
                "case_id",
                "case_town"
            ]
        );
        assert!(r.cases > 100, "{r}");
        // Every page of the whole list holds the county's cases.
        assert_eq!(r.case_kinds[0].mean_hits, r.cases as f64, "{r}");
    }
}

/// `doudi bench payments`: a county where every household is paid (the demo county, its
/// caseload topped up with 低保 cases taken over from a ledger), with years of locked payment
/// history. Times this month's payment run and the monthly statistics; the database is kept at
/// `db` so that the roster can be written by a separate process and its memory measured alone
/// (`doudi bench payments` in the CLI does that).
#[derive(Debug, Clone)]
pub struct PaymentsReport {
    pub households: usize,
    pub persons: usize,
    pub topped_up: usize,
    pub history_months: i64,
    pub history_rows: usize,
    pub build: Duration,
    pub month: String,
    pub run: Duration,
    pub run_rows: u64,
    /// Median of several `stats.month` calls on the locked month (its report kept at the lock).
    pub stats: Duration,
    pub stats_households: u64,
    /// `stats.month` on the month run but not locked yet: built from its payments.
    pub stats_open: Duration,
    /// `payment.lock`, which builds and keeps the month's statistics.
    pub lock: Duration,
}

impl fmt::Display for PaymentsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "月度发放：{} 户 {} 人（其中 {} 户为基准测试补足的在保户）；历史 {} 个月 {} 笔（建库 {:.1} s）",
            self.households,
            self.persons,
            self.topped_up,
            self.history_months,
            self.history_rows,
            self.build.as_secs_f64()
        )?;
        writeln!(
            f,
            "  payment.run     {:>8.0} ms  {} 月 {} 笔（目标 ≤ 2000 ms）",
            self.run.as_secs_f64() * 1000.0,
            self.month,
            self.run_rows
        )?;
        writeln!(
            f,
            "  stats.month     {:>8.1} ms  {} 户，已锁定月份（锁定时保存的统计；中位数；目标 ≤ 50 ms）",
            self.stats.as_secs_f64() * 1000.0,
            self.stats_households
        )?;
        writeln!(
            f,
            "  stats.month     {:>8.0} ms  未锁定月份（由当月发放明细现算）",
            self.stats_open.as_secs_f64() * 1000.0
        )?;
        write!(
            f,
            "  payment.lock    {:>8.0} ms  （含生成并保存当月统计）",
            self.lock.as_secs_f64() * 1000.0
        )
    }
}

/// Build the bench county at `db` (replacing nothing: the file must not exist), run, review and
/// lock this month, and time the statistics. Signs in as the county approver `spr`.
pub fn payments_bench(
    households: usize,
    seed: u64,
    months: i64,
    db: &Path,
) -> CmdResult<PaymentsReport> {
    let t = Instant::now();
    let (mut session, summary) = approver_county(db, households.max(1), seed)?;
    let today = session.clock.today();
    let month = crate::month::month_text(today);
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(months.max(0) as u32)))
        .unwrap_or(today);
    let pay_from = crate::month::month_text(first);
    let by = session.user()?.id;
    let at = session.now_text();
    let (topped_up, history_rows) = crate::db::with_tx(&mut session.conn, |tx| {
        let topped = crate::store::bench::enrol_all(tx, &pay_from, &at, by)?;
        let rows = crate::store::bench::history(tx, &month, months, &at, by)?;
        // Each history month's totals, as its lock would have kept them.
        for m in &crate::store::bench::locked_without_totals(tx)? {
            crate::store::stats::record_totals(tx, m)?;
        }
        Ok((topped, rows))
    })?;
    crate::store::bench::analyze(&session.conn)?;
    let build = t.elapsed();
    let t = Instant::now();
    let v = crate::call(&mut session, "payment.run", json!({"month": month}))?;
    let run = t.elapsed();
    let t = Instant::now();
    crate::call(&mut session, "stats.month", json!({"month": month}))?;
    let stats_open = t.elapsed();
    crate::call(&mut session, "payment.review", json!({"month": month}))?;
    let t = Instant::now();
    crate::call(&mut session, "payment.lock", json!({"month": month}))?;
    let lock = t.elapsed();
    let mut times = vec![];
    let mut stats_households = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let r = crate::call(&mut session, "stats.month", json!({"month": month}))?;
        times.push(t.elapsed());
        stats_households = r["total"]["households"].as_u64().unwrap_or(0);
    }
    times.sort();
    Ok(PaymentsReport {
        households: summary.households,
        persons: summary.persons,
        topped_up,
        history_months: months,
        history_rows,
        build,
        month,
        run,
        run_rows: v["added"].as_u64().unwrap_or(0),
        stats: times[times.len() / 2],
        stats_households,
        stats_open,
        lock,
    })
}
