//! Where a path really leads: the safety rules compare folders by it, never by spelling.
//!
//! `release/x/../restricted`, a symbolic link to the release and the release itself are one
//! place; a lexical comparison tells them apart and lets restricted text into a release.
//! [`resolve`] follows every symbolic link that exists, as the operating system will when
//! the path is written to, and normalises the rest (`.` and `..`), which does not exist yet
//! and so holds no link.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symbolic links one path may pass through (Linux's limit), so that a loop ends.
const MAX_LINKS: usize = 40;

/// One step of a path still to be resolved.
enum Step {
    Root(PathBuf),
    Up,
    Name(OsString),
}

fn steps(path: &Path) -> impl Iterator<Item = Step> + '_ {
    path.components().filter_map(|c| match c {
        Component::Prefix(_) | Component::RootDir => Some(Step::Root(c.as_os_str().into())),
        Component::CurDir => None,
        Component::ParentDir => Some(Step::Up),
        Component::Normal(name) => Some(Step::Name(name.to_os_string())),
    })
}

/// The absolute path `path` leads to, with every existing symbolic link followed and `.`
/// and `..` resolved; the part that does not exist yet is kept as written, normalised.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut pending: VecDeque<Step> = steps(&absolute).collect();
    let mut resolved = PathBuf::new();
    let mut links = 0;
    while let Some(step) = pending.pop_front() {
        match step {
            Step::Root(root) => resolved.push(root),
            // `resolved` holds no link, so its parent is the real one.
            Step::Up => {
                resolved.pop();
            }
            Step::Name(name) => {
                let next = resolved.join(&name);
                let is_link =
                    std::fs::symlink_metadata(&next).is_ok_and(|m| m.file_type().is_symlink());
                if !is_link {
                    resolved = next;
                    continue;
                }
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!(
                        "{}: too many levels of symbolic links",
                        path.display()
                    )));
                }
                let target = std::fs::read_link(&next)?;
                let target_steps: Vec<Step> = steps(&target).collect();
                for step in target_steps.into_iter().rev() {
                    pending.push_front(step);
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_and_links_lead_where_the_system_goes() {
        let dir = tempfile::tempdir().unwrap();
        let root = resolve(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).unwrap();
        std::os::unix::fs::symlink("a/b/../b", root.join("relative")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere/yet"), root.join("dangling")).unwrap();
        for (given, expected) in [
            ("a/x/../b/new", "a/b/new"),
            ("link/new/./file", "a/b/new/file"),
            ("link/../b", "a/b"),
            ("relative/c", "a/b/c"),
            ("dangling/c", "nowhere/yet/c"),
            ("missing/../../a", "../a"),
        ] {
            let want = if let Some(up) = expected.strip_prefix("../") {
                root.parent().unwrap().join(up)
            } else {
                root.join(expected)
            };
            assert_eq!(resolve(&root.join(given)).unwrap(), want, "{given}");
        }
    }

    #[test]
    fn a_loop_of_links_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(resolve(&dir.path().join("a/x")).is_err());
    }
}
