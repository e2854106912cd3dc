//! `stslint server`: a Language Server over stdio (`lsp-server` and `lsp-types`, the crates
//! rust-analyzer is built on). Diagnostics for YAML and JSON documents as they are opened and
//! edited, resolved against the whole workspace (files on disk, open buffers winning), code
//! actions for fixes and suppressions, hover with the rule's documentation.
//!
//! The engine is the command line's, through the same door ([`crate::session::Session`]): a
//! change re-reads only the changed document, reuses every other file's results and recomputes
//! the cross-object findings.

mod scope;
mod transport;
mod wire;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::session::{Content, Input, Report};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use transport::Incoming;
use wire::{offset, path_of, range, uri_of};

/// Runs the server on stdin/stdout until the client says `exit`; returns the exit code: 0
/// after `shutdown` then `exit`, 1 for an `exit` without `shutdown` (as the specification
/// says), a client gone without either, or a stream whose framing is lost.
pub fn run(config: crate::config::Source) -> i32 {
    // A panic is answered as an internal error (`catch`); its message may quote a whole
    // document, so only where it happened goes to stderr.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("stslint server: internal error{place} (please report this bug)");
    }));
    let incoming = transport::spawn_reader(std::io::stdin());
    let mut out = transport::Writer::new(std::io::stdout().lock());
    serve(&incoming, &mut out, config)
}

/// Runs `f`, turning a panic into `None`: one bad request never takes the server down.
fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).ok()
}

struct Document {
    text: String,
    version: i32,
    /// The URI as the client sent it: diagnostics are published under it, byte for byte.
    uri: lsp::Uri,
}

struct State {
    roots: Vec<PathBuf>,
    /// Manifests under the workspace folders, as on disk.
    disk: BTreeMap<PathBuf, std::sync::Arc<str>>,
    open: HashMap<PathBuf, Document>,
    /// The configurations and the files each governs (settings, `exclude`, sessions).
    scopes: scope::Scopes,
    /// The configuration files whose errors were last published: cleared once they read.
    config_published: Vec<lsp::Uri>,
    utf8: bool,
    pull: bool,
    /// The last report, which file of it each path is, and each file's path (the report's
    /// names are for display: a path need not be UTF-8).
    report: Option<Report>,
    files: HashMap<PathBuf, usize>,
    paths: Vec<PathBuf>,
    /// Documents closed since diagnostics were last published: theirs are cleared.
    closed: Vec<lsp::Uri>,
    /// A `workspace/diagnostic` request held until something changes (the client asks again
    /// as soon as it is answered), with the result ids the client knows.
    held: Option<(RequestId, HashMap<String, String>)>,
    /// Something changed since the held request was last compared.
    workspace_stale: bool,
}

fn serve<W: std::io::Write>(
    incoming: &std::sync::mpsc::Receiver<Incoming>,
    out: &mut transport::Writer<W>,
    config: crate::config::Source,
) -> i32 {
    // Before `initialize`, requests get ServerNotInitialized; `exit` ends the server.
    let (id, params) = loop {
        let next = incoming.recv().unwrap_or(Incoming::Closed);
        match transport::settle(next, out) {
            Ok(Some(Message::Request(r))) if r.method == "initialize" => break (r.id, r.params),
            Ok(Some(Message::Request(r))) => {
                out.send(transport::respond(
                    r.id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized",
                ));
            }
            Ok(Some(Message::Notification(n))) if n.method == "exit" => return 1,
            Ok(_) => {}
            Err(code) => return code,
        }
    };
    let init: lsp::InitializeParams = match serde_json::from_value(params) {
        Ok(init) => init,
        Err(e) => {
            out.send(transport::respond(
                id,
                ErrorCode::InvalidParams,
                &format!("invalid initialize parameters: {e}"),
            ));
            return 1;
        }
    };
    let general = init.capabilities.general.as_ref();
    let utf8 = general
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
    let pull = init
        .capabilities
        .text_document
        .as_ref()
        .is_some_and(|t| t.diagnostic.is_some());
    let mut roots: Vec<PathBuf> = init
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| path_of(&f.uri))
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(init.root_uri.as_ref().and_then(path_of));
    }
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(if utf8 {
            lsp::PositionEncodingKind::UTF8
        } else {
            lsp::PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::new(FIX_ALL),
                ]),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        diagnostic_provider: pull.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("stslint".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: true,
                ..Default::default()
            })
        }),
        ..Default::default()
    };
    let result = lsp::InitializeResult {
        capabilities,
        server_info: Some(lsp::ServerInfo {
            name: "stslint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    out.send(Response::new_ok(id, result));

    let mut state = State {
        roots,
        disk: BTreeMap::new(),
        open: HashMap::new(),
        scopes: scope::Scopes::new(config),
        config_published: Vec::new(),
        utf8,
        pull,
        report: None,
        files: HashMap::new(),
        paths: Vec::new(),
        closed: Vec::new(),
        held: None,
        workspace_stale: false,
    };
    state.load_settings();
    state.scan_disk();
    let dynamic_watch = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    // Config files and manifests changed on disk by other tools are re-read.
    let watch = lsp::RegistrationParams {
        registrations: vec![lsp::Registration {
            id: "stslint-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(lsp::DidChangeWatchedFilesRegistrationOptions {
                watchers: [
                    "**/.stslint.toml",
                    "**/stslint.toml",
                    "**/*.{yaml,yml,json}",
                ]
                .iter()
                .map(|g| lsp::FileSystemWatcher {
                    glob_pattern: lsp::GlobPattern::String((*g).into()),
                    kind: None,
                })
                .collect(),
            })
            .ok(),
        }],
    };
    if dynamic_watch {
        out.send(Request::new(
            RequestId::from("stslint-register".to_string()),
            "client/registerCapability".into(),
            watch,
        ));
    }
    state.serve(incoming, out)
}

