//! `doudi bench serve`: N simulated desktops against one loopback server on a demo county (made by
//! `doudi demo`) for a while, each its own HTTPS client signed in as one of the demo's staff. The
//! mix: searches, households, the work queue and case lists (reads), and for the caseworkers a
//! case step (`case.create` on a household of their township, then `case.act` accept with the
//! version shown). Prints throughput, errors, and p50/p99 per class of command.
//!
//! A refusal the core is right to give (the household already has an open case) is counted as
//! refused, not as an error; errors are everything else (timeouts, locks, internal errors).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use doudi_core::ErrorCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::{Config, Remote};

/// The demo county's staff (docs: README, `doudi demo`): caseworkers take case steps.
const STAFF: &[(&str, bool)] = &[
    ("jbr1", true),
    ("jbr3", true),
    ("shr1", false),
    ("spr", false),
    ("spr2", false),
];
const QUERIES: &[&str] = &["z", "w", "l", "zh", "wang", "li", "ch", "y"];

/// The timings of one class of command.
#[derive(Default)]
struct Class {
    times: Vec<Duration>,
    errors: usize,
    refused: usize,
}

/// What the bench measured.
pub struct LoadReport {
    pub clients: usize,
    pub elapsed: Duration,
    classes: BTreeMap<&'static str, Class>,
    /// The first few error messages, to say what went wrong.
    pub first_errors: Vec<String>,
}

impl LoadReport {
    pub fn calls(&self) -> usize {
        self.classes.values().map(|c| c.times.len()).sum()
    }

    pub fn errors(&self) -> usize {
        self.classes.values().map(|c| c.errors).sum()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        writeln!(
            f,
            "load bench: {} clients for {:.0} s over HTTPS (loopback)",
            self.clients, secs
        )?;
        writeln!(
            f,
            "calls {}  throughput {:.1}/s  errors {}  refused (expected) {}",
            self.calls(),
            self.calls() as f64 / secs,
            self.errors(),
            self.classes.values().map(|c| c.refused).sum::<usize>()
        )?;
        writeln!(
            f,
            "{:<10} {:>8} {:>9} {:>9} {:>7}",
            "class", "calls", "p50 ms", "p99 ms", "errors"
        )?;
        for (name, c) in &self.classes {
            let mut t = c.times.clone();
            t.sort();
            writeln!(
                f,
                "{:<10} {:>8} {:>9.1} {:>9.1} {:>7}",
                name,
                t.len(),
                percentile(&t, 0.5),
                percentile(&t, 0.99),
                c.errors
            )?;
        }
        for e in &self.first_errors {
            writeln!(f, "error: {e}")?;
        }
        Ok(())
    }
}

/// One desktop's loop until `until`.
fn desktop(
    r: &Remote,
    caseworker: bool,
    seed: u64,
    until: Instant,
    errors_kept: &AtomicUsize,
) -> (BTreeMap<&'static str, Class>, Vec<String>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut classes: BTreeMap<&'static str, Class> = BTreeMap::new();
    let mut messages = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut timed = |class: &'static str, name: &str, args: Value, refusable: bool| {
        let started = Instant::now();
        let r = r.call(name, args);
        let c = classes.entry(class).or_default();
        c.times.push(started.elapsed());
        match &r {
            Ok(_) => {}
            Err(e)
                if refusable && matches!(e.code, ErrorCode::Conflict | ErrorCode::InvalidInput) =>
            {
                c.refused += 1
            }
            Err(e) => {
                c.errors += 1;
                if errors_kept.fetch_add(1, Ordering::SeqCst) < 5 {
                    messages.push(format!("{name}: {}", e.message));
                }
            }
        }
        r.ok()
    };
    while Instant::now() < until {
        let roll = rng.gen_range(0..100);
        if roll < 45 || ids.is_empty() {
            let q = QUERIES[rng.gen_range(0..QUERIES.len())];
            if let Some(v) = timed("search", "household.search", json!({"q": q}), false) {
                ids = v["items"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
                    .unwrap_or_default();
            }
        } else if roll < 70 {
            let id = ids[rng.gen_range(0..ids.len())];
            timed("household", "household.get", json!({"id": id}), false);
        } else if roll < 80 {
            timed("queue", "work.queue", json!({}), false);
        } else if roll < 90 || !caseworker {
            timed("case_list", "case.list", json!({}), false);
        } else {
            let id = ids[rng.gen_range(0..ids.len())];
            let created = timed(
                "step",
                "case.create",
                json!({"household_id": id, "programme": "dibao", "application_note": "生活困难（压力测试）"}),
                true,
            );
            if let Some(v) = created {
                timed(
                    "step",
                    "case.act",
                    json!({"case_id": v["id"], "action": "accept", "expected_version": v["version"]}),
                    true,
                );
            }
        }
    }
    (classes, messages)
}

/// Serve `db` on loopback with a certificate made for the run, and drive it with `clients`
/// desktops for `duration`, signed in with the demo's `password`.
pub fn load(
    db: &Path,
    clients: usize,
    duration: Duration,
    password: &str,
) -> Result<LoadReport, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tls_dir =
        std::env::temp_dir().join(format!("doudi-bench-tls-{}-{stamp}", std::process::id()));
    let fingerprint = crate::tls::init(&tls_dir, &[])?;
    let mut config = Config::new(
        db.to_owned(),
        "127.0.0.1:0".parse().unwrap(),
        tls_dir.clone(),
    );
    config.log = Arc::new(|_: &str| {});
    let running = crate::start(config);
    let _ = std::fs::remove_dir_all(&tls_dir);
    let running = running?;
    let address = running.address.to_string();
    let desktops = (0..clients.max(1))
        .map(|i| {
            let (user, caseworker) = STAFF[i % STAFF.len()];
            let r = Remote::connect(&address, &fingerprint).map_err(|e| e.message)?;
            r.call(
                "auth.sign_in",
                json!({"username": user, "password": password}),
            )
            .map_err(|e| format!("{user} 登录失败：{}", e.message))?;
            Ok((r, caseworker))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let barrier = Arc::new(Barrier::new(desktops.len() + 1));
    let errors_kept = Arc::new(AtomicUsize::new(0));
    let started = Instant::now() + Duration::from_millis(50);
    let until = started + duration;
    let threads: Vec<_> = desktops
        .into_iter()
        .enumerate()
        .map(|(i, (r, caseworker))| {
            let (barrier, errors_kept) = (barrier.clone(), errors_kept.clone());
            std::thread::spawn(move || {
                barrier.wait();
                desktop(&r, caseworker, i as u64, until, &errors_kept)
            })
        })
        .collect();
    barrier.wait();
    let mut classes: BTreeMap<&'static str, Class> = BTreeMap::new();
    let mut first_errors = Vec::new();
    for t in threads {
        let (mine, messages) = t.join().map_err(|_| "压力测试线程异常退出".to_owned())?;
        for (name, c) in mine {
            let all = classes.entry(name).or_default();
            all.times.extend(c.times);
            all.errors += c.errors;
            all.refused += c.refused;
        }
        first_errors.extend(messages);
    }
    let elapsed = started.elapsed();
    running.stop();
    Ok(LoadReport {
        clients: clients.max(1),
        elapsed,
        classes,
        first_errors,
    })
}
