//! SQL for 临时救助 cases, their append-only steps and their staged payment plans.
//!
//! Invariants: steps are append-only (triggers); a stage is paid once and never deleted
//! (triggers); the case row is the current record, the steps are its history.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::rules::TempAidLimits;
use crate::workflow::temp::{
    self as wf, StageFact, TempAction, TempDates, TempFacts, TempLimits, TempState,
};
use crate::workflow::WorkCalendar;

/// A case as stored, with the household's head, township and village names for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempCase {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub cause: String,
    pub household_id: i64,
    pub township_id: i64,
    pub state: String,
    pub applied_on: NaiveDate,
    pub description: String,
    pub requested_fen: Option<i64>,
    pub created_by: i64,
    pub created_at: String,
    pub accepted_by: Option<i64>,
    pub accepted_on: Option<NaiveDate>,
    pub investigated_by: Option<i64>,
    pub investigated_on: Option<NaiveDate>,
    pub findings: Option<String>,
    pub advance_by: Option<i64>,
    pub advance_on: Option<NaiveDate>,
    pub advance_fen: i64,
    pub county_check_by: Option<i64>,
    pub county_check_on: Option<NaiveDate>,
    pub county_check_findings: Option<String>,
    pub override_by: Option<i64>,
    pub override_on: Option<NaiveDate>,
    pub override_reason: Option<String>,
    pub referred_by: Option<i64>,
    pub referred_on: Option<NaiveDate>,
    pub referral_opinion: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_on: Option<NaiveDate>,
    pub decision_level: Option<String>,
    pub approved_fen: Option<i64>,
    pub refusal_reasons: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub updated_at: String,
    /// Bumped by every step (a trigger on `temp_aid_step`); read only.
    pub version: i64,
    // Read only, from the registry.
    pub head_name: String,
    pub township_name: String,
    pub village_name: String,
}

const COLUMNS: &str = "c.id, c.number, c.kind, c.cause, c.household_id, c.township_id, c.state, \
    c.applied_on, c.description, c.requested_fen, c.created_by, c.created_at, c.accepted_by, \
    c.accepted_on, c.investigated_by, c.investigated_on, c.findings, c.advance_by, c.advance_on, \
    c.advance_fen, c.county_check_by, c.county_check_on, c.county_check_findings, c.override_by, \
    c.override_on, c.override_reason, c.referred_by, c.referred_on, c.referral_opinion, \
    c.decided_by, c.decided_on, c.decision_level, c.approved_fen, c.refusal_reasons, \
    c.closed_on, c.updated_at, coalesce(p.name, ''), t.name, v.name, c.version";

const FROM: &str = "FROM temp_aid_case c
     JOIN household h ON h.id = c.household_id
     JOIN area v ON v.id = h.village_id
     JOIN area t ON t.id = c.township_id
     LEFT JOIN person p ON p.id = h.head_id";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<TempCase> {
    Ok(TempCase {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: r.get(2)?,
        cause: r.get(3)?,
        household_id: r.get(4)?,
        township_id: r.get(5)?,
        state: r.get(6)?,
        applied_on: r.get(7)?,
        description: r.get(8)?,
        requested_fen: r.get(9)?,
        created_by: r.get(10)?,
        created_at: r.get(11)?,
        accepted_by: r.get(12)?,
        accepted_on: r.get(13)?,
        investigated_by: r.get(14)?,
        investigated_on: r.get(15)?,
        findings: r.get(16)?,
        advance_by: r.get(17)?,
        advance_on: r.get(18)?,
        advance_fen: r.get(19)?,
        county_check_by: r.get(20)?,
        county_check_on: r.get(21)?,
        county_check_findings: r.get(22)?,
        override_by: r.get(23)?,
        override_on: r.get(24)?,
        override_reason: r.get(25)?,
        referred_by: r.get(26)?,
        referred_on: r.get(27)?,
        referral_opinion: r.get(28)?,
        decided_by: r.get(29)?,
        decided_on: r.get(30)?,
        decision_level: r.get(31)?,
        approved_fen: r.get(32)?,
        refusal_reasons: r.get(33)?,
        closed_on: r.get(34)?,
        updated_at: r.get(35)?,
        head_name: r.get(36)?,
        township_name: r.get(37)?,
        village_name: r.get(38)?,
        version: r.get(39)?,
    })
}

/// What registration records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase<'a> {
    pub number: &'a str,
    pub kind: &'a str,
    pub cause: &'a str,
    pub household_id: i64,
    pub township_id: i64,
    pub applied_on: NaiveDate,
    pub description: &'a str,
    pub requested_fen: Option<i64>,
    pub created_by: i64,
    pub created_at: &'a str,
}

