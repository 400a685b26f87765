//! The states of a 低保/特困 case and the actions that move it, with their Chinese labels.

use chrono::NaiveDate;

use crate::rules::Leaving;

/// Where a 低保/特困 case stands. The data gathered on the way (survey, opinion, notice dates,
/// amount) lives in the case record and reaches [`super::transition`] as [`super::CaseFacts`];
/// the state itself says only which step is next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CaseState {
    /// 申请: the written application is in, not yet accepted at the one-door window.
    Applied,
    /// 受理: accepted; waiting for the verification report (核对) and the household survey (入户调查).
    Accepted,
    /// 核对和入户调查均已登记: may hold a 民主评议, then waits for the township review.
    Investigated,
    /// 乡镇审核: the township opinion is signed; waits for the public notice to be posted.
    TownshipReviewed,
    /// 公示: posted in the village; once the period has ended the county may approve or refuse.
    /// An objection sends the case back to [`CaseState::Accepted`] for re-investigation.
    OnNotice,
    /// 县级审批同意，纳入保障: paid from the month after approval; reviewed and changed here.
    Enrolled,
    /// 渐退期: exit decided, the benefit continues for the granted months.
    PhasingOut,
    /// 退出: no longer covered. Final.
    Exited,
    /// 县级审批不同意, or 终止办理 before the 公示 when plainly ineligible: refused with written
    /// reasons, served by the 不予批准通知书. A new application is a new case.
    Refused,
    /// 撤回: the applicant withdrew the application before approval. Final; nothing is paid.
    Withdrawn,
}

impl CaseState {
    pub const ALL: [CaseState; 10] = [
        CaseState::Applied,
        CaseState::Accepted,
        CaseState::Investigated,
        CaseState::TownshipReviewed,
        CaseState::OnNotice,
        CaseState::Enrolled,
        CaseState::PhasingOut,
        CaseState::Exited,
        CaseState::Refused,
        CaseState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Applied => "applied",
            CaseState::Accepted => "accepted",
            CaseState::Investigated => "investigated",
            CaseState::TownshipReviewed => "township_reviewed",
            CaseState::OnNotice => "on_notice",
            CaseState::Enrolled => "enrolled",
            CaseState::PhasingOut => "phasing_out",
            CaseState::Exited => "exited",
            CaseState::Refused => "refused",
            CaseState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseState::Applied => "已申请",
            CaseState::Accepted => "已受理",
            CaseState::Investigated => "已调查",
            CaseState::TownshipReviewed => "乡镇已审核",
            CaseState::OnNotice => "公示中",
            CaseState::Enrolled => "在保",
            CaseState::PhasingOut => "渐退期",
            CaseState::Exited => "已退出",
            CaseState::Refused => "不予批准",
            CaseState::Withdrawn => "已撤回",
        }
    }

    /// What the case is waiting for, as a sentence fragment for error messages.
    pub fn waiting_for(self) -> &'static str {
        match self {
            CaseState::Applied => "尚未受理，正在等待乡镇受理",
            CaseState::Accepted => "正在等待登记家庭经济状况核对报告和入户调查",
            CaseState::Investigated => "已完成调查，正在等待乡镇审核（可先进行民主评议）",
            CaseState::TownshipReviewed => "乡镇已审核，正在等待张贴公示",
            CaseState::OnNotice => "正在公示，正在等待公示期满后县级审批",
            CaseState::Enrolled => "已纳入保障，只能进行定期核查、变更或退出",
            CaseState::PhasingOut => "处于渐退期，正在等待渐退期结束",
            CaseState::Exited => "已退出，不能再办理",
            CaseState::Refused => {
                "已不予批准（如需重新申请请新建案件）；只能登记送达不予批准通知书"
            }
            CaseState::Withdrawn => "申请人已撤回申请，案件已办结（如需重新申请请新建案件）",
        }
    }

    /// Final states take no action at all.
    pub fn is_final(self) -> bool {
        match self {
            CaseState::Exited | CaseState::Withdrawn => true,
            CaseState::Refused => false,
            CaseState::Applied
            | CaseState::Accepted
            | CaseState::Investigated
            | CaseState::TownshipReviewed
            | CaseState::OnNotice
            | CaseState::Enrolled
            | CaseState::PhasingOut => false,
        }
    }
}

