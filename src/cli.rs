//! Command-line arguments (clap derive).

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "stslint",
    version,
    about = "A linter for Kubernetes stateful workloads: StatefulSets, their Services, claims and Helm hooks."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint rendered manifests (files, directories, or `-` for stdin).
    Check(Box<CheckArgs>),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show one rule's documentation and examples.
    Rule { id: String },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `stslint man > stslint.1`.
    Man,
    /// Run the language server on stdin/stdout (for editors).
    Server {
        /// Read this configuration file instead of the `.stslint.toml` nearest each
        /// workspace folder.
        #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
        config: Option<std::path::PathBuf>,
        /// Ignore configuration files: every rule at its defaults.
        #[arg(long)]
        isolated: bool,
    },
    /// Benchmark floor: read and parse PATHS as `check` does, build nothing, check nothing.
    #[command(hide = true)]
    ParseFloor { paths: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Compact,
    Json,
    Sarif,
    Junit,
    Github,
    /// GitLab Code Quality report (`artifacts: reports: codequality`).
    Gitlab,
}

/// `--output FORMAT=PATH`: one more report, written to a file.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub format: Format,
    pub path: String,
}

fn parse_output(text: &str) -> Result<OutputFile, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or("expected FORMAT=PATH, e.g. sarif=stslint.sarif")?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}`: human, compact, json, sarif, junit, github or gitlab")
    })?;
    if path.is_empty() {
        return Err("the PATH after `=` is empty".into());
    }
    Ok(OutputFile {
        format,
        path: path.to_string(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
// A later `--format` wins over an earlier one (a hook's entry sets one, its args may change it).
#[command(args_override_self = true)]
pub struct CheckArgs {
    /// Files and directories to lint; `-` reads standard input. Default: `.`.
    pub paths: Vec<String>,
    /// Output format (default: human on a terminal, compact otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write a report in FORMAT to PATH (repeatable), e.g. `--output sarif=stslint.sarif`.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub output: Vec<OutputFile>,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Exit 1 when a finding at or above this severity remains [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Read the configuration from this file instead of the nearest `.stslint.toml`.
    #[arg(long, value_name = "PATH")]
    pub config: Option<String>,
    /// Ignore every configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Files or directories whose objects resolve references but are not reported on
    /// (repeatable): e.g. the rest of the chart when pre-commit passes only staged files.
    #[arg(long, value_name = "PATH")]
    pub context: Vec<String>,
    /// Files or directories of ValidatingAdmissionPolicies with their bindings and params, and
    /// CustomResourceDefinitions, to check every object against as the API server would
    /// (repeatable); linted with the rest. Policies among the linted files apply too.
    #[arg(long, value_name = "PATH")]
    pub policy: Vec<String>,
    /// Skip paths matching this glob when walking directories (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Name used for standard input in findings.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Run only these rules or categories (repeatable or comma-separated; `all` for every
    /// rule, opt-in included).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Run these rules or categories in addition to the others (repeatable or
    /// comma-separated; opt-in included).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Never run these rules or categories (repeatable or comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Also run the opt-in rules.
    #[arg(long)]
    pub enable_opt_in: bool,
    /// Namespace that objects without `metadata.namespace` are applied to.
    #[arg(long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Kubernetes version to check removed APIs against, e.g. 1.29.
    #[arg(long, value_name = "X.Y")]
    pub kubernetes_version: Option<String>,
    /// Record the current findings in FILE (by fingerprint, not line) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<String>,
    /// Report only findings that FILE (written by --write-baseline) does not record.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<String>,
    /// Report suppressed findings too (for audits).
    #[arg(long)]
    pub no_suppressions: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 0 even when findings remain (usage and internal errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print findings only: no summary line and no notices.
    #[arg(short, long)]
    pub quiet: bool,
    /// Apply `exclude` to files named on the command line too, as pre-commit names each file.
    #[arg(long)]
    pub force_exclude: bool,
    /// Walk into what `.gitignore` files ignore too (left out by default).
    #[arg(long)]
    pub no_respect_gitignore: bool,
    /// Values file for charts named by their directory (`helm template -f`; repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// A value for charts named by their directory (`helm template --set`; repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Release name charts are rendered with (default `release`).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
    /// Apply the safe fixes to the linted files (standard input: print the fixed text), then
    /// report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix` or `--diff`, apply the unsafe fixes too (they change behaviour).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit 1 when there would be changes.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Compare with a previous render (a file or directory): report the changes the API server
    /// will refuse on upgrade, and those that lose data (rules of category `upgrade`).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["fix", "diff"])]
    pub previous: Option<String>,
    /// Compare with the same PATHS at git revision REV (`HEAD`, `origin/main`, or
    /// `origin/main...` for the merge base with HEAD); a path missing at REV is new.
    #[arg(long, value_name = "REV", conflicts_with_all = ["previous", "fix", "diff"])]
    pub previous_ref: Option<String>,
}
