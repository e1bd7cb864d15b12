//! What a run keeps of its reports until the release is written, kept on disk: a release of
//! many thousand reports is made in the same memory as one of a few hundred.
//!
//! A [`Spool`] is a private folder (readable by its owner only) beside the staging folder,
//! or in the temporary folder for `check`, removed with the batch. It holds each report's
//! entry in input order, and [`Sorted`] lists (the release's files by path, the index's
//! listings in the index's order) that are sorted a part at a time and merged when read.

use std::cmp::Ordering;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tempfile::TempDir;

/// The folder of a run's spooled lists.
#[derive(Debug)]
pub struct Spool {
    dir: TempDir,
}

impl Spool {
    /// A new spool in `beside` (named after `prefix`), or in the temporary folder.
    pub fn new(beside: Option<(&Path, &str)>) -> io::Result<Spool> {
        let dir = match beside {
            Some((parent, prefix)) => tempfile::Builder::new().prefix(prefix).tempdir_in(parent)?,
            None => tempfile::Builder::new().prefix("mopac-redact-").tempdir()?,
        };
        Ok(Spool { dir })
    }

    /// The path of the spooled file `name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Values written one JSON line each, read back in the order written.
#[derive(Debug)]
pub struct Lines<T> {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    len: usize,
    _of: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned> Lines<T> {
    pub fn create(path: PathBuf) -> io::Result<Self> {
        let out = BufWriter::new(File::create(&path)?);
        Ok(Lines {
            path,
            out: Some(out),
            len: 0,
            _of: PhantomData,
        })
    }

    pub fn push(&mut self, value: &T) -> io::Result<()> {
        let out = self
            .out
            .as_mut()
            .ok_or_else(|| io::Error::other("a spooled list written after it was read"))?;
        serde_json::to_writer(&mut *out, value)?;
        out.write_all(b"\n")?;
        self.len += 1;
        Ok(())
    }

    /// How many values were written.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Ends the writing: the list can be read from now on.
    pub fn close(&mut self) -> io::Result<()> {
        if let Some(out) = self.out.take() {
            out.into_inner().map_err(io::IntoInnerError::into_error)?;
        }
        Ok(())
    }

    /// Every value, in the order written (the list must be closed).
    pub fn read(&self) -> io::Result<impl Iterator<Item = io::Result<T>> + use<T>> {
        if self.out.is_some() {
            return Err(io::Error::other("a spooled list read before it was closed"));
        }
        read_lines(&self.path)
    }
}

fn read_lines<T: DeserializeOwned>(
    path: &Path,
) -> io::Result<impl Iterator<Item = io::Result<T>> + use<T>> {
    // Small buffers: a large run merges some tens of parts at once.
    let lines = BufReader::with_capacity(16 * 1024, File::open(path)?).lines();
    Ok(lines.map(|line| Ok(serde_json::from_str(&line?)?)))
}

/// Values sorted by `order`, held a part at a time: each part of about [`Sorted::PART`]
/// bytes is sorted and written to its own file, and reading merges the parts. Values that
/// compare equal come in the order they were pushed, as a stable sort gives them.
pub struct Sorted<T> {
    dir: PathBuf,
    name: &'static str,
    order: fn(&T, &T) -> Ordering,
    held: Vec<T>,
    held_bytes: usize,
    /// Bytes held before a part is written ([`Sorted::PART`]).
    part: usize,
    parts: Vec<PathBuf>,
    len: usize,
}

impl<T: Serialize + DeserializeOwned + 'static> Sorted<T> {
    /// Bytes of values (as JSON) held before they are sorted and written.
    const PART: usize = 1 << 20;

    pub fn new(spool: &Spool, name: &'static str, order: fn(&T, &T) -> Ordering) -> Self {
        Sorted {
            dir: spool.dir.path().to_path_buf(),
            name,
            order,
            held: Vec::new(),
            held_bytes: 0,
            part: Self::PART,
            parts: Vec::new(),
            len: 0,
        }
    }