/// Why a family leaves. The reason bounds the 渐退期 months that may be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReason {
    /// 就业后收入超过标准: 渐退期 as the county configures (6, 12, 24 or 36 months are in use).
    IncomeAboveStandardAfterWork,
    /// 主动退出: 1 to the county's `exit.voluntary_months` may be granted.
    Voluntary,
    /// 其他 (death of a one-person household, moved away, found ineligible): no 渐退期.
    Other,
}

impl ExitReason {
    pub const ALL: [ExitReason; 3] = [
        ExitReason::IncomeAboveStandardAfterWork,
        ExitReason::Voluntary,
        ExitReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExitReason::IncomeAboveStandardAfterWork => "work_income",
            ExitReason::Voluntary => "voluntary",
            ExitReason::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<ExitReason> {
        ExitReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the 渐退期 rule ([`crate::rules::GraceLimits`]) allows for this reason.
    pub fn leaving(self) -> Leaving {
        match self {
            ExitReason::IncomeAboveStandardAfterWork => Leaving::AfterWork,
            ExitReason::Voluntary => Leaving::Voluntary,
            ExitReason::Other => Leaving::Other,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExitReason::IncomeAboveStandardAfterWork => "就业后收入超过标准",
            ExitReason::Voluntary => "主动退出",
            ExitReason::Other => "其他原因",
        }
    }
}

/// One step a user takes on a case, with the data the step records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 受理 the application at the one-door window.
    Accept,
    /// 登记核对报告 from the 核对 office.
    RecordVerification,
    /// 登记入户调查: at least two distinct staff signed the survey.
    RecordSurvey { investigator_ids: Vec<i64> },
    /// 登记民主评议 (optional).
    RecordAppraisal,
    /// 县级入户核查 of a 近亲属备案 case.
    RecordCountyHomeCheck,
    /// 乡镇审核 with the written opinion.
    ReviewTownship { opinion: String },
    /// 张贴公示 from this date.
    StartNotice { start: NaiveDate },
    /// 公示异议: the case goes back for re-investigation.
    RecordObjection { summary: String },
    /// 县级审批同意 with the monthly amount in fen.
    Approve { monthly_amount_fen: i64 },
    /// 县级审批不同意 with written reasons.
    Refuse { reasons: String },
    /// 终止办理 before the 公示: the family is plainly ineligible (不予受理 at the window, or a
    /// verification or survey that rules it out). Written reasons; refused as by the county, with
    /// the 不予批准通知书, and no public posting first.
    Terminate { reasons: String },
    /// 撤回: the applicant withdraws the application (any state before approval), with the reason.
    Withdraw { reason: String },
    /// 送达不予批准通知书: how it was served (直接送达, 邮寄送达, 留置送达…).
    ServeRefusal { method: String },
    /// 定期核查 (动态管理).
    RecordPeriodicReview,
    /// 变更: members or income changed; the amount is recomputed from the next month.
    RecordChange,
    /// 退出, with the 渐退期 months granted (0 = none).
    Exit {
        reason: ExitReason,
        grace_months: u8,
    },
    /// 渐退期结束.
    EndPhaseOut,
}

/// The kind of an [`Action`], without its data: what roles and states are keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    Accept,
    RecordVerification,
    RecordSurvey,
    RecordAppraisal,
    RecordCountyHomeCheck,
    ReviewTownship,
    StartNotice,
    RecordObjection,
    Approve,
    Refuse,
    Terminate,
    Withdraw,
    ServeRefusal,
    RecordPeriodicReview,
    RecordChange,
    Exit,
    EndPhaseOut,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::RecordVerification => ActionKind::RecordVerification,
            Action::RecordSurvey { .. } => ActionKind::RecordSurvey,
            Action::RecordAppraisal => ActionKind::RecordAppraisal,
            Action::RecordCountyHomeCheck => ActionKind::RecordCountyHomeCheck,
            Action::ReviewTownship { .. } => ActionKind::ReviewTownship,
            Action::StartNotice { .. } => ActionKind::StartNotice,
            Action::RecordObjection { .. } => ActionKind::RecordObjection,
            Action::Approve { .. } => ActionKind::Approve,
            Action::Refuse { .. } => ActionKind::Refuse,
            Action::Terminate { .. } => ActionKind::Terminate,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::ServeRefusal { .. } => ActionKind::ServeRefusal,
            Action::RecordPeriodicReview => ActionKind::RecordPeriodicReview,
            Action::RecordChange => ActionKind::RecordChange,
            Action::Exit { .. } => ActionKind::Exit,
            Action::EndPhaseOut => ActionKind::EndPhaseOut,
        }
    }
}

