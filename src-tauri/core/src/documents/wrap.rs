//! Line breaking for Chinese text: at any character, by measured advance widths, keeping ASCII
//! words and numbers whole when they fit, and never starting a line with closing punctuation.

use super::fonts::fonts;
use super::layout::Style;

/// Characters that may not start a line (标点禁则): they stay with the character before them.
const NO_LINE_START: &str = "，。、；：？！）》」』”’〕】…—,.;:?!)%";

/// Breaks `text` into lines no wider than `width`, at any character (Chinese has no spaces),
/// keeping ASCII words whole when they fit on a line, keeping closing punctuation off the start
/// of a line, and honouring `\n`.
pub fn wrap(text: &str, style: Style, width: f32) -> Vec<String> {
    wrap_lines(text, style, width, 0.0)
        .into_iter()
        .map(|(line, _)| line)
        .collect()
}

/// Wrapped lines, each with whether it ends a paragraph (a `\n` or the end of the text).
pub(crate) fn wrap_lines(
    text: &str,
    style: Style,
    width: f32,
    first_indent: f32,
) -> Vec<(String, bool)> {
    let fonts = fonts();
    let mut out = Vec::new();
    for para in text.split('\n') {
        let chars: Vec<char> = para.chars().collect();
        let mut start = 0;
        if chars.is_empty() {
            out.push((String::new(), true));
            continue;
        }
        while start < chars.len() {
            let avail = if out.is_empty() {
                width - first_indent
            } else {
                width
            };
            let mut w = 0.0;
            let mut end = start;
            while end < chars.len() {
                let a = fonts.advance(style.face, chars[end], style.size);
                if w + a > avail && end > start {
                    break;
                }
                w += a;
                end += 1;
            }
            if end < chars.len() {
                let mut brk = end;
                // Keep an ASCII word whole if it started on this line and is not the whole line.
                if is_word(chars[brk]) && is_word(chars[brk - 1]) {
                    let mut b = brk;
                    while b > start && is_word(chars[b - 1]) {
                        b -= 1;
                    }
                    if b > start {
                        brk = b;
                    }
                }
                // 禁则: no closing punctuation at a line start.
                while brk > start + 1 && NO_LINE_START.contains(chars[brk]) {
                    brk -= 1;
                }
                end = brk;
            }
            let line: String = chars[start..end].iter().collect();
            start = end;
            while start < chars.len() && chars[start] == ' ' {
                start += 1;
            }
            out.push((line.trim_end().to_owned(), start >= chars.len()));
        }
    }
    out
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '-' | '_' | '@' | '/' | '*' | '%')
}
