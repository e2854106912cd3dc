//! `--fix` never corrupts or loses a file (issue 19): each reproduction of the adversarial
//! probe, run through the real binary on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("stslint-safety-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap()
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stslint(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `stslint check --fix` with only `rule` on, in the scratch directory.
fn fix_only(dir: &Scratch, rule: &str, file: &str) -> Output {
    stslint(&dir.0, &["check", "--fix", "--select", rule, file])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const PVC_FOLDED: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes:\n    - >-\n      rwo\n  resources: {requests: {storage: 1Gi}}\n";

#[test]
fn a_fix_on_a_block_scalar_keeps_the_next_line() {
    let dir = Scratch::new("block");
    dir.write("pvc.yaml", PVC_FOLDED);
    let run = stslint(&dir.0, &["check", "--fix", "pvc.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        dir.read("pvc.yaml"),
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes:\n    - ReadWriteOnce\n  resources: {requests: {storage: 1Gi}}\n"
    );
    assert_eq!(text(&run.stderr), "fixed 1 finding (0 remaining)\n");

    let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  podManagementPolicy: |-\n    parallel\n  serviceName: web\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: a, image: \"nginx:1\", volumeMounts: [{name: d, mountPath: /d}]}]\n  volumeClaimTemplates:\n    - metadata: {name: d}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
    dir.write("sts.yaml", sts);
    let run = fix_only(&dir, "invalid-pod-management-policy", "sts.yaml");
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        dir.read("sts.yaml"),
        sts.replace("|-\n    parallel", "Parallel")
    );
}

const STS_JSON: &str = r#"{
  "apiVersion": "apps/v1",
  "kind": "StatefulSet",
  "metadata": {"name": "web"},
  "spec": {
    "serviceName": "web",
    "selector": {"matchLabels": {"app": "web"}},
    "template": {
      "metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [{"name": "a", "image": "nginx:1", "volumeMounts": [{"name": "d", "mountPath": "/d"}]}]}
    },
    "volumeClaimTemplates": [
      {"metadata": {"name": "d"}, "spec": {"accessModes": ["RWO"], "resources": {"requests": {"storage": "1Gi"}}}}
    ]
  }
}
"#;

#[test]
fn fixes_keep_json_json_and_flow_mappings_flow() {
    let dir = Scratch::new("json");
    dir.write("sts.json", STS_JSON);
    let run = stslint(
        &dir.0,
        &[
            "check",
            "--fix",
            "--select",
            "invalid-access-mode",
            "--select",
            "pod-management-policy-not-set",
            "sts.json",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(text(&run.stderr), "fixed 2 findings (0 remaining)\n");
    let fixed = dir.read("sts.json");
    assert_eq!(
        fixed,
        STS_JSON
            .replace(
                "  \"spec\": {\n    \"serviceName\"",
                "  \"spec\": {\n    \"podManagementPolicy\": \"OrderedReady\",\n    \"serviceName\""
            )
            .replace("[\"RWO\"]", "[\"ReadWriteOnce\"]")
    );
    serde_json::from_str::<serde_json::Value>(&fixed).expect("still JSON");

    // `spec: {` over several lines, with CRLF line endings.
    let flow = "apiVersion: apps/v1\r\nkind: StatefulSet\r\nmetadata: {name: web}\r\nspec: {\r\n  serviceName: web,\r\n  selector: {matchLabels: {app: web}},\r\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: a, image: \"nginx:1\"}]}}\r\n  }\r\n";
    dir.write("flow.yaml", flow);
    let run = fix_only(&dir, "pod-management-policy-not-set", "flow.yaml");
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        dir.read("flow.yaml"),
        flow.replace(
            "spec: {\r\n  serviceName",
            "spec: {\r\n  \"podManagementPolicy\": \"OrderedReady\",\r\n  serviceName"
        )
    );
}

#[test]
fn an_inserted_line_takes_the_files_line_ending() {
    let dir = Scratch::new("crlf");
    let sts = "apiVersion: apps/v1\r\nkind: StatefulSet\r\nmetadata: {name: web}\r\nspec:\r\n  serviceName: web\r\n  selector: {matchLabels: {app: web}}\r\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: a, image: \"nginx:1\"}]}}\r\n";
    dir.write("sts.yaml", sts);
    let run = fix_only(&dir, "pod-management-policy-not-set", "sts.yaml");
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        dir.read("sts.yaml"),
        sts.replace(
            "spec:\r\n",
            "spec:\r\n  podManagementPolicy: OrderedReady\r\n"
        )
    );
}

#[test]
fn a_kill_between_write_and_rename_leaves_the_file_whole() {
    let dir = Scratch::new("kill");
    dir.write("pvc.yaml", PVC_FOLDED);
    let run = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(&dir.0)
        .args(["check", "--fix", "pvc.yaml"])
        .env("STSLINT_TEST_CRASH_BEFORE_RENAME", "1")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), None, "killed by the hook");
    assert_eq!(dir.read("pvc.yaml"), PVC_FOLDED);
}

