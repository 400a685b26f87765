//! Why a 临时救助 step was refused: one variant per rule, each with a Chinese message naming the
//! rule or what the case is waiting for.

use chrono::NaiveDate;

use super::rules::roles_for;
use super::state::{TempActionKind, TempState};
use crate::auth::Role;
use crate::error::{CmdError, ErrorCode};
use crate::month::Month;
use crate::rules::money::fmt_yuan;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TempError {
    /// 近亲属回避: the actor is a declared near relative of the family.
    NearRelative,
    /// The actor's role does not take this step.
    RoleNotAllowed {
        action: TempActionKind,
        role: Role,
    },
    /// Township staff act only on their own township's cases.
    OtherTownship,
    /// A county step taken by someone who is not county staff.
    NotCountyStaff,
    /// The case is not at the step this action belongs to.
    WrongState {
        state: TempState,
        action: TempActionKind,
    },
    /// 先行救助 is for 急难型 cases only.
    NotEmergency,
    /// 经办与审批分离: the actor registered, accepted or investigated the case.
    HandledCase {
        action: TempActionKind,
    },
    /// 审核与审批分离: the actor granted the advance, recommended the case or signed the
    /// repeat override at the township.
    ReviewedCase {
        action: TempActionKind,
    },
    /// A required text is blank.
    TextRequired {
        field: &'static str,
        what: &'static str,
    },
    /// 近亲属备案 case without the county home check.
    AwaitingCountyHomeCheck,
    /// Same cause this calendar year and no reviewer's override on file.
    RepeatNotOverridden {
        earlier: Vec<String>,
    },
    /// An override asked for on a case that repeats nothing.
    NothingToOverride,
    /// An amount must be positive.
    AmountNotPositive,
    /// 先行救助 above the township quota.
    AdvanceAboveQuota {
        amount_fen: i64,
        quota_fen: i64,
    },
    /// The township approving above its quota.
    AboveTownshipQuota {
        amount_fen: i64,
        quota_fen: i64,
    },
    /// Above the county's cap for 临时救助.
    AboveCap {
        amount_fen: i64,
        cap_fen: i64,
    },
    /// 备用金 would go negative.
    ReserveFundShort {
        balance_fen: i64,
        need_fen: i64,
    },
    /// The approved total is less than what was already advanced.
    TotalBelowAdvance {
        total_fen: i64,
        advance_fen: i64,
    },
    /// A case that had an advance cannot be refused.
    AdvanceGranted {
        advance_fen: i64,
    },
    /// The stages do not add up to the total less the advance.
    StagesDontAddUp {
        sum_fen: i64,
        expected_fen: i64,
    },
    TooManyStages {
        count: usize,
        max: usize,
    },
    /// Stage `no` (1-based) has no positive amount.
    StageAmountNotPositive {
        no: usize,
    },
    /// Stage `no` is not later than the one before it.
    StageMonthsOutOfOrder {
        no: usize,
    },
    /// Stage `no` is planned for a month already past.
    StageMonthPast {
        no: usize,
        month: NaiveDate,
    },
    NoSuchStage {
        no: u32,
        count: usize,
    },
    StageAlreadyPaid {
        no: u32,
        paid_on: NaiveDate,
    },
    /// The monthly run of `month` put the stage on its roster: the run pays it.
    StageOnRoster {
        no: u32,
        month: Month,
    },
    /// Paying by hand before the stage's planned month needs a reason.
    EarlyPaymentNeedsReason {
        no: u32,
        month: Month,
    },
}

/// The most stages one approval may plan.
pub const MAX_STAGES: usize = 12;

fn ym(d: NaiveDate) -> String {
    crate::month::month_text(d)
}

