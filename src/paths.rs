//! Paths as exact bytes. On Unix a file name is bytes, not text: the catalog stores them as
//! BLOBs and gets back exactly what the OS gave. Two other forms exist, both derived:
//!
//! - display: for people and terminals. Invalid UTF-8 bytes become `\xNN` and control
//!   characters are escaped (`\n`, `\e`, `\u{9b}`...), so a hostile name cannot drive the terminal.
//! - export: the UTF-8 path when the bytes are valid UTF-8; otherwise the display form plus the
//!   exact bytes in hex (`path_hex`), which `decode_hex` turns back into the original.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The exact bytes of a path.
pub fn to_bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_bytes()
}

/// A path from its exact bytes.
pub fn from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(b))
}

/// A path borrowed from its exact bytes.
pub fn as_path(b: &[u8]) -> &Path {
    Path::new(OsStr::from_bytes(b))
}

/// Whether `inner` is the folder `outer` or a path below it, by whole components (`/m/TV2`
/// is not below `/m/TV`; a trailing slash changes nothing; `/` holds every absolute path).
pub fn within(inner: &[u8], outer: &[u8]) -> bool {
    as_path(inner).starts_with(as_path(outer))
}

/// Whether two paths name one file: hard links of each other (or one path twice), the same
/// device and inode. `false` when either cannot be read.
pub fn same_file(a: &[u8], b: &[u8]) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::symlink_metadata(as_path(a)),
        std::fs::symlink_metadata(as_path(b)),
    ) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Joins a root and a relative path given as bytes.
pub fn join(root: &[u8], rel: &[u8]) -> PathBuf {
    from_bytes(root).join(from_bytes(rel))
}

/// The path as text safe to print: invalid UTF-8 as `\xNN`, control characters escaped.
pub fn display(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        escape_str_into(chunk.valid(), &mut out);
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// `display` for a `Path`.
pub fn show(p: &Path) -> String {
    display(to_bytes(p))
}

/// Escapes control characters (C0, DEL, C1) and the backslash-free rest passes through.
pub(crate) fn escape_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_str_into(s, &mut out);
    out
}

fn escape_str_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
}

/// The exact text of a path when it is valid UTF-8.
pub(crate) fn as_utf8(b: &[u8]) -> Option<&str> {
    std::str::from_utf8(b).ok()
}

/// Lower-case hex of bytes.
pub fn hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}

/// Bytes back from hex; `None` for odd length or a non-hex digit.
pub fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16);
    s.as_bytes()
        .chunks(2)
        .map(|p| Some((digit(p[0])? * 16 + digit(p[1])?) as u8))
        .collect()
}

/// The export form of a path: `(text, hex)`. `hex` is `Some` exactly when the path is not
/// valid UTF-8; then `text` is the escaped display form and `hex` the exact bytes.
pub(crate) fn export_form(b: &[u8]) -> (String, Option<String>) {
    match as_utf8(b) {
        Some(s) => (s.to_owned(), None),
        None => (display(b), Some(hex(b))),
    }
}

/// The absolute form of a path the user typed, resolving symlinks when it exists.
pub fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    std::fs::canonicalize(p).or_else(|_| std::path::absolute(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By whole components, with or without a trailing slash; the root folder holds all.
    #[test]
    fn a_path_is_within_a_folder_by_whole_components() {
        assert!(within(b"/m/TV", b"/m/TV"));
        assert!(within(b"/m/TV/Show", b"/m/TV"));
        assert!(within(b"/m/TV/Show", b"/m/TV/"));
        assert!(within(b"/m/TV", b"/"));
        assert!(within(b"Show/Season 1", b"Show"));
        assert!(!within(b"/m/TV2", b"/m/TV"));
        assert!(!within(b"/m", b"/m/TV"));
        assert!(!within(b"/mTV", b"/m"));
    }

    #[test]
    fn display_escapes_control_and_invalid_bytes() {
        assert_eq!(display(b"plain/name.mkv"), "plain/name.mkv");
        assert_eq!(display(b"a\x1b[31mred"), "a\\e[31mred");
        assert_eq!(display(b"new\nline\ttab"), "new\\nline\\ttab");
        assert_eq!(display(b"caf\xe9.mkv"), "caf\\xe9.mkv");
        assert_eq!(display("c1\u{9b}x".as_bytes()), "c1\\u{9b}x");
        assert_eq!(display("Amélie (2001).mkv".as_bytes()), "Amélie (2001).mkv");
    }

    #[test]
    fn hex_round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_hex(&hex(&all)), Some(all));
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("zz"), None);
    }

    #[test]
    fn export_form_is_exact_for_utf8_and_lossless_otherwise() {
        assert_eq!(export_form(b"a/b.mkv"), ("a/b.mkv".into(), None));
        let (text, hexed) = export_form(b"bad\xff.mkv");
        assert_eq!(text, "bad\\xff.mkv");
        assert_eq!(decode_hex(&hexed.unwrap()).unwrap(), b"bad\xff.mkv");
    }
}