#[test]
fn a_full_disk_leaves_the_file_whole() {
    let dir = Scratch::new("full");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&dir.0)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("skipped: this machine does not allow mounting a 64 KiB tmpfs");
        return;
    }
    // 40 KiB of comments, then the fixable claim: its fixed copy does not fit beside it.
    let big = format!(
        "{}{PVC_FOLDED}",
        "# padding padding padding padding padding\n".repeat(1000)
    );
    dir.write("pvc.yaml", &big);
    let run = stslint(&dir.0, &["check", "--fix", "pvc.yaml"]);
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr)
            .contains("error: cannot write the fixed `pvc.yaml`: no space left on the device"),
        "{}",
        text(&run.stderr)
    );
    assert!(text(&run.stderr).contains("1 file could not be written"));
    assert_eq!(dir.read("pvc.yaml"), big);
    assert_eq!(dir.names(), ["pvc.yaml"], "no temporary file left");
}

#[test]
fn a_file_changed_during_the_run_is_not_overwritten() {
    let dir = Scratch::new("changed");
    dir.write("pvc.yaml", PVC_FOLDED);
    let child = Command::new(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(&dir.0)
        .args(["check", "--fix", "pvc.yaml"])
        .env("STSLINT_TEST_DELAY_WRITE_MS", "1500")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let saved = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: saved-by-an-editor}\n";
    dir.write("pvc.yaml", saved);
    let run = child.wait_with_output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        text(&run.stderr),
        "error: cannot write the fixed `pvc.yaml`: changed since it was read: not written (run stslint again)\nfixed 0 findings (0 remaining; 1 file could not be written)\n"
    );
    assert_eq!(dir.read("pvc.yaml"), saved);
}

#[cfg(unix)]
#[test]
fn a_non_utf8_name_is_written_under_its_own_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = Scratch::new("names");
    let raw = std::ffi::OsStr::from_bytes(b"pvc-\xff.yaml");
    std::fs::write(dir.0.join(raw), PVC_FOLDED).unwrap();
    let lookalike = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated}\n";
    dir.write("pvc-\u{fffd}.yaml", lookalike);
    let run = stslint(&dir.0, &["check", "--fix", "."]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(std::fs::read_to_string(dir.0.join(raw))
        .unwrap()
        .contains("- ReadWriteOnce\n"));
    assert_eq!(dir.read("pvc-\u{fffd}.yaml"), lookalike);
    assert_eq!(dir.names().len(), 2, "no file created");
}

