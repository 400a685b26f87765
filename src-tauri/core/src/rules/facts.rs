//! The facts a calculation needs about a household, and the check that they make sense.
//!
//! The caller fills these from the database. Codes match the registry's (`labour_capacity`,
//! `self_care`, `employment`, …); `from_code` converts. Error fields are paths into the household:
//! `members[1].employment`, `incomes[0].amount`, `expenditures[2].amount`, `assets.deposits`.

use chrono::NaiveDate;

use super::money::fmt_yuan;
use crate::error::{CmdError, CmdResult};
use crate::idcard::Sex;
use crate::registry::{age_on, label, EMPLOYMENT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Urban,
    Rural,
}

impl Area {
    pub fn scope(self) -> super::Scope {
        match self {
            Area::Urban => super::Scope::Urban,
            Area::Rural => super::Scope::Rural,
        }
    }

    /// From the registry's hukou code: "urban" or "rural".
    pub fn from_code(code: &str) -> Option<Area> {
        match code {
            "urban" => Some(Area::Urban),
            "rural" => Some(Area::Rural),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabourCapacity {
    Full,
    Partial,
    /// 无劳动能力.
    Lost,
}

impl LabourCapacity {
    /// From the registry's code: "full", "partial" or "none".
    pub fn from_code(code: &str) -> Option<LabourCapacity> {
        match code {
            "full" => Some(LabourCapacity::Full),
            "partial" => Some(LabourCapacity::Partial),
            "none" => Some(LabourCapacity::Lost),
            _ => None,
        }
    }
}

/// Self-care level, which sets the 特困 care standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfCare {
    /// 生活自理 → 全自理 standard.
    Able,
    /// 部分失能 → 半护理 standard.
    Partial,
    /// 完全失能 → 全护理 standard.
    Unable,
}

impl SelfCare {
    /// From the registry's code: "self", "partial" or "none".
    pub fn from_code(code: &str) -> Option<SelfCare> {
        match code {
            "self" => Some(SelfCare::Able),
            "partial" => Some(SelfCare::Partial),
            "none" => Some(SelfCare::Unable),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            SelfCare::Able => "self",
            SelfCare::Partial => "partial",
            SelfCare::Unable => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SelfCare::Able => "全自理",
            SelfCare::Partial => "半护理",
            SelfCare::Unable => "全护理",
        }
    }
}

/// The six-item self-care assessment: `Some(true)` = can do it alone, `Some(false)` = cannot,
/// `None` = not assessed (an error: all six are needed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SixItems {
    pub eating: Option<bool>,
    pub dressing: Option<bool>,
    pub getting_up: Option<bool>,
    pub toileting: Option<bool>,
    pub walking_indoors: Option<bool>,
    pub bathing: Option<bool>,
}

impl SixItems {
    pub(crate) fn items(&self) -> [(&'static str, &'static str, Option<bool>); 6] {
        [
            ("eating", "吃饭", self.eating),
            ("dressing", "穿衣", self.dressing),
            ("getting_up", "上下床", self.getting_up),
            ("toileting", "如厕", self.toileting),
            ("walking_indoors", "室内行走", self.walking_indoors),
            ("bathing", "洗澡", self.bathing),
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelfCareFacts {
    /// A level recorded directly.
    Level(SelfCare),
    /// The six-item assessment, from which the level follows.
    Assessment(SixItems),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub person_id: i64,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// Registry code ("physical", …), with grade 1–4.
    pub disability_type: Option<String>,
    pub disability_grade: Option<i64>,
    /// The illness's name when the member is seriously ill (重病).
    pub serious_illness: Option<String>,
    pub labour_capacity: LabourCapacity,
    pub self_care: SelfCareFacts,
    /// Registry code ("primary", …, "undergraduate").
    pub student: Option<String>,
    /// Registry code ("employed", "migrant" 外出务工, "farming", …).
    pub employment: Option<String>,
    /// Whether the member is covered by the grant (保障对象).
    pub covered: bool,
    /// Whether the member has a legal supporter able to support them (for 特困).
    pub able_supporter: bool,
}

impl Member {
    pub(crate) fn age(&self, on: NaiveDate) -> i32 {
        age_on(self.birth_date, on)
    }

    /// 重度残疾: disability grade 1 or 2.
    pub(crate) fn severely_disabled(&self) -> bool {
        matches!(self.disability_grade, Some(1 | 2))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncomeKind {
    Wage,
    Business,
    Property,
    Transfer,
    Other,
}

impl IncomeKind {
    /// From a code: "wage", "business", "property", "transfer" or "other".
    pub fn from_code(code: &str) -> Option<IncomeKind> {
        match code {
            "wage" => Some(IncomeKind::Wage),
            "business" => Some(IncomeKind::Business),
            "property" => Some(IncomeKind::Property),
            "transfer" => Some(IncomeKind::Transfer),
            "other" => Some(IncomeKind::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            IncomeKind::Wage => "工资性收入",
            IncomeKind::Business => "经营净收入",
            IncomeKind::Property => "财产净收入",
            IncomeKind::Transfer => "转移净收入",
            IncomeKind::Other => "其他收入",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Monthly,
    Annual,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncomeItem {
    /// The member who earns it; `None` for the family as a whole.
    pub person_id: Option<i64>,
    pub kind: IncomeKind,
    /// What it is, as entered ("建筑工地务工").
    pub description: String,
    pub amount_fen: i64,
    pub period: Period,
    /// Exempt (not counted), with the reason ("见义勇为奖励").
    pub exempt_reason: Option<String>,
    /// Earned by work: the employment-cost deduction applies.
    pub earned: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpenditureKind {
    Medical,
    Disability,
    Schooling,
}

impl ExpenditureKind {
    /// From a code: "medical", "disability" or "schooling".
    pub fn from_code(code: &str) -> Option<ExpenditureKind> {
        match code {
            "medical" => Some(ExpenditureKind::Medical),
            "disability" => Some(ExpenditureKind::Disability),
            "schooling" => Some(ExpenditureKind::Schooling),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExpenditureKind::Medical => "医疗支出",
            ExpenditureKind::Disability => "残疾康复支出",
            ExpenditureKind::Schooling => "教育支出",
        }
    }
}

/// A long-term unavoidable expenditure (刚性支出), a yearly sum.
#[derive(Debug, Clone, PartialEq)]
pub struct RigidExpenditure {
    pub person_id: Option<i64>,
    pub kind: ExpenditureKind,
    pub description: String,
    pub annual_fen: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assets {
    /// Deposits and other financial assets of the whole family.
    pub deposits_fen: i64,
    /// Motor vehicles that count (not a disabled person's mobility vehicle).
    pub vehicles: u32,
    /// Houses beyond the one the family lives in.
    pub extra_housing: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Household {
    pub area: Area,
    /// Every member of the family unit; `covered` marks who the grant covers.
    pub members: Vec<Member>,
    pub incomes: Vec<IncomeItem>,
    pub expenditures: Vec<RigidExpenditure>,
    pub assets: Assets,
}

impl Household {
    pub(crate) fn member(&self, person_id: i64) -> Option<&Member> {
        self.members.iter().find(|m| m.person_id == person_id)
    }

    /// The name of an income's or expenditure's owner: the member's name, or "家庭".
    pub(crate) fn owner(&self, person_id: Option<i64>) -> &str {
        person_id
            .and_then(|id| self.member(id))
            .map_or("家庭", |m| m.name.as_str())
    }
}

/// The largest single amount accepted: 1 亿 yuan.
const MAX_FEN: i64 = 10_000_000_000;

/// Check the facts before any calculation; `date` is the day the calculation is for.
pub fn validate_household(h: &Household, date: NaiveDate) -> CmdResult<()> {
    if h.members.is_empty() {
        return Err(CmdError::invalid(
            "members",
            "家庭成员不能为空，请先登记家庭成员",
        ));
    }
    for (i, m) in h.members.iter().enumerate() {
        let f = |name: &str| format!("members[{i}].{name}");
        if h.members[..i].iter().any(|o| o.person_id == m.person_id) {
            return Err(CmdError::invalid(
                &f("person_id"),
                format!("成员“{}”重复登记", m.name),
            ));
        }
        if m.name.trim().is_empty() {
            return Err(CmdError::invalid(&f("name"), "成员姓名不能为空"));
        }
        if m.birth_date > date {
            return Err(CmdError::invalid(
                &f("birth_date"),
                format!("{}的出生日期晚于计算日期 {}，请核对", m.name, date),
            ));
        }
        if m.disability_grade.is_some_and(|g| !(1..=4).contains(&g)) {
            return Err(CmdError::invalid(
                &f("disability_grade"),
                format!("{}的残疾等级只能是一级到四级（1–4）", m.name),
            ));
        }
        if let SelfCareFacts::Assessment(six) = &m.self_care {
            if let Some((field, item, _)) = six.items().into_iter().find(|(_, _, v)| v.is_none()) {
                return Err(CmdError::invalid(
                    &f(&format!("self_care.{field}")),
                    format!("{}的自理能力评估缺少“{item}”一项，请补全六项评估", m.name),
                ));
            }
        }
        let age = m.age(date);
        let job = m.employment.as_deref();
        if age < 16
            && matches!(
                job,
                Some("employed" | "migrant" | "self_employed" | "flexible")
            )
        {
            let job_label = job.and_then(|j| label(EMPLOYMENT, j)).unwrap_or("就业");
            return Err(CmdError::invalid(
                &f("employment"),
                format!(
                    "{}未满 16 周岁（{age} 岁），不能登记为“{job_label}”；请核对出生日期或就业情况",
                    m.name
                ),
            ));
        }
    }
    for (i, item) in h.incomes.iter().enumerate() {
        let f = |name: &str| format!("incomes[{i}].{name}");
        let what = format!(
            "{}的{}“{}”",
            h.owner(item.person_id),
            item.kind.label(),
            item.description
        );
        if item.person_id.is_some_and(|id| h.member(id).is_none()) {
            return Err(CmdError::invalid(
                &f("person_id"),
                format!("{what}不属于本户成员"),
            ));
        }
        if item.amount_fen < 0 {
            return Err(CmdError::invalid(
                &f("amount"),
                format!(
                    "{what}金额不能为负数（现在是 {} 元）",
                    fmt_yuan(item.amount_fen)
                ),
            ));
        }
        if item.amount_fen > MAX_FEN {
            return Err(CmdError::invalid(
                &f("amount"),
                format!("{what}金额过大，请核对"),
            ));
        }
        if item
            .exempt_reason
            .as_deref()
            .is_some_and(|r| r.trim().is_empty())
        {
            return Err(CmdError::invalid(
                &f("exempt_reason"),
                format!("{what}不计入家庭收入，请写明理由（如见义勇为奖励）"),
            ));
        }
    }
    for (i, e) in h.expenditures.iter().enumerate() {
        let f = |name: &str| format!("expenditures[{i}].{name}");
        let what = format!(
            "{}的{}“{}”",
            h.owner(e.person_id),
            e.kind.label(),
            e.description
        );
        if e.person_id.is_some_and(|id| h.member(id).is_none()) {
            return Err(CmdError::invalid(
                &f("person_id"),
                format!("{what}不属于本户成员"),
            ));
        }
        if e.annual_fen < 0 {
            return Err(CmdError::invalid(
                &f("amount"),
                format!(
                    "{what}金额不能为负数（现在是 {} 元）",
                    fmt_yuan(e.annual_fen)
                ),
            ));
        }
        if e.annual_fen > MAX_FEN {
            return Err(CmdError::invalid(
                &f("amount"),
                format!("{what}金额过大，请核对"),
            ));
        }
    }
    if h.assets.deposits_fen < 0 {
        return Err(CmdError::invalid("assets.deposits", "存款金额不能为负数"));
    }
    if h.assets.deposits_fen > MAX_FEN {
        return Err(CmdError::invalid("assets.deposits", "存款金额过大，请核对"));
    }
    Ok(())
}
