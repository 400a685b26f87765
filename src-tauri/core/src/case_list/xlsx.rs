//! The case list as an .xlsx workbook (案件列表): a title, a line saying which cases (filters,
//! search, sort, who exported it and when), then one row per case with the ID number masked.
//! Made in memory; the command saves it atomically or returns it (`commands/files.rs`).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{CmdError, CmdResult};

/// One case as the export shows it (texts as on screen, the amount in fen).
#[derive(Debug, Clone, Default)]
pub struct ExportLine {
    pub number: String,
    pub programme: String,
    pub head_name: String,
    /// Masked (`idcard::mask`): the list never shows a whole ID number.
    pub head_id_number: String,
    pub township: String,
    pub village: String,
    pub state: String,
    pub applied_on: String,
    pub amount_fen: Option<i64>,
    pub persons: Option<u32>,
    pub deadline: String,
    pub updated_at: String,
}

const HEADS: [&str; 13] = [
    "序号",
    "案件编号",
    "项目",
    "户主",
    "身份证号（脱敏）",
    "乡镇（街道）",
    "村（社区）",
    "状态",
    "申请日期",
    "月保障金额（元）",
    "保障人数",
    "办理期限",
    "最近变动",
];

/// The workbook's bytes: `title` on the first row, `note` on the second, the heads, the lines.
pub fn xlsx(title: &str, note: &str, lines: &[ExportLine]) -> CmdResult<Vec<u8>> {
    fill(title, note, lines).map_err(|e| CmdError::internal(format!("写入案件列表 xlsx 失败：{e}")))
}

fn fill(title: &str, note: &str, lines: &[ExportLine]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet().set_name("案件列表")?;
    sheet.write_string_with_format(0, 0, title, &bold)?;
    sheet.write_string(1, 0, note)?;
    for (c, h) in HEADS.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, l) in lines.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        let texts = [
            &l.number,
            &l.programme,
            &l.head_name,
            &l.head_id_number,
            &l.township,
            &l.village,
            &l.state,
            &l.applied_on,
        ];
        for (c, t) in texts.iter().enumerate() {
            sheet.write_string(row, 1 + c as u16, t.as_str())?;
        }
        if let Some(fen) = l.amount_fen {
            // Whole fen over 100 is exact to the cent in a double for any real amount.
            sheet.write_number_with_format(row, 9, fen as f64 / 100.0, &money)?;
        }
        if let Some(p) = l.persons {
            sheet.write_number(row, 10, f64::from(p))?;
        }
        sheet.write_string(row, 11, &l.deadline)?;
        sheet.write_string(row, 12, &l.updated_at)?;
    }
    let total = 3 + lines.len() as u32;
    sheet.write_string_with_format(total, 0, format!("合计 {} 件", lines.len()), &bold)?;
    let sum: i64 = lines.iter().filter_map(|l| l.amount_fen).sum();
    sheet.write_number_with_format(total, 9, sum as f64 / 100.0, &money)?;
    for (c, w) in [
        (1, 16.0),
        (3, 10.0),
        (4, 20.0),
        (5, 14.0),
        (6, 14.0),
        (9, 16.0),
        (12, 18.0),
    ] {
        sheet.set_column_width(c, w)?;
    }
    book.save_to_buffer()
}
