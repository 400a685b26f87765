//! The household registry's rules: what a valid person and household look like.
//!
//! Validation is pure: it takes the raw input and today's date and returns validated facts or the
//! first broken rule, naming the field. The store only ever sees validated facts.

use chrono::NaiveDate;

use crate::error::{CmdError, CmdResult};
use crate::idcard::{self, Sex};

mod areas;
mod finances;
mod membership;
mod self_care;
pub use areas::{check_area_name, check_child_code, check_county, check_urban_rural};
pub use finances::{validate_finances, RawAssets, RawExpenditure, RawIncome};
pub use membership::{
    check_day, check_leave, check_new_head, check_relation, death_left_on, household_members,
    prefix_field,
};
pub use self_care::{assess_self_care, Assessment};

/// A code stored in the database with its Chinese label.
pub type Choice = (&'static str, &'static str);

pub const HUKOU: &[Choice] = &[("urban", "城镇"), ("rural", "农村")];
pub const RELATIONS: &[Choice] = &[
    ("head", "户主"),
    ("spouse", "配偶"),
    ("child", "子女"),
    ("child_in_law", "儿媳/女婿"),
    ("parent", "父母"),
    ("grandparent", "祖父母/外祖父母"),
    ("grandchild", "孙子女/外孙子女"),
    ("sibling", "兄弟姐妹"),
    ("other", "其他"),
];
pub const DISABILITY_TYPES: &[Choice] = &[
    ("visual", "视力残疾"),
    ("hearing", "听力残疾"),
    ("speech", "言语残疾"),
    ("physical", "肢体残疾"),
    ("intellectual", "智力残疾"),
    ("mental", "精神残疾"),
    ("multiple", "多重残疾"),
];
pub const LABOUR_CAPACITY: &[Choice] = &[
    ("full", "有劳动能力"),
    ("partial", "部分丧失劳动能力"),
    ("none", "无劳动能力"),
];
pub const SELF_CARE: &[Choice] = &[
    ("self", "生活自理"),
    ("partial", "部分失能（半护理）"),
    ("none", "完全失能（全护理）"),
];
pub const STUDENT: &[Choice] = &[
    ("preschool", "学前"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "高中"),
    ("vocational", "中职/高职"),
    ("undergraduate", "大学本科/专科"),
    ("postgraduate", "研究生"),
];
pub const EMPLOYMENT: &[Choice] = &[
    ("employed", "务工/受雇"),
    ("migrant", "外出务工"),
    ("self_employed", "个体经营"),
    ("farming", "务农"),
    ("flexible", "灵活就业"),
    ("unemployed", "失业"),
    ("retired", "退休"),
    ("none", "无业"),
];
pub const LEAVE_REASONS: &[Choice] = &[("moved_out", "迁出"), ("death", "死亡"), ("other", "其他")];

pub const INCOME_KINDS: &[Choice] = &[
    ("wage", "工资性收入"),
    ("business", "经营净收入"),
    ("property", "财产净收入"),
    ("transfer", "转移净收入"),
    ("other", "其他收入"),
];
pub const INCOME_PERIODS: &[Choice] = &[("monthly", "每月"), ("annual", "每年")];
pub const EXPENDITURE_KINDS: &[Choice] = &[
    ("medical", "医疗"),
    ("disability", "残疾康复/护理"),
    ("schooling", "就学"),
];

pub fn label(choices: &[Choice], code: &str) -> Option<&'static str> {
    choices.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Raw person input, as typed.
#[derive(Debug, Default, Clone)]
pub struct RawPerson<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    pub disability_type: Option<&'a str>,
    pub disability_grade: Option<i64>,
    pub serious_illness: Option<&'a str>,
    pub labour_capacity: Option<&'a str>,
    pub self_care: Option<&'a str>,
    pub student: Option<&'a str>,
    pub employment: Option<&'a str>,
}

/// A validated person. Birth date and sex always come from the ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts {
    pub id_number: String,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub disability_type: Option<String>,
    pub disability_grade: Option<i64>,
    pub serious_illness: Option<String>,
    pub labour_capacity: String,
    pub self_care: String,
    pub student: Option<String>,
    pub employment: Option<String>,
}

/// Raw household input, as typed.
#[derive(Debug, Default, Clone)]
pub struct RawHousehold<'a> {
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub address: &'a str,
    pub hukou: &'a str,
    pub phone: Option<&'a str>,
    pub bank_name: Option<&'a str>,
    pub bank_account: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdFacts {
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub address: String,
    pub hukou: String,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
}

