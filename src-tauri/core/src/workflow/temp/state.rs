//! The states of a 临时救助 case, the actions that move it and the causes that count as "the same
//! cause", with their Chinese labels.

use chrono::NaiveDate;

use crate::rules::TempAidKind;

/// Where a 临时救助 case stands. What was recorded on the way (survey, advance, amounts, the
/// payment plan) lives in the case record and reaches [`super::transition`] as
/// [`super::TempFacts`]; the state says only which step is next.
///
/// ```text
///            ┌──────────── 先行救助 (急难型 only, reviewer, from the reserve fund) ───────────┐
///            │                                                                               ▼
/// Applied ──受理──► Accepted ──入户调查──► Investigated ◄──补齐手续 (caseworker, by deadline)── Advanced
///                                        │  │  │
///               乡镇审批同意 (≤ quota) ◄──┘  │  └──► 乡镇不予救助 ──► Refused
///                      │                     └──报县级审批──► Referred ──县级不予救助──► Refused
///                      ▼                                         │
///                  Approved ◄──────────── 县级审批同意 ───────────┘
///          (stages paid one by one; when nothing is left to pay, or the approved total
///           equals the advance already paid, the case is Closed)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TempState {
    /// 已登记: the application is in; an emergency may be granted 先行救助 at once.
    Applied,
    /// 已受理: waiting for the household survey.
    Accepted,
    /// 已先行救助: the township paid from its reserve fund; the caseworker completes the
    /// paperwork (事后补充说明) by the deadline.
    Advanced,
    /// 已调查 (or paperwork completed): the township reviewer decides within the quota, or
    /// refers the case to the county.
    Investigated,
    /// 已报县级审批: above the township quota (or referred by choice); the county decides.
    Referred,
    /// 已批准，分阶段发放: one approval, paid in stages.
    Approved,
    /// 已办结: everything approved has been paid. Final.
    Closed,
    /// 不予救助, with written reasons. Final.
    Refused,
}

impl TempState {
    pub const ALL: [TempState; 8] = [
        TempState::Applied,
        TempState::Accepted,
        TempState::Advanced,
        TempState::Investigated,
        TempState::Referred,
        TempState::Approved,
        TempState::Closed,
        TempState::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TempState::Applied => "applied",
            TempState::Accepted => "accepted",
            TempState::Advanced => "advanced",
            TempState::Investigated => "investigated",
            TempState::Referred => "referred",
            TempState::Approved => "approved",
            TempState::Closed => "closed",
            TempState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<TempState> {
        TempState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TempState::Applied => "已登记",
            TempState::Accepted => "已受理",
            TempState::Advanced => "已先行救助",
            TempState::Investigated => "已调查",
            TempState::Referred => "已报县级审批",
            TempState::Approved => "已批准，分阶段发放",
            TempState::Closed => "已办结",
            TempState::Refused => "不予救助",
        }
    }

    /// What the case is waiting for, as a sentence fragment for error messages.
    pub fn waiting_for(self) -> &'static str {
        match self {
            TempState::Applied => "已登记，正在等待乡镇受理（急难型可先行救助）",
            TempState::Accepted => "已受理，正在等待入户调查",
            TempState::Advanced => "已先行救助，正在等待经办人补齐手续（事后补充说明）",
            TempState::Investigated => "已完成调查，正在等待乡镇审核审批",
            TempState::Referred => "已报县级审批，正在等待县民政局审批",
            TempState::Approved => "已批准，正在分阶段发放",
            TempState::Closed => "已办结，不能再办理",
            TempState::Refused => "已不予救助，不能再办理（如需重新申请请新建案件）",
        }
    }

    /// Final states take no action at all.
    pub fn is_final(self) -> bool {
        match self {
            TempState::Closed | TempState::Refused => true,
            TempState::Applied
            | TempState::Accepted
            | TempState::Advanced
            | TempState::Investigated
            | TempState::Referred
            | TempState::Approved => false,
        }
    }
}

/// The code of a 临时救助 kind at the command boundary and in the database.
pub fn kind_code(kind: TempAidKind) -> &'static str {
    match kind {
        TempAidKind::Emergency => "emergency",
        TempAidKind::Expenditure => "expenditure",
    }
}

pub fn parse_kind(code: &str) -> Option<TempAidKind> {
    [TempAidKind::Emergency, TempAidKind::Expenditure]
        .into_iter()
        .find(|k| kind_code(*k) == code)
}

/// 救助事由: help for the same cause is given once per calendar year.
pub const CAUSES: &[(&str, &str)] = &[
    ("illness", "疾病"),
    ("education", "教育"),
    ("fire", "火灾"),
    ("traffic", "交通事故"),
    ("accident", "其他意外事故"),
    ("disaster", "自然灾害"),
    ("living", "基本生活暂时困难"),
    ("other", "其他"),
];

pub fn cause_label(code: &str) -> Option<&'static str> {
    CAUSES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// One stage of the payment plan as approved: the month it is planned for (its first day) and
/// the amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StagePlan {
    pub month: NaiveDate,
    pub amount_fen: i64,
}