pub fn insert(tx: &Connection, c: &NewCase<'_>) -> CmdResult<i64> {
    tx.execute(
        "INSERT INTO temp_aid_case (number, kind, cause, household_id, township_id, state,
             applied_on, description, requested_fen, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'applied', ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            c.number,
            c.kind,
            c.cause,
            c.household_id,
            c.township_id,
            c.applied_on,
            c.description,
            c.requested_fen,
            c.created_by,
            c.created_at
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The next case number of a year: LS2026-0001, LS2026-0002, …
pub fn next_number(tx: &Connection, year: i32) -> CmdResult<String> {
    let prefix = format!("LS{year:04}-");
    let last: Option<String> = tx.query_row(
        "SELECT max(number) FROM temp_aid_case WHERE number LIKE ?1 || '%'",
        [&prefix],
        |r| r.get(0),
    )?;
    let n = last
        .and_then(|s| s[prefix.len()..].parse::<u32>().ok())
        .unwrap_or(0);
    Ok(format!("{prefix}{:04}", n + 1))
}

pub fn get(conn: &Connection, id: i64) -> CmdResult<Option<TempCase>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} {FROM} WHERE c.id = ?1"),
            [id],
            read,
        )
        .optional()?)
}

/// Which cases to list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub township_id: Option<i64>,
    pub household_id: Option<i64>,
    pub state: Option<String>,
    /// Only cases not yet closed or refused.
    pub open_only: bool,
}

/// Cases, newest first.
pub fn list(conn: &Connection, f: &Filter) -> CmdResult<Vec<TempCase>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} {FROM}
         WHERE (?1 IS NULL OR c.township_id = ?1) AND (?2 IS NULL OR c.household_id = ?2)
           AND (?3 IS NULL OR c.state = ?3)
           AND (?4 = 0 OR c.state NOT IN ('closed', 'refused'))
         ORDER BY c.id DESC"
    ))?;
    let rows = stmt
        .query_map(
            params![f.township_id, f.household_id, f.state, f.open_only],
            read,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Numbers of the household's cases registered before `before_id` in the same calendar year for
/// the same cause, not refused: the once-a-year rule.
pub fn earlier_same_cause(
    conn: &Connection,
    household_id: i64,
    cause: &str,
    year: i32,
    before_id: Option<i64>,
) -> CmdResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT number FROM temp_aid_case
         WHERE household_id = ?1 AND cause = ?2 AND substr(applied_on, 1, 4) = ?3
           AND state <> 'refused' AND (?4 IS NULL OR id < ?4)
         ORDER BY id",
    )?;
    let rows = stmt
        .query_map(
            params![household_id, cause, format!("{year:04}"), before_id],
            |r| r.get(0),
        )?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(rows)
}

/// Write back the mutable part of the case record.
pub fn save(tx: &Connection, c: &TempCase) -> CmdResult<()> {
    tx.execute(
        "UPDATE temp_aid_case SET state = ?2, accepted_by = ?3, accepted_on = ?4,
             investigated_by = ?5, investigated_on = ?6, findings = ?7, advance_by = ?8,
             advance_on = ?9, advance_fen = ?10, county_check_by = ?11, county_check_on = ?12,
             county_check_findings = ?13, override_by = ?14, override_on = ?15,
             override_reason = ?16, referred_by = ?17, referred_on = ?18, referral_opinion = ?19,
             decided_by = ?20, decided_on = ?21, decision_level = ?22, approved_fen = ?23,
             refusal_reasons = ?24, closed_on = ?25, updated_at = ?26
         WHERE id = ?1",
        params![
            c.id,
            c.state,
            c.accepted_by,
            c.accepted_on,
            c.investigated_by,
            c.investigated_on,
            c.findings,
            c.advance_by,
            c.advance_on,
            c.advance_fen,
            c.county_check_by,
            c.county_check_on,
            c.county_check_findings,
            c.override_by,
            c.override_on,
            c.override_reason,
            c.referred_by,
            c.referred_on,
            c.referral_opinion,
            c.decided_by,
            c.decided_on,
            c.decision_level,
            c.approved_fen,
            c.refusal_reasons,
            c.closed_on,
            c.updated_at
        ],
    )?;
    Ok(())
}

/// One stage of the payment plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub no: u32,
    pub month: NaiveDate,
    pub amount_fen: i64,
    pub paid_on: Option<NaiveDate>,
    pub paid_by_name: Option<String>,
}

