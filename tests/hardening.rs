//! Hostile and endless inputs, and outputs that cannot be written: a clear finding or error,
//! bounded memory, nothing from a file reaching the terminal raw.

use std::process::Command;

fn stslint(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stslint-hard-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn devices_and_endless_streams_are_read_with_a_cap() {
    let (code, out, _) = stslint(&[
        "check",
        "--format",
        "compact",
        "/dev/zero",
        "/dev/urandom",
        "examples/lab",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "/dev/zero:1:1: error [not-text] `/dev/zero` is a binary file (NUL byte at offset 0)"
        ),
        "{out}"
    );
    assert!(out.contains("/dev/urandom:1:1: error [not-text]"), "{out}");
    // The other inputs are still linted.
    assert!(
        out.contains("examples/lab/stateful-python-app.yaml:158:38"),
        "{out}"
    );
    // An endless text stream (process substitution, a FIFO): capped, reported, not read forever.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} check --format compact <(yes)",
            env!("CARGO_BIN_EXE_stslint")
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("error [unreadable-file]") && stdout.contains("more than 134217728 bytes"),
        "{stdout}"
    );
}

#[test]
fn control_characters_from_inputs_are_shown_escaped() {
    // An OSC 52 clipboard write and a bell inside a value, and a file name with a newline.
    let path = temp(
        "a\nb.yaml",
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\x1b]52;c;aGk=\x07b}\n",
    );
    let name = path.to_str().unwrap();
    for format in ["compact", "human", "github"] {
        let (_, out, _) = stslint(&["check", "--format", format, "--color", "never", name]);
        assert!(
            !out.contains('\x1b') && !out.contains('\x07'),
            "{format}: {out:?}"
        );
        assert!(out.contains("\\u{1b}"), "{format}: {out:?}");
    }
    let (_, out, _) = stslint(&["check", "--format", "compact", name]);
    assert_eq!(out.lines().count(), 1, "one finding, one line: {out:?}");
    assert!(
        out.contains("a\\u{a}b.yaml:3:18: error [invalid-yaml]"),
        "{out:?}"
    );
}

#[test]
fn junit_and_sarif_stay_well_formed_whatever_the_input_holds() {
    let path = temp(
        "nonchar.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"x\u{fffe}\u{ffff}\u{1}\"}\n"
            .as_bytes(),
    );
    let (_, out, _) = stslint(&["check", "--format", "junit", path.to_str().unwrap()]);
    roxmltree::Document::parse(&out).expect("well-formed XML");
    let (_, out, _) = stslint(&["check", "--format", "sarif", path.to_str().unwrap()]);
    serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON");
}

#[test]
fn an_output_that_cannot_be_written_exits_2_with_a_message() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .args(["check", "--format", "compact", "examples/lab"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: cannot write the output:"));
}

/// The alias budget is per document: a large file cut into pieces for the cores gives the same
/// findings with one thread as with two.
#[test]
fn alias_findings_do_not_depend_on_the_thread_count() {
    // 300 documents, each expanding ~21,000 nodes through aliases (6 M in all: over the
    // budget for a quarter of the file, well under it per document), and one real bomb; over 4 MiB so
    // that it is parsed in parallel pieces.
    let mut text = String::new();
    let padding = "# padding to make the file large enough to be cut into pieces\n".repeat(250);
    for i in 0..300 {
        text.push_str(&format!(
            "---\n{padding}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  labels: &l {{a: \"1\", b: \"2\", c: \"3\", d: \"4\", e: \"5\"}}\nbinaryData: {{}}\nx: &x [*l, *l, *l, *l, *l, *l, *l, *l, *l, *l]\ny: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\nz: [*y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y, *y]\n"
        ));
    }
    text.push_str("---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n");
    assert!(text.len() > 4 * 1024 * 1024);
    let path = temp("aliases.yaml", text.as_bytes());
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "check",
                "--format",
                "compact",
                "--select",
                "input",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one.lines().count(), 1, "{one}");
    assert!(one.contains("error [alias-expansion-too-large] alias expansion exceeds 250000 nodes in this document"), "{one}");
}

