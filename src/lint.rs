//! The engine: sources in, a sorted report out. Pure and deterministic: no printing, no
//! global state; reading files and rendering live outside.

use crate::diagnostic::{Diagnostic, FileId};
pub use crate::input::{Content, Input};
use crate::model::{self, Extracted};
use crate::policy::PolicySet;
use crate::rules::{self, Context, Sink};
use crate::schema;
use crate::settings::Settings;
use crate::source::{LineIndex, SourceFile};
use crate::suppress::{self, Suppression};
use crate::workspace::{Linked, Workspace};
use crate::yaml::{self, YamlErrorKind};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    /// Documents that are not Kubernetes objects (no `apiVersion` and no `kind`).
    pub skipped_documents: usize,
}

#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<SourceFile>,
    /// Bugs in stslint (a panic while linting a file or running a rule), caught so that the
    /// other files are still linted; the command exits 2 when there are any.
    pub internal_errors: Vec<String>,
    /// Per file: read only to resolve references or to compare (`--context`, a previous
    /// revision), not reported on.
    pub context: Vec<bool>,
    /// Every object linted (not the `--context` ones), in file order.
    pub objects: Vec<(FileId, crate::diagnostic::ObjectRef)>,
    /// Sorted by file name, position and rule id.
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

/// What one document gives its file.
#[derive(Default)]
struct DocumentResult {
    diagnostics: Vec<Diagnostic>,
    linked: Vec<Linked>,
    suppressions: Vec<Suppression>,
    stats: Stats,
}

#[derive(Clone)]
struct FileResult {
    source: SourceFile,
    /// A file on disk whose text was dropped after linting, with its length and hash: read
    /// again for output if findings point into it.
    reread: Option<Reread>,
    diagnostics: Vec<Diagnostic>,
    linked: Vec<Linked>,
    suppressions: Vec<Suppression>,
    stats: Stats,
}

impl FileResult {
    /// A file read (or not) with nothing found yet.
    fn empty(name: String) -> FileResult {
        FileResult {
            source: SourceFile::new(name, ""),
            reread: None,
            diagnostics: Vec::new(),
            linked: Vec::new(),
            suppressions: Vec::new(),
            stats: Stats {
                files: 1,
                ..Stats::default()
            },
        }
    }
}

/// Remembers each file's own results (parse, per-object findings, linked objects) by content,
/// so that linting again after one file changed re-reads only that file and recomputes the
/// cross-object findings: what an editor needs. Clear it when the settings change.
#[derive(Default)]
pub(crate) struct Cache {
    cache: std::collections::HashMap<String, (u64, bool, FileResult)>,
    /// The shared texts last hashed, by name, with their hash: the same `Arc` again is the
    /// same content (the `Arc` is held here, so its address cannot be reused meanwhile).
    shared: std::collections::HashMap<String, (std::sync::Arc<str>, u64)>,
    /// What the cached results were checked against: when a policy changes, every file's
    /// results are stale.
    policies: u64,
}

impl Cache {
    pub fn clear(&mut self) {
        self.cache.clear();
        self.shared.clear();
    }

