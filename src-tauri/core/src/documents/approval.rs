//! 审批表: the internal approval form of a 低保, 特困 or 临时救助 case — family, members, income,
//! the calculation trail, the household survey, and each level's opinion with signer, date and
//! seal box. Being internal, it prints full ID numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::layout::{Align, Cell, Layout, Margins, Row, Style, Table};
use super::{check_glyphs, cn_date, required, yuan, DocError, DocResult, BLANK_DATE};
use crate::rules::money;
use crate::rules::Trail;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistanceProgramme {
    Dibao,
    Tekun,
    TempAid,
}

impl AssistanceProgramme {
    fn form_title(self) -> &'static str {
        match self {
            AssistanceProgramme::Dibao => "最低生活保障审批表",
            AssistanceProgramme::Tekun => "特困人员救助供养审批表",
            AssistanceProgramme::TempAid => "临时救助审批表",
        }
    }

    /// The levels that sign, in order. 临时救助: 经办人 → 科室负责人 → 乡镇(街道)负责人 → 县级.
    fn sign_offs(self) -> &'static [SignOffRole] {
        match self {
            AssistanceProgramme::Dibao | AssistanceProgramme::Tekun => &[
                SignOffRole::Caseworker,
                SignOffRole::Township,
                SignOffRole::County,
            ],
            AssistanceProgramme::TempAid => &[
                SignOffRole::Caseworker,
                SignOffRole::SectionHead,
                SignOffRole::Township,
                SignOffRole::County,
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffRole {
    Caseworker,
    SectionHead,
    Township,
    County,
}

impl SignOffRole {
    fn label(self, programme: AssistanceProgramme) -> &'static str {
        match (self, programme) {
            (SignOffRole::Caseworker, _) => "经办人意见",
            (SignOffRole::SectionHead, _) => "科室负责人意见",
            (SignOffRole::Township, AssistanceProgramme::TempAid) => "乡镇（街道）负责人意见",
            (SignOffRole::Township, _) => "乡镇（街道）审核意见",
            (SignOffRole::County, _) => "县级民政部门审批意见",
        }
    }

    /// Whether the level stamps its office seal beside the signature.
    fn sealed(self) -> bool {
        matches!(self, SignOffRole::Township | SignOffRole::County)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalForm {
    pub programme: AssistanceProgramme,
    pub county: String,
    pub township: String,
    pub village: String,
    pub application_no: String,
    pub application_date: NaiveDate,
    pub family: FamilyInfo,
    pub members: Vec<Member>,
    #[serde(default)]
    pub incomes: Vec<IncomeItem>,
    /// The rules' calculation trail, line by line ([`TrailEntry::from_trail`]).
    pub trail: Vec<TrailEntry>,
    /// The result in words, e.g. "拟保障 3 人，月保障金 1,234.00 元".
    pub result: String,
    pub investigation: Investigation,
    /// Opinions given so far; a level without one prints an empty box to sign by hand.
    #[serde(default)]
    pub sign_offs: Vec<SignOff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyInfo {
    pub head: String,
    pub address: String,
    /// 户籍: "城镇", "农村", or the place of registration.
    pub hukou: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    /// 与户主关系: "户主", "配偶", "子女"…
    pub relation: String,
    pub id_number: String,
    /// Free text: "60 岁以上", "重残", "在校学生"…
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomeItem {
    pub member: String,
    /// 工资性收入, 经营净收入, 财产性收入, 转移性收入…
    pub kind: String,
    /// Yearly amount in yuan.
    pub annual_amount: String,
    /// "计入", "豁免", "扣减就业成本"…
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailEntry {
    pub text: String,
    /// Yuan, when the line stands for a sum of money.
    #[serde(default)]
    pub amount: Option<String>,
}

impl TrailEntry {
    /// The printed form of a rules trail.
    pub fn from_trail(trail: &Trail) -> Vec<TrailEntry> {
        trail
            .lines
            .iter()
            .map(|l| TrailEntry {
                text: l.text.clone(),
                amount: l.amount_fen.map(money::fmt_yuan),
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Investigation {
    pub date: NaiveDate,
    pub investigators: Vec<String>,
    pub findings: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub role: SignOffRole,
    pub opinion: String,
    pub signer: String,
    pub date: NaiveDate,
}

fn validate(f: &ApprovalForm) -> DocResult<()> {
    required("county", &f.county, "县（市、区）名称")?;
    required("township", &f.township, "乡镇（街道）名称")?;
    required("application_no", &f.application_no, "申请编号")?;
    required("family.head", &f.family.head, "户主（申请人）姓名")?;
    required("family.address", &f.family.address, "家庭住址")?;
    if f.members.is_empty() {
        return Err(DocError::new(
            "members",
            "缺少家庭成员，审批表至少列出申请人本人",
        ));
    }
    for (i, m) in f.members.iter().enumerate() {
        required(&format!("members[{i}].name"), &m.name, "家庭成员姓名")?;
        required(&format!("members[{i}].relation"), &m.relation, "与户主关系")?;
        required(
            &format!("members[{i}].id_number"),
            &m.id_number,
            "家庭成员身份证号",
        )?;
    }
    if f.trail.is_empty() {
        return Err(DocError::new("trail", "缺少核算过程，请先计算救助金额"));
    }
    required("result", &f.result, "核算结果")?;
    if f.programme != AssistanceProgramme::TempAid && f.investigation.investigators.len() < 2 {
        return Err(DocError::new(
            "investigation.investigators",
            "入户调查须由两名以上工作人员进行并签名，请填写调查人",
        ));
    }
    if f.investigation.investigators.is_empty() {
        return Err(DocError::new(
            "investigation.investigators",
            "缺少入户调查人",
        ));
    }
    required(
        "investigation.findings",
        &f.investigation.findings,
        "入户调查情况",
    )?;
    let levels = f.programme.sign_offs();
    for (i, s) in f.sign_offs.iter().enumerate() {
        if !levels.contains(&s.role) {
            return Err(DocError::new(
                format!("sign_offs[{i}].role"),
                format!(
                    "{}没有“{}”一栏",
                    f.programme.form_title(),
                    s.role.label(f.programme)
                ),
            ));
        }
        required(&format!("sign_offs[{i}].signer"), &s.signer, "签名人")?;
    }
    Ok(())
}

/// Renders the 审批表 of one case.
pub fn approval_form(f: &ApprovalForm) -> DocResult<Vec<u8>> {
    validate(f)?;
    check_glyphs(f)?;
    let title = format!("{}{}", f.county, f.programme.form_title());
    let mut page = Layout::new(&title, Margins::form());
    page.paragraph(&title, Style::title(18.0), Align::Center, 0.0);
    page.space(4.0);
    let small = Style::body(10.5);
    page.two_sided(
        &format!("{}　{}", f.township, f.village),
        &format!(
            "编号：{}　申请日期：{}",
            f.application_no,
            cn_date(f.application_date)
        ),
        small,
    );
    page.space(2.0);

    // Six columns: label, value, label, value, label, value.
    let grid = Table {
        weights: vec![1.1, 1.5, 1.0, 2.3, 0.9, 1.4],
        style: small,
        header: None,
    };
    let mut rows = vec![
        Row::new(vec![
            Cell::label("户主"),
            Cell::new(&f.family.head),
            Cell::label("家庭住址"),
            Cell::new(&f.family.address),
            Cell::label("联系电话"),
            Cell::new(&f.family.phone),
        ]),
        Row::new(vec![
            Cell::label("户籍"),
            Cell::new(&f.family.hukou),
            Cell::label("家庭人口"),
            Cell::new(format!("{} 人", f.members.len())).span(3),
        ]),
    ];
    // Members: name, relation, ID (two columns), note.
    rows.push(Row::new(vec![
        Cell::label("家庭成员"),
        Cell::label("与户主关系"),
        Cell::label("身份证号").span(2),
        Cell::label("备注").span(2),
    ]));
    for m in &f.members {
        rows.push(Row::new(vec![
            Cell::center(&m.name),
            Cell::center(&m.relation),
            Cell::center(&m.id_number).span(2),
            Cell::new(&m.note).span(2),
        ]));
    }
    page.table(&grid, &rows);

    let mut income_rows = vec![Row::new(vec![
        Cell::label("收入成员"),
        Cell::label("收入类型"),
        Cell::label("年收入（元）").span(2),
        Cell::label("计算说明").span(2),
    ])];
    if f.incomes.is_empty() {
        income_rows.push(Row::new(vec![Cell::center("无收入").span(6)]));
    }
    for (i, item) in f.incomes.iter().enumerate() {
        let amount = yuan(
            &format!("incomes[{i}].annual_amount"),
            &item.annual_amount,
            "年收入",
        )?;
        income_rows.push(Row::new(vec![
            Cell::center(&item.member),
            Cell::center(&item.kind),
            Cell::right(amount).span(2),
            Cell::new(&item.note).span(2),
        ]));
    }
    page.table(&grid, &income_rows);

    // The calculation trail: one row per line, amount on the right.
    let trail_table = Table {
        weights: vec![1.1, 5.6, 1.5],
        style: small,
        header: None,
    };
    let mut trail_rows = vec![Row::new(vec![
        Cell::label("核算过程"),
        Cell::label("计算步骤"),
        Cell::label("金额（元）"),
    ])];
    for (i, t) in f.trail.iter().enumerate() {
        let amount = match &t.amount {
            Some(a) => yuan(&format!("trail[{i}].amount"), a, "核算金额")?,
            None => String::new(),
        };
        trail_rows.push(Row::new(vec![
            Cell::center((i + 1).to_string()),
            Cell::new(&t.text),
            Cell::right(amount),
        ]));
    }
    trail_rows.push(Row::new(vec![
        Cell::label("核算结果"),
        Cell::new(&f.result).span(2),
    ]));
    page.table(&trail_table, &trail_rows);

    let two = Table {
        weights: vec![1.1, 7.1],
        style: small,
        header: None,
    };
    let inv = &f.investigation;
    let mut rows = vec![Row::new(vec![
        Cell::label("入户调查情况"),
        Cell::new(&inv.findings).footer(format!(
            "调查人：{}　　{}",
            inv.investigators.join("、"),
            cn_date(inv.date)
        )),
    ])
    .min_height(48.0)];
    for &role in f.programme.sign_offs() {
        let given = f.sign_offs.iter().find(|s| s.role == role);
        let seal = if role.sealed() { "（盖章）　" } else { "" };
        let (opinion, footer) = match given {
            Some(s) => (
                s.opinion.clone(),
                format!("{seal}签名：{}　　{}", s.signer, cn_date(s.date)),
            ),
            None => (
                String::new(),
                format!("{seal}签名：　　　　　　{BLANK_DATE}"),
            ),
        };
        let height = if role.sealed() { 62.0 } else { 44.0 };
        rows.push(
            Row::new(vec![
                Cell::label(role.label(f.programme)),
                Cell::new(opinion).footer(footer),
            ])
            .min_height(height),
        );
    }
    page.table(&two, &rows);
    Ok(page.into_pdf())
}
