//! 台账导入's warnings: a row whose 保障人数 differs from the persons it lists is imported as it
//! is, and named by row and column for the clerk to check.

use super::*;

#[test]
fn a_persons_count_other_than_the_persons_listed_is_a_warning_and_the_row_is_imported() {
    let mut c = county();
    let mut rows = good_rows();
    // 张三 lists his wife but covers himself only; 王五 covers three and lists nobody.
    rows[0][8] = "1".into();
    rows[1][8] = "3".into();
    let path = xlsx(&c, "台账.xlsx", &HEADER, &rows);
    c.sign_in("admin");
    let dry = c.ok("ledger.import", json!({"path": path, "dry_run": true}));
    assert_eq!(dry["errors"], json!([]));
    assert_eq!(dry["warnings_total"], 2);
    let warnings: Vec<(u64, &str, &str)> = dry["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap(),
                w["column"]["letter"].as_str().unwrap(),
                w["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            (3, "I", "保障人数为 1，台账列出户主和家庭成员共 2 人：请核实未纳入保障的成员（如单人保）"),
            (4, "I", "保障人数为 3，但台账只列出户主 1 人：导入后本户只有户主，请核实并在导入后补录家庭成员"),
        ]
    );
    // Warnings do not stop the import; the rows go in as they are.
    let v = c.ok("ledger.import", json!({"path": path}));
    assert_eq!(
        (v["imported"].as_u64(), v["warnings_total"].as_u64()),
        (Some(3), Some(2))
    );
    // A row whose persons match its people has no warning (the good rows of the other tests).
    let path = xlsx(
        &c,
        "台账2.xlsx",
        &HEADER,
        &[row("孙七", &id("19580808", 71), "", "1", "660")],
    );
    let v = c.ok("ledger.import", json!({"path": path, "dry_run": true}));
    assert_eq!(v["warnings"], json!([]));
}