    /// As [`lint`], reusing the results of inputs whose name and content did not change.
    pub fn lint(&mut self, inputs: Vec<Input>, settings: &Settings) -> Report {
        let policies = crate::policy::gather(&inputs, None, settings);
        let digest = policies.as_ref().map_or(0, |p| p.digest);
        if digest != self.policies {
            self.cache.clear();
            self.policies = digest;
        }
        // Name, content hash (none for an unreadable input) and context flag of each input.
        let keys: Vec<(String, Option<u64>, bool)> = inputs
            .iter()
            .map(|i| {
                let hash = match &i.content {
                    Content::Bytes(bytes) => Some(content_hash(bytes)),
                    Content::Shared(text) => Some(match self.shared.get(&i.name) {
                        Some((seen, hash)) if std::sync::Arc::ptr_eq(seen, text) => *hash,
                        _ => {
                            let hash = content_hash(text.as_bytes());
                            self.shared.insert(i.name.clone(), (text.clone(), hash));
                            hash
                        }
                    }),
                    _ => None,
                };
                (i.name.clone(), hash, i.context_only)
            })
            .collect();
        let cached: Vec<Option<FileResult>> = keys
            .iter()
            .enumerate()
            .map(|(file, (name, key, context_only))| {
                let (hash, was_context, result) = self.cache.get(name)?;
                (Some(*hash) == *key && was_context == context_only)
                    .then(|| renumber(result.clone(), file))
            })
            .collect();
        let seen: std::collections::HashSet<&String> = keys.iter().map(|(n, _, _)| n).collect();
        self.cache.retain(|name, _| seen.contains(name));
        self.shared.retain(|name, _| seen.contains(name));
        let (report, fresh) = lint_with(inputs, None, settings, cached, policies);
        for (file, result) in fresh {
            let (name, key, context_only) = &keys[file];
            if let Some(key) = key {
                self.cache
                    .insert(name.clone(), (*key, *context_only, result));
            }
        }
        report
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// A cached file's results under the index it has in this run.
fn renumber(mut result: FileResult, file: FileId) -> FileResult {
    for d in &mut result.diagnostics {
        d.file = file;
        for r in &mut d.related {
            r.file = file;
        }
    }
    for l in &mut result.linked {
        l.file = file;
    }
    for s in &mut result.suppressions {
        s.file = file;
    }
    result
}

pub(crate) fn lint(inputs: Vec<Input>, settings: &Settings) -> Report {
    let policies = crate::policy::gather(&inputs, None, settings);
    lint_with(inputs, None, settings, Vec::new(), policies).0
}

/// As [`lint`], comparing the objects with their `previous` version (a previous render, or the
/// same paths at a git revision): the upgrade rules report the changes the API server refuses
/// and those that lose data. Previous files are read, not linted; findings can point at them
/// as related locations, and at them alone for an object that is gone.
pub(crate) fn lint_against(
    inputs: Vec<Input>,
    previous: Vec<Input>,
    settings: &Settings,
) -> Report {
    let policies = crate::policy::gather(&inputs, Some(&previous), settings);
    lint_with(inputs, Some(previous), settings, Vec::new(), policies).0
}

/// Lints `inputs`, taking each file's own results from `cached` where given; returns the
/// report and, for a session, the freshly computed per-file results by input index.
fn lint_with(
    mut inputs: Vec<Input>,
    previous: Option<Vec<Input>>,
    settings: &Settings,
    mut cached: Vec<Option<FileResult>>,
    policies: Option<std::sync::Arc<PolicySet>>,
) -> (Report, Vec<(FileId, FileResult)>) {
    let policies = policies.as_deref();
    // A session passes one entry per input; plain `lint` none, and keeps nothing.
    let remember = !cached.is_empty();
    let (enabled, ctx) = rules_and_context(settings, previous.is_some());
    // Previous files come last, read like context files; their objects are kept apart.
    let first_previous = inputs.len();
    inputs.extend(previous.into_iter().flatten().map(|mut input| {
        input.context_only = true;
        input
    }));
    let is_previous = |file: FileId| file >= first_previous;
    cached.resize_with(inputs.len(), || None);
    let context_only: Vec<bool> = inputs.iter().map(|i| i.context_only).collect();
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let mut internal_errors = Vec::new();
    let mut fresh = Vec::new();
    let results: Vec<FileResult> = inputs
        .into_par_iter()
        .zip(cached.into_par_iter())
        .enumerate()
        .map(|(file, (input, cached))| {
            if let Some(result) = cached {
                return Ok((result, false));
            }
            let name = input.name.clone();
            catch_unwind(AssertUnwindSafe(|| {
                lint_file(file, input, &enabled, &ctx, policies)
            }))
            .map(|r| (r, true))
            .map_err(|panic| (name, panic_message(&*panic)))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .enumerate()
        .map(|(file, result)| match result {
            Ok((result, is_fresh)) => {
                if is_fresh && remember {
                    fresh.push((file, result.clone()));
                }
                result
            }
            Err((name, message)) => {
                internal_errors.push(format!("internal error while linting `{name}`: {message}"));
                FileResult::empty(names[file].clone())
            }
        })
        .collect();

    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    let mut workspace = Workspace::default();
    // Exactly the room needed: grown by doubling, the copies of a 100 MB run would hold ~10 MB
    // of spare room at the peak.
    let linked = |previous: bool| {
        results
            .iter()
            .enumerate()
            .filter(|(file, _)| is_previous(*file) == previous)
            .map(|(_, r)| r.linked.len())
            .sum()
    };
    workspace.objects.reserve_exact(linked(false));
    workspace.previous.reserve_exact(linked(true));
    workspace.files = results.len();
    workspace.file_names = names.clone();
    workspace.namespace = settings.namespace.clone();
    workspace.known = settings.known_objects.clone();
    workspace.reported = context_only.iter().map(|c| !c).collect();
    let mut stats = Stats::default();
    let mut suppressions = Vec::new();
    let mut rereads = Vec::with_capacity(results.len());
    for (file, result) in results.into_iter().enumerate() {
        rereads.push(result.reread);
        suppressions.extend(result.suppressions);
        files.push(result.source);
        diagnostics.extend(result.diagnostics);
        if is_previous(file) {
            workspace.previous.extend(result.linked);
        } else {
            workspace.objects.extend(result.linked);
        }
        // The summary counts what was linted, not the `--context` files.
        if !context_only[file] {
            stats.files += result.stats.files;
            stats.documents += result.stats.documents;
            stats.objects += result.stats.objects;
            stats.skipped_documents += result.stats.skipped_documents;
        }
    }
    workspace.index();
    let diagnostics_before_links = diagnostics.len();
    // The cross-object rules read the workspace only: they run side by side, and their
    // findings are gathered in rule order.
    let linked_findings: Vec<Result<Vec<Diagnostic>, String>> = enabled
        .par_iter()
        .map(|rule| {
            let mut found = Vec::new();
            let mut sink = Sink {
                rule: rule.id,
                diagnostics: &mut found,
            };
            catch_unwind(AssertUnwindSafe(|| {
                rule.rule.check_links(&workspace, &ctx, &mut sink);
            }))
            .map(|()| found)
            .map_err(|panic| {
                format!(
                    "internal error in rule `{}`: {}",
                    rule.id,
                    panic_message(&*panic)
                )
            })
        })
        .collect();
    for found in linked_findings {
        match found {
            Ok(found) => diagnostics.extend(found),
            Err(error) => internal_errors.push(error),
        }
    }
    // Expressions of the policies and definitions that do not compile, on their objects.
    for problem in policies.iter().flat_map(|p| &p.problems) {
        if is_on(&enabled, problem.rule) {
            let mut d = problem.clone();
            if let Some(owner) = owner_of(&workspace.objects, d.file, &d.span) {
                d.object = Some(owner.object().id());
                d.helm_source = owner.helm_source.as_deref().map(str::to_owned);
            }
            diagnostics.push(d);
        }
    }

    for d in &mut diagnostics[diagnostics_before_links..] {
        let objects = if is_previous(d.file) {
            &workspace.previous
        } else {
            &workspace.objects
        };
        let owner = owner_of(objects, d.file, &d.span).filter(|o| d.span.end <= o.root.span.end);
        if let Some(owner) = owner {
            d.path = crate::fingerprint::field_path(&owner.root, &d.span);
        }
    }
    // A place in a previous version: its field and template, for mapping it to the source.
    for r in diagnostics[diagnostics_before_links..]
        .iter_mut()
        .flat_map(|d| d.related.iter_mut())
        .filter(|r| is_previous(r.file))
    {
        if let Some(owner) = owner_of(&workspace.previous, r.file, &r.span) {
            r.path = crate::fingerprint::field_path(&owner.root, &r.span);
            r.helm_source = owner.helm_source.as_deref().map(str::to_owned);
        }
    }
    // An upgrade finding about an object that is gone can only point at its previous version.
    diagnostics.retain(|d| {
        !context_only[d.file]
            || is_previous(d.file)
                && rules::find(d.rule).is_some_and(|r| r.doc.category == "upgrade")
    });
    if !settings.no_suppressions {
        suppressions.retain(|s| !context_only[s.file]);
        apply_suppressions(&mut diagnostics, &suppressions, &files, settings, &enabled);
    }
    for d in &mut diagnostics {
        if d.rule.starts_with("policy:") {
            d.severity = settings.policy_severity(d.rule, d.severity);
        }
        if let Some(rule) = rules::find(d.rule) {
            d.severity = settings.severity_of(rule);
            if let Some(cap) = d.severity_cap {
                d.severity = d.severity.min(cap);
            }
            debug_assert!(
                d.claim
                    .is_none_or(|c| rule.doc.also_claims.iter().any(|a| a == c)),
                "{}: claim {:?} is not among its also_claims",
                d.rule,
                d.claim
            );
        }
    }
    diagnostics.sort_by(|a, b| {
        (&files[a.file].name, a.span.start, a.rule, &a.message).cmp(&(
            &files[b.file].name,
            b.span.start,
            b.rule,
            &b.message,
        ))
    });
    diagnostics.dedup();
    let objects = workspace
        .objects
        .iter()
        .filter(|o| !context_only[o.file])
        .map(|o| (o.file, o.object().id()))
        .collect();
    // The linked objects are no longer needed: freed before texts are read again.
    drop(workspace);
    let mut offsets = vec![Vec::new(); files.len()];
    for d in &diagnostics {
        offsets[d.file].extend([d.span.start, d.span.end]);
        for r in &d.related {
            offsets[r.file].extend([r.span.start, r.span.end]);
        }
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            offsets[d.file].extend(edit.offsets());
        }
    }
    internal_errors.extend(reread(&mut files, rereads, offsets));
    for d in &mut diagnostics {
        if let Some(fix) = &mut d.fix {
            resolve_edits(&files[d.file], fix);
            if fix.edits.is_empty() {
                d.fix = None;
            }
        }
    }
    (
        Report {
            files,
            context: context_only,
            objects,
            internal_errors,
            diagnostics,
            stats,
        },
        fresh,
    )
}

/// The rules a run checks, and what they may read of its settings.
fn rules_and_context(
    settings: &Settings,
    compare: bool,
) -> (Vec<&'static rules::RuleEntry>, Context) {
    let enabled = rules::registry()
        .iter()
        .filter(|r| settings.is_enabled(r))
        .collect();
    let ctx = Context {
        kubernetes_version: settings.kubernetes_version,
        options: settings.options.clone(),
        compare,
    };
    (enabled, ctx)
}

/// The object of `file` a span belongs to: objects are in file order and, within a file, in
/// source order, so it is the last one starting at or before the span (a binary search,
/// whatever the count).
fn owner_of<'a>(
    objects: &'a [Linked],
    file: FileId,
    span: &std::ops::Range<usize>,
) -> Option<&'a Linked> {
    let from = objects.partition_point(|o| o.file < file);
    let to = objects.partition_point(|o| o.file <= file);
    let in_file = &objects[from..to];
    let after = in_file.partition_point(|o| o.root.span.start <= span.start);
    after.checked_sub(1).map(|i| &in_file[i])
}

fn lint_file(
    file: FileId,
    input: Input,
    enabled: &[&rules::RuleEntry],
    ctx: &Context,
    policies: Option<&PolicySet>,
) -> FileResult {
    let part = Part {
        file,
        enabled,
        ctx,
        context_only: input.context_only,
        policies,
    };
    let mut result = FileResult::empty(input.name);
    let (bytes, on_disk) = match input.content {
        Content::File(path) => {
            let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file());
            if meta
                .as_ref()
                .is_some_and(|m| m.len() >= STREAM_BYTES as u64)
            {
                let name = result.source.name.clone();
                if let Some(streamed) = lint_streamed(&path, STREAM_BYTES, name, &part) {
                    return streamed;
                }
            }
            // Its time as sized before reading: a change while linting is then seen.
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            (
                crate::input::read_file(&path),
                meta.map(|_| (path, modified)),
            )
        }
        content => (content.read(), None),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(reason) => {
            let name = result.source.name.clone();
            push_if_on(
                enabled,
                &mut result.diagnostics,
                rules::unreadable_file::diagnostic(file, &name, &reason),
            );
            return result;
        }
    };
    let text = match decode_text(file, &result.source.name, bytes) {
        Ok(text) => text,
        Err(failure) => {
            let (diagnostic, lossy) = *failure;
            result.source = SourceFile::new(result.source.name, lossy);
            push_if_on(enabled, &mut result.diagnostics, diagnostic);
            return result;
        }
    };
    result.source = SourceFile::new(result.source.name, text);
    let text = result.source.text.clone();

