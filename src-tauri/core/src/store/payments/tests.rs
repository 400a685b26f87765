//! The payment rows' insert, against SQLite in memory.

use rusqlite::Connection;

use super::*;

fn one_household() -> Connection {
    let conn = crate::db::open_in_memory().unwrap();
    conn.execute_batch(crate::db::TEST_HOUSEHOLD).unwrap();
    conn.execute_batch(
        "INSERT INTO payment_run (month, state, run_at, run_by) VALUES ('2026-02', 'open', 'x', 1);",
    )
    .unwrap();
    conn
}

fn grant(source_id: i64) -> Payment {
    Payment {
        month: "2026-02".into(),
        for_month: "2026-02".into(),
        kind: "one_time".into(),
        source_kind: "grant".into(),
        source_id,
        payee: Payee {
            household_id: 1,
            township_id: 2,
            village_id: 3,
            urban_rural: "rural".into(),
            head_name: "张三".into(),
            ..Payee::default()
        },
        programme: "dibao".into(),
        persons: 1,
        amount_fen: 10_000 + source_id,
        payee_name: "张三".into(),
        ..Payment::default()
    }
}

#[test]
fn insert_all_spans_statements_and_says_what_went_in() {
    let conn = one_household();
    // More than two statements' worth, the last one partial.
    let first: Vec<Payment> = (1..=450).map(grant).collect();
    assert!(insert_all(&conn, &first).unwrap().iter().all(|&x| x));
    // Ten already paid, five new, and one of the new planned twice: the first claims it.
    let mut again: Vec<Payment> = (441..=455).map(grant).collect();
    again.push(grant(455));
    let went_in = insert_all(&conn, &again).unwrap();
    assert_eq!(went_in[..10], [false; 10]);
    assert_eq!(went_in[10..], [true, true, true, true, true, false]);
    let (rows, fen): (i64, i64) = conn
        .query_row("SELECT count(*), sum(amount_fen) FROM payment", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(rows, 455);
    assert_eq!(fen, (1..=455).map(|i| 10_000 + i).sum::<i64>());
    assert!(insert(&conn, &grant(7)).map(|x| !x).unwrap());
    assert!(insert(&conn, &grant(456)).unwrap());
}
