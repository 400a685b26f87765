//! The calculation trail: the lines that explain an amount, in the order they were used.
//!
//! A trail is plain data. Each line has a Chinese `text` a caseworker can read aloud, and where a
//! line stands for a sum of money, that sum in fen. Lines for standards carry where the value came
//! from, so that a what-if can tell which households used which standard.

use super::standards::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A standard used, with its value and effective date.
    Standard,
    /// An income item counted or exempted.
    Income,
    /// A deduction from income (employment cost, rigid expenditure), or a cap or floor applied.
    Deduction,
    /// A formula with the numbers put in.
    Formula,
    /// The rounding of the result.
    Rounding,
    /// Anything else worth saying: a condition met or not, a category applied.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrailLine {
    pub kind: LineKind,
    pub text: String,
    pub amount_fen: Option<i64>,
    pub source: Option<Source>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trail {
    pub lines: Vec<TrailLine>,
}

impl Trail {
    pub(crate) fn push(
        &mut self,
        kind: LineKind,
        text: impl Into<String>,
        amount_fen: Option<i64>,
    ) {
        self.lines.push(TrailLine {
            kind,
            text: text.into(),
            amount_fen,
            source: None,
        });
    }

    pub(crate) fn note(&mut self, text: impl Into<String>) {
        self.push(LineKind::Note, text, None);
    }

    /// A standard used: "农村低保标准：660.00 元/月（2023-01-01 起执行）".
    pub(crate) fn standard(&mut self, source: Source, shown: &str, amount_fen: Option<i64>) {
        self.lines.push(TrailLine {
            kind: LineKind::Standard,
            text: format!(
                "{}：{shown}（{} 起执行）",
                source.label, source.effective_from
            ),
            amount_fen,
            source: Some(source),
        });
    }

    /// The text of every line, for display and tests.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|l| l.text.as_str())
    }

    /// Every standard the amount depended on.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.lines.iter().filter_map(|l| l.source.as_ref())
    }
}

/// An amount in fen and the trail that explains it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub amount_fen: i64,
    pub trail: Trail,
}
