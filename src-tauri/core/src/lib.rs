//! Doudi core: the domain, the store, the audit chain and the one command layer.
//!
//! Nothing here knows about Tauri. The desktop shell, the `doudi` CLI and the tests all reach the
//! core through [`commands::call`], a named command taking and returning JSON.

pub mod audit;
pub mod auth;
pub mod bench;
pub mod calculation;
pub mod caseload;
pub mod clock;
pub mod commands;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod files;
pub mod idcard;
pub mod ledger;
pub mod month;
pub mod payment_files;
pub mod payrun;
pub mod pinyin_index;
pub mod programme;
pub mod progress;
pub mod recompute;
pub mod registry;
pub mod rules;
pub mod server_session;
pub mod session;
pub mod standard_entry;
pub mod stats;
pub mod store;
pub mod what_if;
pub mod workflow;

pub use clock::{Clock, FixedClock, SystemClock};
pub use commands::{call, Progress, Session};
pub use error::{CmdError, ErrorCode};
