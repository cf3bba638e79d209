//! Finding and reading source files: `.txt` files under the given paths, checked
//! to be non-empty UTF-8 text before anything is extracted from them.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A source file read into memory and checked to be UTF-8 text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given or found under a given directory.
    pub path: PathBuf,
    pub text: String,
}

/// Lists the `.txt` files under `paths` (files as given, directories
/// recursively, symlinks to directories not followed), sorted and de-duplicated.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if meta.is_dir() {
            walk(p, &mut out, 0)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Deepest directory nesting followed; deeper trees are an error, not a hang.
const MAX_DEPTH: usize = 64;

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::Input {
            path: dir.to_path_buf(),
            message: format!("directory nesting deeper than {MAX_DEPTH} levels"),
        });
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        children.push(entry.path());
    }
    children.sort();
    for path in children {
        // symlink_metadata: a symlinked directory is not followed (no loops).
        let meta = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        if meta.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
            && (meta.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads `path` and checks it is text: not empty, valid UTF-8 (a UTF-8 BOM is
/// dropped; UTF-16 is recognised by its BOM and refused with a clear message),
/// no NUL bytes.
pub fn read(path: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = decode(&bytes).map_err(|message| Error::Input {
        path: path.to_path_buf(),
        message,
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// Checks and decodes the bytes of a source file; the error says what is wrong
/// and where.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("UTF-16 text (byte-order mark found); convert it to UTF-8".into());
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file (no text to read)".into());
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, col) = line_col(bytes, pos);
        return Err(format!(
            "binary file (NUL byte at line {line}, column {col}, byte {pos}); expected UTF-8 text"
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let pos = e.valid_up_to();
            let (line, col) = line_col(bytes, pos);
            Err(format!(
                "not valid UTF-8 (invalid byte 0x{:02X} at line {line}, column {col}, byte {pos})",
                bytes[pos]
            ))
        }
    }
}

fn line_col(bytes: &[u8], pos: usize) -> (usize, usize) {
    let before = &bytes[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = pos
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn refuses_bad_input_with_place() {
        assert!(decode(b"").unwrap_err().contains("empty"));
        assert!(decode(b"  \n\t").unwrap_err().contains("empty"));
        let e = decode(b"ab\ncd\xFFef").unwrap_err();
        assert!(e.contains("line 2, column 3"), "{e}");
        assert!(decode(b"\x00\x01\x02").unwrap_err().contains("binary"));
        assert!(decode(b"\xFF\xFEa\x00").unwrap_err().contains("UTF-16"));
        assert_eq!(decode(b"\xEF\xBB\xBFRaad").unwrap(), "Raad");
    }
}
