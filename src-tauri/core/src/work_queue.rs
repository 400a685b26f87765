//! 待我处理's filters, decided without the database: the kinds of item with their labels, a
//! filter as typed (`kind`, `village_id`, `reviews_only`; field `kind` names a bad kind), which
//! items it keeps, and the count of each kind and village before filtering (the filter's
//! choices). The command (`commands/queue.rs`) gathers the items and replies.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{CmdError, CmdResult};

/// The kinds of item, with their labels.
pub const KINDS: [(&str, &str); 4] = [
    ("case", "低保/特困"),
    ("temp_aid", "临时救助"),
    ("deliberation", "一事一议"),
    ("meeting", "协调会议"),
];

/// `work.queue`'s input: every part optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueFilter {
    /// `case`, `temp_aid` or `deliberation`.
    pub kind: Option<String>,
    pub village_id: Option<i64>,
    /// Only the periodic reviews (定期核查) that may be recorded in a batch.
    #[serde(default)]
    pub reviews_only: bool,
}

/// What the filter looks at in an item.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub kind: &'a str,
    pub village_id: Option<i64>,
    /// "乡镇 村", the village's label in the filter.
    pub village: (&'a str, &'a str),
    pub batch_review: bool,
}

/// One choice of a filter with the number of items that have it: (value, label, count).
pub type Choice = (String, String, usize);

impl QueueFilter {
    /// A known kind (or none); the village is checked against the areas by the command.
    pub fn check(&self) -> CmdResult<()> {
        match self.kind.as_deref() {
            Some(k) if !KINDS.iter().any(|(c, _)| *c == k) => {
                let codes: Vec<String> = KINDS.iter().map(|(c, l)| format!("{c}（{l}）")).collect();
                Err(CmdError::invalid(
                    "kind",
                    format!("类别“{k}”无效，可选：{}", codes.join("、")),
                ))
            }
            _ => Ok(()),
        }
    }

    pub fn keeps(&self, it: &Seen<'_>) -> bool {
        self.kind.as_deref().is_none_or(|k| k == it.kind)
            && self.village_id.is_none_or(|v| it.village_id == Some(v))
            && (!self.reviews_only || it.batch_review)
    }
}

/// The kinds (in [`KINDS`]' order) and villages (by label) of `items`, each with its count.
pub fn choices<'a>(items: impl Iterator<Item = Seen<'a>>) -> (Vec<Choice>, Vec<Choice>) {
    let (mut kinds, mut villages) = (BTreeMap::new(), BTreeMap::new());
    for it in items {
        *kinds.entry(it.kind).or_insert(0) += 1;
        if let Some(id) = it.village_id {
            let label = format!("{} {}", it.village.0, it.village.1);
            *villages.entry((label, id)).or_insert(0) += 1;
        }
    }
    let kinds = (KINDS.iter())
        .filter_map(|(code, label)| Some((code.to_string(), label.to_string(), *kinds.get(code)?)))
        .collect();
    let villages = (villages.into_iter())
        .map(|((label, id), count)| (id.to_string(), label, count))
        .collect();
    (kinds, villages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(
        kind: &'static str,
        village_id: i64,
        village: &'static str,
        review: bool,
    ) -> Seen<'static> {
        Seen {
            kind,
            village_id: Some(village_id),
            village: ("城关镇", village),
            batch_review: review,
        }
    }

    #[test]
    fn a_filter_keeps_its_kind_village_and_reviews() {
        let items = [
            seen("case", 5, "李庄村", true),
            seen("case", 6, "王庄村", false),
            seen("temp_aid", 5, "李庄村", false),
        ];
        // (filter, the items kept)
        let f = |kind: Option<&str>, village_id: Option<i64>, reviews_only: bool| QueueFilter {
            kind: kind.map(str::to_owned),
            village_id,
            reviews_only,
        };
        let table = [
            (f(None, None, false), vec![0, 1, 2]),
            (f(Some("case"), None, false), vec![0, 1]),
            (f(None, Some(5), false), vec![0, 2]),
            (f(None, None, true), vec![0]),
            (f(Some("temp_aid"), Some(6), false), vec![]),
        ];
        for (filter, want) in table {
            assert!(filter.check().is_ok());
            let got: Vec<usize> = (0..items.len())
                .filter(|i| filter.keeps(&items[*i]))
                .collect();
            assert_eq!(got, want, "{filter:?}");
        }
        let e = f(Some("dibao"), None, false).check().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("kind"));
        assert!(
            e.message.contains("deliberation（一事一议）"),
            "{}",
            e.message
        );
        let (kinds, villages) = choices(items.iter().copied());
        assert_eq!(
            kinds,
            [
                ("case".into(), "低保/特困".into(), 2),
                ("temp_aid".into(), "临时救助".into(), 1)
            ]
        );
        assert_eq!(
            villages,
            [
                ("5".into(), "城关镇 李庄村".into(), 2),
                ("6".into(), "城关镇 王庄村".into(), 1)
            ]
        );
    }
}
