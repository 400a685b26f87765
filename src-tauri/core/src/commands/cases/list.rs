//! The case list at a county's scale: `case.list` (one page: search by the head's name, pinyin
//! initials or ID number, or by case number; filters by township, village, programme and state;
//! sorted; the total) and `case.export` (every line so chosen as .xlsx, to a `path` or as bytes).
//! Township staff see their own township only. The store filters, `case_list` orders and pages.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{state_of, Context};
use crate::case_list::{self, ExportLine, Order, Sort};
use crate::commands::files::{Deliver, Dest, Where};
use crate::commands::{input, Session, Stamp};
use crate::db::with_tx;
use crate::error::{CmdError, CmdResult};
use crate::files::FileBytes;
use crate::idcard;
use crate::month::Month;
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::store::areas::{Area, Level};
use crate::store::case_list::{Line, ListFilter};
use crate::store::{self};
use crate::workflow::{self, case_row, CaseState};

/// Which cases, as both commands take it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListIn {
    household_id: Option<i64>,
    programme: Option<String>,
    state: Option<String>,
    township_id: Option<i64>,
    village_id: Option<i64>,
    /// Name, pinyin initials, ID-number start or case number.
    #[serde(default)]
    q: String,
    sort: Option<String>,
    order: Option<String>,
    /// Any JSON: checked by `case_list::paging` so a bad value is named in Chinese.
    page: Option<Value>,
    page_size: Option<Value>,
    /// `case.export` only: where the file goes.
    path: Option<String>,
    deliver: Option<Deliver>,
}

/// The cases chosen, checked: the filter, the sort, and the areas named (for the export's title).
struct Chosen {
    filter: ListFilter,
    sort: Sort,
    order: Order,
    township: Option<Area>,
    village: Option<Area>,
    this_month: Month,
}

/// An area by id, at `level`, or the Chinese refusal naming `field`.
fn area(s: &Session, field: &str, id: i64, level: Level) -> CmdResult<Area> {
    store::areas::get(&s.conn, id)?
        .filter(|a| a.level == level)
        .ok_or_else(|| CmdError::invalid(field, format!("{} {id} 不存在", level.label())))
}

fn choose(s: &Session, i: &ListIn) -> CmdResult<Chosen> {
    let user = s.user()?;
    if let Some(p) = i.programme.as_deref() {
        if ![Programme::Dibao, Programme::Tekun]
            .iter()
            .any(|x| x.code() == p)
        {
            return Err(CmdError::invalid(
                "programme",
                format!("项目 programme 只能是 dibao（低保）或 tekun（特困），收到“{p}”"),
            ));
        }
    }
    if let Some(st) = i.state.as_deref() {
        if CaseState::parse(st).is_none() {
            return Err(CmdError::invalid("state", format!("案件状态“{st}”无效")));
        }
    }
    let (sort, order) = case_list::sort_order(i.sort.as_deref(), i.order.as_deref())?;
    let own = user.role.works_in_township().then_some(user.area_id);
    let refuse = || CmdError::forbidden("您只能查看本乡镇（街道）的案件");
    let township = match i.township_id.or(own) {
        Some(t) => Some(area(s, "township_id", t, Level::Township)?),
        None => None,
    };
    if own.is_some_and(|o| township.as_ref().is_some_and(|t| t.id != o)) {
        return Err(refuse());
    }
    let village = match i.village_id {
        Some(v) => Some(area(s, "village_id", v, Level::Village)?),
        None => None,
    };
    if let (Some(v), Some(t)) = (&village, &township) {
        if v.parent_id != Some(t.id) {
            if own.is_some() {
                return Err(refuse());
            }
            return Err(CmdError::invalid(
                "village_id",
                format!("{}不属于{}", v.name, t.name),
            ));
        }
    }
    let this_month = Month::of(s.clock.today());
    Ok(Chosen {
        filter: ListFilter {
            township_id: township.as_ref().map(|t| t.id),
            village_id: village.as_ref().map(|v| v.id),
            household_id: i.household_id,
            programme: i.programme.clone(),
            state: i.state.clone(),
            search: Some(case_list::search(&i.q)),
            month: this_month.to_string(),
        },
        sort,
        order,
        township,
        village,
        this_month,
    })
}

