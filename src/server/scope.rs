//! Which configuration governs which file: each file gets the `.stslint.toml` nearest it (or
//! the one `stslint server --config` names, or none with `--isolated`), and the files of one
//! configuration are linted together, as `stslint check` run beside that file would lint them.
//! A multi-root workspace, or a repository with a configuration per application, gets each
//! its own settings and exclusions.

use crate::config::{ConfigError, Source};
use crate::session::{Report, Session};
use crate::settings::Settings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One configuration and its sessions.
pub struct Scope {
    /// The configuration file; `None`: the defaults.
    pub config: Option<PathBuf>,
    pub discovery: crate::discover::Discovery,
    /// Why the configuration cannot be read: the defaults apply meanwhile.
    pub error: Option<ConfigError>,
    /// The configuration's settings and per-file results for the documents' lint (unopened
    /// files as context).
    pub session: Session,
    /// The same for `workspace/diagnostic`, which reports on every file.
    pub workspace_session: Session,
}

impl Scope {
    fn load(config: Option<PathBuf>) -> Scope {
        let (settings, discovery, error) = match crate::config::settings_for(config.as_deref()) {
            Ok((settings, discovery)) => (settings, discovery, None),
            Err(e) => (
                Settings::default(),
                crate::discover::Discovery::new(&[], None).expect("no patterns cannot fail"),
                Some(e),
            ),
        };
        Scope {
            config,
            discovery,
            error,
            session: Session::new(settings.clone()),
            workspace_session: Session::new(settings),
        }
    }
}

/// Every configuration met so far, and which one each directory gets.
pub struct Scopes {
    source: Source,
    pub all: Vec<Scope>,
    /// By directory: the index into `all` of the configuration its files get.
    by_dir: HashMap<PathBuf, usize>,
}

impl Scopes {
    pub fn new(source: Source) -> Scopes {
        Scopes {
            source,
            all: Vec::new(),
            by_dir: HashMap::new(),
        }
    }

    /// Forgets every configuration (one changed): they are read again as files need them.
    pub fn reload(&mut self) {
        self.all.clear();
        self.by_dir.clear();
    }

    /// The scope of the files in `dir`, reading its configuration the first time.
    pub fn for_dir(&mut self, dir: &Path) -> usize {
        if let Some(&index) = self.by_dir.get(dir) {
            return index;
        }
        let config = match &self.source {
            Source::Nearest => crate::config::discover(dir),
            Source::File(path) => Some(path.clone()),
            Source::Isolated => None,
        };
        let index = match self.all.iter().position(|s| s.config == config) {
            Some(index) => index,
            None => {
                self.all.push(Scope::load(config));
                self.all.len() - 1
            }
        };
        self.by_dir.insert(dir.to_path_buf(), index);
        index
    }

    /// The scope of `path` (a file), reading its configuration the first time.
    pub fn for_file(&mut self, path: &Path) -> usize {
        self.for_dir(path.parent().unwrap_or(Path::new("/")))
    }

    /// The scope of `path` as already known; `None` before [`Scopes::for_file`] met it.
    pub fn known(&self, path: &Path) -> Option<&Scope> {
        let dir = path.parent()?;
        self.by_dir.get(dir).map(|&i| &self.all[i])
    }
}

/// Appends `other`'s files, findings and objects to `report`, renumbering its files after
/// those `report` has: the scopes' reports make one for the workspace.
pub fn append(report: &mut Report, other: Report) {
    let offset = report.files.len();
    report.files.extend(other.files);
    report.context.extend(other.context);
    report.internal_errors.extend(other.internal_errors);
    report.objects.extend(
        other
            .objects
            .into_iter()
            .map(|(file, o)| (file + offset, o)),
    );
    report
        .diagnostics
        .extend(other.diagnostics.into_iter().map(|mut d| {
            d.file += offset;
            for related in &mut d.related {
                related.file += offset;
            }
            d
        }));
    report.stats.files += other.stats.files;
    report.stats.documents += other.stats.documents;
    report.stats.objects += other.stats.objects;
    report.stats.skipped_documents += other.stats.skipped_documents;
}
