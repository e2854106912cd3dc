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
