//! Type-ahead search over the catalog, built for a kiosk that searches on every key press.
//!
//! Every word of the catalog is folded (`fold`) and given an id in sorted order, so the words that start
//! with what the citizen typed form one contiguous id range and their postings one contiguous slice. A
//! query scores only the postings of its words' ranges into dense per-document arrays: no per-document
//! text scanning, whatever the number of matches. Synonyms ("GPXD", "làm sổ đỏ") are added to the
//! documents at build time from a data file, so the query side stays a plain word match.

use super::fold::tokens;
use std::collections::HashMap;

mod edit;
mod synonyms;

use edit::within_one_edit;
pub use synonyms::Synonyms;

/// Longest word and most words taken from a query; the rest of a pasted megabyte is ignored.
const MAX_QUERY_WORDS: usize = 12;
const MAX_WORD_CHARS: usize = 48;

/// How much a match in each part of a procedure counts. A name match outranks a document match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Code,
    Name,
    Keywords,
    Field,
    Documents,
}

impl Part {
    fn weight(self) -> f32 {
        match self {
            Part::Code => 10.0,
            Part::Name => 8.0,
            Part::Keywords => 6.0,
            Part::Field => 4.0,
            Part::Documents => 2.0,
        }
    }
}

/// Words matched through a synonym count a little less than the words themselves.
const SYNONYM_FACTOR: f32 = 0.9;
const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.75;
const TYPO: f32 = 0.5;
/// Bonus per query word, times the part's weight, when all query words stand together in order.
const PHRASE_FACTOR: f32 = 0.5;
/// Among equal matches the shorter name is the more specific procedure.
const LENGTH_PENALTY: f32 = 0.01;
/// What a query word that matches nothing in a procedure takes off its score (`Ranking::Best`): less than a
/// match in a name or keyword gives, so an extra word lowers a procedure without removing it.
const MISS: f32 = 3.0;
/// A stop word ("cho", "để", "làm", "the") counts nothing by itself, matched or not; it still joins the
/// phrases it stands in ("làm giấy khai sinh cho con").
const STOP_FACTOR: f32 = 0.0;
/// Bonus per word, times the run's weight, when a run of the query holds a whole name, keyword or synonym
/// phrase of two words or more: the citizen said exactly that.
const WHOLE_FACTOR: f32 = 1.0;
/// Procedures scored on their words, before the best are ranked again on their phrases.
const CANDIDATES: usize = 64;
/// The lightest run whose phrases count: a keyword's through a synonym.
const PHRASE_MIN_WEIGHT: f32 = 6.0 * SYNONYM_FACTOR;

/// How a search ranks what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// A procedure scores the best match of each query word, loses `MISS` for each word it lacks (stop
    /// words excepted), and gains for the longest run of the query standing in one of its phrases and for
    /// any phrase the query holds whole.
    Best,
    /// Every query word must match (or the most that can); a bonus when all stand together in order. The
    /// ranking before citizens' phrasing was measured, kept to measure against (benches/catalog.rs).
    AllWords,
}

/// The searchable text of one procedure.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    pub code: String,
    pub name: String,
    pub field: String,
    pub keywords: Vec<String>,
    pub documents: Vec<String>,
}

/// One result: the position of the document in the list the index was built from, and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: usize,
    pub score: f32,
}

/// One occurrence of a word: where it stands, and the weight of the run it stands in (kept here so that
/// scoring reads postings in order and nothing else).
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    slot: u32,
    pos: u32,
    weight: f32,
}

/// One run of words of a document (its name, one keyword, one document name, one synonym phrase).
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    weight: f32,
}

/// The built index. Immutable: a new catalog builds a new index.
#[derive(Debug)]
pub struct SearchIndex {
    words: Vec<String>,
    /// `postings[word_start[w]..word_start[w + 1]]` are the postings of word `w`.
    word_start: Vec<u32>,
    postings: Vec<Posting>,
    slots: Vec<Slot>,
    /// Word ids of all slots, one after another.
    slot_words: Vec<u32>,
    /// `slots[doc_slots[d]..doc_slots[d + 1]]` are document `d`'s runs (slots are made document by document).
    doc_slots: Vec<u32>,
    name_len: Vec<u16>,
    stop: std::collections::HashSet<String>,
}

/// How one query word matches: word-id ranges, each with a quality.
#[derive(Debug, Clone)]
struct Matcher {
    ranges: Vec<(u32, u32, f32)>,
}