#[test]
fn a_document_marker_inside_a_quoted_scalar_is_reported_alike_on_any_number_of_threads() {
    // YAML forbids `---` at the start of a line inside a quoted scalar: the documents are
    // invalid, and where the file is cut for the cores (at `---` lines) must not change how.
    let mut text = String::new();
    for i in 0..40_000 {
        if i % 7 == 3 {
            text.push_str(&format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad{i}\ndata:\n  k: \"first\n---\n  rest\"\n"));
        } else {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: v\n"
            ));
        }
    }
    assert!(text.len() > 2 * 1024 * 1024);
    let path = temp("quoted-marker.yaml", text.as_bytes());
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "compact", path.to_str().unwrap()])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let one = run("1");
    assert!(one.contains("error [invalid-yaml]"), "{one}");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

/// Nested anchors are not copied once per level: a 550 KB file of them, no alias used, lints
/// within a 1 GB address-space limit (it took 1.3 GB before), and an alias to an anchor too
/// large to copy is reported, not silently dropped.
#[test]
fn nested_anchors_cost_bounded_memory() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: anchors}\nx:\n");
    let mut n = 0;
    for _ in 0..40 {
        text.push_str("  - ");
        for _ in 0..200 {
            n += 1;
            text.push_str(&format!("&a{n} [{}, ", ["v"; 20].join(", ")));
        }
        text.push_str("end");
        text.push_str(&"]".repeat(200));
        text.push('\n');
    }
    let path = temp("anchors.yaml", text.as_bytes());
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000; RAYON_NUM_THREADS=2 {} check --format compact {}",
            env!("CARGO_BIN_EXE_stslint"),
            path.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("error [unknown-field] unknown field `x` in ConfigMap"),
        "{stdout}"
    );
    // Using the last (largest) anchors, which were not copied, is an alias error.
    text.push_str(&format!("y: *a{n}\n"));
    let path = temp("anchors-used.yaml", text.as_bytes());
    let (_, out, _) = stslint(&[
        "check",
        "--format",
        "compact",
        "--select",
        "input",
        path.to_str().unwrap(),
    ]);
    assert!(out.contains("error [alias-expansion-too-large]"), "{out}");
}

/// Found by the fuzzer: every finding on a 30 KB one-line mapping printed the whole line, so
/// the human output grew as findings × line length (19 MB for 270 duplicate keys). Long lines
/// are shown as a window around the finding, at the finding's own line and column.
#[test]
fn findings_on_a_long_line_show_a_window_of_it() {
    let keys: Vec<String> = (0..3000).map(|i| format!("k{i}: {i}")).collect();
    let mut line = format!("base: {{{}", keys.join(", "));
    // 300 duplicate keys at the end of the same line.
    for i in 0..300 {
        line.push_str(&format!(", k{i}: x"));
    }
    line.push_str("}\n");
    let path = temp("long-line.yaml", line.as_bytes());
    let (code, out, _) = stslint(&[
        "check",
        "--format",
        "human",
        "--color",
        "never",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(out.matches("duplicate key `").count(), 300);
    assert!(
        out.len() < 300 * 2_000,
        "{} bytes of output for 300 findings",
        out.len()
    );
    let first_duplicate = line.find(", k0: x").unwrap() + 3;
    assert!(
        out.contains(&format!("long-line.yaml:1:{}]", first_duplicate)),
        "the frame names the finding's column"
    );
}

/// 300 Services select 300 pods that each name their port differently, and every Service's
/// `targetPort` names none of them: each help lists a few names and how many more, not all.
#[test]
fn help_texts_stay_short_whatever_the_number_of_selected_pods() {
    let mut docs = Vec::new();
    for i in 0..300 {
        docs.push(format!("apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  clusterIP: None\n  selector: {{app: shared}}\n  ports: [{{name: web, port: 80, targetPort: nope}}]\n"));
        docs.push(format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: t{i}}}\nspec:\n  serviceName: s{i}\n  selector: {{matchLabels: {{app: shared}}}}\n  template:\n    metadata: {{labels: {{app: shared}}}}\n    spec: {{containers: [{{name: c, image: \"nginx:1\", ports: [{{name: p{i}, containerPort: 80}}]}}]}}\n"));
    }
    let path = temp("many-pods.yaml", docs.join("---\n").as_bytes());
    let (_, out, _) = stslint(&[
        "check",
        "--format",
        "json",
        "--select",
        "service-target-port-not-found",
        path.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 300);
    for f in findings {
        let help = f["help"].as_str().unwrap();
        assert!(help.len() < 300, "{help}");
        assert!(help.contains("and 292 more"), "{help}");
    }
}
