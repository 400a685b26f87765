//! 临时救助 tests of what users type: the application, a step's data, the reserve fund's lines,
//! the same-cause warning, the list order and the labels.

use super::*;

/// The field an input is refused on, or `None` when it is accepted.
fn refused<T>(r: crate::error::CmdResult<T>) -> Option<String> {
    r.err().map(|e| e.field.unwrap_or_default())
}

fn application(
    kind: &str,
    cause: &str,
    description: &str,
    on: Option<NaiveDate>,
    amount: Option<&str>,
) -> ApplicationInput {
    ApplicationInput {
        household_id: 1,
        kind: kind.into(),
        cause: cause.into(),
        applied_on: on,
        description: description.into(),
        requested_amount: amount.map(str::to_owned),
    }
}

#[test]
fn an_application_is_checked_field_by_field() {
    let today = d(2026, 11, 23);
    let cases: &[(ApplicationInput, Option<&str>)] = &[
        (
            application("emergency", "fire", "失火", None, Some("2000")),
            None,
        ),
        (
            application(
                "expenditure",
                "illness",
                "住院",
                Some(d(2026, 11, 1)),
                Some(" "),
            ),
            None,
        ),
        (
            application("urgent", "fire", "失火", None, None),
            Some("kind"),
        ),
        (
            application("emergency", "flood", "失火", None, None),
            Some("cause"),
        ),
        (
            application("emergency", "fire", "  ", None, None),
            Some("description"),
        ),
        (
            application("emergency", "fire", "失火", Some(d(2026, 11, 24)), None),
            Some("applied_on"),
        ),
        (
            application("emergency", "fire", "失火", None, Some("两千")),
            Some("requested_amount"),
        ),
    ];
    for (i, want) in cases {
        let got = check_application(i, today);
        assert_eq!(refused(got.clone()).as_deref(), *want, "{i:?}");
        if let Ok(a) = got {
            assert_eq!(a.applied_on, i.applied_on.unwrap_or(today));
        }
    }
    let a = check_application(
        &application("emergency", "fire", " 失火 ", None, Some("2000")),
        today,
    )
    .unwrap();
    assert_eq!(
        (a.description.as_str(), a.requested_fen),
        ("失火", Some(200_000))
    );
}

fn step(
    action: &str,
    amount: Option<&str>,
    stages: &[(&str, &str)],
    stage_no: Option<u32>,
) -> StepInput {
    StepInput {
        action: action.into(),
        findings: Some(" 属实 ".into()),
        amount: amount.map(str::to_owned),
        stages: (!stages.is_empty()).then(|| {
            stages
                .iter()
                .map(|(m, a)| StageInput {
                    month: m.to_string(),
                    amount: a.to_string(),
                })
                .collect()
        }),
        stage_no,
        ..StepInput::default()
    }
}

#[test]
fn a_steps_data_is_read_or_refused_on_its_field() {
    let cases: &[(StepInput, Result<TempAction, &str>)] = &[
        (step("accept", None, &[], None), Ok(TempAction::Accept)),
        (
            step("record_survey", None, &[], None),
            Ok(TempAction::RecordSurvey {
                findings: "属实".into(),
            }),
        ),
        (
            step("grant_advance", Some("800"), &[], None),
            Ok(TempAction::GrantAdvance { amount_fen: 80_000 }),
        ),
        (step("grant_advance", None, &[], None), Err("amount")),
        (
            step(
                "approve_township",
                Some("1200"),
                &[("2026-11", "600"), ("2026-12", "600")],
                None,
            ),
            Ok(TempAction::ApproveTownship {
                total_fen: 120_000,
                stages: plan(&[(d(2026, 11, 1), 60_000), (d(2026, 12, 1), 60_000)]),
            }),
        ),
        (
            step("approve_county", Some("600"), &[("2026-13", "600")], None),
            Err("stages[0].month"),
        ),
        (
            step("approve_county", Some("600"), &[("2026-12", "x")], None),
            Err("stages[0].amount"),
        ),
        (
            step("pay_stage", None, &[], Some(2)),
            Ok(TempAction::PayStage {
                stage_no: 2,
                reason: String::new(),
            }),
        ),
        (step("pay_stage", None, &[], None), Err("stage_no")),
        (step("grant", None, &[], None), Err("action")),
    ];
    for (i, want) in cases {
        let got = parse_step(i).map_err(|e| e.field.unwrap_or_default());
        assert_eq!(got, want.clone().map_err(str::to_owned), "{}", i.action);
    }
}