    if let Some(at) = unrendered_template_at(&text) {
        push_if_on(
            enabled,
            &mut result.diagnostics,
            rules::unrendered_template::diagnostic(file, at),
        );
        return result;
    }
    let lines = std::mem::take(&mut result.source.lines);
    part.lint(&text, 0, &lines, &mut result);
    result.source.lines = lines;
    drop(text);
    if let Some((path, modified)) = on_disk {
        // Only positions (the line index) are needed until output: the text of a 100 MB file
        // is not held beside every file's linked objects.
        result.reread = Some(Reread {
            len: result.source.text.len(),
            modified,
            path,
        });
        result.source.text = Default::default();
    }
    result
}

/// Files at least this large are read and linted batch by batch of about this size: the whole
/// text of a 100 MB file is never held.
const STREAM_BYTES: usize = 16 * 1024 * 1024;

/// What linting a part of a file needs.
struct Part<'a> {
    file: FileId,
    enabled: &'a [&'a rules::RuleEntry],
    ctx: &'a Context,
    context_only: bool,
    /// The run's admission policies and custom resource definitions, if any.
    policies: Option<&'a PolicySet>,
}

impl Part<'_> {
    /// Lints `text`, the part of the file from byte `base` on, whose lines `lines` already
    /// indexes: its documents, parse errors and suppression comments go into `result`. Each
    /// document is checked as soon as it is parsed, then its tree dropped; a large part is
    /// parsed and checked on all cores, in pieces (the order is kept).
    fn lint(&self, text: &str, base: usize, lines: &LineIndex, result: &mut FileResult) {
        let (file, enabled) = (self.file, self.enabled);
        let (documents, errors, comments) =
            yaml::parse_each(text, base, |doc, comments, previous_end| {
                lint_document(
                    file,
                    doc,
                    comments,
                    previous_end,
                    (text, base),
                    enabled,
                    self.ctx,
                    self.context_only,
                    self.policies,
                )
            });
        result
            .suppressions
            .extend(suppress::from_comments(file, lines, text, base, &comments));
        for error in &errors {
            let d = match error.kind {
                YamlErrorKind::Syntax => {
                    rules::invalid_yaml::diagnostic(file, error.offset, &error.message)
                }
                YamlErrorKind::AliasExpansion => {
                    rules::alias_expansion_too_large::diagnostic(file, error.offset, &error.message)
                }
            };
            push_if_on(enabled, &mut result.diagnostics, d);
        }
        for document in documents {
            result.diagnostics.extend(document.diagnostics);
            result.linked.extend(document.linked);
            result.suppressions.extend(document.suppressions);
            result.stats.documents += document.stats.documents;
            result.stats.objects += document.stats.objects;
            result.stats.skipped_documents += document.stats.skipped_documents;
        }
    }
}

