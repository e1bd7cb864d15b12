//! The benchmark's floor: the least a publishing tool must do. For every report under DIR
//! (sorted walk, both cores) it reads the file, parses it with pulldown-cmark, renders the
//! HTML and writes both files under OUT. `cargo run --release --example floor -- DIR OUT`

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: floor DIR OUT"));
    let out = PathBuf::from(args.next().expect("usage: floor DIR OUT"));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files
        .par_iter()
        .try_for_each(|path| -> std::io::Result<()> {
            let text = std::fs::read_to_string(path)?;
            let mut html = String::with_capacity(text.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, mopac_redactor::markdown::parser(&text));
            let rel = path.strip_prefix(&dir).unwrap_or(path);
            let target = out.join(rel);
            std::fs::create_dir_all(target.parent().unwrap_or(Path::new(".")))?;
            std::fs::write(&target, &text)?;
            std::fs::write(target.with_extension("html"), html)
        })
}
