//! Sample documents with made-up people, for the tests, the benchmark and the screenshots.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid sample date")
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "秀英", "建国", "桂兰", "志强", "玉梅", "德明", "淑珍", "海燕", "国华", "春生", "丽娟", "长青",
];

/// A valid-looking 18-digit ID number (check character not computed: samples only).
fn id_number(i: usize, birth: NaiveDate) -> String {
    format!("410526{}{:03}{}", birth.format("%Y%m%d"), i % 1000, i % 10)
}

/// A 公示 of `rows` adults in one township.
pub fn notice(rows: usize) -> Notice {
    let rows = (0..rows)
        .map(|i| {
            let birth = day(
                1950 + (i % 50) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            );
            NoticeRow {
                name: format!("{}{}", SURNAMES[i % 12], GIVEN[(i / 12) % 12]),
                id_number: Some(id_number(i, birth)),
                birth_date: Some(birth),
                village: format!("{}村", ["东关", "西街", "南庄", "北岭", "杏园"][i % 5]),
                group: Some(format!("{}组", 1 + i % 9)),
                persons: 1 + (i % 4) as u32,
                programme: ["农村低保", "城市低保", "农村特困（分散）"][i % 3].to_owned(),
                monthly_amount: format!("{}.{:02}", 200 + (i * 37) % 1800, (i * 13) % 100),
            }
        })
        .collect();
    Notice {
        title: "清河县城关镇 2026年11月 城乡居民最低生活保障 拟纳入对象公示".to_owned(),
        period_from: day(2026, 11, 2),
        period_to: day(2026, 11, 8),
        issuing_office: "清河县城关镇人民政府".to_owned(),
        issue_date: day(2026, 11, 2),
        complaint_phone: "0372-5551234（城关镇民政办），12345（县民政局）".to_owned(),
        complaint_address: "清河县城关镇人民路 18 号城关镇便民服务中心社会救助窗口".to_owned(),
        rows,
    }
}

pub fn approval_form(programme: AssistanceProgramme) -> ApprovalForm {
    let form = dibao_form(programme);
    if programme != AssistanceProgramme::TempAid {
        return form;
    }
    ApprovalForm {
        trail: vec![
            TrailEntry {
                text: "农村低保标准：660.00 元/月（2026-01-01 起执行）".to_owned(),
                amount: Some("660.00".to_owned()),
            },
            TrailEntry {
                text: "支出型临时救助，医疗自付 38,000.00 元，第二档：标准 × 6".to_owned(),
                amount: None,
            },
            TrailEntry {
                text: "660.00 × 6 = 3,960.00 元（乡镇审批限额 1,980.00 元，报县级审批）".to_owned(),
                amount: Some("3960.00".to_owned()),
            },
        ],
        result: "拟一次性临时救助 3,960.00 元".to_owned(),
        sign_offs: vec![SignOff {
            role: SignOffRole::Caseworker,
            opinion: "户主刘䶮住院治疗自付费用较大，家庭基本生活出现困难，建议给予支出型临时救助。"
                .to_owned(),
            signer: "孙丽娟".to_owned(),
            date: day(2026, 10, 15),
        }],
        ..form
    }
}

