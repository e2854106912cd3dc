//! The editor's engine: a `Session` re-reads only what changed, and its reports are exactly
//! those of a fresh `lint` of the same inputs, whatever changed, moved or disappeared.

use stslint::session::{check as lint, Input, Report, Session};
use stslint::settings::Settings;

fn inputs(files: &[(&str, &str)]) -> Vec<Input> {
    files
        .iter()
        .enumerate()
        .map(|(i, (name, text))| Input {
            name: name.to_string(),
            content: stslint::session::Content::Bytes(text.as_bytes().to_vec()),
            context_only: i == 0,
        })
        .collect()
}

/// Every finding as the user sees it: file, position, rule, message, related places.
fn seen(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let file = &report.files[d.file];
            let p = file.position(d.span.start);
            let related: Vec<String> = d
                .related
                .iter()
                .map(|r| {
                    format!(
                        "{}:{}",
                        report.files[r.file].name,
                        report.files[r.file].position(r.span.start).line
                    )
                })
                .collect();
            format!(
                "{}:{}:{} {} {} {:?} {:?}",
                file.name,
                p.line,
                p.column,
                d.rule,
                d.message,
                related,
                d.fix.as_ref().map(|f| &f.edits)
            )
        })
        .collect()
}

#[test]
fn a_session_reports_what_a_fresh_lint_reports() {
    let lab = std::fs::read_to_string("examples/lab/stateful-python-app.yaml").unwrap();
    let service = std::fs::read_to_string("examples/kustomize/base/service.yaml").unwrap();
    let sts = std::fs::read_to_string("examples/kustomize/base/statefulset.yaml").unwrap();
    let typo = sts
        .replace("serviceName: db", "serviceName: dbb")
        .replace("replicas: 3", "replicas: 1");
    let settings = Settings::default();
    let mut session = Session::new(settings.clone());
    let steps: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("context.yaml", &service),
            ("lab.yaml", &lab),
            ("sts.yaml", &sts),
        ],
        // One file changes: a typo that needs the other file's Service to be reported.
        vec![
            ("context.yaml", &service),
            ("lab.yaml", &lab),
            ("sts.yaml", &typo),
        ],
        // Files move in the order and one disappears: ids are renumbered.
        vec![("context.yaml", &service), ("sts.yaml", &typo)],
        vec![
            ("context.yaml", &service),
            ("sts.yaml", &sts),
            ("lab.yaml", &lab),
        ],
    ];
    for (step, files) in steps.iter().enumerate() {
        let fresh = seen(&lint(inputs(files), &settings));
        let cached = seen(&session.check(inputs(files)));
        assert_eq!(cached, fresh, "step {step}");
        assert!(!fresh.is_empty(), "step {step} finds something");
    }
}
