//! Resident ID numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence
//! (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.

use chrono::NaiveDate;

use crate::error::CmdError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// 18 characters, the check character upper-case.
    pub text: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes in use (GB/T 2260), the first two digits of every region code.
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("17 digits") * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

const FIELD: &str = "id_number";

/// Parse and validate an ID number as of `today` (a birth date after today is impossible).
pub fn parse(input: &str, today: NaiveDate) -> Result<IdNumber, CmdError> {
    let text = input.trim().to_uppercase();
    if text.is_empty() {
        return Err(CmdError::invalid(FIELD, "请填写身份证号码"));
    }
    if text.chars().count() != 18 {
        return Err(CmdError::invalid(
            FIELD,
            format!("身份证号码应为 18 位，现在是 {} 位", text.chars().count()),
        ));
    }
    let (body, last) = text.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CmdError::invalid(FIELD, "身份证号码前 17 位只能是数字"));
    }
    if !last.chars().all(|c| c.is_ascii_digit() || c == 'X') {
        return Err(CmdError::invalid(FIELD, "身份证号码最后一位只能是数字或 X"));
    }
    let region = &body[0..6];
    if !PROVINCES.contains(&&region[0..2]) || &region[2..6] == "0000" {
        return Err(CmdError::invalid(
            FIELD,
            format!("身份证号码前 6 位地区码 {region} 格式不正确（应为有效的省级代码开头的县级行政区划代码）"),
        ));
    }
    let birth = &body[6..14];
    let birth_date = NaiveDate::parse_from_str(birth, "%Y%m%d").map_err(|_| {
        CmdError::invalid(
            FIELD,
            format!("身份证号码中的出生日期 {birth} 不是有效日期"),
        )
    })?;
    if birth_date > today {
        return Err(CmdError::invalid(
            FIELD,
            format!("身份证号码中的出生日期 {birth_date} 晚于今天，不可能"),
        ));
    }
    if birth_date < NaiveDate::from_ymd_opt(1890, 1, 1).expect("valid date") {
        return Err(CmdError::invalid(
            FIELD,
            format!("身份证号码中的出生日期 {birth_date} 早于 1890 年，不可能"),
        ));
    }
    let expected = check_char(body);
    let given = last.chars().next().expect("one character");
    if given != expected {
        return Err(CmdError::invalid(
            FIELD,
            format!("身份证号码校验位错误：最后一位应为 {expected}，请核对是否输错"),
        ));
    }
    let seq = body[14..17].parse::<u32>().expect("digits");
    let sex = if seq % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(IdNumber {
        text,
        birth_date,
        sex,
    })
}

/// Show the first 4 and last 4 characters only, for public notices.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 8));
    out.extend(&chars[chars.len() - 4..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    /// (input, Ok((birth, sex)) or Err(substring of the message))
    fn check(input: &str, want: Result<(&str, Sex), &str>) {
        let got = parse(input, today());
        match (got, want) {
            (Ok(id), Ok((birth, sex))) => {
                assert_eq!(id.birth_date.to_string(), birth, "{input}");
                assert_eq!(id.sex, sex, "{input}");
                assert_eq!(id.text.len(), 18);
            }
            (Err(e), Err(msg)) => {
                assert!(
                    e.message.contains(msg),
                    "{input}: got {:?}, want {msg:?}",
                    e.message
                );
                assert_eq!(e.field.as_deref(), Some("id_number"));
            }
            (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn id_numbers() {
        use Sex::*;
        type Expected<'a> = Result<(&'a str, Sex), &'a str>;
        let cases: &[(&str, Expected)] = &[
            // The GB 11643 example number.
            ("11010519491231002X", Ok(("1949-12-31", Female))),
            ("11010519491231002x", Ok(("1949-12-31", Female))),
            (" 11010519491231002X ", Ok(("1949-12-31", Female))),
            ("440524188001010014", Err("早于 1890 年")),
            ("410102200002290015", Ok(("2000-02-29", Male))),
            ("410102202402290021", Ok(("2024-02-29", Female))),
            ("110105194912310021", Err("校验位错误：最后一位应为 X")),
            ("11010519491231002", Err("应为 18 位，现在是 17 位")),
            ("1101051949123100211", Err("应为 18 位，现在是 19 位")),
            ("", Err("请填写身份证号码")),
            ("11010519491231A02X", Err("前 17 位只能是数字")),
            ("11010519491231002Y", Err("最后一位只能是数字或 X")),
            ("990105194912310028", Err("地区码 990105 格式不正确")),
            ("110000194912310028", Err("地区码 110000 格式不正确")),
            ("410102190002290012", Err("出生日期 19000229 不是有效日期")),
            ("410102202313010012", Err("出生日期 20231301 不是有效日期")),
            ("410102203001010012", Err("晚于今天")),
        ];
        for (input, want) in cases {
            check(input, *want);
        }
    }

    #[test]
    fn check_char_matches_standard_example() {
        assert_eq!(check_char("11010519491231002"), 'X');
    }

    #[test]
    fn mask_keeps_first_and_last_four() {
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
    }
}
