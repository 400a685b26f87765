//! The people of the demo county: names by real frequency and era, family shapes with ages that
//! fit, and each member's traits drawn from age and circumstances, then validated as if typed.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;

use super::{words, Gen, COUNTY_CODE};
use crate::error::CmdResult;
use crate::idcard::{self, Sex};
use crate::registry::{self, PersonFacts, RawPerson};

// ---- names ----

/// Surnames with their frequency per ten thousand, roughly as counted nationally; a few at the end
/// read differently as surnames (单 shan, 解 xie, 仇 qiu, 朴 piao, 查 zha, 翟 zhai, 缪 miao).
pub(super) const SURNAMES: &str = "王:712 李:700 张:660 刘:540 陈:450 杨:310 黄:220 赵:200 吴:180 周:170 徐:130 孙:130 \
    马:120 朱:120 胡:110 郭:110 何:100 高:97 林:95 罗:87 郑:80 梁:70 谢:60 宋:60 唐:60 许:50 韩:50 冯:50 \
    邓:50 曹:50 彭:40 曾:40 肖:40 田:40 董:40 袁:40 潘:30 于:30 蒋:30 蔡:30 余:30 杜:30 叶:30 程:30 苏:30 \
    魏:30 吕:30 丁:30 任:30 沈:30 姚:20 卢:20 姜:20 崔:20 钟:20 谭:20 陆:20 汪:20 范:20 金:20 石:20 廖:20 \
    贾:20 夏:20 韦:20 付:20 方:20 白:20 邹:20 孟:20 熊:20 秦:20 邱:20 江:20 尹:20 薛:20 闫:20 段:20 雷:20 \
    侯:20 龙:20 史:20 陶:10 黎:10 贺:10 顾:10 毛:10 郝:10 龚:10 邵:10 万:10 钱:10 严:10 武:10 戴:10 莫:10 \
    孔:10 向:10 汤:10 欧阳:4 司马:2 诸葛:1 单:8 解:6 仇:4 朴:3 查:3 翟:5 缪:3";

/// Whole given names of people born before 1965.
const OLD_MALE: &str =
    "建国 建华 建军 国庆 国华 国强 德福 长贵 福生 保国 振华 志强 学文 永福 金山 铁柱 春生 \
    秋生 满仓 书林 文斌 新民 爱国 德明 进财 玉山 树林 广田 世杰 成林 军 勇 明 林 华 刚 平 忠";
const OLD_FEMALE: &str =
    "秀英 桂英 秀兰 桂兰 玉兰 凤英 秀珍 玉珍 桂芳 淑珍 素芬 翠花 凤兰 玉梅 秀芳 兰英 桂香 \
    秀云 春花 美英 金凤 爱莲 淑英 玉芝 巧云 月娥 荣 英 兰 珍 芳";
/// First and second characters of given names, by era (1965–1994, from 1995) and sex.
const MID_MALE: (&str, &str) = (
    "建志海小永红晓俊文国立伟东明新春朝振宏军卫",
    "伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌峰亮东锋龙林",
);
const MID_FEMALE: (&str, &str) = (
    "丽秀红晓春海玉桂美慧小雪",
    "芳娜敏静丽艳娟霞燕玲英琴云梅红萍华婷",
);
const YOUNG_MALE: (&str, &str) = (
    "子浩宇梓一俊博嘉皓思天明家睿",
    "轩然航泽宇辰涵豪杰铭昊阳博瑞文哲凯",
);
const YOUNG_FEMALE: (&str, &str) = (
    "子梓欣雨诗佳一语可思梦若紫",
    "涵萱怡彤琪馨悦桐然琳诺菲瑶晴妍",
);
/// Characters that IME users struggle with and old systems lose; about one name in 200 has one.
const RARE_MALE: &str = "䶮堃喆犇垚赟燚𠇔";
const RARE_FEMALE: &str = "玥珺淼頔";
/// Uyghur names: own name · father's name.
const UY_MALE: &str = "艾力 买买提 吐尔逊 阿不都 依明 艾山 努尔 亚森 卡德尔 热合曼 司马义 玉素甫";
const UY_FEMALE: &str =
    "阿依古丽 古丽 热依拉 迪丽娜尔 帕提古丽 米热古丽 阿依努尔 祖丽皮亚 海尼沙 努尔古丽";

