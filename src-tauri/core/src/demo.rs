//! Synthetic demo county: townships, villages, groups, staff and plausible households.
//!
//! Deterministic for a seed and the session's date. Setup, areas and users go through the command
//! layer, as if typed, so the audit trail reads right. Households go through the same core function
//! as `household.create`, after the same validation, all in one transaction (a command call per
//! household would take minutes for a real-sized county).

mod cases;
mod finances;
mod payments;
mod people;
mod temp_aid;

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use rand::distributions::WeightedIndex;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::auth::Role;
use crate::commands::households::insert_household;
use crate::commands::{Session, Stamp};
use crate::error::{CmdError, CmdResult};
use crate::registry::{self, PersonFacts, RawHousehold};

pub const COUNTY_NAME: &str = "清河县";
/// Also the region code of every generated ID number.
pub const COUNTY_CODE: &str = "410122";
/// Every demo account's password, the administrator's included.
pub const PASSWORD: &str = "doudi2026";

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub households: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub county: String,
    pub townships: usize,
    pub villages: usize,
    pub groups: usize,
    pub households: usize,
    pub persons: usize,
    /// (username, role label)
    pub users: Vec<(String, String)>,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            county,
            townships: t,
            villages: v,
            groups: g,
            households: h,
            persons: p,
            ..
        } = self;
        writeln!(f, "演示县 {county}（{COUNTY_CODE}）：乡镇/街道 {t} 个，村/社区 {v} 个，组 {g} 个；家庭 {h} 户，成员 {p} 人")?;
        writeln!(f, "Demo county {county}: {t} townships, {v} villages/communities, {g} groups, {h} households, {p} persons")?;
        writeln!(f, "用户 Users（密码 password: {PASSWORD}）")?;
        let users: Vec<String> = self
            .users
            .iter()
            .map(|(name, role)| format!("  {name:<6} {role}"))
            .collect();
        write!(f, "{}", users.join("\n"))
    }
}

/// (username, display name, role, township index or None for the county)
const STAFF: &[(&str, &str, Role, Option<usize>)] = &[
    ("jbr1", "李静", Role::Caseworker, Some(0)),
    ("shr1", "王志刚", Role::Reviewer, Some(0)),
    ("jbr3", "刘洋", Role::Caseworker, Some(0)),
    ("jbr2", "张敏", Role::Caseworker, Some(1)),
    ("shr2", "陈国强", Role::Reviewer, Some(1)),
    ("spr", "赵红梅", Role::Approver, None),
    ("cydw", "孙立新", Role::MemberUnit, None),
];

/// Build a demo county in an empty database. Leaves nobody signed in.
/// The demo county, with the eleven months before this one paid and locked (benchmarks that
/// build their own payment history call [`generate_keeping`], which makes none).
pub fn generate(session: &mut Session, opts: &DemoOptions) -> CmdResult<DemoSummary> {
    let (summary, _) = generate_keeping(session, opts, false)?;
    let today = session.clock.today();
    payments::history(session, today)?;
    Ok(summary)
}

/// A generated person as a benchmark needs them.
pub(crate) struct Sample {
    pub name: String,
    pub id_number: String,
}

