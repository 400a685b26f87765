//! 月度统计: the monthly statistics of a run month, by township × programme × urban/rural, with
//! the structure of the persons covered, 临时救助 and 一事一议, the spending split and the last
//! twelve months. Built from the month's payment rows (kept at the lock as the roster's), then
//! [`add_routes`] adds what was paid outside the roster (临时救助/一事一议 stages paid by hand,
//! 先行救助 from the reserve fund), so the total is every yuan paid in the month, by route.
//! `stats.month` shows it; `stats.export` writes it as .xlsx or as PDF with a chart.

use crate::month::Month;
use crate::programme::Programme;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::CmdResult;
use crate::store::stats::{self as q, Cell, MonthTotal};

mod view;
mod xlsx;

pub use view::ReportView;
pub use xlsx::write_xlsx;

/// One line of the main table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    pub township: String,
    pub programme: String,
    pub urban_rural: String,
    pub cell: Cell,
}

/// Persons of the paid households by sex, age group, disability and labour capacity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Structure {
    pub total: i64,
    pub male: i64,
    pub female: i64,
    /// <18, 18–59, ≥60 on the month's last day.
    pub ages: [i64; 3],
    /// With a disability grade; of them grade 1–2 (重度).
    pub disabled: i64,
    pub severe: i64,
    /// 有劳动能力, 部分丧失, 完全丧失.
    pub labour: [i64; 3],
}

impl Structure {
    fn add(&mut self, m: &q::Member, month_end: NaiveDate) {
        self.total += 1;
        if m.sex == "male" {
            self.male += 1;
        } else {
            self.female += 1;
        }
        let age = NaiveDate::parse_from_str(&m.birth_date, "%Y-%m-%d")
            .map(|b| age_on(b, month_end))
            .unwrap_or(0);
        self.ages[if age < 18 {
            0
        } else if age < 60 {
            1
        } else {
            2
        }] += 1;
        if let Some(g) = m.disability_grade {
            self.disabled += 1;
            if g <= 2 {
                self.severe += 1;
            }
        }
        self.labour[match m.labour_capacity.as_str() {
            "full" => 0,
            "partial" => 1,
            _ => 2,
        }] += 1;
    }

    fn merge(&mut self, o: &Structure) {
        self.total += o.total;
        self.male += o.male;
        self.female += o.female;
        for i in 0..3 {
            self.ages[i] += o.ages[i];
            self.labour[i] += o.labour[i];
        }
        self.disabled += o.disabled;
        self.severe += o.severe;
    }
}

fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// 人次, households and money of a programme outside the monthly table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Other {
    pub payments: i64,
    pub households: i64,
    pub amount_fen: i64,
}

/// A month's statistics. A locked month's is built once at the lock and kept (serialised on its
/// run row): what was reported then is what is shown and exported afterwards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub county: String,
    pub month: String,
    /// 已锁定 or 待审核锁定.
    pub state_label: String,
    pub lines: Vec<Line>,
    pub total: Cell,
    /// 低保, 特困, 合计.
    pub structure: Vec<(String, Structure)>,
    pub temp_aid: Other,
    pub deliberation: Other,
    /// 低保金, 价格补贴, 其他; they add up to `total_fen`.
    pub split: [i64; 3],
    pub total_fen: i64,
    /// The twelve months ending with this one; `None` where no run exists.
    pub series: Vec<(String, Option<MonthTotal>)>,
    /// Everything paid in the month by route and programme ([`add_routes`]); not kept at the
    /// lock (a kept report is the roster's), always read beside it.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// What one route paid under one programme in the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// roster, hand or advance.
    pub route: String,
    pub programme: String,
    pub payments: i64,
    pub households: i64,
    pub amount_fen: i64,
}

/// The routes money is paid by, in the report's order, with their labels.
pub const ROUTES: [(&str, &str); 3] = [
    ("roster", "月度发放花名册"),
    ("hand", "登记发放（未经花名册）"),
    ("advance", "先行救助（乡镇备用金）"),
];

pub fn route_label(code: &str) -> &'static str {
    ROUTES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("—", |(_, l)| l)
}

