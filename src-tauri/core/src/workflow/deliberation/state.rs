//! The states of a 一事一议 case and the steps that move it, with their Chinese labels.

use chrono::NaiveDate;

/// Where a 一事一议 case stands. Data gathered on the way (申报表, review opinion, the meeting's
/// decision, payments, visits) lives in the case record and reaches the transition function as
/// [`super::DelibFacts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DelibState {
    /// 已申报: the 申报表 is in; waits for the county bureau's review.
    Filed,
    /// 退回补充: the bureau sent it back with reasons; the filer completes and resubmits it.
    Returned,
    /// 县局已审查: waits to be placed on a meeting agenda.
    Reviewed,
    /// 已列入会议议程: waits for the coordination meeting's decision.
    OnAgenda,
    /// 会议决定救助: waits for the approver's sign-off.
    Approved,
    /// 会议决定不予救助. Final.
    Rejected,
    /// 会议决定转介常规救助项目. Final.
    Referred,
    /// 审批人已签批: waits for the 公示 to be posted.
    SignedOff,
    /// 公示中: payment may start once the notice period has ended.
    OnNotice,
    /// 发放中: stages are paid and follow-up visits recorded until the case is closed.
    Paying,
    /// 已结案. Final.
    Closed,
}

impl DelibState {
    pub const ALL: [DelibState; 11] = [
        DelibState::Filed,
        DelibState::Returned,
        DelibState::Reviewed,
        DelibState::OnAgenda,
        DelibState::Approved,
        DelibState::Rejected,
        DelibState::Referred,
        DelibState::SignedOff,
        DelibState::OnNotice,
        DelibState::Paying,
        DelibState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DelibState::Filed => "filed",
            DelibState::Returned => "returned",
            DelibState::Reviewed => "reviewed",
            DelibState::OnAgenda => "on_agenda",
            DelibState::Approved => "approved",
            DelibState::Rejected => "rejected",
            DelibState::Referred => "referred",
            DelibState::SignedOff => "signed_off",
            DelibState::OnNotice => "on_notice",
            DelibState::Paying => "paying",
            DelibState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<DelibState> {
        DelibState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DelibState::Filed => "已申报",
            DelibState::Returned => "已退回补充",
            DelibState::Reviewed => "县局已审查",
            DelibState::OnAgenda => "已列入议程",
            DelibState::Approved => "会议决定救助",
            DelibState::Rejected => "会议决定不予救助",
            DelibState::Referred => "已转介常规救助",
            DelibState::SignedOff => "已签批",
            DelibState::OnNotice => "公示中",
            DelibState::Paying => "发放中",
            DelibState::Closed => "已结案",
        }
    }

    /// What the case waits for, as a sentence fragment for error messages.
    pub fn waiting_for(self) -> &'static str {
        match self {
            DelibState::Filed => "已申报，正在等待县民政局审查",
            DelibState::Returned => "已退回申报单位，正在等待补充后重新提交",
            DelibState::Reviewed => "县局已审查，正在等待列入会议议程",
            DelibState::OnAgenda => "已列入会议议程，正在等待协调会议作出决定",
            DelibState::Approved => "会议已决定救助，正在等待审批人签批",
            DelibState::Rejected => "会议已决定不予救助，不能再办理",
            DelibState::Referred => "已转介常规救助项目，不能再办理",
            DelibState::SignedOff => "已签批，正在等待张贴公示",
            DelibState::OnNotice => "正在公示，公示期满后才能发放",
            DelibState::Paying => "正在发放救助金和跟踪回访",
            DelibState::Closed => "已结案，不能再办理",
        }
    }

    pub fn is_final(self) -> bool {
        match self {
            DelibState::Rejected | DelibState::Referred | DelibState::Closed => true,
            DelibState::Filed
            | DelibState::Returned
            | DelibState::Reviewed
            | DelibState::OnAgenda
            | DelibState::Approved
            | DelibState::SignedOff
            | DelibState::OnNotice
            | DelibState::Paying => false,
        }
    }
}

/// What the meeting decided for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 同意救助: the amount (fen), the measures (一案一策), the units responsible for them and
    /// the payment stages in fen (one stage = paid at once).
    Approve {
        amount_fen: i64,
        measures: String,
        responsible_units: Vec<String>,
        stages_fen: Vec<i64>,
    },
    /// 不予救助, with the reasons.
    Reject { reasons: String },
    /// 转介 to a regular programme (e.g. 临时救助, 医疗救助), named in `programme`.
    Refer { programme: String },
}

impl Outcome {
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Approve { .. } => "approve",
            Outcome::Reject { .. } => "reject",
            Outcome::Refer { .. } => "refer",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Approve { .. } => "同意救助",
            Outcome::Reject { .. } => "不予救助",
            Outcome::Refer { .. } => "转介常规救助",
        }
    }
}

