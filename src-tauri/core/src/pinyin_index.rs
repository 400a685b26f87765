//! Pinyin initials for searching names: "zs" finds 张三.
//!
//! A name can be read several ways (单 dan/shan, 曾 ceng/zeng), so every combination of readings is
//! indexed, up to a cap, and surnames add the reading they take as a surname.

use pinyin::ToPinyinMulti;

/// Surnames whose surname reading differs from the common reading.
const SURNAMES: &[(char, char)] = &[
    ('单', 's'),
    ('曾', 'z'),
    ('解', 'x'),
    ('仇', 'q'),
    ('朴', 'p'),
    ('区', 'o'),
    ('查', 'z'),
    ('盖', 'g'),
    ('乐', 'y'),
    ('尉', 'y'),
    ('覃', 'q'),
    ('缪', 'm'),
    ('翟', 'z'),
    ('种', 'c'),
    ('秘', 'b'),
    ('员', 'y'),
    ('召', 's'),
    ('繁', 'p'),
    ('折', 's'),
    ('宿', 'x'),
    ('句', 'g'),
    ('隗', 'w'),
    ('冼', 'x'),
    ('眭', 's'),
    ('长', 'c'),
    ('黑', 'h'),
    ('柏', 'b'),
    ('万', 'm'),
];

/// Characters used in names that the pinyin tables may lack.
const RARE: &[(char, char)] = &[
    ('䶮', 'y'),
    ('𠇔', 'h'),
    ('𡒄', 'd'),
    ('𬱖', 'f'),
    ('𬘭', 'l'),
    ('𬭚', 'w'),
];

/// At most this many combinations are kept for one name.
const MAX_VARIANTS: usize = 32;

fn letters(c: char, first: bool) -> Vec<char> {
    if c.is_ascii_alphabetic() {
        return vec![c.to_ascii_lowercase()];
    }
    let mut out: Vec<char> = Vec::new();
    if first {
        if let Some(&(_, l)) = SURNAMES.iter().find(|(s, _)| *s == c) {
            out.push(l);
        }
    }
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            if let Some(l) = p.first_letter().chars().next() {
                if !out.contains(&l) {
                    out.push(l);
                }
            }
        }
    }
    if out.is_empty() {
        if let Some(&(_, l)) = RARE.iter().find(|(s, _)| *s == c) {
            out.push(l);
        }
    }
    out
}

/// Every initials reading of `name`, e.g. 单三 → ["ss", "ds", "cs"] (order unspecified).
pub fn variants(name: &str) -> Vec<String> {
    let mut acc: Vec<String> = vec![String::new()];
    let mut first = true;
    for c in name.chars() {
        let options = letters(c, first);
        if options.is_empty() {
            continue; // punctuation such as the middle dot in 阿依古丽·买买提
        }
        first = false;
        let mut next = Vec::with_capacity(acc.len() * options.len());
        for prefix in &acc {
            for l in &options {
                if next.len() < MAX_VARIANTS {
                    let mut s = prefix.clone();
                    s.push(*l);
                    next.push(s);
                }
            }
        }
        acc = next;
    }
    acc.retain(|s| !s.is_empty());
    acc
}

/// The stored form: each variant preceded by a space, so `LIKE '% zs%'` is a prefix match.
pub fn index_text(name: &str) -> String {
    variants(name).iter().map(|v| format!(" {v}")).collect()
}

/// Whether a search text looks like pinyin initials rather than a name.
pub fn is_initials_query(q: &str) -> bool {
    !q.is_empty() && q.chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials() {
        let cases: &[(&str, &str)] = &[
            ("张三", "zs"),
            ("李四光", "lsg"),
            ("单田芳", "stf"),
            ("曾国藩", "zgf"),
            ("解缙", "xj"),
            ("仇英", "qy"),
            ("朴树", "ps"),
            ("刘䶮", "ly"),
            ("阿依古丽·买买提", "aygl"),
            ("王𠇔", "wh"),
        ];
        for (name, want) in cases {
            let v = variants(name);
            assert!(
                v.iter().any(|s| s.starts_with(want)),
                "{name}: {v:?} lacks {want}"
            );
            assert!(index_text(name).contains(&format!(" {want}")), "{name}");
        }
    }

    #[test]
    fn variants_are_capped() {
        assert!(variants("长长长长长长长长长长").len() <= MAX_VARIANTS);
    }
}
