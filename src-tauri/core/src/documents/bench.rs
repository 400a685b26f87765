//! Document benchmark: render each sample document several times and report the median time and
//! the PDF's size against the targets (2,000-row 公示 ≤ 300 ms and ≤ 500 KB; 审批表 ≤ 100 KB).

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::{samples, write_atomically, AssistanceProgramme, DocResult};

pub const NOTICE_ROWS: usize = 2000;
pub const NOTICE_TARGET_MS: f64 = 300.0;
pub const NOTICE_TARGET_KB: f64 = 500.0;
pub const FORM_TARGET_KB: f64 = 100.0;
const RUNS: usize = 7;

#[derive(Debug, Clone)]
pub struct DocFigures {
    pub name: &'static str,
    pub median: Duration,
    pub bytes: usize,
    /// (time in ms, size in KB) targets, where the issue sets them.
    pub target: Option<(Option<f64>, f64)>,
}

#[derive(Debug, Clone)]
pub struct DocumentsReport {
    /// Parsing the three shipped fonts, once per process.
    pub font_load: Duration,
    pub docs: Vec<DocFigures>,
}

impl fmt::Display for DocumentsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "字体加载（每个进程一次）：{:.0} ms；每份文档取 {RUNS} 次的中位数",
            self.font_load.as_secs_f64() * 1e3
        )?;
        writeln!(f, "{:<28} {:>9} {:>9}  target", "document", "ms", "KB")?;
        for d in &self.docs {
            let ms = d.median.as_secs_f64() * 1e3;
            let kb = d.bytes as f64 / 1024.0;
            let target = match d.target {
                Some((t_ms, t_kb)) => {
                    let ok = t_ms.is_none_or(|t| ms <= t) && kb <= t_kb;
                    let time = t_ms.map(|t| format!("≤ {t:.0} ms, ")).unwrap_or_default();
                    format!("{time}≤ {t_kb:.0} KB {}", if ok { "ok" } else { "MISSED" })
                }
                None => String::new(),
            };
            writeln!(f, "{} {ms:>9.1} {kb:>9.1}  {target}", pad(d.name, 28))?;
        }
        Ok(())
    }
}

/// Pads to `width` terminal columns, counting a Chinese character as two.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn time(
    name: &'static str,
    target: Option<(Option<f64>, f64)>,
    out: Option<&Path>,
    file: &str,
    render: impl Fn() -> DocResult<Vec<u8>>,
) -> DocResult<DocFigures> {
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        bytes = render()?;
        times.push(t.elapsed());
    }
    times.sort();
    if let Some(dir) = out {
        write_atomically(&dir.join(file), &bytes)?;
    }
    Ok(DocFigures {
        name,
        median: times[RUNS / 2],
        bytes: bytes.len(),
        target,
    })
}

/// Renders every sample document; with `out`, also saves the PDFs there (for a look).
pub fn documents_bench(out: Option<&Path>) -> DocResult<DocumentsReport> {
    let t = Instant::now();
    super::fonts::fonts();
    let font_load = t.elapsed();
    let notice = samples::notice(NOTICE_ROWS);
    let dibao = samples::approval_form(AssistanceProgramme::Dibao);
    let temp = samples::approval_form(AssistanceProgramme::TempAid);
    let application = samples::deliberation_application();
    let minutes = samples::meeting_minutes();
    let refusal = samples::refusal_notice();
    let docs = vec![
        time(
            "公示 2,000 行",
            Some((Some(NOTICE_TARGET_MS), NOTICE_TARGET_KB)),
            out,
            "notice-2000.pdf",
            || super::notice(&notice),
        )?,
        time(
            "审批表（低保，一页）",
            Some((None, FORM_TARGET_KB)),
            out,
            "approval-dibao.pdf",
            || super::approval_form(&dibao),
        )?,
        time(
            "审批表（临时救助）",
            Some((None, FORM_TARGET_KB)),
            out,
            "approval-temp-aid.pdf",
            || super::approval_form(&temp),
        )?,
        time(
            "一事一议 申报表",
            None,
            out,
            "deliberation-application.pdf",
            || super::deliberation_application(&application),
        )?,
        time(
            "一事一议 会议纪要",
            None,
            out,
            "meeting-minutes.pdf",
            || super::meeting_minutes(&minutes),
        )?,
        time(
            "不予批准通知书",
            None,
            out,
            "refusal-notice.pdf",
            || super::refusal_notice(&refusal),
        )?,
    ];
    Ok(DocumentsReport { font_load, docs })
}
