//! Importing an existing 低保/特困 ledger (台账) as provinces hand them out: reading the file
//! (`read`), finding and mapping its columns (`columns`, `sheet`), checking each row (`rows`) and
//! every row against the areas and the registry read once (`check`). Pure apart from reading the
//! file; `commands/ledger/` loads the snapshot and writes the rows in one transaction.

pub mod bench;
pub mod check;
pub mod columns;
pub mod read;
pub mod record;
pub mod rows;
pub mod sheet;
