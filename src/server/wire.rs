//! What the protocol's coordinates are in ours: URIs ↔ paths, LSP positions ↔ byte offsets.
//! Positions go through the file's [`LineIndex`](crate::source::LineIndex), as every other
//! output does: one binary search per offset, never a count of newlines from the start.

use crate::source::SourceFile;
use lsp_types as lsp;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The path a `file:` URI names, its percent-escapes decoded to bytes (a name need not be
/// UTF-8).
pub fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let text = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/x` and `file:///x` name the same file.
    let text = text.strip_prefix("localhost").unwrap_or(text);
    if !text.starts_with('/') {
        return None;
    }
    Some(path_from_bytes(percent_decode(text)))
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// A `file:` URI for `path`: every byte outside RFC 3986's `pchar` (and `/`) percent-encoded,
/// so any name (`josé/`, `[a]`, `{x}`, `"`) makes a valid URI.
pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let bytes = path_bytes(path);
    let mut encoded = String::with_capacity(bytes.len() + 8);
    encoded.push_str("file://");
    for &b in bytes.iter() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        if keep {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    encoded.parse().ok()
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(path.to_string_lossy().into_owned().into_bytes())
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// A byte span as an LSP range, in UTF-16 code units or bytes as negotiated.
pub fn range(source: &SourceFile, span: &Range<usize>, utf8: bool) -> lsp::Range {
    lsp::Range {
        start: position(source, span.start, utf8),
        end: position(source, span.end, utf8),
    }
}

pub fn position(source: &SourceFile, offset: usize, utf8: bool) -> lsp::Position {
    let text: &str = &source.text;
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (line, start) = source.lines.line_start(offset);
    let character = if utf8 {
        offset - start
    } else {
        // Counted by the index (long lines in blocks), less the byte-order mark it hides.
        let at = source.lines.position(text, offset);
        let bom = usize::from(line == 0 && text.starts_with('\u{feff}') && offset >= 3);
        let crlf = usize::from(text[start..offset].ends_with('\r'));
        at.column_utf16 as usize - 1 + bom + crlf
    };
    lsp::Position {
        line: line as u32,
        character: character as u32,
    }
}

/// An LSP position as a byte offset into the text, always on a character boundary: a
/// position inside a character (a UTF-8 client may send one) moves back to its start.
pub fn offset(source: &SourceFile, position: lsp::Position, utf8: bool) -> usize {
    let text: &str = &source.text;
    let Some(line_start) = source.lines.start_of(position.line as usize) else {
        return text.len();
    };
    let line_end = source
        .lines
        .start_of(position.line as usize + 1)
        .map_or(text.len(), |s| s - 1);
    let line = &text[line_start.min(text.len())..line_end.max(line_start).min(text.len())];
    if utf8 {
        let mut at = (position.character as usize).min(line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        return line_start + at;
    }
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_utf16_and_utf8() {
        let source = SourceFile::new("x.yaml", "a: é😀x\nb: 1\n");
        let text: &str = &source.text;
        let at_x = text.find('x').unwrap();
        let at = |line, character| lsp::Position { line, character };
        assert_eq!(position(&source, at_x, false), at(0, 6));
        assert_eq!(position(&source, at_x, true), at(0, 9));
        assert_eq!(offset(&source, at(0, 6), false), at_x);
        assert_eq!(offset(&source, at(1, 3), true), text.find('1').unwrap());
        // Inside `é` and inside `😀`, in bytes: back to the character's start.
        assert_eq!(offset(&source, at(0, 4), true), 3);
        assert_eq!(offset(&source, at(0, 7), true), 5);
        assert_eq!(offset(&source, at(9, 0), true), text.len());
    }

    #[test]
    fn uris_round_trip_any_name() {
        for name in [
            "/tmp/a b/c#d.yaml",
            "/srv/josé/[a]{b}\"c\".yaml",
            "/x/100%.yaml",
        ] {
            let uri = uri_of(Path::new(name)).unwrap();
            assert!(uri.as_str().is_ascii(), "{}", uri.as_str());
            assert_eq!(path_of(&uri).unwrap(), Path::new(name));
        }
        let sent: lsp::Uri = "file:///srv/jos%C3%A9/a.yaml".parse().unwrap();
        assert_eq!(path_of(&sent).unwrap(), Path::new("/srv/josé/a.yaml"));
    }
}
