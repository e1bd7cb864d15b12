//! Writes the benchmark corpus: `cargo run --release --example corpus -- N DIR` writes the
//! reports 0..N of `mopac_corpus` as DIR/NNNNN.md (100 to a folder).

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .expect("usage: corpus N DIR");
    let dir = PathBuf::from(args.next().expect("usage: corpus N DIR"));
    for i in 0..n {
        let folder = dir.join(format!("{:03}", i / 100));
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(format!("{i:05}.md")), mopac_corpus::report(i))?;
    }
    Ok(())
}
