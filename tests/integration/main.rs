//! Integration tests through the command layer, on temporary database files: what the app and the
//! CLI do, tested the way a caseworker uses it.

mod audit;
mod back_pay;
mod benefits;
mod cases;
mod common;
mod concurrency;
mod dates;
mod deliberation;
mod docs;
mod files;
mod finances;
mod ledger;
mod open;
mod payment_accounts;
mod payments;
mod policy;
mod recompute;
mod registry;
mod search;
mod standards;
mod stats;
mod temp_aid;
mod tidy;
mod tokens;

mod users;