impl Matcher {
    fn matches(&self, word: u32) -> bool {
        self.ranges.iter().any(|&(lo, hi, _)| lo <= word && word < hi)
    }
}

impl SearchIndex {
    pub fn build(docs: &[SearchDoc], synonyms: &Synonyms) -> SearchIndex {
        // First pass: every slot of every document, its words interned to provisional ids.
        let mut interned: HashMap<String, u32> = HashMap::new();
        let mut intern = |w: &str| -> u32 {
            if let Some(&id) = interned.get(w) {
                return id;
            }
            let id = interned.len() as u32;
            interned.insert(w.to_owned(), id);
            id
        };
        let mut slots: Vec<Slot> = Vec::new();
        let mut slot_words: Vec<u32> = Vec::new();
        let mut slot_doc: Vec<u32> = Vec::new();
        let mut name_len = Vec::with_capacity(docs.len());
        let mut doc_slots = Vec::with_capacity(docs.len() + 1);
        for (d, doc) in docs.iter().enumerate() {
            doc_slots.push(slots.len() as u32);
            let mut parts: Vec<(Part, Vec<String>)> = Vec::new();
            let mut code_words = tokens(&doc.code);
            // A code is found by its whole text and by each numeric part ("001193").
            code_words.extend(doc.code.split(['.', '-']).filter(|p| p.len() >= 3).flat_map(tokens));
            parts.push((Part::Code, code_words));
            let name = tokens(&doc.name);
            name_len.push(name.len().min(u16::MAX as usize) as u16);
            parts.push((Part::Name, name));
            parts.push((Part::Field, tokens(&doc.field)));
            parts.extend(doc.keywords.iter().map(|k| (Part::Keywords, tokens(k))));
            parts.extend(doc.documents.iter().map(|k| (Part::Documents, tokens(k))));
            for (part, words) in &parts {
                if words.is_empty() {
                    continue;
                }
                let weight = part.weight();
                let mut runs: Vec<(f32, &[String])> = vec![(weight, words.as_slice())];
                if *part != Part::Code {
                    runs.extend(synonyms.expansions(words).into_iter().map(|p| (weight * SYNONYM_FACTOR, p)));
                }
                for (weight, run) in runs {
                    slots.push(Slot { start: slot_words.len() as u32, len: run.len() as u32, weight });
                    slot_doc.push(d as u32);
                    slot_words.extend(run.iter().map(|w| intern(w)));
                }
            }
        }

        doc_slots.push(slots.len() as u32);
        // Sorted ids, so that the words sharing a prefix form one range.
        let mut vocabulary: Vec<(String, u32)> = interned.into_iter().collect();
        vocabulary.sort_unstable();
        let mut final_id = vec![0u32; vocabulary.len()];
        for (sorted, (_, provisional)) in vocabulary.iter().enumerate() {
            final_id[*provisional as usize] = sorted as u32;
        }
        for w in &mut slot_words {
            *w = final_id[*w as usize];
        }

        // Postings, one per occurrence, laid out word after word.
        let mut word_start = vec![0u32; vocabulary.len() + 1];
        for &w in &slot_words {
            word_start[w as usize + 1] += 1;
        }
        for i in 1..word_start.len() {
            word_start[i] += word_start[i - 1];
        }
        let mut fill = word_start.clone();
        let mut postings = vec![Posting { doc: 0, slot: 0, pos: 0, weight: 0.0 }; slot_words.len()];
        for (slot, s) in slots.iter().enumerate() {
            for (pos, &w) in slot_words[s.start as usize..(s.start + s.len) as usize].iter().enumerate() {
                postings[fill[w as usize] as usize] =
                    Posting { doc: slot_doc[slot], slot: slot as u32, pos: pos as u32, weight: s.weight };
                fill[w as usize] += 1;
            }
        }
        let words = vocabulary.into_iter().map(|(w, _)| w).collect();
        let stop = synonyms.stop.clone();
        SearchIndex { words, word_start, postings, slots, slot_words, doc_slots, name_len, stop }
    }

    pub fn len(&self) -> usize {
        self.name_len.len()
    }

    pub fn is_empty(&self) -> bool {
        self.name_len.is_empty()
    }

    /// The ids of the words that start with `prefix`: one contiguous range.
    fn prefix_range(&self, prefix: &str) -> (u32, u32) {
        let lo = self.words.partition_point(|w| w.as_str() < prefix);
        let hi = lo + self.words[lo..].partition_point(|w| w.starts_with(prefix));
        (lo as u32, hi as u32)
    }

