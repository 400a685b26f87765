//! Synthetic demo county: townships, villages, groups, staff and plausible households.
//! Deterministic for a seed. Filled in by `doudi demo`.
