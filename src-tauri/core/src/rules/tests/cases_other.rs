//! Cases for 特困, 临时救助, children, 两项补贴, 价格临时补贴, one-time subsidies, 渐退期 and
//! classification.

use rust_decimal::Decimal;

use super::*;

const NOW: &str = "2023-06-15";

/// An old person with no labour capacity and no supporter.
fn elder(id: i64, name: &str) -> Member {
    Member {
        labour_capacity: LabourCapacity::Lost,
        able_supporter: false,
        ..adult(id, name, "1950-01-01")
    }
}

/// A six-item assessment where the named items (by label) cannot be done.
fn six(failed: &[&str]) -> SelfCareFacts {
    let f = |label: &str| Some(!failed.contains(&label));
    SelfCareFacts::Assessment(SixItems {
        eating: f("吃饭"),
        dressing: f("穿衣"),
        getting_up: f("上下床"),
        toileting: f("如厕"),
        walking_indoors: f("室内行走"),
        bathing: f("洗澡"),
    })
}

fn assessed(failed: &[&str]) -> Member {
    Member {
        self_care: six(failed),
        ..elder(1, "张三")
    }
}

fn partial_care() -> Member {
    Member {
        self_care: SelfCareFacts::Level(SelfCare::Partial),
        ..elder(1, "张三")
    }
}

/// The example tiers plus 外来务工人员失业: 6 ×, capped at 3 × the urban standard.
fn migrant_tiers() -> Standards {
    let tiers = r#"[
{"code":"emergency_3","label":"急难型三档","kind":"emergency","multiple":"6"},
{"code":"migrant_unemployed","label":"外来务工人员失业","kind":"emergency","multiple":"6","cap":"3","cap_on":"urban"}
]"#;
    st_with(NOW, &[("temp.tiers", Scope::All, tiers)])
}

fn alone(area: Area, m: Member) -> Household {
    hh(area, vec![m])
}

fn aid(area: Area, kind: TempAidKind, basis: TempAidBasis) -> TempAidRequest {
    TempAidRequest {
        area,
        residence: None,
        kind,
        basis,
    }
}

fn tier(code: &str) -> TempAidBasis {
    TempAidBasis::Tier(code.to_owned())
}

fn child(birth: &str) -> Member {
    Member {
        labour_capacity: LabourCapacity::Lost,
        able_supporter: false,
        ..adult(7, "小明", birth)
    }
}

fn disabled(grade: i64) -> Member {
    Member {
        disability_type: Some("physical".into()),
        disability_grade: Some(grade),
        ..adult(1, "张三", "1975-03-01")
    }
}

fn cpi(rise: &str, food: Option<&str>) -> PriceIndex {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    PriceIndex {
        cpi_rise: d(rise),
        food_rise: food.map(d),
    }
}

/// The 渐退期 total as the amount, with the monthly trail.
fn exit(st: Standards, current: i64, persons: u32, reason: ExitReason) -> CmdResult<Outcome> {
    let e = gradual_exit(&st, Area::Rural, current, persons, reason)?;
    assert_eq!(e.total_fen, e.monthly.amount_fen * i64::from(e.months));
    Ok(Outcome {
        amount_fen: e.total_fen,
        trail: e.monthly.trail,
    })
}

/// The classification's reasons appended to its trail, amount 0.
fn classified(st: Standards, h: Household) -> CmdResult<Outcome> {
    let c = classify(&st, &h)?;
    let mut trail = c.trail;
    for r in c.reasons {
        trail.note(r);
    }
    Ok(lines_only(trail))
}

fn urban_income(fen: i64) -> Household {
    with(
        hh(Area::Urban, vec![adult(1, "张三", "1975-03-01")]),
        vec![transfer(1, fen)],
    )
}

fn with_assets(mut h: Household, assets: Assets) -> Household {
    h.assets = assets;
    h
}

