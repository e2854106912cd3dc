//! The command-line program: arguments → discovery → lint → output → exit code.

use crate::baseline;
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn, Format, ListFormat};
use crate::config;
use crate::diagnostic::{Applicability, Severity};
use crate::discover::Discovery;
use crate::emit;
use crate::rules;
use crate::session::{self, Report, Session};
use crate::settings::{parse_kubernetes_version, Settings};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let code = dispatch(cli);
    checked(code)
}

fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules { format } => {
            // The project's `[[policy]]`s are rules of this repository too.
            let project = config::discover(Path::new("."))
                .and_then(|path| config::load(&path).ok())
                .map(|loaded| loaded.config.project_policies)
                .unwrap_or_default();
            print(&list_rules(format, &project));
            EXIT_CLEAN
        }
        Command::Rule { id } => match rules::find(&id) {
            Some(rule) => {
                print(&rule_doc(rule));
                EXIT_CLEAN
            }
            None => usage(&format!(
                "unknown rule `{id}`{}; `stslint rules` lists them",
                rules::did_you_mean(&id)
            )),
        },
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "stslint",
                &mut out,
            );
            print(&String::from_utf8_lossy(&out));
            EXIT_CLEAN
        }
        Command::Server { config, isolated } => crate::server::run(match (config, isolated) {
            (Some(path), _) => crate::config::Source::File(path),
            (None, true) => crate::config::Source::Isolated,
            (None, false) => crate::config::Source::Nearest,
        }),
        Command::ParseFloor { paths } => parse_floor(&paths),
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => {
                    print(&String::from_utf8_lossy(&out));
                    EXIT_CLEAN
                }
                Err(e) => usage(&format!("cannot render the manual page: {e}")),
            }
        }
    }
}

/// What `check` costs at least: the same discovery and reads, the same parser over the same
/// pieces on the same threads, events dropped (`benches/table.sh` divides by it).
fn parse_floor(paths: &[String]) -> i32 {
    use rayon::prelude::*;
    let discovery = match Discovery::new(&[], None) {
        Ok(d) => d,
        Err(e) => return usage(&e.to_string()),
    };
    let inputs = match discovery.inputs(paths, false) {
        Ok(inputs) => inputs,
        Err(e) => return usage(&e.to_string()),
    };
    let documents: usize = inputs
        .into_par_iter()
        .filter_map(|i| String::from_utf8(i.content.read().ok()?).ok())
        .map(|text| crate::yaml::parse_only(&text))
        .sum();
    print(&format!("{documents} documents\n"));
    EXIT_CLEAN
}

fn usage(message: &str) -> i32 {
    eprintln!("error: {message}");
    EXIT_USAGE
}

/// Writes to stdout; a failure (a full disk, a closed pipe) is remembered and makes the
/// command exit 2 rather than pass as if the report had been delivered.
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        WRITE_FAILED.with(|f| f.replace(Some(e.to_string())));
    }
}