fn dibao_form(programme: AssistanceProgramme) -> ApprovalForm {
    ApprovalForm {
        programme,
        county: "清河县".to_owned(),
        township: "城关镇".to_owned(),
        village: "东关村".to_owned(),
        application_no: "CG-2026-0153".to_owned(),
        application_date: day(2026, 10, 9),
        family: FamilyInfo {
            head: "刘䶮".to_owned(),
            address: "清河县城关镇东关村三组 27 号".to_owned(),
            hukou: "农村".to_owned(),
            phone: "13803725566".to_owned(),
        },
        members: vec![
            Member {
                name: "刘䶮".to_owned(),
                relation: "户主".to_owned(),
                id_number: "410526197203150038".to_owned(),
                note: "慢性病（需长期服药）".to_owned(),
            },
            Member {
                name: "王𠇔".to_owned(),
                relation: "配偶".to_owned(),
                id_number: "41052619750822004X".to_owned(),
                note: String::new(),
            },
            Member {
                name: "刘子涵".to_owned(),
                relation: "子女".to_owned(),
                id_number: "410526201009010017".to_owned(),
                note: "在校学生".to_owned(),
            },
        ],
        incomes: vec![
            IncomeItem {
                member: "刘䶮".to_owned(),
                kind: "工资性收入".to_owned(),
                annual_amount: "9600".to_owned(),
                note: "扣减就业成本 30%".to_owned(),
            },
            IncomeItem {
                member: "王𠇔".to_owned(),
                kind: "经营净收入".to_owned(),
                annual_amount: "3000.00".to_owned(),
                note: "计入".to_owned(),
            },
        ],
        trail: vec![
            TrailEntry {
                text: "农村低保标准：660.00 元/月（2026-01-01 起执行）".to_owned(),
                amount: Some("660.00".to_owned()),
            },
            TrailEntry {
                text: "家庭年收入 12,600.00 元，扣减就业成本 2,880.00 元，计入 9,720.00 元".to_owned(),
                amount: Some("9720.00".to_owned()),
            },
            TrailEntry {
                text: "月均收入 9,720.00 ÷ 12 = 810.00 元".to_owned(),
                amount: Some("810.00".to_owned()),
            },
            TrailEntry {
                text: "补差：660.00 × 3 − 810.00 = 1,170.00 元".to_owned(),
                amount: Some("1170.00".to_owned()),
            },
        ],
        result: "拟保障 3 人，月保障金 1,170.00 元，自 2026年12月起发放".to_owned(),
        investigation: Investigation {
            date: day(2026, 10, 14),
            investigators: vec!["赵德明".to_owned(), "孙丽娟".to_owned()],
            findings: "经入户调查，该户住房为自建砖木结构平房三间，无机动车辆，无经营性资产。户主刘䶮患慢性病需长期服药，仅能从事轻体力劳动；配偶在本村经营小卖部，收入微薄；子女在县第一中学就读。家庭人均收入低于当地低保标准，情况属实。".to_owned(),
        },
        sign_offs: vec![SignOff {
            role: SignOffRole::Caseworker,
            opinion: "经调查核实，该户符合农村低保条件，建议纳入，保障 3 人。".to_owned(),
            signer: "孙丽娟".to_owned(),
            date: day(2026, 10, 15),
        }],
    }
}

pub fn deliberation_application() -> DeliberationApplication {
    DeliberationApplication {
        county: "清河县".to_owned(),
        number: "一议〔2026〕3号".to_owned(),
        applicant: "陈海燕".to_owned(),
        id_number: "410526198004120026".to_owned(),
        address: "清河县城关镇杏园村五组 8 号".to_owned(),
        family_situation: "共 4 人：本人、丈夫（2026年8月因车祸重伤住院）、两名在校子女。家庭原以丈夫务工收入为主，现无稳定收入。".to_owned(),
        special_matter: "丈夫住院治疗自付医疗费用 186,000 元，医保报销及大病保险后仍自付 92,000 元，已超出临时救助上限，家庭无力承担。".to_owned(),
        regular_aid: vec![
            AidReceived {
                programme: "临时救助（支出型）".to_owned(),
                amount: "6968".to_owned(),
                note: "2026年9月，县级审批".to_owned(),
            },
            AidReceived {
                programme: "医疗救助".to_owned(),
                amount: "15000".to_owned(),
                note: "年度封顶".to_owned(),
            },
        ],
        proposed_amount: "30000".to_owned(),
        proposed_measures: "一次性救助 30,000 元；协调县慈善总会开展慈善帮扶；人社部门为本人提供公益性岗位。".to_owned(),
        reporting_unit: "清河县城关镇人民政府".to_owned(),
        officer: "孙丽娟".to_owned(),
        report_date: day(2026, 11, 3),
        township_opinion: "情况属实，拟纳入一事一议决策范围。".to_owned(),
    }
}

