//! Release: write the outputs and the manifest.
//!
//! A release is built whole in a staging folder beside `--out`, then put in place of the
//! previous one, so a reader never sees half a release and outputs of documents that are no
//! longer published do not linger. A folder that exists, is not empty and holds no
//! `manifest.json` is not a release and is never replaced.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The manifest's file name inside a release.
pub const MANIFEST: &str = "manifest.json";

/// Why a release could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(
        "{0}: exists and is not a release folder (no {MANIFEST}); choose an empty or new folder"
    )]
    NotARelease(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> ReleaseError + '_ {
    move |source| ReleaseError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses an `--out` that exists and is not a release: checked before any work is done.
pub fn check_target(out: &Path) -> Result<(), ReleaseError> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_none() || out.join(MANIFEST).is_file() {
                Ok(())
            } else {
                Err(ReleaseError::NotARelease(out.to_path_buf()))
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if out.exists() && !out.is_dir() => Err(ReleaseError::Io {
            path: out.to_path_buf(),
            source: io::Error::new(e.kind(), "exists and is not a folder"),
        }),
        Err(e) => Err(io_at(out)(e)),
    }
}

/// Writes `files` (release-relative path, contents) and the manifest as the release `out`.
pub fn write(
    out: &Path,
    files: &[(String, Vec<u8>)],
    manifest_json: &str,
) -> Result<(), ReleaseError> {
    check_target(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io_at(&parent))?;
    let name = out
        .file_name()
        .map_or_else(|| "release".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(&parent)
        .map_err(io_at(&parent))?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_at(dir))?;
        }
        write_synced(&path, bytes)?;
    }
    write_synced(&staging.path().join(MANIFEST), manifest_json.as_bytes())?;

    let staged = staging.keep();
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let had_previous = out.exists();
    if had_previous {
        fs::rename(out, &previous).map_err(io_at(out))?;
    }
    if let Err(e) = fs::rename(&staged, out) {
        if had_previous {
            // Put the previous release back rather than leave none.
            let _ = fs::rename(&previous, out);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(io_at(out)(e));
    }
    if had_previous {
        fs::remove_dir_all(&previous).map_err(io_at(&previous))?;
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ReleaseError> {
    let mut file = fs::File::create(path).map_err(io_at(path))?;
    file.write_all(bytes).map_err(io_at(path))?;
    file.sync_all().map_err(io_at(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_replaces_the_previous_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("release");
        write(&out, &[("a/old.md".into(), b"old".to_vec())], "{}\n").unwrap();
        write(&out, &[("new.md".into(), b"new".to_vec())], "{}\n").unwrap();
        assert!(!out.join("a/old.md").exists());
        assert_eq!(fs::read(out.join("new.md")).unwrap(), b"new");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["release"]);
    }

    #[test]
    fn a_folder_that_is_not_a_release_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("thesis.docx"), b"mine").unwrap();
        let err = write(dir.path(), &[], "{}\n").unwrap_err();
        assert!(matches!(err, ReleaseError::NotARelease(_)));
        assert_eq!(fs::read(dir.path().join("thesis.docx")).unwrap(), b"mine");
    }
}