impl std::fmt::Display for TempError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TempError::NearRelative => write!(
                f,
                "您已备案为此案件家庭成员的近亲属，不能办理此案件（近亲属回避）"
            ),
            TempError::RoleNotAllowed { action, role } => {
                let who: Vec<&str> = roles_for(*action).iter().map(|r| r.label()).collect();
                write!(
                    f,
                    "{}不能{}，此步骤须由{}办理",
                    role.label(),
                    action.label(),
                    who.join("或")
                )
            }
            TempError::OtherTownship => {
                write!(f, "此案件不属于您所在的乡镇，只能办理本乡镇的案件")
            }
            TempError::NotCountyStaff => write!(f, "此步骤须由县民政局工作人员办理"),
            TempError::WrongState { state, action } => {
                write!(
                    f,
                    "此案件{}，现在不能{}",
                    state.waiting_for(),
                    action.label()
                )
            }
            TempError::NotEmergency => write!(
                f,
                "只有急难型临时救助可以先行救助；支出型临时救助须按正常程序调查、审批"
            ),
            TempError::HandledCase { action } => write!(
                f,
                "您登记、受理或调查了此案件，不能再{}（经办与审核审批须分离）",
                action.label()
            ),
            TempError::ReviewedCase { action } => write!(
                f,
                "您已在乡镇审核、先行救助或特批此案件，不能再{}（乡镇审核与县级审批须由不同人员办理）",
                action.label()
            ),
            TempError::TextRequired { what, .. } => write!(f, "请填写{what}"),
            TempError::AwaitingCountyHomeCheck => write!(
                f,
                "此案件为近亲属备案案件，须先由县级入户核查并登记结果，才能发放或审批救助"
            ),
            TempError::RepeatNotOverridden { earlier } => write!(
                f,
                "此户本年度已因同一事由获得临时救助（案件 {}），同一事由每年只救助一次；须由乡镇审核人登记特批理由后才能救助",
                earlier.join("、")
            ),
            TempError::NothingToOverride => write!(
                f,
                "此案件没有本年度同一事由的重复救助，无需特批"
            ),
            TempError::AmountNotPositive => write!(f, "救助金额必须大于 0"),
            TempError::AdvanceAboveQuota {
                amount_fen,
                quota_fen,
            } => write!(
                f,
                "先行救助金额 {} 元超过乡镇审批额度 {} 元；先行救助只能在乡镇额度内发放",
                fmt_yuan(*amount_fen),
                fmt_yuan(*quota_fen)
            ),
            TempError::AboveTownshipQuota {
                amount_fen,
                quota_fen,
            } => write!(
                f,
                "救助金额 {} 元超过乡镇审批额度 {} 元，须报县级民政部门审批（请选择“报县级审批”）",
                fmt_yuan(*amount_fen),
                fmt_yuan(*quota_fen)
            ),
            TempError::AboveCap { amount_fen, cap_fen } => write!(
                f,
                "救助金额 {} 元超过临时救助上限 {} 元；仍有困难的可提请一事一议",
                fmt_yuan(*amount_fen),
                fmt_yuan(*cap_fen)
            ),
            TempError::ReserveFundShort {
                balance_fen,
                need_fen,
            } => write!(
                f,
                "乡镇备用金余额不足：余额 {} 元，本次需 {} 元",
                fmt_yuan(*balance_fen),
                fmt_yuan(*need_fen)
            ),
            TempError::TotalBelowAdvance {
                total_fen,
                advance_fen,
            } => write!(
                f,
                "审批金额 {} 元少于已先行救助的 {} 元；审批金额是救助总额，应包含先行救助金额",
                fmt_yuan(*total_fen),
                fmt_yuan(*advance_fen)
            ),
            TempError::AdvanceGranted { advance_fen } => write!(
                f,
                "此案件已先行救助 {} 元，不能不予救助；如无需追加，请按已发放金额审批同意（审批金额填 {} 元），案件随即办结",
                fmt_yuan(*advance_fen),
                fmt_yuan(*advance_fen)
            ),
            TempError::StagesDontAddUp {
                sum_fen,
                expected_fen,
            } => write!(
                f,
                "各阶段发放金额合计 {} 元，应等于审批金额减去已先行救助金额，即 {} 元",
                fmt_yuan(*sum_fen),
                fmt_yuan(*expected_fen)
            ),
            TempError::TooManyStages { count, max } => {
                write!(f, "分阶段发放最多 {max} 个阶段，填写了 {count} 个")
            }
            TempError::StageAmountNotPositive { no } => {
                write!(f, "第 {no} 阶段的发放金额必须大于 0")
            }
            TempError::StageMonthsOutOfOrder { no } => write!(
                f,
                "第 {no} 阶段的发放月份须晚于第 {} 阶段",
                no.saturating_sub(1)
            ),
            TempError::StageMonthPast { no, month } => write!(
                f,
                "第 {no} 阶段的发放月份 {} 已过，最早只能安排在本月",
                ym(*month)
            ),
            TempError::NoSuchStage { no, count } => {
                write!(f, "此案件的发放计划共 {count} 个阶段，没有第 {no} 阶段")
            }
            TempError::StageAlreadyPaid { no, paid_on } => write!(
                f,
                "第 {no} 阶段已于 {paid_on} 发放，不能重复发放"
            ),
            TempError::StageOnRoster { no, month } => write!(
                f,
                "第 {no} 阶段已列入 {month} 月度发放花名册，不能再登记发放"
            ),
            TempError::EarlyPaymentNeedsReason { no, month } => write!(
                f,
                "第 {no} 阶段计划于 {month} 发放，提前登记发放须填写提前发放的理由（reason）"
            ),
        }
    }
}

