//! 低保 and 单人保 cases: the income count, deductions, 分档, 分类施保, rounding and bad input.

use rust_decimal::Decimal;

use super::*;

const NOW: &str = "2023-06-15";

fn st632() -> Standards {
    st_with(NOW, &[("dibao.standard", Scope::Rural, "63200")])
}

fn rural3(incomes: Vec<IncomeItem>) -> Household {
    with(hh(Area::Rural, three()), incomes)
}

fn urban1(incomes: Vec<IncomeItem>) -> Household {
    with(
        hh(Area::Urban, vec![adult(1, "张三", "1975-03-01")]),
        incomes,
    )
}

/// 张三 alone in town, registered with `job`, earning `fen` a month.
fn worker(job: &str, fen: i64) -> Household {
    let mut h = urban1(vec![wage(1, fen)]);
    h.members[0].employment = Some(job.into());
    h
}

fn urban2(incomes: Vec<IncomeItem>) -> Household {
    let members = vec![
        adult(1, "张三", "1975-03-01"),
        adult(2, "李四", "1978-06-01"),
    ];
    with(hh(Area::Urban, members), incomes)
}

fn ill(m: Member) -> Member {
    Member {
        serious_illness: Some("尿毒症".into()),
        ..m
    }
}

/// A mother and a 10-year-old child with a grade-1 disability, no income, urban.
fn mother_and_disabled_child() -> Household {
    let child = Member {
        disability_type: Some("physical".into()),
        disability_grade: Some(1),
        labour_capacity: LabourCapacity::Lost,
        ..adult(5, "小明", "2013-02-01")
    };
    hh(Area::Urban, vec![adult(2, "李四", "1978-06-01"), child])
}

fn with_rigid(mut h: Household, items: Vec<RigidExpenditure>) -> Household {
    h.expenditures = items;
    h
}

fn exempt(person: i64, annual_fen: i64, reason: &str) -> IncomeItem {
    IncomeItem {
        exempt_reason: Some(reason.to_owned()),
        description: "奖励".into(),
        ..income(person, IncomeKind::Other, annual_fen, Period::Annual)
    }
}

