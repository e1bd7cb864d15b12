//! The reports of a run, held compactly: a run over many thousand reports holds their paths
//! and release names for the whole run, so each report takes its path's bytes and four
//! numbers (its release name is most often a part of its path), not two separate strings and
//! their headers.

use std::path::PathBuf;

use mopac_redactor::input::Input;

/// A list of reports to process, in release order.
pub trait Reports: Sync {
    /// How many reports.
    fn len(&self) -> usize;
    /// The report at `i` (below [`Reports::len`]).
    fn get(&self, i: usize) -> Input;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Reports for [Input] {
    fn len(&self) -> usize {
        <[Input]>::len(self)
    }
    fn get(&self, i: usize) -> Input {
        self[i].clone()
    }
}

impl Reports for Vec<Input> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }
    fn get(&self, i: usize) -> Input {
        self[i].clone()
    }
}

/// Reports held as one text: each its path, then its release name unless the path holds it.
#[derive(Debug, Default)]
pub struct Inputs {
    text: String,
    /// Each report's path and release name, as ranges of `text`.
    items: Vec<[u32; 4]>,
    /// Reports whose path is not UTF-8, by position, held as they are.
    odd: Vec<(usize, Input)>,
}

impl Inputs {
    pub fn push(&mut self, input: Input) {
        let at = self.items.len();
        let (Some(path), Ok(_)) = (input.path.to_str(), u32::try_from(self.text.len())) else {
            self.odd.push((at, input));
            self.items.push([0; 4]);
            return;
        };
        let start = self.text.len();
        self.text.push_str(path);
        let end = self.text.len();
        let stem_at = match path.rfind(input.release_stem.as_str()) {
            Some(i) => start + i,
            None => {
                let i = self.text.len();
                self.text.push_str(&input.release_stem);
                i
            }
        };
        let stem_end = stem_at + input.release_stem.len();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        self.items.push([n(start), n(end), n(stem_at), n(stem_end)]);
    }
}

impl Inputs {
    /// Gives back what the list does not use.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.items.shrink_to_fit();
    }
}

impl FromIterator<Input> for Inputs {
    fn from_iter<I: IntoIterator<Item = Input>>(inputs: I) -> Self {
        let mut all = Inputs::default();
        for input in inputs {
            all.push(input);
        }
        all.shrink_to_fit();
        all
    }
}

impl Reports for Inputs {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn get(&self, i: usize) -> Input {
        if let Ok(o) = self.odd.binary_search_by_key(&i, |(at, _)| *at) {
            return self.odd[o].1.clone();
        }
        let [start, end, stem_at, stem_end] = self.items[i].map(|v| v as usize);
        Input {
            path: PathBuf::from(&self.text[start..end]),
            release_stem: self.text[stem_at..stem_end].to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_read_back_as_they_were_given() {
        let given = vec![
            Input {
                path: "in/2024/pcd-1084.md".into(),
                release_stem: "2024/pcd-1084".into(),
            },
            // A release name the path does not hold.
            Input {
                path: "in/a\\b.md".into(),
                release_stem: "a/b".into(),
            },
            Input {
                path: "report.txt".into(),
                release_stem: "report".into(),
            },
        ];
        let held: Inputs = given.iter().cloned().collect();
        assert_eq!(held.len(), 3);
        let back: Vec<Input> = (0..held.len()).map(|i| held.get(i)).collect();
        assert_eq!(back, given);
    }
}
