//! Several desktops race over HTTPS on the same case: each its own client, signed in as its own
//! caseworker, released together. Exactly one wins; the others get 「该案件已被他人办理，请刷新」
//! and write nothing; the audit chain, verified over the network, is intact.

use std::sync::{Arc, Barrier};

use doudi_core::ErrorCode;
use serde_json::{json, Value};

use crate::common::county;

const CASEWORKERS: [&str; 4] = ["jbr2", "jbr3", "jbr4", "jbr5"];

#[test]
fn the_same_case_step_over_http_has_one_winner() {
    let c = county();
    let jbr2 = c.signed_in("jbr2");
    let v = jbr2
        .call(
            "case.create",
            json!({"household_id": c.household2, "programme": "dibao", "application_note": "生活困难"}),
        )
        .unwrap();
    let (case, version) = (v["id"].as_i64().unwrap(), v["version"].as_i64().unwrap());
    let count = |sql: &str| -> i64 {
        c.local
            .connection()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let audit_before = count("SELECT count(*) FROM audit WHERE command NOT LIKE 'auth.%'");

    let barrier = Arc::new(Barrier::new(CASEWORKERS.len()));
    let threads: Vec<_> = CASEWORKERS
        .iter()
        .map(|user| {
            let r = c.signed_in(user);
            let barrier = barrier.clone();
            let input = json!({"case_id": case, "action": "accept", "expected_version": version});
            std::thread::spawn(move || {
                barrier.wait();
                r.call("case.act", input)
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let wins: Vec<&Value> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(wins.len(), 1, "{results:?}");
    assert_eq!(wins[0]["state"], "accepted");
    assert_eq!(wins[0]["version"].as_i64(), Some(version + 1));
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
        assert_eq!(e.message, "该案件已被他人办理，请刷新");
    }
    // One step, one audit row: the losers wrote nothing.
    let steps =
        format!("SELECT count(*) FROM case_step WHERE case_id = {case} AND action = 'accept'");
    assert_eq!(count(&steps), 1);
    assert_eq!(
        count("SELECT count(*) FROM audit WHERE command NOT LIKE 'auth.%'"),
        audit_before + 1
    );
    let v = c
        .signed_in("admin")
        .call("audit.verify", json!({}))
        .unwrap();
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(
        v["rows"].as_i64(),
        Some(count("SELECT count(*) FROM audit"))
    );
    // 409 on the wire for each loser.
    assert_eq!(
        c.log_text().matches("status=409").count(),
        3,
        "{}",
        c.log_text()
    );
}
