//! Input: find the reports to process.
//!
//! An input is a file or a folder. Folders are walked recursively in sorted order, so a run
//! is the same whatever order the file system lists entries in. Hidden files and folders are
//! skipped, and so are links that lead outside the folder given.

use std::fmt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// File name extensions read as reports (`.txt` is read as Markdown; `.docx` is read as
/// Word, into the Markdown the rest of the tool reads).
pub const EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "docx"];

/// A report to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as the user can find it: the input given, joined with the path inside it.
    pub path: PathBuf,
    /// Where its outputs go in the release, relative, without extension ("a/b" for D/a/b.md).
    pub release_stem: String,
}

/// An input that cannot be used; the run stops before writing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// True for a file name with a report extension.
pub fn is_report(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn stem(rel: &Path) -> String {
    rel.with_extension("").to_string_lossy().replace('\\', "/")
}

/// Lists the reports under `inputs`, in the order given and, within a folder, sorted.
pub fn discover(inputs: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    let mut found = Vec::new();
    discover_each(inputs, |input| found.push(input))?;
    // A large run holds its inputs for the whole run: no more than it needs.
    found.shrink_to_fit();
    Ok(found)
}

/// [`discover`], each report handed to `found` as it is found: a caller that keeps many
/// thousand reports in its own form never holds them twice.
pub fn discover_each(inputs: &[PathBuf], mut found: impl FnMut(Input)) -> Result<(), InputError> {
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| InputError(format!("{}: {e}", input.display())))?;
        if meta.is_file() {
            if !is_report(input) {
                return Err(InputError(format!(
                    "{}: not a report (expected a file ending .{})",
                    input.display(),
                    EXTENSIONS.join(", .")
                )));
            }
            let name = input.file_name().map(Path::new).unwrap_or(input);
            found(Input {
                path: input.clone(),
                release_stem: stem(name),
            });
            continue;
        }
        let root = input
            .canonicalize()
            .map_err(|e| InputError(format!("{}: {e}", input.display())))?;
        let walk = WalkDir::new(input)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walk {
            let entry = entry.map_err(|e| InputError(format!("{}: {e}", input.display())))?;
            if !is_report(entry.path()) {
                continue;
            }
            if entry.path_is_symlink() {
                // A link is followed only to a file inside the folder given.
                let inside = entry
                    .path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&root) && target.is_file());
                if !inside {
                    continue;
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(input).unwrap_or(entry.path());
            found(Input {
                path: entry.path().to_path_buf(),
                release_stem: stem(rel),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_hidden_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/.hidden")).unwrap();
        for name in [
            "b/z.md",
            "b/a.txt",
            "a.markdown",
            ".secret.md",
            "b/.hidden/x.md",
            "notes.docx",
            "notes.doc",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let found = discover(&[root.to_path_buf()]).unwrap();
        let stems: Vec<&str> = found.iter().map(|i| i.release_stem.as_str()).collect();
        assert_eq!(stems, ["a", "b/a", "b/z", "notes"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_outside_the_folder_are_skipped() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("link.md"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.md"), dir.path().join("alias.md"))
            .unwrap();
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        let stems: Vec<&str> = found.iter().map(|i| i.release_stem.as_str()).collect();
        assert_eq!(stems, ["alias", "real"]);
    }

    #[test]
    fn a_file_given_directly_must_be_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("x.doc");
        std::fs::write(&doc, "x").unwrap();
        assert!(discover(&[doc]).is_err());
        let docx = dir.path().join("x.docx");
        std::fs::write(&docx, "x").unwrap();
        assert_eq!(discover(&[docx]).unwrap()[0].release_stem, "x");
        let txt = dir.path().join("X.txt");
        std::fs::write(&txt, "x").unwrap();
        assert_eq!(discover(&[txt]).unwrap()[0].release_stem, "X");
    }
}