/// As [`generate`]; with `keep`, also every generated person's name and ID number.
pub(crate) fn generate_keeping(
    session: &mut Session,
    opts: &DemoOptions,
    keep: bool,
) -> CmdResult<(DemoSummary, Vec<Sample>)> {
    if crate::store::users::count(&session.conn)? > 0 {
        return Err(CmdError::invalid(
            "db",
            "数据库不是空的（已有用户和数据），演示县只能生成在新建的空数据库中；请换一个新的文件名",
        ));
    }
    let today = session.clock.today();
    let mut g = Gen::new(opts.seed, today);
    crate::call(
        session,
        "auth.setup",
        json!({"county_name": COUNTY_NAME, "county_code": COUNTY_CODE, "username": "admin",
               "display_name": "刘晓东", "password": PASSWORD}),
    )?;
    let county_id = crate::store::areas::county(&session.conn)?
        .map(|a| a.id)
        .unwrap_or_default();
    let (townships, mut villages) = g.areas(session, county_id, opts.households)?;
    let mut users = vec![("admin".to_owned(), Role::Admin.label().to_owned())];
    for (username, display_name, role, township) in STAFF {
        let area_id = township.map_or(county_id, |i| townships[i.min(townships.len() - 1)]);
        crate::call(
            session,
            "user.create",
            json!({"username": username, "display_name": display_name, "role": role.as_str(),
                   "area_id": area_id, "password": PASSWORD}),
        )?;
        users.push((username.to_string(), role.label().to_owned()));
    }
    // The member-unit representative speaks for 医保局 at 一事一议 meetings.
    if let Some((cydw, _)) = crate::store::users::by_username(&session.conn, "cydw")? {
        let defaults = crate::store::deliberation::DelibSettings::default();
        crate::call(
            session,
            "deliberation.set_settings",
            json!({"units": defaults.units, "quorum": defaults.quorum.as_str(),
                   "majority": defaults.majority.as_str(),
                   "user_units": [{"user_id": cydw.id, "unit": "医保局"}]}),
        )?;
    }

    // The example county's standards, through the same import an administrator uses.
    let standards: Vec<Value> = crate::rules::demo_rows()
        .iter()
        .map(crate::commands::standards::export_row)
        .collect();
    crate::call(
        session,
        "standard.import",
        json!({"format": crate::commands::standards::EXPORT_FORMAT, "rows": standards}),
    )?;

    let stamp = Stamp {
        user_name: "admin".into(),
        at: session.now_text(),
    };
    let weights = WeightedIndex::new(villages.iter().map(|v| v.weight))
        .map_err(|e| CmdError::internal(e.to_string()))?;
    let mut samples = Vec::new();
    let persons = crate::db::with_tx(&mut session.conn, |tx| {
        let mut persons = 0;
        for _ in 0..opts.households {
            let v = &mut villages[g.rng.sample(&weights)];
            let (facts, people) = g.household(v)?;
            persons += people.len();
            if keep {
                samples.extend(people.iter().map(|(_, p)| Sample {
                    name: p.name.clone(),
                    id_number: p.id_number.clone(),
                }));
            }
            let (head, members) = people.split_first().expect("a household has a head");
            let hid = insert_household(tx, &stamp, &facts, &head.1, members, today)?;
            let ids = people
                .iter()
                .map(|(_, p)| {
                    crate::store::registry::person_by_id_number(tx, &p.id_number)?
                        .map(|x| x.id)
                        .ok_or_else(|| CmdError::internal("demo person vanished"))
                })
                .collect::<CmdResult<Vec<i64>>>()?;
            let fin = g.finances(&people, &ids, facts.hukou == "urban");
            crate::store::finances::replace(tx, hid, &fin)?;
            let after =
                crate::commands::output(crate::commands::finances::Statement::of(tx, hid, &fin)?)?;
            stamp.record(
                tx,
                "finances.set",
                "household",
                Some(hid),
                None,
                Some(&after),
            )?;
        }
        Ok(persons)
    })?;
    cases::generate(session, &mut g.rng, today)?;
    if let Some(first) = townships.first() {
        temp_aid::seed(session, &townships, *first, "admin")?;
    }
    crate::call(session, "auth.sign_out", Value::Null)?;
    let summary = DemoSummary {
        county: COUNTY_NAME.to_owned(),
        townships: townships.len(),
        villages: villages.len(),
        groups: villages.iter().map(|v| v.groups.len()).sum(),
        households: opts.households,
        persons,
        users,
    };
    Ok((summary, samples))
}

// ---- places ----

const URBAN_TOWNSHIPS: &str =
    "城关街道 东城街道 西城街道 新华街道 人民路街道 解放路街道 南关街道 北关街道";
const RURAL_TOWNSHIPS: &str = "柳园镇 王庄镇 李营镇 河口镇 石桥镇 白沙镇 青龙镇 黄店镇 大孟镇 姚家镇 刘集镇 张湾镇 官渡镇 \
    韩寺镇 八岗镇 九龙镇 万滩镇 郑庵镇 贾鲁镇 潘店镇 金河镇 双桥镇 杏花乡 三官庙乡 狼城岗乡 雁鸣湖乡 刘庄乡 芦庄乡 \
    小乔乡 土山乡 马场乡 龙王乡 黄河乡 苇塘乡";
