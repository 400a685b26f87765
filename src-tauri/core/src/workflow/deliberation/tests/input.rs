//! 一事一议 tests of what users type: the 申报表, the settings, the invited units, attendance,
//! opinions, the meeting's decision, a visit, and the labels.

use super::*;
use crate::auth::User;
use crate::month::Month;

/// The field an input is refused on, or "" when it is accepted.
fn field<T>(r: crate::error::CmdResult<T>) -> String {
    r.err()
        .map(|e| e.field.unwrap_or_default())
        .unwrap_or_default()
}

fn filing() -> FilingInput {
    FilingInput {
        household_id: 12,
        family_situation: "户主患尿毒症".into(),
        special_matter: "自付医疗费超过 8 万元".into(),
        received: vec![ReceivedInput {
            programme: "低保".into(),
            amount: "7920".into(),
            note: " 全年 ".into(),
        }],
        proposed_amount: "20000".into(),
        proposed_measures: "一次性救助".into(),
        reporting_unit: "城关镇人民政府".into(),
        township_opinion: "情况属实".into(),
        filed_on: None,
    }
}

#[test]
fn a_filing_is_checked_field_by_field() {
    let today = d(2026, 11, 1);
    type Case = (fn(&mut FilingInput), &'static str);
    let cases: Vec<Case> = vec![
        (|_| {}, ""),
        (|f| f.family_situation = " ".into(), "family_situation"),
        (|f| f.special_matter = "".into(), "special_matter"),
        (
            |f| f.received[0].programme = "".into(),
            "received[0].programme",
        ),
        (
            |f| f.received[0].amount = "七千".into(),
            "received[0].amount",
        ),
        (|f| f.proposed_amount = "0".into(), "proposed_amount"),
        (|f| f.proposed_measures = "".into(), "proposed_measures"),
        (|f| f.reporting_unit = "".into(), "reporting_unit"),
        (|f| f.township_opinion = "".into(), "township_opinion"),
        (|f| f.filed_on = Some(d(2026, 11, 2)), "filed_on"),
    ];
    for (change, want) in cases {
        let mut i = filing();
        change(&mut i);
        assert_eq!(field(check_filing(&i, today)), want);
    }
    let f = check_filing(&filing(), today).unwrap();
    assert_eq!(f.filed_on, today);
    assert_eq!(
        f.received,
        [Received {
            programme: "低保".into(),
            amount_fen: 792_000,
            note: "全年".into()
        }]
    );
}

fn user(id: i64, role: Role) -> Option<User> {
    Some(User {
        id,
        username: format!("u{id}"),
        display_name: format!("用户{id}"),
        role,
        area_id: 1,
        active: true,
        must_change_password: false,
    })
}

#[test]
fn settings_name_each_unit_once_and_map_member_unit_users_to_listed_units() {
    let s = |v: &[&str]| v.iter().map(|u| u.to_string()).collect::<Vec<_>>();
    assert_eq!(
        check_units(&s(&[" 民政局 ", "医保局"])).unwrap(),
        s(&["民政局", "医保局"])
    );
    assert_eq!(field(check_units(&s(&["民政局", "民政局"]))), "units[1]");
    assert_eq!(field(check_units(&s(&["民政局", " "]))), "units[1]");
    assert_eq!(field(check_units(&[])), "units");
    assert_eq!(parse_threshold("quorum", "all").unwrap(), Threshold::All);
    assert_eq!(field(parse_threshold("majority", "most")), "majority");

    let units = s(&["民政局", "医保局"]);
    let pair = |id: i64, unit: &str| (id, unit.to_owned());
    type Case = (Vec<(i64, String)>, Vec<Option<User>>, &'static str);
    let cases: Vec<Case> = vec![
        (
            vec![pair(6, " 医保局 ")],
            vec![user(6, Role::MemberUnit)],
            "",
        ),
        (vec![pair(9, "医保局")], vec![None], "user_units[0].user_id"),
        (
            vec![pair(2, "医保局")],
            vec![user(2, Role::Caseworker)],
            "user_units[0].user_id",
        ),
        (
            vec![pair(6, "财政局")],
            vec![user(6, Role::MemberUnit)],
            "user_units[0].unit",
        ),
        (
            vec![pair(6, "医保局"), pair(6, "民政局")],
            vec![user(6, Role::MemberUnit), user(6, Role::MemberUnit)],
            "user_units[1].user_id",
        ),
    ];
    for (pairs, users, want) in cases {
        assert_eq!(
            field(check_user_units(&pairs, &users, &units)),
            want,
            "{pairs:?}"
        );
    }

    assert_eq!(invited_units(&units, None).unwrap(), units);
    assert_eq!(
        invited_units(&units, Some(&s(&["医保局"]))).unwrap(),
        s(&["医保局"])
    );
    assert_eq!(
        field(invited_units(&units, Some(&s(&["医保局", "残联"])))),
        "units[1]"
    );
    assert_eq!(field(invited_units(&units, Some(&[]))), "units");
    assert_eq!(field(check_attendance("present")), "");
    assert_eq!(field(check_attendance("late")), "status");
    assert_eq!(
        parse_opinion("agree_with_changes").unwrap(),
        Opinion::AgreeWithChanges
    );
    assert_eq!(field(parse_opinion("maybe")), "opinion");
}

fn decision(code: &str, amount: Option<&str>, stages: &[(&str, &str)]) -> DecisionInput {
    DecisionInput {
        meeting_id: 1,
        case_id: 3,
        minutes: "会议研究决定".into(),
        decision: code.into(),
        amount: amount.map(str::to_owned),
        measures: "分期".into(),
        responsible_units: vec![" 民政局 ".into()],
        stages: stages
            .iter()
            .map(|(m, a)| StageInput {
                month: m.to_string(),
                amount: a.to_string(),
            })
            .collect(),
        reasons: "不符".into(),
        programme: "医疗救助".into(),
    }
}

#[test]
fn a_decision_is_read_with_its_stage_months() {
    let held = d(2026, 11, 5);
    let m = |y, n| Month::new(y, n).unwrap();
    type Case = (DecisionInput, Result<(Outcome, Vec<Month>), &'static str>);
    let cases: Vec<Case> = vec![
        (
            decision("approve", Some("20000"), &[]),
            Ok((approve_with(2_000_000, vec![2_000_000]), vec![m(2026, 11)])),
        ),
        (
            decision(
                "approve",
                Some("20000"),
                &[("2026-11", "12000"), ("2026-12", "8000")],
            ),
            Ok((
                approve_with(2_000_000, vec![1_200_000, 800_000]),
                vec![m(2026, 11), m(2026, 12)],
            )),
        ),
        (
            decision("approve", Some("20000"), &[("2026-1", "20000")]),
            Err("stages[0].month"),
        ),
        (decision("approve", None, &[]), Err("amount")),
        (
            decision("reject", None, &[]),
            Ok((
                Outcome::Reject {
                    reasons: "不符".into(),
                },
                vec![],
            )),
        ),
        (
            decision("refer", None, &[]),
            Ok((
                Outcome::Refer {
                    programme: "医疗救助".into(),
                },
                vec![],
            )),
        ),
        (decision("postpone", None, &[]), Err("decision")),
    ];
    for (i, want) in cases {
        let got = parse_outcome(&i, held).map_err(|e| e.field.unwrap_or_default());
        assert_eq!(
            got,
            want.map_err(str::to_owned),
            "{} {:?}",
            i.decision,
            i.stages
        );
    }
}

fn approve_with(amount_fen: i64, stages_fen: Vec<i64>) -> Outcome {
    Outcome::Approve {
        amount_fen,
        measures: "分期".into(),
        responsible_units: vec!["民政局".into()],
        stages_fen,
    }
}

#[test]
fn a_visit_names_the_visitor_and_is_not_in_the_future() {
    let today = d(2026, 11, 23);
    assert_eq!(field(check_visit("王经办", today, today)), "");
    assert_eq!(field(check_visit(" ", today, today)), "visitor");
    assert_eq!(
        field(check_visit("王经办", d(2026, 11, 24), today)),
        "visited_on"
    );
}

#[test]
fn a_meeting_and_its_decisions_are_not_registered_in_advance() {
    let today = d(2026, 11, 23);
    let units = vec!["医保局".to_owned(), "教育局".to_owned()];
    let meeting = |held_on| MeetingInput {
        held_on,
        place: "县民政局三楼会议室".into(),
        chair: "副县长 刘明".into(),
        recorder: "陈审批".into(),
        units: None,
    };
    // (held on, the field refused or "")
    let table = [
        (d(2026, 11, 1), ""),
        (today, ""),
        (d(2026, 11, 24), "held_on"),
        (d(2027, 1, 1), "held_on"),
    ];
    for (held_on, want) in table {
        assert_eq!(field(check_held_on(held_on, today)), want, "{held_on}");
        assert_eq!(
            field(check_meeting(&meeting(held_on), &units, today)),
            want,
            "{held_on}"
        );
    }
    let e = check_held_on(d(2026, 11, 24), today).unwrap_err();
    assert!(
        e.message.starts_with("会议日期 2026-11-24 晚于今天"),
        "{}",
        e.message
    );
}

#[test]
fn labels_of_codes() {
    let cases = [
        (step_label("file"), "申报"),
        (step_label("document"), "生成文书"),
        (step_label("pay"), "登记发放"),
        (step_label("mystery"), "mystery"),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    assert_eq!(state_label("filed"), "已申报");
    assert_eq!(state_label(""), "");
    assert_eq!(decision_label("defer"), "未作决定，移出议程");
    assert_eq!(meeting_state_label("open"), "进行中");
    assert_eq!(meeting_state_label("closed"), "已结束");
}

#[test]
fn a_list_filter_names_states() {
    assert!(listed_states(None).unwrap().is_empty());
    assert!(listed_states(Some("")).unwrap().is_empty());
    assert_eq!(listed_states(Some("filed")).unwrap(), ["filed"]);
    let open = listed_states(Some("open")).unwrap();
    assert!(open.contains(&"paying") && !open.contains(&"closed"));
    assert_eq!(field(listed_states(Some("lost"))), "state");
}

/// Who may record a unit's opinion: (the member-unit user's unit, or `None` for a county user;
/// the unit; the paper note) → the paper note stored, or the refusal's code and field.
#[test]
fn a_units_opinion_is_recorded_by_its_own_user_or_from_its_signed_paper() {
    use crate::error::ErrorCode as C;
    type Row<'a> = (
        Option<Option<&'a str>>,
        &'a str,
        &'a str,
        Result<&'a str, (C, &'a str)>,
    );
    let table: [Row; 7] = [
        (Some(Some("医保局")), "医保局", "", Ok("")),
        // The unit's own user: no paper, and a note given is not stored as one.
        (Some(Some("医保局")), "医保局", "书面意见", Ok("")),
        (
            Some(Some("医保局")),
            "教育局",
            "书面意见",
            Err((C::Forbidden, "")),
        ),
        (Some(None), "医保局", "", Err((C::Forbidden, ""))),
        // The county user (the meeting's secretary): only from the signed paper opinion.
        (
            None,
            "财政局",
            "",
            Err((C::InvalidInput, "paper_opinion_ref")),
        ),
        (
            None,
            "财政局",
            "  ",
            Err((C::InvalidInput, "paper_opinion_ref")),
        ),
        (None, "财政局", " 财政局复函 ", Ok("财政局复函")),
    ];
    for (my_unit, unit, paper, want) in table {
        let f = OpinionFacts {
            user_id: 5,
            my_unit,
            near_relative_user_ids: &[],
            meeting_open: true,
            on_agenda: true,
            case_number: "YS2026-0001",
            unit_status: Some("present"),
        };
        let got = check_opinion(&f, unit, "agree", paper);
        match (got, want) {
            (Ok((op, note)), Ok(w)) => {
                assert_eq!((op, note.as_str()), (Opinion::Agree, w), "{unit} {paper:?}")
            }
            (Err(e), Err((code, fld))) => assert_eq!(
                (e.code, e.field.unwrap_or_default()),
                (code, fld.to_owned()),
                "{unit} {paper:?}"
            ),
            (got, want) => panic!("{unit} {paper:?}: got {got:?}, want {want:?}"),
        }
    }
    let f = OpinionFacts {
        user_id: 5,
        my_unit: None,
        near_relative_user_ids: &[],
        meeting_open: true,
        on_agenda: true,
        case_number: "YS2026-0001",
        unit_status: Some("present"),
    };
    assert_eq!(
        check_opinion(&f, "财政局", "agree", "")
            .unwrap_err()
            .message,
        "请填写已收到的财政局签章书面意见（编号或说明）：成员单位意见由该单位自己登记，\
         会议记录人代为录入须依据该单位签章的书面意见"
    );
}
