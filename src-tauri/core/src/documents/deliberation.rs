//! 一事一议: the township's 申报表 (application to the county coordination mechanism) and the
//! meeting's 会议纪要 (attendance, each member unit's opinion and commitment, the decision).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::layout::{Align, Cell, Layout, Margins, Row, Style, Table};
use super::{check_glyphs, cn_date, required, yuan, DocError, DocResult, BLANK_DATE};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliberationApplication {
    /// The county's name, for the title.
    pub county: String,
    pub number: String,
    pub applicant: String,
    #[serde(default)]
    pub id_number: String,
    pub address: String,
    pub family_situation: String,
    /// The difficulty beyond what the regular programmes cover.
    pub special_matter: String,
    /// What regular programmes already gave.
    #[serde(default)]
    pub regular_aid: Vec<AidReceived>,
    /// Yuan.
    pub proposed_amount: String,
    pub proposed_measures: String,
    pub reporting_unit: String,
    pub officer: String,
    pub report_date: NaiveDate,
    /// e.g. "拟纳入一事一议决策范围"; blank leaves a box to write in.
    #[serde(default)]
    pub township_opinion: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AidReceived {
    pub programme: String,
    /// Yuan.
    pub amount: String,
    #[serde(default)]
    pub note: String,
}

/// Renders the 一事一议 申报表.
pub fn deliberation_application(a: &DeliberationApplication) -> DocResult<Vec<u8>> {
    required("county", &a.county, "县（市、区）名称")?;
    required("number", &a.number, "申报编号")?;
    required("applicant", &a.applicant, "申请人姓名")?;
    required("address", &a.address, "家庭住址")?;
    required("family_situation", &a.family_situation, "家庭基本情况")?;
    required("special_matter", &a.special_matter, "特殊困难事项")?;
    required("proposed_measures", &a.proposed_measures, "拟救助措施")?;
    required("reporting_unit", &a.reporting_unit, "申报单位")?;
    required("officer", &a.officer, "经办人")?;
    let proposed = yuan("proposed_amount", &a.proposed_amount, "拟救助金额")?;
    check_glyphs(a)?;

    let title = format!("{}困难群众“一事一议”救助申报表", a.county);
    let mut page = Layout::new(&title, Margins::form());
    page.paragraph(&title, Style::title(18.0), Align::Center, 0.0);
    page.space(4.0);
    let small = Style::body(10.5);
    page.two_sided(
        &format!("申报单位：{}", a.reporting_unit),
        &format!("编号：{}", a.number),
        small,
    );
    page.space(2.0);
    let grid = Table {
        weights: vec![1.2, 1.6, 1.0, 1.4, 2.0],
        style: small,
        header: None,
    };
    let mut rows = vec![
        Row::new(vec![
            Cell::label("申请人"),
            Cell::new(&a.applicant),
            Cell::label("身份证号"),
            Cell::new(&a.id_number).span(2),
        ]),
        Row::new(vec![Cell::label("家庭住址"), Cell::new(&a.address).span(4)]),
        Row::new(vec![
            Cell::label("家庭基本情况"),
            Cell::new(&a.family_situation).span(4),
        ])
        .min_height(60.0),
        Row::new(vec![
            Cell::label("特殊困难事项"),
            Cell::new(&a.special_matter).span(4),
        ])
        .min_height(60.0),
        Row::new(vec![
            Cell::label("已享受常规救助"),
            Cell::label("救助项目").span(2),
            Cell::label("金额（元）"),
            Cell::label("说明"),
        ]),
    ];
    if a.regular_aid.is_empty() {
        rows.push(Row::new(vec![
            Cell::center("—"),
            Cell::center("无").span(4),
        ]));
    }
    for (i, aid) in a.regular_aid.iter().enumerate() {
        let amount = yuan(
            &format!("regular_aid[{i}].amount"),
            &aid.amount,
            "已救助金额",
        )?;
        rows.push(Row::new(vec![
            Cell::center((i + 1).to_string()),
            Cell::new(&aid.programme).span(2),
            Cell::right(amount),
            Cell::new(&aid.note),
        ]));
    }
    rows.extend([
        Row::new(vec![
            Cell::label("拟救助金额"),
            Cell::new(format!("{proposed} 元")).span(4),
        ]),
        Row::new(vec![
            Cell::label("拟救助措施"),
            Cell::new(&a.proposed_measures).span(4),
        ])
        .min_height(48.0),
        Row::new(vec![
            Cell::label("经办人"),
            Cell::new(&a.officer),
            Cell::label("申报日期"),
            Cell::new(cn_date(a.report_date)).span(2),
        ]),
        Row::new(vec![
            Cell::label("乡镇（街道）意见"),
            Cell::new(&a.township_opinion)
                .span(4)
                .footer(format!("（盖章）　负责人签名：　　　　　　{BLANK_DATE}")),
        ])
        .min_height(70.0),
    ]);
    page.table(&grid, &rows);
    Ok(page.into_pdf())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Agree,
    Disagree,
    AgreeWithChanges,
}

impl Stance {
    fn label(self) -> &'static str {
        match self {
            Stance::Agree => "同意",
            Stance::Disagree => "不同意",
            Stance::AgreeWithChanges => "修改后同意",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approve,
    Reject,
    /// Referred to another programme or body.
    Refer,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Approve => "同意救助",
            Outcome::Reject => "不予救助",
            Outcome::Refer => "转介办理",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitOpinion {
    pub unit: String,
    pub representative: String,
    pub stance: Stance,
    /// What the unit's department will do.
    #[serde(default)]
    pub commitment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// Yuan; required when the outcome is approval.
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub responsible_units: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingMinutes {
    pub county: String,
    /// The 申报表 number and family, e.g. "一议〔2026〕3号 张某某家庭".
    pub subject: String,
    pub date: NaiveDate,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub invited: Vec<String>,
    pub present: Vec<String>,
    #[serde(default)]
    pub absent: Vec<String>,
    pub opinions: Vec<UnitOpinion>,
    pub decision: Decision,
    /// The body of the minutes: discussion and reasons.
    pub minutes: String,
}

fn validate_minutes(m: &MeetingMinutes) -> DocResult<()> {
    required("county", &m.county, "县（市、区）名称")?;
    required("subject", &m.subject, "议题")?;
    required("place", &m.place, "会议地点")?;
    required("chair", &m.chair, "主持人")?;
    required("recorder", &m.recorder, "记录人")?;
    if m.present.is_empty() {
        return Err(DocError::new(
            "present",
            "缺少出席单位，会议纪要须列明出席的成员单位",
        ));
    }
    if m.opinions.is_empty() {
        return Err(DocError::new("opinions", "缺少各成员单位意见"));
    }
    for (i, o) in m.opinions.iter().enumerate() {
        if !m.present.contains(&o.unit) {
            return Err(DocError::new(
                format!("opinions[{i}].unit"),
                format!("“{}”未列为出席单位，不能记录其意见", o.unit),
            ));
        }
    }
    if m.decision.outcome == Outcome::Approve {
        match &m.decision.amount {
            Some(a) if !a.trim().is_empty() => {
                yuan("decision.amount", a, "救助金额")?;
            }
            _ => {
                return Err(DocError::new(
                    "decision.amount",
                    "同意救助的决定须写明救助金额",
                ));
            }
        }
    }
    required("minutes", &m.minutes, "会议纪要正文")?;
    Ok(())
}

/// Renders the 一事一议 会议纪要.
pub fn meeting_minutes(m: &MeetingMinutes) -> DocResult<Vec<u8>> {
    validate_minutes(m)?;
    check_glyphs(m)?;
    let title = format!(
        "{}困难群众基本生活保障工作协调机制“一事一议”会议纪要",
        m.county
    );
    let mut page = Layout::new(&title, Margins::form());
    page.paragraph(&title, Style::title(18.0), Align::Center, 0.0);
    page.space(6.0);
    let small = Style::body(10.5);
    let dash = |v: &[String]| {
        if v.is_empty() {
            "无".to_owned()
        } else {
            v.join("、")
        }
    };
    let grid = Table {
        weights: vec![1.2, 2.4, 1.0, 2.4],
        style: small,
        header: None,
    };
    let rows = vec![
        Row::new(vec![Cell::label("议题"), Cell::new(&m.subject).span(3)]),
        Row::new(vec![
            Cell::label("会议时间"),
            Cell::new(cn_date(m.date)),
            Cell::label("会议地点"),
            Cell::new(&m.place),
        ]),
        Row::new(vec![
            Cell::label("主持人"),
            Cell::new(&m.chair),
            Cell::label("记录人"),
            Cell::new(&m.recorder),
        ]),
        Row::new(vec![
            Cell::label("应邀单位"),
            Cell::new(dash(&m.invited)).span(3),
        ]),
        Row::new(vec![
            Cell::label("出席单位"),
            Cell::new(dash(&m.present)).span(3),
        ]),
        Row::new(vec![
            Cell::label("缺席单位"),
            Cell::new(dash(&m.absent)).span(3),
        ]),
    ];
    page.table(&grid, &rows);
    page.space(8.0);
    page.paragraph("一、各成员单位意见", Style::title(12.0), Align::Left, 0.0);
    page.space(2.0);
    let opinions = Table {
        weights: vec![1.6, 1.1, 1.2, 4.1],
        style: small,
        header: Some(Row::new(vec![
            Cell::label("成员单位"),
            Cell::label("代表"),
            Cell::label("意见"),
            Cell::label("本部门承担的救助措施"),
        ])),
    };
    let rows: Vec<Row> = m
        .opinions
        .iter()
        .map(|o| {
            Row::new(vec![
                Cell::center(&o.unit),
                Cell::center(&o.representative),
                Cell::center(o.stance.label()),
                Cell::new(&o.commitment),
            ])
        })
        .collect();
    page.table(&opinions, &rows);
    page.space(8.0);
    page.paragraph("二、会议决定", Style::title(12.0), Align::Left, 0.0);
    let body = Style::body(12.0);
    let d = &m.decision;
    let mut decision = format!("决定：{}。", d.outcome.label());
    if let Some(a) = d.amount.as_deref().filter(|a| !a.trim().is_empty()) {
        decision.push_str(&format!(
            "救助金额 {} 元。",
            yuan("decision.amount", a, "救助金额")?
        ));
    }
    if !d.measures.trim().is_empty() {
        decision.push_str(&format!("救助措施：{}", d.measures));
    }
    page.paragraph(&decision, body, Align::Left, 2.0);
    if !d.responsible_units.is_empty() {
        page.paragraph(
            &format!("责任单位：{}。", d.responsible_units.join("、")),
            body,
            Align::Left,
            2.0,
        );
    }
    page.space(6.0);
    page.paragraph("三、会议纪要", Style::title(12.0), Align::Left, 0.0);
    page.paragraph(&m.minutes, body, Align::Left, 2.0);
    page.space(8.0);
    page.paragraph("出席单位代表签名：", Style::title(12.0), Align::Left, 0.0);
    page.space(2.0);
    let signatures = Table {
        weights: vec![1.0, 1.0, 1.0, 1.0],
        style: small,
        header: None,
    };
    let mut rows = Vec::new();
    for chunk in m.present.chunks(2) {
        let mut cells = Vec::new();
        for unit in chunk {
            cells.push(Cell::label(unit));
            cells.push(Cell::new(""));
        }
        if chunk.len() == 1 {
            cells.push(Cell::new("").span(2));
        }
        rows.push(Row::new(cells).min_height(24.0));
    }
    rows.push(
        Row::new(vec![
            Cell::label("主持人"),
            Cell::new(""),
            Cell::label("记录人"),
            Cell::new(""),
        ])
        .min_height(24.0),
    );
    rows.push(
        Row::new(vec![
            Cell::label("审批人"),
            Cell::new(""),
            Cell::label("审批日期"),
            Cell::right(BLANK_DATE),
        ])
        .min_height(24.0),
    );
    page.table(&signatures, &rows);
    Ok(page.into_pdf())
}