/// One step a user takes on a 一事一议 case, with the data the step records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DelibAction {
    /// 县局审查 with the bureau's opinion.
    Review { opinion: String },
    /// 退回补充 with the reasons.
    Return { reasons: String },
    /// 补充后重新提交.
    Resubmit { note: String },
    /// 列入会议议程 (from the meeting page).
    Schedule,
    /// 会议决定, with the minutes (会议纪要) as they stand.
    Decide { outcome: Outcome, minutes: String },
    /// 会议未作决定，移出议程 (on closing the meeting).
    Defer,
    /// 审批人签批.
    SignOff,
    /// 张贴公示 from this date.
    StartNotice { start: NaiveDate },
    /// 登记发放 of one stage (numbered from 1) by hand; `reason` (may be blank) explains paying
    /// before the stage's planned month, which needs one.
    RecordPayment {
        stage: u32,
        paid_on: NaiveDate,
        reason: String,
    },
    /// 登记跟踪回访.
    RecordVisit { findings: String },
    /// 结案 with the outcome.
    Close { outcome: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DelibActionKind {
    Review,
    Return,
    Resubmit,
    Schedule,
    Decide,
    Defer,
    SignOff,
    StartNotice,
    RecordPayment,
    RecordVisit,
    Close,
}

impl DelibAction {
    pub fn kind(&self) -> DelibActionKind {
        match self {
            DelibAction::Review { .. } => DelibActionKind::Review,
            DelibAction::Return { .. } => DelibActionKind::Return,
            DelibAction::Resubmit { .. } => DelibActionKind::Resubmit,
            DelibAction::Schedule => DelibActionKind::Schedule,
            DelibAction::Decide { .. } => DelibActionKind::Decide,
            DelibAction::Defer => DelibActionKind::Defer,
            DelibAction::SignOff => DelibActionKind::SignOff,
            DelibAction::StartNotice { .. } => DelibActionKind::StartNotice,
            DelibAction::RecordPayment { .. } => DelibActionKind::RecordPayment,
            DelibAction::RecordVisit { .. } => DelibActionKind::RecordVisit,
            DelibAction::Close { .. } => DelibActionKind::Close,
        }
    }
}

impl DelibActionKind {
    pub const ALL: [DelibActionKind; 11] = [
        DelibActionKind::Review,
        DelibActionKind::Return,
        DelibActionKind::Resubmit,
        DelibActionKind::Schedule,
        DelibActionKind::Decide,
        DelibActionKind::Defer,
        DelibActionKind::SignOff,
        DelibActionKind::StartNotice,
        DelibActionKind::RecordPayment,
        DelibActionKind::RecordVisit,
        DelibActionKind::Close,
    ];

    /// The code used by `deliberation.act` and stored in the step table.
    pub fn as_str(self) -> &'static str {
        match self {
            DelibActionKind::Review => "review",
            DelibActionKind::Return => "return",
            DelibActionKind::Resubmit => "resubmit",
            DelibActionKind::Schedule => "schedule",
            DelibActionKind::Decide => "decide",
            DelibActionKind::Defer => "defer",
            DelibActionKind::SignOff => "sign_off",
            DelibActionKind::StartNotice => "start_notice",
            DelibActionKind::RecordPayment => "pay",
            DelibActionKind::RecordVisit => "visit",
            DelibActionKind::Close => "close",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DelibActionKind::Review => "县局审查",
            DelibActionKind::Return => "退回补充",
            DelibActionKind::Resubmit => "重新提交",
            DelibActionKind::Schedule => "列入会议议程",
            DelibActionKind::Decide => "会议决定",
            DelibActionKind::Defer => "移出议程",
            DelibActionKind::SignOff => "签批",
            DelibActionKind::StartNotice => "张贴公示",
            DelibActionKind::RecordPayment => "登记发放",
            DelibActionKind::RecordVisit => "登记跟踪回访",
            DelibActionKind::Close => "结案",
        }
    }

    /// Steps taken on the meeting page rather than the case page.
    pub fn via_meeting(self) -> bool {
        match self {
            DelibActionKind::Schedule | DelibActionKind::Decide | DelibActionKind::Defer => true,
            DelibActionKind::Review
            | DelibActionKind::Return
            | DelibActionKind::Resubmit
            | DelibActionKind::SignOff
            | DelibActionKind::StartNotice
            | DelibActionKind::RecordPayment
            | DelibActionKind::RecordVisit
            | DelibActionKind::Close => false,
        }
    }
}

/// The label of a state's code ("" for an unknown code, such as the empty state before filing).
pub fn state_label(code: &str) -> &'static str {
    DelibState::parse(code).map_or("", |s| s.label())
}

/// The timeline step written at the lock of a monthly run whose roster carried stages of the
/// case (by the locker, at the lock).
pub const PAID_IN_RUN: &str = "paid_in_run";

/// The label of a timeline step: a workflow action, the filing (`file`) or a printed document
/// (`document`); an unknown code shows as itself.
pub fn step_label(code: &str) -> String {
    match code {
        "file" => "申报".into(),
        "document" => "生成文书".into(),
        PAID_IN_RUN => "月度发放已支付".into(),
        _ => DelibActionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .map_or_else(|| code.to_owned(), |k| k.label().to_owned()),
    }
}

/// The label of a meeting's decision on a case as stored: an [`Outcome`]'s code or `defer`.
pub fn decision_label(code: &str) -> &'static str {
    match code {
        "approve" => "同意救助",
        "reject" => "不予救助",
        "refer" => "转介常规救助",
        "defer" => "未作决定，移出议程",
        _ => "",
    }
}
