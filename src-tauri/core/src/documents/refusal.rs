//! 不予批准通知书: the written refusal, with its reasons and the applicant's rights of appeal
//! (administrative review within 60 days, or a lawsuit within 6 months).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::layout::{Align, Layout, Margins, Style};
use super::{check_glyphs, cn_date, required, DocError, DocResult};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusalNotice {
    /// 文号, e.g. "清民救不〔2026〕12号".
    pub number: String,
    /// The applicant, e.g. "张三".
    pub addressee: String,
    pub application_date: NaiveDate,
    /// "最低生活保障", "特困人员救助供养", "临时救助"…
    pub programme: String,
    /// One paragraph per reason.
    pub reasons: Vec<String>,
    /// Where to apply for administrative review, e.g. "清河县人民政府".
    pub review_body: String,
    /// Where to sue, e.g. "清河县人民法院".
    pub court: String,
    pub issuing_office: String,
    pub issue_date: NaiveDate,
}

/// Days for an administrative review (行政复议法) and months for a lawsuit (行政诉讼法).
const REVIEW_DAYS: &str = "六十日";
const LAWSUIT_MONTHS: &str = "六个月";

/// Renders the 不予批准通知书 on an official-document page (GB/T 9704 margins).
pub fn refusal_notice(r: &RefusalNotice) -> DocResult<Vec<u8>> {
    required("number", &r.number, "文号")?;
    required("addressee", &r.addressee, "申请人姓名")?;
    required("programme", &r.programme, "申请的救助项目")?;
    required("review_body", &r.review_body, "行政复议机关")?;
    required("court", &r.court, "管辖人民法院")?;
    required("issuing_office", &r.issuing_office, "发文单位")?;
    if r.reasons.iter().all(|x| x.trim().is_empty()) {
        return Err(DocError::new(
            "reasons",
            "缺少不予批准的理由，通知书须写明理由",
        ));
    }
    if r.issue_date < r.application_date {
        return Err(DocError::new(
            "issue_date",
            "通知日期早于申请日期，请核对日期",
        ));
    }
    check_glyphs(r)?;

    let title = format!("{}不予批准通知书", r.programme);
    let mut page = Layout::new(&title, Margins::official());
    page.paragraph(&title, Style::title(22.0), Align::Center, 0.0);
    page.space(4.0);
    let body = Style::body(15.0);
    page.paragraph(&r.number, Style::body(12.0), Align::Center, 0.0);
    page.space(10.0);
    page.paragraph(&format!("{}：", r.addressee), body, Align::Left, 0.0);
    page.paragraph(
        &format!(
            "你（你家庭）于{}提出的{}申请，经审核，不符合相关条件，决定不予批准。理由如下：",
            cn_date(r.application_date),
            r.programme
        ),
        body,
        Align::Left,
        2.0,
    );
    let reasons: Vec<&String> = r.reasons.iter().filter(|x| !x.trim().is_empty()).collect();
    for (i, reason) in reasons.iter().enumerate() {
        let text = if reasons.len() > 1 {
            format!("{}、{}", cn_number(i + 1), reason.trim())
        } else {
            reason.trim().to_owned()
        };
        page.paragraph(&text, body, Align::Left, 2.0);
    }
    page.paragraph(
        &format!(
            "如对本决定不服，可以自收到本通知书之日起{REVIEW_DAYS}内向{}申请行政复议，也可以自收到本通知书之日起{LAWSUIT_MONTHS}内依法向{}提起行政诉讼。",
            r.review_body, r.court
        ),
        body,
        Align::Left,
        2.0,
    );
    page.paragraph("特此通知。", body, Align::Left, 2.0);
    page.space(40.0);
    page.keep(body.line_height() * 3.0);
    page.paragraph(
        &format!("{}（盖章）", r.issuing_office),
        body,
        Align::Right,
        0.0,
    );
    page.paragraph(&cn_date(r.issue_date), body, Align::Right, 0.0);
    page.space(30.0);
    page.rule(0.6);
    page.space(2.0);
    page.paragraph(
        "申请人签收：　　　　　　　　　　　签收日期：　　年　　月　　日",
        Style::body(12.0),
        Align::Left,
        0.0,
    );
    Ok(page.into_pdf())
}

/// 1 → "一", … 10 → "十", 11 → "十一"; reasons rarely number past twenty.
fn cn_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}
