//! JUnit XML for GitLab and Jenkins: a `testsuite` per file, a passing `testcase` per object
//! without findings and a failing one per finding.

use crate::session::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<usize, (Vec<String>, usize)> = BTreeMap::new();
    let with_findings: std::collections::HashSet<(usize, &crate::diagnostic::ObjectRef)> = report
        .diagnostics
        .iter()
        .filter_map(|d| Some((d.file, d.object.as_ref()?)))
        .collect();
    for (file, object) in &report.objects {
        if !with_findings.contains(&(*file, object)) {
            suites.entry(*file).or_default().0.push(format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"/>\n",
                xml(&report.files[*file].name),
                xml(&object.to_string()),
                xml(&report.files[*file].name)
            ));
        }
    }
    for d in &report.diagnostics {
        let file = &report.files[d.file];
        let (path, start, _) = super::located(report, d);
        let name = match &d.object {
            Some(object) => format!("{} {object}", d.rule),
            None => d.rule.to_string(),
        };
        let mut body = format!(
            "{}:{}:{}: {} [{}] {}",
            path,
            start.line,
            start.column,
            d.severity.as_str(),
            d.rule,
            d.message
        );
        if let Some(help) = &d.help {
            body.push_str(&format!("\nhelp: {help}"));
        }
        for related in super::related_lines(report, d) {
            body.push_str(&format!("\nsee {related}"));
        }
        let suite = suites.entry(d.file).or_default();
        suite.1 += 1;
        suite.0.push(format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
            xml(&file.name),
            xml(&name),
            xml(&path),
            start.line,
            xml(d.severity.as_str()),
            xml(&d.message),
            xml(&body)
        ));
    }
    // A file linted without findings or objects still passes as a suite; files read only for
    // context are not tests.
    for file in
        (0..report.files.len()).filter(|f| !report.context.get(*f).copied().unwrap_or(false))
    {
        suites.entry(file).or_default();
    }
    let tests: usize = suites.values().map(|(cases, _)| cases.len()).sum();
    let failures: usize = suites.values().map(|(_, f)| f).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"stslint\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    for (file, (cases, failures)) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
            xml(&report.files[*file].name),
            cases.len()
        );
        for case in cases {
            out.push_str(case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
