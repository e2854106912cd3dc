//! Output formats for CI: SARIF validated against the official schema, JUnit parsed as XML,
//! GitHub workflow commands escaped, several reports in one run.

use std::io::Write;
use std::process::{Command, Stdio};

fn stslint(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const STS: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web, annotations: {note: \"😀 emoji\"}}\nspec: {clusterIP: None, selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n  podManagementPolicy: Parallel\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, note: \"😀\"}}\n    spec: {containers: [{name: web, image: \"nginx:1.27\", volumeMounts: [{name: data, mountPath: /d}]}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {volumeMode: \"😀\", accessModes: [\"ReadWriteOnce\"], resources: {requests: {storage: 1 Gi}}}\n";

fn sarif_of(text: &str) -> serde_json::Value {
    let (code, out) = stslint(
        &[
            "check",
            "--format",
            "sarif",
            "--stdin-filename",
            "charts/web.yaml",
            "-",
        ],
        text.as_bytes(),
    );
    assert_eq!(code, 1);
    serde_json::from_str(&out).unwrap()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    // The official schema's `run.language` pattern has a stray `]` that Rust's regex engine
    // (unlike ECMAScript's) rejects when the schema itself is checked: swap in the pattern it
    // means. Nothing our output uses depends on it.
    let text = std::fs::read_to_string("tests/schemas/sarif-2.1.0.json")
        .unwrap()
        .replace(
            "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
        );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for sarif in [sarif_of(STS), {
        let (_, out) = stslint(&["check", "--format", "sarif", "examples/lab"], b"");
        serde_json::from_str(&out).unwrap()
    }] {
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn sarif_results_carry_rules_utf16_columns_related_locations_and_fingerprints() {
    let sarif = sarif_of(STS);
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), stslint::rules::registry().len());
    let results = run["results"].as_array().unwrap();
    let quantity = results
        .iter()
        .find(|r| r["ruleId"] == "invalid-storage-quantity")
        .unwrap();
    let location = &quantity["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "charts/web.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 18);
    // The emoji before the value is one character but two UTF-16 code units.
    assert_eq!(location["region"]["startColumn"], 96);
    let index = quantity["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "invalid-storage-quantity");
    assert_eq!(rules[index]["defaultConfiguration"]["level"], "error");
    let target = results
        .iter()
        .find(|r| r["ruleId"] == "service-target-port-not-found")
        .unwrap();
    assert_eq!(
        target["locations"][0]["physicalLocation"]["region"]["startColumn"],
        78
    );
    let (_, compact) = stslint(&["check", "--format", "compact", "-"], STS.as_bytes());
    assert!(
        compact.contains(":18:95: error [invalid-storage-quantity]"),
        "{compact}"
    );
    assert!(
        target["partialFingerprints"]["stslint/v1"]
            .as_str()
            .unwrap()
            .len()
            == 16
    );
}

#[test]
fn fingerprints_stay_the_same_when_lines_move() {
    let fingerprints = |text: &str| -> Vec<String> {
        let sarif = sarif_of(text);
        let mut fps: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["stslint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        fps.sort();
        fps
    };
    let moved = format!(
        "# a comment\n\n\n{}",
        STS.replacen(
            "podManagementPolicy: Parallel\n",
            "podManagementPolicy: Parallel\n  replicas: 2\n",
            1
        )
    );
    assert_eq!(fingerprints(STS), fingerprints(&moved));
}

#[test]
fn junit_is_one_suite_per_file_with_a_case_per_object_and_per_finding() {
    let (_, out) = stslint(
        &[
            "check",
            "--format",
            "junit",
            "examples/lab",
            "tests/fixtures/input/flow.yaml",
        ],
        b"",
    );
    let doc = roxmltree::Document::parse(&out).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 2);
    let lab = suites
        .iter()
        .find(|s| s.attribute("name") == Some("examples/lab/stateful-python-app.yaml"))
        .unwrap();
    assert_eq!(lab.attribute("failures"), Some("4"));
    let cases: Vec<_> = lab
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // 8 objects, 4 of them with findings; 5 findings.
    assert_eq!(cases.len(), 4 + 5);
    let failure = cases
        .iter()
        .find_map(|c| c.children().find(|n| n.has_tag_name("failure")))
        .unwrap();
    assert!(failure.text().unwrap().starts_with(
        "examples/lab/stateful-python-app.yaml:75:1: warning [statefulset-missing-service-name]"
    ));
    assert_eq!(root.attribute("failures"), Some("5"));
}

#[test]
fn junit_has_no_suite_for_files_read_only_for_context() {
    let (_, out) = stslint(
        &[
            "check",
            "--format",
            "junit",
            "examples/lab",
            "--context",
            "tests/fixtures/input/flow.yaml",
        ],
        b"",
    );
    let doc = roxmltree::Document::parse(&out).unwrap();
    let suites: Vec<_> = doc
        .root_element()
        .children()
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(suites, ["examples/lab/stateful-python-app.yaml"]);
}

#[test]
fn github_annotations_are_escaped() {
    let text = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"a.b\"}\ndata: {k: 1}\n";
    let (code, out) = stslint(
        &[
            "check",
            "--format",
            "github",
            "--stdin-filename",
            "dir:x/c,m.yaml",
            "-",
        ],
        text,
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "::error file=dir%3Ax/c%2Cm.yaml,line=4,col=11,endLine=4,endColumn=12,title=stslint invalid-field-type::`data.k`: `1` is an integer, but a string is expected here%0Awrite a value of the expected type; quote strings that YAML 1.1 reads as booleans or numbers (\"yes\", \"on\", \"0644\")\n"
    );
}

#[test]
fn several_reports_in_one_run() {
    let dir = std::env::temp_dir().join(format!("stslint-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sarif = dir.join("r.sarif");
    let junit = dir.join("r.xml");
    let (code, out) = stslint(
        &[
            "check",
            "--format",
            "compact",
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
            "examples/lab",
        ],
        b"",
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 4);
    assert!(std::fs::read_to_string(&sarif)
        .unwrap()
        .contains("\"version\": \"2.1.0\""));
    assert!(std::fs::read_to_string(&junit)
        .unwrap()
        .starts_with("<?xml"));
    std::fs::remove_dir_all(&dir).unwrap();
    let (code, _) = stslint(&["check", "--output", "pdf=x.pdf", "examples/lab"], b"");
    assert_eq!(code, 2);
}

#[test]
fn statistics_count_findings_per_rule() {
    let (_, out) = stslint(&["check", "--statistics", "examples/lab"], b"");
    assert_eq!(
        out,
        "     2  error    invalid-helm-hook-annotation\n     1  warning  claim-template-not-mounted\n     1  warning  statefulset-missing-service-name\n"
    );
}
