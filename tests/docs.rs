//! `docs/rules/`: one page per rule, generated from the catalogue (`rules/*.toml`), which
//! SARIF's `helpUri` and the language server's `codeDescription` link to. Run with
//! `UPDATE_DOCS=1` to rewrite them; otherwise a page that drifted, or is missing or left
//! over, fails.

use std::path::Path;

#[test]
fn every_rule_has_its_generated_page_and_nothing_else_is_there() {
    let dir = Path::new("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut expected = vec![("README.md".to_string(), stslint::docs::rules_index())];
    for rule in stslint::rules::registry() {
        expected.push((format!("{}.md", rule.id), stslint::docs::rule_page(rule)));
    }
    if update {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .expect("docs/rules exists: run `UPDATE_DOCS=1 cargo test --test docs`")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut names: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    assert_eq!(
        found, names,
        "docs/rules is out of date: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
    for (name, text) in &expected {
        let current = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            &current == text,
            "docs/rules/{name} is out of date: run `UPDATE_DOCS=1 cargo test --test docs`"
        );
    }
}

/// The links findings carry lead to those pages, in the project's repository.
#[test]
fn sarif_and_the_language_server_link_to_the_rule_pages() {
    let url = stslint::docs::rule_url("statefulset-service-not-found");
    assert_eq!(
        url,
        format!(
            "{}/blob/main/docs/rules/statefulset-service-not-found.md",
            env!("CARGO_PKG_REPOSITORY")
        )
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stslint"))
        .args(["check", "--format", "sarif", "examples/lab"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "invalid-helm-hook-annotation")
        .unwrap();
    assert_eq!(
        rule["helpUri"],
        stslint::docs::rule_url("invalid-helm-hook-annotation")
    );
    assert!(Path::new("docs/rules/invalid-helm-hook-annotation.md").is_file());
}
