//! Documentation generated from the catalogue (the README's rules table).

use crate::rules::registry;

/// A Markdown table of every rule: id, category, default severity, on by default, summary.
pub fn rules_table() -> String {
    let mut out = String::from(
        "| rule | category | severity | default | what it catches |\n|---|---|---|---|---|\n",
    );
    for rule in registry() {
        let d = &rule.doc;
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            rule.id,
            d.category,
            d.severity,
            if d.enabled { "on" } else { "opt-in" },
            d.summary.replace('|', "\\|")
        ));
    }
    out
}