fn blank_to_none(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn choice(
    field: &str,
    what: &str,
    choices: &[Choice],
    value: Option<&str>,
) -> CmdResult<Option<String>> {
    match blank_to_none(value) {
        None => Ok(None),
        Some(v) if label(choices, v).is_some() => Ok(Some(v.to_owned())),
        Some(v) => {
            let allowed: Vec<&str> = choices.iter().map(|(_, l)| *l).collect();
            Err(CmdError::invalid(
                field,
                format!("{what}“{v}”不在可选范围内（{}）", allowed.join("、")),
            ))
        }
    }
}

/// Names: 1–30 characters; letters of any script, the middle dot of minority names, and spaces.
pub fn check_name(field: &str, name: &str) -> CmdResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CmdError::invalid(field, "请填写姓名，姓名不能为空"));
    }
    if name.chars().any(|c| c.is_numeric()) {
        return Err(CmdError::invalid(field, "姓名不能包含数字"));
    }
    if name.chars().count() > 30 {
        return Err(CmdError::invalid(field, "姓名不能超过 30 个字"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphabetic() || matches!(c, '·' | '•' | '.' | ' ')))
    {
        return Err(CmdError::invalid(
            field,
            format!("姓名中不能有符号“{bad}”，只能是文字和间隔号“·”"),
        ));
    }
    Ok(name.to_owned())
}

pub fn validate_person(raw: &RawPerson<'_>, today: NaiveDate) -> CmdResult<PersonFacts> {
    let name = check_name("name", raw.name)?;
    let id = idcard::parse(raw.id_number, today)?;
    let disability_type = choice(
        "disability_type",
        "残疾类别",
        DISABILITY_TYPES,
        raw.disability_type,
    )?;
    let disability_grade = match (&disability_type, raw.disability_grade) {
        (None, None) => None,
        (Some(_), Some(g)) if (1..=4).contains(&g) => Some(g),
        (Some(_), Some(_)) => {
            return Err(CmdError::invalid(
                "disability_grade",
                "残疾等级只能是一级到四级（1–4）",
            ))
        }
        (Some(_), None) => {
            return Err(CmdError::invalid(
                "disability_grade",
                "已选残疾类别，请同时选择残疾等级",
            ))
        }
        (None, Some(_)) => {
            return Err(CmdError::invalid(
                "disability_type",
                "已填残疾等级，请同时选择残疾类别",
            ))
        }
    };
    let age = age_on(id.birth_date, today);
    // Unless assessed otherwise, children under 16 (the legal working age) have no labour capacity.
    let labour_capacity = choice(
        "labour_capacity",
        "劳动能力",
        LABOUR_CAPACITY,
        raw.labour_capacity,
    )?
    .unwrap_or_else(|| {
        if age < 16 {
            "none".into()
        } else {
            "full".into()
        }
    });
    let self_care =
        choice("self_care", "自理能力", SELF_CARE, raw.self_care)?.unwrap_or_else(|| "self".into());
    let student = choice("student", "在读情况", STUDENT, raw.student)?;
    let employment = choice("employment", "就业情况", EMPLOYMENT, raw.employment)?;
    if age < 16
        && matches!(
            employment.as_deref(),
            Some("employed" | "self_employed" | "flexible")
        )
    {
        return Err(CmdError::invalid(
            "employment",
            format!("此人未满 16 周岁（{age} 岁），不能登记为就业；请核对身份证号或就业情况"),
        ));
    }
    let serious_illness = blank_to_none(raw.serious_illness).map(str::to_owned);
    if serious_illness
        .as_ref()
        .is_some_and(|s| s.chars().count() > 50)
    {
        return Err(CmdError::invalid(
            "serious_illness",
            "重病名称不能超过 50 个字",
        ));
    }
    Ok(PersonFacts {
        id_number: id.text,
        name,
        sex: id.sex,
        birth_date: id.birth_date,
        disability_type,
        disability_grade,
        serious_illness,
        labour_capacity,
        self_care,
        student,
        employment,
    })
}

/// Whole years of age on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Mobile 1[3-9]xxxxxxxxx, or a landline with area code: 0xx(x)-xxxxxxx(x).
pub fn check_phone(phone: &str) -> CmdResult<String> {
    let p: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mobile = p.len() == 11
        && digits(&p)
        && p.starts_with('1')
        && (b'3'..=b'9').contains(&p.as_bytes()[1]);
    let landline = match p.split_once('-') {
        Some((area, local)) => {
            area.starts_with('0')
                && (3..=4).contains(&area.len())
                && digits(area)
                && (7..=8).contains(&local.len())
                && digits(local)
        }
        None => p.starts_with('0') && (10..=12).contains(&p.len()) && digits(&p),
    };
    if mobile || landline {
        Ok(p)
    } else {
        Err(CmdError::invalid(
            "phone",
            "联系电话格式不正确：手机号为 1 开头的 11 位数字，固定电话如 0371-12345678",
        ))
    }
}

/// Bank accounts: 12–30 digits; spaces are ignored.
pub fn check_bank_account(account: &str) -> CmdResult<String> {
    let a: String = account.chars().filter(|c| !c.is_whitespace()).collect();
    if !a.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CmdError::invalid("bank_account", "银行账号只能是数字"));
    }
    if !(12..=30).contains(&a.len()) {
        return Err(CmdError::invalid(
            "bank_account",
            format!("银行账号应为 12–30 位数字，现在是 {} 位", a.len()),
        ));
    }
    Ok(a)
}