impl State {
    /// The main loop. Changes are applied as they come, but the workspace is linted only once
    /// no message is waiting (and before answering a request): a burst of keystrokes costs one
    /// lint, of the newest text.
    fn serve<W: std::io::Write>(
        &mut self,
        incoming: &std::sync::mpsc::Receiver<Incoming>,
        out: &mut transport::Writer<W>,
    ) -> i32 {
        let mut shutdown = false;
        let mut dirty = false;
        // Messages read ahead while looking for a request's cancellation, handled in order.
        let mut ahead: std::collections::VecDeque<Incoming> = std::collections::VecDeque::new();
        loop {
            let next = if let Some(next) = ahead.pop_front() {
                next
            } else if dirty {
                match incoming.try_recv() {
                    Ok(next) => next,
                    Err(std::sync::mpsc::TryRecvError::Empty) => {
                        self.relint(out);
                        dirty = false;
                        continue;
                    }
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => Incoming::Closed,
                }
            } else if self.held.is_some() && self.workspace_stale {
                // The whole workspace is linted again once typing pauses, not per keystroke.
                match incoming.recv_timeout(std::time::Duration::from_millis(300)) {
                    Ok(next) => next,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        self.workspace_stale = false;
                        if let Some((id, known)) = self.held.take() {
                            if let Some(response) = self.workspace_diagnostic(id, known) {
                                if !out.send(response) {
                                    return 1;
                                }
                            }
                        }
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Incoming::Closed,
                }
            } else {
                incoming.recv().unwrap_or(Incoming::Closed)
            };
            let message = match transport::settle(next, out) {
                Ok(Some(message)) => message,
                Ok(None) => continue,
                Err(code) => return code,
            };
            match message {
                Message::Request(request) => {
                    if dirty {
                        self.relint(out);
                        dirty = false;
                    }
                    // A request the client cancelled meanwhile (a hover or code action overtaken
                    // by typing) is not worked on.
                    ahead.extend(incoming.try_iter());
                    if ahead.iter().any(|m| cancels(m, &request.id)) {
                        if !out.send(transport::respond(
                            request.id,
                            ErrorCode::RequestCanceled,
                            "cancelled by the client",
                        )) {
                            return 1;
                        }
                        continue;
                    }
                    let response = if shutdown {
                        transport::respond(
                            request.id,
                            ErrorCode::InvalidRequest,
                            "the server is shutting down",
                        )
                    } else if request.method == "shutdown" {
                        shutdown = true;
                        // A held workspace request is answered before the server goes.
                        if let Some((id, _)) = self.held.take() {
                            out.send(Response::new_ok(
                                id,
                                lsp::WorkspaceDiagnosticReport { items: Vec::new() },
                            ));
                        }
                        Response::new_ok(request.id, ())
                    } else if request.method == "workspace/diagnostic" {
                        let id = request.id.clone();
                        let known = serde_json::from_value::<lsp::WorkspaceDiagnosticParams>(
                            request.params,
                        )
                        .map(|p| {
                            p.previous_result_ids
                                .into_iter()
                                .map(|r| (r.uri.to_string(), r.value))
                                .collect()
                        })
                        .unwrap_or_default();
                        match catch(|| self.workspace_diagnostic(id.clone(), known)) {
                            Some(Some(response)) => response,
                            Some(None) => continue,
                            None => transport::respond(
                                id,
                                ErrorCode::InternalError,
                                "internal error (please report this bug)",
                            ),
                        }
                    } else if request.method == "initialize" {
                        transport::respond(
                            request.id,
                            ErrorCode::InvalidRequest,
                            "the server is initialized already",
                        )
                    } else {
                        let id = request.id.clone();
                        catch(|| self.request(request)).unwrap_or_else(|| {
                            transport::respond(
                                id,
                                ErrorCode::InternalError,
                                "internal error (please report this bug)",
                            )
                        })
                    };
                    if !out.send(response) {
                        return 1;
                    }
                }
                Message::Notification(notification) => {
                    if notification.method == "$/cancelRequest" {
                        // Requests are answered in order: one not cancelled ahead is answered.
                        continue;
                    }
                    if notification.method == "exit" {
                        return if shutdown { 0 } else { 1 };
                    }
                    dirty |= catch(|| self.notification(notification)).unwrap_or(false);
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Lints again and, unless the client pulls, publishes.
    fn relint<W: std::io::Write>(&mut self, out: &mut transport::Writer<W>) {
        self.workspace_stale = true;
        if catch(|| self.lint()).is_none() {
            self.report = None;
            self.files.clear();
            self.paths.clear();
            self.scopes.reload();
        }
        if self.pull {
            // Pulled per document; the configuration file is no document of the workspace's.
            self.publish_config(out);
        } else {
            self.publish(out);
        }
    }
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

impl State {
    /// Reads the configurations again (one changed): each file's nearest applies.
    fn load_settings(&mut self) {
        self.scopes.reload();
    }

    /// Whether the configuration excludes `path` or a folder it is in (below a workspace
    /// folder, as a walk from there would prune it).
    fn excluded(&mut self, path: &Path) -> bool {
        let scope = self.scopes.for_file(path);
        let discovery = &self.scopes.all[scope].discovery;
        path.ancestors()
            .take_while(|a| self.roots.iter().any(|r| a.starts_with(r) && a != r))
            .any(|a| discovery.excluded(a))
    }

    fn scan_disk(&mut self) {
        self.disk.clear();
        for root in self.roots.clone() {
            let scope = self.scopes.for_dir(&root);
            let Ok(inputs) = self.scopes.all[scope]
                .discovery
                .inputs(&[root.display().to_string()], true)
            else {
                continue;
            };
            for input in inputs {
                if let Content::File(path) = input.content {
                    // A folder with a configuration of its own: its `exclude` applies there.
                    if self.excluded(&path) {
                        continue;
                    }
                    if let Some(text) = read_manifest(&path) {
                        self.disk.insert(path, text);
                    }
                }
            }
        }
    }

    /// Lints the workspace: disk files, with open buffers in their place, and open buffers
    /// that are not on disk (yet).
    fn lint(&mut self) {
        let (report, names) = self.lint_scopes(false);
        // The report's files are the inputs, in order (names are for display only: a path
        // need not be UTF-8).
        self.files = names
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, p)| (p, i))
            .collect();
        self.paths = names;
        self.report = Some(report);
    }

    /// Lints each configuration's files with its settings (only open documents reported on
    /// unless `every_file`): one report, and the path of each of its files.
    fn lint_scopes(&mut self, every_file: bool) -> (Report, Vec<PathBuf>) {
        let mut groups: Vec<Vec<PathBuf>> = Vec::new();
        for path in self.workspace_names() {
            let scope = self.scopes.for_file(&path);
            if groups.len() <= scope {
                groups.resize_with(scope + 1, Vec::new);
            }
            groups[scope].push(path);
        }
        let mut report = Report::default();
        let mut names = Vec::new();
        for (index, group) in groups.into_iter().enumerate() {
            if group.is_empty() {
                continue;
            }
            let inputs = self.inputs_for(&group, every_file);
            let scope = &mut self.scopes.all[index];
            let session = if every_file {
                &mut scope.workspace_session
            } else {
                &mut scope.session
            };
            scope::append(&mut report, session.check(inputs));
            names.extend(group);
        }
        (report, names)
    }

    /// The workspace's files: on disk, and open buffers that are not on disk (yet).
    fn workspace_names(&mut self) -> Vec<PathBuf> {
        let mut names: Vec<PathBuf> = self.disk.keys().cloned().collect();
        let open: Vec<PathBuf> = self.open.keys().cloned().collect();
        for path in open {
            if !self.disk.contains_key(&path) && !self.excluded(&path) {
                names.push(path);
            }
        }
        names
    }

    /// The lint inputs of `names`: open buffers in place of the files on disk; only open
    /// documents are reported on unless `every_file`.
    fn inputs_for(&self, names: &[PathBuf], every_file: bool) -> Vec<Input> {
        names
            .iter()
            .map(|path| {
                // An open buffer is copied (it is small and just changed); a file on disk is
                // shared, and the session knows it unchanged without hashing it again.
                let content = match (self.open.get(path), self.disk.get(path)) {
                    (Some(d), _) => Content::Bytes(d.text.clone().into_bytes()),
                    (None, Some(text)) => Content::Shared(text.clone()),
                    (None, None) => Content::Bytes(Vec::new()),
                };
                Input {
                    name: path.display().to_string(),
                    content,
                    // Only open documents are reported on; the rest resolves references.
                    context_only: !every_file && !self.open.contains_key(path),
                }
            })
            .collect()
    }

    /// The answer to `workspace/diagnostic`: every file's findings, `Unchanged` where the
    /// client's result id is current; `None` (held until something changes) when all are.
    fn workspace_diagnostic(
        &mut self,
        id: RequestId,
        known: HashMap<String, String>,
    ) -> Option<Response> {
        let (report, names) = self.lint_scopes(true);
        let mut items = Vec::new();
        let mut current = HashMap::new();
        for (file, path) in names.iter().enumerate() {
            let Some(uri) = self.uri_for(path) else {
                continue;
            };
            let diagnostics = self.file_diagnostics(&report, &names, file);
            let result_id = format!(
                "{:016x}",
                crate::fingerprint::stable_hash(
                    serde_json::to_string(&diagnostics)
                        .unwrap_or_default()
                        .as_bytes()
                )
            );
            let key = uri.to_string();
            let version = self.open.get(path).map(|d| i64::from(d.version));
            current.insert(key.clone(), result_id.clone());
            items.push(if known.get(&key) == Some(&result_id) {
                lsp::WorkspaceDocumentDiagnosticReport::Unchanged(
                    lsp::WorkspaceUnchangedDocumentDiagnosticReport {
                        uri,
                        version,
                        unchanged_document_diagnostic_report:
                            lsp::UnchangedDocumentDiagnosticReport { result_id },
                    },
                )
            } else {
                lsp::WorkspaceDocumentDiagnosticReport::Full(
                    lsp::WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version,
                        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                            result_id: Some(result_id),
                            items: diagnostics,
                        },
                    },
                )
            });
        }
        // Files gone since: their findings are cleared.
        for uri in known.keys().filter(|k| !current.contains_key(*k)) {
            if let Ok(uri) = uri.parse() {
                items.push(lsp::WorkspaceDocumentDiagnosticReport::Full(
                    lsp::WorkspaceFullDocumentDiagnosticReport {
                        uri,
                        version: None,
                        full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                            result_id: None,
                            items: Vec::new(),
                        },
                    },
                ));
            }
        }
        if !known.is_empty() && known == current {
            self.held = Some((id, known));
            return None;
        }
        Some(Response::new_ok(
            id,
            lsp::WorkspaceDiagnosticReport { items },
        ))
    }