/// Lints a large file batch by batch, cut at `---` lines as for the cores, so its text is never
/// held whole; `None` when the file needs the whole-text path (not UTF-8, binary, directives,
/// unrendered templates, changed while read): that path gives those findings.
fn lint_streamed(
    path: &std::path::Path,
    batch: usize,
    name: String,
    part: &Part<'_>,
) -> Option<FileResult> {
    use std::io::Read;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let mut reader = std::fs::File::open(path).ok()?;
    let mut result = FileResult::empty(name);
    let mut lines = LineIndex::new("");
    let mut buf: Vec<u8> = Vec::with_capacity(batch + batch / 4);
    let (mut base, mut fill_to, mut eof) = (0, batch, false);
    loop {
        while !eof && buf.len() < fill_to {
            let want = (fill_to - buf.len()) as u64;
            eof = (&mut reader).take(want).read_to_end(&mut buf).ok()? == 0;
        }
        if eof && buf.is_empty() {
            // Nothing (left) to read: an empty file, or one that shrank since it was sized.
            break;
        }
        if (base + buf.len()) as u64 > crate::input::MAX_FILE_BYTES {
            return None;
        }
        if base == 0 {
            if not_text(&buf).is_some() {
                return None;
            }
            lines.set_bom(buf.starts_with("\u{feff}".as_bytes()));
        }
        // A batch may end inside a character: only a bad byte before its last few is an error.
        let valid = match std::str::from_utf8(&buf) {
            Ok(text) => text,
            Err(e) if e.error_len().is_none() && !eof => {
                std::str::from_utf8(&buf[..e.valid_up_to()]).ok()?
            }
            Err(_) => return None,
        };
        let cut = if eof {
            Some(valid.len())
        } else {
            yaml::stream_cut(valid)
        };
        let Some(cut) = cut.filter(|&c| c > 0) else {
            // One document larger than a batch: read on.
            fill_to = buf.len() + batch;
            continue;
        };
        let text = &valid[..cut];
        if yaml::has_directives(text) || unrendered_template_at(text).is_some() {
            return None;
        }
        lines.extend(text, base);
        part.lint(text, base, &lines, &mut result);
        base += cut;
        buf.drain(..cut);
        fill_to = batch;
        if eof && buf.is_empty() {
            break;
        }
    }
    // Read whole as it was linted: the same length and time as before.
    let after = std::fs::metadata(path).ok()?;
    if after.len() != base as u64 || after.modified().ok() != modified {
        return None;
    }
    result.source.lines = lines;
    result.reread = Some(Reread {
        path: path.to_path_buf(),
        len: base,
        modified,
    });
    Some(result)
}