// ---- person traits ----

const DISABILITY: &[(&str, u32)] = &[
    ("physical", 40),
    ("visual", 12),
    ("hearing", 12),
    ("speech", 3),
    ("intellectual", 10),
    ("mental", 13),
    ("multiple", 10),
];
const GRADE: &[(i64, u32)] = &[(1, 15), (2, 30), (3, 30), (4, 25)];
const ILLNESS_ADULT: &[(&str, u32)] = &[
    ("尿毒症", 15),
    ("恶性肿瘤", 20),
    ("白血病", 6),
    ("肺癌", 8),
    ("乳腺癌", 6),
    ("胃癌", 6),
    ("脑梗死后遗症", 12),
    ("重性精神病", 8),
    ("系统性红斑狼疮", 3),
    ("再生障碍性贫血", 3),
    ("肝硬化", 6),
    ("帕金森病", 4),
    ("冠心病（搭桥术后）", 3),
];
const ILLNESS_CHILD: &[(&str, u32)] = &[
    ("白血病", 40),
    ("先天性心脏病", 35),
    ("脑性瘫痪", 15),
    ("血友病", 10),
];
const RURAL_WORK: &[(&str, u32)] = &[
    ("farming", 45),
    ("employed", 30),
    ("self_employed", 5),
    ("flexible", 8),
    ("none", 12),
];
const URBAN_WORK: &[(&str, u32)] = &[
    ("employed", 30),
    ("flexible", 25),
    ("self_employed", 8),
    ("unemployed", 22),
    ("none", 15),
];
/// Family shapes common among assisted households, with their weights.
#[derive(Clone, Copy)]
enum Shape {
    SingleElder,
    ElderCouple,
    SingleAdult,
    Nuclear,
    SingleParent,
    ThreeGenerations,
    ParentInHome,
    Grandchildren,
    WithGrandparent,
}

const SHAPES: &[(Shape, u32)] = &[
    (Shape::SingleElder, 18),
    (Shape::ElderCouple, 13),
    (Shape::SingleAdult, 6),
    (Shape::Nuclear, 28),
    (Shape::SingleParent, 8),
    (Shape::ThreeGenerations, 13),
    (Shape::ParentInHome, 8),
    (Shape::Grandchildren, 4),
    (Shape::WithGrandparent, 2),
];

