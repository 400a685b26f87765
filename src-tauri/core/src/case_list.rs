//! The case list (案件列表) at a county's scale, decided without SQL: what the search box's text
//! looks for ([`search`]), the page asked for ([`paging`]), the sort and its direction
//! ([`sort_order`], [`sorted`]), and each line's monthly amount ([`monthly_amount`]). The store
//! (`store::case_list`) filters; `case_list/xlsx.rs` makes the export ([`xlsx`]).

mod xlsx;

pub use xlsx::{xlsx, ExportLine};

use std::cmp::Ordering;

use serde_json::Value;

use crate::error::{CmdError, CmdResult};
use crate::month::Month;
use crate::programme::Programme;
use crate::store::case_list::{Line, Search};
use crate::store::registry::Needle;
use crate::workflow::{case_row, CaseState};

/// Lines per page when the caller does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 50;
/// The most lines one page holds (an export takes every line).
pub const MAX_PAGE_SIZE: i64 = 200;

/// What the search box's text looks for: blank, everything; digits (perhaps ending in X), the
/// start of the head's ID number or part of a case number; letters, the head's pinyin initials;
/// letters, digits and dashes with a digit or a dash ("DB-2026-0001"), part of a case number;
/// anything else, part of the head's name. (`registry::search_needle` reads the text as the
/// household search does.)
pub fn search(q: &str) -> Search {
    match crate::registry::search_needle(q) {
        Needle::All => Search::All,
        Needle::IdPrefix(s) => Search::Digits(s),
        Needle::Initials(s) => Search::Initials(s),
        Needle::NameContains(s) if looks_like_number(&s) => Search::Number(s.to_uppercase()),
        Needle::NameContains(s) => Search::Name(s),
    }
}

fn looks_like_number(q: &str) -> bool {
    q.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && q.chars().any(|c| c.is_ascii_digit() || c == '-')
}

/// A page of the list: its number (from 1) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: i64,
    pub size: i64,
}

impl Page {
    /// How many pages `total` lines fill (at least 1).
    pub fn pages(self, total: usize) -> i64 {
        ((total as i64 + self.size - 1) / self.size).max(1)
    }

    /// This page's part of `rows` (empty past the last page).
    pub fn of<T>(self, mut rows: Vec<T>) -> Vec<T> {
        let start = (((self.page - 1) * self.size) as usize).min(rows.len());
        let end = (start + self.size as usize).min(rows.len());
        rows.truncate(end);
        rows.split_off(start)
    }
}

/// The page asked for, as sent (any JSON): `page` a whole number from 1 (default 1), `page_size`
/// one from 1 to [`MAX_PAGE_SIZE`] (default [`DEFAULT_PAGE_SIZE`]).
pub fn paging(page: Option<&Value>, size: Option<&Value>) -> CmdResult<Page> {
    let whole = |v: Option<&Value>, default: i64| match v {
        None | Some(Value::Null) => Some(default),
        Some(v) => v.as_i64(),
    };
    let page = whole(page, 1).filter(|p| *p >= 1).ok_or_else(|| {
        CmdError::invalid(
            "page",
            format!("页码 page 应为从 1 开始的整数（收到 {}）", shown(page)),
        )
    })?;
    let size = whole(size, DEFAULT_PAGE_SIZE)
        .filter(|s| (1..=MAX_PAGE_SIZE).contains(s))
        .ok_or_else(|| {
            CmdError::invalid(
                "page_size",
                format!(
                    "每页条数 page_size 应为 1 到 {MAX_PAGE_SIZE} 之间的整数（收到 {}）",
                    shown(size)
                ),
            )
        })?;
    Ok(Page { page, size })
}

fn shown(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => format!("“{s}”"),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// 案件编号.
    Number,
    /// 户主姓名, by pinyin initials then the name.
    Name,
    /// 乡镇（街道） then 村（社区）, in the order of their area codes.
    Township,
    /// 状态, in the order of the procedure.
    State,
    /// 月保障金额 ([`monthly_amount`]); lines without one come last either way.
    Amount,
    /// 最近变动: the case's last step.
    Updated,
}

impl Sort {
    pub const ALL: [Sort; 6] = [
        Sort::Number,
        Sort::Name,
        Sort::Township,
        Sort::State,
        Sort::Amount,
        Sort::Updated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Number => "number",
            Sort::Name => "name",
            Sort::Township => "township",
            Sort::State => "state",
            Sort::Amount => "amount",
            Sort::Updated => "updated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Number => "案件编号",
            Sort::Name => "户主姓名",
            Sort::Township => "乡镇（街道）",
            Sort::State => "状态",
            Sort::Amount => "月保障金额",
            Sort::Updated => "最近变动",
        }
    }
}