#[test]
fn dibao_cases() {
    use ExpenditureKind::{Medical, Schooling};
    #[rustfmt::skip]
    let cases = vec![
        ok("family of 3, income 1,894/month, standard 632 → 2 yuan",
            || dibao(&st632(), &rural3(vec![transfer(1, 189400)])),
            200,
            &["农村低保标准：632.00 元/人·月", "(632.00 × 12 × 3 − 22,728.00) ÷ 12 = 2.00 元/月", "四舍五入到分：2.00 → 2.00 元"]),
        ok("the same income entered as an annual figure",
            || dibao(&st632(), &rural3(vec![income(1, IncomeKind::Transfer, 2272800, Period::Annual)])),
            200,
            &["22,728.00 元/年"]),
        ok("rural family of 3 without income gets 3 × 660",
            || dibao(&st(NOW), &rural3(vec![])),
            198000,
            &["(660.00 × 12 × 3 − 0.00) ÷ 12 = 1,980.00 元/月"]),
        ok("urban family of 2 with 1,000 a month",
            || dibao(&st(NOW), &urban2(vec![transfer(1, 100000)])),
            74200,
            &["城市低保标准：871.00 元/人·月（2023-01-01 起执行）"]),
        ok("a month before the new standard uses the older value",
            || dibao(&st("2022-12-15"), &with(hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]), vec![])),
            59300,
            &["农村低保标准：593.00 元/人·月（2022-01-01 起执行）"]),
        ok("the day the new standard starts uses it",
            || dibao(&st("2023-01-01"), &with(hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]), vec![])),
            66000,
            &["农村低保标准：660.00 元/人·月（2023-01-01 起执行）"]),
        err_exact("a date before any standard",
            || dibao(&st("2019-01-01"), &rural3(vec![])),
            "standards",
            "没有 2019-01-01 起生效的农村低保标准，请先配置保障标准"),
        ok("income exactly at the standard gets nothing",
            || dibao(&st(NOW), &urban1(vec![transfer(1, 87100)])),
            0,
            &["家庭月人均收入不低于低保标准，不予补差"]),
        ok("income above the standard gets nothing",
            || dibao(&st(NOW), &urban1(vec![transfer(1, 100000)])),
            0,
            &["不予补差"]),
        ok("half a fen rounds away from zero",
            || dibao(&st632(), &rural3(vec![income(1, IncomeKind::Transfer, 2275194, Period::Annual)])),
            1,
            &["四舍五入到分：0.005 → 0.01 元"]),
        ok("employment cost: 30 % of earned income",
            || dibao(&st(NOW), &urban1(vec![wage(1, 100000)])),
            17100,
            &["就业成本扣减：张三 务工收入 12,000.00 × 30% = 3,600.00 元/年",
              "年可计收入 = 年收入 12,000.00 − 就业成本 3,600.00 − 刚性支出 0.00 = 8,400.00 元"]),
        ok("employment cost: 30 % of the standard",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.mode", Scope::All, "standard")]), &urban1(vec![wage(1, 100000)])),
            13230,
            &["就业成本扣减：张三 按低保标准 871.00 × 30% × 12 = 3,135.60 元/年"]),
        ok("employment cost is capped at the standard",
            || {
                let mut members = three();
                members.push(adult(4, "赵六", "1980-01-01"));
                dibao(&st(NOW), &with(hh(Area::Urban, members), vec![wage(1, 400000)]))
            },
            35500,
            &["超过上限 10,452.00 元/年（低保标准 × 1 × 12），按上限扣减"]),
        ok("employment cost never exceeds what was earned",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.mode", Scope::All, "standard")]), &urban1(vec![wage(1, 10000)])),
            87100,
            &["不超过本人务工收入，按 1,200.00 元扣减"]),
        ok("a migrant worker's deduction on the work place's urban standard, where the county says so",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.migrant_basis", Scope::All, "work_place"), ("dibao.employment_cost.work_place_standard", Scope::All, "120000")]), &worker("migrant", 100000)),
            23100,
            &["外出务工成员的就业成本扣减方式：按务工地城市低保标准的比例", "务工地城市低保标准（外出务工成员扣减就业成本所按）：1,200.00 元/人·月",
              "就业成本扣减：张三 外出务工，按务工地城市低保标准 1,200.00 × 30% × 12 = 4,320.00 元/年"]),
        ok("by default a migrant worker's deduction is like anyone's",
            || dibao(&st(NOW), &worker("migrant", 100000)),
            17100,
            &["就业成本扣减：张三 务工收入 12,000.00 × 30% = 3,600.00 元/年"]),
        ok("the work place's standard applies to migrant workers only",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.migrant_basis", Scope::All, "work_place"), ("dibao.employment_cost.work_place_standard", Scope::All, "120000")]), &worker("employed", 100000)),
            17100,
            &["就业成本扣减：张三 务工收入 12,000.00 × 30% = 3,600.00 元/年"]),
        ok("deduction limited to migrant workers: an unmarked earner gets none",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.who", Scope::All, "migrant")]), &urban1(vec![wage(1, 80000)])),
            7100,
            &["就业成本扣减：张三 未登记为外出务工，不扣减", "年可计收入 = 9,600.00 元"]),
        ok("deduction limited to migrant workers: a migrant gets it",
            || dibao(&st_with(NOW, &[("dibao.employment_cost.who", Scope::All, "migrant")]), &worker("migrant", 80000)),
            31100,
            &["张三 务工收入 9,600.00 × 30% = 2,880.00 元/年"]),
        ok("deduction limited to employed or migrant: 务工/受雇 gets it, 务农 does not",
            || {
                let st = st_with(NOW, &[("dibao.employment_cost.who", Scope::All, "employed")]);
                let mut h = urban2(vec![wage(1, 50000), wage(2, 50000)]);
                h.members[0].employment = Some("employed".into());
                h.members[1].employment = Some("farming".into());
                dibao(&st, &h)
            },
            89200,
            &["张三 务工收入 6,000.00 × 30% = 1,800.00", "李四 未登记为务工/受雇或外出务工，不扣减"]),
        ok("each working member gets their own deduction",
            || dibao(&st(NOW), &urban2(vec![wage(1, 100000), wage(2, 50000)])),
            69200,
            &["张三 务工收入 12,000.00 × 30% = 3,600.00", "李四 务工收入 6,000.00 × 30% = 1,800.00"]),
        ok("exempt income is listed and not counted",
            || dibao(&st(NOW), &urban1(vec![exempt(1, 500000, "见义勇为奖励")])),
            87100,
            &["不计入：张三 其他收入“奖励” 5,000.00 元/年（见义勇为奖励）", "年可计收入 = 0.00 元"]),
        ok("rigid expenditure is deducted",
            || dibao(&st(NOW), &with_rigid(urban2(vec![transfer(1, 150000)]), vec![rigid(2, Medical, 600000)])),
            74200,
            &["刚性支出：李四 医疗支出", "刚性支出扣减合计 6,000.00 元/年（只扣减一次）"]),
        ok("rigid expenditure deducted once (a peer system deducted it twice)",
            || dibao(&st(NOW), &with_rigid(urban2(vec![transfer(1, 150000)]), vec![rigid(2, Medical, 300000), rigid(1, Schooling, 300000)])),
            74200,
            &["年可计收入 = 年收入 18,000.00 − 就业成本 0.00 − 刚性支出 6,000.00 = 12,000.00 元"]),
        ok("a county that does not deduct rigid expenditure",
            || dibao(&st_with(NOW, &[("dibao.rigid_deduction", Scope::All, "off")]), &with_rigid(urban2(vec![transfer(1, 150000)]), vec![rigid(2, Medical, 600000)])),
            24200,
            &["本县不扣减刚性支出"]),
        ok("deductions larger than income count as zero income",
            || dibao(&st(NOW), &with_rigid(urban2(vec![transfer(1, 10000)]), vec![rigid(2, Medical, 600000)])),
            174200,
            &["扣减后低于 0，按 0 计"]),
        ok("only covered members are paid for, income shared over the whole family",
            || {
                let mut members = three();
                members.push(Member { covered: false, ..adult(4, "赵六", "1980-01-01") });
                dibao(&st(NOW), &with(hh(Area::Rural, members), vec![transfer(1, 120000)]))
            },
            108000,
            &["(660.00 × 12 × 4 − 14,400.00) × 3 ÷ 4 ÷ 12 = 1,080.00 元/月"]),
        ok("分类施保: seriously ill, 10 % of the standard",
            || dibao(&st(NOW), &with(hh(Area::Urban, vec![ill(adult(1, "张三", "1975-03-01"))]), vec![])),
            95810,
            &["分类施保（重病）每人 = 低保标准 871.00 × 10% = 87.10 元/月", "合计 = 补差 871.00 + 分类施保 87.10 = 958.10 元/月"]),
        ok("分类施保: aged 60 or over, 5 % of the standard",
            || dibao(&st(NOW), &with(hh(Area::Urban, vec![adult(1, "张三", "1950-03-01")]), vec![])),
            91455,
            &["分类施保：张三（60 周岁以上）加发 43.55 元/月"]),
        ok("分类施保: several categories take the highest",
            || dibao(&st(NOW), &mother_and_disabled_child()),
            182910,
            &["分类施保：小明（一二级重度残疾、未满 18 周岁），就高加发 87.10 元/月"]),
        ok("分类施保: several categories added up where the county says so",
            || dibao(&st_with(NOW, &[("dibao.uplift.combine", Scope::All, "sum")]), &mother_and_disabled_child()),
            187265,
            &["叠加加发 130.65 元/月"]),
        ok("分类施保 as a fixed amount",
            || dibao(&st_with(NOW, &[("dibao.uplift.illness.mode", Scope::All, "amount")]), &with(hh(Area::Urban, vec![ill(adult(1, "张三", "1975-03-01"))]), vec![])),
            95800,
            &["城市分类施保（重病）定额：87.00 元/人·月"]),
        ok("no 分类施保 for a member the grant does not cover",
            || {
                let members = vec![adult(1, "张三", "1975-03-01"), Member { covered: false, ..ill(adult(2, "李四", "1978-06-01")) }];
                dibao(&st(NOW), &hh(Area::Urban, members))
            },
            87100,
            &["× 1 ÷ 2 ÷ 12 = 871.00 元/月"]),
        ok("no 分类施保 for a family above the standard",
            || dibao(&st(NOW), &with(hh(Area::Urban, vec![adult(1, "张三", "1950-03-01")]), vec![transfer(1, 100000)])),
            0,
            &["不予补差"]),
        ok("分档: income below a quarter of the standard",
            || dibao(&st_with(NOW, &[("dibao.tier_mode", Scope::All, "tiers")]), &with(hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]), vec![transfer(1, 10000)])),
            59400,
            &["每人按标准的 90% 发放：660.00 × 90% × 1 = 594.00 元/月"]),
        ok("分档: income below half the standard",
            || dibao(&st_with(NOW, &[("dibao.tier_mode", Scope::All, "tiers")]), &with(hh(Area::Rural, vec![adult(1, "张三", "1975-03-01")]), vec![transfer(1, 30000)])),
            42900,
            &["低于 50%，每人按标准的 65% 发放"]),
        ok("grant rounded to whole yuan",
            || dibao(&st_with(NOW, &[("grant.rounding", Scope::All, "yuan_round")]), &urban1(vec![transfer(1, 10050)])),
            77100,
            &["四舍五入到分：770.50 → 770.50 元", "四舍五入到元：770.50 → 771.00 元"]),
        ok("grant rounded up to whole yuan",
            || dibao(&st_with(NOW, &[("grant.rounding", Scope::All, "yuan_ceil")]), &urban1(vec![transfer(1, 10090)])),
            77100,
            &["向上取整到元：770.10 → 771.00 元"]),
        ok("grant kept to the fen by default",
            || dibao(&st(NOW), &urban1(vec![transfer(1, 10090)])),
            77010,
            &["救助金取整方式：精确到分"]),
        ok("单人保: the ill member alone, others' wages not counted",
            || {
                let mut members = three();
                members[1] = ill(members[1].clone());
                single_person(&st(NOW), &with(hh(Area::Rural, members), vec![wage(1, 300000)]), 2)
            },
            72600,
            &["单人保：李四 单独纳入", "(660.00 × 12 × 1 − 0.00) ÷ 12 = 660.00 元/月", "加发 66.00 元/月"]),
        ok("单人保 counts the member's own income",
            || {
                let mut members = three();
                members[1] = ill(members[1].clone());
                single_person(&st(NOW), &with(hh(Area::Rural, members), vec![wage(1, 300000), transfer(2, 20000)]), 2)
            },
            52600,
            &["(660.00 × 12 × 1 − 2,400.00) ÷ 12 = 460.00 元/月"]),
        err("单人保 for someone not in the household",
            || single_person(&st(NOW), &rural3(vec![]), 99),
            "person_id", "本户没有这名成员"),
        err("nobody covered",
            || dibao(&st(NOW), &hh(Area::Rural, vec![Member { covered: false, ..adult(1, "张三", "1975-03-01") }])),
            "members", "没有保障对象"),
        err("negative income",
            || dibao(&st(NOW), &rural3(vec![transfer(1, -100)])),
            "incomes[0].amount", "金额不能为负数"),
        err("a child under 16 marked as employed",
            || {
                let mut members = three();
                members.push(Member { employment: Some("employed".into()), ..adult(4, "小红", "2012-05-01") });
                dibao(&st(NOW), &hh(Area::Rural, members))
            },
            "members[3].employment", "小红未满 16 周岁（11 岁），不能登记为“务工/受雇”"),
        err("income of someone outside the household",
            || dibao(&st(NOW), &rural3(vec![transfer(9, 100)])),
            "incomes[0].person_id", "不属于本户成员"),
        err("exempt income without a reason",
            || dibao(&st(NOW), &rural3(vec![exempt(1, 100, " ")])),
            "incomes[0].exempt_reason", "请写明理由"),
        err("born after the date computed",
            || dibao(&st("2023-01-01"), &hh(Area::Rural, vec![adult(1, "张三", "2023-05-01")])),
            "members[0].birth_date", "出生日期晚于计算日期"),
    ];
    check(cases);
}

