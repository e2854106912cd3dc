//! `stslint server`: a Language Server over stdio (`lsp-server` and `lsp-types`, the crates
//! rust-analyzer is built on). Diagnostics for YAML and JSON documents as they are opened and
//! edited, resolved against the whole workspace (files on disk, open buffers winning), code
//! actions for fixes and suppressions, hover with the rule's documentation.
//!
//! The engine is the command line's, in a [`lint::Session`]: a change re-reads only the changed
//! document, reuses every other file's results and recomputes the cross-object findings.

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::lint::{self, Input, Report};
use crate::settings::Settings;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Runs the server on stdin/stdout until the client says `exit`; returns the exit code.
pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("stslint server: {e}");
            1
        }
    };
    drop(connection);
    let _ = io_threads.join();
    code
}

struct Document {
    text: String,
    version: i32,
}

struct State {
    roots: Vec<PathBuf>,
    /// Manifests under the workspace folders, as on disk.
    disk: BTreeMap<PathBuf, String>,
    open: HashMap<PathBuf, Document>,
    settings: Settings,
    /// The configuration's `exclude`: files it names are neither reported on nor read for
    /// context, as `stslint check` run at the root would not read them.
    discovery: crate::discover::Discovery,
    config_error: Option<String>,
    utf8: bool,
    pull: bool,
    /// The last report and which file of it each path is.
    report: Option<Report>,
    files: HashMap<PathBuf, usize>,
    /// Per-file results by content: a change re-reads only the changed document.
    session: lint::Session,
}

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let init: lsp::InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
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
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        diagnostic_provider: pull.then(|| {
            lsp::DiagnosticServerCapabilities::Options(lsp::DiagnosticOptions {
                identifier: Some("stslint".into()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
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
    connection
        .initialize_finish(id, serde_json::to_value(result).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;

    let mut state = State {
        roots,
        disk: BTreeMap::new(),
        open: HashMap::new(),
        settings: Settings::default(),
        discovery: no_exclusions(),
        config_error: None,
        utf8,
        pull,
        report: None,
        files: HashMap::new(),
        session: lint::Session::default(),
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
        let _ = connection.sender.send(Message::Request(Request::new(
            RequestId::from("stslint-register".to_string()),
            "client/registerCapability".into(),
            watch,
        )));
    }

    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let response = state.request(request);
                let _ = connection.sender.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Ok(());
                }
                if state.notification(notification) {
                    state.lint();
                    if !state.pull {
                        state.publish(connection);
                    }
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    Some(PathBuf::from(percent_decode(text)))
}

fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let encoded: String = path
        .to_string_lossy()
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '%' => "%25".to_string(),
            '?' => "%3F".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("file://{encoded}").parse().ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_manifest_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

impl State {
    fn load_settings(&mut self) {
        let dir = self
            .roots
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        self.session.clear();
        match crate::app::settings_for(&dir) {
            Ok((settings, discovery)) => {
                self.settings = settings;
                self.discovery = discovery;
                self.config_error = None;
            }
            Err(e) => {
                // A broken configuration: keep linting with the defaults, and say why.
                self.settings = Settings::default();
                self.discovery = no_exclusions();
                self.config_error = Some(e);
            }
        }
    }

    /// Whether the configuration excludes `path` or a folder it is in (below a workspace
    /// folder, as a walk from there would prune it).
    fn excluded(&self, path: &Path) -> bool {
        path.ancestors()
            .take_while(|a| self.roots.iter().any(|r| a.starts_with(r) && a != r))
            .any(|a| self.discovery.excluded(a))
    }

    fn scan_disk(&mut self) {
        self.disk.clear();
        for root in &self.roots {
            let Ok(inputs) = self.discovery.inputs(&[root.display().to_string()], true) else {
                continue;
            };
            for input in inputs {
                if let Ok(bytes) = input.content.read() {
                    if let Ok(text) = String::from_utf8(bytes) {
                        self.disk.insert(PathBuf::from(input.name), text);
                    }
                }
            }
        }
    }

    /// Lints the workspace: disk files, with open buffers in their place, and open buffers
    /// that are not on disk (yet).
    fn lint(&mut self) {
        let mut names: Vec<PathBuf> = self.disk.keys().cloned().collect();
        for path in self.open.keys() {
            if !self.disk.contains_key(path) && !self.excluded(path) {
                names.push(path.clone());
            }
        }
        let inputs: Vec<Input> = names
            .iter()
            .map(|path| {
                let text = self
                    .open
                    .get(path)
                    .map(|d| d.text.clone())
                    .or_else(|| self.disk.get(path).cloned())
                    .unwrap_or_default();
                Input {
                    name: path.display().to_string(),
                    content: crate::lint::Content::Bytes(text.into_bytes()),
                    // Only open documents are reported on; the rest resolves references.
                    context_only: !self.open.contains_key(path),
                }
            })
            .collect();
        let report = self.session.lint(inputs, &self.settings);
        self.files = report
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (PathBuf::from(&f.name), i))
            .collect();
        self.report = Some(report);
    }

    fn diagnostics_for(&self, path: &Path) -> Vec<lsp::Diagnostic> {
        let (Some(report), Some(&file)) = (&self.report, self.files.get(path)) else {
            return Vec::new();
        };
        let text = &report.files[file].text;
        // A Helm template (`{{ }}`) or a file in a chart's templates is a source, not a
        // manifest: no diagnostics rather than errors.
        if report
            .diagnostics
            .iter()
            .any(|d| d.file == file && d.rule == crate::rules::ids::unrendered_template)
        {
            return Vec::new();
        }
        let mut out: Vec<lsp::Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .map(|d| self.to_lsp(report, text, d))
            .collect();
        if let Some(e) = &self.config_error {
            out.push(lsp::Diagnostic {
                range: lsp::Range::default(),
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("stslint".into()),
                message: format!("stslint's configuration cannot be read, the defaults apply: {e}"),
                ..Default::default()
            });
        }
        out
    }

    fn to_lsp(&self, report: &Report, text: &str, d: &Diagnostic) -> lsp::Diagnostic {
        let rule = crate::rules::find(d.rule);
        let href = rule
            .and_then(|r| r.doc.references.iter().find(|u| u.starts_with("https://")))
            .and_then(|u| u.parse().ok());
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
                        uri: uri_of(Path::new(&other.name))?,
                        range: range(&other.text, &r.span, self.utf8),
                    },
                    message: r.message.clone(),
                })
            })
            .collect();
        lsp::Diagnostic {
            range: range(text, &d.span, self.utf8),
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

    fn publish(&mut self, connection: &Connection) {
        let paths: Vec<PathBuf> = self.open.keys().cloned().collect();
        for path in paths {
            let Some(uri) = uri_of(&path) else { continue };
            // Empty lists too: they clear what an earlier version of the buffer showed.
            let diagnostics = self.diagnostics_for(&path);
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: self.open.get(&path).map(|d| d.version),
            };
            let _ = connection
                .sender
                .send(Message::Notification(Notification::new(
                    "textDocument/publishDiagnostics".into(),
                    params,
                )));
        }
    }

    /// Applies a notification; true when the workspace must be linted again.
    fn notification(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
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
                    },
                );
                true
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return false;
                };
                let Some(change) = p.content_changes.into_iter().last() else {
                    return false;
                };
                match self.open.get_mut(&path) {
                    Some(doc) => {
                        doc.text = change.text;
                        doc.version = p.text_document.version;
                        true
                    }
                    None => false,
                }
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return false;
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return false;
                };
                if is_config(&path) {
                    self.load_settings();
                    self.scan_disk();
                    return true;
                }
                if let Ok(text) = std::fs::read_to_string(&path) {
                    if is_manifest_name(&path) && self.under_roots(&path) && !self.excluded(&path) {
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
                    self.open.remove(&path);
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
                        if let Ok(text) = std::fs::read_to_string(&path) {
                            self.disk.insert(path, text);
                        }
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
                document.zip(range).map(|(document, range)| {
                    serde_json::to_value(self.code_actions(&document.uri, range))
                        .unwrap_or_default()
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
    fn findings_at(&self, path: &Path, range: &lsp::Range) -> Vec<(&Diagnostic, &str)> {
        let (Some(report), Some(&file)) = (&self.report, self.files.get(path)) else {
            return Vec::new();
        };
        let text: &str = &report.files[file].text;
        let (start, end) = (
            offset(text, range.start, self.utf8),
            offset(text, range.end, self.utf8),
        );
        report
            .diagnostics
            .iter()
            .filter(|d| d.file == file && d.span.start <= end && start <= d.span.end)
            .map(|d| (d, text))
            .collect()
    }

    fn code_actions(&self, uri: &lsp::Uri, at: lsp::Range) -> Vec<lsp::CodeActionOrCommand> {
        let Some(path) = path_of(uri) else {
            return Vec::new();
        };
        let uri = uri.clone();
        let mut actions = Vec::new();
        let mut suppressions = Vec::new();
        for (d, text) in self.findings_at(&path, &at) {
            let lsp_diagnostic = self.report.as_ref().map(|r| self.to_lsp(r, text, d));
            let edit = |edits: Vec<lsp::TextEdit>| lsp::WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..Default::default()
            };
            if let Some(fix) = &d.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: range(text, &e.span, self.utf8),
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
            let at_end = range(text, &(line_end..line_end), self.utf8);
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
                let text: &str = &report.files[*self.files.get(&path)?].text;
                let at = offset(text, position, self.utf8);
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

fn no_exclusions() -> crate::discover::Discovery {
    crate::discover::Discovery::new(&[], None).expect("no patterns cannot fail")
}

fn is_config(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::config::FILE_NAME || n == crate::config::OTHER_FILE_NAME)
}

/// A byte span as an LSP range, in UTF-16 code units or bytes as negotiated.
fn range(text: &str, span: &std::ops::Range<usize>, utf8: bool) -> lsp::Range {
    lsp::Range {
        start: position(text, span.start, utf8),
        end: position(text, span.end, utf8),
    }
}

fn position(text: &str, offset: usize, utf8: bool) -> lsp::Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    let character = if utf8 {
        prefix.len()
    } else {
        prefix.encode_utf16().count()
    } as u32;
    lsp::Position { line, character }
}

/// An LSP position as a byte offset into `text`.
fn offset(text: &str, position: lsp::Position, utf8: bool) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    if utf8 {
        return line_start + (position.character as usize).min(line.len());
    }
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_utf16_and_utf8() {
        let text = "a: é😀x\nb: 1\n";
        let at_x = text.find('x').unwrap();
        assert_eq!(
            position(text, at_x, false),
            lsp::Position {
                line: 0,
                character: 6
            }
        );
        assert_eq!(
            position(text, at_x, true),
            lsp::Position {
                line: 0,
                character: 9
            }
        );
        assert_eq!(
            offset(
                text,
                lsp::Position {
                    line: 0,
                    character: 6
                },
                false
            ),
            at_x
        );
        assert_eq!(
            offset(
                text,
                lsp::Position {
                    line: 1,
                    character: 3
                },
                true
            ),
            text.find('1').unwrap()
        );
    }

    #[test]
    fn uris_round_trip() {
        let path = Path::new("/tmp/a b/c#d.yaml");
        let uri = uri_of(path).unwrap();
        assert_eq!(path_of(&uri).unwrap(), path);
    }
}