pub fn meeting_minutes() -> MeetingMinutes {
    let units = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    MeetingMinutes {
        county: "清河县".to_owned(),
        subject: "一议〔2026〕3号 城关镇杏园村陈海燕家庭因病支出困难".to_owned(),
        date: day(2026, 11, 12),
        place: "县民政局三楼会议室".to_owned(),
        chair: "周国华（县民政局局长）".to_owned(),
        recorder: "吴春生".to_owned(),
        invited: units(&["民政局", "财政局", "人社局", "医保局", "卫健委", "教育局", "慈善总会"]),
        present: units(&["民政局", "财政局", "人社局", "医保局", "教育局", "慈善总会"]),
        absent: units(&["卫健委"]),
        opinions: vec![
            UnitOpinion {
                unit: "民政局".to_owned(),
                representative: "周国华".to_owned(),
                stance: Stance::Agree,
                commitment: "一次性救助 20,000 元，从临时救助资金列支；纳入低保边缘重点监测。".to_owned(),
            },
            UnitOpinion {
                unit: "财政局".to_owned(),
                representative: "黄玉梅".to_owned(),
                stance: Stance::Agree,
                commitment: "保障资金及时拨付。".to_owned(),
            },
            UnitOpinion {
                unit: "人社局".to_owned(),
                representative: "徐志强".to_owned(),
                stance: Stance::AgreeWithChanges,
                commitment: "提供公益性岗位一个；建议救助金额分两期发放。".to_owned(),
            },
            UnitOpinion {
                unit: "医保局".to_owned(),
                representative: "杨淑珍".to_owned(),
                stance: Stance::Agree,
                commitment: "复核医疗救助报销情况，按倾斜救助政策再报销。".to_owned(),
            },
            UnitOpinion {
                unit: "教育局".to_owned(),
                representative: "赵长青".to_owned(),
                stance: Stance::Agree,
                commitment: "两名子女纳入教育资助。".to_owned(),
            },
            UnitOpinion {
                unit: "慈善总会".to_owned(),
                representative: "李桂兰".to_owned(),
                stance: Stance::Agree,
                commitment: "慈善帮扶 10,000 元。".to_owned(),
            },
        ],
        decision: Decision {
            outcome: Outcome::Approve,
            amount: Some("30000".to_owned()),
            measures: "民政局救助 20,000 元、慈善总会帮扶 10,000 元，分两期发放；人社局提供公益性岗位；教育局落实子女资助；医保局复核医疗救助。".to_owned(),
            responsible_units: units(&["民政局", "慈善总会", "人社局", "教育局", "医保局"]),
        },
        minutes: "会议听取了城关镇关于陈海燕家庭困难情况的汇报，审阅了申报材料和入户调查报告。与会单位认为，该家庭因重大疾病导致刚性支出过大，常规救助难以解决其基本生活困难，符合一事一议救助条件。经充分讨论，出席单位一致同意按上述方案实施救助，由民政局牵头、各责任单位于 15 个工作日内落实，并于三个月后回访。".to_owned(),
    }
}

pub fn refusal_notice() -> RefusalNotice {
    RefusalNotice {
        number: "清民救不〔2026〕12号".to_owned(),
        addressee: "吴德明".to_owned(),
        application_date: day(2026, 10, 20),
        programme: "最低生活保障".to_owned(),
        reasons: vec![
            "经家庭经济状况核对，你家庭成员名下登记有小型轿车一辆（非残疾人功能性补偿代步机动车辆），不符合本县低保家庭财产状况规定。".to_owned(),
            "你家庭月人均收入 1,020.00 元，高于本县农村低保标准 660.00 元。".to_owned(),
        ],
        review_body: "清河县人民政府".to_owned(),
        court: "清河县人民法院".to_owned(),
        issuing_office: "清河县民政局".to_owned(),
        issue_date: day(2026, 11, 4),
    }
}