#[test]
fn a_report_is_never_written_over_an_input() {
    let dir = Scratch::new("report");
    dir.write("app.yaml", PVC_FOLDED);
    for args in [
        &["check", "--output", "sarif=app.yaml", "app.yaml"][..],
        &["check", "--write-baseline", "./app.yaml", "app.yaml"],
    ] {
        let run = stslint(&dir.0, args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(
            text(&run.stderr).contains("refusing to write a report to"),
            "{}",
            text(&run.stderr)
        );
        assert_eq!(dir.read("app.yaml"), PVC_FOLDED);
    }
}

#[cfg(unix)]
#[test]
fn one_file_not_written_does_not_stop_the_others() {
    let dir = Scratch::new("partial");
    let outside = Scratch::new("partial-outside");
    std::fs::create_dir_all(dir.0.join("repo")).unwrap();
    let target = outside.write("pvc.yaml", PVC_FOLDED);
    std::os::unix::fs::symlink(&target, dir.0.join("repo/a.yaml")).unwrap();
    dir.write("repo/b.yaml", PVC_FOLDED);
    let run = stslint(&dir.0, &["check", "--fix", "repo"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(
        stderr.starts_with("error: cannot write the fixed `repo/a.yaml`: it is a link to `"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("outside the paths named: not written through\nfixed 1 finding (0 remaining; 1 file could not be written)\n"),
        "{stderr}"
    );
    assert_eq!(outside.read("pvc.yaml"), PVC_FOLDED);
    assert!(dir.read("repo/b.yaml").contains("- ReadWriteOnce\n"));
    // Named on the command line, a link is written through to its target.
    let run = stslint(&dir.0, &["check", "--fix", "repo/a.yaml"]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(outside.read("pvc.yaml").contains("- ReadWriteOnce\n"));
    assert!(std::fs::symlink_metadata(dir.0.join("repo/a.yaml"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_baseline_of_another_version_or_shape_is_refused() {
    let dir = Scratch::new("baseline");
    dir.write("app.yaml", PVC_FOLDED);
    for (baseline, message) in [
        (
            r#"{"version": 2, "findings": []}"#,
            "baseline.json: baseline version 2 is not one this stslint reads (it reads version 1)",
        ),
        (
            r#"{"version": 1, "findings": [], "extra": true}"#,
            "baseline.json:1:38: not a stslint baseline: unknown field `extra`",
        ),
    ] {
        dir.write("baseline.json", baseline);
        let run = stslint(
            &dir.0,
            &["check", "--baseline", "baseline.json", "app.yaml"],
        );
        assert_eq!(run.status.code(), Some(2));
        assert!(text(&run.stderr).contains(message), "{}", text(&run.stderr));
    }
}

#[test]
fn concurrent_baselines_are_each_whole() {
    let dir = Scratch::new("concurrent");
    dir.write("app.yaml", PVC_FOLDED);
    for _ in 0..25 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_stslint"))
                    .current_dir(&dir.0)
                    .args(["check", "--write-baseline", "baseline.json", "app.yaml"])
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert_eq!(child.wait().unwrap().code(), Some(0));
        }
        let baseline = dir.read("baseline.json");
        serde_json::from_str::<serde_json::Value>(&baseline).expect("whole JSON");
    }
    assert_eq!(dir.names(), ["app.yaml", "baseline.json"]);
}

#[test]
fn diff_headers_escape_control_characters() {
    let dir = Scratch::new("diff");
    dir.write("a\u{1b}]52;c;x\u{7}.yaml", PVC_FOLDED);
    let run = stslint(&dir.0, &["check", "--diff", "."]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(
        stdout.starts_with("--- a/a\\u{1b}]52;c;x\\u{7}.yaml\n+++ b/a\\u{1b}]52;c;x\\u{7}.yaml\n"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_under_several_names_is_linted_and_fixed_once() {
    let dir = Scratch::new("names");
    dir.write("pvc.yaml", PVC_FOLDED);
    std::os::unix::fs::symlink("pvc.yaml", dir.0.join("link.yaml")).unwrap();
    std::fs::hard_link(dir.0.join("pvc.yaml"), dir.0.join("hard.yml")).unwrap();
    let names = ["pvc.yaml", "./pvc.yaml", "link.yaml", "hard.yml", "."];
    let run = stslint(
        &dir.0,
        &[&["check", "--format", "compact"][..], &names].concat(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stdout),
        "pvc.yaml:6:7: error [invalid-access-mode] `rwo` is not an access mode; did you mean `ReadWriteOnce`?\n"
    );
    let run = stslint(&dir.0, &[&["check", "--fix"][..], &names].concat());
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(text(&run.stderr), "fixed 1 finding (0 remaining)\n");
    assert!(dir.read("hard.yml").contains("- ReadWriteOnce\n"));
    assert_eq!(dir.read("link.yaml"), dir.read("pvc.yaml"));
}