/// Going through a rounded per-capita income gives 3 yuan (to the yuan) or 2.01 (to the fen);
/// the engine must give 2.
#[test]
fn rounded_per_capita_route_is_not_used() {
    let out = dibao(&st632(), &rural3(vec![transfer(1, 189400)])).unwrap();
    let per_capita = Decimal::new(189400, 2) / Decimal::from(3);
    let to_yuan =
        per_capita.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let wrong_yuan = money::round_fen((Decimal::from(632) - to_yuan) * Decimal::from(3));
    let wrong_fen = money::round_fen(
        (Decimal::from(632) - Decimal::from(money::round_fen(per_capita)) / Decimal::ONE_HUNDRED)
            * Decimal::from(3),
    );
    assert_eq!((wrong_yuan, wrong_fen), (300, 201));
    assert_eq!(out.amount_fen, 200);
    assert!(!out
        .trail
        .texts()
        .any(|t| t.contains("631.33 ×") || t.contains("631.00")));
}

/// rust_decimal's `round_dp` is banker's rounding; ours is half away from zero.
#[test]
fn round_fen_is_half_away_from_zero() {
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(money::round_fen(d("2.345")), 235);
    assert_eq!(money::round_fen(d("-2.345")), -235);
    assert_eq!(money::round_fen(d("1132.365")), 113237);
    assert_eq!(
        d("2.345").round_dp(2),
        d("2.34"),
        "the trap the engine avoids"
    );
    assert_eq!(money::round_grant(77050, GrantRounding::YuanRound), 77100);
    assert_eq!(money::round_grant(77049, GrantRounding::YuanRound), 77000);
    assert_eq!(money::round_grant(77001, GrantRounding::YuanCeil), 77100);
    assert_eq!(money::round_grant(77000, GrantRounding::YuanCeil), 77000);
    assert_eq!(money::fmt_yuan(522600), "5,226.00");
    assert_eq!(money::fmt_yuan(-5), "-0.05");
    assert_eq!(money::fmt_yuan(123456789), "1,234,567.89");
}
