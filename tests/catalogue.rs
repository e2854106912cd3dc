//! The rule catalogue is executable documentation: every rule has a data file, every data
//! file a rule; invalid examples raise exactly their rule at the stated positions, valid
//! examples raise nothing; the README's rules table is generated from the catalogue.

use stslint::diagnostic::Severity;
use stslint::rules::registry;
use stslint::session::{check as lint, check_against as lint_against, Input};
use stslint::settings::Settings;

/// Runs `rule` (which may be opt-in) with the schema checks, so that examples stay as short as
/// the point they make yet are well-formed objects, with the options its doc gives.
fn run(text: &str, rule: &str) -> stslint::session::Report {
    let doc = &stslint::rules::find(rule).unwrap().doc;
    let mut settings = if doc.category == "suppression" {
        // Whether a suppression is used depends on the rules it names having run.
        Settings {
            extend_select: vec![rule.into()],
            ..Settings::default()
        }
    } else {
        Settings {
            select: vec![rule.into(), "schema".into()],
            ..Settings::default()
        }
    };
    if let Some(options) = &stslint::rules::find(rule).unwrap().doc.options {
        settings.options.insert(
            rule.into(),
            stslint::rules::find(rule)
                .unwrap()
                .rule
                .configure(options)
                .unwrap()
                .unwrap(),
        );
    }
    let input = Input {
        name: "example.yaml".into(),
        content: stslint::session::Content::Bytes(text.as_bytes().to_vec()),
        context_only: false,
    };
    match &doc.previous {
        // An upgrade rule's examples are new versions of its `previous` one.
        Some(previous) => {
            let previous = Input {
                name: "previous.yaml".into(),
                content: stslint::session::Content::Bytes(previous.as_bytes().to_vec()),
                context_only: false,
            };
            lint_against(vec![input], vec![previous], &settings)
        }
        None => lint(vec![input], &settings),
    }
}

#[test]
fn ids_are_unique_kebab_case_and_match_their_files() {
    let mut seen = std::collections::BTreeSet::new();
    for rule in registry() {
        assert_eq!(
            rule.id, rule.doc.id,
            "rules/{}.toml has id {}",
            rule.id, rule.doc.id
        );
        assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
        let kebab = rule.id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
        assert!(kebab, "{} is not kebab-case", rule.id);
        assert!(Severity::parse(&rule.doc.severity).is_some());
        assert!(
            [
                "input",
                "schema",
                "storage",
                "service",
                "controller",
                "pod",
                "helm",
                "pdb",
                "opinion",
                "suppression",
                "upgrade",
                "policy"
            ]
            .contains(&rule.doc.category.as_str()),
            "{}: unknown category {}",
            rule.id,
            rule.doc.category
        );
        assert_eq!(
            rule.doc.previous.is_some(),
            rule.doc.category == "upgrade",
            "{}: upgrade rules, and only they, compare their examples with a previous version",
            rule.id
        );
        assert!(
            !rule.doc.references.is_empty(),
            "{}: every rule cites the source or doc that shows its why",
            rule.id
        );
        for text in [&rule.doc.summary, &rule.doc.why, &rule.doc.fix] {
            assert!(
                !text.trim().is_empty() && !text.contains("TODO"),
                "{}: incomplete docs",
                rule.id
            );
        }
    }
    let files: std::collections::BTreeSet<String> = std::fs::read_dir("rules")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".toml")
                .to_string()
        })
        .collect();
    let ids: std::collections::BTreeSet<String> = seen.iter().map(|s| s.to_string()).collect();
    assert_eq!(files, ids, "rules/*.toml and the registry differ");
}

#[test]
fn invalid_examples_raise_exactly_their_rule_where_stated() {
    for rule in registry() {
        let Some(invalid) = &rule.doc.invalid else {
            // Only input problems that no text can show (unreadable files, binary data)
            // go without an example; they are covered by tests/cli.rs.
            assert!(
                ["unreadable-file", "not-text"].contains(&rule.id),
                "{} has no invalid example",
                rule.id
            );
            continue;
        };
        let report = run(invalid, rule.id);
        let mut positions = Vec::new();
        for d in &report.diagnostics {
            let start = report.files[d.file].position(d.span.start);
            if d.rule == rule.id {
                // A finding about an object that is gone points at its previous version.
                let file = &report.files[d.file].name;
                let prefix = if file == "example.yaml" {
                    String::new()
                } else {
                    format!("{file}:")
                };
                positions.push(format!("{prefix}{}:{}", start.line, start.column));
            } else {
                assert!(
                    d.severity < Severity::Error,
                    "{}: invalid example also raises {} at {}:{}",
                    rule.id,
                    d.rule,
                    start.line,
                    start.column
                );
            }
        }
        assert_eq!(
            positions, rule.doc.expect,
            "{}: findings of the invalid example",
            rule.id
        );
        assert!(
            !positions.is_empty(),
            "{}: invalid example raises nothing",
            rule.id
        );
    }
}

#[test]
fn valid_examples_raise_nothing() {
    for rule in registry() {
        let Some(valid) = &rule.doc.valid else {
            assert!(
                rule.doc.invalid.is_none(),
                "{} has an invalid example but no valid one",
                rule.id
            );
            continue;
        };
        let report = run(valid, rule.id);
        let found: Vec<_> = report.diagnostics.iter().map(|d| d.rule).collect();
        assert!(
            found.is_empty(),
            "{}: valid example raises {found:?}",
            rule.id
        );
    }
}

/// The README's rules table, between markers, is generated from the catalogue. Run with
/// `UPDATE_README=1` to rewrite it.
#[test]
fn readme_rules_table_is_current() {
    let table = stslint::docs::rules_table();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let start = readme
        .find(begin)
        .expect("README has the rules:begin marker")
        + begin.len();
    let stop = readme.find(end).expect("README has the rules:end marker");
    if readme[start..stop] != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], table, &readme[stop..]);
            std::fs::write("README.md", updated).unwrap();
        } else {
            panic!("README rules table is out of date: run `UPDATE_README=1 cargo test --test catalogue`");
        }
    }
}

/// Every rule states what its findings claim about the cluster, in the judge's vocabulary;
/// an error that claims nothing checkable would be an opinion shown as a fact.
#[test]
fn every_rule_states_a_claim_the_judge_knows() {
    for rule in registry() {
        assert!(
            stslint::rules::CLAIMS.contains(&rule.doc.claim.as_str()),
            "{}: claim `{}` is not one of {:?}",
            rule.id,
            rule.doc.claim,
            stslint::rules::CLAIMS
        );
        for also in &rule.doc.also_claims {
            assert!(
                stslint::rules::CLAIMS.contains(&also.as_str()) && *also != rule.doc.claim,
                "{}: also_claims `{also}` is not another of {:?}",
                rule.id,
                stslint::rules::CLAIMS
            );
        }
        if rule.doc.enabled && rule.doc.severity == "error" && rule.doc.category != "suppression" {
            assert_ne!(
                rule.doc.claim, "none",
                "{}: a default error claims nothing",
                rule.id
            );
        }
    }
}