/// Whose name a child's name follows: a Han surname, or a Uyghur father's own name.
#[derive(Clone, Copy)]
enum Line {
    Han(&'static str),
    Uyghur(&'static str),
}

struct Family {
    uyghur: bool,
    members: Vec<Draft>,
}

/// A family member before traits and ID number are drawn.
pub(super) struct Draft {
    pub(super) relation: &'static str,
    sex: Sex,
    age: i32,
    name: String,
    /// A single adult in need is more often disabled or ill.
    frail: bool,
}

impl Gen {
    /// The members of one family, head first, with ages that fit their relations: spouses within
    /// a few years, children 20–36 years younger than the younger parent.
    pub(super) fn family(&mut self) -> Vec<Draft> {
        use Sex::*;
        let f = &mut Family {
            uyghur: self.rng.gen_ratio(3, 1000),
            members: Vec::new(),
        };
        let shape = self.pick(SHAPES);
        match shape {
            Shape::SingleElder => {
                let sex = self.sex(0.4);
                let age = self.rng.gen_range(60..=92);
                let l = self.line(f);
                self.add(f, "head", sex, age, l);
            }
            Shape::ElderCouple => {
                let age = self.rng.gen_range(62..=88);
                let male = self.rng.gen_bool(0.85);
                self.couple(f, age, male);
            }
            Shape::SingleAdult => {
                let age = self.rng.gen_range(25..=59);
                let sex = self.sex(0.6);
                let l = self.line(f);
                self.add(f, "head", sex, age, l);
                f.members[0].frail = true;
                if self.rng.gen_bool(0.15) {
                    let sib = (age + self.rng.gen_range(-10..=10)).clamp(18, 70);
                    let sex = self.sex(0.5);
                    self.add(f, "sibling", sex, sib, l);
                }
            }
            Shape::Nuclear | Shape::SingleParent | Shape::ParentInHome => {
                let age = self.rng.gen_range(if matches!(shape, Shape::ParentInHome) {
                    35..=52
                } else {
                    27..=55
                });
                let (kids, young) = if matches!(shape, Shape::SingleParent) {
                    let sex = self.sex(0.4);
                    let l = self.line(f);
                    let own = self.add(f, "head", sex, age, l);
                    // A mother's children mostly carry their father's surname.
                    (
                        if sex == Male || self.rng.gen_bool(0.3) {
                            own
                        } else {
                            self.line(f)
                        },
                        age,
                    )
                } else {
                    let male = self.rng.gen_bool(0.85);
                    self.couple(f, age, male)
                };
                for _ in 0..self.pick(&[(1, 45), (2, 40), (3, 15)]) {
                    let a = self.child_age(young);
                    if a >= 0 {
                        let sex = self.sex(0.52);
                        self.add(f, "child", sex, a, kids);
                    }
                }
                if matches!(shape, Shape::ParentInHome) {
                    let a = (age + self.rng.gen_range(22..=34)).min(95);
                    // The head's father shares the head's surname (Han) or gave the head's second name.
                    let (sex, line) = if self.rng.gen_bool(0.35) {
                        (Male, self.father_of(&f.members[0].name))
                    } else {
                        (Female, self.line(f))
                    };
                    self.add(f, "parent", sex, a, line);
                }
            }
            Shape::ThreeGenerations => {
                let age = self.rng.gen_range(56..=75);
                let (kids, young) = if self.rng.gen_bool(0.7) {
                    self.couple(f, age, true)
                } else {
                    let l = self.line(f);
                    self.add(f, "head", Female, age, l);
                    (self.line(f), age)
                };
                let son = self.child_age(young).max(20);
                let grand = self.add(f, "child", Male, son, kids);
                let mut younger = son;
                if self.rng.gen_bool(0.8) {
                    let dil = (son - self.rng.gen_range(-1..=4)).max(20);
                    let l = self.line(f);
                    self.add(f, "child_in_law", Female, dil, l);
                    younger = son.min(dil);
                }
                for _ in 0..self.pick(&[(0, 10), (1, 50), (2, 40)]) {
                    let a = self.child_age(younger);
                    if a >= 0 {
                        let sex = self.sex(0.52);
                        self.add(f, "grandchild", sex, a, grand);
                    }
                }
            }
            Shape::Grandchildren => {
                let age = self.rng.gen_range(58..=80);
                let own = if self.rng.gen_bool(0.5) {
                    self.couple(f, age, true).0
                } else {
                    let l = self.line(f);
                    self.add(f, "head", Female, age, l)
                };
                // A son's children carry the family name; a daughter's their father's.
                let line = if self.rng.gen_bool(0.7) {
                    own
                } else {
                    self.line(f)
                };
                for _ in 0..self.pick(&[(1, 60), (2, 40)]) {
                    let a = (age - self.rng.gen_range(45..=65)).clamp(1, 16);
                    let sex = self.sex(0.52);
                    self.add(f, "grandchild", sex, a, line);
                }
            }
            Shape::WithGrandparent => {
                let age = self.rng.gen_range(18..=30);
                let sex = self.sex(0.5);
                let l = self.line(f);
                self.add(f, "head", sex, age, l);
                let a = (age + self.rng.gen_range(48..=60)).min(95);
                let l = self.line(f);
                self.add(f, "grandparent", Female, a, l);
            }
        }
        std::mem::take(&mut f.members)
    }

    fn sex(&mut self, p_male: f64) -> Sex {
        if self.rng.gen_bool(p_male) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    fn child_age(&mut self, younger_parent: i32) -> i32 {
        younger_parent - self.rng.gen_range(20..=36)
    }

    /// A new line for someone who married in: a drawn surname, or a Uyghur father's name.
    fn line(&mut self, f: &Family) -> Line {
        if f.uyghur {
            Line::Uyghur(self.one_of(&words(UY_MALE)))
        } else {
            Line::Han(self.surnames[self.rng.sample(&self.surname_weights)])
        }
    }

    /// Name a member, add them, and return the line their children follow.
    fn add(
        &mut self,
        f: &mut Family,
        relation: &'static str,
        sex: Sex,
        age: i32,
        line: Line,
    ) -> Line {
        let (name, child_line) = self.name(line, sex, age);
        f.members.push(Draft {
            relation,
            sex,
            age,
            name,
            frail: false,
        });
        child_line
    }

    /// Head and spouse, the man aged `age`, his wife a few years either side. Returns the line
    /// their children follow and the younger partner's age.
    fn couple(&mut self, f: &mut Family, age: i32, head_male: bool) -> (Line, i32) {
        let wife_age = (age - self.rng.gen_range(-2..=4)).max(18);
        let (his, hers) = (self.line(f), self.line(f));
        let kids = if head_male {
            let l = self.add(f, "head", Sex::Male, age, his);
            self.add(f, "spouse", Sex::Female, wife_age, hers);
            l
        } else {
            self.add(f, "head", Sex::Female, wife_age, hers);
            self.add(f, "spouse", Sex::Male, age, his)
        };
        (kids, age.min(wife_age))
    }

    /// The line a head's father had: the same surname, or for a Uyghur head the name they carry.
    fn father_of(&mut self, head_name: &str) -> Line {
        match head_name.split_once('·') {
            Some((_, father)) => Line::Uyghur(
                UY_MALE
                    .split_whitespace()
                    .find(|n| *n == father)
                    .unwrap_or("艾力"),
            ),
            None => {
                let s = self
                    .surnames
                    .iter()
                    .filter(|s| head_name.starts_with(**s))
                    .max_by_key(|s| s.len());
                Line::Han(s.copied().unwrap_or("王"))
            }
        }
    }

    /// A name in `line`, and the line this person's children follow.
    fn name(&mut self, line: Line, sex: Sex, age: i32) -> (String, Line) {
        match line {
            Line::Uyghur(father) => {
                let names = words(if sex == Sex::Male { UY_MALE } else { UY_FEMALE });
                let own = loop {
                    let n = self.one_of(&names);
                    if n != father {
                        break n;
                    }
                };
                (format!("{own}·{father}"), Line::Uyghur(own))
            }
            Line::Han(surname) => (
                format!("{surname}{}", self.given(sex, self.today.year() - age)),
                line,
            ),
        }
    }

    fn given(&mut self, sex: Sex, born: i32) -> String {
        let male = sex == Sex::Male;
        let mut given = if born < 1965 {
            self.one_of(&words(if male { OLD_MALE } else { OLD_FEMALE }))
                .to_owned()
        } else {
            let (first, second) = match (born < 1995, male) {
                (true, true) => MID_MALE,
                (true, false) => MID_FEMALE,
                (false, true) => YOUNG_MALE,
                (false, false) => YOUNG_FEMALE,
            };
            let mut g = String::new();
            if self.rng.gen_bool(if born < 1995 { 0.75 } else { 0.9 }) {
                g.push(self.char_of(first));
            }
            let c = loop {
                let c = self.char_of(second);
                if !g.starts_with(c) {
                    break c;
                }
            };
            g.push(c);
            g
        };
        if self.rng.gen_ratio(1, 200) {
            given.pop();
            given.push(self.char_of(if male { RARE_MALE } else { RARE_FEMALE }));
        }
        given
    }

    fn birth_date(&mut self, age: i32) -> NaiveDate {
        let year = self.today.year() - age;
        let anniversary = self
            .today
            .with_year(year)
            .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .expect("valid date");
        anniversary - Days::new(self.rng.gen_range(0..365))
    }

    /// A unique, valid ID number: county code, birth date, sequence (odd for men), check character.
    fn id_number(&mut self, birth: NaiveDate, sex: Sex) -> String {
        loop {
            let seq = self.rng.gen_range(0..499) * 2 + if sex == Sex::Male { 1 } else { 2 };
            let body = format!("{COUNTY_CODE}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{body}{}", idcard::check_char(&body));
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Draw a member's traits from their age and circumstances, then validate as if typed.
    pub(super) fn person(&mut self, d: &Draft, urban: bool) -> CmdResult<PersonFacts> {
        let age = d.age;
        let birth = self.birth_date(age);
        let id = self.id_number(birth, d.sex);
        let p_dis = if d.frail {
            0.4
        } else if age >= 60 {
            0.09
        } else {
            0.07
        };
        let disability = self
            .rng
            .gen_bool(p_dis)
            .then(|| (self.pick(DISABILITY), self.pick(GRADE)));
        let p_ill = if d.frail {
            0.3
        } else if age >= 45 {
            0.055
        } else {
            0.03
        };
        let illness = self.rng.gen_bool(p_ill).then(|| {
            self.pick(if age < 18 {
                ILLNESS_CHILD
            } else {
                ILLNESS_ADULT
            })
        });
        let severe = disability.is_some_and(|(_, g)| g <= 2) || illness.is_some();
        let self_care = match (age, disability) {
            (_, Some((_, 1))) => self.pick(&[("self", 20), ("partial", 50), ("none", 30)]),
            (80.., _) => self.pick(&[("self", 60), ("partial", 28), ("none", 12)]),
            (65.., _) => self.pick(&[("self", 82), ("partial", 13), ("none", 5)]),
            _ => "self",
        };
        let labour = match age {
            _ if age < 16 || self_care == "none" => "none",
            70.. => self.pick(&[("none", 75), ("partial", 25)]),
            60.. => self.pick(&[("none", 40), ("partial", 45), ("full", 15)]),
            _ if severe => self.pick(&[("none", 70), ("partial", 30)]),
            _ if disability.is_some() => "partial",
            _ => self.pick(&[("full", 90), ("partial", 10)]),
        };
        let student = match age {
            3..=5 => self.rng.gen_bool(0.7).then_some("preschool"),
            6..=11 => self.rng.gen_bool(0.97).then_some("primary"),
            12..=14 => self.rng.gen_bool(0.95).then_some("junior"),
            15..=17 => self.pick(&[(Some("senior"), 60), (Some("vocational"), 25), (None, 15)]),
            18..=22 => self.pick(&[
                (Some("undergraduate"), 30),
                (Some("vocational"), 15),
                (None, 55),
            ]),
            23..=25 => self.rng.gen_bool(0.03).then_some("postgraduate"),
            _ => None,
        };
        let employment = match age {
            _ if age < 16 || student.is_some() => None,
            _ if labour == "none" => Some("none"),
            60.. if urban => Some(self.pick(&[("retired", 15), ("none", 85)])),
            60.. => Some(self.pick(&[("farming", 60), ("none", 40)])),
            _ if labour == "partial" && !urban => {
                Some(self.pick(&[("farming", 60), ("flexible", 15), ("none", 25)]))
            }
            _ => Some(self.pick(if urban { URBAN_WORK } else { RURAL_WORK })),
        };
        registry::validate_person(
            &RawPerson {
                id_number: &id,
                name: &d.name,
                disability_type: disability.map(|(t, _)| t),
                disability_grade: disability.map(|(_, g)| g),
                serious_illness: illness,
                labour_capacity: Some(labour),
                self_care: Some(self_care),
                student,
                employment,
            },
            self.today,
        )
    }
}