/// The sort's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

impl Order {
    pub fn code(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::Asc => "升序",
            Order::Desc => "降序",
        }
    }
}

/// `sort` (default number) and `order` (default asc) as sent.
pub fn sort_order(sort: Option<&str>, order: Option<&str>) -> CmdResult<(Sort, Order)> {
    let sort = match sort.map(str::trim).filter(|s| !s.is_empty()) {
        None => Sort::Number,
        Some(code) => Sort::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| {
                let known: Vec<String> = Sort::ALL
                    .iter()
                    .map(|s| format!("{}（{}）", s.code(), s.label()))
                    .collect();
                CmdError::invalid(
                    "sort",
                    format!("排序 sort 只能是 {}，收到“{code}”", known.join("、")),
                )
            })?,
    };
    let order = match order.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("asc") => Order::Asc,
        Some("desc") => Order::Desc,
        Some(other) => {
            return Err(CmdError::invalid(
                "order",
                format!("排序方向 order 只能是 asc（升序）或 desc（降序），收到“{other}”"),
            ))
        }
    };
    Ok((sort, order))
}

/// The monthly amount a line shows: what the case is paid for `this` month or, for a case whose
/// payment starts later (approved, paid from next month), for its first month. None for a case
/// not paid (not yet approved, refused, past its last month). `case_row::amount_paid` decides.
pub fn monthly_amount(l: &Line, this: Month) -> Option<i64> {
    let first = l.case.pay_from.as_deref().and_then(Month::parse);
    let month = first.filter(|f| *f > this).unwrap_or(this);
    let amount = l.amount.as_ref()?;
    case_row::amount_paid(&l.case, std::slice::from_ref(amount), month)
}

/// The position of a state in the procedure (unknown states last).
fn state_rank(code: &str) -> usize {
    CaseState::ALL
        .iter()
        .position(|s| s.as_str() == code)
        .unwrap_or(CaseState::ALL.len())
}

/// The initials of a name's first reading (" zs zx" → "zs").
fn first_initials(l: &Line) -> &str {
    l.head_initials
        .as_deref()
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("")
}

/// The lines with their monthly amounts, in the order asked; ties by case number.
pub fn sorted(lines: Vec<Line>, this: Month, sort: Sort, order: Order) -> Vec<(Line, Option<i64>)> {
    let mut rows: Vec<(Line, Option<i64>)> = lines
        .into_iter()
        .map(|l| {
            let a = monthly_amount(&l, this);
            (l, a)
        })
        .collect();
    let key = |a: &(Line, Option<i64>), b: &(Line, Option<i64>)| -> Ordering {
        let (x, y) = (&a.0, &b.0);
        match sort {
            Sort::Number => x.case.number.cmp(&y.case.number),
            Sort::Name => (first_initials(x), x.head_name.as_deref())
                .cmp(&(first_initials(y), y.head_name.as_deref())),
            Sort::Township => {
                (&x.township_code, &x.village_code).cmp(&(&y.township_code, &y.village_code))
            }
            Sort::State => state_rank(&x.case.state).cmp(&state_rank(&y.case.state)),
            Sort::Amount => a.1.cmp(&b.1),
            Sort::Updated => x.case.updated_at.cmp(&y.case.updated_at),
        }
    };
    rows.sort_by(|a, b| {
        // Lines without an amount come last whichever the direction.
        let missing = sort == Sort::Amount && (a.1.is_none() || b.1.is_none());
        let first = if missing {
            a.1.is_none().cmp(&b.1.is_none())
        } else {
            match order {
                Order::Asc => key(a, b),
                Order::Desc => key(b, a),
            }
        };
        first
            .then_with(|| a.0.case.number.cmp(&b.0.case.number))
            .then_with(|| a.0.case.id.cmp(&b.0.case.id))
    });
    rows
}

/// What the export's second line says of the cases in it: the place (「全县」, a township, a
/// village), the programme, state and search asked for, the sort and the count.
pub fn which_text(
    place: &str,
    (programme, state, q): (Option<&str>, Option<&str>, &str),
    (sort, order): (Sort, Order),
    count: usize,
) -> String {
    let mut parts = vec![place.to_owned()];
    if let Some(p) = programme {
        parts.push(format!("项目：{}", Programme::label_of(p)));
    }
    if let Some(st) = state.and_then(CaseState::parse) {
        parts.push(format!("状态：{}", st.label()));
    }
    if !q.trim().is_empty() {
        parts.push(format!("搜索：“{}”", q.trim()));
    }
    parts.push(format!("按{}{}", sort.label(), order.label()));
    parts.push(format!("共 {count} 件"));
    parts.join(" · ")
}

#[cfg(test)]
mod tests;
