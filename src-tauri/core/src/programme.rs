//! The assistance programmes (救助类别) a case or a payment belongs to, with their one set of names.
//!
//! Every floor names a programme through this type: the store keeps its `code`, pages and files
//! show its `label` (低保) and official forms its `full_name` (最低生活保障). A code nothing knows
//! is shown as "—", never as another programme.

/// A programme as the payment table knows it (its CHECK constraint lists these four codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Programme {
    /// 最低生活保障.
    Dibao,
    /// 特困人员救助供养.
    Tekun,
    /// 临时救助.
    TempAid,
    /// 一事一议.
    Deliberation,
}

impl Programme {
    pub const ALL: [Programme; 4] = [
        Programme::Dibao,
        Programme::Tekun,
        Programme::TempAid,
        Programme::Deliberation,
    ];

    /// The stored code: `dibao`, `tekun`, `temp_aid`, `deliberation`.
    pub fn code(self) -> &'static str {
        match self {
            Programme::Dibao => "dibao",
            Programme::Tekun => "tekun",
            Programme::TempAid => "temp_aid",
            Programme::Deliberation => "deliberation",
        }
    }

    pub fn from_code(code: &str) -> Option<Programme> {
        Programme::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The short name used on pages, rosters and statistics: 低保, 特困, 临时救助, 一事一议.
    pub fn label(self) -> &'static str {
        match self {
            Programme::Dibao => "低保",
            Programme::Tekun => "特困",
            Programme::TempAid => "临时救助",
            Programme::Deliberation => "一事一议",
        }
    }

    /// The official name printed on forms and notices.
    pub fn full_name(self) -> &'static str {
        match self {
            Programme::Dibao => "最低生活保障",
            Programme::Tekun => "特困人员救助供养",
            Programme::TempAid => "临时救助",
            Programme::Deliberation => "一事一议",
        }
    }

    /// The short name of a stored code; "—" for a code that is no programme.
    pub fn label_of(code: &str) -> &'static str {
        Programme::from_code(code).map_or("—", Programme::label)
    }

    /// The official name of a stored code; "—" for a code that is no programme.
    pub fn full_name_of(code: &str) -> &'static str {
        Programme::from_code(code).map_or("—", Programme::full_name)
    }

    /// Whether cases of this programme are paid every month (低保, 特困) rather than in stages.
    pub fn is_monthly(self) -> bool {
        matches!(self, Programme::Dibao | Programme::Tekun)
    }
}

impl std::fmt::Display for Programme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_agree() {
        let table = [
            ("dibao", "低保", "最低生活保障"),
            ("tekun", "特困", "特困人员救助供养"),
            ("temp_aid", "临时救助", "临时救助"),
            ("deliberation", "一事一议", "一事一议"),
        ];
        for (code, label, full) in table {
            let p = Programme::from_code(code).unwrap();
            assert_eq!(p.code(), code);
            assert_eq!(p.label(), label);
            assert_eq!(p.full_name(), full);
            assert_eq!(Programme::label_of(code), label);
        }
        // An unknown code is never shown as another programme.
        assert_eq!(Programme::label_of("orphan"), "—");
        assert_eq!(Programme::full_name_of(""), "—");
    }
}
