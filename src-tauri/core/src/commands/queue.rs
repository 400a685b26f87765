//! 待我处理: the work queue. Each kind of case (低保/特困, 临时救助, 一事一议) lists the items on
//! which the signed-in user can act now, and a member unit the meetings waiting for its opinion;
//! the queue puts overdue ones first, then by deadline.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use super::Session;
use crate::error::CmdResult;

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
    pub village_name: String,
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

/// Everything waiting for the signed-in user, and how much of it is overdue.
#[derive(Serialize, JsonSchema)]
pub(crate) struct QueueReply {
    #[schemars(with = "String")]
    today: NaiveDate,
    overdue: usize,
    items: Vec<QueueItem>,
}

/// `work.queue`: everything waiting for the signed-in user, overdue first.
pub(crate) fn queue(s: &mut Session, _: serde_json::Value) -> CmdResult<QueueReply> {
    let today = s.clock.today();
    let mut items = super::cases::queue_items(s, today)?;
    items.extend(super::deliberation::queue_items(s, today)?);
    items.extend(super::temp_aid::queue_items(s, today)?);
    items.extend(super::meeting::queue_items(s, today)?);
    sort(&mut items);
    let overdue = items.iter().filter(|i| i.overdue).count();
    Ok(QueueReply {
        today,
        overdue,
        items,
    })
}
