//! The store: all SQL lives below this module. Everything above calls typed functions, so the day
//! a county shares one server database only this layer changes.

pub mod areas;
pub mod audit;
pub mod bench;
pub mod calendar;
pub mod caseload;
pub mod cases;
pub mod claims;
pub mod deliberation;
pub mod finances;
pub mod ledger;
pub mod near_relatives;
pub mod payments;
pub mod recompute;
pub mod registry;
pub mod reserve_fund;
pub mod settings;
pub mod standards;
pub mod stats;
pub mod temp_aid;
pub mod timeline;
pub mod tokens;
pub mod users;