/// A code and its label.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Choice {
    code: &'static str,
    label: &'static str,
}

/// One case in the list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct CaseLine {
    id: i64,
    number: String,
    /// Bumped by every step; send it back as `expected_version` when acting.
    version: i64,
    programme: String,
    programme_label: &'static str,
    household_id: i64,
    head_name: String,
    /// Masked: the first and last four characters.
    head_id_number: String,
    township_name: String,
    village_name: String,
    state: String,
    state_label: &'static str,
    applied_on: String,
    deadline: Option<String>,
    overdue: bool,
    /// Paid for this month.
    current_amount: Option<String>,
    /// This month's amount or, for a case first paid later, its first month's (`pay_from`).
    monthly_amount: Option<String>,
    persons: Option<u32>,
    pay_from: Option<String>,
    /// The case's last step.
    updated_at: String,
}

/// One page of the list.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ListReply {
    /// Cases matching, over every page.
    total: i64,
    page: i64,
    page_size: i64,
    pages: i64,
    sort: &'static str,
    order: &'static str,
    /// The monthly amounts of every case matching, summed.
    amount_total: String,
    cases: Vec<CaseLine>,
    /// The states and sorts the list knows, with their labels (for the filters).
    states: Vec<Choice>,
    sorts: Vec<Choice>,
}

fn line(l: Line, amount: Option<i64>, ctx: &Context, this: Month) -> CmdResult<CaseLine> {
    let state = state_of(&l.case)?;
    let deadline = ctx.deadline(&l.case, state);
    let current = (l.amount.as_ref())
        .and_then(|a| case_row::amount_paid(&l.case, std::slice::from_ref(a), this));
    let c = l.case;
    Ok(CaseLine {
        programme_label: Programme::full_name_of(&c.programme),
        household_id: c.household_id,
        head_name: l.head_name.unwrap_or_default(),
        head_id_number: l
            .head_id_number
            .as_deref()
            .map(idcard::mask)
            .unwrap_or_default(),
        township_name: l.township_name,
        village_name: l.village_name,
        state_label: state.label(),
        applied_on: c.applied_on.to_string(),
        deadline: deadline.map(|d| d.to_string()),
        overdue: deadline.is_some_and(|d| workflow::is_overdue(d, ctx.today)),
        current_amount: current.map(yuan_text),
        monthly_amount: amount.map(yuan_text),
        persons: amount.and(l.amount.as_ref().map(|a| a.persons)),
        pay_from: c.pay_from,
        updated_at: c.updated_at,
        id: c.id,
        version: c.version,
        number: c.number,
        programme: c.programme,
        state: c.state,
    })
}

/// The matching cases in order, with their monthly amounts.
fn ordered(s: &Session, c: &Chosen) -> CmdResult<Vec<(Line, Option<i64>)>> {
    let lines = store::case_list::lines(&s.conn, &c.filter)?;
    Ok(case_list::sorted(lines, c.this_month, c.sort, c.order))
}

pub(crate) fn list(s: &mut Session, v: Value) -> CmdResult<ListReply> {
    let i: ListIn = input(v)?;
    if i.path.is_some() || i.deliver.is_some() {
        return Err(CmdError::invalid(
            if i.path.is_some() { "path" } else { "deliver" },
            "案件列表不写文件；导出请用 case.export",
        ));
    }
    let page = case_list::paging(i.page.as_ref(), i.page_size.as_ref())?;
    let chosen = choose(s, &i)?;
    let rows = ordered(s, &chosen)?;
    let total = rows.len();
    let amount_total: i64 = rows.iter().filter_map(|r| r.1).sum();
    let ctx = Context::load(s, s.clock.today())?;
    let cases = (page.of(rows).into_iter())
        .map(|(l, a)| line(l, a, &ctx, chosen.this_month))
        .collect::<CmdResult<Vec<_>>>()?;
    Ok(ListReply {
        total: total as i64,
        page: page.page,
        page_size: page.size,
        pages: page.pages(total),
        sort: chosen.sort.code(),
        order: chosen.order.code(),
        amount_total: yuan_text(amount_total),
        cases,
        states: (CaseState::ALL.iter())
            .map(|st| Choice {
                code: st.as_str(),
                label: st.label(),
            })
            .collect(),
        sorts: (Sort::ALL.iter())
            .map(|x| Choice {
                code: x.code(),
                label: x.label(),
            })
            .collect(),
    })
}

