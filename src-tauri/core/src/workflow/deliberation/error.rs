//! Why a 一事一议 step was refused: one variant per rule, each with a Chinese message naming the
//! rule or what the case waits for.

use chrono::NaiveDate;

use super::meeting::Threshold;
use super::rules::roles_for;
use super::state::{DelibActionKind, DelibState};
use crate::auth::Role;
use crate::error::{CmdError, ErrorCode};
use crate::month::Month;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DelibError {
    /// 近亲属回避: the actor is a declared near relative of the family.
    NearRelative,
    /// Only township staff and the county approver file a 申报表.
    MayNotFile { role: Role },
    /// The actor's role does not take this step.
    RoleNotAllowed { action: DelibActionKind, role: Role },
    /// Township staff act only on their own township's cases.
    OtherTownship,
    /// A county role held by someone who is not county staff.
    NotCountyStaff,
    /// The case is not at the step this action belongs to.
    WrongState {
        state: DelibState,
        action: DelibActionKind,
    },
    /// 申报与审查、审批分离: the filer neither reviews nor signs off their own case.
    FiledCase { action: DelibActionKind },
    /// The user recorded the meeting's decision and may not also sign it off.
    DecidedCase,
    /// The user signed the decision off and may not also record its payment.
    SignedOffCase,
    /// A required text is blank.
    TextRequired {
        field: &'static str,
        what: &'static str,
    },
    /// The case is not on the agenda of this meeting, or no meeting is given.
    NoMeeting,
    /// The meeting has been closed.
    MeetingClosed,
    /// 法定人数: not enough member units present.
    NoQuorum {
        expected: usize,
        present: usize,
        rule: Threshold,
    },
    /// 表决规则: too few units present in favour to grant aid.
    NoMajority {
        in_favour: usize,
        against: usize,
        present: usize,
        rule: Threshold,
    },
    /// The approved amount must be positive.
    AmountNotPositive,
    /// An approval names at least one responsible unit.
    NoResponsibleUnit,
    /// A responsible unit that is not a member unit of this meeting.
    UnknownUnit { unit: String },
    /// A payment stage of zero or less.
    StageNotPositive { stage: u32 },
    /// The stages do not add up to the approved amount (fen).
    StagesDoNotSum { total_fen: i64, amount_fen: i64 },
    /// A date that has not yet come.
    DateInFuture {
        field: &'static str,
        date: NaiveDate,
    },
    /// Payment before the 公示 start is recorded.
    NoticeNotRecorded,
    /// Payment while the 公示 runs.
    StillOnNotice { start: NaiveDate, end: NaiveDate },
    /// A paid-on date inside the notice period.
    PaidDuringNotice { end: NaiveDate },
    /// No such payment stage.
    UnknownStage { stage: u32 },
    /// This stage is already paid.
    StageAlreadyPaid { stage: u32 },
    /// The monthly run of `month` put the stage on its roster: the run pays it.
    StageOnRoster { stage: u32, month: Month },
    /// Paying by hand before the stage's planned month needs a reason.
    EarlyPaymentNeedsReason { stage: u32, month: Month },
    /// The 公示 would start before the sign-off of the decision it announces.
    NoticeBeforeSignOff {
        start: NaiveDate,
        signed_off_on: NaiveDate,
    },
    /// Closing with stages still unpaid.
    UnpaidStages { count: usize },
    /// Closing while a stage waits for the lock of the monthly run whose roster carries it.
    AwaitingRunLock { stage: u32, month: Month },
    /// Closing without a follow-up visit.
    NoFollowUpVisit,
}

