//! Cases for the standards: the catalogue, checking a row, and picking the value in force.

use std::collections::HashSet;

use super::*;

fn row(key: &str, scope: Scope, value: &str) -> StandardRow {
    StandardRow {
        key: key.to_owned(),
        scope,
        effective_from: day("2023-01-01"),
        value: value.to_owned(),
    }
}

fn checked(
    key: &'static str,
    scope: Scope,
    value: &'static str,
) -> impl Fn() -> CmdResult<Outcome> {
    move || validate_row(&row(key, scope, value)).map(|()| lines_only(Trail::default()))
}

#[test]
fn standard_row_cases() {
    use Scope::{All, Rural, Urban};
    #[rustfmt::skip]
    let cases = vec![
        err("an unknown key", checked("dibao.foo", All, "1"), "key", "没有名为“dibao.foo”的保障标准项"),
        err("a per-area key for the whole county", checked("dibao.standard", All, "66000"), "scope", "“低保标准”分城市和农村分别设置，请选择城市或农村"),
        err("a county-wide key for towns only", checked("orphan.scattered", Urban, "130000"), "scope", "全县统一设置"),
        err("money that is not a number", checked("dibao.standard", Rural, "六百六"), "value", "农村低保标准的值“六百六”有误：应为以分为单位的整数金额"),
        err("negative money", checked("dibao.standard", Rural, "-100"), "value", "金额不能为负数"),
        err("a ratio out of range", checked("dibao.employment_cost.ratio", All, "1.5"), "value", "应在 0 到 1 之间"),
        err("a ratio that is not a number", checked("tekun.basic.ratio", All, "abc"), "value", "应为小数、百分数或分数"),
        err("an unknown choice", checked("grant.rounding", All, "jiao"), "value", "只能是 fen（精确到分）"),
        err("temp tiers that are not a list", checked("temp.tiers", All, "{}"), "value", "应为 JSON 列表"),
        err("a temp tier without its multiple", checked("temp.tiers", All, r#"[{"code":"a","label":"一档","kind":"emergency"}]"#), "value", "第 1 项缺少“multiple”"),
        err("dibao tiers out of order", checked("dibao.tiers", All, r#"[{"below":"0.5","pay":"0.5"},{"below":"0.3","pay":"0.8"}]"#), "value", "从小到大"),
        err("voluntary exit months above 3", checked("exit.voluntary_months", All, "4"), "value", "应为 1 到 3 之间的整数"),
        ok("a fraction", checked("tekun.care.fraction.partial", All, "1/6"), 0, &[]),
        ok("a percentage", checked("dibao.employment_cost.ratio", All, "30%"), 0, &[]),
        err("a temp tier's cap on an unknown standard", checked("temp.tiers", All, r#"[{"code":"a","label":"一档","kind":"emergency","multiple":"3","cap":"3","cap_on":"town"}]"#), "value", "第 1 项的“cap_on”只能是 own（按本户城乡类别）或 urban（按城市低保标准）"),
        err("a temp tier's cap that is not a multiple", checked("temp.tiers", All, r#"[{"code":"a","label":"一档","kind":"emergency","multiple":"3","cap":"三"}]"#), "value", "第 1 项的“cap”"),
        err("a cause cap twice for one cause", checked("temp.cause_caps", All, r#"[{"cause":"living","cap":"3"},{"cause":"living","cap":"4"}]"#), "value", "救助事由“living”重复"),
        err("a cause cap without its cap", checked("temp.cause_caps", All, r#"[{"cause":"living"}]"#), "value", "第 1 项缺少“cap”"),
        ok("a cause capped at 3 × the urban standard", checked("temp.cause_caps", All, r#"[{"cause":"living","cap":"3","cap_on":"urban"}]"#), 0, &[]),
        ok("temp tiers with numbers for multiples", checked("temp.tiers", All, r#"[{"code":"a","label":"一档","kind":"expenditure","multiple":2.5}]"#), 0, &[]),
        err("a stored value that no longer parses",
            || {
                let mut rows = demo_rows();
                rows.push(row("dibao.standard", Scope::Rural, "abc"));
                dibao(&Standards::as_of(&rows, day("2023-06-01")), &hh(Area::Rural, three()))
            },
            "standards", "农村低保标准（2023-01-01 起执行）的值“abc”有误"),
        ok("a standard edited later does not change an earlier month",
            || {
                let mut rows = demo_rows();
                rows.push(StandardRow { effective_from: day("2023-07-01"), ..row("dibao.standard", Scope::Rural, "70000") });
                dibao(&Standards::as_of(&rows, day("2023-06-30")), &hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]))
            },
            66000,
            &["农村低保标准：660.00 元/人·月（2023-01-01 起执行）"]),
        ok("the raised standard applies from its first day",
            || {
                let mut rows = demo_rows();
                rows.push(StandardRow { effective_from: day("2023-07-01"), ..row("dibao.standard", Scope::Rural, "70000") });
                dibao(&Standards::as_of(&rows, day("2023-07-01")), &hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]))
            },
            70000,
            &["农村低保标准：700.00 元/人·月（2023-07-01 起执行）"]),
    ];
    check(cases);
}

#[test]
fn every_default_row_is_valid_and_every_key_has_a_default() {
    let rows = default_rows(day("2023-01-01"));
    for r in rows.iter().chain(demo_rows().iter()) {
        assert_eq!(validate_row(r), Ok(()), "{r:?}");
    }
    let keys: HashSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys.len(), CATALOGUE.len(), "one key each, no duplicates");
    let per_area = CATALOGUE.iter().filter(|d| d.per_area()).count();
    assert_eq!(rows.len(), CATALOGUE.len() + per_area);
}

#[test]
fn as_of_picks_the_latest_row_on_or_before_the_date_with_its_source() {
    let st = st("2022-12-31");
    let l = st.money("dibao.standard", Some(Area::Urban)).unwrap();
    assert_eq!(l.value, 79100);
    assert_eq!(l.source.effective_from, day("2022-01-01"));
    assert_eq!(l.source.label, "城市低保标准");
    assert_eq!(l.source.scope, Scope::Urban);
    let l = super::st("2023-01-01")
        .money("dibao.standard", Some(Area::Urban))
        .unwrap();
    assert_eq!(
        (l.value, l.source.effective_from),
        (87100, day("2023-01-01"))
    );
    let r = super::st("2023-01-01")
        .ratio("tekun.care.fraction.none", None)
        .unwrap();
    assert_eq!(r.source.value, "1/3");
}

#[test]
fn the_trail_names_every_standard_used() {
    let st = st("2023-06-15");
    let out = dibao(&st, &with(hh(Area::Urban, three()), vec![wage(1, 100000)])).unwrap();
    let keys: Vec<&str> = out.trail.sources().map(|s| s.key).collect();
    for k in [
        "dibao.standard",
        "dibao.employment_cost.mode",
        "dibao.employment_cost.ratio",
        "grant.rounding",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    let first = &out.trail.lines[0];
    assert_eq!(first.kind, crate::rules::LineKind::Standard);
    let source = first.source.as_ref().unwrap();
    assert_eq!(source.effective_from.to_string(), "2023-01-01");
    assert_eq!(source.scope, crate::rules::Scope::Urban);
}

#[test]
fn a_temp_aid_cause_may_have_its_own_lower_cap() {
    let caps = r#"[{"cause":"living","cap":"3","cap_on":"urban"},{"cause":"illness","cap":"20"}]"#;
    let capped = st_with("2023-06-15", &[("temp.cause_caps", Scope::All, caps)]);
    // (area, cause, cap in fen): 3 × the urban 871 for 基本生活; a cap above the county's
    // 10 × 660 leaves the county's; other causes the county's.
    for (area, cause, cap_fen) in [
        (Area::Rural, "living", 261_300),
        (Area::Urban, "living", 261_300),
        (Area::Rural, "illness", 660_000),
        (Area::Rural, "fire", 660_000),
    ] {
        let l = temp_aid_limits_for(&capped, area, cause).unwrap();
        assert_eq!(l.cap_fen, cap_fen, "{area:?} {cause}");
        assert_eq!(
            l,
            TempAidLimits {
                cap_fen,
                ..temp_aid_limits(&capped, area).unwrap()
            }
        );
    }
    // By default no cause has its own cap.
    let plain = st("2023-06-15");
    assert_eq!(
        temp_aid_limits_for(&plain, Area::Rural, "living").unwrap(),
        temp_aid_limits(&plain, Area::Rural).unwrap()
    );
}