thread_local! {
    static WRITE_FAILED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Exit 2 with a message when the output could not be written.
fn checked(code: i32) -> i32 {
    match WRITE_FAILED.with(|f| f.borrow_mut().take()) {
        Some(e) => {
            eprintln!("error: cannot write the output: {e}");
            EXIT_USAGE
        }
        None => code,
    }
}

fn check(args: CheckArgs) -> i32 {
    let started = std::time::Instant::now();
    let config_path = if args.isolated {
        None
    } else {
        match &args.config {
            Some(path) => Some(std::path::PathBuf::from(path)),
            None => config::discover(Path::new(".")),
        }
    };
    let loaded = match config_path.as_deref().map(config::load).transpose() {
        Ok(loaded) => loaded,
        Err(e) => return usage(&e.to_string()),
    };
    let mut settings = Settings::default();
    let mut fail_on = FailOn::Error;
    let mut exclude = args.exclude.clone();
    let mut force_exclude = false;
    let mut respect_gitignore = true;
    let mut policy_paths = args.policy.clone();
    if let Some(loaded) = loaded {
        let base = config_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        force_exclude = loaded.config.force_exclude;
        respect_gitignore = loaded.config.respect_gitignore.unwrap_or(true);
        policy_paths.extend(loaded.config.policies.iter().map(|p| match &base {
            Some(base) if !Path::new(p).is_absolute() => {
                base.join(p).to_string_lossy().into_owned()
            }
            _ => p.clone(),
        }));
        let (config_fail_on, from_config) = loaded.apply(&mut settings);
        if let Some(f) = config_fail_on {
            fail_on = match f {
                config::FailOn::Error => FailOn::Error,
                config::FailOn::Warning => FailOn::Warning,
                config::FailOn::Info => FailOn::Info,
                config::FailOn::Never => FailOn::Never,
            };
        }
        exclude.extend(
            from_config
                .iter()
                .map(|p| crate::discover::anchor_pattern(p, base.as_deref())),
        );
    } else if !args.isolated && !args.quiet {
        if let Some(other) = config::misnamed(Path::new(".")) {
            eprintln!("warning: found `{}`, but stslint reads only `.stslint.toml` or `stslint.toml` (TOML): rename or convert it", other.display());
        }
    }
    for name in args
        .select
        .iter()
        .chain(&args.extend_select)
        .chain(&args.ignore)
    {
        if !rules::is_known_name(name) {
            return usage(&format!(
                "unknown rule or category `{name}`{}; `stslint rules` lists them",
                rules::did_you_mean(name)
            ));
        }
    }
    if !args.select.is_empty() {
        settings.select = args.select.clone();
    }
    settings
        .extend_select
        .extend(args.extend_select.iter().cloned());
    settings.ignore.extend(args.ignore.iter().cloned());
    settings.enable_opt_in |= args.enable_opt_in;
    settings.no_suppressions = args.no_suppressions;
    if args.namespace.is_some() {
        settings.namespace = args.namespace.clone();
    }
    if let Some(f) = args.fail_on {
        fail_on = f;
    }
    if let Some(v) = &args.kubernetes_version {
        match parse_kubernetes_version(v) {
            Ok(v) => settings.kubernetes_version = v,
            Err(why) => return usage(&format!("invalid --kubernetes-version: {why}")),
        }
    }
    let mut discovery = match Discovery::new(&exclude, args.stdin_filename.clone()) {
        Ok(d) => d,
        Err(e) => return usage(&e.to_string()),
    };
    discovery.force_exclude = args.force_exclude || force_exclude;
    discovery.respect_gitignore = respect_gitignore && !args.no_respect_gitignore;
    discovery.helm = crate::render::HelmValues {
        files: args.values.clone(),
        set: args.set.clone(),
        release: args.release.clone(),
        kube_version: Some(format!(
            "{}.{}.0",
            settings.kubernetes_version.0, settings.kubernetes_version.1
        )),
    };
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    // Values are for a chart named on the command line: said, not ignored, when none is.
    if !args.values.is_empty() || !args.set.is_empty() {
        let chart_named = paths
            .iter()
            .any(|p| crate::render::detect(Path::new(p)) == Some(crate::render::Renderer::Helm));
        if !chart_named {
            return usage("`-f/--values` and `--set` apply to a Helm chart named on the command line (a directory with `Chart.yaml`), and none is");
        }
        if let Some(missing) = args.values.iter().find(|f| !Path::new(f).is_file()) {
            return usage(&format!("values file `{missing}` does not exist"));
        }
    }
    let mut inputs = match discovery.inputs(&paths, false) {
        Ok(inputs) => inputs,
        Err(e) => return usage(&e.to_string()),
    };
    match discovery.inputs(&policy_paths, false) {
        // A policy file that is also linted is read once.
        Ok(policies) => {
            let linted = canonical_files(&inputs);
            inputs.extend(
                policies
                    .into_iter()
                    .filter(|p| canonical_file(p).is_none_or(|p| !linted.contains(&p))),
            );
        }
        Err(e) => return usage(&format!("--policy: {e}")),
    }
    match discovery.inputs(&args.context, true) {
        // A file both linted and given as context is linted, once.
        Ok(context) if !context.is_empty() => {
            let linted = canonical_files(&inputs);
            inputs.extend(
                context
                    .into_iter()
                    .filter(|c| canonical_file(c).is_none_or(|p| !linted.contains(&p))),
            );
        }
        Ok(_) => {}
        Err(e) => return usage(&e.to_string()),
    }
    let baseline = match args.baseline.as_deref().map(baseline::read).transpose() {
        Ok(b) => b,
        Err(e) => return usage(&e),
    };
    let stdin_name = discovery.stdin_name.clone();
    let rendered_names: Vec<String> = discovery
        .rendered
        .borrow()
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    // A report must never overwrite a manifest it reports on.
    let written: Vec<&str> = args
        .output
        .iter()
        .map(|o| o.path.as_str())
        .chain(args.write_baseline.as_deref())
        .collect();
    if let Some(clash) = written_over_input(&written, &inputs) {
        return usage(&format!(
            "refusing to write a report to `{}`: it is one of the files being linted",
            emit::visible(clash, true)
        ));
    }
    let fixing = (args.fix || args.diff).then(|| read_for_fixing(&mut inputs));
    // Kept until findings are located in the revision's templates and bases.
    let mut export = None;
    let previous = match (&args.previous, &args.previous_ref) {
        (Some(path), _) => match discovery.inputs(std::slice::from_ref(path), false) {
            Ok(previous) => Some(previous),
            Err(e) => return usage(&format!("--previous: {e}")),
        },
        (None, Some(rev)) => match crate::revision::inputs_at(&discovery, &paths, rev) {
            Ok((previous, notes, exported)) => {
                for note in notes {
                    eprintln!("warning: {note}");
                }
                export = exported;
                Some(previous)
            }
            Err(e) => return usage(&e),
        },
        (None, None) => None,
    };
    let session = Session::new(settings);
    let mut report = match previous {
        Some(previous) => session.check_against(inputs, previous),
        None => session.check_once(inputs),
    };
    if let Some(fixing) = fixing {
        let level = if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        // Only files on disk that were linted (the fix loop skips context files): never
        // standard input's source or a rendered chart.
        let on_disk = |name: &str| name != stdin_name && !rendered_names.iter().any(|r| r == name);
        let scope = WriteScope::new(&paths);
        let outcome =
            session::fix_until_stable(&fixing.originals, session.settings(), level, report);
        report = outcome.report;
        let mut changed = false;
        let mut fixed = outcome.fixed;
        let mut failures = Vec::new();
        for change in &outcome.changes {
            let name = &fixing.originals[change.index].name;
            if args.diff {
                if on_disk(name) || *name == stdin_name {
                    print(&crate::fix::unified_diff(
                        &emit::visible(name, true),
                        &change.old,
                        &change.new,
                    ));
                    changed = true;
                }
            } else if *name == stdin_name {
                print(&change.new);
            } else if on_disk(name) {
                let file = &fixing.files[change.index];
                let written = match (&file.path, &file.stamp) {
                    (Some(path), Some(stamp)) => scope.check(path).and_then(|()| {
                        let expected = crate::write::Expected {
                            stamp,
                            bytes: change.old.as_bytes(),
                        };
                        crate::write::replace(path, change.new.as_bytes(), Some(expected))
                    }),
                    _ => Err("was not read from a file".to_string()),
                };
                if let Err(why) = written {
                    fixed -= change.fixes;
                    failures.push((name.clone(), why));
                }
            }
        }
        for (name, why) in &outcome.reverted {
            eprintln!(
                "error: the fixes of `{}` were not applied: the fixed text failed its check ({why}); the file is unchanged (please report this bug)",
                emit::visible(name, true)
            );
        }
        for (name, why) in &failures {
            eprintln!(
                "error: cannot write the fixed `{}`: {why}",
                emit::visible(name, true)
            );
        }
        if !args.quiet {
            let remaining = report.diagnostics.len();
            let unsafe_left = report
                .diagnostics
                .iter()
                .filter(|d| {
                    d.fix
                        .as_ref()
                        .is_some_and(|f| f.applicability == Applicability::Unsafe)
                })
                .count();
            let verb = if args.diff { "would fix" } else { "fixed" };
            eprintln!(
                "{verb} {fixed} finding{} ({remaining} remaining{}{})",
                if fixed == 1 { "" } else { "s" },
                if unsafe_left > 0 && !args.unsafe_fixes {
                    format!("; {unsafe_left} fixable with --unsafe-fixes")
                } else {
                    String::new()
                },
                match failures.len() {
                    0 => String::new(),
                    1 => "; 1 file could not be written".to_string(),
                    n => format!("; {n} files could not be written"),
                }
            );
            for template in &outcome.templates {
                eprintln!("note: fixed in the rendered output; the change belongs in the template `{template}`");
            }
        }
        if !failures.is_empty() || !outcome.reverted.is_empty() {
            return EXIT_USAGE;
        }
        if args.diff {
            return if changed { EXIT_FINDINGS } else { EXIT_CLEAN };
        }
        if args.fix
            && outcome
                .changes
                .iter()
                .any(|c| fixing.originals[c.index].name == stdin_name)
        {
            // The fixed text went to stdout: the remaining findings go to stderr.
            eprint!("{}", emit::compact::render(&report));
            if args.exit_zero {
                return EXIT_CLEAN;
            }
            return exit_code(&report, fail_on);
        }
    }
    // The export stays until the end: the human view reads the previous files again from it.
    locate_sources(&mut report, &discovery.rendered.borrow(), export.as_ref());
    // A rendered object's finding in a template or base file the configuration excludes is
    // left out, as the file itself would be.
    report.diagnostics.retain(|d| {
        d.source
            .as_ref()
            .is_none_or(|s| !discovery.excluded(Path::new(&s.path)))
    });
    if let Some(path) = &args.write_baseline {
        return match baseline::write(&report, Path::new(path)) {
            Ok(n) => {
                eprintln!(
                    "wrote {n} finding{} to baseline `{path}`",
                    if n == 1 { "" } else { "s" }
                );
                EXIT_CLEAN
            }
            Err(e) => usage(&format!("cannot write baseline `{path}`: {e}")),
        };
    }
    if let Some(b) = &baseline {
        let applied = baseline::apply(&mut report, b);
        eprintln!(
            "baseline: {} finding{} hidden, {} baseline entr{} no longer occur{}",
            applied.baselined,
            if applied.baselined == 1 { "" } else { "s" },
            applied.stale,
            if applied.stale == 1 { "y" } else { "ies" },
            if applied.stale == 1 { "s" } else { "" }
        );
    }

    let stdout_tty = std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(if stdout_tty {
        Format::Human
    } else {
        Format::Compact
    });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    for output in &args.output {
        let text = render(output.format, &report, false);
        if let Err(e) = crate::write::replace(Path::new(&output.path), text.as_bytes(), None) {
            return usage(&format!("cannot write `{}`: {e}", output.path));
        }
    }
    if args.statistics {
        print(&statistics(&report, format));
    } else {
        print(&render(format, &report, color));
    }
    // The summary goes to standard error, so that standard output stays the findings alone
    // (compact lines for problem matchers, JSON, SARIF): shown for the human view and for
    // compact output, as ruff's concise output ends with its count (a fix run has said what it
    // fixed and what remains).
    if !args.quiet {
        // Charts and kustomizations found walking that could not be rendered: never silence.
        for (dir, why) in discovery.unrendered.borrow().iter() {
            eprintln!("notice: `{dir}` not linted: {why}");
        }
    }
    let compact_summary = format == Format::Compact && !args.fix && !args.diff;
    let written = WRITE_FAILED.with(|f| f.borrow().is_none());
    if (format == Format::Human || compact_summary) && !args.quiet && !args.statistics && written {
        // Compact output is compared in tests and scripts: no time in it.
        let elapsed = (format == Format::Human).then(|| started.elapsed());
        eprint!("{}", emit::human::summary(&report, elapsed));
    }
    let templates = discovery.chart_templates.get();
    if templates > 0 && !args.quiet {
        eprintln!(
            "notice: {templates} file{} in a Helm chart's `templates/` not linted: they are templates, not manifests; name the chart's directory to render and lint it (`stslint check CHART`)",
            if templates == 1 { "" } else { "s" },
        );
    }
    if report.stats.objects == 0 && report.diagnostics.is_empty() && !args.quiet {
        // Nothing was linted: say so rather than pass in silence (a wrong path, a chart
        // directory that needs rendering, only tool configuration).
        let skipped = report.stats.skipped_documents;
        eprintln!(
            "notice: no Kubernetes objects found in {} ({} file{}, {skipped} {}); render charts first: `helm template RELEASE CHART | stslint check -`",
            emit::visible(&paths.join(", "), true),
            report.stats.files,
            if report.stats.files == 1 { "" } else { "s" },
            if skipped == 1 {
                "document that is not an object"
            } else {
                "documents that are not objects"
            },
        );
    }
    for error in &report.internal_errors {
        eprintln!("error: {error} (please report this bug)");
    }
    if !report.internal_errors.is_empty() {
        return EXIT_USAGE;
    }
    let code = if args.exit_zero {
        EXIT_CLEAN
    } else {
        exit_code(&report, fail_on)
    };
    // The process ends here: freeing every file's text and finding one by one would only
    // cost time (a 100 MB run frees hundreds of thousands of allocations).
    std::mem::forget(report);
    code
}

/// The inputs of a `--fix` or `--diff` run, read once: fixes are applied to the text linted,
/// and written only over a file that is still what was read.
struct Fixing {
    originals: Vec<crate::session::Original>,
    files: Vec<FixedFile>,
}

/// Where an input was read from, and what it was then.
struct FixedFile {
    /// The path read (not the name shown, which may be a lossy rendering of it).
    path: Option<std::path::PathBuf>,
    stamp: Option<crate::write::Stamp>,
}

fn read_for_fixing(inputs: &mut [session::Input]) -> Fixing {
    let mut originals = Vec::with_capacity(inputs.len());
    let mut files = Vec::with_capacity(inputs.len());
    for input in inputs.iter_mut() {
        let content = std::mem::replace(&mut input.content, session::Content::Bytes(Vec::new()));
        let path = match &content {
            session::Content::File(path) => Some(path.clone()),
            _ => None,
        };
        let stamp = path
            .as_deref()
            .and_then(|p| crate::write::Stamp::of(p).ok());
        let mut bytes = content.read();
        // Read while another program was writing it: a prefix, perhaps. Never fixed.
        if let (Some(path), Some(stamp), Ok(read)) = (&path, &stamp, &bytes) {
            let now = crate::write::Stamp::of(path).ok();
            if now.as_ref() != Some(stamp) || stamp.size() != read.len() as u64 {
                bytes = Err("changed while it was read: run stslint again".to_string());
            }
        }
        input.content = match &bytes {
            Ok(b) => session::Content::Bytes(b.clone()),
            Err(why) => session::Content::Unreadable(why.clone()),
        };
        originals.push(crate::session::Original {
            name: input.name.clone(),
            content: bytes,
            context_only: input.context_only,
        });
        files.push(FixedFile { path, stamp });
    }
    Fixing { originals, files }
}

/// Which files `--fix` may write: those under a directory named on the command line and the
/// files named there, through links or not. A link met while walking that leads elsewhere is
/// not written through.
struct WriteScope {
    dirs: Vec<std::path::PathBuf>,
    files: Vec<std::path::PathBuf>,
}

impl WriteScope {
    fn new(paths: &[String]) -> WriteScope {
        let mut scope = WriteScope {
            dirs: Vec::new(),
            files: Vec::new(),
        };
        for path in paths.iter().filter(|p| *p != "-") {
            if let Ok(real) = std::fs::canonicalize(path) {
                if real.is_dir() {
                    scope.dirs.push(real);
                } else {
                    scope.files.push(real);
                }
            }
        }
        scope
    }

    fn check(&self, path: &Path) -> Result<(), String> {
        let real = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
        if self.files.contains(&real) || self.dirs.iter().any(|d| real.starts_with(d)) {
            Ok(())
        } else {
            Err(format!(
                "it is a link to `{}`, outside the paths named: not written through",
                emit::visible(&real.display().to_string(), true)
            ))
        }
    }
}

/// The first path a report would be written to that is one of the linted files (the inputs'
/// paths are resolved only when there is a report to write).
fn written_over_input<'a>(written: &[&'a str], inputs: &[session::Input]) -> Option<&'a str> {
    if written.is_empty() {
        return None;
    }
    let linted = canonical_files(inputs);
    written
        .iter()
        .copied()
        .find(|w| std::fs::canonicalize(w).is_ok_and(|p| linted.contains(&p)))
}