fn money(fen: i64) -> String {
    let a = fen.unsigned_abs();
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

impl std::fmt::Display for DelibError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DelibError::NearRelative => write!(
                f,
                "您已备案为此案件家庭成员的近亲属，不能办理此案件（近亲属回避）"
            ),
            DelibError::MayNotFile { role } => write!(
                f,
                "{}不能申报一事一议，申报须由乡镇经办人、乡镇审核人或县级审批人办理",
                role.label()
            ),
            DelibError::RoleNotAllowed { action, role } => {
                let who: Vec<&str> = roles_for(*action).iter().map(|r| r.label()).collect();
                write!(
                    f,
                    "{}不能{}，此步骤须由{}办理",
                    role.label(),
                    action.label(),
                    who.join("或")
                )
            }
            DelibError::OtherTownship => {
                write!(f, "此案件不属于您所在的乡镇，只能办理本乡镇的案件")
            }
            DelibError::NotCountyStaff => write!(f, "此步骤须由县民政局工作人员办理"),
            DelibError::WrongState { state, action } => write!(
                f,
                "此一事一议案件{}，现在不能{}",
                state.waiting_for(),
                action.label()
            ),
            DelibError::FiledCase { action } => write!(
                f,
                "此案件由您申报，不能再{}（申报与审查、审批须由不同人员办理）",
                action.label()
            ),
            DelibError::DecidedCase => write!(
                f,
                "会议决定由您登记，作出决定的人不能同时签批，请由另一位县级审批人签批"
            ),
            DelibError::SignedOffCase => write!(
                f,
                "此决定由您签批，签批人不能同时登记发放，请由另一位县局人员登记发放"
            ),
            DelibError::TextRequired { what, .. } => write!(f, "请填写{what}"),
            DelibError::NoMeeting => write!(f, "此案件不在这次会议的议程上"),
            DelibError::MeetingClosed => write!(f, "这次会议已结束，不能再登记"),
            DelibError::NoQuorum {
                expected,
                present,
                rule,
            } => write!(
                f,
                "会议未达到法定人数：应到 {expected} 个成员单位，实到 {present} 个，须{}",
                rule.label()
            ),
            DelibError::NoMajority {
                in_favour,
                against,
                present,
                rule,
            } => write!(
                f,
                "不能作出救助决定：出席的 {present} 个成员单位中同意（含修改后同意）的 {in_favour} 个、不同意的 {against} 个，同意的须{}",
                rule.label()
            ),
            DelibError::AmountNotPositive => write!(f, "救助金额必须大于 0"),
            DelibError::NoResponsibleUnit => {
                write!(f, "请至少选择一个负责落实救助措施的成员单位")
            }
            DelibError::UnknownUnit { unit } => {
                write!(f, "“{unit}”不是本次会议的成员单位")
            }
            DelibError::StageNotPositive { stage } => {
                write!(f, "第 {stage} 期发放金额必须大于 0")
            }
            DelibError::StagesDoNotSum {
                total_fen,
                amount_fen,
            } => write!(
                f,
                "各期发放金额合计 {} 元，与决定的救助金额 {} 元不一致",
                money(*total_fen),
                money(*amount_fen)
            ),
            DelibError::DateInFuture { date, .. } => {
                write!(f, "日期 {date} 晚于今天，不能预先登记")
            }
            DelibError::NoticeNotRecorded => {
                write!(f, "此案件没有登记公示开始日期，请先登记公示")
            }
            DelibError::StillOnNotice { start, end } => write!(
                f,
                "此案件正在公示中（{start} 至 {end}），公示期满后才能发放"
            ),
            DelibError::PaidDuringNotice { end } => {
                write!(f, "发放日期须在公示期满（{end}）之后")
            }
            DelibError::UnknownStage { stage } => write!(f, "没有第 {stage} 期发放计划"),
            DelibError::StageAlreadyPaid { stage } => {
                write!(f, "第 {stage} 期已登记发放，不能重复登记")
            }
            DelibError::StageOnRoster { stage, month } => write!(
                f,
                "第 {stage} 期已列入 {month} 月度发放花名册，不能再登记发放"
            ),
            DelibError::EarlyPaymentNeedsReason { stage, month } => write!(
                f,
                "第 {stage} 期计划于 {month} 发放，提前登记发放须填写提前发放的理由（reason）"
            ),
            DelibError::NoticeBeforeSignOff {
                start,
                signed_off_on,
            } => write!(
                f,
                "公示开始日期 {start} 早于审批人签批日期 {signed_off_on}：公示的是签批后的决定，不能早于签批"
            ),
            DelibError::UnpaidStages { count } => {
                write!(f, "还有 {count} 期救助金未发放，发放完毕后才能结案")
            }
            DelibError::AwaitingRunLock { stage, month } => write!(
                f,
                "第 {stage} 期已列入 {month} 月度发放花名册，该月发放锁定后才算发放完毕，才能结案"
            ),
            DelibError::NoFollowUpVisit => {
                write!(f, "结案前须至少登记一次跟踪回访")
            }
        }
    }
}

impl std::error::Error for DelibError {}

impl DelibError {
    /// The command-boundary shape: rule violations are `forbidden`, a case or meeting not at
    /// the right step is a `conflict`, bad step data is `invalid_input` naming the field.
    pub fn to_cmd_error(&self) -> CmdError {
        let message = self.to_string();
        match self {
            DelibError::NearRelative
            | DelibError::MayNotFile { .. }
            | DelibError::RoleNotAllowed { .. }
            | DelibError::OtherTownship
            | DelibError::NotCountyStaff
            | DelibError::FiledCase { .. }
            | DelibError::DecidedCase
            | DelibError::SignedOffCase => CmdError::forbidden(message),
            DelibError::WrongState { .. }
            | DelibError::NoMeeting
            | DelibError::MeetingClosed
            | DelibError::NoQuorum { .. }
            | DelibError::NoticeNotRecorded
            | DelibError::StillOnNotice { .. }
            | DelibError::UnpaidStages { .. }
            | DelibError::AwaitingRunLock { .. }
            | DelibError::NoFollowUpVisit => CmdError::new(ErrorCode::Conflict, message),
            DelibError::NoMajority { .. } => CmdError::invalid("decision", message),
            DelibError::TextRequired { field, .. } => CmdError::invalid(field, message),
            DelibError::AmountNotPositive => CmdError::invalid("amount", message),
            DelibError::NoResponsibleUnit | DelibError::UnknownUnit { .. } => {
                CmdError::invalid("responsible_units", message)
            }
            DelibError::StageNotPositive { .. } | DelibError::StagesDoNotSum { .. } => {
                CmdError::invalid("stages", message)
            }
            DelibError::DateInFuture { field, .. } => CmdError::invalid(field, message),
            DelibError::PaidDuringNotice { .. } => CmdError::invalid("paid_on", message),
            DelibError::UnknownStage { .. } | DelibError::StageAlreadyPaid { .. } => {
                CmdError::invalid("stage", message)
            }
            DelibError::StageOnRoster { .. } => CmdError::conflict("stage", message),
            DelibError::EarlyPaymentNeedsReason { .. } => CmdError::invalid("reason", message),
            DelibError::NoticeBeforeSignOff { .. } => CmdError::invalid("start", message),
        }
    }
}

impl From<DelibError> for CmdError {
    fn from(e: DelibError) -> CmdError {
        e.to_cmd_error()
    }
}
