// TEMPORARY experiment (bench helper); deleted before hand-back.
use rusqlite::Connection;
use std::time::Instant;
fn run(c: &Connection, label: &str, sql: &str, arg: &str) {
    let mut plan = Vec::new();
    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let mut rows = st.query([arg]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        plan.push(r.get::<_, String>(3).unwrap());
    }
    let mut st = c.prepare(sql).unwrap();
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..7 {
        let t = Instant::now();
        n = st.query_map([arg], |r| r.get::<_, i64>(0)).unwrap().count();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{label:<12} {arg:<8} {n:>6} rows {best:>7.2} ms  {}",
        plan.join(" | ")
    );
}
fn main() {
    let c = Connection::open(std::env::args().nth(1).unwrap()).unwrap();
    if let Some(cache) = std::env::args().nth(2) {
        c.pragma_update(None, "cache_size", cache.parse::<i64>().unwrap())
            .unwrap();
    }
    if let Some(mmap) = std::env::args().nth(3) {
        c.pragma_update(None, "mmap_size", mmap.parse::<i64>().unwrap())
            .unwrap();
    }
    let v: String = c
        .query_row("select sqlite_version()", [], |r| r.get(0))
        .unwrap();
    println!("sqlite {v}");
    let tail = "JOIN area v ON v.id = h.village_id";
    for (col, args, prefix) in [
        ("name", ["王", "张", "建国"], "%"),
        ("initials", ["wj", "zy", "lxm"], "% "),
    ] {
        for a in args {
            let like = format!("{prefix}{a}%");
            run(
                &c,
                "scan-like",
                &format!("SELECT count(*) FROM person WHERE {col} LIKE ?1"),
                &like,
            );
            let ins = if col == "name" {
                a.to_string()
            } else {
                format!(" {a}")
            };
            run(
                &c,
                "scan-instr",
                &format!("SELECT count(*) FROM person WHERE instr({col}, ?1) > 0"),
                &ins,
            );
            run(&c, "orig", &format!("SELECT DISTINCT h.id FROM household h {tail} JOIN membership m ON m.household_id = h.id AND m.left_on IS NULL JOIN person p ON p.id = m.person_id WHERE p.{col} LIKE ?1 ORDER BY h.id DESC"), &like);
            run(&c, "cross-like", &format!("SELECT DISTINCT h.id FROM person p CROSS JOIN membership m ON m.person_id = p.id AND m.left_on IS NULL CROSS JOIN household h ON h.id = m.household_id {tail} WHERE p.{col} LIKE ?1 ORDER BY h.id DESC"), &like);
            run(&c, "cross-instr", &format!("SELECT DISTINCT h.id FROM person p CROSS JOIN membership m ON m.person_id = p.id AND m.left_on IS NULL CROSS JOIN household h ON h.id = m.household_id {tail} WHERE instr(p.{col}, ?1) > 0 ORDER BY h.id DESC"), &ins);
            run(&c, "cross-raw", &format!("SELECT m.household_id FROM person p CROSS JOIN membership m WHERE m.person_id = p.id AND m.left_on IS NULL AND p.{col} LIKE ?1"), &like);
            run(&c, "cross-twp", &format!("SELECT m.household_id FROM person p CROSS JOIN membership m CROSS JOIN household h JOIN area v ON v.id = h.village_id WHERE m.person_id = p.id AND m.left_on IS NULL AND h.id = m.household_id AND v.parent_id = 5 AND p.{col} LIKE ?1"), &like);
            run(&c, "cross-nov", &format!("SELECT DISTINCT m.household_id FROM person p CROSS JOIN membership m ON m.person_id = p.id AND m.left_on IS NULL WHERE instr(p.{col}, ?1) > 0 ORDER BY 1 DESC"), &ins);
        }
    }
}