/// A file on disk whose text was dropped after linting: what tells whether it is unchanged.
#[derive(Clone)]
struct Reread {
    path: std::path::PathBuf,
    len: usize,
    modified: Option<std::time::SystemTime>,
}

/// Reads again, from each file whose text was dropped, the lines at `offsets` (what findings
/// point at); a file that changed since it was linted is an error (its positions would be
/// wrong).
fn reread(
    files: &mut [SourceFile],
    rereads: Vec<Option<Reread>>,
    offsets: Vec<Vec<usize>>,
) -> Vec<String> {
    let mut errors = Vec::new();
    for ((file, reread), offsets) in files.iter_mut().zip(rereads).zip(offsets) {
        let Some(reread) = reread.filter(|_| !offsets.is_empty()) else {
            continue;
        };
        let unchanged = std::fs::metadata(&reread.path)
            .is_ok_and(|m| m.len() == reread.len as u64 && m.modified().ok() == reread.modified);
        let excerpt = unchanged
            .then(|| {
                crate::source::Excerpt::read(&reread.path, reread.len, &file.lines, offsets).ok()
            })
            .flatten();
        match excerpt {
            Some(excerpt) => file.excerpt = Some(std::sync::Arc::new(excerpt)),
            None => errors.push(format!(
                "`{}` changed while it was linted: run stslint again",
                file.name
            )),
        }
    }
    errors
}

/// One document's objects: extraction, schema, per-object rules, suppression annotations.
/// `comments` holds those read up to the document; `previous_end` is where the one before ended.
#[allow(clippy::too_many_arguments)]
fn lint_document(
    file: FileId,
    doc: &yaml::Document,
    comments: &[yaml::Comment],
    previous_end: usize,
    text: (&str, usize),
    enabled: &[&rules::RuleEntry],
    ctx: &Context,
    context_only: bool,
    policies: Option<&PolicySet>,
) -> DocumentResult {
    let mut result = DocumentResult::default();
    result.stats.documents = 1;
    for dup in doc
        .duplicate_keys
        .iter()
        .filter(|_| is_on(enabled, rules::ids::duplicate_key))
    {
        result
            .diagnostics
            .push(rules::duplicate_key::diagnostic(file, dup));
    }
    let helm_source = model::helm_source(
        comments,
        previous_end,
        doc.root.span.start,
        doc.span.end.max(doc.root.span.end),
    );
    let mut extracted = Extracted::default();
    model::extract(file, doc, helm_source, &mut extracted);
    result.stats.skipped_documents = extracted.skipped;
    result.stats.objects = extracted.objects.len();
    for problem in &extracted.problems {
        let d = match problem.field {
            "apiVersion" => rules::missing_api_version::diagnostic(file, problem),
            "kind" => rules::missing_kind::diagnostic(file, problem),
            _ => rules::missing_name::diagnostic(file, problem),
        };
        push_if_on(enabled, &mut result.diagnostics, d);
    }
    // A duplicate key belongs to the object it is in: JSON output and baselines name it.
    for d in &mut result.diagnostics {
        let owner = extracted
            .objects
            .iter()
            .find(|o| o.root.span.start <= d.span.start && d.span.end <= o.root.span.end);
        if let (None, Some(owner)) = (&d.object, owner) {
            d.object = Some(owner.id());
            d.helm_source = owner.helm_source.map(str::to_owned);
            d.path = crate::fingerprint::field_path(owner.root, &d.span);
        }
    }
    for object in &extracted.objects {
        // A context file only resolves references: its own findings would be dropped, so its
        // objects are not checked (an editor's workspace is mostly context).
        if context_only {
            result.linked.push(Linked::from_object(object, ctx.compare));
            continue;
        }
        let first = result.diagnostics.len();
        if is_on(enabled, rules::ids::unknown_field)
            || is_on(enabled, rules::ids::invalid_field_type)
        {
            check_schema(object, text, enabled, &mut result.diagnostics);
        }
        for rule in enabled {
            let mut sink = Sink {
                rule: rule.id,
                diagnostics: &mut result.diagnostics,
            };
            rule.rule.check_object(object, ctx, &mut sink);
        }
        if let Some(policies) = policies {
            let from = result.diagnostics.len();
            policies.check(object, &mut result.diagnostics);
            let mut i = from;
            while i < result.diagnostics.len() {
                let rule = result.diagnostics[i].rule;
                if rule.starts_with("policy:") || is_on(enabled, rule) {
                    i += 1;
                } else {
                    result.diagnostics.swap_remove(i);
                }
            }
        }
        for d in &mut result.diagnostics[first..] {
            d.helm_source = d
                .helm_source
                .take()
                .or(object.helm_source.map(str::to_owned));
            d.path = crate::fingerprint::field_path(object.root, &d.span);
        }
        result
            .suppressions
            .extend(suppress::from_annotations(object));
        result.linked.push(Linked::from_object(object, ctx.compare));
    }
    // Kept until the file's documents are gathered: no spare capacity (30,000 documents of a
    // 50 MB file would hold ~20 MB of it).
    result.diagnostics.shrink_to_fit();
    result.linked.shrink_to_fit();
    result.suppressions.shrink_to_fit();
    result
}

