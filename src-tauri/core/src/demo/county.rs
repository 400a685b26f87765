//! The demo county's places and the generator: township, village and community names, phone
//! numbers and bank cards, and [`Gen`], the seeded source of every random choice.

use std::collections::HashSet;

use chrono::NaiveDate;
use rand::distributions::WeightedIndex;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::{people, COUNTY_CODE};
use crate::commands::Session;
use crate::error::{CmdError, CmdResult};
use crate::registry::{self, PersonFacts, RawHousehold};

// ---- places ----

pub(super) const URBAN_TOWNSHIPS: &str =
    "城关街道 东城街道 西城街道 新华街道 人民路街道 解放路街道 南关街道 北关街道";
pub(super) const RURAL_TOWNSHIPS: &str = "柳园镇 王庄镇 李营镇 河口镇 石桥镇 白沙镇 青龙镇 黄店镇 大孟镇 姚家镇 刘集镇 张湾镇 官渡镇 \
    韩寺镇 八岗镇 九龙镇 万滩镇 郑庵镇 贾鲁镇 潘店镇 金河镇 双桥镇 杏花乡 三官庙乡 狼城岗乡 雁鸣湖乡 刘庄乡 芦庄乡 \
    小乔乡 土山乡 马场乡 龙王乡 黄河乡 苇塘乡";
pub(super) const COMMUNITIES: &str = "幸福 和平 建设 光明 朝阳 文化 育才 锦绣 阳光 金水 滨河 丽景 康宁 祥和 福安 新华 工人 铁路 \
    电力 纺织 人民 解放 民主 胜利 友谊 团结 振兴 长青 春晖 翠竹 桂园 荷花 紫荆 文昌 书院 鼓楼 学府 花园 清河 滨湖 \
    迎宾 百花 东苑 西苑 南苑 北苑 盛世 和谐";
pub(super) const NAMED_VILLAGES: &str =
    "柳树沟 石佛寺 白马寺 黄土岗 青龙湾 杏花营 桃园 槐树庄 龙王庙 三里桥 五里堡 七里河 八里岗 \
    十里铺 老君堂 关帝庙 双井 榆林 枣园 梨园 苇塘 红花 高庙 土桥";
pub(super) const VILLAGE_PREFIX: &str = "东西南北前后大小上下新";
pub(super) const VILLAGE_CORE: &str = "王李张刘陈杨赵黄周吴孙马朱胡郭何高罗郑梁宋谢韩唐冯于董程曹袁邓许沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜田任姜范方石姚谭邹孟白崔康毛秦史侯邵乔贺常武";
pub(super) const VILLAGE_SUFFIX: &str = "庄营寨楼岗湾沟屯店集桥庙坡园洼堡铺";

// ---- households ----

pub(super) const PHONE_PREFIXES: &str =
    "130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 166 173 177 \
    180 181 182 183 185 186 187 188 189 199";
/// (bank, card number prefix, card number length, weight)
pub(super) const BANKS: &[(&str, &str, usize, u32)] = &[
    ("农村信用社", "623059", 19, 40),
    ("中国邮政储蓄银行", "621799", 19, 25),
    ("中国农业银行", "622848", 19, 20),
    ("中国工商银行", "621226", 19, 6),
    ("中国建设银行", "621700", 19, 5),
    ("中国银行", "456351", 16, 4),
];

pub(super) struct Village {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) urban: bool,
    /// (id, name, last house number)
    pub(super) groups: Vec<(i64, String, u32)>,
    pub(super) weight: f64,
}

pub(super) fn words(s: &'static str) -> Vec<&'static str> {
    s.split_whitespace().collect()
}

/// Luhn check digit for a card number's leading digits.
pub(super) fn luhn_digit(body: &str) -> char {
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

pub(super) struct Gen {
    pub(super) rng: SmallRng,
    pub(super) today: NaiveDate,
    pub(super) ids: HashSet<String>,
    pub(super) places: HashSet<String>,
    pub(super) surnames: Vec<&'static str>,
    pub(super) surname_weights: WeightedIndex<u32>,
}

impl Gen {
    pub(super) fn new(seed: u64, today: NaiveDate) -> Gen {
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

    pub(super) fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
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

    pub(super) fn one_of<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.choose(&mut self.rng).expect("non-empty")
    }

    pub(super) fn char_of(&mut self, chars: &str) -> char {
        let v: Vec<char> = chars.chars().collect();
        v[self.rng.gen_range(0..v.len())]
    }

    // ---- areas, through the command layer ----

    pub(super) fn create_area(
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

    pub(super) fn village_name(&mut self) -> String {
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
    pub(super) fn areas(
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

    pub(super) fn household(
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
        // Every household can be paid: the tenth the draw above leaves without a card gets a
        // 农村信用社 一卡通 numbered from its address (not from the generator, so every other
        // draw of the demo stays as it was).
        let bank = bank.or_else(|| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (v.id, &address).hash(&mut h);
            let acct = format!("623059{:012}", h.finish() % 1_000_000_000_000);
            let check = luhn_digit(&acct);
            Some(("农村信用社", format!("{acct}{check}")))
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