#[test]
fn tekun_and_temp_aid_cases() {
    use CareSetting::{Home, Institution};
    use TempAidKind::{Emergency, Expenditure};
    #[rustfmt::skip]
    let cases = vec![
        ok("特困 at home, self-care",
            || tekun(&st(NOW), &alone(Area::Urban, elder(1, "张三")), Home),
            138500,
            &["城市特困人员基本生活标准：1,220.00 元/人·月（2022-01-01 起执行）", "分散供养全自理照料护理标准：165.00 元/人·月",
              "张三（全自理）= 基本生活 1,220.00 + 照料护理 165.00 = 1,385.00 元/月"]),
        ok("特困 in an institution, 2 of 6 items failed → 半护理",
            || tekun(&st(NOW), &alone(Area::Rural, assessed(&["穿衣", "洗澡"])), Institution),
            140200,
            &["张三：自理能力评估 2 项不能完成（穿衣、洗澡） → 半护理", "集中供养半护理照料护理标准：440.00 元/人·月"]),
        ok("4 items failed → 全护理",
            || tekun(&st(NOW), &alone(Area::Rural, assessed(&["吃饭", "穿衣", "如厕", "洗澡"])), Home),
            173200,
            &["4 项不能完成", "分散供养全护理照料护理标准：770.00 元/人·月"]),
        ok("all six items met → 全自理",
            || tekun(&st(NOW), &alone(Area::Rural, assessed(&[])), Home),
            112700,
            &["六项均能完成 → 全自理"]),
        ok("3 items failed is still 半护理",
            || tekun(&st(NOW), &alone(Area::Rural, assessed(&["穿衣", "上下床", "洗澡"])), Home),
            140200,
            &["3 项不能完成（穿衣、上下床、洗澡） → 半护理"]),
        ok("basic standard as 1.3 × 低保",
            || tekun(&st_with(NOW, &[("tekun.basic.mode", Scope::All, "ratio")]), &alone(Area::Urban, elder(1, "张三")), Home),
            129730,
            &["基本生活标准 = 低保标准 871.00 × 1.3 = 1,132.30 元/月"]),
        ok("1.3 × 871.05 lands on half a fen and rounds up",
            || tekun(&st_with(NOW, &[("tekun.basic.mode", Scope::All, "ratio"), ("dibao.standard", Scope::Urban, "87105")]), &alone(Area::Urban, elder(1, "张三")), Home),
            129737,
            &["四舍五入到分：1297.365 → 1,297.37 元"]),
        ok("care as 1/6 of last year's minimum wage",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction")]), &alone(Area::Urban, Member { self_care: SelfCareFacts::Level(SelfCare::Partial), ..elder(1, "张三") }), Home),
            149500,
            &["半护理照料护理标准 = 最低工资 1,650.00 × 1/6 = 275.00 元/月", "半护理照料护理标准（最低工资的比例）：1/6"]),
        ok("care as 1/3 of a 2,000 wage is rounded once",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction"), ("tekun.care.min_wage", Scope::All, "200000")]), &alone(Area::Urban, Member { self_care: SelfCareFacts::Level(SelfCare::Unable), ..elder(1, "张三") }), Home),
            188667,
            &["四舍五入到分：1886.66666666… → 1,886.67 元"]),
        ok("care by wage fraction in an institution: by default as at home",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction")]), &alone(Area::Urban, partial_care()), Institution),
            149500,
            &["集中供养照料护理标准（按最低工资的比例时）：与分散供养相同", "半护理照料护理标准 = 最低工资 1,650.00 × 1/6 = 275.00 元/月"]),
        ok("care by wage fraction in an institution with its own fractions",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction"), ("tekun.care.institution.basis", Scope::All, "own"), ("tekun.care.institution.fraction.partial", Scope::All, "1/4")]), &alone(Area::Urban, partial_care()), Institution),
            163250,
            &["集中供养半护理照料护理标准（最低工资的比例）：1/4", "半护理照料护理标准 = 最低工资 1,650.00 × 1/4 = 412.50 元/月"]),
        ok("care by wage fraction in an institution with a 20 % uplift",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction"), ("tekun.care.institution.basis", Scope::All, "uplift"), ("tekun.care.institution.uplift", Scope::All, "20%")]), &alone(Area::Urban, partial_care()), Institution),
            155000,
            &["集中供养照料护理标准上浮比例：20%", "集中供养上浮 20%：275.00 × (1 + 20%) = 330"]),
        ok("the institution's uplift does not touch care at home",
            || tekun(&st_with(NOW, &[("tekun.care.mode", Scope::All, "wage_fraction"), ("tekun.care.institution.basis", Scope::All, "uplift"), ("tekun.care.institution.uplift", Scope::All, "20%")]), &alone(Area::Urban, partial_care()), Home),
            149500,
            &["张三（半护理）= 基本生活 1,220.00 + 照料护理 275.00"]),
        ok("two 特困 people in one household",
            || tekun(&st(NOW), &hh(Area::Urban, vec![elder(1, "张三"), elder(2, "李四")]), Home),
            277000,
            &["李四（全自理）= 基本生活 1,220.00 + 照料护理 165.00 = 1,385.00 元/月"]),
        err("a self-care assessment with a missing item",
            || {
                let mut m = assessed(&[]);
                if let SelfCareFacts::Assessment(s) = &mut m.self_care { s.bathing = None; }
                tekun(&st(NOW), &alone(Area::Rural, m), Home)
            },
            "members[0].self_care.bathing", "张三的自理能力评估缺少“洗澡”一项"),
        err("特困 before any standard",
            || tekun(&st("2019-01-01"), &alone(Area::Rural, elder(1, "张三")), Home),
            "standards", "没有 2019-01-01 起生效的"),
        ok("a rural-registered family living in town: by 户籍 by default",
            || temp_aid(&st(NOW), &TempAidRequest { residence: Some(Area::Urban), ..aid(Area::Rural, Emergency, TempAidBasis::Multiple(Decimal::from(6))) }),
            396000,
            &["农村低保标准：660.00 元/人·月"]),
        ok("a rural-registered family living in town: by where it lives, where the county says so",
            || temp_aid(&st_with(NOW, &[("temp.basis_area", Scope::All, "residence")]), &TempAidRequest { residence: Some(Area::Urban), ..aid(Area::Rural, Emergency, TempAidBasis::Multiple(Decimal::from(6))) }),
            522600,
            &["户籍为农村，现居住地为城镇，按居住地的低保标准计算", "城市低保标准：871.00 元/人·月", "超过乡镇审批额度 2,613.00 元"]),
        ok("a category capped at 3 × the urban standard: 6 × 660 held to 2,613",
            || temp_aid(&migrant_tiers(), &aid(Area::Rural, Emergency, tier("migrant_unemployed"))),
            261300,
            &["城市低保标准：871.00 元/人·月", "超过外来务工人员失业上限 3 × 城市低保标准 871.00 = 2,613.00 元，按此上限发放"]),
        ok("other emergencies still reach the county cap",
            || temp_aid(&migrant_tiers(), &aid(Area::Rural, Emergency, tier("emergency_3"))),
            396000,
            &["急难型三档：6 × 月低保标准 660.00 = 3,960.00 元"]),
        ok("a category cap above the county cap leaves the county cap",
            || temp_aid(&st_with(NOW, &[("temp.tiers", Scope::All, r#"[{"code":"big","label":"大额","kind":"expenditure","multiple":"12","cap":"20"}]"#)]), &aid(Area::Rural, Expenditure, tier("big"))),
            660000,
            &["超过上限 10 × 660.00 = 6,600.00 元"]),
        ok("6-month emergency grant: 6 × 871 = 5,226",
            || temp_aid(&st(NOW), &aid(Area::Urban, Emergency, tier("emergency_3"))),
            522600,
            &["急难型三档：月低保标准的 6 倍", "急难型三档：6 × 月低保标准 871.00 = 5,226.00 元", "超过乡镇审批额度 2,613.00 元，需报县级民政部门审批"]),
        ok("emergency raised to the 2× minimum",
            || temp_aid(&st(NOW), &aid(Area::Urban, Emergency, TempAidBasis::Multiple(Decimal::ONE))),
            174200,
            &["低于急难型下限 2 × 871.00 = 1,742.00 元，按下限发放", "不超过乡镇审批额度 2,613.00 元，乡镇（街道）可审批"]),
        ok("expenditure tier of 10 × the rural standard",
            || temp_aid(&st(NOW), &aid(Area::Rural, Expenditure, tier("medical_3"))),
            660000,
            &["支出型（医疗）三档：10 × 月低保标准 660.00 = 6,600.00 元"]),
        ok("a proposed amount held to the 10× cap",
            || temp_aid(&st(NOW), &aid(Area::Urban, Expenditure, TempAidBasis::Amount(2_000_000))),
            871000,
            &["核定金额 20,000.00 元", "超过上限 10 × 871.00 = 8,710.00 元，按上限发放"]),
        ok("expenditure aid has no emergency minimum",
            || temp_aid(&st(NOW), &aid(Area::Rural, Expenditure, TempAidBasis::Multiple(Decimal::new(5, 1)))),
            33000,
            &["核定倍数：50% × 月低保标准 660.00 = 330.00 元"]),
        err("a tier of the wrong kind",
            || temp_aid(&st(NOW), &aid(Area::Urban, Expenditure, tier("emergency_1"))),
            "tier", "“急难型一档”是急难型临时救助的档次，不能用于支出型临时救助"),
        err("an unknown tier",
            || temp_aid(&st(NOW), &aid(Area::Urban, Emergency, tier("x9"))),
            "tier", "没有代码为“x9”的临时救助档次"),
        err("a negative multiple",
            || temp_aid(&st(NOW), &aid(Area::Urban, Emergency, TempAidBasis::Multiple(Decimal::NEGATIVE_ONE))),
            "multiple", "倍数不能为负数"),
        ok("township quota as a fixed amount",
            || temp_aid(&st_with(NOW, &[("temp.township_quota.mode", Scope::All, "amount")]), &aid(Area::Urban, Emergency, tier("emergency_2"))),
            348400,
            &["超过乡镇审批额度 2,000.00 元"]),
    ];
    check(cases);
}

#[test]
fn township_quota_decides_who_approves() {
    let st = st(NOW);
    assert!(township_may_approve(&st, Area::Urban, 261300).unwrap());
    assert!(!township_may_approve(&st, Area::Urban, 261301).unwrap());
    assert!(township_may_approve(&st, Area::Rural, 198000).unwrap());
}

#[test]
fn fixed_rate_programme_cases() {
    use ChildCategory::{OrphanInstitution, OrphanScattered, Unsupported};
    #[rustfmt::skip]
    let cases = vec![
        ok("orphan in an institution",
            || child_allowance(&st(NOW), &child("2015-04-01"), OrphanInstitution),
            175000,
            &["孤儿基本生活费（集中养育）：1,750.00 元/人·月"]),
        ok("orphan living scattered",
            || child_allowance(&st(NOW), &child("2015-04-01"), OrphanScattered),
            130000,
            &["孤儿基本生活费（散居）：1,300.00 元/人·月"]),
        ok("de facto unsupported child",
            || child_allowance(&st(NOW), &child("2010-04-01"), Unsupported),
            130000,
            &["事实无人抚养儿童基本生活补贴：1,300.00 元/人·月", "小明（13 岁）按月发放 1,300.00 元"]),
        err("a child who has turned 18",
            || child_allowance(&st(NOW), &child("2005-01-01"), OrphanScattered),
            "birth_date", "小明已满 18 周岁（18 岁）"),
        ok("两项补贴: grade 1 in a 低保 family gets both",
            || disability_subsidies(&st(NOW), &disabled(1), true),
            15000,
            &["困难残疾人生活补贴：75.00 元/人·月（2022-12-01 起执行）", "两项补贴合计 150.00 元/月"]),
        ok("两项补贴: grade 3 gets the living subsidy only",
            || disability_subsidies(&st(NOW), &disabled(3), true),
            7500,
            &["张三 为3级残疾，不属于一、二级重度残疾，不享受护理补贴"]),
        ok("两项补贴: grade 2 outside a poor family gets the care subsidy only",
            || disability_subsidies(&st(NOW), &disabled(2), false),
            7500,
            &["不享受生活补贴", "重度残疾人护理补贴：75.00 元/人·月"]),
        ok("两项补贴 before the December 2022 rise",
            || disability_subsidies(&st("2022-11-15"), &disabled(1), true),
            12000,
            &["重度残疾人护理补贴：60.00 元/人·月（2022-01-01 起执行）"]),
        err("两项补贴 without a disability",
            || disability_subsidies(&st(NOW), &adult(1, "张三", "1975-03-01"), true),
            "disability_grade", "没有登记残疾等级"),
        ok("price subsidy: CPI 3.6 % for 3 people",
            || price_subsidy(&st(NOW), Area::Urban, 3, &cpi("3.6", None)),
            9300,
            &["本月 CPI 同比涨幅 3.6%，启动条件 3.5%：已达到", "每人 = 低保标准 871.00 × 涨幅 3.6% = 31.356 元", "四舍五入到元：31.36 → 31.00 元", "合计 31.00 × 3 人 = 93.00 元"]),
        ok("price subsidy: CPI below the trigger",
            || price_subsidy(&st(NOW), Area::Urban, 3, &cpi("3.4", None)),
            0,
            &["启动条件 3.5%：未达到", "未达到价格临时补贴启动条件，本月不发放"]),
        ok("price subsidy triggered by food prices",
            || price_subsidy(&st(NOW), Area::Rural, 2, &cpi("2", Some("6.5"))),
            8600,
            &["本月食品价格同比涨幅 6.5%，启动条件 6%：已达到", "四舍五入到元：42.90 → 43.00 元"]),
        ok("price subsidy with the trigger lowered to 3 % from September 2022",
            || price_subsidy(&st("2022-10-15"), Area::Urban, 1, &cpi("3.2", None)),
            2500,
            &["价格临时补贴启动条件：CPI 同比涨幅：3%（2022-09-01 起执行）", "四舍五入到元：25.31 → 25.00 元"]),
        ok("price subsidy trigger back to 3.5 % from April 2023",
            || price_subsidy(&st("2023-04-15"), Area::Urban, 1, &cpi("3.2", None)),
            0,
            &["（2023-04-01 起执行）", "本月不发放"]),
        ok("price subsidy of 30.485 rounds to 30 yuan",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("3.5", None)),
            3000,
            &["= 30.485 元", "四舍五入到元：30.49 → 30.00 元"]),
        err("a CPI rise typed as a fraction (0.036 for 3.6 %) is refused, not silently unpaid",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("0.036", None)),
            "cpi_rise", "CPI 同比涨幅按百分数填写：0.036 表示 0.036%，低于启动条件 3.5%；若指 3.6%，请填写 3.6"),
        err("a food rise typed as a fraction is refused",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("2", Some("0.065"))),
            "food_rise", "若指 6.5%，请填写 6.5"),
        err("a rise of 100 % or more is refused in per cent",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("360", None)),
            "cpi_rise", "应按百分数填写，在 -100 到 100 之间，如 3.6 表示 3.6%"),
        ok("a small rise that could not trigger even as a fraction just pays nothing",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("0.02", None)),
            0,
            &["本月 CPI 同比涨幅 0.02%，启动条件 3.5%：未达到"]),
        ok("a falling CPI pays nothing",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("-0.3", None)),
            0,
            &["本月不发放"]),
        ok("both triggered: by default the CPI rise is used",
            || price_subsidy(&st(NOW), Area::Urban, 1, &cpi("3.6", Some("6.5"))),
            3100,
            &["CPI 和食品价格同时达到启动条件时，补贴所按涨幅：按 CPI 涨幅", "两项均已达到启动条件，按CPI 涨幅计算", "涨幅 3.6%"]),
        ok("both triggered: a county that pays the higher rise uses food at 6.5 %",
            || price_subsidy(&st_with(NOW, &[("price.rise_basis", Scope::All, "higher")]), Area::Urban, 1, &cpi("3.6", Some("6.5"))),
            5700,
            &["按较高的食品价格涨幅计算", "每人 = 低保标准 871.00 × 涨幅 6.5% = 56.615 元"]),
        ok("both triggered: a county that pays by food prices",
            || price_subsidy(&st_with(NOW, &[("price.rise_basis", Scope::All, "food")]), Area::Rural, 1, &cpi("7", Some("6.5"))),
            4300,
            &["按食品价格涨幅计算"]),
        ok("both triggered, 'higher' with CPI the higher",
            || price_subsidy(&st_with(NOW, &[("price.rise_basis", Scope::All, "higher")]), Area::Rural, 1, &cpi("7", Some("6.5"))),
            4600,
            &["按较高的 CPI 涨幅计算"]),
        ok("one-time subsidy for 3 低保 people",
            || one_time_subsidy(&st(NOW), OneTimeFor::Dibao, 3),
            36000,
            &["一次性生活补贴（低保对象，每人）：120.00 元/人", "120.00 × 3 人 = 360.00 元"]),
        ok("one-time subsidy for 2 特困 people",
            || one_time_subsidy(&st(NOW), OneTimeFor::Tekun, 2),
            40000,
            &["200.00 × 2 人 = 400.00 元"]),
        ok("渐退期 capped at standard × persons",
            || exit(st(NOW), 150000, 2, ExitReason::Employment),
            1584000,
            &["现发放 1,500.00 元超过低保标准 × 人数 = 660.00 × 2 = 1,320.00 元，按 1,320.00 元发放", "1,320.00 元/月 × 12 个月 = 15,840.00 元"]),
        ok("渐退期 under the cap keeps the benefit",
            || exit(st(NOW), 80000, 2, ExitReason::Employment),
            960000,
            &["照发", "给予渐退期 12 个月"]),
        ok("voluntary exit for 3 months",
            || exit(st(NOW), 50000, 1, ExitReason::Voluntary { months: 3 }),
            150000,
            &["主动申请退出，继续发放 3 个月"]),
        err("voluntary exit for 4 months",
            || exit(st(NOW), 50000, 1, ExitReason::Voluntary { months: 4 }),
            "months", "主动退出可继续发放 1 到 3 个月，现在是 4 个月"),
        ok("a county with a 6-month 渐退期",
            || exit(st_with(NOW, &[("exit.gradual_months", Scope::All, "6")]), 80000, 2, ExitReason::Employment),
            480000,
            &["渐退期（月）：6 个月"]),
    ];
    check(cases);
}

