//! Table tests of the documents' data, on records built by hand (no database).

use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::idcard::Sex;
use crate::registry::HouseholdFacts;
use crate::store::cases::{Amount, CaseRow};
use crate::store::finances::Income;
use crate::store::registry::Person;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(id: i64, name: &str, id_number: &str) -> Person {
    Person {
        id,
        facts: PersonFacts {
            id_number: id_number.into(),
            name: name.into(),
            sex: Sex::Male,
            birth_date: d("1970-01-01"),
            disability_type: None,
            disability_grade: None,
            serious_illness: None,
            labour_capacity: "full".into(),
            self_care: "full".into(),
            student: None,
            employment: None,
        },
        death_date: None,
    }
}

fn household(head_id: Option<i64>) -> Household {
    Household {
        id: 7,
        facts: HouseholdFacts {
            village_id: 5,
            group_id: None,
            address: "李庄村3组".into(),
            hukou: "rural".into(),
            phone: None,
            bank_name: None,
            bank_account: None,
        },
        head_id,
        township_id: 2,
        township_name: "城关镇".into(),
        village_name: "李庄村".into(),
        group_name: Some("3组".into()),
        urban_rural: None,
        created_at: String::new(),
        updated_at: String::new(),
    }
}

fn member(p: Person, relation: &str, left: bool) -> Membership {
    Membership {
        id: p.id,
        household_id: 7,
        person: p,
        relation: relation.into(),
        joined_on: d("2020-01-01"),
        left_on: left.then(|| d("2024-01-01")),
        left_reason: None,
    }
}

fn members() -> Vec<Membership> {
    let mut child = person(2, "张小宝", "410122201501010016");
    child.facts.student = Some("小学".into());
    vec![
        member(person(1, "张三", "410122197001010011"), "head", false),
        member(child, "child", false),
        member(person(3, "张老四", "410122194001010019"), "parent", true),
    ]
}

fn finances() -> Finances {
    Finances {
        incomes: vec![Income {
            person_id: 1,
            kind: "wage".into(),
            period: "monthly".into(),
            amount_fen: 50_000,
            exempt: false,
            exempt_reason: None,
            note: None,
        }],
        ..Finances::default()
    }
}

fn surveyed() -> CaseRow {
    CaseRow {
        id: 1,
        number: "DB-2026-000001".into(),
        programme: "dibao".into(),
        applied_on: d("2026-10-08"),
        created_by: 10,
        accepted_by: Some(11),
        survey_on: Some(d("2026-10-12")),
        survey_findings: Some("家庭收入低于标准".into()),
        investigator_ids: vec![11, 12],
        ..CaseRow::default()
    }
}

fn users() -> UserNames {
    [(10, "王芳"), (11, "李强"), (12, "赵敏"), (20, "周局长")]
        .into_iter()
        .map(|(id, n)| (id, n.to_owned()))
        .collect()
}

#[test]
fn the_family_block_lists_open_members_and_annual_income() {
    let (h, ms, f) = (household(Some(1)), members(), finances());
    let records = FamilyRecords {
        household: &h,
        memberships: &ms,
        finances: &f,
    };
    let (info, members, incomes) = family(&records).unwrap();
    assert_eq!((info.head.as_str(), info.hukou.as_str()), ("张三", "农村"));
    let shown: Vec<(&str, &str, &str)> = members
        .iter()
        .map(|m| (m.name.as_str(), m.relation.as_str(), m.note.as_str()))
        .collect();
    assert_eq!(
        shown,
        [("张三", "户主", ""), ("张小宝", "子女", "在校学生")]
    );
    assert_eq!(incomes[0].annual_amount, "6000.00");
    assert_eq!(incomes[0].member, "张三");

    let headless = household(None);
    let records = FamilyRecords {
        household: &headless,
        ..records
    };
    let e = family(&records).unwrap_err();
    assert_eq!(
        e,
        DocError::new("case_id", "此家庭没有户主，审批表缺少申请人")
    );
}