/// One step a user takes on a 临时救助 case, with the data the step records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TempAction {
    /// 受理 at the one-door window.
    Accept,
    /// 入户调查 with its findings.
    RecordSurvey { findings: String },
    /// 先行救助: the township reviewer pays at once from the reserve fund (急难型 only).
    GrantAdvance { amount_fen: i64 },
    /// 补齐手续: the caseworker's 事后补充说明 after an advance.
    CompletePaperwork { findings: String },
    /// 县级入户核查 of a 近亲属备案 case.
    RecordCountyHomeCheck { findings: String },
    /// 重复救助特批: a township reviewer allows help for a cause already helped this year.
    OverrideRepeat { reason: String },
    /// 乡镇审批同意 within the township quota: the total (advance included) and the stages
    /// that pay what the advance has not.
    ApproveTownship {
        total_fen: i64,
        stages: Vec<StagePlan>,
    },
    /// 报县级审批 with the township's opinion.
    ReferToCounty { opinion: String },
    /// 乡镇不予救助 with written reasons.
    RefuseTownship { reasons: String },
    /// 县级审批同意.
    ApproveCounty {
        total_fen: i64,
        stages: Vec<StagePlan>,
    },
    /// 县级不予救助 with written reasons.
    RefuseCounty { reasons: String },
    /// 发放 one stage of the plan (1-based) by hand; `reason` (may be blank) explains paying
    /// before the stage's planned month, which needs one.
    PayStage { stage_no: u32, reason: String },
}

/// The kind of a [`TempAction`], without its data: what roles and states are keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TempActionKind {
    Accept,
    RecordSurvey,
    GrantAdvance,
    CompletePaperwork,
    RecordCountyHomeCheck,
    OverrideRepeat,
    ApproveTownship,
    ReferToCounty,
    RefuseTownship,
    ApproveCounty,
    RefuseCounty,
    PayStage,
}

impl TempAction {
    pub fn kind(&self) -> TempActionKind {
        match self {
            TempAction::Accept => TempActionKind::Accept,
            TempAction::RecordSurvey { .. } => TempActionKind::RecordSurvey,
            TempAction::GrantAdvance { .. } => TempActionKind::GrantAdvance,
            TempAction::CompletePaperwork { .. } => TempActionKind::CompletePaperwork,
            TempAction::RecordCountyHomeCheck { .. } => TempActionKind::RecordCountyHomeCheck,
            TempAction::OverrideRepeat { .. } => TempActionKind::OverrideRepeat,
            TempAction::ApproveTownship { .. } => TempActionKind::ApproveTownship,
            TempAction::ReferToCounty { .. } => TempActionKind::ReferToCounty,
            TempAction::RefuseTownship { .. } => TempActionKind::RefuseTownship,
            TempAction::ApproveCounty { .. } => TempActionKind::ApproveCounty,
            TempAction::RefuseCounty { .. } => TempActionKind::RefuseCounty,
            TempAction::PayStage { .. } => TempActionKind::PayStage,
        }
    }
}

impl TempActionKind {
    pub const ALL: [TempActionKind; 12] = [
        TempActionKind::Accept,
        TempActionKind::RecordSurvey,
        TempActionKind::GrantAdvance,
        TempActionKind::CompletePaperwork,
        TempActionKind::RecordCountyHomeCheck,
        TempActionKind::OverrideRepeat,
        TempActionKind::ApproveTownship,
        TempActionKind::ReferToCounty,
        TempActionKind::RefuseTownship,
        TempActionKind::ApproveCounty,
        TempActionKind::RefuseCounty,
        TempActionKind::PayStage,
    ];

    /// The action's code at the command boundary (`temp_aid.act {action}`).
    pub fn as_str(self) -> &'static str {
        match self {
            TempActionKind::Accept => "accept",
            TempActionKind::RecordSurvey => "record_survey",
            TempActionKind::GrantAdvance => "grant_advance",
            TempActionKind::CompletePaperwork => "complete_paperwork",
            TempActionKind::RecordCountyHomeCheck => "record_county_home_check",
            TempActionKind::OverrideRepeat => "override_repeat",
            TempActionKind::ApproveTownship => "approve_township",
            TempActionKind::ReferToCounty => "refer_to_county",
            TempActionKind::RefuseTownship => "refuse_township",
            TempActionKind::ApproveCounty => "approve_county",
            TempActionKind::RefuseCounty => "refuse_county",
            TempActionKind::PayStage => "pay_stage",
        }
    }

    pub fn parse(s: &str) -> Option<TempActionKind> {
        TempActionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TempActionKind::Accept => "受理",
            TempActionKind::RecordSurvey => "登记入户调查",
            TempActionKind::GrantAdvance => "先行救助",
            TempActionKind::CompletePaperwork => "补齐手续",
            TempActionKind::RecordCountyHomeCheck => "登记县级入户核查",
            TempActionKind::OverrideRepeat => "登记重复救助特批",
            TempActionKind::ApproveTownship => "乡镇审批同意",
            TempActionKind::ReferToCounty => "报县级审批",
            TempActionKind::RefuseTownship => "乡镇不予救助",
            TempActionKind::ApproveCounty => "县级审批同意",
            TempActionKind::RefuseCounty => "县级不予救助",
            TempActionKind::PayStage => "登记发放",
        }
    }
}

/// The label of a kind's code ("" for an unknown code).
pub fn kind_label(code: &str) -> &'static str {
    parse_kind(code).map_or("", |k| k.label())
}

/// The label of a state's code ("" for an unknown code, such as the empty state before
/// registration).
pub fn state_label(code: &str) -> &'static str {
    TempState::parse(code).map_or("", |s| s.label())
}

/// The timeline step written at the lock of a monthly run that paid stages of a case (the
/// locker, at the lock); 一事一议 uses the same code.
pub const PAID_IN_RUN: &str = "paid_in_run";

/// The label of a timeline step: a workflow action, registration (`register`), a printed
/// document (`document`) or stages paid by a locked monthly run ([`PAID_IN_RUN`]).
pub fn step_label(code: &str) -> &'static str {
    match code {
        "register" => "登记申请",
        "document" => "生成文书",
        PAID_IN_RUN => "月度发放已支付",
        _ => TempActionKind::parse(code).map_or("", |k| k.label()),
    }
}