const COMMUNITIES: &str = "幸福 和平 建设 光明 朝阳 文化 育才 锦绣 阳光 金水 滨河 丽景 康宁 祥和 福安 新华 工人 铁路 \
    电力 纺织 人民 解放 民主 胜利 友谊 团结 振兴 长青 春晖 翠竹 桂园 荷花 紫荆 文昌 书院 鼓楼 学府 花园 清河 滨湖 \
    迎宾 百花 东苑 西苑 南苑 北苑 盛世 和谐";
const NAMED_VILLAGES: &str =
    "柳树沟 石佛寺 白马寺 黄土岗 青龙湾 杏花营 桃园 槐树庄 龙王庙 三里桥 五里堡 七里河 八里岗 \
    十里铺 老君堂 关帝庙 双井 榆林 枣园 梨园 苇塘 红花 高庙 土桥";
const VILLAGE_PREFIX: &str = "东西南北前后大小上下新";
const VILLAGE_CORE: &str = "王李张刘陈杨赵黄周吴孙马朱胡郭何高罗郑梁宋谢韩唐冯于董程曹袁邓许沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜田任姜范方石姚谭邹孟白崔康毛秦史侯邵乔贺常武";
const VILLAGE_SUFFIX: &str = "庄营寨楼岗湾沟屯店集桥庙坡园洼堡铺";

// ---- households ----

const PHONE_PREFIXES: &str =
    "130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 166 173 177 \
    180 181 182 183 185 186 187 188 189 199";
/// (bank, card number prefix, card number length, weight)
const BANKS: &[(&str, &str, usize, u32)] = &[
    ("农村信用社", "623059", 19, 40),
    ("中国邮政储蓄银行", "621799", 19, 25),
    ("中国农业银行", "622848", 19, 20),
    ("中国工商银行", "621226", 19, 6),
    ("中国建设银行", "621700", 19, 5),
    ("中国银行", "456351", 16, 4),
];

struct Village {
    id: i64,
    name: String,
    urban: bool,
    /// (id, name, last house number)
    groups: Vec<(i64, String, u32)>,
    weight: f64,
}

