//! The store: all SQL lives below this module. Everything above calls typed functions, so the day
//! a county shares one server database only this layer changes.

pub mod areas;
pub mod audit;
pub mod registry;
pub mod settings;
pub mod users;

/// Escape `%`, `_` and the escape character itself for `LIKE … ESCAPE '\'`.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