/// What the first 8 KiB of a file show it is, when not UTF-8 text.
enum NotText {
    Utf16,
    /// A NUL byte, at this offset.
    Binary(usize),
}

fn not_text(bytes: &[u8]) -> Option<NotText> {
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.starts_with(&[0xff, 0xfe]) || sniff.starts_with(&[0xfe, 0xff]) {
        return Some(NotText::Utf16);
    }
    sniff.iter().position(|&b| b == 0).map(NotText::Binary)
}

/// Binary files and other encodings are one finding, named by the first offending byte.
fn decode_text(
    file: FileId,
    name: &str,
    bytes: Vec<u8>,
) -> Result<String, Box<(Diagnostic, String)>> {
    let finding = match not_text(&bytes) {
        Some(NotText::Utf16) => Some(rules::not_text::utf16(file, name)),
        Some(NotText::Binary(at)) => Some(rules::not_text::binary(file, name, at)),
        None => None,
    };
    if let Some(finding) = finding {
        return Err(Box::new((finding, String::new())));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Box::new((rules::not_text::not_utf8(file, name, at), lossy))
    })
}

/// Where a Helm action sits in YAML structure (not inside a string a chart renders, such as
/// an Alertmanager template in a ConfigMap): `{{` at the start of a line, or as a plain value.
fn unrendered_template_at(text: &str) -> Option<usize> {
    // Most inputs have no template action at all: one fast search instead of a line scan.
    if !text.contains("{{") {
        return None;
    }
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("{{") {
            return Some(offset + indent);
        }
        // `key: {{ ... }}` and `- {{ ... }}`: a plain scalar that starts with a template action.
        let value = trimmed
            .strip_prefix("- ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        if let Some(colon) = value.find(": {{") {
            if !value[..colon].contains(['"', '\'', '#']) {
                return Some(offset + line.len() - value.len() + colon + 2);
            }
        }
        offset += line.len();
    }
    None
}

fn push_if_on(enabled: &[&rules::RuleEntry], out: &mut Vec<Diagnostic>, d: Diagnostic) {
    if is_on(enabled, d.rule) {
        out.push(d);
    }
}

/// Writes each edit in the file's own style, now that the text is at hand (`fix::resolve`);
/// a fix with an edit that cannot be written there loses all its edits.
fn resolve_edits(source: &SourceFile, fix: &mut crate::diagnostic::Fix) {
    let resolved: Option<Vec<_>> = fix
        .edits
        .iter()
        .map(|e| crate::fix::resolve(e, |offset| source.line_at(offset)))
        .collect();
    fix.edits = resolved.unwrap_or_default();
}

/// Whether a rule runs: disabled rules are not run, rather than their findings dropped.
fn is_on(enabled: &[&rules::RuleEntry], id: &str) -> bool {
    enabled.iter().any(|r| r.id == id)
}

fn check_schema(
    object: &model::Object<'_>,
    (text, base): (&str, usize),
    enabled: &[&rules::RuleEntry],
    out: &mut Vec<Diagnostic>,
) {
    let Some(problems) = schema::check(object) else {
        return;
    };
    // The two rules share one decode; each reports only when it is on.
    for unknown in problems
        .unknown
        .into_iter()
        .filter(|_| is_on(enabled, rules::ids::unknown_field))
    {
        out.push(rules::unknown_field::diagnostic(object, unknown));
    }
    for (message, span) in problems
        .type_errors
        .into_iter()
        .filter(|_| is_on(enabled, rules::ids::invalid_field_type))
    {
        let raw = text
            .get(span.start - base..span.end - base)
            .unwrap_or_default();
        out.push(rules::invalid_field_type::diagnostic(
            object, span, &message, raw,
        ));
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Drops suppressed findings, then reports suppressions without a reason and those that
/// matched nothing.
fn apply_suppressions(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: &[Suppression],
    files: &[SourceFile],
    settings: &Settings,
    enabled: &[&rules::RuleEntry],
) {
    // Indexed so that each finding looks only at the suppressions that can cover it: those of
    // its file, of its line, and of the objects around it (20,000 suppressions stay linear).
    let mut file_wide: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    let mut by_line: std::collections::HashMap<(FileId, u32), Vec<usize>> = Default::default();
    let mut objects: Vec<Vec<(usize, usize)>> = vec![Vec::new(); files.len()];
    for (i, s) in suppressions.iter().enumerate() {
        match &s.scope {
            suppress::Scope::File => file_wide[s.file].push(i),
            suppress::Scope::Lines(a, b) => {
                by_line.entry((s.file, *a)).or_default().push(i);
                if b != a {
                    by_line.entry((s.file, *b)).or_default().push(i);
                }
            }
            suppress::Scope::Object(span) => objects[s.file].push((span.start, i)),
        }
    }
    for list in &mut objects {
        list.sort_unstable();
    }
    // (suppression, rule name) pairs that silenced something.
    let mut used: std::collections::HashSet<(usize, &str)> = std::collections::HashSet::new();
    diagnostics.retain(|d| {
        let line = files[d.file].lines.line(d.span.start);
        let category = rules::find(d.rule).map_or("", |r| r.doc.category.as_str());
        let mut candidates: Vec<usize> = file_wide[d.file].clone();
        candidates.extend(by_line.get(&(d.file, line)).into_iter().flatten());
        // Object scopes nest at most as an object and its pod template: the few last ones
        // starting before the finding are the only ones that can contain it.
        let scopes = &objects[d.file];
        let after = scopes.partition_point(|(start, _)| *start <= d.span.start);
        candidates.extend(
            scopes[after.saturating_sub(4)..after]
                .iter()
                .map(|(_, i)| *i),
        );
        // The first suppression in file order wins, as it always did.
        candidates.sort_unstable();
        let Some(i) = candidates
            .into_iter()
            .find(|&i| suppressions[i].covers(d, line, category))
        else {
            return true;
        };
        let s = &suppressions[i];
        if let Some(name) = s
            .rules
            .iter()
            .find(|r| *r == d.rule || *r == category || *r == "all")
        {
            used.insert((i, name.as_str()));
        }
        false
    });
    for (i, s) in suppressions.iter().enumerate() {
        if let Some(why) = &s.malformed {
            push_if_on(
                enabled,
                diagnostics,
                rules::unused_suppression::malformed(s, why),
            );
            continue;
        }
        if s.reason.is_none() {
            push_if_on(
                enabled,
                diagnostics,
                rules::suppression_missing_reason::diagnostic(s),
            );
        }
        for name in &s.rules {
            if used.contains(&(i, name.as_str())) {
                continue;
            }
            let known = rules::is_known_name(name);
            let ran = rules::registry().iter().any(|r| {
                (r.id == *name || r.doc.category == *name || name == "all")
                    && settings.is_enabled(r)
            });
            if known && !ran {
                // The rule did not run: whether the suppression is needed cannot be known.
                continue;
            }
            push_if_on(
                enabled,
                diagnostics,
                rules::unused_suppression::unused(s, name, known),
            );
        }
    }
}

/// Whether linting the file at `path` batch by batch (`batch` bytes at a time) gives what its
/// whole text gives: `Ok(true)` when it does, `Ok(false)` when the file needs the whole-text
/// path. For the tests and the `stream` fuzz target: a cut may only ever fall between
/// documents.
#[doc(hidden)]
pub fn streamed_matches_whole(path: &std::path::Path, batch: usize) -> Result<bool, String> {
    let settings = Settings {
        select: vec!["all".into()],
        enable_opt_in: true,
        ..Settings::default()
    };
    let (enabled, ctx) = rules_and_context(&settings, false);
    let part = Part {
        file: 0,
        enabled: &enabled,
        ctx: &ctx,
        context_only: false,
        policies: None,
    };
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let whole = lint_file(
        0,
        Input {
            name: "stream.yaml".into(),
            content: Content::Bytes(bytes),
            context_only: false,
        },
        &enabled,
        &ctx,
        None,
    );
    let Some(streamed) = lint_streamed(path, batch, "stream.yaml".into(), &part) else {
        return Ok(false);
    };
    if !streamed.source.text.is_empty() {
        return Err("the text of a streamed file is kept".into());
    }
    let (expected, got) = (summary(&whole), summary(&streamed));
    if expected == got {
        return Ok(true);
    }
    Err(similar::TextDiff::from_lines(&expected, &got)
        .unified_diff()
        .context_radius(4)
        .to_string())
}

/// What the run keeps of a file's results (findings are sorted by position later).
fn summary(result: &FileResult) -> String {
    let mut diagnostics = result.diagnostics.clone();
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.rule, &a.message).cmp(&(b.span.start, b.rule, &b.message))
    });
    let linked: Vec<_> = result
        .linked
        .iter()
        .map(|l| (&l.kind, &l.name, &l.root.span, &l.helm_source))
        .collect();
    format!(
        "{diagnostics:#?}\n{linked:#?}\n{:#?}\n{:?}\n{:?}",
        result.suppressions,
        result.stats,
        (0..=result.source.lines.line_count() + 1)
            .map(|i| result.source.lines.line(i * 7))
            .collect::<Vec<_>>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule's invalid and valid examples, Helm output whose later documents inherit a
    /// template's `# Source:`, suppressions, a syntax error, anchors, CRLF, a byte-order mark
    /// and multi-byte characters: a stream that exercises what a cut could break.
    fn stream() -> String {
        let mut text =
            String::from("\u{feff}# stslint: ignore-file[pod-management-policy-not-set] lab\n");
        for rule in rules::registry() {
            // Not the examples only the whole text can say anything of (templates).
            let examples = [&rule.doc.invalid, &rule.doc.valid].into_iter().flatten();
            for example in examples.filter(|e| unrendered_template_at(e).is_none()) {
                text.push_str("---\n");
                text.push_str(example);
                text.push('\n');
            }
        }
        text.push_str(concat!(
            "---\n# Source: lab/templates/db.yaml\napiVersion: v1\nkind: Service\n",
            "metadata:\n  name: db # stslint: ignore[service-selects-no-pods] external\n",
            "spec:\n  selector:\n    app: nothing\n  ports:\n    - port: 1\n",
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café-ü\n",
            "data:\n  a: &x {k: [1, 2]}\n  b: *x\n",
            "---\r\napiVersion: v1\r\nkind: Secret\r\nmetadata: {name: s}\r\n",
            "---\nkind: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p😀\n",
        ));
        text
    }

    /// A file read batch by batch gives exactly the findings, objects, suppressions and lines
    /// of the whole text, wherever the batches end (inside characters and documents too).
    #[test]
    fn a_file_linted_batch_by_batch_equals_the_whole_text() {
        let text = stream();
        let dir = std::env::temp_dir().join(format!("stslint-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("stream.yaml");
        std::fs::write(&path, &text).unwrap();
        let whole = {
            let settings = Settings::default();
            lint(
                vec![Input {
                    name: "stream.yaml".into(),
                    content: Content::Bytes(text.clone().into_bytes()),
                    context_only: false,
                }],
                &settings,
            )
        };
        assert!(whole.stats.objects > 100 && whole.diagnostics.len() > 50);
        for batch in [1, 13, 256, 4096, text.len()] {
            match streamed_matches_whole(&path, batch) {
                Ok(streamed) => assert!(streamed, "batch {batch}: not streamed"),
                Err(diff) => panic!("batch {batch}:\n{diff}"),
            }
        }
        // Empty: nothing to cut (it looped for ever, found by the stream fuzz target).
        std::fs::write(dir.join("empty.yaml"), "").unwrap();
        assert_eq!(streamed_matches_whole(&dir.join("empty.yaml"), 1), Ok(true));
        // What only the whole text can say falls back to it.
        let mut latin1 = text.clone().into_bytes();
        latin1.extend(b"---\nname: caf\xe9\n");
        for (name, bad) in [
            (
                "template.yaml",
                format!("{text}---\nkind: {{{{ .Values.kind }}}}\n").into_bytes(),
            ),
            (
                "directive.yaml",
                format!("{text}---\n%YAML 1.1\n---\na: 1\n").into_bytes(),
            ),
            ("latin1.yaml", latin1),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, bad).unwrap();
            assert_eq!(streamed_matches_whole(&path, 64), Ok(false), "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A file edited between linting and output is not shown at stale positions.
    #[test]
    fn a_file_changed_after_linting_is_an_internal_error() {
        let dir = std::env::temp_dir().join(format!("stslint-reread-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.yaml");
        let text = "kind: Service\nmetadata:\n  name: db\n";
        std::fs::write(&path, text).unwrap();
        let linted = || {
            let mut file = SourceFile::new("db.yaml", text);
            file.text = Default::default();
            file
        };
        let reread_as = |len: usize| Reread {
            path: path.clone(),
            len,
            modified: std::fs::metadata(&path).unwrap().modified().ok(),
        };

        let mut files = vec![linted()];
        let errors = reread(
            &mut files,
            vec![Some(reread_as(text.len()))],
            vec![vec![26]],
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(files[0].position(26).line, 3);

        let mut files = vec![linted()];
        let errors = reread(
            &mut files,
            vec![Some(reread_as(text.len() - 1))],
            vec![vec![26]],
        );
        assert_eq!(
            errors,
            ["`db.yaml` changed while it was linted: run stslint again"]
        );
        assert!(files[0].excerpt.is_none());

        // Nothing points into it: not read at all.
        let mut files = vec![linted()];
        let errors = reread(&mut files, vec![Some(reread_as(0))], vec![Vec::new()]);
        assert!(errors.is_empty() && files[0].excerpt.is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