    fn diagnostics_for(&self, path: &Path) -> Vec<lsp::Diagnostic> {
        let (Some(report), Some(&file)) = (&self.report, self.files.get(path)) else {
            return Vec::new();
        };
        let mut out = self.file_diagnostics(report, &self.paths, file);
        if let Some(e) = self.scopes.known(path).and_then(|s| s.error.as_ref()) {
            out.push(lsp::Diagnostic {
                range: lsp::Range::default(),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("stslint".into()),
                message: format!(
                    "stslint's configuration cannot be read, the defaults apply: {}: {}",
                    e.file.display(),
                    e.message
                ),
                ..Default::default()
            });
        }
        out
    }

    /// The findings of `report`'s file `file` as LSP diagnostics (`paths`: each report file's
    /// path). A Helm template (`{{ }}`) or a file in a chart's templates is a source, not a
    /// manifest: no diagnostics rather than errors.
    fn file_diagnostics(
        &self,
        report: &Report,
        paths: &[PathBuf],
        file: usize,
    ) -> Vec<lsp::Diagnostic> {
        let source = &report.files[file];
        if report
            .diagnostics
            .iter()
            .any(|d| d.file == file && d.rule == crate::rules::ids::unrendered_template)
        {
            return Vec::new();
        }
        report
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .map(|d| self.to_lsp(report, paths, source, d))
            .collect()
    }