/// The real paths of the inputs read from disk.
fn canonical_files(inputs: &[session::Input]) -> std::collections::HashSet<std::path::PathBuf> {
    inputs.iter().filter_map(canonical_file).collect()
}

fn canonical_file(input: &session::Input) -> Option<std::path::PathBuf> {
    match &input.content {
        session::Content::File(path) => std::fs::canonicalize(path).ok(),
        _ => None,
    }
}

/// Points each finding of a rendered chart or kustomization at the source file a human edits:
/// the line of the offending key when the file has it, else the file's first line.
fn locate_sources(
    report: &mut Report,
    rendered: &[(String, crate::render::Rendered)],
    export: Option<&crate::revision::Export>,
) {
    let mut texts: std::collections::HashMap<std::path::PathBuf, Option<String>> =
        std::collections::HashMap::new();
    // Where a field of a rendered object is written in its template or base file.
    let mut locate = |name: &str,
                      helm_source: Option<&str>,
                      path: Option<&str>,
                      span: &std::ops::Range<usize>| {
        let (_, r) = rendered.iter().find(|(n, _)| n == name)?;
        let file = crate::render::source_file(r, helm_source)?;
        let text = texts
            .entry(file.clone())
            .or_insert_with(|| std::fs::read_to_string(&file).ok());
        // On the value in the source too when the finding is on a value in the rendered text
        // (a key is followed by its colon).
        let after = r.text.get(span.end..).unwrap_or_default();
        let on_key = after
            .iter()
            .find(|b| !matches!(b, b'"' | b'\''))
            .is_some_and(|b| *b == b':');
        let (line, column) = text
            .as_deref()
            .map_or((1, 1), |t| crate::render::locate(t, path, !on_key));
        let shown = export
            .and_then(|e| e.display(&file))
            .unwrap_or_else(|| file.display().to_string());
        Some((r.renderer, shown, line as u32, column as u32))
    };
    for d in &mut report.diagnostics {
        let name = &report.files[d.file].name;
        if let Some((renderer, shown, line, column)) =
            locate(name, d.helm_source.as_deref(), d.path.as_deref(), &d.span)
        {
            if renderer == crate::render::Renderer::Kustomize {
                // The origin is relative to a temporary directory: show the real path.
                d.helm_source = Some(shown.clone());
            }
            d.source = Some(crate::diagnostic::SourceLocation {
                path: shown,
                line,
                column,
            });
        }
        for r in &mut d.related {
            let name = &report.files[r.file].name;
            // A place in another rendered object: its template or base, and its field there.
            if r.helm_source.is_none() && r.path.is_none() {
                if let Some((_, rendered)) = rendered.iter().find(|(n, _)| n == name) {
                    let text = String::from_utf8_lossy(&rendered.text);
                    if let Some((source, path)) = crate::render::place_of(&text, r.span.start) {
                        r.helm_source = Some(source);
                        r.path = Some(path);
                    }
                }
            }
            if let Some((_, shown, line, column)) =
                locate(name, r.helm_source.as_deref(), r.path.as_deref(), &r.span)
            {
                r.source = Some(crate::diagnostic::SourceLocation {
                    path: shown,
                    line,
                    column,
                });
            }
        }
    }
}

