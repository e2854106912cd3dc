//! Writing files without losing them: fixed manifests, baselines and reports. The new text
//! goes to a temporary file beside the target, is synced, then renamed over it, so a full disk,
//! a crash or `kill -9` leaves either the old file or the new one, never a part. A fixed file
//! is first compared with what was linted: a file changed meanwhile (an editor's save, another
//! program rewriting it) is not overwritten.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Set to abort the process once the temporary file is written and synced, before the rename:
/// what `kill -9` at that moment does (`tests/data_safety.rs`).
pub const CRASH_BEFORE_RENAME: &str = "STSLINT_TEST_CRASH_BEFORE_RENAME";

/// Set to a number of milliseconds to wait before a fixed file is checked and written: the
/// window in which `tests/data_safety.rs` changes it, as an editor's save would.
pub const DELAY_WRITE_MS: &str = "STSLINT_TEST_DELAY_WRITE_MS";

/// What a file was when it was read: compared again before writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Stamp {
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        Ok(Stamp::from_metadata(&meta))
    }

    /// The size the file had.
    pub fn size(&self) -> u64 {
        self.len
    }

    fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino()),
        }
    }
}

/// The file as it was linted: its stamp taken before reading, and the bytes read.
pub struct Expected<'a> {
    pub stamp: &'a Stamp,
    pub bytes: &'a [u8],
}

/// Replaces the file at `path` with `bytes`. A symbolic link stays a link: its target is
/// written. With `expected`, the file must still be what was read (stamp and bytes), else it
/// is left alone. Mode and owner are kept. Where a rename cannot work (a file with hard links,
/// a directory stslint cannot write to) the file is written in place, once the space for it
/// is known to be there.
pub fn replace(path: &Path, bytes: &[u8], expected: Option<Expected<'_>>) -> Result<(), String> {
    if let Some(ms) = std::env::var(DELAY_WRITE_MS)
        .ok()
        .and_then(|v| v.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    let target = resolve_link(path)?;
    let meta = match std::fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta),
        Ok(_) => return Err("is not a regular file".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && expected.is_none() => None,
        Err(e) => return Err(e.to_string()),
    };
    // Whether the file is still what was read is checked once, at the last moment: just before
    // the rename, or before writing in place (each check reads the file again).
    let hard_links = meta.as_ref().is_some_and(has_hard_links);
    if !hard_links {
        match via_rename(&target, bytes, meta.as_ref(), expected.as_ref()) {
            Ok(()) => return Ok(()),
            Err(Fallback::InPlace) => {}
            Err(Fallback::Failed(why)) => return Err(why),
        }
    }
    match &meta {
        Some(meta) => in_place(&target, bytes, meta, expected.as_ref()),
        None => Err("cannot create a file in its directory".into()),
    }
}

/// The file a path names, through any symbolic links; the path itself when it is none.
fn resolve_link(path: &Path) -> Result<PathBuf, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)
            .map_err(|e| format!("is a symbolic link whose target cannot be resolved ({e})")),
        _ => Ok(path.to_path_buf()),
    }
}

fn unchanged(path: &Path, expected: &Expected<'_>) -> Result<(), String> {
    let changed = || Err("changed since it was read: not written (run stslint again)".into());
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("was removed since it was read: not written".into())
        }
        Err(e) => return Err(e.to_string()),
    };
    if &Stamp::from_metadata(&meta) != expected.stamp || meta.len() != expected.bytes.len() as u64 {
        return changed();
    }
    // The same size and time can still hide a change made within the clock's resolution.
    let mut now = Vec::with_capacity(expected.bytes.len());
    File::open(path)
        .and_then(|f| f.take(meta.len() + 1).read_to_end(&mut now))
        .map_err(|e| e.to_string())?;
    if now != expected.bytes {
        return changed();
    }
    Ok(())
}