    fn matcher(&self, word: &str) -> Matcher {
        let (lo, hi) = self.prefix_range(word);
        let mut ranges = Vec::new();
        if lo < hi {
            if self.words[lo as usize] == word {
                ranges.push((lo, lo + 1, EXACT));
                ranges.push((lo + 1, hi, PREFIX));
            } else {
                ranges.push((lo, hi, PREFIX));
            }
        } else if word.chars().count() >= 4 && !word.bytes().any(|b| b.is_ascii_digit()) {
            // Nothing starts with it: allow one wrong, missing, extra or swapped letter (not in codes
            // and numbers, where a near miss is another procedure).
            for (id, w) in self.words.iter().enumerate() {
                if within_one_edit(word, w) {
                    ranges.push((id as u32, id as u32 + 1, TYPO));
                }
            }
        }
        Matcher { ranges }
    }

    /// The best `limit` documents for `query`, best first. Any text is a valid query.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.search_ranked(query, limit, Ranking::Best)
    }

    /// `search` under a given ranking.
    pub fn search_ranked(&self, query: &str, limit: usize, ranking: Ranking) -> Vec<Hit> {
        let mut words = tokens(query);
        words.truncate(MAX_QUERY_WORDS);
        for w in &mut words {
            if let Some((cut, _)) = w.char_indices().nth(MAX_WORD_CHARS) {
                w.truncate(cut);
            }
        }
        if words.is_empty() || limit == 0 || self.is_empty() {
            return Vec::new();
        }
        let matchers: Vec<Matcher> = words.iter().map(|w| self.matcher(w)).collect();
        match ranking {
            Ranking::Best => self.best(&words, &matchers, limit),
            Ranking::AllWords => self.all_words(&words, &matchers, limit),
        }
    }

    /// Each document's best match of each query word (times `factor[i]`), and how many of the words
    /// counted in `content[i]` it matched; the documents touched.
    fn word_scores(&self, matchers: &[Matcher], factor: &[f32], content: &[bool]) -> (Vec<f32>, Vec<u8>, Vec<u32>) {
        let n = self.len();
        let mut total = vec![0f32; n];
        let mut matched = vec![0u8; n];
        let mut seen = vec![false; n];
        let mut best = vec![0f32; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut term_touched: Vec<u32> = Vec::new();
        for (i, m) in matchers.iter().enumerate() {
            for &(lo, hi, quality) in &m.ranges {
                let span = self.word_start[lo as usize] as usize..self.word_start[hi as usize] as usize;
                for p in &self.postings[span] {
                    let score = p.weight * quality;
                    let b = &mut best[p.doc as usize];
                    if *b == 0.0 {
                        term_touched.push(p.doc);
                    }
                    if score > *b {
                        *b = score;
                    }
                }
            }
            for &d in &term_touched {
                let d = d as usize;
                if !seen[d] {
                    seen[d] = true;
                    touched.push(d as u32);
                }
                if content[i] {
                    matched[d] += 1;
                }
                total[d] += best[d] * factor[i];
                best[d] = 0.0;
            }
            term_touched.clear();
        }
        (total, matched, touched)
    }

    /// `Ranking::Best`: words first, over every document; then the best candidates again, on their phrases.
    fn best(&self, words: &[String], matchers: &[Matcher], limit: usize) -> Vec<Hit> {
        let mut stop: Vec<bool> = words.iter().map(|w| self.stop.contains(w)).collect();
        if stop.iter().all(|s| *s) {
            // A query of stop words only ("nhà", "cho con") is taken at its word.
            stop.iter_mut().for_each(|s| *s = false);
        }
        let content: Vec<bool> = stop.iter().map(|s| !s).collect();
        let factor: Vec<f32> = stop.iter().map(|&s| if s { STOP_FACTOR } else { 1.0 }).collect();
        let wanted = content.iter().filter(|c| **c).count() as f32;
        let (total, matched, touched) = self.word_scores(matchers, &factor, &content);
        // A procedure that matches only stop words is not an answer.
        let mut hits: Vec<Hit> = touched
            .into_iter()
            .filter(|&d| matched[d as usize] > 0)
            .map(|d| {
                let d = d as usize;
                let missing = wanted - f32::from(matched[d]);
                Hit { doc: d, score: total[d] - MISS * missing - LENGTH_PENALTY * f32::from(self.name_len[d]) }
            })
            .collect();
        top(&mut hits, CANDIDATES.max(limit * 2));
        for h in &mut hits {
            h.score += self.phrases(h.doc, matchers);
        }
        top(&mut hits, limit);
        hits
    }

    /// A document's phrase bonus: for the longest run of consecutive query words standing in order in one
    /// of its runs (`PHRASE_FACTOR` per word), and for a run of two words or more of its own that the query
    /// holds whole (`WHOLE_FACTOR` per word), each at that run's weight. Only its code, name and keywords
    /// (and their synonyms) are looked at: a document's or a field's phrase weighs little, and documents are
    /// most of a procedure's words.
    fn phrases(&self, doc: usize, matchers: &[Matcher]) -> f32 {
        let (mut phrase, mut whole) = (0f32, 0f32);
        let slots = self.doc_slots[doc] as usize..self.doc_slots[doc + 1] as usize;
        for slot in self.slots[slots].iter().filter(|s| s.weight >= PHRASE_MIN_WEIGHT) {
            let words = &self.slot_words[slot.start as usize..(slot.start + slot.len) as usize];
            for (a, &w) in words.iter().enumerate() {
                for (i, m) in matchers.iter().enumerate() {
                    if !m.matches(w) {
                        continue;
                    }
                    let run = (1..)
                        .take_while(|&r| {
                            a + r < words.len() && i + r < matchers.len() && matchers[i + r].matches(words[a + r])
                        })
                        .count()
                        + 1;
                    if run >= 2 {
                        phrase = phrase.max(slot.weight * PHRASE_FACTOR * run as f32);
                    }
                    if a == 0 && run == words.len() && run >= 2 {
                        whole = whole.max(slot.weight * WHOLE_FACTOR * run as f32);
                    }
                }
            }
        }
        phrase + whole
    }

    /// `Ranking::AllWords`.
    fn all_words(&self, words: &[String], matchers: &[Matcher], limit: usize) -> Vec<Hit> {
        let every = vec![true; matchers.len()];
        let (total, matched, touched) = self.word_scores(matchers, &vec![1.0; matchers.len()], &every);
        // Every word must match; failing that (a citizen typed a sentence), the most words that do.
        let need = touched.iter().map(|&d| matched[d as usize]).max().unwrap_or(0);
        let mut hits: Vec<Hit> = touched
            .into_iter()
            .filter(|&d| matched[d as usize] == need)
            .map(|d| Hit { doc: d as usize, score: total[d as usize] })
            .collect();
        if words.len() > 1 && need as usize == words.len() {
            let bonus = self.phrase_bonus(matchers, &matched, need);
            for h in &mut hits {
                h.score += bonus[h.doc];
            }
        }
        for h in &mut hits {
            h.score -= LENGTH_PENALTY * f32::from(self.name_len[h.doc]);
        }
        top(&mut hits, limit);
        hits
    }

    /// The phrase bonus of each document where all query words stand together, in order, in one slot.
    /// Only slots holding the first query word can, so only its postings are visited.
    fn phrase_bonus(&self, matchers: &[Matcher], matched: &[u8], need: u8) -> Vec<f32> {
        let mut bonus = vec![0f32; self.len()];
        let n = matchers.len() as f32;
        for &(lo, hi, _) in &matchers[0].ranges {
            let span = self.word_start[lo as usize] as usize..self.word_start[hi as usize] as usize;
            for p in &self.postings[span] {
                if matched[p.doc as usize] != need {
                    continue;
                }
                let b = &mut bonus[p.doc as usize];
                let possible = p.weight * PHRASE_FACTOR * n;
                if possible > *b && self.phrase_at(p, matchers) {
                    *b = possible;
                }
            }
        }
        bonus
    }

    /// Whether the query words after the first follow this occurrence of the first, in order.
    fn phrase_at(&self, p: &Posting, matchers: &[Matcher]) -> bool {
        let slot = &self.slots[p.slot as usize];
        if p.pos as usize + matchers.len() > slot.len as usize {
            return false;
        }
        let start = (slot.start + p.pos) as usize;
        matchers.iter().enumerate().skip(1).all(|(j, m)| m.matches(self.slot_words[start + j]))
    }
}