#[test]
fn classification_cases() {
    #[rustfmt::skip]
    let cases = vec![
        ok("classified 低保",
            || classified(st(NOW), with(hh(Area::Rural, three()), vec![transfer(1, 100000)])),
            0,
            &["建议：低保", "家庭月人均收入 ≈333.33 元低于低保标准 660.00 元，财产状况符合规定"]),
        ok("classified 低保边缘",
            || classified(st(NOW), with(hh(Area::Urban, vec![adult(1, "张三", "1975-03-01"), adult(2, "李四", "1978-06-01")]), vec![transfer(1, 200000)])),
            0,
            &["建议：低保边缘", "低于低保边缘标准 1,306.50 元（低保标准 × 1.5），属于低保边缘家庭"]),
        ok("classified 单人保 for the ill member of a marginal family",
            || {
                let ill = Member { serious_illness: Some("尿毒症".into()), ..adult(2, "李四", "1978-06-01") };
                classified(st(NOW), with(hh(Area::Urban, vec![adult(1, "张三", "1975-03-01"), ill]), vec![transfer(1, 200000)]))
            },
            0,
            &["建议：单人保", "李四患重病（尿毒症），可单独纳入低保（单人保）"]),
        ok("classified 特困",
            || classified(st(NOW), alone(Area::Rural, elder(1, "张三"))),
            0,
            &["建议：特困", "张三：73 周岁，年满 60 周岁；本人月收入 0.00 元低于低保标准；无法定义务人或其无履行能力，符合特困人员条件"]),
        ok("an old person with an able son is not 特困",
            || classified(st(NOW), hh(Area::Rural, vec![Member { able_supporter: true, ..elder(1, "张三") }, adult(2, "张小", "1980-01-01")])),
            0,
            &["法定义务人有履行能力", "建议：低保"]),
        ok("not eligible by income",
            || classified(st(NOW), urban_income(140000)),
            0,
            &["建议：不符合条件", "家庭月人均收入 1,400.00 元不低于低保边缘标准 1,306.50 元"]),
        ok("not eligible by deposits",
            || classified(st(NOW), with_assets(urban_income(0), Assets { deposits_fen: 3_000_000, ..Assets::default() })),
            0,
            &["人均存款 30,000.00 元超过上限 20,904.00 元", "建议：不符合条件"]),
        ok("not eligible with a car",
            || classified(st(NOW), with_assets(urban_income(0), Assets { vehicles: 1, ..Assets::default() })),
            0,
            &["拥有机动车 1 辆，超过 0 辆", "建议：不符合条件"]),
        ok("not eligible with a second house",
            || classified(st(NOW), with_assets(urban_income(0), Assets { extra_housing: 1, ..Assets::default() })),
            0,
            &["自住房以外另有住房 1 套，超过 0 套"]),
        ok("deposits within the limit",
            || classified(st(NOW), with_assets(urban_income(0), Assets { deposits_fen: 2_090_400, ..Assets::default() })),
            0,
            &["人均存款 20,904.00 ÷ 1 = 20,904.00 元，上限 871.00 × 12 × 2 = 20,904.00 元：未超过", "建议：低保"]),
        err("negative deposits",
            || classified(st(NOW), with_assets(urban_income(0), Assets { deposits_fen: -1, ..Assets::default() })),
            "assets.deposits", "存款金额不能为负数"),
    ];
    check(cases);
}
