//! A source file's text and the byte → line/column mapping every location goes through.

use std::sync::Arc;

/// One input as the user named it: a path as given on the command line, or `-` for stdin.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in findings (relative paths stay relative).
    pub name: String,
    /// `Arc<String>`, not `Arc<str>`: the text read is shared without copying it once more.
    /// Empty for a file on disk once linted (see `excerpt`): [`SourceFile::full_text`] reads
    /// it again.
    pub text: Arc<String>,
    pub lines: LineIndex,
    /// For a file on disk whose text was dropped after linting (`text` is then empty): the
    /// lines findings point at, read again.
    pub excerpt: Option<Arc<Excerpt>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = Arc::new(text.into());
        let lines = LineIndex::new(&text);
        SourceFile {
            name: name.into(),
            text,
            lines,
            excerpt: None,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        match &self.excerpt {
            Some(excerpt) => excerpt.position(&self.lines, offset),
            None => self.lines.position(&self.text, offset),
        }
    }

    /// The start of the line holding `offset` and that whole line, with its line break (empty
    /// when the line was not kept).
    pub fn line_at(&self, offset: usize) -> (usize, &str) {
        match &self.excerpt {
            Some(excerpt) => {
                let (_, start) = self.lines.line_start(offset.min(excerpt.len));
                let line = excerpt
                    .lines
                    .get(&start)
                    .map_or("", |(text, _)| text.as_str());
                (start, line)
            }
            None => {
                let (line, start) = self.lines.line_start(offset.min(self.text.len()));
                let end = self
                    .lines
                    .starts
                    .get(line + 1)
                    .map_or(self.text.len(), |&s| s as usize);
                (start, self.text.get(start..end).unwrap_or_default())
            }
        }
    }

    /// The whole text, read again if it was dropped (the human format shows whole lines
    /// around findings); if it can no longer be read as it was, the lines kept, blank elsewhere.
    pub fn full_text(&self) -> Arc<String> {
        match &self.excerpt {
            Some(excerpt) => Arc::new(
                crate::input::read_file(&excerpt.path)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .filter(|text| text.len() == excerpt.len)
                    .unwrap_or_else(|| excerpt.sketch(&self.lines)),
            ),
            None => self.text.clone(),
        }
    }
}

/// What is kept of a file whose text was dropped: its path, length and the lines findings
/// point at (by their start offset, each with its own index for counting columns).
#[derive(Debug)]
pub struct Excerpt {
    pub path: std::path::PathBuf,
    pub len: usize,
    lines: std::collections::BTreeMap<usize, (String, LineIndex)>,
}

impl Excerpt {
    /// Reads the lines holding `offsets` from `path` (`len` bytes, indexed by `index`), line
    /// by line: a 100 MB file is not read whole for a few findings.
    pub fn read(
        path: &std::path::Path,
        len: usize,
        index: &LineIndex,
        offsets: impl IntoIterator<Item = usize>,
    ) -> std::io::Result<Excerpt> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(path)?;
        let starts: std::collections::BTreeSet<(usize, usize)> = offsets
            .into_iter()
            .map(|offset| index.line_start(offset.min(len)))
            .collect();
        let mut lines = std::collections::BTreeMap::new();
        for (line, start) in starts {
            let end = index.starts.get(line + 1).map_or(len, |&s| s as usize);
            let mut bytes = vec![0; end - start];
            file.seek(SeekFrom::Start(start as u64))?;
            file.read_exact(&mut bytes)?;
            let text = String::from_utf8(bytes).map_err(std::io::Error::other)?;
            let line_index = LineIndex::new(&text);
            lines.insert(start, (text, line_index));
        }
        Ok(Excerpt {
            path: path.to_path_buf(),
            len,
            lines,
        })
    }

    /// A text of the file's length and lines: the lines kept, spaces elsewhere.
    fn sketch(&self, index: &LineIndex) -> String {
        let mut bytes = vec![b' '; self.len];
        for &start in index.starts.iter().skip(1) {
            if let Some(b) = bytes.get_mut(start as usize - 1) {
                *b = b'\n';
            }
        }
        let mut text = String::from_utf8(bytes).unwrap_or_default();
        for (&start, (line, _)) in &self.lines {
            if start + line.len() <= text.len() {
                text.replace_range(start..start + line.len(), line);
            }
        }
        text
    }

    fn position(&self, index: &LineIndex, offset: usize) -> Position {
        let offset = offset.min(self.len);
        let (line, start) = index.line_start(offset);
        let column = self
            .lines
            .get(&start)
            .map_or(Position::FIRST, |(text, own)| {
                own.position(text, offset - start)
            });
        Position {
            line: line as u32 + 1,
            ..column
        }
    }
}

/// A 1-based position; `column` counts characters, `column_utf16` UTF-16 code units
/// (what SARIF and LSP clients count by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub column_utf16: u32,
}