    /// The URI a file is published under: the client's own for an open document.
    fn uri_for(&self, path: &Path) -> Option<lsp::Uri> {
        match self.open.get(path) {
            Some(doc) => Some(doc.uri.clone()),
            None => uri_of(path),
        }
    }

    /// `paths`: the path of each of `report`'s files, for related locations.
    fn to_lsp(
        &self,
        report: &Report,
        paths: &[PathBuf],
        source: &crate::source::SourceFile,
        d: &Diagnostic,
    ) -> lsp::Diagnostic {
        let rule = crate::rules::find(d.rule);
        let href = rule.and_then(|r| crate::docs::rule_url(r.id).parse().ok());
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!("\n{help}"));
        }
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                let other = &report.files[r.file];
                Some(lsp::DiagnosticRelatedInformation {
                    location: lsp::Location {
                        uri: self.uri_for(paths.get(r.file)?)?,
                        range: range(other, &r.span, self.utf8),
                    },
                    message: r.message.clone(),
                })
            })
            .collect();
        lsp::Diagnostic {
            range: range(source, &d.span, self.utf8),
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            }),
            code: Some(lsp::NumberOrString::String(d.rule.into())),
            code_description: href.map(|href| lsp::CodeDescription { href }),
            source: Some("stslint".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        }
    }

    fn publish<W: std::io::Write>(&mut self, out: &mut transport::Writer<W>) {
        // A closed document's diagnostics go with it (unless it was opened again).
        for uri in std::mem::take(&mut self.closed) {
            if !self.open.values().any(|d| d.uri == uri) {
                out.send(notify(uri, Vec::new(), None));
            }
        }
        let paths: Vec<PathBuf> = self.open.keys().cloned().collect();
        for path in paths {
            let Some(doc) = self.open.get(&path) else {
                continue;
            };
            // Empty lists too: they clear what an earlier version of the buffer showed.
            let diagnostics = self.diagnostics_for(&path);
            out.send(notify(doc.uri.clone(), diagnostics, Some(doc.version)));
        }
        self.publish_config(out);
    }

    /// The configuration files' own errors, each at its line (or cleared once they read).
    fn publish_config<W: std::io::Write>(&mut self, out: &mut transport::Writer<W>) {
        let mut published = Vec::new();
        for e in self.scopes.all.iter().filter_map(|s| s.error.as_ref()) {
            let Some(uri) = uri_of(&e.file) else { continue };
            let text = std::fs::read_to_string(&e.file).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let diagnostics = std::iter::once(e)
                .chain(&e.also)
                .map(|e| {
                    let (line, column) = e.position.unwrap_or((1, 1));
                    let (line, column) = (line.saturating_sub(1), column.saturating_sub(1));
                    // From the place named to the end of its line.
                    let end = lines
                        .get(line)
                        .map_or(column, |l| l.encode_utf16().count().max(column));
                    let at = |character: usize| lsp::Position {
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                        character: u32::try_from(character).unwrap_or(u32::MAX),
                    };
                    lsp::Diagnostic {
                        range: lsp::Range {
                            start: at(column),
                            end: at(end),
                        },
                        severity: Some(lsp::DiagnosticSeverity::ERROR),
                        source: Some("stslint".into()),
                        message: format!("{} (the defaults apply until it is fixed)", e.message),
                        ..Default::default()
                    }
                })
                .collect::<Vec<_>>();
            out.send(notify(uri.clone(), diagnostics, None));
            published.push(uri);
        }
        for old in std::mem::take(&mut self.config_published) {
            if !published.contains(&old) {
                out.send(notify(old, Vec::new(), None));
            }
        }
        self.config_published = published;
    }

    /// Applies a notification; true when the workspace must be linted again.
    fn notification(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Some((p, path)) =
                    with_path::<lsp::DidOpenTextDocumentParams>(n.params, |p| &p.text_document.uri)
                else {
                    return false;
                };
                if !is_manifest_name(&path) {
                    return false;
                }
                self.open.insert(
                    path,
                    Document {
                        text: p.text_document.text,
                        version: p.text_document.version,
                        uri: p.text_document.uri,
                    },
                );
                true
            }
            "textDocument/didChange" => {
                let Some((p, path)) =
                    with_path::<lsp::DidChangeTextDocumentParams>(n.params, |p| {
                        &p.text_document.uri
                    })
                else {
                    return false;
                };
                let Some(doc) = self.open.get_mut(&path) else {
                    return false;
                };
                // An older version than the one held is stale: dropped.
                if p.text_document.version <= doc.version {
                    return false;
                }
                let mut text = std::mem::take(&mut doc.text);
                for change in p.content_changes {
                    match change.range {
                        Some(at) => {
                            let source = crate::source::SourceFile::new("", text);
                            let span = offset(&source, at.start, self.utf8)
                                ..offset(&source, at.end, self.utf8);
                            text = std::sync::Arc::unwrap_or_clone(source.text);
                            let span = span.start.min(span.end)..span.end;
                            text.replace_range(span, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                doc.text = text;
                doc.version = p.text_document.version;
                true
            }
            "textDocument/didSave" => {
                let Some((_, path)) =
                    with_path::<lsp::DidSaveTextDocumentParams>(n.params, |p| &p.text_document.uri)
                else {
                    return false;
                };
                if is_config(&path) {
                    self.load_settings();
                    self.scan_disk();
                    return true;
                }
                if is_manifest_name(&path) && self.under_roots(&path) && !self.excluded(&path) {
                    if let Some(text) = read_manifest(&path) {
                        self.disk.insert(path, text);
                    }
                }
                true
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return false;
                };
                if let Some(path) = path_of(&p.text_document.uri) {
                    if let Some(doc) = self.open.remove(&path) {
                        self.closed.push(doc.uri);
                    }
                }
                true
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return false;
                };
                let mut config_changed = false;
                for change in p.changes {
                    let Some(path) = path_of(&change.uri) else {
                        continue;
                    };
                    if is_config(&path) {
                        config_changed = true;
                    } else if change.typ == lsp::FileChangeType::DELETED {
                        self.disk.remove(&path);
                    } else if is_manifest_name(&path)
                        && self.under_roots(&path)
                        && !self.excluded(&path)
                    {
                        match read_manifest(&path) {
                            Some(text) => self.disk.insert(path, text),
                            None => self.disk.remove(&path),
                        };
                    }
                }
                // Its `exclude` may name other files now: the disk is read again after it.
                if config_changed {
                    self.load_settings();
                    self.scan_disk();
                }
                true
            }
            _ => false,
        }
    }

    fn under_roots(&self, path: &Path) -> bool {
        self.roots.iter().any(|r| path.starts_with(r))
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            // Only the document and range are read: clients echo back diagnostics in shapes of
            // their own (Neovim adds fields), which must not make the request fail.
            "textDocument/codeAction" => {
                let field = |name: &str| request.params.get(name).cloned();
                let document = field("textDocument")
                    .and_then(|d| serde_json::from_value::<lsp::TextDocumentIdentifier>(d).ok());
                let range =
                    field("range").and_then(|r| serde_json::from_value::<lsp::Range>(r).ok());
                let only: Option<Vec<String>> = field("context")
                    .and_then(|c| c.get("only").cloned())
                    .and_then(|o| serde_json::from_value(o).ok());
                // A kind asked for covers its sub-kinds: `source` and `source.fixAll` include
                // ours (`editor.codeActionsOnSave` asks for `source.fixAll`).
                let wants = |kind: &str| {
                    only.as_ref().is_none_or(|only| {
                        only.iter()
                            .any(|o| kind == o || kind.starts_with(&format!("{o}.")))
                    })
                };
                let (quick, all) = (wants("quickfix"), wants(FIX_ALL));
                document.zip(range).map(|(document, range)| {
                    let mut actions = if quick {
                        self.code_actions(&document.uri, range)
                    } else {
                        Vec::new()
                    };
                    if all {
                        actions.extend(self.fix_all_action(&document.uri));
                    }
                    serde_json::to_value(actions).unwrap_or_default()
                })
            }
            "textDocument/hover" => serde_json::from_value::<lsp::HoverParams>(request.params)
                .ok()
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            "textDocument/diagnostic" => {
                serde_json::from_value::<lsp::DocumentDiagnosticParams>(request.params)
                    .ok()
                    .map(|p| {
                        if self.report.is_none() {
                            self.lint();
                        }
                        let items = path_of(&p.text_document.uri)
                            .map(|path| self.diagnostics_for(&path))
                            .unwrap_or_default();
                        serde_json::to_value(lsp::DocumentDiagnosticReport::Full(
                            lsp::RelatedFullDocumentDiagnosticReport {
                                related_documents: None,
                                full_document_diagnostic_report:
                                    lsp::FullDocumentDiagnosticReport {
                                        result_id: None,
                                        items,
                                    },
                            },
                        ))
                        .unwrap_or_default()
                    })
            }
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("unknown method {}", request.method),
                );
            }
        };
        match result {
            Some(value) => Response::new_ok(id, value),
            None => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                "invalid parameters".into(),
            ),
        }
    }

    /// The findings of `path` whose range meets `range`.
    fn findings_at(
        &self,
        path: &Path,
        range: &lsp::Range,
    ) -> Vec<(&Diagnostic, &crate::source::SourceFile)> {
        let (Some(report), Some(&file)) = (&self.report, self.files.get(path)) else {
            return Vec::new();
        };
        let source = &report.files[file];
        let (start, end) = (
            offset(source, range.start, self.utf8),
            offset(source, range.end, self.utf8),
        );
        report
            .diagnostics
            .iter()
            .filter(|d| d.file == file && d.span.start <= end && start <= d.span.end)
            .map(|d| (d, source))
            .collect()
    }

    fn code_actions(&self, uri: &lsp::Uri, at: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
        let Some(path) = path_of(uri) else {
            return Vec::new();
        };
        let uri = uri.clone();
        let mut actions = Vec::new();
        let mut suppressions = Vec::new();
        for (d, source) in self.findings_at(&path, &at) {
            let text: &str = &source.text;
            let lsp_diagnostic = self
                .report
                .as_ref()
                .map(|r| self.to_lsp(r, &self.paths, source, d));
            let edit = |edits: Vec<lsp::TextEdit>| lsp::WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..Default::default()
            };
            if let Some(fix) = &d.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: range(source, &e.span, self.utf8),
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                let title = match fix.applicability {
                    Applicability::Safe => fix.title.clone(),
                    Applicability::Unsafe => format!("{} (unsafe: changes behaviour)", fix.title),
                };
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: lsp_diagnostic.clone().map(|d| vec![d]),
                    edit: Some(edit(edits)),
                    is_preferred: Some(fix.applicability == Applicability::Safe),
                    ..Default::default()
                }));
            }
            // Suppress on the finding's line (a trailing comment), or in the whole file.
            let line_end = text[d.span.start.min(text.len())..]
                .find('\n')
                .map_or(text.len(), |i| d.span.start + i);
            let line_end = if text[..line_end].ends_with('\r') {
                line_end - 1
            } else {
                line_end
            };
            let at_end = range(source, &(line_end..line_end), self.utf8);
            suppressions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Suppress `{}` on this line", d.rule),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: lsp_diagnostic.clone().map(|d| vec![d]),
                edit: Some(edit(vec![lsp::TextEdit {
                    range: at_end,
                    new_text: format!(" # stslint: ignore[{}] <why this does not apply>", d.rule),
                }])),
                ..Default::default()
            }));
            suppressions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Suppress `{}` in this file", d.rule),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: lsp_diagnostic.map(|d| vec![d]),
                edit: Some(edit(vec![lsp::TextEdit {
                    range: lsp::Range::default(),
                    new_text: format!(
                        "# stslint: ignore-file[{}] <why this does not apply>\n",
                        d.rule
                    ),
                }])),
                ..Default::default()
            }));
        }
        // Fixes first (safe ones are preferred), then the suppressions.
        actions.extend(suppressions);
        actions
    }

    /// "Fix all": every safe fix of the document, through the engine's fix loop (lint, fix,
    /// lint again until stable), as one edit of the part of the text that changes.
    fn fix_all_action(&mut self, uri: &lsp::Uri) -> Option<lsp::CodeActionOrCommand> {
        let path = path_of(uri)?;
        if self.report.is_none() {
            self.lint();
        }
        let report = self.report.as_ref()?;
        let &file = self.files.get(&path)?;
        if !report.diagnostics.iter().any(|d| {
            d.file == file
                && d.fix
                    .as_ref()
                    .is_some_and(|f| f.applicability == Applicability::Safe)
        }) {
            return None;
        }
        // The files of the document's configuration: this one is fixed, the others are there
        // for the cross-object rules.
        let scope = self.scopes.for_file(&path);
        let config = Some(&self.scopes.all[scope].config);
        let mut originals: Vec<crate::session::Original> = Vec::new();
        let mut index = None;
        for (p, source) in self.paths.iter().zip(&report.files) {
            if self.scopes.known(p).map(|s| &s.config) != config {
                continue;
            }
            if p == &path {
                index = Some(originals.len());
            }
            originals.push(crate::session::Original {
                name: p.display().to_string(),
                content: Ok(source.text.as_bytes().to_vec()),
                context_only: p != &path,
            });
        }
        let index = index?;
        let source = report.files[file].clone();
        let outcome = self.scopes.all[scope]
            .session
            .fix_all(&originals, Applicability::Safe);
        let change = outcome.changes.iter().find(|c| c.index == index)?;
        // The smallest edit: the common start and end stay, so the cursor and folds do too.
        let (old, new) = (change.old.as_bytes(), change.new.as_bytes());
        let mut start = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        while !change.old.is_char_boundary(start) || !change.new.is_char_boundary(start) {
            start -= 1;
        }
        let mut suffix = old[start..]
            .iter()
            .rev()
            .zip(new[start..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        while !change.old.is_char_boundary(old.len() - suffix)
            || !change.new.is_char_boundary(new.len() - suffix)
        {
            suffix -= 1;
        }
        let edit = lsp::TextEdit {
            range: range(&source, &(start..old.len() - suffix), self.utf8),
            new_text: change.new[start..new.len() - suffix].to_string(),
        };
        Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
            title: format!(
                "stslint: fix all safe problems ({} fix{})",
                change.fixes,
                if change.fixes == 1 { "" } else { "es" }
            ),
            kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
            edit: Some(lsp::WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..Default::default()
            }),
            ..Default::default()
        }))
    }

    fn hover(&self, p: &lsp::HoverParams) -> Option<lsp::Hover> {
        let position = p.text_document_position_params.position;
        let path = path_of(&p.text_document_position_params.text_document.uri)?;
        let here = lsp::Range {
            start: position,
            end: position,
        };
        let rule = match self.findings_at(&path, &here).first() {
            Some((d, _)) => crate::rules::find(d.rule),
            None => {
                // A rule id inside a suppression comment.
                let report = self.report.as_ref()?;
                let source = &report.files[*self.files.get(&path)?];
                let text: &str = &source.text;
                let at = offset(source, position, self.utf8);
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                let line = &text[line_start..line_end];
                let col = at - line_start;
                let word_start = line[..col]
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .map_or(0, |i| i + 1);
                let word_end = line[col..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .map_or(line.len(), |i| col + i);
                line.contains("stslint")
                    .then(|| crate::rules::find(&line[word_start..word_end]))
                    .flatten()
            }
        }?;
        let d = &rule.doc;
        let references: Vec<String> = d.references.iter().map(|r| format!("- <{r}>")).collect();
        let value = format!(
            "**{}** ({}, {}{})\n\n{}\n\n**Why.** {}\n\n**Fix.** {}\n\n{}",
            rule.id,
            d.severity,
            d.category,
            if d.enabled { "" } else { ", opt-in" },
            d.summary,
            d.why,
            d.fix,
            references.join("\n")
        );
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: None,
        })
    }
}

