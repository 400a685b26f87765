//! Table tests of typed standard values and the in-force decisions.

use chrono::NaiveDate;

use super::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn stored(id: i64, scope: &str, from: &str, value: &str) -> StoredStandard {
    StoredStandard {
        id,
        key: "dibao.standard".into(),
        scope: scope.into(),
        effective_from: day(from),
        value: value.into(),
        created_at: String::new(),
        created_by: String::new(),
    }
}

#[test]
fn typed_rows() {
    // (prefix, key, scope, value, Ok(stored value) or Err(field))
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Result<&'static str, &'static str>,
    );
    let table: &[Case] = &[
        ("", "dibao.standard", "rural", "660", Ok("66000")),
        ("", " dibao.standard ", "urban", "871.5", Ok("87150")),
        (
            "rows[2].",
            "dibao.standard",
            "all",
            "660",
            Err("rows[2].scope"),
        ),
        ("", "dibao.standard", "town", "660", Err("scope")),
        ("", "no.such.key", "all", "1", Err("key")),
        (
            "rows[0].",
            "dibao.standard",
            "rural",
            "六百",
            Err("rows[0].value"),
        ),
        ("", "dibao.marginal_multiplier", "all", "1.5", Ok("1.5")),
    ];
    for (prefix, key, scope, value, want) in table {
        let got = typed_row(prefix, key, scope, day("2026-01-01"), value);
        match (got, want) {
            (Ok(row), Ok(v)) => assert_eq!(row.value, *v, "{key} {value}"),
            (Err(e), Err(f)) => assert_eq!(e.field.as_deref(), Some(*f), "{key} {value}"),
            (got, want) => panic!("{key} {value}: {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn the_latest_row_in_effect_is_in_force() {
    let rows = vec![
        stored(1, "rural", "2025-01-01", "60000"),
        stored(2, "rural", "2026-01-01", "66000"),
        stored(3, "rural", "2027-01-01", "70000"),
        stored(4, "urban", "2025-06-01", "87100"),
    ];
    // (as of, ids in force)
    let table: &[(&str, &[i64])] = &[
        ("2024-12-31", &[]),
        ("2025-06-01", &[1, 4]),
        ("2026-03-15", &[2, 4]),
        ("2027-01-01", &[3, 4]),
    ];
    for (as_of, want) in table {
        let got: Vec<i64> = rows
            .iter()
            .filter(|r| in_force(&rows, r, day(as_of)))
            .map(|r| r.id)
            .collect();
        assert_eq!(&got, want, "{as_of}");
    }
}

#[test]
fn a_value_in_force_is_never_changed() {
    let today = day("2026-03-15");
    let now = stored(1, "rural", "2026-01-01", "66000");
    let later = stored(2, "rural", "2026-07-01", "70000");
    assert_eq!(
        may_set(&now, today).unwrap_err().field.as_deref(),
        Some("effective_from")
    );
    assert!(may_set(&later, today).is_ok());
    assert_eq!(
        may_withdraw(&now, today).unwrap_err().message,
        "2026-01-01 起生效的值已在执行，不能撤回"
    );
    assert!(may_withdraw(&later, today).is_ok());
    let same = typed_row("", "dibao.standard", "rural", day("2026-01-01"), "660").unwrap();
    let other = typed_row("", "dibao.standard", "rural", day("2026-01-01"), "700").unwrap();
    assert!(may_import(0, &same, &now, today).is_ok());
    let e = may_import(2, &other, &now, today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("rows[2].value"));
    assert!(e.message.starts_with("第 3 行："), "{}", e.message);
    assert!(
        e.message.contains("已执行 660.00，导入文件为 700.00"),
        "{}",
        e.message
    );
    assert!(may_import(0, &other, &later, today).is_ok());
}
