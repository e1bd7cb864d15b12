//! Line numbers: where a byte offset of a report falls, 1-based, as every message gives it.

use std::ops::Range;

/// Byte offsets of line starts, for reporting 1-based line numbers.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    /// The line starts of `src`.
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            starts,
            len: src.len(),
        }
    }

    /// The 1-based line holding byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at)
    }

    /// The bytes of 1-based lines `first` to `last`, their line endings included.
    pub fn range(&self, first: usize, last: usize) -> Option<Range<usize>> {
        if first == 0 || last < first || last > self.starts.len() {
            return None;
        }
        let start = self.starts[first - 1];
        let end = self.starts.get(last).copied().unwrap_or(self.len);
        (start < end || start == self.len).then_some(start..end)
    }

    /// The 1-based first and last lines of a non-empty range.
    pub fn span(&self, range: &Range<usize>) -> (usize, usize) {
        (
            self.line(range.start),
            self.line(range.end.saturating_sub(1).max(range.start)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let lines = Lines::new("a\nb\nc");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.span(&(2..5)), (2, 3));
        assert_eq!(lines.range(2, 3), Some(2..5));
        assert_eq!(lines.range(1, 1), Some(0..2));
        assert_eq!(lines.range(3, 4), None);
    }
}
