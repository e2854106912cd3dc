//! Baselines: adopt stslint on a large repository in one command (`--write-baseline`), then
//! report only new findings (`--baseline`). Entries are matched by fingerprint (rule, object,
//! field path), never by line, so edits elsewhere do not revive old findings.

use crate::fingerprint::fingerprint;
use crate::session::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The one baseline format this version reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub message: String,
}

pub fn from_report(report: &Report) -> Baseline {
    let mut findings: Vec<Entry> = report
        .diagnostics
        .iter()
        .map(|d| Entry {
            fingerprint: fingerprint(d, &report.files[d.file].name),
            rule: d.rule.to_string(),
            file: report.files[d.file].name.clone(),
            message: d.message.clone(),
        })
        .collect();
    findings.sort_by(|a, b| {
        (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint))
    });
    Baseline {
        version: VERSION,
        findings,
    }
}

/// Writes the report's findings as a baseline: whole or not at all (`write::replace`).
pub fn write(report: &Report, path: &std::path::Path) -> Result<usize, String> {
    let baseline = from_report(report);
    let text = serde_json::to_string_pretty(&baseline).map_err(|e| e.to_string())? + "\n";
    crate::write::replace(path, text.as_bytes(), None)?;
    Ok(baseline.findings.len())
}

pub fn read(path: &str) -> Result<Baseline, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read baseline `{path}`: {e}"))?;
    let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{path}:{}:{}: not a stslint baseline: {e}",
            e.line(),
            e.column()
        )
    })?;
    if baseline.version != VERSION {
        return Err(format!(
            "{path}: baseline version {} is not one this stslint reads (it reads version {VERSION}); write it again with --write-baseline",
            baseline.version
        ));
    }
    Ok(baseline)
}

/// What applying a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline has them.
    pub baselined: usize,
    /// Baseline entries that no longer occur (fixed, or gone): the baseline can be rewritten.
    pub stale: usize,
}

/// Removes the findings the baseline records; each entry hides one finding.
pub fn apply(report: &mut Report, baseline: &Baseline) -> Applied {
    let mut remaining: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &baseline.findings {
        *remaining.entry(entry.fingerprint.as_str()).or_default() += 1;
    }
    let mut applied = Applied::default();
    let files = &report.files;
    report.diagnostics.retain(|d| {
        let fp = fingerprint(d, &files[d.file].name);
        match remaining.get_mut(fp.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                applied.baselined += 1;
                false
            }
            _ => true,
        }
    });
    applied.stale = remaining.values().sum();
    applied
}
