//! The monthly statistics as `stats.month` shows them: money as yuan strings and 万元, labels
//! beside codes, a month without a run as nulls, everything paid by route.

use schemars::JsonSchema;
use serde::Serialize;

use super::{route_label, urban_rural_label, wan, Other, Report, SPLIT_LABELS};
use crate::programme::Programme;
use crate::rules::money::yuan_text;
use crate::store::stats::Cell;

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReportView {
    pub county: String,
    pub month: String,
    pub state_label: String,
    pub lines: Vec<LineView>,
    pub total: CellView,
    pub structure: Vec<StructureView>,
    pub temp_aid: OtherView,
    pub deliberation: OtherView,
    pub split: Vec<SplitView>,
    pub total_amount: String,
    pub total_amount_wan: String,
    pub series: Vec<SeriesView>,
    /// Everything paid in the month by route (花名册, 登记发放, 先行救助) and programme; their
    /// amounts add up to `total_amount`.
    pub routes: Vec<RouteView>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct RouteView {
    pub route: String,
    pub route_label: String,
    pub programme: String,
    pub programme_label: String,
    pub payments: i64,
    pub households: i64,
    pub amount: String,
    pub amount_wan: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CellView {
    pub households: i64,
    pub persons: i64,
    pub new: i64,
    pub exits: i64,
    pub amount: String,
    pub amount_wan: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct LineView {
    pub township_name: String,
    pub programme: String,
    pub programme_label: String,
    pub urban_rural: String,
    pub urban_rural_label: String,
    #[serde(flatten)]
    pub cell: CellView,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct StructureView {
    pub label: String,
    pub total: i64,
    pub male: i64,
    pub female: i64,
    pub under_18: i64,
    pub age_18_59: i64,
    pub over_60: i64,
    pub disabled: i64,
    pub severe: i64,
    pub labour_full: i64,
    pub labour_partial: i64,
    pub labour_none: i64,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OtherView {
    pub payments: i64,
    pub households: i64,
    pub amount: String,
    pub amount_wan: String,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct SplitView {
    pub label: String,
    pub amount: String,
    pub amount_wan: String,
}

/// A month of the last twelve; `run` false and the figures null where no run exists.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SeriesView {
    pub month: String,
    pub run: bool,
    pub amount: Option<String>,
    pub amount_wan: Option<String>,
    pub persons: Option<i64>,
    pub households: Option<i64>,
}

fn cell(c: &Cell) -> CellView {
    CellView {
        households: c.households,
        persons: c.persons,
        new: c.new,
        exits: c.exits,
        amount: yuan_text(c.amount_fen),
        amount_wan: wan(c.amount_fen),
    }
}

fn other(o: &Other) -> OtherView {
    OtherView {
        payments: o.payments,
        households: o.households,
        amount: yuan_text(o.amount_fen),
        amount_wan: wan(o.amount_fen),
    }
}

impl From<&Report> for ReportView {
    fn from(r: &Report) -> ReportView {
        ReportView {
            county: r.county.clone(),
            month: r.month.clone(),
            state_label: r.state_label.clone(),
            lines: r
                .lines
                .iter()
                .map(|l| LineView {
                    township_name: l.township.clone(),
                    programme: l.programme.clone(),
                    programme_label: Programme::label_of(&l.programme).to_owned(),
                    urban_rural: l.urban_rural.clone(),
                    urban_rural_label: urban_rural_label(&l.urban_rural).to_owned(),
                    cell: cell(&l.cell),
                })
                .collect(),
            total: cell(&r.total),
            structure: r
                .structure
                .iter()
                .map(|(label, s)| StructureView {
                    label: label.clone(),
                    total: s.total,
                    male: s.male,
                    female: s.female,
                    under_18: s.ages[0],
                    age_18_59: s.ages[1],
                    over_60: s.ages[2],
                    disabled: s.disabled,
                    severe: s.severe,
                    labour_full: s.labour[0],
                    labour_partial: s.labour[1],
                    labour_none: s.labour[2],
                })
                .collect(),
            temp_aid: other(&r.temp_aid),
            deliberation: other(&r.deliberation),
            split: r
                .split
                .iter()
                .zip(SPLIT_LABELS)
                .map(|(fen, label)| SplitView {
                    label: label.to_owned(),
                    amount: yuan_text(*fen),
                    amount_wan: wan(*fen),
                })
                .collect(),
            total_amount: yuan_text(r.total_fen),
            total_amount_wan: wan(r.total_fen),
            series: r
                .series
                .iter()
                .map(|(m, t)| SeriesView {
                    month: m.clone(),
                    run: t.is_some(),
                    amount: t.as_ref().map(|t| yuan_text(t.amount_fen)),
                    amount_wan: t.as_ref().map(|t| wan(t.amount_fen)),
                    persons: t.as_ref().map(|t| t.persons),
                    households: t.as_ref().map(|t| t.households),
                })
                .collect(),
            routes: (r.routes.iter())
                .map(|x| RouteView {
                    route: x.route.clone(),
                    route_label: route_label(&x.route).to_owned(),
                    programme: x.programme.clone(),
                    programme_label: Programme::label_of(&x.programme).to_owned(),
                    payments: x.payments,
                    households: x.households,
                    amount: yuan_text(x.amount_fen),
                    amount_wan: wan(x.amount_fen),
                })
                .collect(),
        }
    }
}
