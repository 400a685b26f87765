//! The replies of payment.*: a month's page (`payment.get`, and the month after run, review,
//! lock and bank return), an adjustment, a batch grant and a roster.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::error::CmdResult;
use crate::payrun::{self, difference_label, kind_label, status_label};
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::store::payments as store_pay;

/// A month: its run, totals by township × programme, by kind and by status, differences,
/// failures, batch grants and the last 24 runs.
#[derive(Serialize, JsonSchema)]
pub(crate) struct MonthReply {
    pub month: String,
    /// `null` before the month's first run.
    pub run: Option<RunState>,
    pub total: String,
    pub total_fen: i64,
    pub payments: usize,
    pub households: usize,
    pub totals: Vec<TownshipTotal>,
    pub kinds: Vec<KindTotal>,
    pub statuses: Vec<StatusTotal>,
    pub differences: Vec<DifferenceLine>,
    pub unreviewed: usize,
    pub failed: Vec<FailedLine>,
    /// Payees of payments not yet sent whose bank account cannot be paid (missing, wrong length,
    /// wrong check digit), one per household, by township: the lock refuses while any are
    /// listed, or holds them, as the county's `payment.invalid_account` says.
    pub invalid_accounts: Vec<AccountLine>,
    /// Payees held off the roster at the lock for an invalid account (the township list): their
    /// payments are re-sent by a later run once the account is corrected.
    pub held: Vec<AccountLine>,
    pub grants: Vec<GrantLine>,
    pub runs: Vec<RunLine>,
}

/// A payee whose bank account cannot be paid.
#[derive(Serialize, JsonSchema)]
pub(crate) struct AccountLine {
    pub household_id: i64,
    pub head_name: String,
    pub payee_name: String,
    pub township_id: i64,
    pub township_name: String,
    pub bank_name: String,
    pub bank_account: String,
    /// Why it cannot be paid, in Chinese.
    pub why: String,
    pub payments: usize,
    pub amount: String,
}