/// Keeps the best `limit` hits, best first; ties go to the earlier document.
fn top(hits: &mut Vec<Hit>, limit: usize) {
    let order = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, order);
        hits.truncate(limit);
    }
    hits.sort_unstable_by(order);
}

impl SearchIndex {
    pub fn vocabulary_len(&self) -> usize {
        self.words.len()
    }

    /// Whether the index knows a folded word exactly.
    pub fn knows(&self, word: &str) -> bool {
        self.words.binary_search_by(|w| w.as_str().cmp(word)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(code: &str, name: &str, field: &str, documents: &[&str]) -> SearchDoc {
        SearchDoc {
            code: code.into(),
            name: name.into(),
            field: field.into(),
            keywords: vec![],
            documents: documents.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn index(synonyms: &str) -> SearchIndex {
        let docs = [
            doc("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", &["Giấy chứng sinh"]),
            doc("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", &["Giấy báo tử"]),
            doc("1.013225", "Cấp giấy phép xây dựng mới", "Hoạt động xây dựng", &["Bản vẽ thiết kế"]),
            doc("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", &["Tờ khai đăng ký khai sinh"]),
        ];
        SearchIndex::build(&docs, &Synonyms::parse(synonyms).expect("synonyms parse"))
    }

    fn codes(ix: &SearchIndex, q: &str) -> Vec<usize> {
        ix.search(q, 10).into_iter().map(|h| h.doc).collect()
    }

    #[test]
    fn folds_and_prefixes() {
        let ix = index("");
        assert_eq!(codes(&ix, "dang ky khai sinh")[0], 0);
        assert_eq!(codes(&ix, "ĐĂNG KÍ KHAI S")[0], 0);
        assert_eq!(codes(&ix, "khai t")[0], 1, "\"khai tử\" before \"khai sinh\" + \"thủ tục\"");
        assert_eq!(codes(&ix, "001193"), vec![0]);
        assert_eq!(codes(&ix, "1.0132"), vec![2]);
    }

    #[test]
    fn name_match_outranks_document_match() {
        let ix = index("");
        // Both words in the name first; one of them in a name still weighs more than both in a document.
        assert_eq!(codes(&ix, "khai sinh"), vec![0, 1, 3]);
        assert_eq!(
            ix.search_ranked("khai sinh", 10, Ranking::AllWords).iter().map(|h| h.doc).collect::<Vec<_>>(),
            [0, 3]
        );
    }

    #[test]
    fn a_missing_word_lowers_and_a_whole_phrase_raises() {
        let ix = index("giấy chứng tử | khai tử\nbirth registration | đăng ký khai sinh");
        // "cho ông" matches nothing: the procedure is still found, first.
        let stop = Synonyms::parse("giấy chứng tử | khai tử").unwrap().with_stop_words("cho\nông\nlàm");
        let with_stop = SearchIndex::build(
            &[doc("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch", &[]), doc("X", "Cấp giấy phép", "Xây dựng", &[])],
            &stop,
        );
        assert_eq!(codes(&with_stop, "lam giay chung tu cho ong")[0], 0);
        assert_eq!(codes(&with_stop, "cho ong"), Vec::<usize>::new(), "stop words alone match no name here");
        // English through the glossary, as a phrase.
        assert_eq!(codes(&ix, "birth registration")[0], 0);
        // A keyword held whole outranks the same words scattered over a name (which weighs more).
        let keyword = SearchDoc {
            keywords: vec!["xác nhận độc thân".into()], ..doc("B", "Cấp giấy", "Hộ tịch", &[])
        };
        let scattered = SearchIndex::build(
            &[doc("A", "Xác minh nhân thân người độc thân", "Hộ tịch", &[]), keyword],
            &Synonyms::default(),
        );
        assert_eq!(codes(&scattered, "xac nhan doc than de ket hon"), [1, 0]);
    }

    #[test]
    fn synonyms_come_from_data() {
        assert!(codes(&index(""), "gpxd").is_empty());
        assert_eq!(codes(&index("gpxd | giấy phép xây dựng"), "gpxd"), vec![2]);
        assert!(Synonyms::parse("only one phrase\n").is_err());
    }

    #[test]
    fn one_letter_typos_and_hostile_input() {
        let ix = index("");
        assert_eq!(codes(&ix, "chúng thưc")[0], 3, "typo tolerated once nothing matches");
        for q in ["", "\"", "*", "-", "NEAR(", ")(", "😀", "OR AND NOT", "a\0b"] {
            let _ = ix.search(q, 10);
        }
        let huge = "khai ".repeat(200_000);
        assert_eq!(codes(&ix, &huge), vec![0, 1, 3], "a megabyte of words is cut, not refused");
    }
}
