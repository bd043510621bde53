//! Synonym groups and stop words, read from data files (assets/catalog/synonyms.txt, glossary-en.txt,
//! stopwords.txt, and a hall's own file): the phrases the index adds to a procedure's text, and the words a
//! query carries that weigh nothing by themselves.

use crate::domain::fold::tokens;
use std::collections::HashMap;

/// Groups of phrases that mean the same to a citizen: "GPXD" and "giấy phép xây dựng".
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
    /// Folded stop words: a query keeps them for its phrases, but they weigh nothing by themselves.
    pub(super) stop: std::collections::HashSet<String>,
    /// (group, phrase) of every phrase, by its first word: a text is checked only for phrases it can start.
    by_first_word: HashMap<String, Vec<(usize, usize)>>,
}

impl Synonyms {
    /// Reads the synonym file: one group a line, phrases separated by `|`, `#` starts a comment.
    /// Returns the line numbers and messages of lines that cannot be used.
    pub fn parse(text: &str) -> Result<Self, Vec<(usize, String)>> {
        let mut groups = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let phrases: Vec<Vec<String>> = line.split('|').map(tokens).filter(|t| !t.is_empty()).collect();
            if phrases.len() < 2 {
                problems.push((i + 1, "a synonym group needs at least two phrases separated by |".to_string()));
            } else {
                groups.push(phrases);
            }
        }
        if problems.is_empty() {
            let mut by_first_word: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
            for (g, group) in groups.iter().enumerate() {
                for (p, phrase) in group.iter().enumerate() {
                    by_first_word.entry(phrase[0].clone()).or_default().push((g, p));
                }
            }
            Ok(Synonyms { groups, by_first_word, stop: Default::default() })
        } else {
            Err(problems)
        }
    }

    /// These groups and `other`'s, as if one file followed the other (a hall's file after the bundled ones).
    pub fn merged(mut self, other: Synonyms) -> Synonyms {
        let offset = self.groups.len();
        for (word, places) in other.by_first_word {
            self.by_first_word.entry(word).or_default().extend(places.into_iter().map(|(g, p)| (g + offset, p)));
        }
        self.groups.extend(other.groups);
        self.stop.extend(other.stop);
        self
    }

    /// Adds the stop words of a file: one word or phrase a line (each of its words is one), `#` starts a
    /// comment.
    pub fn with_stop_words(mut self, text: &str) -> Synonyms {
        for line in text.lines() {
            self.stop.extend(tokens(line.split('#').next().unwrap_or_default()));
        }
        self
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The phrases to add to a text whose words are `words`: every other phrase of each group one of whose
    /// phrases stands in the text.
    pub(super) fn expansions<'a>(&'a self, words: &[String]) -> Vec<&'a [String]> {
        let mut present: Vec<(usize, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for &(g, p) in self.by_first_word.get(w).map(Vec::as_slice).unwrap_or_default() {
                if words[i..].starts_with(&self.groups[g][p]) && !present.contains(&(g, p)) {
                    present.push((g, p));
                }
            }
        }
        let mut out = Vec::new();
        let mut groups: Vec<usize> = present.iter().map(|&(g, _)| g).collect();
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            for (p, phrase) in self.groups[g].iter().enumerate() {
                if !present.contains(&(g, p)) {
                    out.push(phrase.as_slice());
                }
            }
        }
        out
    }
}
