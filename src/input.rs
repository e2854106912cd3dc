//! What is linted, and how a file is read: below the engine (`lint`) and the discovery of
//! paths (`discover`), which both use it. Every read is bounded, whatever is on disk or in a
//! pipe.

use std::io::Read;
use std::path::Path;

/// Files larger than this are reported, not read: bounded memory whatever is on disk or in a
/// pipe (a 100 MB rendered repository fits).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// One input: its name as shown in findings and its content.
#[derive(Debug)]
pub struct Input {
    pub name: String,
    pub content: Content,
    /// Loaded only to resolve references (`--context`): its own findings are not reported.
    pub context_only: bool,
}

#[derive(Debug, Clone)]
pub enum Content {
    /// Read already: standard input, a rendered chart, an editor's buffer.
    Bytes(Vec<u8>),
    /// A file read when it is linted, not before, so that a directory's files are not all
    /// held at once. A regular file's text is dropped after linting and read again, for the
    /// files findings point at, once the cross-object rules are done.
    File(std::path::PathBuf),
    /// Why it could not be read.
    Unreadable(String),
    /// Read already and shared with its owner (the language server's copy of a workspace
    /// file): a session re-linting after a keystroke neither copies nor hashes it again.
    Shared(std::sync::Arc<str>),
}

impl Content {
    /// The bytes, read now for a file.
    pub fn read(self) -> Result<Vec<u8>, String> {
        match self {
            Content::Bytes(bytes) => Ok(bytes),
            Content::File(path) => read_file(&path),
            Content::Unreadable(reason) => Err(reason),
            Content::Shared(text) => Ok(text.as_bytes().to_vec()),
        }
    }
}

/// A file's bytes, within the size limit whatever its kind.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err("is a directory".to_string()),
        Ok(m) if m.len() > MAX_FILE_BYTES => Err(format!(
            "{} bytes is larger than the {MAX_FILE_BYTES}-byte limit",
            m.len()
        )),
        // The reported size is 0 for devices, pipes and process substitution (`<(yes)`): read
        // with the cap whatever the metadata says.
        Ok(m) => read_capped(path, m.len()),
        Err(e) => Err(describe_io(&e)),
    }
}

fn read_capped(path: &Path, size: u64) -> Result<Vec<u8>, String> {
    let mut file = std::fs::File::open(path).map_err(|e| describe_io(&e))?;
    // The whole file in one allocation of its size (a capped reader gives `read_to_end` no
    // size hint: a 50 MB file would grow a 64 MiB buffer by doubling).
    let mut bytes = Vec::with_capacity(size.min(MAX_FILE_BYTES) as usize + 1);
    // A NUL in the first 8 KiB makes it a binary file (`/dev/zero`, `/dev/urandom`): that
    // prefix is all the linter needs to say so.
    (&mut file)
        .take(8192)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.contains(&0) {
        return Ok(bytes);
    }
    file.take(MAX_FILE_BYTES + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| describe_io(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "more than {MAX_FILE_BYTES} bytes (a device or an endless stream?): not read further"
        ));
    }
    Ok(bytes)
}

/// An I/O error in words.
pub fn describe_io(error: &std::io::Error) -> String {
    // ELOOP: the OS's "too many levels of symbolic links" is a loop in practice.
    if error.raw_os_error() == Some(40) {
        "symlink loop".to_string()
    } else {
        error.to_string()
    }
}