fn words(s: &'static str) -> Vec<&'static str> {
    s.split_whitespace().collect()
}

/// Luhn check digit for a card number's leading digits.
fn luhn_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

struct Gen {
    rng: SmallRng,
    today: NaiveDate,
    ids: HashSet<String>,
    places: HashSet<String>,
    surnames: Vec<&'static str>,
    surname_weights: WeightedIndex<u32>,
}

impl Gen {
    fn new(seed: u64, today: NaiveDate) -> Gen {
        let (surnames, weights): (Vec<&'static str>, Vec<u32>) = people::SURNAMES
            .split_whitespace()
            .map(|w| {
                let (s, n) = w.split_once(':').expect("surname:weight");
                (s, n.parse::<u32>().expect("weight"))
            })
            .unzip();
        Gen {
            rng: SmallRng::seed_from_u64(seed),
            today,
            ids: HashSet::new(),
            places: HashSet::new(),
            surnames,
            surname_weights: WeightedIndex::new(weights).expect("positive weights"),
        }
    }

    fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut n = self.rng.gen_range(0..total);
        for (t, w) in table {
            if n < *w {
                return *t;
            }
            n -= w;
        }
        table[table.len() - 1].0
    }

    fn one_of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.choose(&mut self.rng).expect("non-empty")
    }

    fn char_of(&mut self, chars: &str) -> char {
        let v: Vec<char> = chars.chars().collect();
        v[self.rng.gen_range(0..v.len())]
    }

    // ---- areas, through the command layer ----

    fn create_area(
        &mut self,
        s: &mut Session,
        parent: i64,
        name: &str,
        code: Option<String>,
        urban: Option<bool>,
    ) -> CmdResult<i64> {
        let ur = urban.map(|u| if u { "urban" } else { "rural" });
        let v = crate::call(
            s,
            "area.create",
            json!({"parent_id": parent, "name": name, "code": code, "urban_rural": ur}),
        )?;
        v["id"]
            .as_i64()
            .ok_or_else(|| CmdError::internal("area.create 未返回编号"))
    }

    fn village_name(&mut self) -> String {
        loop {
            let base = if self.rng.gen_bool(0.25) {
                self.one_of(&words(NAMED_VILLAGES)).to_owned()
            } else {
                let mut n = String::new();
                if self.rng.gen_bool(0.5) {
                    n.push(self.char_of(VILLAGE_PREFIX));
                }
                n.push(self.char_of(VILLAGE_CORE));
                n.push(self.char_of(VILLAGE_SUFFIX));
                n
            };
            let name = format!("{base}村");
            if self.places.insert(name.clone()) {
                return name;
            }
        }
    }

    /// Townships (about one per 2,000 households, a fifth of them urban 街道), their villages or
    /// communities, and the groups of rural villages. Returns township ids, first one first.
    fn areas(
        &mut self,
        s: &mut Session,
        county: i64,
        households: usize,
    ) -> CmdResult<(Vec<i64>, Vec<Village>)> {
        let count = ((households + 1000) / 2000).clamp(3, 30);
        let urban = ((count as f64 * 0.2).round() as usize).max(1);
        let mut rural = words(RURAL_TOWNSHIPS);
        rural.shuffle(&mut self.rng);
        rural.truncate(count - urban);
        rural.sort_by_key(|n| n.ends_with('乡'));
        let (mut towns, mut xiangs) = (0, 0);
        let mut townships = Vec::new();
        let mut villages = Vec::new();
        for (i, name) in words(URBAN_TOWNSHIPS)
            .into_iter()
            .take(urban)
            .chain(rural)
            .enumerate()
        {
            let is_urban = i < urban;
            let code = if is_urban {
                format!("{COUNTY_CODE}{:03}", i + 1)
            } else if name.ends_with('镇') {
                towns += 1;
                format!("{COUNTY_CODE}{}", 100 + towns)
            } else {
                xiangs += 1;
                format!("{COUNTY_CODE}{}", 200 + xiangs)
            };
            let tid = self.create_area(s, county, name, Some(code.clone()), Some(is_urban))?;
            townships.push(tid);
            let n = self.rng.gen_range(10..=20);
            // Community names are unique in the county while the list lasts.
            let mut communities = words(COMMUNITIES);
            communities.shuffle(&mut self.rng);
            communities.sort_by_key(|c| self.places.contains(*c));
            for (k, community) in communities.into_iter().take(n).enumerate() {
                let (vname, vcode) = if is_urban {
                    self.places.insert(community.to_owned());
                    (format!("{community}社区"), format!("{code}{:03}", k + 1))
                } else {
                    (self.village_name(), format!("{code}{}", 201 + k))
                };
                let vid = self.create_area(s, tid, &vname, Some(vcode), None)?;
                let mut groups = Vec::new();
                if !is_urban {
                    for gn in 1..=self.rng.gen_range(3..=8) {
                        let gname = format!("{gn}组");
                        groups.push((self.create_area(s, vid, &gname, None, None)?, gname, 0));
                    }
                }
                let weight = self.rng.gen_range(0.5..1.5);
                villages.push(Village {
                    id: vid,
                    name: vname,
                    urban: is_urban,
                    groups,
                    weight,
                });
            }
        }
        Ok((townships, villages))
    }

    // ---- households ----

    fn household(
        &mut self,
        v: &mut Village,
    ) -> CmdResult<(registry::HouseholdFacts, Vec<(String, PersonFacts)>)> {
        let urban_hukou = if v.urban {
            self.rng.gen_bool(0.92)
        } else {
            self.rng.gen_bool(0.04)
        };
        let (group_id, address) = if v.groups.is_empty() {
            let (b, u, fl, r) = (
                self.rng.gen_range(1..=30),
                self.rng.gen_range(1..=4),
                self.rng.gen_range(1..=18),
                self.rng.gen_range(1..=4),
            );
            (None, format!("{}{b}号楼{u}单元{fl}{r:02}", v.name))
        } else {
            let gi = self.rng.gen_range(0..v.groups.len());
            let step = self.rng.gen_range(1..=3);
            let (gid, gname, no) = &mut v.groups[gi];
            *no += step;
            (Some(*gid), format!("{}{gname}{no}号", v.name))
        };
        let phone = self.rng.gen_bool(0.8).then(|| {
            let p = self.one_of(&words(PHONE_PREFIXES));
            format!("{p}{:08}", self.rng.gen_range(0..100_000_000u32))
        });
        let bank = self.rng.gen_bool(0.9).then(|| {
            let (name, prefix, len, _) = BANKS[self.pick(
                &BANKS
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (i, b.3))
                    .collect::<Vec<_>>(),
            )];
            let mut acct = prefix.to_owned();
            while acct.len() < len - 1 {
                acct.push(char::from(b'0' + self.rng.gen_range(0..10u8)));
            }
            acct.push(luhn_digit(&acct));
            (name, acct)
        });
        let facts = registry::validate_household(&RawHousehold {
            village_id: v.id,
            group_id,
            address: &address,
            hukou: if urban_hukou { "urban" } else { "rural" },
            phone: phone.as_deref(),
            bank_name: bank.as_ref().map(|b| b.0),
            bank_account: bank.as_ref().map(|b| b.1.as_str()),
        })?;
        let mut people = Vec::new();
        for d in self.family() {
            let f = self.person(&d, urban_hukou)?;
            people.push((d.relation.to_owned(), f));
        }
        Ok((facts, people))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::error::ErrorCode;
    use crate::registry::RawPerson;
    use crate::{call, pinyin_index, FixedClock};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
    }

    fn county(households: usize, seed: u64) -> (Session, DemoSummary) {
        let mut s = Session::in_memory(Box::new(FixedClock::on(today()))).unwrap();
        let summary = generate(&mut s, &DemoOptions { households, seed }).unwrap();
        (s, summary)
    }

    fn sign_in(s: &mut Session, username: &str) -> Value {
        call(
            s,
            "auth.sign_in",
            json!({"username": username, "password": PASSWORD}),
        )
        .unwrap()
    }

    fn search(s: &mut Session, input: Value) -> Vec<Value> {
        call(s, "household.search", input).unwrap()["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Every household as `household.get` shows it.
    fn all_households(s: &mut Session) -> Vec<Value> {
        let mut out = Vec::new();
        for page in 1.. {
            let items = search(s, json!({"page": page, "page_size": 200}));
            if items.is_empty() {
                break;
            }
            for i in items {
                out.push(call(s, "household.get", json!({"id": i["id"]})).unwrap());
            }
        }
        out
    }

    #[test]
    fn same_seed_same_county() {
        let (mut a, sa) = county(150, 7);
        let (mut b, sb) = county(150, 7);
        let (mut c, _) = county(150, 8);
        assert_eq!(sa, sb);
        assert_eq!((sa.households, sa.townships), (150, 3));
        assert!(sa.villages >= 30 && sa.groups >= sa.villages, "{sa}");
        assert!((350..=500).contains(&sa.persons), "{sa}");
        for s in [&mut a, &mut b, &mut c] {
            sign_in(s, "spr");
        }
        let page = |s: &mut Session| search(s, json!({"page_size": 200}));
        assert_eq!(page(&mut a), page(&mut b));
        assert_ne!(page(&mut a), page(&mut c));
        let text = sa.to_string();
        assert!(
            text.contains("清河县") && text.contains("150 households") && text.contains("jbr1"),
            "{text}"
        );
    }

    #[test]
    fn members_are_valid_and_plausible() {
        let (mut s, summary) = county(150, 7);
        sign_in(&mut s, "spr");
        let households = all_households(&mut s);
        assert_eq!(households.len(), 150);
        let mut persons = 0;
        for h in &households {
            let members = h["members"].as_array().unwrap();
            persons += members.len();
            assert!((1..=6).contains(&members.len()), "{h}");
            assert_eq!(members[0]["relation"], "head");
            let head_age = members[0]["age"].as_i64().unwrap();
            for m in members {
                let text = |k: &str| m[k].as_str();
                let raw = RawPerson {
                    id_number: text("id_number").unwrap(),
                    name: text("name").unwrap(),
                    disability_type: text("disability_type"),
                    disability_grade: m["disability_grade"].as_i64(),
                    serious_illness: text("serious_illness"),
                    labour_capacity: text("labour_capacity"),
                    self_care: text("self_care"),
                    student: text("student"),
                    employment: text("employment"),
                };
                let f = registry::validate_person(&raw, today()).unwrap();
                assert_eq!(f.sex.as_str(), m["sex"]);
                assert!(f.id_number.starts_with(COUNTY_CODE));
                let age = m["age"].as_i64().unwrap();
                let gap = head_age - age;
                let ok = match text("relation").unwrap() {
                    "child" => (18..=40).contains(&gap),
                    "grandchild" => gap >= 36,
                    "parent" | "grandparent" => gap <= -18,
                    "spouse" => gap.abs() <= 6,
                    _ => true,
                };
                assert!(
                    ok,
                    "relation and age do not fit: {m} (head aged {head_age})"
                );
                if age < 16 {
                    assert!(m["employment"].is_null(), "{m}");
                }
            }
        }
        assert_eq!(persons, summary.persons);
    }

    #[test]
    fn initials_of_a_head_find_the_household() {
        let (mut s, _) = county(150, 7);
        sign_in(&mut s, "jbr1");
        let heads = search(&mut s, json!({"page_size": 20}));
        assert!(!heads.is_empty());
        for h in heads {
            let name = h["head_name"].as_str().unwrap();
            let q = pinyin_index::variants(name).remove(0);
            let found = search(&mut s, json!({"q": q, "page_size": 200}));
            assert!(
                found.iter().any(|f| f["id"] == h["id"]),
                "{q} does not find {name}"
            );
        }
    }

    #[test]
    fn the_member_unit_representative_speaks_for_a_unit() {
        let (mut s, _) = county(20, 1);
        sign_in(&mut s, "cydw");
        let v = call(&mut s, "deliberation.settings", Value::Null).unwrap();
        assert_eq!(v["user_units"][0]["display_name"], "孙立新");
        assert_eq!(v["user_units"][0]["unit"], "医保局");
    }

    #[test]
    fn staff_sign_in_with_the_demo_password() {
        let (mut s, summary) = county(20, 1);
        let names: Vec<&str> = summary.users.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            names,
            ["admin", "jbr1", "shr1", "jbr3", "jbr2", "shr2", "spr", "cydw"]
        );
        assert!(
            call(&mut s, "auth.status", Value::Null).unwrap()["user"].is_null(),
            "demo leaves nobody signed in"
        );
        let areas = {
            sign_in(&mut s, "admin");
            call(&mut s, "area.list", Value::Null).unwrap()["areas"]
                .as_array()
                .unwrap()
                .clone()
        };
        let townships: Vec<&Value> = areas.iter().filter(|a| a["level"] == "township").collect();
        let cases = [
            ("jbr1", "caseworker", townships[0]["id"].clone()),
            ("shr1", "reviewer", townships[0]["id"].clone()),
            ("jbr3", "caseworker", townships[0]["id"].clone()),
            ("jbr2", "caseworker", townships[1]["id"].clone()),
            ("shr2", "reviewer", townships[1]["id"].clone()),
            ("spr", "approver", areas[0]["id"].clone()),
            ("cydw", "member_unit", areas[0]["id"].clone()),
            ("admin", "admin", areas[0]["id"].clone()),
        ];
        for (username, role, area_id) in cases {
            let v = sign_in(&mut s, username);
            assert_eq!(
                (&v["user"]["role"], &v["user"]["area_id"]),
                (&json!(role), &area_id),
                "{username}"
            );
        }
        let e = call(
            &mut s,
            "auth.sign_in",
            json!({"username": "spr", "password": "doudi2025"}),
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated);
    }

    #[test]
    fn refuses_a_database_that_is_not_empty() {
        let (mut s, _) = county(10, 1);
        let e = generate(
            &mut s,
            &DemoOptions {
                households: 10,
                seed: 2,
            },
        )
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidInput, Some("db"))
        );
        assert!(e.message.starts_with("数据库不是空的"), "{}", e.message);
        sign_in(&mut s, "spr");
        assert_eq!(
            call(&mut s, "household.search", json!({})).unwrap()["total"],
            10
        );
    }

    #[test]
    fn audit_trail_is_intact_and_names_the_administrator() {
        let (mut s, _) = county(10, 1);
        sign_in(&mut s, "admin");
        let v = call(&mut s, "audit.verify", Value::Null).unwrap();
        assert_eq!(v["intact"], true, "{v}");
        let rows = call(&mut s, "audit.list", json!({"limit": 1000})).unwrap()["rows"]
            .as_array()
            .unwrap()
            .clone();
        for command in [
            "auth.setup",
            "area.create",
            "user.create",
            "household.create",
        ] {
            let row = rows
                .iter()
                .find(|r| r["command"] == command)
                .unwrap_or_else(|| panic!("no {command} row"));
            assert_eq!(row["user_name"], "admin", "{row}");
        }
    }
}
