//! Documents of a 低保/特困 case through the command layer: the notice, the approval form and
//! the refusal notice saved as PDFs and put on the case's timeline.

use serde_json::json;

use super::*;

#[test]
fn documents_of_a_case_are_saved_and_on_the_timeline() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    let dir = c.dir.path().to_owned();
    // The 公示 of the village: the head (an adult) with a masked ID, the amount, the period.
    let village = c.village;
    let e = c.err(
        "document.notice",
        json!({"area_id": village, "programme": "dibao", "complaint_phone": " ", "complaint_address": "城关镇民政所"}),
    );
    assert_eq!(e.field.as_deref(), Some("complaint_phone"));
    let e = c.err(
        "document.notice",
        json!({"area_id": village, "programme": "tekun", "complaint_phone": "0371-12345678", "complaint_address": "城关镇民政所"}),
    );
    assert!(e.message.contains("没有正在公示"), "{}", e.message);
    let path = dir.join("公示.pdf");
    c.ok(
        "document.notice",
        json!({"area_id": village, "programme": "dibao", "complaint_phone": "0371-12345678",
               "complaint_address": "城关镇民政所", "path": path}),
    );
    let text = pdf_text(path.to_str().unwrap());
    let head_id = id("19700101", 11);
    assert!(text.contains("张三"), "{text}");
    assert!(!text.contains(&head_id), "no unmasked ID on a notice");
    assert!(
        text.contains(&format!("{}**********{}", &head_id[..4], &head_id[14..])),
        "{text}"
    );
    assert!(text.contains("0371-12345678"));
    let calc = c.ok(
        "benefit.calculate",
        json!({"household_id": h, "programme": "dibao", "month": "2026-11"}),
    );
    let amount: f64 = calc["amount"].as_str().unwrap().parse().unwrap();
    assert!(
        text.contains(&format!("{amount:.2}")) || text.contains(&format_thousands(amount)),
        "{text}"
    );
    // Approve, then the 审批表 with each level's opinion.
    c.sign_in("spr");
    act(&mut c, case, "approve", json!({}));
    let path = dir.join("审批表.pdf");
    c.ok(
        "document.approval_form",
        json!({"case_id": case, "path": path}),
    );
    let text = pdf_text(path.to_str().unwrap());
    for want in [
        "最低生活保障审批表",
        "张三",
        "李梅",
        &id("19720305", 22),
        "情况属实，同意上报",
        "陈审批",
        "王经办",
    ] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
    // No refusal notice for an approved case; a bad path leaves nothing behind.
    let e = c.err("document.refusal_notice", json!({"case_id": case}));
    assert_eq!(e.field.as_deref(), Some("case_id"));
    let e = c.err(
        "document.approval_form",
        json!({"case_id": case, "path": dir.join("x.txt")}),
    );
    assert_eq!(e.field.as_deref(), Some("path"));
    // Each document made is on the timeline.
    let v = c.ok("case.get", json!({"case_id": case}));
    let docs: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["action"] == "document")
        .map(|t| t["data"]["document"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["公示", "审批表"]);
}

fn format_thousands(v: f64) -> String {
    let s = format!("{v:.2}");
    let (int, frac) = s.split_once('.').unwrap();
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{frac}")
}

#[test]
fn a_refused_case_gets_its_written_notice() {
    let mut c = county();
    let h = setup(&mut c);
    let case = to_notice(&mut c, h);
    c.sign_in("spr");
    act(
        &mut c,
        case,
        "refuse",
        json!({"reasons": "家庭有经营性车辆一辆；存款超过限额"}),
    );
    let path = c.dir.path().join("不予批准.pdf");
    c.ok(
        "document.refusal_notice",
        json!({"case_id": case, "path": path}),
    );
    let text = pdf_text(path.to_str().unwrap());
    for want in [
        "不予批准",
        "张三",
        "家庭有经营性车辆一辆",
        "存款超过限额",
        "行政复议",
    ] {
        assert!(text.contains(want), "{want} missing in {text}");
    }
}