pub fn validate_household(raw: &RawHousehold<'_>) -> CmdResult<HouseholdFacts> {
    let address = raw.address.trim();
    if address.is_empty() {
        return Err(CmdError::invalid("address", "请填写家庭住址"));
    }
    if address.chars().count() > 100 {
        return Err(CmdError::invalid("address", "家庭住址不能超过 100 个字"));
    }
    let hukou = choice("hukou", "户籍类别", HUKOU, Some(raw.hukou))?
        .ok_or_else(|| CmdError::invalid("hukou", "请选择户籍类别（城镇或农村）"))?;
    let phone = blank_to_none(raw.phone).map(check_phone).transpose()?;
    let bank_account = blank_to_none(raw.bank_account)
        .map(check_bank_account)
        .transpose()?;
    let bank_name = blank_to_none(raw.bank_name).map(str::to_owned);
    match (&bank_name, &bank_account) {
        (Some(_), None) => {
            return Err(CmdError::invalid(
                "bank_account",
                "已填开户银行，请同时填写银行账号",
            ))
        }
        (None, Some(_)) => {
            return Err(CmdError::invalid(
                "bank_name",
                "已填银行账号，请同时填写开户银行",
            ))
        }
        _ => {}
    }
    Ok(HouseholdFacts {
        village_id: raw.village_id,
        group_id: raw.group_id,
        address: address.to_owned(),
        hukou,
        phone,
        bank_name,
        bank_account,
    })
}

/// Digits, optionally ending in the check character X: an ID-number prefix. A lone "x" is
/// pinyin initials.
fn looks_like_id_prefix(q: &str) -> bool {
    let b = q.as_bytes();
    match b.split_last() {
        Some((last, rest)) => {
            rest.iter().all(u8::is_ascii_digit)
                && (last.is_ascii_digit() || (!rest.is_empty() && matches!(last, b'x' | b'X')))
        }
        None => false,
    }
}

/// What a search box's text looks for: everything (blank), an ID-number prefix, pinyin
/// initials, or part of a name.
pub fn search_needle(q: &str) -> crate::store::registry::Needle {
    use crate::store::registry::Needle;
    let q = q.trim();
    if q.is_empty() {
        Needle::All
    } else if looks_like_id_prefix(q) {
        Needle::IdPrefix(q.to_uppercase())
    } else if crate::pinyin_index::is_initials_query(q) {
        Needle::Initials(q.to_lowercase())
    } else {
        Needle::NameContains(q.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_needles() {
        use crate::store::registry::Needle;
        let table = [
            ("  ", Needle::All),
            ("41012219", Needle::IdPrefix("41012219".into())),
            (
                "41012219800101123x",
                Needle::IdPrefix("41012219800101123X".into()),
            ),
            ("x", Needle::Initials("x".into())),
            ("ZS", Needle::Initials("zs".into())),
            (" 张三 ", Needle::NameContains("张三".into())),
        ];
        for (q, want) in table {
            assert_eq!(search_needle(q), want, "{q:?}");
        }
    }

    #[test]
    fn names() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("张三", Ok("张三")),
            (" 刘䶮 ", Ok("刘䶮")),
            ("阿依古丽·买买提", Ok("阿依古丽·买买提")),
            ("王𠇔", Ok("王𠇔")),
            ("", Err("不能为空")),
            ("   ", Err("不能为空")),
            ("张3", Err("不能包含数字")),
            ("张三３", Err("不能包含数字")),
            ("张#三", Err("不能有符号“#”")),
        ];
        for (input, want) in cases {
            match (check_name("name", input), want) {
                (Ok(n), Ok(w)) => assert_eq!(&n, w),
                (Err(e), Err(w)) => assert!(e.message.contains(w), "{input}: {}", e.message),
                (got, want) => panic!("{input}: {got:?} vs {want:?}"),
            }
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "13812345678",
            "138 1234 5678",
            "0371-12345678",
            "010-1234567",
            "037112345678",
        ] {
            assert!(check_phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "12812345678",
            "1381234567",
            "phone",
            "371-12345678",
            "0371-123",
        ] {
            assert_eq!(
                check_phone(bad).unwrap_err().field.as_deref(),
                Some("phone"),
                "{bad}"
            );
        }
    }

    #[test]
    fn bank_accounts() {
        assert_eq!(
            check_bank_account("6222 0212 3456 7890 123").unwrap(),
            "6222021234567890123"
        );
        assert!(check_bank_account("62220212345a")
            .unwrap_err()
            .message
            .contains("只能是数字"));
        assert!(check_bank_account("62220")
            .unwrap_err()
            .message
            .contains("现在是 5 位"));
    }

    #[test]
    fn minor_cannot_be_employed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let raw = RawPerson {
            id_number: "410102201501010015",
            name: "李小明",
            employment: Some("employed"),
            ..Default::default()
        };
        let id = format!(
            "41010220150101001{}",
            crate::idcard::check_char("41010220150101001")
        );
        let raw = RawPerson {
            id_number: &id,
            ..raw
        };
        let e = validate_person(&raw, today).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("employment"));
        assert!(e.message.contains("未满 16 周岁"));
    }
}
