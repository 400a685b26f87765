//! The audit chain. Every change writes one row in the same transaction as the change. Rows are
//! append-only (triggers refuse UPDATE and DELETE) and each carries the hash of the one before,
//! so an edited or deleted row breaks the chain at that point.
//!
//! Deliberately absent: protection against cutting rows off the end. `doudi audit verify` prints
//! the head hash and row count so that an auditor can note them and compare later.

use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub at: String,
    pub user_name: String,
    pub command: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of a row: SHA-256 over the previous hash and every other column, unit-separated.
pub fn hash(row: &Row) -> String {
    let mut h = Sha256::new();
    let parts: [&str; 9] = [
        &row.prev_hash,
        &row.id.to_string(),
        &row.at,
        &row.user_name,
        &row.command,
        &row.entity,
        &row.entity_id.map(|i| i.to_string()).unwrap_or_default(),
        row.before.as_deref().unwrap_or("\u{0}"),
        row.after.as_deref().unwrap_or("\u{0}"),
    ];
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact { rows: i64, head: String },
    Broken { row_id: i64, message: String },
}

/// Walk the rows in id order and report the first broken link.
pub fn verify(rows: impl IntoIterator<Item = Row>) -> Verdict {
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_id = 0;
    let mut count = 0;
    for row in rows {
        if row.id != prev_id + 1 {
            return Verdict::Broken {
                row_id: row.id,
                message: format!(
                    "第 {} 条之前缺少第 {}–{} 条：审计记录被删除",
                    row.id,
                    prev_id + 1,
                    row.id - 1
                ),
            };
        }
        if row.prev_hash != prev_hash {
            return Verdict::Broken {
                row_id: row.id,
                message: format!(
                    "第 {} 条记录的前序哈希与第 {} 条不符：链条在此断开",
                    row.id, prev_id
                ),
            };
        }
        if hash(&row) != row.hash {
            return Verdict::Broken {
                row_id: row.id,
                message: format!("第 {} 条审计记录的内容已被改动（哈希不符）", row.id),
            };
        }
        prev_hash = row.hash;
        prev_id = row.id;
        count += 1;
    }
    Verdict::Intact {
        rows: count,
        head: prev_hash,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Row> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|id| {
                let mut r = Row {
                    id,
                    at: "2026-11-23 09:00:00".into(),
                    user_name: "admin".into(),
                    command: "household.create".into(),
                    entity: "household".into(),
                    entity_id: Some(id),
                    before: None,
                    after: Some(format!("{{\"id\":{id}}}")),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = hash(&r);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let rows = chain(5);
        let head = rows[4].hash.clone();
        assert_eq!(verify(rows), Verdict::Intact { rows: 5, head });
    }

    #[test]
    fn edited_row_is_found() {
        let mut rows = chain(5);
        rows[2].after = Some("{\"id\":99}".into());
        assert!(matches!(verify(rows), Verdict::Broken { row_id: 3, .. }));
    }

    #[test]
    fn deleted_row_is_found() {
        let mut rows = chain(5);
        rows.remove(1);
        assert!(matches!(verify(rows), Verdict::Broken { row_id: 3, .. }));
    }

    #[test]
    fn rehashed_row_breaks_the_next_link() {
        let mut rows = chain(5);
        rows[2].after = Some("{\"id\":99}".into());
        rows[2].hash = hash(&rows[2]);
        assert!(matches!(verify(rows), Verdict::Broken { row_id: 4, .. }));
    }
}
