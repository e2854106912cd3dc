//! Replays the inputs the fuzzers found bugs with (`fuzz/regressions/TARGET/`), and the seeds,
//! through the same entry points as the fuzz targets, on the stable toolchain: a bug fixed once
//! stays fixed. Fuzzing itself: `fuzz/run.sh` (README, *Fuzzing*).

fn replay(dir: &str, target: fn(&[u8])) -> usize {
    let mut count = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| target(&data));
        assert!(outcome.is_ok(), "{} panics", path.display());
        count += 1;
    }
    count
}

#[test]
fn pipeline_regressions_pass_every_rule_format_and_fix() {
    let found = replay("fuzz/regressions/pipeline", stslint::fuzzing::pipeline);
    assert!(found > 0, "fuzz/regressions/pipeline holds the kept inputs");
}

/// The issue-19 reproductions (block scalars, JSON, flow mappings over lines, CRLF) and the
/// inputs the `fix` target found, fixed until stable: no fix fails its verification. (The
/// pipeline inputs' fixes are verified one by one and all at once by the pipeline target.)
#[test]
fn fix_regressions_fix_cleanly() {
    let found = replay("fuzz/regressions/fix", stslint::fuzzing::fix);
    assert!(found > 6);
}

/// Every kept input, as a file linted batch by batch, gives what its whole text gives.
#[test]
fn stream_regressions_and_pipeline_inputs_match_the_whole_text() {
    let found = replay("fuzz/regressions/stream", stslint::fuzzing::stream)
        + replay("fuzz/regressions/pipeline", stslint::fuzzing::stream);
    assert!(found > 1);
}

#[test]
fn config_regressions_and_seeds_parse_without_panicking() {
    let found = replay("fuzz/regressions/config", stslint::fuzzing::config)
        + replay("fuzz/seeds/config", stslint::fuzzing::config);
    assert!(found > 0);
}

/// The pipeline target compares a new version with the one after the marker.
#[test]
fn the_pipeline_target_runs_every_rule_on_both_versions() {
    let new =
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: b\n";
    let previous = new.replace("serviceName: b", "serviceName: a");
    let data = [
        new.as_bytes(),
        stslint::fuzzing::PREVIOUS_MARKER,
        previous.as_bytes(),
    ]
    .concat();
    stslint::fuzzing::pipeline(&data);
}
