//! The data of the monthly payment run, as the store reads and writes it and the planner takes
//! and gives: runs, grants, adjustments, payees, payable cases, stages, payments, differences.
//! Plain data: no SQL, no serde (replies convert from them).

#[derive(Debug, Clone, PartialEq, Eq)]
/// A month's run: open until locked.
pub struct Run {
    pub month: String,
    pub state: String,
    pub runs: i64,
    pub run_at: String,
    pub locked_at: Option<String>,
    pub roster_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    pub month: String,
    pub kind: String,
    pub params: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustment {
    pub id: i64,
    pub case_id: i64,
    pub month: String,
    pub amount_fen: i64,
    pub reason: String,
}

/// The household as a payment copies it: area, 户籍, head (the payee), bank, open members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payee {
    pub household_id: i64,
    pub township_id: i64,
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub urban_rural: String,
    pub head_name: String,
    pub head_id_number: String,
    pub bank_name: String,
    pub bank_account: String,
    /// Open members of the household (0 when read for a 低保/特困 case: see `CASE_PAYEE_COLUMNS`).
    pub members: i64,
}

/// A 低保/特困 case that may be due a monthly payment, with the last month already paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayableCase {
    pub id: i64,
    pub number: String,
    pub programme: String,
    pub state: String,
    pub pay_from: String,
    pub pay_until: Option<String>,
    pub paid_through: Option<String>,
    /// When its approval was entered (the `approve` step's time), read only for a case that may
    /// be due back pay; `None` otherwise and for an imported case.
    pub approved_at: Option<String>,
    pub payee: Payee,
}

/// A case's dated amounts: (from_month, amount_fen, persons).
pub type DatedAmounts = Vec<(String, i64, i64)>;

/// A 临时救助 or 一事一议 stage due in a month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueStage {
    pub source_id: i64,
    pub number: String,
    pub amount_fen: i64,
    pub payee: Payee,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub month: String,
    pub for_month: String,
    pub kind: String,
    pub source_kind: String,
    pub source_id: i64,
    pub case_id: Option<i64>,
    pub payee: Payee,
    pub programme: String,
    pub persons: i64,
    pub standard_fen: Option<i64>,
    pub amount_fen: i64,
    pub payee_name: String,
    pub payee_id_number: String,
    pub certificate: String,
    pub start_month: Option<String>,
    pub note: String,
    pub status: String,
    pub failure_reason: Option<String>,
}

/// A payment reduced to what a month's totals need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub township_id: i64,
    pub programme: String,
    pub kind: String,
    pub status: String,
    pub household_id: i64,
    pub persons: i64,
    pub amount_fen: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Difference {
    pub id: i64,
    pub month: String,
    pub kind: String,
    pub key: String,
    pub case_id: Option<i64>,
    pub household_id: i64,
    pub township_id: i64,
    pub old_fen: i64,
    pub new_fen: i64,
    pub reason: String,
    pub reviewed_at: Option<String>,
    pub reviewer: Option<String>,
    pub head_name: String,
    pub certificate: Option<String>,
    /// Held back pay not yet confirmed (a second person must confirm it before it is paid).
    pub awaiting_confirmation: bool,
}
