//! 公示: the public notice posted in a village or township before approval.
//!
//! Privacy is enforced here, whatever the caller passes: ID numbers are masked to the first and
//! last four characters, anyone under 18 on the first day of the notice period is left off (by
//! the birth date given, or else the one in the ID number), and [`NoticeRow`] has no field for a
//! bank account, a diagnosis or a disability, so none can reach the sheet.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::layout::{Align, Cell, Layout, Margins, Row, Style, Table};
use super::{check_glyphs, check_glyphs_at, cn_date, required, yuan, DocError, DocResult};
use crate::idcard;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// e.g. "清河县城关镇东关村 2026年11月 城乡居民最低生活保障 拟纳入对象公示".
    pub title: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub issuing_office: String,
    pub issue_date: NaiveDate,
    pub complaint_phone: String,
    pub complaint_address: String,
    pub rows: Vec<NoticeRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeRow {
    pub name: String,
    /// Printed masked; the ID column appears only when some row has a number.
    #[serde(default)]
    pub id_number: Option<String>,
    /// Used only to leave minors off; never printed.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    pub village: String,
    #[serde(default)]
    pub group: Option<String>,
    pub persons: u32,
    /// "城市低保", "农村特困（分散）"…
    pub programme: String,
    /// Monthly amount in yuan, e.g. "1234.50".
    pub monthly_amount: String,
}

/// Age at which a person is no longer a minor.
const ADULT_AGE: u32 = 18;

/// The birth date in an 18-digit ID number, if it holds a valid one.
fn birth_from_id(id: &str) -> Option<NaiveDate> {
    let id = id.trim();
    if id.len() != 18 || !id.is_ascii() {
        return None;
    }
    NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").ok()
}

/// Whether the person is under 18 on `day`; unknown birth dates count as adults only when the
/// caller gave neither a birth date nor a readable ID number.
fn is_minor(row: &NoticeRow, day: NaiveDate) -> bool {
    let birth = row
        .birth_date
        .or_else(|| row.id_number.as_deref().and_then(birth_from_id));
    match birth {
        Some(b) => day.years_since(b).is_none_or(|age| age < ADULT_AGE),
        None => false,
    }
}

/// The rows that may be shown, with their index in the input: minors left off.
fn public_rows(notice: &Notice) -> Vec<(usize, &NoticeRow)> {
    notice
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !is_minor(r, notice.period_from))
        .collect()
}

/// Renders a 公示 sheet. Refuses an empty notice (also when only minors were listed), a period
/// that ends before it starts, and missing office or complaint channels.
pub fn notice(n: &Notice) -> DocResult<Vec<u8>> {
    required("title", &n.title, "公示标题")?;
    required("issuing_office", &n.issuing_office, "公示单位")?;
    required("complaint_phone", &n.complaint_phone, "监督举报电话")?;
    required("complaint_address", &n.complaint_address, "监督举报地址")?;
    if n.period_to < n.period_from {
        return Err(DocError::new(
            "period_to",
            format!(
                "公示结束日期 {} 早于开始日期 {}，请改正公示期",
                cn_date(n.period_to),
                cn_date(n.period_from)
            ),
        ));
    }
    if n.rows.is_empty() {
        return Err(DocError::new("rows", "公示名单为空，没有可公示的对象"));
    }
    for (i, r) in n.rows.iter().enumerate() {
        required(&format!("rows[{i}].name"), &r.name, "姓名")?;
        required(&format!("rows[{i}].village"), &r.village, "所在村（社区）")?;
        required(&format!("rows[{i}].programme"), &r.programme, "救助类别")?;
    }
    let rows = public_rows(n);
    if rows.is_empty() {
        return Err(DocError::new(
            "rows",
            format!(
                "名单中的 {} 人均为未成年人，未成年人不得公示，没有可公示的对象",
                n.rows.len()
            ),
        ));
    }
    // Only what is printed must be printable: a minor's name, left off, is not checked.
    check_glyphs(&Notice {
        rows: Vec::new(),
        ..n.clone()
    })?;
    for (index, r) in &rows {
        check_glyphs_at(&format!("rows[{index}]"), r)?;
    }

    let with_id = rows.iter().any(|(_, r)| r.id_number.is_some());
    let mut header = vec![Cell::label("序号"), Cell::label("姓名")];
    // Points, scaled to the content width (467 pt): an 18-character masked ID and
    // "农村特困（分散）" fit on one line at 10.5 pt.
    let mut weights = vec![30.0, 50.0];
    if with_id {
        header.push(Cell::label("身份证号"));
        weights.push(106.0);
    }
    header.extend([
        Cell::label("村（社区）"),
        Cell::label("组"),
        Cell::label("保障人数"),
        Cell::label("救助类别"),
        Cell::label("月救助金额（元）"),
    ]);
    weights.extend([54.0, 32.0, 34.0, 93.0, 68.0]);

    let mut body = Vec::with_capacity(rows.len());
    for (i, (index, r)) in rows.iter().enumerate() {
        let amount = yuan(
            &format!("rows[{index}].monthly_amount"),
            &r.monthly_amount,
            "月救助金额",
        )?;
        let mut cells = vec![Cell::center((i + 1).to_string()), Cell::center(&r.name)];
        if with_id {
            cells.push(Cell::center(
                r.id_number.as_deref().map(idcard::mask).unwrap_or_default(),
            ));
        }
        cells.extend([
            Cell::center(&r.village),
            Cell::center(r.group.clone().unwrap_or_default()),
            Cell::center(r.persons.to_string()),
            Cell::center(&r.programme),
            Cell::right(amount),
        ]);
        body.push(Row::new(cells));
    }

    let mut page = Layout::new(&n.title, Margins::form());
    page.paragraph(&n.title, Style::title(18.0), Align::Center, 0.0);
    page.space(6.0);
    page.paragraph(
        &format!(
            "根据社会救助有关规定，经入户调查、家庭经济状况核对和乡镇（街道）审核，现将下列拟救助对象予以公示。公示期自{}至{}。如有异议，请在公示期内向公示单位反映。",
            cn_date(n.period_from),
            cn_date(n.period_to)
        ),
        Style::body(12.0),
        Align::Left,
        2.0,
    );
    page.space(6.0);
    let table = Table {
        weights,
        style: Style::body(10.5),
        header: Some(Row::new(header)),
    };
    page.table(&table, &body);
    page.space(8.0);
    let small = Style::body(12.0);
    page.keep(small.line_height() * 5.0);
    page.paragraph(
        &format!("监督举报电话：{}", n.complaint_phone),
        small,
        Align::Left,
        0.0,
    );
    page.paragraph(
        &format!("监督举报地址：{}", n.complaint_address),
        small,
        Align::Left,
        0.0,
    );
    page.space(10.0);
    page.paragraph(&n.issuing_office, small, Align::Right, 0.0);
    page.paragraph(&cn_date(n.issue_date), small, Align::Right, 0.0);
    Ok(page.into_pdf())
}
