//! 待我处理: the work queue. Each kind of case (低保/特困, 临时救助, 一事一议) lists the items on
//! which the signed-in user can act now, and a member unit the meetings waiting for its opinion;
//! the queue puts overdue ones first, then by deadline, filtered by kind, village or periodic
//! reviews (定期核查, which `case.review_batch` takes in a batch), with the count of each kind and
//! village before the filter.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::{input, Session};
use crate::error::{CmdError, CmdResult};
use crate::store::{self, areas::Level};
use crate::work_queue::{choices, Choice, QueueFilter, Seen};

/// One case waiting for the signed-in user.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct QueueItem {
    /// `case` (低保/特困), `temp_aid` (临时救助), `deliberation` (一事一议) or `meeting` (a
    /// 协调会议 waiting for a member unit's opinion; `id` is the meeting's).
    pub kind: &'static str,
    /// 低保 / 特困 / 临时救助 / 一事一议.
    pub kind_label: String,
    pub id: i64,
    pub number: String,
    pub household_id: Option<i64>,
    pub head_name: String,
    pub township_name: String,
    pub village_id: Option<i64>,
    pub village_name: String,
    /// A 低保/特困 case's version: send it back as `expected_version`.
    pub version: Option<i64>,
    /// A 定期核查 this user may record in a batch (`case.review_batch`).
    pub batch_review: bool,
    pub state_label: String,
    /// What the case waits for, in words.
    pub waiting_for: String,
    /// Labels of the steps this user may take now.
    pub actions: Vec<String>,
    #[schemars(with = "Option<String>")]
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
}

/// Overdue first, then the nearest deadline, then those without one; oldest case first on ties.
pub(crate) fn sort(items: &mut [QueueItem]) {
    items.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| match (a.deadline, b.deadline) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// A value of a filter, with how many items have it before filtering.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Facet {
    /// The kind's code or the village's id, as the filter takes it.
    value: String,
    label: String,
    count: usize,
}

/// What waits for the signed-in user (as filtered), and how much of it is overdue.
#[derive(Serialize, JsonSchema)]
pub(crate) struct QueueReply {
    #[schemars(with = "String")]
    today: NaiveDate,
    overdue: usize,
    /// Items before any filter.
    total: usize,
    kinds: Vec<Facet>,
    villages: Vec<Facet>,
    /// Periodic reviews that may be recorded in a batch, before any filter.
    batch_reviews: usize,
    items: Vec<QueueItem>,
}

/// `work.queue`: everything waiting for the signed-in user, overdue first, filtered.
pub(crate) fn queue(s: &mut Session, v: serde_json::Value) -> CmdResult<QueueReply> {
    let f: QueueFilter = if v.is_null() {
        QueueFilter::default()
    } else {
        input(v)?
    };
    f.check()?;
    if let Some(id) = f.village_id {
        if store::areas::get(&s.conn, id)?.is_none_or(|a| a.level != Level::Village) {
            let msg = format!("村（社区）{id} 不存在，请从列表中选择");
            return Err(CmdError::invalid("village_id", msg));
        }
    }
    let today = s.clock.today();
    let mut items = super::cases::queue_items(s, today)?;
    items.extend(super::deliberation::queue_items(s, today)?);
    items.extend(super::temp_aid::queue_items(s, today)?);
    items.extend(super::meeting::queue_items(s, today)?);
    for it in items.iter_mut().filter(|it| it.village_id.is_none()) {
        if let Some(h) = it.household_id {
            it.village_id = store::registry::household(&s.conn, h)?.map(|h| h.facts.village_id);
        }
    }
    sort(&mut items);
    let (kinds, villages) = choices(items.iter().map(seen));
    let (total, batch_reviews) = (
        items.len(),
        items.iter().filter(|it| it.batch_review).count(),
    );
    items.retain(|it| f.keeps(&seen(it)));
    let facet = |(value, label, count): Choice| Facet {
        value,
        label,
        count,
    };
    Ok(QueueReply {
        today,
        overdue: items.iter().filter(|i| i.overdue).count(),
        total,
        kinds: kinds.into_iter().map(facet).collect(),
        villages: villages.into_iter().map(facet).collect(),
        batch_reviews,
        items,
    })
}

fn seen(it: &QueueItem) -> Seen<'_> {
    Seen {
        kind: it.kind,
        village_id: it.village_id,
        village: (&it.township_name, &it.village_name),
        batch_review: it.batch_review,
    }
}