/// Add to a report built from the roster (or kept at the lock) what was paid outside it:
/// `paid` is everything paid in the month by route, programme and household
/// (`store::stats::paid_by_route`); `off_by_month` the money paid outside the roster in each
/// month of the series. 临时救助 and 一事一议 count every route (人次 = payments, households
/// distinct across routes); the off-roster money goes to the split's 其他, the total and the
/// series, so the total is the sum of every route's payments.
pub fn add_routes(r: &mut Report, paid: &[q::Paid], off_by_month: &HashMap<String, i64>) {
    let rank = |route: &str| ROUTES.iter().position(|(c, _)| *c == route).unwrap_or(9);
    let programme_rank = |p: &str| {
        Programme::ALL
            .iter()
            .position(|x| x.code() == p)
            .unwrap_or(9)
    };
    let mut routes: BTreeMap<(usize, usize), (Route, HashSet<i64>)> = BTreeMap::new();
    let mut others: HashMap<&str, (Other, HashSet<i64>)> = HashMap::new();
    let mut off = 0;
    for p in paid {
        let (route, homes) = routes
            .entry((rank(&p.route), programme_rank(&p.programme)))
            .or_insert_with(|| {
                let route = Route {
                    route: p.route.clone(),
                    programme: p.programme.clone(),
                    ..Route::default()
                };
                (route, HashSet::new())
            });
        route.payments += p.payments;
        route.amount_fen += p.amount_fen;
        homes.insert(p.household_id);
        if p.route != "roster" {
            off += p.amount_fen;
        }
        if let Some(code) = [Programme::TempAid, Programme::Deliberation]
            .iter()
            .map(|x| x.code())
            .find(|c| *c == p.programme)
        {
            let (o, homes) = others.entry(code).or_default();
            o.payments += p.payments;
            o.amount_fen += p.amount_fen;
            homes.insert(p.household_id);
        }
    }
    r.routes = (routes.into_values())
        .map(|(mut route, homes)| {
            route.households = homes.len() as i64;
            route
        })
        .collect();
    let other = |code: &str| {
        others
            .get(code)
            .map_or(Other::default(), |(o, homes)| Other {
                households: homes.len() as i64,
                ..*o
            })
    };
    r.temp_aid = other(Programme::TempAid.code());
    r.deliberation = other(Programme::Deliberation.code());
    r.split[2] += off;
    r.total_fen += off;
    for (m, t) in &mut r.series {
        if let (Some(t), Some(fen)) = (t.as_mut(), off_by_month.get(m)) {
            t.amount_fen += fen;
        }
    }
}

pub fn urban_rural_label(u: &str) -> &'static str {
    if u == "urban" {
        "城市"
    } else {
        "农村"
    }
}

pub const SPLIT_LABELS: [&str; 3] = [
    "低保金",
    "价格临时补贴",
    "其他（特困供养金、一次性补贴、临时救助、一事一议等）",
];

