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
const MAX_DEPTH: usize = 256;

/// Largest source file read. Policy documents are kilobytes to a few
/// megabytes; a larger `.txt` file is a dump or a mistake, and reading it
/// whole would cost memory out of proportion.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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
            && (meta.is_file()
                // A link to a file is read; a broken or looping link is kept
                // so that reading it reports why.
                || (meta.is_symlink() && std::fs::metadata(&path).map_or(true, |m| m.is_file())))
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
    let bytes = read_bytes(path)?;
    let text = decode(&bytes).map_err(|message| Error::Input {
        path: path.to_path_buf(),
        message,
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        text,
    })
}

/// The bytes of a source file, refusing files over [`MAX_FILE_BYTES`] before
/// reading them, and anything but a regular file (opening a FIFO named on the
/// command line would wait for a writer forever; a device may never end).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let kind = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !kind.is_file() {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: "not a regular file (a FIFO, socket or device); expected a text file".into(),
        });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "file of {:.1} MiB is larger than the {} MiB a source document may have; split it into documents",
                size as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// Checks and decodes the bytes of a source file: UTF-8 (a BOM is dropped),
/// or UTF-16 with its byte-order mark. The error says what is wrong and where.
pub fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(u16::from_le_bytes as fn([u8; 2]) -> u16)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(u16::from_be_bytes as fn([u8; 2]) -> u16)
    } else {
        None
    };
    if let Some(unit) = utf16 {
        let body = &bytes[2..];
        if body.len() % 2 == 1 {
            return Err("UTF-16 text with an odd number of bytes (truncated file?)".into());
        }
        let units = body.chunks_exact(2).map(|c| unit([c[0], c[1]]));
        let mut text = String::with_capacity(body.len() / 2);
        for (i, c) in char::decode_utf16(units).enumerate() {
            match c {
                Ok(c) => text.push(c),
                Err(e) => {
                    return Err(format!(
                        "not valid UTF-16 (unpaired surrogate 0x{:04X} at byte {})",
                        e.unpaired_surrogate(),
                        2 + 2 * i
                    ));
                }
            }
        }
        return check_text(text.as_bytes()).map(|()| text);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    check_text(bytes)?;
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

/// Refuses text that is empty or holds NUL bytes (a binary file).
fn check_text(bytes: &[u8]) -> std::result::Result<(), String> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file (no text to read)".into());
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, col) = line_col(bytes, pos);
        return Err(format!(
            "binary file (NUL byte at line {line}, column {col}, byte {pos}); expected UTF-8 text"
        ));
    }
    Ok(())
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
        assert_eq!(decode(b"\xFF\xFER\x00a\x00a\x00d\x00").unwrap(), "Raad");
        assert_eq!(decode(b"\xFE\xFF\x00R\x00\xE5\x00d").unwrap(), "Råd");
        assert!(decode(b"\xFF\xFEa\x00b").unwrap_err().contains("odd"));
        assert!(
            decode(b"\xFF\xFE\x00\xD8a\x00")
                .unwrap_err()
                .contains("surrogate")
        );
        assert!(decode(b"\xFF\xFE\x00\x00").unwrap_err().contains("binary"));
        assert_eq!(decode(b"\xEF\xBB\xBFRaad").unwrap(), "Raad");
    }
}
