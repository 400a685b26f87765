//! The catalogue of a county's standards: every key, its label, value kind, scope and default.
//!
//! A standard is stored as a row of text `(key, scope, effective_from, value)`; this module says
//! which rows are valid. Money values are integer fen ("87100" is 871.00 yuan). Ratios are
//! decimals ("1.3"), percentages ("30%") or fractions ("1/6"). Defaults are the example county's
//! in `shared/DOMAIN.md`; every county configures its own.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::money::{parse_ratio, GrantRounding};
pub(crate) use super::tiers::{parse_cause_caps, parse_dibao_tiers, parse_temp_tiers};
use crate::error::{CmdError, CmdResult};
use crate::registry::Choice;

/// Where a standard applies. Keys that differ between town and country take `Urban` and `Rural`
/// rows; the others take one `All` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Urban,
    Rural,
    All,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::Urban => "urban",
            Scope::Rural => "rural",
            Scope::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<Scope> {
        match code {
            "urban" => Some(Scope::Urban),
            "rural" => Some(Scope::Rural),
            "all" => Some(Scope::All),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Urban => "城市",
            Scope::Rural => "农村",
            Scope::All => "全县",
        }
    }
}

/// One stored standard: `value` is text in the form the key's [`ValueKind`] says.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardRow {
    pub key: String,
    pub scope: Scope,
    pub effective_from: NaiveDate,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueKind {
    /// Integer fen, ≥ 0.
    Money,
    /// A ratio or multiple from 0 to `max`.
    Ratio {
        max: u32,
    },
    Integer {
        min: i64,
        max: i64,
    },
    /// One of the codes.
    Choice(&'static [Choice]),
    /// JSON list of 临时救助 tiers: `[{"code","label","kind":"emergency|expenditure","multiple"}]`,
    /// each optionally with its category's `"cap"` (a multiple) and `"cap_on": "urban"`.
    TempTiers,
    /// JSON list of 低保 分档 tiers: `[{"below","pay"}]`, see [`DibaoTier`].
    DibaoTiers,
    /// JSON list of 临时救助 caps by cause: `[{"cause","cap","cap_on"?}]`, see [`CauseCap`].
    CauseCaps,
}

impl ValueKind {
    /// The kind's code, for the administrator screen: money, ratio, integer, enum or json.
    pub fn code(&self) -> &'static str {
        match self {
            ValueKind::Money => "money",
            ValueKind::Ratio { .. } => "ratio",
            ValueKind::Integer { .. } => "integer",
            ValueKind::Choice(_) => "enum",
            ValueKind::TempTiers | ValueKind::DibaoTiers | ValueKind::CauseCaps => "json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Defaults {
    All(&'static str),
    Area {
        urban: &'static str,
        rural: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyDef {
    pub key: &'static str,
    /// Chinese label; for per-area keys the area is put in front ("农村" + "低保标准").
    pub label: &'static str,
    pub kind: ValueKind,
    pub defaults: Defaults,
}

impl KeyDef {
    /// Whether the key takes separate urban and rural rows.
    pub fn per_area(&self) -> bool {
        matches!(self.defaults, Defaults::Area { .. })
    }

    /// The label as shown for one scope: "农村低保标准".
    pub fn scoped_label(&self, scope: Scope) -> String {
        match scope {
            Scope::All => self.label.to_owned(),
            s => format!("{}{}", s.label(), self.label),
        }
    }
}

/// A 临时救助 tier: pay `multiple` × the monthly 低保 standard.
#[derive(Debug, Clone, PartialEq)]
pub struct TempTier {
    pub code: String,
    pub label: String,
    pub kind: TempAidKind,
    pub multiple: Decimal,
    /// The category's own cap, a multiple of the monthly standard (JSON `"cap"`), in place of
    /// the county cap when lower; `cap_urban` (`"cap_on": "urban"`) reckons it on the urban
    /// standard whatever the household's area.
    pub cap: Option<Decimal>,
    pub cap_urban: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TempAidKind {
    /// 急难型.
    Emergency,
    /// 支出型.
    Expenditure,
}

impl TempAidKind {
    pub fn label(self) -> &'static str {
        match self {
            TempAidKind::Emergency => "急难型",
            TempAidKind::Expenditure => "支出型",
        }
    }
}

/// A 临时救助 category's own cap by cause (救助事由 code, e.g. `living`): `cap` × the monthly
/// standard (the urban one when `cap_urban`), applied where below the county cap.
#[derive(Debug, Clone, PartialEq)]
pub struct CauseCap {
    pub cause: String,
    pub cap: Decimal,
    pub cap_urban: bool,
}

/// A 低保 分档 tier: a family whose per-capita income is below `below` × standard gets
/// `pay` × standard for each covered person. Tiers are kept in rising order of `below`.
#[derive(Debug, Clone, PartialEq)]
pub struct DibaoTier {
    pub below: Decimal,
    pub pay: Decimal,
}

const BASIC_MODE: &[Choice] = &[("ratio", "按低保标准的倍数"), ("amount", "按固定金额")];
const CARE_MODE: &[Choice] = &[
    ("amount", "按固定金额"),
    ("wage_fraction", "按上年度最低工资标准的比例"),
];
const INSTITUTION_CARE: &[Choice] = &[
    ("same", "与分散供养相同"),
    ("own", "集中供养单独设置比例"),
    ("uplift", "在分散供养基础上上浮"),
];
const UPLIFT_MODE: &[Choice] = &[("ratio", "按低保标准的比例"), ("amount", "定额")];
const COMBINE: &[Choice] = &[("max", "就高，不叠加"), ("sum", "叠加")];
const EMPLOYMENT_MODE: &[Choice] = &[
    ("income", "按务工收入的比例"),
    ("standard", "按低保标准的比例"),
];
const EMPLOYMENT_WHO: &[Choice] = &[
    ("all", "所有有务工收入的成员"),
    ("employed", "仅登记为务工/受雇或外出务工的成员"),
    ("migrant", "仅登记为外出务工的成员"),
];
const MIGRANT_BASIS: &[Choice] = &[
    ("same", "与其他务工成员相同"),
    ("work_place", "按务工地城市低保标准的比例"),
];
const ON_OFF: &[Choice] = &[("on", "扣减"), ("off", "不扣减")];
const YES_NO: &[Choice] = &[("yes", "是"), ("no", "否")];
const QUOTA_MODE: &[Choice] = &[("multiple", "月低保标准的倍数"), ("amount", "固定金额")];
const INVALID_ACCOUNT: &[Choice] = &[
    ("refuse", "不予锁定，补正账号后再发放"),
    ("hold", "暂缓发放，列入乡镇暂缓名单"),
];
const RISE_BASIS: &[Choice] = &[
    ("cpi", "按 CPI 涨幅"),
    ("food", "按食品价格涨幅"),
    ("higher", "按两者中较高者"),
];
const BASIS_AREA: &[Choice] = &[
    ("hukou", "按户籍城乡类别"),
    ("residence", "按现居住村（社区）的城乡类别"),
];
const TIER_MODE: &[Choice] = &[("off", "不分档（补差）"), ("tiers", "分档发放")];

const TEMP_TIERS: &str = r#"[
{"code":"emergency_1","label":"急难型一档","kind":"emergency","multiple":"2"},
{"code":"emergency_2","label":"急难型二档","kind":"emergency","multiple":"4"},
{"code":"emergency_3","label":"急难型三档","kind":"emergency","multiple":"6"},
{"code":"medical_1","label":"支出型（医疗）一档","kind":"expenditure","multiple":"3"},
{"code":"medical_2","label":"支出型（医疗）二档","kind":"expenditure","multiple":"6"},
{"code":"medical_3","label":"支出型（医疗）三档","kind":"expenditure","multiple":"10"},
{"code":"education_1","label":"支出型（教育）一档","kind":"expenditure","multiple":"2"},
{"code":"education_2","label":"支出型（教育）二档","kind":"expenditure","multiple":"4"},
{"code":"living_1","label":"支出型（基本生活）一档","kind":"expenditure","multiple":"1"},
{"code":"living_2","label":"支出型（基本生活）二档","kind":"expenditure","multiple":"2"}
]"#;
const DIBAO_TIERS: &str = r#"[
{"below":"0.25","pay":"0.9"},
{"below":"0.5","pay":"0.65"},
{"below":"0.75","pay":"0.4"},
{"below":"1","pay":"0.15"}
]"#;

const fn all(key: &'static str, label: &'static str, kind: ValueKind, v: &'static str) -> KeyDef {
    KeyDef {
        key,
        label,
        kind,
        defaults: Defaults::All(v),
    }
}

const fn area(
    key: &'static str,
    label: &'static str,
    kind: ValueKind,
    urban: &'static str,
    rural: &'static str,
) -> KeyDef {
    KeyDef {
        key,
        label,
        kind,
        defaults: Defaults::Area { urban, rural },
    }
}

use ValueKind::{CauseCaps, Choice as Pick, DibaoTiers, Integer, Money, Ratio, TempTiers};

/// Every standard the engine reads. The order is the order of the administrator screen.
#[rustfmt::skip]
pub const CATALOGUE: &[KeyDef] = &[
    area("dibao.standard", "低保标准", Money, "87100", "66000"),
    all("dibao.marginal_multiplier", "低保边缘家庭收入上限（低保标准的倍数）", Ratio { max: 3 }, "1.5"),
    all("dibao.employment_cost.mode", "就业成本扣减方式", Pick(EMPLOYMENT_MODE), "income"),
    all("dibao.employment_cost.ratio", "就业成本扣减比例", Ratio { max: 1 }, "0.3"),
    all("dibao.employment_cost.cap", "就业成本扣减上限（每人，低保标准的倍数）", Ratio { max: 3 }, "1"),
    all("dibao.employment_cost.who", "就业成本扣减对象", Pick(EMPLOYMENT_WHO), "all"),
    all("dibao.employment_cost.migrant_basis", "外出务工成员的就业成本扣减方式", Pick(MIGRANT_BASIS), "same"),
    all("dibao.employment_cost.work_place_standard", "务工地城市低保标准（外出务工成员扣减就业成本所按）", Money, "87100"),
    all("dibao.rigid_deduction", "刚性支出扣减", Pick(ON_OFF), "on"),
    all("dibao.tier_mode", "低保分档发放", Pick(TIER_MODE), "off"),
    all("dibao.tiers", "低保分档", DibaoTiers, DIBAO_TIERS),
    all("dibao.uplift.combine", "分类施保多项并存时", Pick(COMBINE), "max"),
    all("dibao.uplift.illness.mode", "分类施保（重病）方式", Pick(UPLIFT_MODE), "ratio"),
    all("dibao.uplift.illness.ratio", "分类施保（重病）比例", Ratio { max: 1 }, "0.1"),
    area("dibao.uplift.illness.amount", "分类施保（重病）定额", Money, "8700", "6600"),
    all("dibao.uplift.severe_disability.mode", "分类施保（一二级重度残疾）方式", Pick(UPLIFT_MODE), "ratio"),
    all("dibao.uplift.severe_disability.ratio", "分类施保（一二级重度残疾）比例", Ratio { max: 1 }, "0.1"),
    area("dibao.uplift.severe_disability.amount", "分类施保（一二级重度残疾）定额", Money, "8700", "6600"),
    all("dibao.uplift.elderly.mode", "分类施保（60 周岁以上）方式", Pick(UPLIFT_MODE), "ratio"),
    all("dibao.uplift.elderly.ratio", "分类施保（60 周岁以上）比例", Ratio { max: 1 }, "0.05"),
    area("dibao.uplift.elderly.amount", "分类施保（60 周岁以上）定额", Money, "4400", "3300"),
    all("dibao.uplift.minor.mode", "分类施保（未满 18 周岁）方式", Pick(UPLIFT_MODE), "ratio"),
    all("dibao.uplift.minor.ratio", "分类施保（未满 18 周岁）比例", Ratio { max: 1 }, "0.05"),
    area("dibao.uplift.minor.amount", "分类施保（未满 18 周岁）定额", Money, "4400", "3300"),
    all("asset.deposit_multiple", "人均存款上限（年低保标准的倍数）", Ratio { max: 100 }, "2"),
    all("asset.vehicles_max", "可拥有机动车数量上限（不含残疾人功能性补偿代步车）", Integer { min: 0, max: 10 }, "0"),
    all("asset.extra_housing_max", "自住房以外可拥有住房套数上限", Integer { min: 0, max: 10 }, "0"),
    all("tekun.basic.mode", "特困人员基本生活标准计算方式", Pick(BASIC_MODE), "amount"),
    all("tekun.basic.ratio", "特困人员基本生活标准（低保标准的倍数）", Ratio { max: 5 }, "1.3"),
    area("tekun.basic.amount", "特困人员基本生活标准", Money, "122000", "96200"),
    all("tekun.care.mode", "特困人员照料护理标准计算方式", Pick(CARE_MODE), "amount"),
    all("tekun.care.institution.self", "集中供养全自理照料护理标准", Money, "16500"),
    all("tekun.care.institution.partial", "集中供养半护理照料护理标准", Money, "44000"),
    all("tekun.care.institution.none", "集中供养全护理照料护理标准", Money, "77000"),
    all("tekun.care.home.self", "分散供养全自理照料护理标准", Money, "16500"),
    all("tekun.care.home.partial", "分散供养半护理照料护理标准", Money, "44000"),
    all("tekun.care.home.none", "分散供养全护理照料护理标准", Money, "77000"),
    all("tekun.care.min_wage", "上年度当地月最低工资标准", Money, "165000"),
    all("tekun.care.fraction.self", "全自理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/10"),
    all("tekun.care.fraction.partial", "半护理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/6"),
    all("tekun.care.fraction.none", "全护理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/3"),
    all("tekun.care.institution.basis", "集中供养照料护理标准（按最低工资的比例时）", Pick(INSTITUTION_CARE), "same"),
    all("tekun.care.institution.fraction.self", "集中供养全自理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/10"),
    all("tekun.care.institution.fraction.partial", "集中供养半护理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/6"),
    all("tekun.care.institution.fraction.none", "集中供养全护理照料护理标准（最低工资的比例）", Ratio { max: 1 }, "1/3"),
    all("tekun.care.institution.uplift", "集中供养照料护理标准上浮比例", Ratio { max: 2 }, "0"),
    all("orphan.institution", "孤儿基本生活费（集中养育）", Money, "175000"),
    all("orphan.scattered", "孤儿基本生活费（散居）", Money, "130000"),
    all("unsupported_child", "事实无人抚养儿童基本生活补贴", Money, "130000"),
    all("disability.living", "困难残疾人生活补贴", Money, "7500"),
    all("disability.care", "重度残疾人护理补贴", Money, "7500"),
    all("temp.tiers", "临时救助分档（月低保标准的倍数）", TempTiers, TEMP_TIERS),
    all("temp.basis_area", "临时救助所按低保标准（户籍与居住地城乡类别不同时）", Pick(BASIS_AREA), "hukou"),
    all("temp.cap_multiple", "临时救助上限（月低保标准的倍数）", Ratio { max: 100 }, "10"),
    all("temp.cause_caps", "临时救助分类上限（按救助事由，月低保标准的倍数）", CauseCaps, "[]"),
    all("temp.emergency_min_multiple", "急难型临时救助下限（月低保标准的倍数）", Ratio { max: 100 }, "2"),
    all("temp.township_quota.mode", "乡镇临时救助审批额度方式", Pick(QUOTA_MODE), "multiple"),
    all("temp.township_quota.multiple", "乡镇临时救助审批额度（月低保标准的倍数）", Ratio { max: 100 }, "3"),
    all("temp.township_quota.amount", "乡镇临时救助审批额度（固定金额）", Money, "200000"),
    all("price.cpi_threshold", "价格临时补贴启动条件：CPI 同比涨幅", Ratio { max: 1 }, "3.5%"),
    all("price.food_threshold", "价格临时补贴启动条件：食品价格同比涨幅", Ratio { max: 1 }, "6%"),
    all("price.rise_basis", "CPI 和食品价格同时达到启动条件时，补贴所按涨幅", Pick(RISE_BASIS), "cpi"),
    all("price.include_marginal", "价格临时补贴发放到低保边缘家庭", Pick(YES_NO), "no"),
    all("one_time.dibao", "一次性生活补贴（低保对象，每人）", Money, "12000"),
    all("one_time.tekun", "一次性生活补贴（特困人员，每人）", Money, "20000"),
    all("exit.gradual_months", "渐退期（月）", Integer { min: 0, max: 60 }, "12"),
    all("exit.voluntary_months", "主动退出可发放（月，至多）", Integer { min: 1, max: 3 }, "3"),
    all("grant.rounding", "救助金取整方式", Pick(GrantRounding::CODES), "fen"),
    all("payment.back_pay_months", "无需另行确认可补发的月数（录入审批次月之前；0 为自录入审批次月起，不补发更早月份）", Integer { min: 0, max: 120 }, "0"),
    all("payment.invalid_account", "收款人银行账号无效时", Pick(INVALID_ACCOUNT), "refuse"),
    all("server.idle_minutes", "县级服务器登录闲置多久后失效（分钟）", Integer { min: 5, max: 1440 }, "30"),
];

pub fn key_def(key: &str) -> Option<&'static KeyDef> {
    CATALOGUE.iter().find(|d| d.key == key)
}

/// One row per key (two for per-area keys) with the example county's current values.
pub fn default_rows(effective_from: NaiveDate) -> Vec<StandardRow> {
    let row = |key: &str, scope, value: &str| StandardRow {
        key: key.to_owned(),
        scope,
        effective_from,
        value: value.to_owned(),
    };
    let mut rows = Vec::new();
    for d in CATALOGUE {
        match d.defaults {
            Defaults::All(v) => rows.push(row(d.key, Scope::All, v)),
            Defaults::Area { urban, rural } => {
                rows.push(row(d.key, Scope::Urban, urban));
                rows.push(row(d.key, Scope::Rural, rural));
            }
        }
    }
    rows
}

/// The example county's history: everything from 2022-01-01 with 低保 791 (urban) / 593 (rural)
/// and 两项补贴 60; 两项补贴 75 from 2022-12-01; 低保 871 / 660 from 2023-01-01; the CPI trigger
/// lowered to 3 % from 2022-09-01 and back to 3.5 % from 2023-04-01.
pub fn demo_rows() -> Vec<StandardRow> {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
    let mut rows = default_rows(day(2022, 1, 1));
    let set = |rows: &mut Vec<StandardRow>, key: &str, scope, value: &str| {
        let r = rows
            .iter_mut()
            .find(|r| r.key == key && r.scope == scope)
            .expect("a catalogue key");
        r.value = value.to_owned();
    };
    set(&mut rows, "dibao.standard", Scope::Urban, "79100");
    set(&mut rows, "dibao.standard", Scope::Rural, "59300");
    set(&mut rows, "disability.living", Scope::All, "6000");
    set(&mut rows, "disability.care", Scope::All, "6000");
    let add = |rows: &mut Vec<StandardRow>, date, key: &str, scope, value: &str| {
        rows.push(StandardRow {
            key: key.to_owned(),
            scope,
            effective_from: date,
            value: value.to_owned(),
        })
    };
    add(
        &mut rows,
        day(2022, 9, 1),
        "price.cpi_threshold",
        Scope::All,
        "3%",
    );
    add(
        &mut rows,
        day(2022, 12, 1),
        "disability.living",
        Scope::All,
        "7500",
    );
    add(
        &mut rows,
        day(2022, 12, 1),
        "disability.care",
        Scope::All,
        "7500",
    );
    add(
        &mut rows,
        day(2023, 1, 1),
        "dibao.standard",
        Scope::Urban,
        "87100",
    );
    add(
        &mut rows,
        day(2023, 1, 1),
        "dibao.standard",
        Scope::Rural,
        "66000",
    );
    add(
        &mut rows,
        day(2023, 4, 1),
        "price.cpi_threshold",
        Scope::All,
        "3.5%",
    );
    rows
}

/// Check a row before it is stored. Errors name the field: `key`, `scope` or `value`.
pub fn validate_row(row: &StandardRow) -> CmdResult<()> {
    let Some(def) = key_def(row.key.trim()) else {
        return Err(CmdError::invalid(
            "key",
            format!("没有名为“{}”的保障标准项", row.key),
        ));
    };
    match (def.per_area(), row.scope) {
        (true, Scope::All) => {
            return Err(CmdError::invalid(
                "scope",
                format!("“{}”分城市和农村分别设置，请选择城市或农村", def.label),
            ))
        }
        (false, Scope::Urban | Scope::Rural) => {
            return Err(CmdError::invalid(
                "scope",
                format!("“{}”全县统一设置，范围请选择全县", def.label),
            ))
        }
        _ => {}
    }
    check_value(def, &row.value).map_err(|why| {
        CmdError::invalid(
            "value",
            format!(
                "{}的值“{}”有误：{why}",
                def.scoped_label(row.scope),
                row.value
            ),
        )
    })
}

/// Check a value against its key's kind; the error says why in Chinese.
pub(crate) fn check_value(def: &KeyDef, value: &str) -> Result<(), String> {
    match def.kind {
        ValueKind::Money => parse_money(value).map(drop),
        ValueKind::Ratio { max } => parse_bounded_ratio(value, max).map(drop),
        ValueKind::Integer { min, max } => parse_integer(value, min, max).map(drop),
        ValueKind::Choice(choices) => parse_choice(value, choices).map(drop),
        ValueKind::TempTiers => parse_temp_tiers(value).map(drop),
        ValueKind::DibaoTiers => parse_dibao_tiers(value).map(drop),
        ValueKind::CauseCaps => parse_cause_caps(value).map(drop),
    }
}

/// Money values are stored in fen: at most 1 亿 yuan.
pub(crate) fn parse_money(value: &str) -> Result<i64, String> {
    let t = value.trim();
    if t.starts_with('-') {
        return Err("金额不能为负数".into());
    }
    match t.parse::<i64>() {
        Ok(fen) if fen <= 10_000_000_000 => Ok(fen),
        Ok(_) => Err("金额过大".into()),
        Err(_) => Err("应为以分为单位的整数金额，如 87100 表示 871.00 元".into()),
    }
}

pub(crate) fn parse_bounded_ratio(value: &str, max: u32) -> Result<Decimal, String> {
    if value.trim().starts_with('-') {
        return Err("不能为负数".into());
    }
    let r = parse_ratio(value).ok_or("应为小数、百分数或分数，如 1.3、30%、1/6")?;
    if r > Decimal::from(max) {
        return Err(format!("应在 0 到 {max} 之间"));
    }
    Ok(r)
}

pub(crate) fn parse_integer(value: &str, min: i64, max: i64) -> Result<i64, String> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("应为 {min} 到 {max} 之间的整数")),
    }
}

pub(crate) fn parse_choice<'a>(value: &'a str, choices: &[Choice]) -> Result<&'a str, String> {
    let v = value.trim();
    if choices.iter().any(|(c, _)| *c == v) {
        Ok(v)
    } else {
        let allowed: Vec<String> = choices.iter().map(|(c, l)| format!("{c}（{l}）")).collect();
        Err(format!("只能是 {}", allowed.join("、")))
    }
}