impl AccountLine {
    fn of(u: payrun::Unpayable, names: &std::collections::HashMap<i64, String>) -> Self {
        AccountLine {
            household_id: u.household_id,
            head_name: u.head_name,
            payee_name: u.payee_name,
            township_id: u.township_id,
            township_name: names.get(&u.township_id).cloned().unwrap_or_default(),
            bank_name: u.bank_name,
            bank_account: u.bank_account,
            why: u.why,
            payments: u.payment_ids.len(),
            amount: yuan_text(u.amount_fen),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RunState {
    /// open | locked.
    pub state: String,
    pub state_label: &'static str,
    pub runs: i64,
    pub run_at: String,
    pub locked_at: Option<String>,
    pub roster_at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct TownshipTotal {
    pub township_id: i64,
    pub township_name: String,
    pub programme: String,
    pub programme_label: &'static str,
    pub payments: usize,
    pub households: usize,
    /// Persons on regular payments.
    pub persons: i64,
    pub amount: String,
    pub amount_fen: i64,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct KindTotal {
    pub kind: String,
    pub label: &'static str,
    pub payments: usize,
    pub amount: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct StatusTotal {
    pub status: String,
    pub label: &'static str,
    pub payments: usize,
    pub amount: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct DifferenceLine {
    pub id: i64,
    pub kind: String,
    pub label: &'static str,
    pub case_id: Option<i64>,
    pub certificate: Option<String>,
    pub household_id: i64,
    pub head_name: String,
    pub township_name: String,
    pub old: String,
    pub new: String,
    pub change: String,
    pub reason: String,
    pub reviewed: bool,
    pub reviewed_at: Option<String>,
    pub reviewer: Option<String>,
    /// Back pay held beyond the county's limit, not yet confirmed: `payment.confirm_back_pay`.
    pub awaiting_confirmation: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct FailedLine {
    pub id: i64,
    pub payee_name: String,
    pub bank_account: String,
    pub amount: String,
    pub kind_label: &'static str,
    pub reason: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GrantLine {
    pub kind: String,
    pub label: &'static str,
    /// As recorded: `{"cpi_rise", "food_rise"}` or `{"for"}`.
    pub params: Value,
    pub recorded_at: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RunLine {
    pub month: String,
    pub state: String,
    pub locked_at: Option<String>,
}

/// `payment.run`: the month, and what this run added.
#[derive(Serialize, JsonSchema)]
pub(crate) struct RunReply {
    #[serde(flatten)]
    pub month: MonthReply,
    pub added: usize,
    pub added_amount: String,
    pub added_differences: usize,
}

/// `payment.review`: the month, and how many differences were marked reviewed.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ReviewReply {
    #[serde(flatten)]
    pub month: MonthReply,
    pub reviewed: usize,
}

/// `payment.bank_return`: the month, and what the file recorded.
#[derive(Serialize, JsonSchema)]
pub(crate) struct BankReturnReply {
    #[serde(flatten)]
    pub month: MonthReply,
    pub imported: Imported,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct Imported {
    pub paid: usize,
    pub failed: usize,
    pub unchanged: usize,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct AdjustReply {
    pub id: i64,
    pub case_id: i64,
    pub month: String,
    pub amount: String,
    pub reason: String,
    /// Whether the month was already run, so the payment was added now.
    pub paid_in_run: bool,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct GrantReply {
    pub month: String,
    pub kind: String,
    pub label: &'static str,
    pub params: Value,
    /// What one person gets: dibao_rural, dibao_urban, tekun_rural, tekun_urban.
    pub per_person: BTreeMap<String, String>,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RosterReply {
    pub month: String,
    /// Where it was saved (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// xlsx | csv.
    pub format: String,
    pub rows: usize,
    pub total: String,
    /// Payments moved from pending to sent.
    pub sent: usize,
    /// The roster itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<crate::files::FileBytes>,
}

/// The month's page, read from the store.
pub(crate) fn view(conn: &rusqlite::Connection, month: &str) -> CmdResult<MonthReply> {
    let names = store_pay::area_names(conn)?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let sum = payrun::summarise(&store_pay::month_lines(conn, month)?);
    let diffs = store_pay::differences(conn, month)?;
    let run = store_pay::run(conn, month)?.map(|r| RunState {
        state_label: payrun::run_state_label(&r.state),
        state: r.state,
        runs: r.runs,
        run_at: r.run_at,
        locked_at: r.locked_at,
        roster_at: r.roster_at,
    });
    Ok(MonthReply {
        month: month.to_owned(),
        run,
        total: yuan_text(sum.fen),
        total_fen: sum.fen,
        payments: sum.payments,
        households: sum.households,
        totals: sum
            .by_township
            .iter()
            .map(|((t, prog), x)| TownshipTotal {
                township_id: *t,
                township_name: name(*t),
                programme: prog.clone(),
                programme_label: Programme::label_of(prog),
                payments: x.payments,
                households: x.households.len(),
                persons: x.persons,
                amount: yuan_text(x.fen),
                amount_fen: x.fen,
            })
            .collect(),
        kinds: (sum.by_kind.iter())
            .map(|(k, (n, a))| KindTotal {
                kind: k.clone(),
                label: kind_label(k),
                payments: *n,
                amount: yuan_text(*a),
            })
            .collect(),
        statuses: (sum.by_status.iter())
            .map(|(k, (n, a))| StatusTotal {
                status: k.clone(),
                label: status_label(k),
                payments: *n,
                amount: yuan_text(*a),
            })
            .collect(),
        unreviewed: diffs.iter().filter(|d| d.reviewed_at.is_none()).count(),
        differences: diffs
            .into_iter()
            .map(|d| DifferenceLine {
                id: d.id,
                label: match payrun::is_held_key(&d.key) {
                    true => payrun::held_label(d.awaiting_confirmation),
                    false => difference_label(&d.kind),
                },
                awaiting_confirmation: d.awaiting_confirmation,
                kind: d.kind,
                case_id: d.case_id,
                certificate: d.certificate,
                household_id: d.household_id,
                head_name: d.head_name,
                township_name: name(d.township_id),
                old: yuan_text(d.old_fen),
                new: yuan_text(d.new_fen),
                change: yuan_text(d.new_fen - d.old_fen),
                reason: d.reason,
                reviewed: d.reviewed_at.is_some(),
                reviewed_at: d.reviewed_at,
                reviewer: d.reviewer,
            })
            .collect(),
        failed: store_pay::month_failed(conn, month)?
            .into_iter()
            .map(|p| FailedLine {
                id: p.id,
                payee_name: p.payee_name,
                bank_account: p.payee.bank_account,
                amount: yuan_text(p.amount_fen),
                kind_label: kind_label(&p.kind),
                reason: p.failure_reason,
            })
            .collect(),
        invalid_accounts: payrun::unpayable(
            &store_pay::unsent(conn, month)?,
            store_pay::collective_account(conn)?.as_ref(),
        )
        .into_iter()
        .map(|u| AccountLine::of(u, &names))
        .collect(),
        held: held_lines(store_pay::held(conn, month)?)
            .into_iter()
            .map(|u| AccountLine::of(u, &names))
            .collect(),
        grants: store_pay::grants(conn, month)?
            .into_iter()
            .map(|g| GrantLine {
                label: kind_label(&g.kind),
                params: serde_json::from_str(&g.params).unwrap_or(Value::Null),
                kind: g.kind,
                recorded_at: g.recorded_at,
            })
            .collect(),
        runs: store_pay::runs(conn)?
            .into_iter()
            .take(24)
            .map(|r| RunLine {
                month: r.month,
                state: r.state,
                locked_at: r.locked_at,
            })
            .collect(),
    })
}

/// The held payments as payees, each with the reason recorded when it was held.
fn held_lines(held: Vec<(store_pay::Payment, String)>) -> Vec<payrun::Unpayable> {
    let mut out: Vec<payrun::Unpayable> = Vec::new();
    for (p, why) in held {
        let h = p.payee;
        match out
            .iter_mut()
            .find(|u| u.household_id == h.household_id && u.why == why)
        {
            Some(u) => {
                u.payment_ids.push(p.id);
                u.amount_fen += p.amount_fen;
            }
            None => out.push(payrun::Unpayable {
                household_id: h.household_id,
                township_id: h.township_id,
                head_name: h.head_name,
                payee_name: p.payee_name,
                bank_name: h.bank_name,
                bank_account: h.bank_account,
                why,
                payment_ids: vec![p.id],
                amount_fen: p.amount_fen,
            }),
        }
    }
    out
}

/// `payment.collective_account`: where 集中供养 特困 is paid; all `null` when not set (each
/// person is then paid to their household's account).
#[derive(Serialize, JsonSchema)]
pub(crate) struct CollectiveReply {
    pub payee: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
}

impl CollectiveReply {
    pub(crate) fn of(a: Option<payrun::CollectiveAccount>) -> Self {
        match a {
            Some(a) => CollectiveReply {
                payee: Some(a.payee),
                bank_name: Some(a.bank_name),
                bank_account: Some(a.bank_account),
            },
            None => CollectiveReply {
                payee: None,
                bank_name: None,
                bank_account: None,
            },
        }
    }
}
