//! 一事一议 dates through the command layer: a coordination meeting (and so the decisions it
//! takes, dated the day it is held) is not registered before the day it is held.

use serde_json::json;

use crate::common::county;

#[test]
fn a_meeting_dated_after_today_is_refused_naming_held_on() {
    let mut c = county();
    c.sign_in("spr");
    let (_, _, audit) = c.counts();
    // Today is 2026-11-23.
    for held_on in ["2026-11-24", "2027-03-01"] {
        let e = c.err(
            "meeting.create",
            json!({"held_on": held_on, "place": "县民政局三楼会议室", "chair": "副县长 刘明", "recorder": "陈审批"}),
        );
        assert_eq!(e.field.as_deref(), Some("held_on"), "{e:?}");
        assert!(
            e.message
                .starts_with(&format!("会议日期 {held_on} 晚于今天")),
            "{}",
            e.message
        );
    }
    assert_eq!(c.counts().2, audit, "nothing written");
    assert_eq!(c.ok("meeting.list", json!({}))["meetings"], json!([]));
    let m = c.ok(
        "meeting.create",
        json!({"held_on": "2026-11-23", "place": "县民政局三楼会议室", "chair": "副县长 刘明", "recorder": "陈审批"}),
    );
    assert_eq!(m["held_on"], "2026-11-23");
}