impl Position {
    /// Line 1, column 1.
    pub const FIRST: Position = Position {
        line: 1,
        column: 1,
        column_utf16: 1,
    };
}

/// Byte offsets of line starts. A line ends at `\n`; a `\r` before it is not counted as a
/// column, so CRLF files give the same positions as LF ones.
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    /// `u32`: inputs are capped far below 4 GiB, and a 100 MB file has millions of lines.
    starts: Vec<u32>,
    bom: bool,
    /// For each long line a position was asked on (by its start): the characters and
    /// four-byte characters before each `LONG_LINE` block of it. A position then counts at most
    /// one block, in whatever order findings and their related places come: 1,000 findings on
    /// one 1 MB line cost one pass over it, not 1,000.
    blocks: Arc<std::sync::Mutex<BlockSums>>,
}

/// Per long line (by its start), the counts before each of its blocks.
type BlockSums = std::collections::HashMap<usize, Vec<(usize, usize)>>;

/// Lines longer than this are counted by blocks of this size.
const LONG_LINE: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut index = LineIndex {
            starts: vec![0],
            bom: text.starts_with('\u{feff}'),
            blocks: Default::default(),
        };
        index.extend(text, 0);
        index
    }

    /// Whether the file starts with a byte-order mark (read batch by batch: known from the first).
    pub fn set_bom(&mut self, bom: bool) {
        self.bom = bom;
    }

    /// Adds the lines of `text`, the part of the file from byte `base` on (a file read batch
    /// by batch).
    pub fn extend(&mut self, text: &str, base: usize) {
        newlines(text.as_bytes(), |i| self.starts.push((base + i + 1) as u32));
    }

    /// The byte range of the line holding `offset` (without its `\n`).
    pub fn line_bounds(&self, text: &str, offset: usize) -> std::ops::Range<usize> {
        let (line, start) = self.line_start(offset.min(text.len()));
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize - 1);
        start..end
    }

    /// The 1-based line holding `offset` (the text is not needed).
    pub fn line(&self, offset: usize) -> u32 {
        self.line_start(offset).0 as u32 + 1
    }

    /// The 0-based line holding `offset` and the offset it starts at.
    pub fn line_start(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s as usize <= offset) - 1;
        (line, self.starts[line] as usize)
    }

    /// The offset the 0-based `line` starts at.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|&s| s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let (line, mut start) = self.line_start(offset);
        if line == 0 && self.bom {
            // Editors do not show the byte-order mark: column 1 is the first visible character
            // (and the mark itself).
            if offset < 3 {
                return Position::FIRST;
            }
            start = 3;
        }
        // A position inside a multi-byte character is moved back to its start.
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &text[start..end];
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        // Counted over bytes (a loop the compiler vectorises): findings on one long line
        // (minified JSON) each count the line up to their column, so this must be cheap.
        let count = |bytes: &[u8]| {
            let chars = bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            // A character of four UTF-8 bytes is two UTF-16 units.
            let astral = bytes.iter().filter(|&&b| b >= 0xF0).count();
            (chars, astral)
        };
        let line_end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize);
        let end_of_prefix = start + prefix.len();
        let (chars, astral) = if line_end - start > LONG_LINE {
            let block = (end_of_prefix - start) / LONG_LINE;
            let before = self.blocks.lock().ok().map(|mut blocks| {
                blocks
                    .entry(start)
                    .or_insert_with(|| {
                        let line = &text.as_bytes()[start..line_end];
                        let mut sums = vec![(0, 0)];
                        for chunk in line.chunks(LONG_LINE) {
                            let (c, a) = count(chunk);
                            let &(pc, pa) = sums.last().unwrap_or(&(0, 0));
                            sums.push((pc + c, pa + a));
                        }
                        sums
                    })
                    .get(block)
                    .copied()
            });
            match before.flatten() {
                Some((c, a)) => {
                    let (dc, da) =
                        count(&text.as_bytes()[start + block * LONG_LINE..end_of_prefix]);
                    (c + dc, a + da)
                }
                None => count(prefix.as_bytes()),
            }
        } else {
            count(prefix.as_bytes())
        };
        Position {
            line: (line + 1) as u32,
            column: chars as u32 + 1,
            column_utf16: (chars + astral) as u32 + 1,
        }
    }
}