#[test]
fn approval_form_results_and_sign_offs() {
    let kept = Amount {
        case_id: 1,
        from_month: "2026-11".into(),
        amount_fen: 36_000,
        persons: 2,
        trail: json!([{"text": "标准 660 × 2 人", "amount": "1320.00"}]).to_string(),
        step_id: 1,
    };
    let decided = CaseRow {
        decided_on: Some(d("2026-11-02")),
        decided_by: Some(20),
        pay_from: Some("2026-11".into()),
        ..surveyed()
    };
    let unsurveyed = CaseRow {
        survey_on: None,
        ..surveyed()
    };
    // (case, kept amount?, the result line or the error, the signers)
    type Case<'a> = (
        CaseRow,
        Option<&'a Amount>,
        Result<&'a str, &'a str>,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            surveyed(),
            None,
            Ok("按现行标准测算：拟保障 2 人，月保障金 380.00 元"),
            vec!["李强"],
        ),
        (
            decided,
            Some(&kept),
            Ok("2026-11 起保障 2 人，月保障金 360.00 元"),
            vec!["李强", "周局长"],
        ),
        (
            unsurveyed,
            None,
            Err("此案件还没有登记入户调查，审批表缺少调查情况；请先登记入户调查"),
            vec![],
        ),
    ];
    let (h, ms, f) = (household(Some(1)), members(), finances());
    let records = FamilyRecords {
        household: &h,
        memberships: &ms,
        finances: &f,
    };
    let trail = json!([{"text": "测算", "amount": "380.00"}]);
    for (c, amount, want, signers) in cases {
        let basis = match amount {
            Some(a) => Basis::Kept(a),
            None => Basis::Estimated {
                amount_fen: 38_000,
                persons: 2,
                trail: trail.clone(),
            },
        };
        let got = approval_form(&c, &records, basis, "清河县", &users());
        match want {
            Ok(result) => {
                let form = got.unwrap();
                assert_eq!(form.result, result);
                assert_eq!(form.investigation.investigators, ["李强", "赵敏"]);
                let got: Vec<&str> = form.sign_offs.iter().map(|s| s.signer.as_str()).collect();
                assert_eq!(got, signers, "{}", form.result);
                assert_eq!(form.trail.len(), 1);
            }
            Err(message) => assert_eq!(got.unwrap_err(), DocError::new("case_id", message)),
        }
    }
}

#[test]
fn a_refusal_notice_needs_a_refusal_and_splits_its_reasons() {
    let e = refusal_notice(&surveyed(), "张三", "清河县", d("2026-11-05")).unwrap_err();
    assert_eq!(e.field, "case_id");
    let refused = CaseRow {
        decided_on: Some(d("2026-11-02")),
        refusal_reasons: Some("家庭收入高于标准；\n有机动车辆".into()),
        ..surveyed()
    };
    let n = refusal_notice(&refused, "张三", "清河县", d("2026-11-05")).unwrap();
    assert_eq!(n.number, "清河县民政局不予批准〔2026〕DB-2026-000001号");
    assert_eq!(n.reasons, ["家庭收入高于标准", "有机动车辆"]);
    assert_eq!(n.programme, "最低生活保障");
}

