//! Why a case step was refused: one variant per rule, each with a Chinese message naming the rule
//! or what the case is waiting for.

use chrono::NaiveDate;

use super::rules::roles_for;
use super::state::{ActionKind, CaseState, ExitReason};
use crate::auth::Role;
use crate::error::{CmdError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// 近亲属回避: the actor is a declared near relative of the family.
    NearRelative,
    /// The actor's role does not take this step.
    RoleNotAllowed { action: ActionKind, role: Role },
    /// Township staff act only on their own township's cases.
    OtherTownship,
    /// A county step taken by someone who is not county staff.
    NotCountyStaff,
    /// The case is not at the step this action belongs to.
    WrongState {
        state: CaseState,
        action: ActionKind,
    },
    /// 经办与审批分离: the actor registered, accepted or investigated the case.
    HandledCase { action: ActionKind },
    /// 审核与审批分离: the actor signed the township review.
    ReviewedCase { action: ActionKind },
    /// 入户调查 needs at least two distinct staff.
    TooFewInvestigators { count: usize },
    /// A required text (opinion, reasons, objection) is blank.
    TextRequired {
        field: &'static str,
        what: &'static str,
    },
    /// The case is on notice but no start date was recorded.
    NoticeNotRecorded,
    /// 公示 has not yet ended.
    StillOnNotice { start: NaiveDate, end: NaiveDate },
    /// 近亲属备案 case without the county home check.
    AwaitingCountyHomeCheck,
    /// The approved monthly amount must be positive.
    AmountNotPositive,
    /// More 渐退期 months than the exit reason allows.
    GraceMonthsNotAllowed {
        reason: ExitReason,
        months: u8,
        max: u32,
    },
    /// The 渐退期 runs until this date.
    PhaseOutNotEnded { end: NaiveDate },
    /// The 不予批准通知书 was already served on this day.
    RefusalServed { on: NaiveDate },
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransitionError::NearRelative => write!(
                f,
                "您已备案为此案件家庭成员的近亲属，不能办理此案件（近亲属回避）"
            ),
            TransitionError::RoleNotAllowed { action, role } => {
                let who: Vec<&str> = roles_for(*action).iter().map(|r| r.label()).collect();
                write!(
                    f,
                    "{}不能{}，此步骤须由{}办理",
                    role.label(),
                    action.label(),
                    who.join("或")
                )
            }
            TransitionError::OtherTownship => {
                write!(f, "此案件不属于您所在的乡镇，只能办理本乡镇的案件")
            }
            TransitionError::NotCountyStaff => {
                write!(f, "此步骤须由县民政局工作人员办理")
            }
            TransitionError::WrongState { state, action } => {
                write!(
                    f,
                    "此案件{}，现在不能{}",
                    state.waiting_for(),
                    action.label()
                )
            }
            TransitionError::HandledCase { action } => write!(
                f,
                "您登记、受理或调查了此案件，不能再{}（经办与审核审批须分离）",
                action.label()
            ),
            TransitionError::ReviewedCase { action } => write!(
                f,
                "您已在乡镇审核此案件，不能再{}（审核与审批须由不同人员办理）",
                action.label()
            ),
            TransitionError::TooFewInvestigators { count } => write!(
                f,
                "入户调查须由至少 2 名工作人员共同进行并签字，目前只登记了 {count} 名"
            ),
            TransitionError::TextRequired { what, .. } => write!(f, "请填写{what}"),
            TransitionError::NoticeNotRecorded => {
                write!(f, "此案件没有登记公示开始日期，请先登记公示")
            }
            TransitionError::StillOnNotice { start, end } => write!(
                f,
                "此案件正在公示中（{start} 至 {end}），公示期满后才能审批"
            ),
            TransitionError::AwaitingCountyHomeCheck => write!(
                f,
                "此案件为近亲属备案案件，须先由县级入户核查并登记结果，才能审批同意"
            ),
            TransitionError::AmountNotPositive => write!(f, "保障金额必须大于 0"),
            TransitionError::GraceMonthsNotAllowed {
                reason,
                months,
                max,
            } => write!(
                f,
                "退出原因为“{}”时，渐退期最多 {max} 个月，不能给予 {months} 个月",
                reason.label()
            ),
            TransitionError::PhaseOutNotEnded { end } => {
                write!(f, "渐退期到 {end} 才结束，届时才能办理")
            }
            TransitionError::RefusalServed { on } => {
                write!(f, "不予批准通知书已于 {on} 送达，不能重复登记")
            }
        }
    }
}

impl std::error::Error for TransitionError {}

impl TransitionError {
    /// The command-boundary shape: rule violations are `forbidden`, a case not at the right step
    /// is a `conflict`, bad step data is `invalid_input` naming the field.
    pub fn to_cmd_error(&self) -> CmdError {
        let message = self.to_string();
        match self {
            TransitionError::NearRelative
            | TransitionError::RoleNotAllowed { .. }
            | TransitionError::OtherTownship
            | TransitionError::NotCountyStaff
            | TransitionError::HandledCase { .. }
            | TransitionError::ReviewedCase { .. } => CmdError::forbidden(message),
            TransitionError::WrongState { .. }
            | TransitionError::NoticeNotRecorded
            | TransitionError::StillOnNotice { .. }
            | TransitionError::AwaitingCountyHomeCheck
            | TransitionError::PhaseOutNotEnded { .. }
            | TransitionError::RefusalServed { .. } => CmdError::new(ErrorCode::Conflict, message),
            TransitionError::TooFewInvestigators { .. } => {
                CmdError::invalid("investigator_ids", message)
            }
            TransitionError::TextRequired { field, .. } => CmdError::invalid(field, message),
            TransitionError::AmountNotPositive => CmdError::invalid("monthly_amount_fen", message),
            TransitionError::GraceMonthsNotAllowed { .. } => {
                CmdError::invalid("grace_months", message)
            }
        }
    }
}

impl From<TransitionError> for CmdError {
    fn from(e: TransitionError) -> CmdError {
        e.to_cmd_error()
    }
}
