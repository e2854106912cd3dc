//! The release commands that run without GitHub: `release/archive.sh` packs the binary as
//! `.github/workflows/release.yml` publishes it and `action.yml` downloads it, with a sum
//! `sha256sum -c` accepts.

use std::path::Path;
use std::process::Command;

#[test]
fn the_release_archive_is_named_as_the_action_downloads_it_and_its_sum_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("stslint-release-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let made = Command::new("bash")
        .arg(root.join("release/archive.sh"))
        .arg(env!("CARGO_BIN_EXE_stslint"))
        .args(["x86_64-unknown-linux-gnu"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // action.yml downloads `stslint-$(uname -m)-unknown-linux-gnu.tar.gz` and extracts `stslint`.
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    assert!(action.contains("asset=\"stslint-$(uname -m)-unknown-linux-gnu.tar.gz\""));
    assert!(action.contains("tar -xz -C \"$dir\" stslint"));
    let archive = out.join("stslint-x86_64-unknown-linux-gnu.tar.gz");
    assert!(archive.is_file());
    let listed = Command::new("tar")
        .arg("-tzf")
        .arg(&archive)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "stslint\nREADME.md\nLICENSE\nCHANGELOG.md\n"
    );
    let unpacked = out.join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    let extracted = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(&unpacked)
        .arg("stslint")
        .status()
        .unwrap();
    assert!(extracted.success());
    let version = Command::new(unpacked.join("stslint"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("stslint {}", env!("CARGO_PKG_VERSION"))
    );
    // The sum names the archive and checks.
    let sum = std::fs::read_to_string(out.join("stslint-x86_64-unknown-linux-gnu.tar.gz.sha256"))
        .unwrap();
    assert!(
        sum.ends_with("  stslint-x86_64-unknown-linux-gnu.tar.gz\n"),
        "{sum}"
    );
    let checked = Command::new("sha256sum")
        .arg("-c")
        .arg("stslint-x86_64-unknown-linux-gnu.tar.gz.sha256")
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    // The release workflow packs every target with this script and joins the sums.
    let workflow = std::fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    assert!(workflow.contains("release/archive.sh \"$binary\" \"$TARGET\" dist"));
    assert!(workflow.contains("cat ./*.sha256 > SHA256SUMS"));
    let _ = std::fs::remove_dir_all(&out);
}
