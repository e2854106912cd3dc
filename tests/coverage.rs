//! The README's Kubernetes validation coverage table is data (`rules/coverage/kubernetes.toml`):
//! every covered row's example raises its rule at the stated line and column, rows without a
//! rule say why, and the table in the README is generated from it.

use stslint::session::{check as lint, Input};
use stslint::settings::Settings;

#[test]
fn every_covered_check_is_caught_where_stated() {
    let rows = stslint::docs::coverage();
    assert!(rows.len() >= 50, "the table lists {} checks", rows.len());
    for row in rows {
        let what = format!("{} `{}`: {}", row.kind, row.field, row.check);
        if row.rule.is_empty() {
            assert!(
                row.why_not.as_deref().is_some_and(|w| !w.trim().is_empty()),
                "{what}: a row without a rule says why"
            );
            assert!(row.example.is_none(), "{what}: no rule, no example");
            continue;
        }
        assert!(
            stslint::rules::find(&row.rule).is_some(),
            "{what}: no rule `{}`",
            row.rule
        );
        let example = row
            .example
            .as_deref()
            .unwrap_or_else(|| panic!("{what}: no example"));
        let settings = Settings {
            select: vec![row.rule.clone()],
            ..Settings::default()
        };
        let input = Input {
            name: "example.yaml".into(),
            content: stslint::session::Content::Bytes(example.as_bytes().to_vec()),
            context_only: false,
        };
        let report = lint(vec![input], &settings);
        let found: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == row.rule)
            .map(|d| {
                let p = report.files[d.file].position(d.span.start);
                format!("{}:{}", p.line, p.column)
            })
            .collect();
        assert_eq!(
            found,
            vec![row.expect.clone().unwrap_or_default()],
            "{what}: findings of `{}`",
            row.rule
        );
    }
}

/// Run with `UPDATE_README=1` to rewrite the table.
#[test]
fn readme_coverage_table_is_current() {
    let table = stslint::docs::coverage_table();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (begin, end) = ("<!-- coverage:begin -->\n", "<!-- coverage:end -->");
    let start = readme
        .find(begin)
        .expect("README has the coverage:begin marker")
        + begin.len();
    let stop = readme
        .find(end)
        .expect("README has the coverage:end marker");
    if readme[start..stop] != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], table, &readme[stop..]);
            std::fs::write("README.md", updated).unwrap();
        } else {
            panic!("README coverage table is out of date: run `UPDATE_README=1 cargo test --test coverage`");
        }
    }
}
