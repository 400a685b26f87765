//! The tidy test: keeps the tree as ARCHITECTURE.md describes it (after rust-analyzer's
//! `xtask/src/tidy.rs`). Every Rust file opens with `//!`; no file grows past 600 lines except
//! the shrinking allow-list; SQL only in store/ and db.rs; the floors below commands/ never
//! import it; commands/ stays a thin share of the core; the map names every module.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

/// Files still over [`MAX_LINES`]. A file that drops under the limit must leave this list, so it
/// only ever shrinks.
const TOO_LONG_ALLOWED: &[&str] = &[];

/// The floors below the command layer: pure modules, documents, the store.
const BELOW_COMMANDS: &[&str] = &[
    "audit.rs",
    "auth.rs",
    "clock.rs",
    "db.rs",
    "documents/",
    "error.rs",
    "idcard.rs",
    "ledger/",
    "month.rs",
    "payrun/",
    "pinyin_index.rs",
    "programme.rs",
    "registry.rs",
    "rules/",
    "stats",
    "store/",
    "workflow/",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Every Rust file of the project, as (path relative to the repository, text).
fn project_files() -> Vec<(String, String)> {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "src-tauri/core/src",
        "src-tauri/cli/src",
        "src-tauri/app/src",
        "tests/integration",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The core's files as (path relative to src/, text).
fn core_files() -> Vec<(String, String)> {
    project_files()
        .into_iter()
        .filter_map(|(p, t)| {
            p.strip_prefix("src-tauri/core/src/")
                .map(|r| (r.to_owned(), t))
        })
        .collect()
}

#[test]
fn every_rust_file_says_what_it_is_for() {
    let bare: Vec<String> = project_files()
        .into_iter()
        .filter(|(_, t)| !t.trim_start().starts_with("//!"))
        .map(|(p, _)| p)
        .collect();
    assert!(
        bare.is_empty(),
        "files without a //! opening line: {bare:?}"
    );
}

#[test]
fn files_stay_short_enough_to_read() {
    let files = project_files();
    let mut long = Vec::new();
    for (p, t) in &files {
        let lines = t.lines().count();
        if lines > MAX_LINES && !TOO_LONG_ALLOWED.contains(&p.as_str()) {
            long.push(format!("{p}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them): {long:#?}"
    );
    for allowed in TOO_LONG_ALLOWED {
        let lines = files
            .iter()
            .find(|(p, _)| p == allowed)
            .map_or(0, |(_, t)| t.lines().count());
        assert!(
            lines > MAX_LINES,
            "{allowed} is {lines} lines now: take it off TOO_LONG_ALLOWED"
        );
    }
}

/// Whether a line holds SQL or talks to the database directly.
fn sql_on(line: &str) -> bool {
    const MARKS: &[&str] = &[
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"CREATE ",
        "\"DROP ",
        "\"PRAGMA ",
        "\"WITH ",
        " FROM ",
        "INSERT INTO",
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".prepare_cached(",
        ".query_row(",
    ];
    MARKS.iter().any(|m| line.contains(m))
}

#[test]
fn sql_lives_in_the_store() {
    let mut found = Vec::new();
    for (p, t) in core_files() {
        if p.starts_with("store/") || p == "db.rs" {
            continue;
        }
        let mut in_tests = false;
        for (n, line) in t.lines().enumerate() {
            // Unit tests may set a database up by hand (to tamper with it, say).
            if line.starts_with("#[cfg(test)]") {
                in_tests = true;
            }
            if !in_tests && !line.trim_start().starts_with("//") && sql_on(line) {
                found.push(format!("src/{p}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside store/ and db.rs: {found:#?}");
}

#[test]
fn floors_below_commands_never_import_it() {
    let mut found = Vec::new();
    for (p, t) in core_files() {
        if !BELOW_COMMANDS.iter().any(|b| p.starts_with(b)) {
            continue;
        }
        for (n, line) in t.lines().enumerate() {
            if line.contains("crate::commands") || line.contains("super::commands") {
                found.push(format!("src/{p}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "imports of commands/ from below it: {found:#?}"
    );
}

#[test]
fn commands_stay_a_thin_layer() {
    let files = core_files();
    let lines = |f: &dyn Fn(&str) -> bool| -> usize {
        files
            .iter()
            .filter(|(p, _)| f(p))
            .map(|(_, t)| t.lines().count())
            .sum()
    };
    let commands = lines(&|p| p.starts_with("commands/"));
    let core = lines(&|_| true);
    let share = commands as f64 / core as f64;
    assert!(
        share <= 0.21,
        "commands/ is {commands} of the core's {core} lines ({:.1} %): move decisions into pure modules",
        share * 100.0
    );
}

#[test]
fn the_map_names_every_module() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut unnamed = Vec::new();
    let src = core_src();
    let mut dirs = vec![src.clone(), src.join("commands"), src.join("store")];
    dirs.retain(|d| d.is_dir());
    for dir in dirs {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let stem = name.trim_end_matches(".rs");
            // A folder beside its `name.rs` holds that module's parts (its tests): named with it.
            let beside_its_file = p.is_dir() && dir.join(format!("{name}.rs")).exists();
            if matches!(stem, "mod" | "lib" | "tests") || beside_its_file {
                continue;
            }
            let as_dir = format!("{stem}/");
            if !(map.contains(&format!("`{name}`"))
                || map.contains(&format!("`{stem}`"))
                || map.contains(&format!("`{as_dir}`"))
                || map.contains(&format!("/{name}`"))
                || map.contains(&format!("/{stem}`"))
                || map.contains(&format!("/{as_dir}`")))
            {
                let rel = p
                    .strip_prefix(&src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                unnamed.push(rel);
            }
        }
    }
    unnamed.sort();
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md's code map does not name: {unnamed:?}"
    );
}

#[test]
fn the_map_names_only_what_exists() {
    let map = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let src = core_src();
    let mut gone = Vec::new();
    // Every `path.rs` or `path/` in backticks is a file or folder of the core (or of the repo).
    // The odd pieces between backticks are what the map quotes.
    for (_, quoted) in map.split('`').enumerate().filter(|(i, _)| i % 2 == 1) {
        let looks_like_path = (quoted.ends_with(".rs") || quoted.ends_with('/'))
            && !quoted.contains(' ')
            && !quoted.contains('*');
        if !looks_like_path {
            continue;
        }
        let bases = [
            src.clone(),
            src.join("commands"),
            src.join("store"),
            Path::new(env!("CARGO_MANIFEST_DIR")).to_owned(),
            root().join("tests/integration"),
            root(),
        ];
        let exists =
            bases.iter().any(|base| base.join(quoted).exists()) || find_below(&src, quoted);
        if !exists {
            gone.push(quoted.to_owned());
        }
    }
    assert!(
        gone.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {gone:?}"
    );
}

/// Whether `rel` (a file or folder path) exists under some folder of `dir`.
fn find_below(dir: &Path, rel: &str) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let p = e.unwrap().path();
        p.is_dir() && (p.join(rel).exists() || find_below(&p, rel))
    })
}