/// Builds the report of `month` (its first day) from the database. The caller checks the month
/// was run.
pub fn build(
    conn: &Connection,
    county: &str,
    month: NaiveDate,
    state_label: &str,
    names: &HashMap<i64, String>,
) -> CmdResult<Report> {
    let mo = Month::of(month);
    let m = mo.to_string();
    let month_end = mo.last_day();
    let cells = q::cells(conn, &m)?;
    let mut keys: Vec<_> = cells.keys().cloned().collect();
    // Townships in the order of the area tree (ids follow it), 低保 before 特困, 城市 before 农村.
    keys.sort_by(|a, b| {
        (a.0, a.1.as_str(), std::cmp::Reverse(a.2.as_str())).cmp(&(
            b.0,
            b.1.as_str(),
            std::cmp::Reverse(b.2.as_str()),
        ))
    });
    let mut total = Cell::default();
    let lines = keys
        .into_iter()
        .map(|k| {
            let cell = cells[&k].clone();
            total.households += cell.households;
            total.persons += cell.persons;
            total.new += cell.new;
            total.exits += cell.exits;
            total.amount_fen += cell.amount_fen;
            Line {
                township: names.get(&k.0).cloned().unwrap_or_default(),
                programme: k.1,
                urban_rural: k.2,
                cell,
            }
        })
        .collect();
    let mut by_programme: BTreeMap<String, Structure> = BTreeMap::new();
    for member in q::members(conn, &m, &month_end.format("%Y-%m-%d").to_string())? {
        by_programme
            .entry(member.programme.clone())
            .or_default()
            .add(&member, month_end);
    }
    let mut all = Structure::default();
    let mut structure = vec![];
    for p in [Programme::Dibao, Programme::Tekun] {
        let s = by_programme.remove(p.code()).unwrap_or_default();
        all.merge(&s);
        structure.push((p.label().to_owned(), s));
    }
    structure.push(("合计".to_owned(), all));
    let others = q::other_programmes(conn, &m)?;
    let other = |p: &str| {
        others
            .get(p)
            .map_or(Other::default(), |&(payments, households, amount_fen)| {
                Other {
                    payments,
                    households,
                    amount_fen,
                }
            })
    };
    let mut split = [0; 3];
    for (kind, programme, fen) in q::by_kind(conn, &m)? {
        let i = match (kind.as_str(), programme.as_str()) {
            ("price_subsidy", _) => 1,
            ("one_time", _) => 2,
            (_, p) if p == Programme::Dibao.code() => 0,
            _ => 2,
        };
        split[i] += fen;
    }
    let from = mo.shift(-11);
    let totals = q::month_totals(conn, &from.to_string(), &m)?;
    let series = from
        .through(mo)
        .map(|d| {
            let key = d.to_string();
            let t = totals.get(&key).cloned();
            (key, t)
        })
        .collect();
    Ok(Report {
        county: county.to_owned(),
        month: m,
        state_label: state_label.to_owned(),
        lines,
        total,
        structure,
        temp_aid: other("temp_aid"),
        deliberation: other("deliberation"),
        split,
        total_fen: split.iter().sum(),
        series,
        routes: Vec::new(),
    })
}

/// Fen as 万元 with two decimals, rounded half up (1 万元 = 1,000,000 fen).
pub fn wan(fen: i64) -> String {
    let units = (fen.abs() * 2 + 10_000) / 20_000;
    let sign = if fen < 0 && units > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", units / 100, units % 100)
}

impl Report {
    /// The report's title: 清河县社会救助月度统计表（2026年11月）.
    pub fn title(&self) -> String {
        let (y, m) = self.month.split_once('-').unwrap_or((&self.month, ""));
        format!(
            "{}社会救助月度统计表（{}年{}月）",
            self.county,
            y,
            m.trim_start_matches('0')
        )
    }

    /// Rows of the structure table: label and the eleven counts, in the header's order.
    pub fn structure_rows(&self) -> Vec<(String, [i64; 11])> {
        self.structure
            .iter()
            .map(|(l, s)| {
                (
                    l.clone(),
                    [
                        s.total,
                        s.male,
                        s.female,
                        s.ages[0],
                        s.ages[1],
                        s.ages[2],
                        s.disabled,
                        s.severe,
                        s.labour[0],
                        s.labour[1],
                        s.labour[2],
                    ],
                )
            })
            .collect()
    }
}

pub const MAIN_HEADS: [&str; 9] = [
    "乡镇（街道）",
    "类别",
    "城乡",
    "户数",
    "人数",
    "本月新增（户）",
    "本月退出（户）",
    "金额（元）",
    "金额（万元）",
];

pub const STRUCTURE_HEADS: [&str; 12] = [
    "类别",
    "人数",
    "男",
    "女",
    "18岁以下",
    "18-59岁",
    "60岁以上",
    "残疾人",
    "其中重度",
    "有劳动能力",
    "部分丧失",
    "完全丧失",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_rounds_half_up_to_two_decimals() {
        assert_eq!(wan(0), "0.00");
        assert_eq!(wan(18_230_385), "18.23"); // 182,303.85 元
        assert_eq!(wan(4_999), "0.00");
        assert_eq!(wan(5_000), "0.01"); // 50 元 = 0.005 万元 → 0.01
        assert_eq!(wan(100_000_000), "100.00");
        assert_eq!(wan(-5_000), "-0.01");
    }

    #[test]
    fn age_counts_whole_years_on_the_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(age_on(d("2008-11-30"), d("2026-11-30")), 18);
        assert_eq!(age_on(d("2008-12-01"), d("2026-11-30")), 17);
        assert_eq!(age_on(d("1966-11-30"), d("2026-11-30")), 60);
    }
}