#[test]
fn a_notice_lists_heads_and_spans_every_case_on_notice() {
    let place = NoticePlace {
        county: "清河县",
        township: "城关镇",
        village: Some("李庄村"),
        area_name: "李庄村",
        programme: "dibao",
        complaint_phone: " 0371-12345678 ",
        complaint_address: "城关镇民政所",
        today: d("2026-11-20"),
    };
    let e = notice(&place, &[]).unwrap_err();
    assert_eq!(
        e,
        DocError::new(
            "area_id",
            "李庄村没有正在公示的最低生活保障案件，无法生成公示"
        )
    );
    let on_notice = |id, start: &str| CaseRow {
        id,
        notice_start: Some(d(start)),
        ..surveyed()
    };
    let entries = [
        NoticeEntry {
            case: on_notice(1, "2026-11-16"),
            household: household(Some(1)),
            head: Some(person(1, "张三", "410122197001010011")),
            notice_end: d("2026-11-23"),
            amount_fen: 38_000,
            persons: 2,
        },
        NoticeEntry {
            case: on_notice(2, "2026-11-10"),
            household: household(None),
            head: None,
            notice_end: d("2026-11-17"),
            amount_fen: 20_000,
            persons: 1,
        },
    ];
    let (doc, ids) = notice(&place, &entries).unwrap();
    assert_eq!(ids, [1]);
    assert_eq!(
        (doc.period_from, doc.period_to),
        (d("2026-11-10"), d("2026-11-23"))
    );
    assert_eq!(doc.title, "清河县城关镇李庄村最低生活保障拟纳入对象公示");
    assert_eq!(doc.complaint_phone, "0371-12345678");
    assert_eq!(doc.rows[0].monthly_amount, "380.00");
    assert_eq!(place_name(&place), "城关镇李庄村");
}

#[test]
fn a_notice_is_asked_for_a_township_or_village_with_its_complaint_lines() {
    use crate::store::areas::{Area, Level};
    let area = |level| Area {
        id: 5,
        parent_id: Some(2),
        level,
        code: String::new(),
        name: "李庄村".into(),
        urban_rural: None,
        active: true,
    };
    assert_eq!(notice_area(&area(Level::Village)), Ok((2, Some(5))));
    assert_eq!(notice_area(&area(Level::Township)), Ok((5, None)));
    assert_eq!(
        notice_area(&area(Level::Group)).unwrap_err().field,
        "area_id"
    );
    let cases = [
        (("dibao", "0371-1", "民政所"), None),
        (("tekun", "0371-1", "民政所"), None),
        (("temp_aid", "0371-1", "民政所"), Some("programme")),
        (("dibao", " ", "民政所"), Some("complaint_phone")),
        (("dibao", "0371-1", ""), Some("complaint_address")),
    ];
    for ((programme, phone, address), field) in cases {
        let got = notice_input(programme, phone, address)
            .err()
            .map(|e| e.field);
        assert_eq!(got.as_deref(), field, "{programme} {phone} {address}");
    }
}

#[test]
fn the_application_records_only_open_cases_paid_in_the_month_of_filing() {
    let amount = |from: &str, fen: i64| Amount {
        case_id: 1,
        from_month: from.into(),
        amount_fen: fen,
        persons: 1,
        trail: "[]".into(),
        step_id: 1,
    };
    let case = |number: &str, state: &str| CaseRow {
        number: number.into(),
        state: state.into(),
        pay_from: Some("2026-03".into()),
        ..surveyed()
    };
    let cases = vec![
        // Raised in October: the amount of November, the month of filing.
        (
            case("DB-2026-000001", "enrolled"),
            vec![amount("2026-03", 60_000), amount("2026-10", 66_000)],
        ),
        // Raised from December, after filing: still the November amount.
        (
            case("TK-2026-000002", "phasing_out"),
            vec![amount("2026-03", 30_000), amount("2026-12", 90_000)],
        ),
        // Exited, refused or not yet paid: nothing recorded.
        (
            case("DB-2025-000003", "exited"),
            vec![amount("2025-01", 50_000)],
        ),
        (case("DB-2026-000004", "on_notice"), vec![]),
    ];
    let got: Vec<(String, String, String)> = recorded_aid(d("2026-11-23"), &cases, &[])
        .into_iter()
        .map(|a| (a.programme, a.amount, a.note))
        .collect();
    assert_eq!(
        got,
        [
            (
                "低保".to_owned(),
                "660.00".to_owned(),
                "DB-2026-000001：每月 660.00 元，自 2026-03 起".to_owned()
            ),
            (
                "低保".to_owned(),
                "300.00".to_owned(),
                "TK-2026-000002：每月 300.00 元，自 2026-03 起（渐退期）".to_owned()
            ),
        ]
    );
}
