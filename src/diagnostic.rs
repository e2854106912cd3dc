//! The one product of linting: a [`Diagnostic`]. Renderers in `emit/` are views of it.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Index of a file in [`crate::session::Report::files`].
pub type FileId = usize;

/// The Kubernetes object a finding belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    /// Inline strings: a large run lists 100,000s of objects.
    pub api_version: compact_str::CompactString,
    pub kind: compact_str::CompactString,
    pub namespace: Option<compact_str::CompactString>,
    pub name: compact_str::CompactString,
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// Another place that explains a finding, e.g. the Service a StatefulSet names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
    /// For a place in a previous render (`--previous-ref`): the field there and its template,
    /// then where the template or base file at that revision holds it.
    pub path: Option<String>,
    pub helm_source: Option<String>,
    pub source: Option<SourceLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    /// Filled in by the engine from the catalogue and configuration.
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub file: FileId,
    pub span: Range<usize>,
    pub object: Option<ObjectRef>,
    /// The Helm template (`# Source:` header) the object was rendered from.
    pub helm_source: Option<String>,
    pub related: Vec<Related>,
    /// The field the span is on, inside its object (`spec.serviceName`).
    pub path: Option<String>,
    /// The most this finding can weigh whatever its rule's severity: a rule whose findings
    /// differ in consequence (a required affinity term versus a preferred one) caps some.
    pub severity_cap: Option<Severity>,
    /// For an object rendered from a chart or kustomization: the source file a human edits,
    /// and the line and column of the field there (CI annotations point at it).
    pub source: Option<SourceLocation>,
    /// A change that resolves the finding, when one is known.
    pub fix: Option<Fix>,
    /// What this finding claims about the cluster when it is not its rule's `claim`: one of
    /// the rule's `also_claims` (an unknown hook event makes Helm skip the resource, an
    /// unknown delete policy makes it keep it: one rule, two consequences).
    pub claim: Option<&'static str>,
}

/// Whether a fix can be applied without asking: ruff's distinction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Keeps the meaning the author evidently intended (`readwriteonce` → `ReadWriteOnce`).
    Safe,
    /// Changes behaviour (`1G` → `1Gi` is a bigger disk): applied with `--unsafe-fixes` only.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes `span` of the source with `replacement`; comments and formatting around
/// it survive. Rules see nodes, not text: what `kind` says is turned into bytes in the file's
/// own style by the engine (`fix::resolve`), once the text is at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
    pub kind: EditKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditKind {
    /// `replacement` is source text, written as it is (resolved edits are all of this kind).
    Text,
    /// `span` is a whole scalar and `replacement` its new string value: written in the
    /// scalar's own quoting (`"RWO"` stays double-quoted, so JSON stays JSON).
    Scalar,
    /// A new first entry `replacement: value` of the mapping starting at byte `mapping`,
    /// inserted before its first key at `span.start`: a line of its own in a block mapping,
    /// `"key": "value", ` in a flow mapping or JSON.
    Entry { mapping: usize, value: String },
}

impl Edit {
    /// Source text `replacement` in place of `span`.
    pub fn text(span: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
            kind: EditKind::Text,
        }
    }

    /// The scalar at `span` takes the string `value`, in its own quoting style.
    pub fn scalar(span: Range<usize>, value: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: value.into(),
            kind: EditKind::Scalar,
        }
    }

    /// `key: value` as the new first entry of `mapping` (a non-empty mapping node).
    pub fn first_entry(
        mapping: &crate::yaml::Node,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Option<Edit> {
        let first = mapping.entries().first()?;
        let at = first.key.span.start;
        Some(Edit {
            span: at..at,
            replacement: key.into(),
            kind: EditKind::Entry {
                mapping: mapping.span.start,
                value: value.into(),
            },
        })
    }

    /// The offsets whose lines `fix::resolve` reads.
    pub fn offsets(&self) -> impl Iterator<Item = usize> {
        let mapping = match self.kind {
            EditKind::Entry { mapping, .. } => Some(mapping),
            _ => None,
        };
        [self.span.start, self.span.end].into_iter().chain(mapping)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for a menu: "Replace `RWO` with `ReadWriteOnce`".
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

impl Fix {
    /// One edit.
    pub fn new(title: impl Into<String>, edit: Edit, applicability: Applicability) -> Fix {
        Fix {
            title: title.into(),
            edits: vec![edit],
            applicability,
        }
    }

    /// The scalar at `span` takes the string `value`, in its own quoting style.
    pub fn replace(
        title: impl Into<String>,
        span: Range<usize>,
        value: impl Into<String>,
        applicability: Applicability,
    ) -> Fix {
        Fix::new(title, Edit::scalar(span, value), applicability)
    }
}

/// A place in a source file that is not among the linted inputs (a template, a kustomize base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            file,
            span,
            object: None,
            helm_source: None,
            related: Vec::new(),
            path: None,
            severity_cap: None,
            source: None,
            fix: None,
            claim: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(
        mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.add_related(file, span, message);
        self
    }
}

impl Diagnostic {
    /// Sets the help on a finding already reported (see `rules::Sink::report`).
    pub fn with_help_text(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches a fix to a finding already reported.
    pub fn with_fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    /// What this finding claims, in place of its rule's claim (see [`Diagnostic::claim`]).
    pub fn claiming(&mut self, claim: &'static str) -> &mut Self {
        self.claim = Some(claim);
        self
    }

    /// Caps this finding's severity (see [`Diagnostic::severity_cap`]).
    pub fn at_most(&mut self, severity: Severity) -> &mut Self {
        self.severity_cap = Some(severity);
        self
    }

    pub fn add_related(
        &mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
            path: None,
            helm_source: None,
            source: None,
        });
        self
    }
}