#[test]
fn a_steps_data_is_recorded_with_yuan_and_months() {
    let approve = TempAction::ApproveCounty {
        total_fen: 120_000,
        stages: plan(&[(d(2026, 11, 1), 120_000)]),
    };
    let cases = [
        (TempAction::Accept, serde_json::json!({})),
        (
            TempAction::GrantAdvance { amount_fen: 80_050 },
            serde_json::json!({"amount": "800.50"}),
        ),
        (
            approve,
            serde_json::json!({"amount": "1200.00", "stages": [{"no": 1, "month": "2026-11", "amount": "1200.00"}]}),
        ),
        (
            TempAction::PayStage {
                stage_no: 3,
                reason: String::new(),
            },
            serde_json::json!({"stage_no": 3}),
        ),
        (
            TempAction::PayStage {
                stage_no: 2,
                reason: "春节前发放".into(),
            },
            serde_json::json!({"stage_no": 2, "reason": "春节前发放"}),
        ),
    ];
    for (action, want) in cases {
        assert_eq!(step_data(&action), want, "{action:?}");
    }
}

#[test]
fn reserve_fund_lines_are_signed_and_complete() {
    let today = d(2026, 11, 23);
    type Line = Result<(EntryKind, i64), &'static str>;
    type Case = (
        &'static str,
        Option<&'static str>,
        &'static str,
        &'static str,
        &'static str,
        Line,
    );
    let cases: &[Case] = &[
        (
            "refund",
            None,
            "100",
            "R-1",
            "退回",
            Ok((EntryKind::Refund, 10_000)),
        ),
        (
            "refund",
            Some("in"),
            "100",
            "R-1",
            "退回",
            Ok((EntryKind::Refund, 10_000)),
        ),
        (
            "refund",
            Some("out"),
            "100",
            "R-1",
            "退回",
            Err("direction"),
        ),
        (
            "adjustment",
            Some("out"),
            "200",
            "更正",
            "重复",
            Ok((EntryKind::Adjustment, -20_000)),
        ),
        ("adjustment", None, "200", "更正", "重复", Err("direction")),
        ("top_up", None, "200", "更正", "重复", Err("kind")),
        ("refund", None, "0", "R-1", "退回", Err("amount")),
        ("refund", None, "100", " ", "退回", Err("reference")),
        ("refund", None, "100", "R-1", "", Err("note")),
    ];
    for (kind, direction, amount, reference, note, want) in cases {
        let got = adjustment(kind, *direction, amount, reference, note)
            .map_err(|e| e.field.unwrap_or_default());
        assert_eq!(
            got,
            want.map_err(str::to_owned),
            "{kind} {direction:?} {amount}"
        );
    }
    assert_eq!(
        top_up_amount("3000", "清民财〔2026〕12号").unwrap(),
        300_000
    );
    assert_eq!(refused(top_up_amount("0", "x")).as_deref(), Some("amount"));
    assert_eq!(
        refused(top_up_amount("10", "")).as_deref(),
        Some("reference")
    );
    assert_eq!(entry_date(None, today).unwrap(), today);
    assert_eq!(
        refused(entry_date(Some(d(2026, 11, 24)), today)).as_deref(),
        Some("entry_on")
    );
    assert_eq!(entry_kind_label("advance"), "先行救助支出");
    assert_eq!(entry_kind_label("gift"), "");
}

#[test]
fn the_same_cause_warning_names_the_earlier_cases() {
    assert_eq!(repeat_warning(d(2026, 3, 1), "fire", &[]), None);
    let w = repeat_warning(
        d(2026, 3, 1),
        "fire",
        &["LS2026-0001".into(), "LS2026-0002".into()],
    );
    assert_eq!(
        w.as_deref(),
        Some("此户 2026 年已因同一事由（火灾）申请过临时救助（案件 LS2026-0001、LS2026-0002）。同一事由每年只救助一次，须由乡镇审核人登记特批理由后才能救助")
    );
}

#[test]
fn the_list_puts_overdue_first_then_the_nearest_deadline_then_the_newest() {
    let mut rows = [
        (false, None, 1),
        (false, Some(d(2026, 12, 1)), 2),
        (true, Some(d(2026, 11, 1)), 3),
        (false, Some(d(2026, 11, 30)), 4),
        (false, None, 5),
    ];
    rows.sort_by(|a, b| list_order(*a, *b));
    let ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    assert_eq!(ids, [3, 4, 2, 5, 1]);
}

#[test]
fn labels_of_codes() {
    let cases = [
        (step_label("register"), "登记申请"),
        (step_label("document"), "生成文书"),
        (step_label("grant_advance"), "先行救助"),
        (step_label("nothing"), ""),
        (state_label("applied"), "已登记"),
        (state_label(""), ""),
        (kind_label("emergency"), "急难型"),
        (kind_label("x"), ""),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
}