/// `textDocument/publishDiagnostics` for `uri` (an empty list clears what it showed).
fn notify(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) -> Notification {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
}

/// Whether `message` is the client's `$/cancelRequest` for `id`.
fn cancels(message: &Incoming, id: &RequestId) -> bool {
    let Incoming::Message(Message::Notification(n)) = message else {
        return false;
    };
    n.method == "$/cancelRequest"
        && serde_json::from_value::<lsp::CancelParams>(n.params.clone()).is_ok_and(|p| match p.id {
            lsp::NumberOrString::Number(n) => *id == RequestId::from(n),
            lsp::NumberOrString::String(s) => *id == RequestId::from(s),
        })
}

/// The code action kind of "fix all" (`editor.codeActionsOnSave: {"source.fixAll.stslint": ...}`).
const FIX_ALL: &str = "source.fixAll.stslint";

fn is_config(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME || n == crate::config::OTHER_FILE_NAME)
}

/// A notification's parameters and the path of the document they name.
fn with_path<P: serde::de::DeserializeOwned>(
    params: serde_json::Value,
    uri: impl Fn(&P) -> &lsp::Uri,
) -> Option<(P, PathBuf)> {
    let p: P = serde_json::from_value(params).ok()?;
    let path = path_of(uri(&p))?;
    Some((p, path))
}

/// A manifest's text from disk, read only from a regular file and within the size cap: a FIFO
/// named `*.yaml` would block for ever, a link to `/dev/zero` never end.
fn read_manifest(path: &Path) -> Option<std::sync::Arc<str>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    crate::input::read_file(path)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(std::sync::Arc::from)
}