    /// Adds a value; `size` is about how many bytes it holds.
    pub fn push(&mut self, value: T, size: usize) -> io::Result<()> {
        self.held.push(value);
        self.held_bytes += size + 64;
        self.len += 1;
        if self.held_bytes >= self.part {
            self.spill()?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn spill(&mut self) -> io::Result<()> {
        let order = self.order;
        self.held.sort_by(order);
        let path = self.dir.join(format!("{}.{}", self.name, self.parts.len()));
        let mut out = BufWriter::new(File::create(&path)?);
        for value in self.held.drain(..) {
            serde_json::to_writer(&mut out, &value)?;
            out.write_all(b"\n")?;
        }
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        self.held = Vec::new();
        self.held_bytes = 0;
        self.parts.push(path);
        Ok(())
    }

    /// Ends the writing: every value is in a sorted part on disk.
    pub fn close(&mut self) -> io::Result<()> {
        if !self.held.is_empty() || self.parts.is_empty() {
            self.spill()?;
        }
        Ok(())
    }

    /// Every value, in order (the list must be closed); it can be read more than once.
    pub fn read(&self) -> io::Result<Merge<T>> {
        if !self.held.is_empty() {
            return Err(io::Error::other("a sorted list read before it was closed"));
        }
        let mut parts = Vec::with_capacity(self.parts.len());
        for path in &self.parts {
            let mut lines = Box::new(read_lines(path)?) as Box<dyn Iterator<Item = io::Result<T>>>;
            let head = lines.next().transpose()?;
            parts.push((head, lines));
        }
        Ok(Merge {
            parts,
            order: self.order,
        })
    }
}

/// The sorted parts of a [`Sorted`] list, merged.
pub struct Merge<T> {
    /// Each part's next value and the rest of it.
    #[allow(clippy::type_complexity)]
    parts: Vec<(Option<T>, Box<dyn Iterator<Item = io::Result<T>>>)>,
    order: fn(&T, &T) -> Ordering,
}

impl<T> Iterator for Merge<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        // The first part with the least value: equal values come in the order of the parts,
        // which is the order they were pushed in.
        let mut least: Option<usize> = None;
        for (i, (head, _)) in self.parts.iter().enumerate() {
            let Some(value) = head else { continue };
            let better = match least {
                None => true,
                Some(l) => {
                    let current = self.parts[l].0.as_ref().expect("a part with a head");
                    (self.order)(value, current) == Ordering::Less
                }
            };
            if better {
                least = Some(i);
            }
        }
        let (head, rest) = &mut self.parts[least?];
        let value = head.take();
        match rest.next().transpose() {
            Ok(next) => *head = next,
            Err(e) => return Some(Err(e)),
        }
        value.map(Ok)
    }
}

/// Removes the spool's folder now, reporting a failure (dropping it would not).
pub fn remove(spool: Spool) -> io::Result<()> {
    let path = spool.dir.keep();
    fs::remove_dir_all(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted in many parts and merged, values come as one stable sort gives them, however
    /// often they are read.
    #[test]
    fn values_sorted_in_parts_merge_as_one_stable_sort() {
        let spool = Spool::new(None).unwrap();
        let mut sorted: Sorted<(u32, u32)> = Sorted::new(&spool, "t", |a, b| a.0.cmp(&b.0));
        sorted.part = 64 * 10; // ten values a part
        let values: Vec<(u32, u32)> = (0..1000).map(|i| ((i * 7919) % 97, i)).collect();
        for v in &values {
            sorted.push(*v, 0).unwrap();
        }
        sorted.close().unwrap();
        assert!(sorted.parts.len() > 50, "{} parts", sorted.parts.len());
        let mut expected = values.clone();
        expected.sort_by_key(|v| v.0);
        for _ in 0..2 {
            let merged: Vec<(u32, u32)> = sorted.read().unwrap().map(Result::unwrap).collect();
            assert_eq!(merged, expected);
        }
        // A value pushed after closing is in the next reading, once closed again.
        sorted.push((0, 5000), 0).unwrap();
        assert!(sorted.read().is_err());
        sorted.close().unwrap();
        assert_eq!(sorted.read().unwrap().count(), 1001);
    }

    #[test]
    fn lines_read_back_in_the_order_written_once_closed() {
        let spool = Spool::new(None).unwrap();
        let mut lines: Lines<String> = Lines::create(spool.path("l")).unwrap();
        for s in ["b", "a\nwith a break", "c"] {
            lines.push(&s.to_string()).unwrap();
        }
        assert!(lines.read().is_err());
        lines.close().unwrap();
        let back: Vec<String> = lines.read().unwrap().map(Result::unwrap).collect();
        assert_eq!(back, ["b", "a\nwith a break", "c"]);
        assert_eq!(lines.len(), 3);
        let dir = spool.dir.path().to_path_buf();
        remove(spool).unwrap();
        assert!(!dir.exists());
    }
}