#[cfg(unix)]
fn has_hard_links(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

#[cfg(not(unix))]
fn has_hard_links(_: &std::fs::Metadata) -> bool {
    false
}

enum Fallback {
    /// The rename route is closed (the directory is not writable, the owner cannot be kept).
    InPlace,
    Failed(String),
}

fn via_rename(
    target: &Path,
    bytes: &[u8],
    meta: Option<&std::fs::Metadata>,
    expected: Option<&Expected<'_>>,
) -> Result<(), Fallback> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(format!(".stslint-{}.tmp", std::process::id()));
    let temp = dir.join(name);
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&temp) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && meta.is_some() => {
            return Err(Fallback::InPlace)
        }
        Err(e) => {
            return Err(Fallback::Failed(format!(
                "cannot create a file beside it: {e}"
            )))
        }
    };
    let cleanup = |why: String| {
        let _ = std::fs::remove_file(&temp);
        Fallback::Failed(why)
    };
    if let Some(meta) = meta {
        if let Err(fallback) = keep_mode_and_owner(&file, meta) {
            let _ = std::fs::remove_file(&temp);
            return Err(fallback);
        }
    }
    if let Err(e) = file.write_all(bytes).and_then(|()| file.sync_all()) {
        return Err(cleanup(describe(&e)));
    }
    drop(file);
    if std::env::var_os(CRASH_BEFORE_RENAME).is_some() {
        std::process::abort();
    }
    // The last moment to notice a change made while writing.
    if let Some(expected) = expected {
        if let Err(why) = unchanged(target, expected) {
            return Err(cleanup(why));
        }
    }
    if let Err(e) = std::fs::rename(&temp, target) {
        return Err(cleanup(e.to_string()));
    }
    // The rename itself is durable once the directory is synced.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn keep_mode_and_owner(file: &File, meta: &std::fs::Metadata) -> Result<(), Fallback> {
    use std::os::unix::fs::MetadataExt;
    let own = file
        .metadata()
        .map_err(|e| Fallback::Failed(e.to_string()))?;
    if (own.uid(), own.gid()) != (meta.uid(), meta.gid())
        && std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err()
    {
        // Only the owner's file can keep its owner: write it in place instead.
        return Err(Fallback::InPlace);
    }
    file.set_permissions(meta.permissions())
        .map_err(|e| Fallback::Failed(e.to_string()))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, meta: &std::fs::Metadata) -> Result<(), Fallback> {
    file.set_permissions(meta.permissions())
        .map_err(|e| Fallback::Failed(e.to_string()))
}

/// Rewrites the file itself (its links and inode stay): only once the space the new text
/// needs is free, so that a full disk cannot leave it cut short.
fn in_place(
    target: &Path,
    bytes: &[u8],
    meta: &std::fs::Metadata,
    expected: Option<&Expected<'_>>,
) -> Result<(), String> {
    let mut file = OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| describe(&e))?;
    // Checked before the space is reserved: allocating blocks sets the file's modification
    // time, which would read as a change made by someone else.
    if let Some(expected) = expected {
        unchanged(target, expected)?;
    }
    let growth = (bytes.len() as u64).saturating_sub(meta.len());
    if growth > 0 {
        reserve(&file, bytes.len() as u64)?;
    }
    file.write_all(bytes)
        .and_then(|()| file.set_len(bytes.len() as u64))
        .and_then(|()| file.sync_all())
        .map_err(|e| describe(&e))
}

/// Makes sure `len` bytes of the file have blocks: allocated now where the file system can,
/// else checked against the free space.
#[cfg(unix)]
fn reserve(file: &File, len: u64) -> Result<(), String> {
    use rustix::fs::{fallocate, fstatvfs, FallocateFlags};
    match fallocate(file, FallocateFlags::KEEP_SIZE, 0, len) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::NOSPC) => Err(no_space(len)),
        Err(_) => {
            let stat = fstatvfs(file).map_err(|e| e.to_string())?;
            let free = stat.f_bavail.saturating_mul(stat.f_frsize);
            let have = file.metadata().map_or(0, |m| m.len());
            if free < len.saturating_sub(have) {
                Err(no_space(len))
            } else {
                Ok(())
            }
        }
    }
}

#[cfg(not(unix))]
fn reserve(_: &File, _: u64) -> Result<(), String> {
    Ok(())
}

fn no_space(len: u64) -> String {
    format!("no space left on the device for its {len} bytes: left as it was")
}

fn describe(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(28) {
        "no space left on the device: left as it was".into()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("stslint-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = scratch("changed");
        let path = dir.join("a.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        let stamp = Stamp::of(&path).unwrap();
        std::fs::write(&path, "a: 2\n").unwrap();
        let expected = Expected {
            stamp: &stamp,
            bytes: b"a: 1\n",
        };
        let error = replace(&path, b"a: 3\n", Some(expected)).unwrap_err();
        assert!(error.contains("changed since it was read"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 2\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_mode_and_hard_links_are_kept() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = scratch("links");
        let real = dir.join("real.yaml");
        std::fs::write(&real, "a: 1\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("link.yaml");
        std::os::unix::fs::symlink("real.yaml", &link).unwrap();
        let stamp = Stamp::of(&link).unwrap();
        let expected = Expected {
            stamp: &stamp,
            bytes: b"a: 1\n",
        };
        replace(&link, b"a: 2\n", Some(expected)).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "a: 2\n");
        assert_eq!(std::fs::metadata(&real).unwrap().mode() & 0o777, 0o640);
        // A hard link is written in place: both names still share the new text.
        let other = dir.join("other.yaml");
        std::fs::hard_link(&real, &other).unwrap();
        replace(&real, b"a: 3\n", None).unwrap();
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "a: 3\n");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            3,
            "no temporary file left"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
