//! The fields of a 低保/特困 ledger row, the header texts provinces use for each, finding the
//! header row, and proposing which column holds which field.

use super::read::Table;

/// A field of a ledger row: key (for the mapping), Chinese label, required, header synonyms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// Header texts meaning this field, compared after [`normalise`]. The label itself counts.
    pub synonyms: &'static [&'static str],
}

pub const FIELDS: &[Field] = &[
    Field {
        key: "head_name",
        label: "户主姓名",
        required: true,
        synonyms: &[
            "户主",
            "户主名",
            "姓名",
            "户主名称",
            "申请人",
            "申请人姓名",
            "保障对象姓名",
            "户主姓名（申请人）",
        ],
    },
    Field {
        key: "head_id",
        label: "户主身份证号",
        required: true,
        synonyms: &[
            "身份证号",
            "身份证号码",
            "公民身份号码",
            "户主身份证号码",
            "户主公民身份号码",
            "身份证",
            "证件号码",
            "户主证件号码",
            "申请人身份证号",
        ],
    },
    Field {
        key: "township",
        label: "乡镇(街道)",
        required: true,
        synonyms: &[
            "乡镇",
            "乡镇街道",
            "乡镇(街道)",
            "乡(镇、街道)",
            "乡镇名称",
            "所属乡镇",
            "街道",
            "乡(镇)",
            "镇(街道)",
        ],
    },
    Field {
        key: "village",
        label: "村(社区)",
        required: true,
        synonyms: &[
            "村",
            "村社区",
            "村(居)",
            "村(居)委会",
            "村委会",
            "社区",
            "行政村",
            "所属村",
            "村(社区)名称",
            "村居",
        ],
    },
    Field {
        key: "group",
        label: "组",
        required: false,
        synonyms: &["村民小组", "组别", "小组", "村组"],
    },
    Field {
        key: "address",
        label: "家庭住址",
        required: true,
        synonyms: &["住址", "家庭地址", "详细地址", "居住地址", "地址", "现住址"],
    },
    Field {
        key: "hukou",
        label: "户籍",
        required: true,
        synonyms: &[
            "户籍性质",
            "户籍类别",
            "户口性质",
            "户口类别",
            "城乡类别",
            "城乡属性",
            "户籍类型",
        ],
    },
    Field {
        key: "programme",
        label: "保障类别",
        required: true,
        synonyms: &[
            "救助类别",
            "保障类型",
            "救助类型",
            "类别",
            "保障对象类别",
            "对象类别",
            "供养方式",
            "保障类别(低保/特困)",
        ],
    },
    Field {
        key: "persons",
        label: "保障人数",
        required: true,
        synonyms: &[
            "享受人数",
            "保障人口",
            "救助人数",
            "享受保障人数",
            "供养人数",
            "人数",
            "保障人口数",
        ],
    },
    Field {
        key: "amount",
        label: "月保障金额",
        required: true,
        synonyms: &[
            "月保障金",
            "保障金额",
            "月发放金额",
            "月救助金额",
            "保障金",
            "月补助金额",
            "发放金额",
            "月享受金额",
            "月低保金",
            "月保障金(元)",
            "月保障金额(元)",
            "金额(元)",
            "保障金额(元)",
        ],
    },
    Field {
        key: "pay_from",
        label: "起始发放年月",
        required: true,
        synonyms: &[
            "起始发放月份",
            "开始发放年月",
            "发放起始年月",
            "享受起始年月",
            "起始年月",
            "纳入时间",
            "享受时间",
            "保障起始时间",
            "起始时间",
            "纳入年月",
        ],
    },
    Field {
        key: "bank_name",
        label: "开户银行",
        required: false,
        synonyms: &["开户行", "银行", "银行名称", "开户银行名称", "代发银行"],
    },
    Field {
        key: "bank_account",
        label: "银行账号",
        required: false,
        synonyms: &[
            "账号",
            "银行卡号",
            "一卡通账号",
            "社保卡号",
            "存折账号",
            "卡号",
            "银行帐号",
            "帐号",
        ],
    },
    Field {
        key: "phone",
        label: "联系电话",
        required: false,
        synonyms: &["电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"],
    },
    Field {
        key: "members",
        label: "家庭成员",
        required: false,
        synonyms: &[
            "家庭成员情况",
            "成员",
            "共同生活家庭成员",
            "其他成员",
            "家庭成员(姓名、关系、身份证号)",
        ],
    },
];

pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// Header text without spaces, line breaks and the width of brackets.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '、' => ',',
            _ => c,
        })
        .collect()
}

/// The field a header names, if any.
pub fn field_for_header(header: &str) -> Option<&'static Field> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    FIELDS.iter().find(|f| {
        normalise(f.label) == h
            || f.synonyms
                .iter()
                .any(|s| normalise(s).replace('、', ",") == h)
    })
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
pub fn letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = vec![];
    while n > 0 {
        let r = (n - 1) % 26;
        out.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Column letters back to an index.
pub fn index_of_letter(letters: &str) -> Option<usize> {
    let l = letters.trim().to_uppercase();
    if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(
        l.bytes()
            .fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize)
            - 1,
    )
}

/// A column of the file: its letter and header text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub index: usize,
    pub letter: String,
    pub header: String,
}

/// The header row: among the first ten rows, the one naming the most fields (at least two); ties
/// go to the first. Title rows above it ("XX县低保台账") are skipped. Returns its position in
/// `table.rows` and the columns.
pub fn header_row(table: &Table) -> Option<(usize, Vec<Column>)> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in table.rows.iter().take(10).enumerate() {
        let hits = row
            .iter()
            .filter(|c| field_for_header(&c.text()).is_some())
            .count();
        if hits >= 2 && best.is_none_or(|(_, b)| hits > b) {
            best = Some((i, hits));
        }
    }
    let (i, _) = best?;
    let columns = table.rows[i]
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(index, c)| Column {
            index,
            letter: letter(index),
            header: c.text(),
        })
        .collect();
    Some((i, columns))
}

/// For each field, the first column whose header names it.
pub fn propose(columns: &[Column]) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&'static str, usize)> = vec![];
    for c in columns {
        if let Some(f) = field_for_header(&c.header) {
            if !out.iter().any(|(k, _)| *k == f.key) {
                out.push((f.key, c.index));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_provinces_use() {
        let cases = [
            ("户主姓名", Some("head_name")),
            ("公民身份号码", Some("head_id")),
            ("身份证号码", Some("head_id")),
            (" 乡镇（街道） ", Some("township")),
            ("村（社区）", Some("village")),
            ("月保障金", Some("amount")),
            ("月发放金额", Some("amount")),
            ("保障金额（元）", Some("amount")),
            ("享受人数", Some("persons")),
            ("起始发放年月", Some("pay_from")),
            ("户口性质", Some("hukou")),
            ("救助类别", Some("programme")),
            ("家庭成员", Some("members")),
            ("一卡通账号", Some("bank_account")),
            ("备注", None),
            ("", None),
        ];
        for (h, want) in cases {
            assert_eq!(field_for_header(h).map(|f| f.key), want, "{h}");
        }
    }

    #[test]
    fn column_letters_round_trip() {
        for (i, l) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(letter(i), l);
            assert_eq!(index_of_letter(l), Some(i));
        }
        assert_eq!(index_of_letter("a"), Some(0));
        assert_eq!(index_of_letter("1"), None);
    }

    #[test]
    fn every_synonym_names_one_field_only() {
        for f in FIELDS {
            for s in f.synonyms.iter().chain([&f.label]) {
                assert_eq!(field_for_header(s).map(|x| x.key), Some(f.key), "{s}");
            }
        }
    }
}
