//! A fixed word list that most lookups miss, turned away before any hashing.

use rustc_hash::FxHashSet as HashSet;

/// A word list of the lexicon, looked up by a token's folded form. The rules ask several lists
/// about nearly every word, nearly always of a word not in them, and hashing the word was a
/// large share of extraction time; a word whose length or first byte no entry has is turned away
/// first, which membership implies, so no answer changes. (Every Cyrillic letter starts with
/// 0xD0 or 0xD1, so in Russian mostly the length turns words away.)
#[derive(Debug, Clone, Default)]
pub(crate) struct WordSet {
    words: HashSet<&'static str>,
    /// Bit `b` is set when some entry starts with byte `b`.
    first_bytes: [u64; 4],
    /// Byte lengths of the shortest and the longest entry.
    shortest: usize,
    longest: usize,
}

impl WordSet {
    #[inline]
    pub(crate) fn contains(&self, word: &str) -> bool {
        let Some(&first) = word.as_bytes().first() else {
            return self.words.contains(word);
        };
        (self.shortest..=self.longest).contains(&word.len())
            && self.first_bytes[usize::from(first >> 6)] & (1 << (first & 63)) != 0
            && self.words.contains(word)
    }
}

impl FromIterator<&'static str> for WordSet {
    fn from_iter<I: IntoIterator<Item = &'static str>>(iter: I) -> Self {
        let words: HashSet<&'static str> = iter.into_iter().collect();
        let mut first_bytes = [0u64; 4];
        for first in words.iter().filter_map(|word| word.as_bytes().first()) {
            first_bytes[usize::from(first >> 6)] |= 1 << (first & 63);
        }
        WordSet {
            shortest: words.iter().map(|w| w.len()).min().unwrap_or(usize::MAX),
            longest: words.iter().map(|w| w.len()).max().unwrap_or(0),
            first_bytes,
            words,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_set_does() {
        let list = ["that", "что", "whether", "a", ""];
        let set: WordSet = list.into_iter().collect();
        let asked = [
            "that",
            "than",
            "thatt",
            "что",
            "чтобы",
            "чем",
            "whether",
            "a",
            "b",
            "",
            "é",
            "ч",
        ];
        for word in asked {
            assert_eq!(set.contains(word), list.contains(&word), "{word:?}");
        }
        let empty: WordSet = std::iter::empty().collect();
        assert!(!empty.contains("a") && !empty.contains(""));
    }
}
