//! Importing an existing 低保/特困 ledger (台账) as provinces hand them out: reading the file
//! (`read`), finding and mapping its columns (`columns`) and checking each row (`rows`). Pure
//! apart from reading the file; `commands/ledger.rs` checks against the database and writes.

pub mod bench;
pub mod columns;
pub mod read;
pub mod rows;
