//! The one place for the kinds of payment, of difference and of delivery status, each with its
//! code (as stored) and its Chinese label (as shown and printed).

/// What a payment row pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentKind {
    Regular,
    BackPay,
    PriceSubsidy,
    OneTime,
    TempAid,
    Deliberation,
    Adjustment,
    Resend,
}

impl PaymentKind {
    pub const ALL: [PaymentKind; 8] = [
        PaymentKind::Regular,
        PaymentKind::BackPay,
        PaymentKind::PriceSubsidy,
        PaymentKind::OneTime,
        PaymentKind::TempAid,
        PaymentKind::Deliberation,
        PaymentKind::Adjustment,
        PaymentKind::Resend,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PaymentKind::Regular => "regular",
            PaymentKind::BackPay => "back_pay",
            PaymentKind::PriceSubsidy => "price_subsidy",
            PaymentKind::OneTime => "one_time",
            PaymentKind::TempAid => "temp_aid",
            PaymentKind::Deliberation => "deliberation",
            PaymentKind::Adjustment => "adjustment",
            PaymentKind::Resend => "resend",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentKind::Regular => "按月发放",
            PaymentKind::BackPay => "补发",
            PaymentKind::PriceSubsidy => "价格临时补贴",
            PaymentKind::OneTime => "一次性生活补贴",
            PaymentKind::TempAid => "临时救助",
            PaymentKind::Deliberation => "一事一议",
            PaymentKind::Adjustment => "调整",
            PaymentKind::Resend => "重发",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentKind> {
        PaymentKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A stored payment kind's label; "—" for a code that is not one.
pub fn kind_label(code: &str) -> &'static str {
    PaymentKind::from_code(code).map_or("—", PaymentKind::label)
}

/// Why a payment row of this month is listed for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DifferenceKind {
    New,
    Stopped,
    Changed,
    BackPay,
    Adjustment,
    Resend,
}

impl DifferenceKind {
    pub const ALL: [DifferenceKind; 6] = [
        DifferenceKind::New,
        DifferenceKind::Stopped,
        DifferenceKind::Changed,
        DifferenceKind::BackPay,
        DifferenceKind::Adjustment,
        DifferenceKind::Resend,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DifferenceKind::New => "new",
            DifferenceKind::Stopped => "stopped",
            DifferenceKind::Changed => "changed",
            DifferenceKind::BackPay => "back_pay",
            DifferenceKind::Adjustment => "adjustment",
            DifferenceKind::Resend => "resend",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DifferenceKind::New => "新增",
            DifferenceKind::Stopped => "停发",
            DifferenceKind::Changed => "金额变化",
            DifferenceKind::BackPay => "补发",
            DifferenceKind::Adjustment => "调整",
            DifferenceKind::Resend => "重发",
        }
    }

    pub fn from_code(code: &str) -> Option<DifferenceKind> {
        DifferenceKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A stored difference kind's label; "—" for a code that is not one.
pub fn difference_label(code: &str) -> &'static str {
    DifferenceKind::from_code(code).map_or("—", DifferenceKind::label)
}

/// The status of a payment held at the lock for an invalid account (暂缓发放): it is not on the
/// roster, not paid, not counted in the month's totals or statistics, and a later run re-sends
/// it (暂缓后补发) to the account then on file, like a failed payment.
pub const HELD: &str = "held";

/// A payment's delivery status label: pending → sent → paid or failed; or held at the lock
/// (`held`, 暂缓发放: off the roster, never sent, re-sent by a later run).
pub fn status_label(code: &str) -> &'static str {
    match code {
        "pending" => "待发送",
        "sent" => "已发送银行",
        "paid" => "已到账",
        "failed" => "发放失败",
        HELD => "暂缓发放",
        _ => "—",
    }
}

/// A run's state label: open (待审核锁定) until locked (已锁定).
pub fn run_state_label(state: &str) -> &'static str {
    if state == "locked" {
        "已锁定"
    } else {
        "待审核锁定"
    }
}