/// Write the plan of an approval: (month, amount in fen), numbered from 1.
pub fn insert_stages(tx: &Connection, case_id: i64, plan: &[(NaiveDate, i64)]) -> CmdResult<()> {
    for (i, (month, amount_fen)) in plan.iter().enumerate() {
        tx.execute(
            "INSERT INTO temp_aid_stage (case_id, no, month, amount_fen) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, i as i64 + 1, month, amount_fen],
        )?;
    }
    Ok(())
}

pub fn stages(conn: &Connection, case_id: i64) -> CmdResult<Vec<Stage>> {
    let mut stmt = conn.prepare(
        "SELECT s.no, s.month, s.amount_fen, s.paid_on, u.display_name
         FROM temp_aid_stage s LEFT JOIN user u ON u.id = s.paid_by
         WHERE s.case_id = ?1 ORDER BY s.no",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok(Stage {
                no: r.get(0)?,
                month: r.get(1)?,
                amount_fen: r.get(2)?,
                paid_on: r.get(3)?,
                paid_by_name: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The stages of a case that a monthly run put on its roster, with the run's month and whether
/// that month is locked (the payment rows are append-only, so a stage once on a roster stays
/// there).
pub fn stage_rosters(conn: &Connection, case_id: i64) -> CmdResult<HashMap<u32, (Month, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.no, min(p.month),
                max(coalesce((SELECT r.state = 'locked' FROM payment_run r WHERE r.month = p.month), 0))
         FROM temp_aid_stage s
         JOIN payment p ON p.source_kind = 'temp_aid' AND p.source_id = s.id
         WHERE s.case_id = ?1 GROUP BY s.no",
    )?;
    let rows = stmt
        .query_map([case_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(no, m, locked)| Month::parse(&m).map(|m| (no, (m, locked))))
        .collect())
}

/// The 临时救助 cases with a stage on the roster of `month`, by id.
pub fn cases_on_roster(conn: &Connection, month: &str) -> CmdResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT s.case_id FROM temp_aid_stage s
         JOIN payment p ON p.source_kind = 'temp_aid' AND p.source_id = s.id
         WHERE p.month = ?1 ORDER BY s.case_id",
    )?;
    let rows = stmt
        .query_map([month], |r| r.get(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Mark a stage paid. The trigger refuses a stage already paid.
pub fn pay_stage(tx: &Connection, case_id: i64, no: u32, on: NaiveDate, by: i64) -> CmdResult<()> {
    tx.execute(
        "UPDATE temp_aid_stage SET paid_on = ?3, paid_by = ?4 WHERE case_id = ?1 AND no = ?2",
        params![case_id, no, on, by],
    )?;
    Ok(())
}

/// The facts of a case for [`wf::transition`] as of `today`. Quota and cap are zero when `lim`
/// is `None` (only the money steps look at them).
pub fn facts(
    conn: &Connection,
    c: &TempCase,
    lim: Option<TempAidLimits>,
    today: NaiveDate,
) -> CmdResult<TempFacts> {
    let near = super::near_relatives::match_household(conn, c.household_id)?;
    let rosters = stage_rosters(conn, c.id)?;
    let stages = stages(conn, c.id)?
        .into_iter()
        .map(|st| StageFact {
            no: st.no,
            month: st.month,
            amount_fen: st.amount_fen,
            paid_on: st.paid_on,
            roster_month: rosters.get(&st.no).map(|r| r.0),
            roster_locked: rosters.get(&st.no).is_some_and(|r| r.1),
        })
        .collect();
    Ok(TempFacts {
        kind: wf::parse_kind(&c.kind)
            .ok_or_else(|| CmdError::internal(format!("案件 {} 的类型无效", c.number)))?,
        township_id: c.township_id,
        created_by: c.created_by,
        accepted_by: c.accepted_by,
        investigated_by: c.investigated_by,
        advance_by: c.advance_by,
        advance_fen: c.advance_fen,
        referred_by: c.referred_by,
        repeat_of: earlier_same_cause(
            conn,
            c.household_id,
            &c.cause,
            c.applied_on.year(),
            Some(c.id),
        )?,
        repeat_override_by: c.override_by,
        near_relative_user_ids: near.user_ids,
        near_relative_filed: near.filed,
        county_home_check_recorded: c.county_check_on.is_some(),
        township_quota_fen: lim.map_or(0, |l| l.township_quota_fen),
        cap_fen: lim.map_or(0, |l| l.cap_fen),
        reserve_balance_fen: super::reserve_fund::balance(conn, c.township_id)?,
        stages,
        today,
    })
}

/// Write a permitted step into the case record, with the reserve-fund entry of an advance and
/// the plan of an approval, and save it. The caller writes the step and the audit row.
pub fn record_action(
    tx: &Connection,
    c: &mut TempCase,
    action: &TempAction,
    next: TempState,
    user_id: i64,
    today: NaiveDate,
    at: &str,
) -> CmdResult<()> {
    let me = Some(user_id);
    let on = Some(today);
    let level = |township: bool| Some(if township { "township" } else { "county" }.to_owned());
    match action {
        TempAction::Accept => {
            c.accepted_by = me;
            c.accepted_on = on;
        }
        TempAction::RecordSurvey { findings } | TempAction::CompletePaperwork { findings } => {
            c.investigated_by = me;
            c.investigated_on = on;
            c.findings = Some(findings.clone());
        }
        TempAction::GrantAdvance { amount_fen } => {
            c.advance_by = me;
            c.advance_on = on;
            c.advance_fen = *amount_fen;
            super::reserve_fund::insert_entry(
                tx,
                &super::reserve_fund::NewEntry {
                    township_id: c.township_id,
                    kind: wf::EntryKind::Advance.as_str(),
                    amount_fen: -amount_fen,
                    entry_on: today,
                    reference: &c.number,
                    note: &format!("先行救助：{}户", c.head_name),
                    case_id: Some(c.id),
                    recorded_by: user_id,
                    recorded_at: at,
                },
            )?;
        }
        TempAction::RecordCountyHomeCheck { findings } => {
            c.county_check_by = me;
            c.county_check_on = on;
            c.county_check_findings = Some(findings.clone());
        }
        TempAction::OverrideRepeat { reason } => {
            c.override_by = me;
            c.override_on = on;
            c.override_reason = Some(reason.clone());
        }
        TempAction::ApproveTownship { total_fen, stages }
        | TempAction::ApproveCounty { total_fen, stages } => {
            c.decided_by = me;
            c.decided_on = on;
            c.decision_level = level(matches!(action, TempAction::ApproveTownship { .. }));
            c.approved_fen = Some(*total_fen);
            let plan: Vec<(NaiveDate, i64)> =
                stages.iter().map(|s| (s.month, s.amount_fen)).collect();
            insert_stages(tx, c.id, &plan)?;
        }
        TempAction::ReferToCounty { opinion } => {
            c.referred_by = me;
            c.referred_on = on;
            c.referral_opinion = Some(opinion.clone());
        }
        TempAction::RefuseTownship { reasons } | TempAction::RefuseCounty { reasons } => {
            c.decided_by = me;
            c.decided_on = on;
            c.decision_level = level(matches!(action, TempAction::RefuseTownship { .. }));
            c.refusal_reasons = Some(reasons.clone());
        }
        TempAction::PayStage { stage_no, .. } => pay_stage(tx, c.id, *stage_no, today, user_id)?,
    }
    if next == TempState::Closed {
        c.closed_on = on;
    }
    c.state = next.as_str().to_owned();
    c.updated_at = at.to_owned();
    save(tx, c)
}

/// The county's calendar and limits, loaded once per command.
pub struct Clocking {
    cal: WorkCalendar,
    limits: TempLimits,
}

impl Clocking {
    pub fn load(conn: &Connection) -> CmdResult<Clocking> {
        let w = super::calendar::workflow_settings(conn)?;
        Ok(Clocking {
            cal: super::calendar::load(conn)?,
            limits: TempLimits {
                procedure_workdays: w.temp_procedure_workdays,
                paperwork_workdays: w.temp_paperwork_workdays,
            },
        })
    }

    pub fn deadline(
        &self,
        c: &TempCase,
        state: TempState,
        next: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let dates = TempDates {
            applied_on: c.applied_on,
            accepted_on: c.accepted_on,
            advance_on: c.advance_on,
            next_stage_month: next,
        };
        wf::step_deadline(&self.cal, state, &dates, &self.limits)
    }

    /// The deadline of the step a case waits for, with the month of its next stage to pay by
    /// hand (not paid, not on a roster).
    pub fn deadline_of(
        &self,
        conn: &Connection,
        c: &TempCase,
        state: TempState,
    ) -> CmdResult<Option<NaiveDate>> {
        let rosters = stage_rosters(conn, c.id)?;
        let next = stages(conn, c.id)?
            .into_iter()
            .find(|s| s.paid_on.is_none() && !rosters.contains_key(&s.no))
            .map(|s| s.month);
        Ok(self.deadline(c, state, next))
    }
}