impl ActionKind {
    pub const ALL: [ActionKind; 17] = [
        ActionKind::Accept,
        ActionKind::RecordVerification,
        ActionKind::RecordSurvey,
        ActionKind::RecordAppraisal,
        ActionKind::RecordCountyHomeCheck,
        ActionKind::ReviewTownship,
        ActionKind::StartNotice,
        ActionKind::RecordObjection,
        ActionKind::Approve,
        ActionKind::Refuse,
        ActionKind::Terminate,
        ActionKind::Withdraw,
        ActionKind::ServeRefusal,
        ActionKind::RecordPeriodicReview,
        ActionKind::RecordChange,
        ActionKind::Exit,
        ActionKind::EndPhaseOut,
    ];

    /// The action's code at the command boundary (`case.act {"action": …}`).
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::RecordVerification => "record_verification",
            ActionKind::RecordSurvey => "record_survey",
            ActionKind::RecordAppraisal => "record_appraisal",
            ActionKind::RecordCountyHomeCheck => "record_county_home_check",
            ActionKind::ReviewTownship => "review_township",
            ActionKind::StartNotice => "start_notice",
            ActionKind::RecordObjection => "record_objection",
            ActionKind::Approve => "approve",
            ActionKind::Refuse => "refuse",
            ActionKind::Terminate => "terminate",
            ActionKind::Withdraw => "withdraw",
            ActionKind::ServeRefusal => "serve_refusal",
            ActionKind::RecordPeriodicReview => "record_periodic_review",
            ActionKind::RecordChange => "record_change",
            ActionKind::Exit => "exit",
            ActionKind::EndPhaseOut => "end_phase_out",
        }
    }

    pub fn parse(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Accept => "受理",
            ActionKind::RecordVerification => "登记核对报告",
            ActionKind::RecordSurvey => "登记入户调查",
            ActionKind::RecordAppraisal => "登记民主评议",
            ActionKind::RecordCountyHomeCheck => "登记县级入户核查",
            ActionKind::ReviewTownship => "乡镇审核",
            ActionKind::StartNotice => "张贴公示",
            ActionKind::RecordObjection => "登记公示异议",
            ActionKind::Approve => "审批同意",
            ActionKind::Refuse => "审批不同意",
            ActionKind::Terminate => "终止办理（不符合条件）",
            ActionKind::Withdraw => "登记撤回申请",
            ActionKind::ServeRefusal => "登记送达不予批准通知书",
            ActionKind::RecordPeriodicReview => "登记定期核查",
            ActionKind::RecordChange => "登记变更",
            ActionKind::Exit => "办理退出",
            ActionKind::EndPhaseOut => "结束渐退期",
        }
    }
}