impl std::error::Error for TempError {}

impl TempError {
    /// The command-boundary shape: rule violations are `forbidden`, a case not at the right step
    /// or waiting for something else is a `conflict`, bad step data is `invalid_input` naming the
    /// field.
    pub fn to_cmd_error(&self) -> CmdError {
        let message = self.to_string();
        match self {
            TempError::NearRelative
            | TempError::RoleNotAllowed { .. }
            | TempError::OtherTownship
            | TempError::NotCountyStaff
            | TempError::HandledCase { .. }
            | TempError::ReviewedCase { .. }
            | TempError::NotEmergency => CmdError::forbidden(message),
            TempError::WrongState { .. }
            | TempError::AwaitingCountyHomeCheck
            | TempError::RepeatNotOverridden { .. }
            | TempError::NothingToOverride
            | TempError::AdvanceGranted { .. }
            | TempError::StageAlreadyPaid { .. } => CmdError::new(ErrorCode::Conflict, message),
            TempError::StageOnRoster { .. } => CmdError::conflict("stage_no", message),
            TempError::EarlyPaymentNeedsReason { .. } => CmdError::invalid("reason", message),
            TempError::ReserveFundShort { .. } => CmdError::conflict("amount", message),
            TempError::AdvanceAboveQuota { .. } | TempError::AboveTownshipQuota { .. } => {
                CmdError {
                    code: ErrorCode::Forbidden,
                    message,
                    field: Some("amount".to_owned()),
                }
            }
            TempError::AmountNotPositive
            | TempError::AboveCap { .. }
            | TempError::TotalBelowAdvance { .. } => CmdError::invalid("amount", message),
            TempError::TextRequired { field, .. } => CmdError::invalid(field, message),
            TempError::StagesDontAddUp { .. } | TempError::TooManyStages { .. } => {
                CmdError::invalid("stages", message)
            }
            TempError::StageAmountNotPositive { no } => {
                CmdError::invalid(&format!("stages[{}].amount", no - 1), message)
            }
            TempError::StageMonthsOutOfOrder { no } | TempError::StageMonthPast { no, .. } => {
                CmdError::invalid(&format!("stages[{}].month", no - 1), message)
            }
            TempError::NoSuchStage { .. } => CmdError::invalid("stage_no", message),
        }
    }
}

impl From<TempError> for CmdError {
    fn from(e: TempError) -> CmdError {
        e.to_cmd_error()
    }
}
