//! Names the source this build was made from, for the release manifest's `generator`.
//!
//! A later run carries reports over from a release unchanged only when that release was made
//! by the same build: a change to the classifier or the verifier must see every report again,
//! and the crate version alone does not change with them. The name is a digest of the sources
//! (src/, the library crates under crates/, the default classifications, the manifest and
//! the lock file), so the same sources
//! give the same name on any machine.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Tells the tests whether the shared data (the seed report and the CommonMark examples, which
/// the project may use but not commit) is beside the repository: where it is absent, those
/// tests are compiled as ignored, so the skip shows in every run's tally instead of passing
/// silently.
fn shared_data() {
    println!("cargo::rustc-check-cfg=cfg(shared_data)");
    println!("cargo:rerun-if-env-changed=MOPAC_SHARED");
    let base = std::env::var_os("MOPAC_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    for rel in ["seed/labnet-support-renewal.txt", "commonmark/spec.json"] {
        let path = base.join(rel);
        println!("cargo:rerun-if-changed={}", path.display());
        if !path.is_file() {
            return;
        }
    }
    println!("cargo:rustc-cfg=shared_data");
}

fn main() {
    shared_data();
    let mut paths = vec![PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock")];
    files(Path::new("src"), &mut paths);
    files(Path::new("crates"), &mut paths);
    paths.extend(
        std::fs::read_dir("classifications")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
    );
    paths.sort();
    // FNV-1a over each path and its bytes: an identity, not a seal.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &paths {
        let name = path.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_default();
        for b in name.bytes().chain([0]).chain(bytes).chain([0]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=MOPAC_SOURCE_DIGEST={hash:016x}");
    for watched in [
        "src",
        "crates",
        "classifications",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
}