fn render(format: Format, report: &Report, color: bool) -> String {
    match format {
        Format::Human => emit::human::render(report, color),
        Format::Compact => emit::compact::render(report),
        Format::Json => emit::json::render(report),
        Format::Sarif => emit::sarif::render(report),
        Format::Junit => emit::junit::render(report),
        Format::Github => emit::github::render(report),
        Format::Gitlab => emit::gitlab::render(report),
    }
}

/// Findings per rule, most frequent first.
fn statistics(report: &Report, format: Format) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, Severity)> =
        std::collections::BTreeMap::new();
    for d in &report.diagnostics {
        counts.entry(d.rule).or_insert((0, d.severity)).0 += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    if format == Format::Json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|(rule, (n, sev))| serde_json::json!({"rule": rule, "count": n, "severity": sev.as_str()}))
            .collect();
        return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
    }
    rows.iter()
        .map(|(rule, (n, sev))| format!("{n:>6}  {:<7}  {rule}\n", sev.as_str()))
        .collect()
}

pub fn exit_code(report: &Report, fail_on: FailOn) -> i32 {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return EXIT_CLEAN,
    };
    if report.diagnostics.iter().any(|d| d.severity >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn list_rules(format: ListFormat, project: &[crate::settings::ProjectPolicy]) -> String {
    let registry = rules::registry();
    // `(id, severity, summary)` of each project policy.
    let policies: Vec<(String, &str, String)> = project
        .iter()
        .map(|p| {
            let severity = match p.action {
                crate::settings::PolicyAction::Deny => "error",
                crate::settings::PolicyAction::Warn => "warning",
                crate::settings::PolicyAction::Audit => "info",
            };
            let what = p
                .validations
                .iter()
                .map(|v| v.message.clone().unwrap_or_else(|| v.expression.clone()))
                .collect::<Vec<_>>()
                .join("; ");
            (
                format!("policy:{}", p.name),
                severity,
                format!("policy of this project (.stslint.toml): {what}"),
            )
        })
        .collect();
    match format {
        ListFormat::Json => {
            let mut rules: Vec<serde_json::Value> = registry
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "severity": r.doc.severity, "category": r.doc.category,
                        "enabled": r.doc.enabled, "claim": r.doc.claim, "also_claims": r.doc.also_claims,
                        "summary": r.doc.summary,
                        "invalid": r.doc.invalid, "valid": r.doc.valid, "previous": r.doc.previous,
                    })
                })
                .collect();
            rules.extend(policies.iter().map(|(id, severity, summary)| {
                serde_json::json!({
                    "id": id, "severity": severity, "category": "policy", "enabled": true,
                    "claim": "none", "also_claims": [], "summary": summary,
                    "invalid": null, "valid": null, "previous": null,
                })
            }));
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Text => {
            let width = registry
                .iter()
                .map(|r| r.id.len())
                .chain(policies.iter().map(|(id, _, _)| id.len()))
                .max()
                .unwrap_or(0);
            let mut out: String = registry
                .iter()
                .map(|r| {
                    let on = if r.doc.enabled { "on " } else { "opt" };
                    format!(
                        "{:<width$}  {:<7}  {on}  {}\n",
                        r.id, r.doc.severity, r.doc.summary
                    )
                })
                .collect();
            for (id, severity, summary) in &policies {
                out.push_str(&format!("{id:<width$}  {severity:<7}  on   {summary}\n"));
            }
            out
        }
    }
}

fn rule_doc(rule: &rules::RuleEntry) -> String {
    let d = &rule.doc;
    let mut out = format!(
        "{}\n\n{}\n\nseverity: {}  category: {}  default: {}  since: {}\n\nWhy\n  {}\n\nFix\n  {}\n",
        d.id,
        d.summary,
        d.severity,
        d.category,
        if d.enabled { "on" } else { "opt-in" },
        d.since,
        d.why.replace('\n', "\n  "),
        d.fix
    );
    if let Some(previous) = &d.previous {
        out.push_str(&format!(
            "\nPrevious version (the examples below are compared with it: --previous)\n{}",
            indent(previous)
        ));
    }
    if let Some(invalid) = &d.invalid {
        out.push_str(&format!("\nInvalid\n{}", indent(invalid)));
    }
    if let Some(valid) = &d.valid {
        out.push_str(&format!("\nValid\n{}", indent(valid)));
    }
    if !d.references.is_empty() {
        out.push_str("\nReferences\n");
        for r in &d.references {
            out.push_str(&format!("  {r}\n"));
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}