/// The file written (or its bytes).
#[derive(Serialize, JsonSchema)]
pub(crate) struct ExportReply {
    /// Cases in the file.
    count: i64,
    amount_total: String,
    /// Where it was saved (absent with `deliver: "bytes"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// The file itself, with `deliver: "bytes"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<FileBytes>,
}

/// The export's audit row: which cases, how many, where.
#[derive(Serialize)]
struct ExportAudit<'a> {
    which: &'a str,
    count: usize,
    #[serde(flatten)]
    at: Where,
}

pub(crate) fn export(s: &mut Session, v: Value) -> CmdResult<ExportReply> {
    let i: ListIn = input(v)?;
    if i.page.is_some() || i.page_size.is_some() {
        return Err(CmdError::invalid(
            if i.page.is_some() {
                "page"
            } else {
                "page_size"
            },
            "导出包含所有符合条件的案件，不分页；请去掉 page 和 page_size",
        ));
    }
    let dest = Dest::choose("path", i.path.as_deref(), i.deliver, "案件列表")?;
    if matches!(dest, Dest::Path(_)) && dest.path_ext() != "xlsx" {
        return Err(CmdError::invalid(
            "path",
            "案件列表导出为 Excel 文件，文件名应以 .xlsx 结尾",
        ));
    }
    let chosen = choose(s, &i)?;
    let rows = ordered(s, &chosen)?;
    let ctx = Context::load(s, s.clock.today())?;
    let mut lines = Vec::with_capacity(rows.len());
    for (l, a) in rows {
        let persons = a.and(l.amount.as_ref().map(|x| x.persons));
        let state = state_of(&l.case)?;
        lines.push(ExportLine {
            programme: Programme::label_of(&l.case.programme).to_owned(),
            head_name: l.head_name.clone().unwrap_or_default(),
            head_id_number: l
                .head_id_number
                .as_deref()
                .map(idcard::mask)
                .unwrap_or_default(),
            township: l.township_name.clone(),
            village: l.village_name.clone(),
            state: state.label().to_owned(),
            applied_on: l.case.applied_on.to_string(),
            amount_fen: a,
            persons,
            deadline: ctx
                .deadline(&l.case, state)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            updated_at: l.case.updated_at.clone(),
            number: l.case.number,
        });
    }
    let place = match (&chosen.township, &chosen.village) {
        (Some(t), Some(v)) => format!("{} {}", t.name, v.name),
        (t, v) => t
            .as_ref()
            .or(v.as_ref())
            .map_or("全县".to_owned(), |a| a.name.clone()),
    };
    let which = case_list::which_text(
        &place,
        (i.programme.as_deref(), i.state.as_deref(), i.q.as_str()),
        (chosen.sort, chosen.order),
        lines.len(),
    );
    let stamp = Stamp::of(s)?;
    let note = format!("{which} · {} 导出于 {}", s.user()?.display_name, stamp.at);
    let bytes = case_list::xlsx("低保、特困案件列表", &note, &lines)?;
    let name = format!("案件列表-{}.xlsx", ctx.today);
    let saved = dest.put("path", &name, &bytes)?;
    let audit = ExportAudit {
        which: &which,
        count: lines.len(),
        at: saved.audit(),
    };
    with_tx(&mut s.conn, |tx| {
        stamp.record_new(tx, "case.export", "case", None, &audit)
    })?;
    Ok(ExportReply {
        count: lines.len() as i64,
        amount_total: yuan_text(lines.iter().filter_map(|l| l.amount_fen).sum()),
        path: saved.path,
        file: saved.file,
    })
}