/// Offsets of the `\n`s, eight bytes at a time (most words of a manifest hold none): the line
/// index of a 100 MB file is built in one fast pass.
fn newlines(bytes: &[u8], mut found: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let x = u64::from_le_bytes(word.try_into().unwrap_or_default()) ^ (ONES * u64::from(b'\n'));
        // A zero byte in `x` is a newline in `word`.
        if x.wrapping_sub(ONES) & !x & HIGH != 0 {
            for (i, &b) in word.iter().enumerate() {
                if b == b'\n' {
                    found(w * 8 + i);
                }
            }
        }
    }
    let at = bytes.len() - tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if b == b'\n' {
            found(at + i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_found_wherever_they_fall_in_a_word() {
        let text: Vec<u8> = (0..300u32)
            .map(|i| {
                if i % 7 == 0 || i % 11 == 3 {
                    b'\n'
                } else {
                    b'a' + (i % 26) as u8
                }
            })
            .collect();
        for start in 0..9 {
            let bytes = &text[start..];
            let mut found = Vec::new();
            newlines(bytes, |i| found.push(i));
            let expected: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').collect();
            assert_eq!(found, expected);
        }
    }

    /// A file whose text was dropped answers every position from its excerpt as it would from
    /// the whole text: BOM, CRLF, multi-byte characters, a long line, the end of the file.
    #[test]
    fn positions_from_an_excerpt_match_the_whole_text() {
        let long = format!("{{\"k\": \"{}é😀\", \"x\": 1}}", "v".repeat(5000));
        let text = format!("\u{feff}a: 1\r\nb: \"é😀x\"\r\n{long}\nlast: 2");
        let dir = std::env::temp_dir().join(format!("stslint-excerpt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.yaml");
        std::fs::write(&path, &text).unwrap();
        let whole = SourceFile::new("f.yaml", text.as_str());
        let offsets: Vec<usize> = (0..=text.len()).collect();
        let mut dropped = SourceFile::new("f.yaml", "");
        dropped.lines = LineIndex::new(&text);
        dropped.excerpt = Some(Arc::new(
            Excerpt::read(&path, text.len(), &dropped.lines, offsets.iter().copied()).unwrap(),
        ));
        for &offset in &offsets {
            assert_eq!(
                dropped.position(offset),
                whole.position(offset),
                "offset {offset}"
            );
            assert_eq!(dropped.line_at(offset), whole.line_at(offset));
        }
        assert_eq!(dropped.full_text().as_str(), text);
        // Gone: the lines kept, in place.
        let mut gone = SourceFile::new("f.yaml", "");
        gone.lines = LineIndex::new(&text);
        let excerpt = Excerpt::read(&path, text.len(), &gone.lines, [6]).unwrap();
        gone.excerpt = Some(Arc::new(Excerpt {
            path: dir.join("gone.yaml"),
            ..excerpt
        }));
        let sketch = gone.full_text();
        assert_eq!(sketch.len(), text.len());
        assert_eq!(sketch.lines().next(), text.lines().next());
        assert_eq!(sketch.matches('\n').count(), text.matches('\n').count());
        // A line no finding points at was not read: column 1 of its line, not a wrong column.
        let mut sparse = SourceFile::new("f.yaml", "");
        sparse.lines = LineIndex::new(&text);
        sparse.excerpt = Some(Arc::new(
            Excerpt::read(&path, text.len(), &sparse.lines, [0]).unwrap(),
        ));
        let last = text.find("last").unwrap() + 3;
        assert_eq!(
            sparse.position(last),
            Position {
                line: 4,
                column: 1,
                column_utf16: 1
            }
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let text = "a: 1\r\nb: \"é😀x\"\n";
        let file = SourceFile::new("t.yaml", text);
        assert_eq!(
            file.position(0),
            Position {
                line: 1,
                column: 1,
                column_utf16: 1
            }
        );
        let x = text.find('x').unwrap();
        assert_eq!(
            file.position(x),
            Position {
                line: 2,
                column: 7,
                column_utf16: 8
            }
        );
        // The CR of a CRLF line end is not a column.
        assert_eq!(file.position(5).column, 5);
    }

    #[test]
    fn bom_is_not_a_column() {
        let file = SourceFile::new("t.yaml", "\u{feff}kind: Pod\n");
        assert_eq!(file.position(3).column, 1);
        assert_eq!(file.position(9).column, 7);
    }

    #[test]
    fn positions_on_a_long_line_in_any_order_match_a_full_count() {
        let line: String = (0..3000)
            .map(|i| {
                if i % 7 == 0 {
                    "é😀x".to_string()
                } else {
                    format!("k{i}, ")
                }
            })
            .collect();
        let text = format!("first\n{line}\nlast\n");
        let index = LineIndex::new(&text);
        let fresh = |offset: usize| {
            let start = 6;
            let prefix = &text[start..offset];
            (
                prefix.chars().count() as u32 + 1,
                prefix.encode_utf16().count() as u32 + 1,
            )
        };
        let mut offsets: Vec<usize> = (6..6 + line.len())
            .filter(|&o| text.is_char_boundary(o))
            .step_by(97)
            .collect();
        offsets.extend(offsets.clone().into_iter().rev());
        for offset in offsets {
            let p = index.position(&text, offset);
            assert_eq!(
                (p.line, p.column, p.column_utf16),
                (2, fresh(offset).0, fresh(offset).1),
                "offset {offset}"
            );
        }
    }
}
