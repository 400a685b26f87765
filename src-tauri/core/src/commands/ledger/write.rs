//! Writing the checked rows of a ledger: per row a household, its persons and memberships, an
//! enrolled case with its one `import` step and amount, and the household's audit row; then one
//! audit row for the whole import. All in one transaction.
//!
//! 40,000 rows mean some 600,000 statements, so the per-row work is kept to the statements: they
//! are prepared once (`prepare_cached` in the store), the case numbers are counted here, the
//! township and the people registered before come from the check, and the case, step data, trail
//! and audit row of each row come from `ledger::record`, serialised straight from borrowed fields.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::super::files::Source;
use super::super::progress::Ticker;
use super::super::{json_text, Session, Stamp};
use super::TASK;
use crate::db::with_tx;
use crate::error::CmdResult;
use crate::ledger::check::{Checked, Ready};
use crate::ledger::record::{self, Origin};
use crate::registry::PersonFacts;
use crate::rules::money::yuan_text;
use crate::store::cases::{Amount, Step};
use crate::store::ledger::Known;
use crate::{pinyin_index, store};

/// The summary audit row of an import (entity `ledger_import`).
#[derive(Serialize)]
struct ImportAudit<'a> {
    file: &'a str,
    sha256: String,
    header_row: u32,
    rows: usize,
    imported: usize,
    skipped: usize,
    invalid_rows: usize,
    first_paid_month: &'a str,
}

/// Write every ready row; returns how many households were written. Reports progress every few
/// hundred rows.
pub(super) fn write_rows(
    s: &mut Session,
    source: &Source,
    header_row: u32,
    admin_id: i64,
    checked: &Checked,
    paid_from: &str,
) -> CmdResult<usize> {
    let stamp = Stamp::of(s)?;
    let w = Writer {
        stamp: &stamp,
        people: &checked.people,
        admin_id,
        today: s.clock.today(),
        file: &source.name(),
        paid_from,
        paid_through: &crate::month::shift_text(paid_from, -1),
    };
    let hash = source.sha256();
    let ticker = Ticker::start(s.progress.as_ref(), TASK, "write", checked.ready.len());
    with_tx(&mut s.conn, |tx| {
        // Case numbers run on from the last of the year, counted here rather than per row.
        let mut next: HashMap<&str, u32> = HashMap::new();
        for p in ["dibao", "tekun"] {
            next.insert(p, store::cases::next_sequence(tx, p, w.today.year())?);
        }
        store::ledger::with_search_indexes_deferred(tx, || {
            for (i, ready) in checked.ready.iter().enumerate() {
                w.write_one(tx, ready, &mut next)?;
                ticker.tick(i + 1);
            }
            Ok(())
        })?;
        stamp.record_new(
            tx,
            "ledger.import",
            "ledger_import",
            None,
            &ImportAudit {
                file: w.file,
                sha256: hash,
                header_row,
                rows: checked.total,
                imported: checked.ready.len(),
                skipped: checked.skipped.len(),
                invalid_rows: checked.invalid_rows,
                first_paid_month: w.paid_from,
            },
        )
    })?;
    Ok(checked.ready.len())
}

/// What every row's writing shares.
struct Writer<'a> {
    stamp: &'a Stamp,
    people: &'a HashMap<String, Known>,
    admin_id: i64,
    today: NaiveDate,
    file: &'a str,
    /// The first month Doudi pays, and the month before it (paid by the old system).
    paid_from: &'a str,
    paid_through: &'a str,
}

impl Writer<'_> {
    /// A person of the row joins household `hid`. One registered before with no open membership
    /// (moved out earlier) keeps their record; the check refused anyone with an open one.
    fn enrol(
        &self,
        tx: &rusqlite::Connection,
        hid: i64,
        p: &PersonFacts,
        relation: &str,
    ) -> CmdResult<i64> {
        let pid = match self.people.get(&p.id_number) {
            Some(k) => k.person_id,
            None => store::registry::insert_person(
                tx,
                p,
                &pinyin_index::index_text(&p.name),
                &self.stamp.at,
            )?,
        };
        store::registry::add_membership(tx, hid, pid, relation, self.today)?;
        Ok(pid)
    }

    fn write_one(
        &self,
        tx: &rusqlite::Connection,
        ready: &Ready,
        next: &mut HashMap<&str, u32>,
    ) -> CmdResult<()> {
        let Ready {
            row,
            r,
            township_id,
        } = ready;
        let (row, file, at) = (*row, self.file, &self.stamp.at);
        let hid = store::registry::insert_household(tx, &r.household, at)?;
        let head_id = self.enrol(tx, hid, &r.head, "head")?;
        store::registry::set_head(tx, hid, Some(head_id), at)?;
        for (relation, m) in &r.members {
            self.enrol(tx, hid, m, relation)?;
        }
        let seq = next.entry(r.programme).or_insert(1);
        let number = store::cases::number(r.programme, self.today.year(), *seq);
        *seq += 1;
        let amount = yuan_text(r.amount_fen);
        let origin = Origin {
            file,
            row,
            admin_id: self.admin_id,
            today: self.today,
            at,
            paid_from: self.paid_from,
        };
        let case = record::case_row(r, &origin, &number, hid, *township_id);
        let case_id = store::cases::save(tx, &case)?;
        // The months before `paid_from` were paid by the old system: the run starts after them.
        store::ledger::set_paid_through(tx, case_id, self.paid_through)?;
        let step_id = store::cases::add_step(
            tx,
            &Step {
                id: 0,
                case_id,
                action: "import".into(),
                from_state: "enrolled".into(),
                to_state: "enrolled".into(),
                user_id: self.admin_id,
                at: at.clone(),
                data: json_text(&record::step_data(r, &origin, &amount))?,
            },
        )?;
        store::cases::add_amount(
            tx,
            &Amount {
                case_id,
                from_month: r.pay_from.clone(),
                amount_fen: r.amount_fen,
                persons: r.persons,
                trail: json_text(&record::trail(&origin, &amount))?,
                step_id,
            },
        )?;
        self.stamp.record_new(
            tx,
            "ledger.import",
            "household",
            Some(hid),
            &record::household_audit(r, &origin, case_id, &number, &amount),
        )
    }
}
