//! What the hall hears when a number is called: Vietnamese readings of ticket numbers (the letter, then
//! each digit) and of counter numbers (as numbers: mười lăm, hai mươi mốt, một trăm lẻ năm), and the
//! sentence from the configured template.

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// Reads 0 to 9999 as a Vietnamese number: 15 "mười lăm", 21 "hai mươi mốt", 24 "hai mươi tư",
/// 105 "một trăm lẻ năm", 1005 "một nghìn không trăm lẻ năm". Larger numbers are read digit by digit.
pub fn read_number(n: u32) -> String {
    if n >= 10_000 {
        return n.to_string().chars().map(digit_word).collect::<Vec<_>>().join(" ");
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    let (thousands, hundreds, tens, units) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10);
    let mut words: Vec<&str> = Vec::new();
    if thousands > 0 {
        words.extend([DIGITS[thousands as usize], "nghìn"]);
    }
    // Below a thousand: hundreds are said (even "không trăm") once anything follows a thousand.
    if hundreds > 0 || (thousands > 0 && (tens > 0 || units > 0)) {
        words.extend([DIGITS[hundreds as usize], "trăm"]);
    }
    match tens {
        0 if units > 0 && (thousands > 0 || hundreds > 0) => words.push("lẻ"),
        0 => {}
        1 => words.push("mười"),
        t => words.extend([DIGITS[t as usize], "mươi"]),
    }
    if units > 0 {
        words.push(match (tens, units) {
            (2..=9, 1) => "mốt",
            (2..=9, 4) => "tư",
            (1..=9, 5) => "lăm",
            (_, u) => DIGITS[u as usize],
        });
    }
    words.join(" ")
}

fn digit_word(c: char) -> &'static str {
    c.to_digit(10).map_or("", |d| DIGITS[d as usize])
}

/// Reads a ticket number as halls do: its letters, then every digit ("A025" → "A, không, hai, năm").
pub fn read_ticket(number: &str) -> String {
    let letters: String = number.chars().take_while(|c| !c.is_ascii_digit()).collect();
    let digits = number[letters.len()..].chars().filter(char::is_ascii_digit).map(digit_word);
    let mut parts: Vec<String> = Vec::new();
    if !letters.is_empty() {
        parts.push(letters);
    }
    parts.extend(digits.map(str::to_string));
    parts.join(", ")
}

/// The announcement from a template with `{number}` and `{counter}`, both read out.
pub fn sentence(template: &str, number: &str, counter: u32) -> String {
    template.replace("{number}", &read_ticket(number)).replace("{counter}", &read_number(counter))
}

/// The default template (domain notes: the phrasing most halls use).
pub const DEFAULT_TEMPLATE: &str = "Mời công dân có số thứ tự {number} đến quầy số {counter}";

/// The clip (file name without `.wav`) of each word a reading is made of; words that differ only by their
/// marks have different clips.
fn word_clip(word: &str) -> Option<&'static str> {
    Some(match word {
        "không" => "khong",
        "một" => "mot",
        "hai" => "hai",
        "ba" => "ba",
        "bốn" => "bon",
        "năm" => "nam",
        "sáu" => "sau",
        "bảy" => "bay",
        "tám" => "tam",
        "chín" => "chin",
        "mười" => "muoi-huyen",
        "mươi" => "muoi-ngang",
        "mốt" => "mot-sac",
        "tư" => "tu",
        "lăm" => "lam",
        "lẻ" => "le",
        "trăm" => "tram",
        "nghìn" => "nghin",
        _ => return None,
    })
}

/// The clip of a fixed phrase of the template: its words without marks, joined by "-"
/// ("đến quầy số" → "den-quay-so").
pub fn phrase_clip(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let plain: String = text
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    plain.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

/// The clips that say an announcement, in order: the chime, then the template's phrases with the ticket
/// (letters, then digits) and the counter (as a number) in their places.
pub fn clip_sequence(template: &str, number: &str, counter: u32) -> Vec<String> {
    let mut clips = vec!["chime".to_string()];
    let mut rest = template;
    while !rest.is_empty() {
        let next = [("{number}", rest.find("{number}")), ("{counter}", rest.find("{counter}"))]
            .into_iter()
            .filter_map(|(tag, at)| at.map(|at| (at, tag)))
            .min();
        let (literal, tag) = match next {
            Some((at, tag)) => (&rest[..at], Some(tag)),
            None => (rest, None),
        };
        let phrase = phrase_clip(literal);
        if !phrase.is_empty() {
            clips.push(phrase);
        }
        match tag {
            Some("{number}") => {
                for c in number.chars() {
                    if c.is_ascii_alphabetic() {
                        clips.push(format!("letter-{}", c.to_ascii_lowercase()));
                    } else if let Some(d) = c.to_digit(10) {
                        clips.push(word_clip(DIGITS[d as usize]).unwrap_or("khong").to_string());
                    }
                }
            }
            Some(_) => clips.extend(read_number(counter).split(' ').filter_map(word_clip).map(str::to_string)),
            None => {}
        }
        rest = match (next, tag) {
            (Some((at, _)), Some(tag)) => &rest[at + tag.len()..],
            _ => "",
        };
    }
    clips
}

/// One announcement to speak: the sentence and how many times it is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    pub number: String,
    pub counter: u32,
    pub text: String,
    /// When the call was made (ms), to drop what is too old to be useful.
    pub called_ms: i64,
}

#[derive(Debug)]
struct Pending {
    call: Announcement,
    /// Times still to say it (the first time included).
    times_left: u32,
}

/// The one line of announcements: the speaker takes the next when it is free, so two never overlap and
/// none is cut off. In a rush it cannot grow without end: a call older than `max_age_ms` is dropped (the
/// board still shows it), and a repeat is said only when nobody else is waiting.
#[derive(Debug)]
pub struct AnnouncementQueue {
    waiting: std::collections::VecDeque<Pending>,
    max_age_ms: i64,
    repeats: u32,
    dropped: u64,
}

impl AnnouncementQueue {
    /// `repeats`: times each sentence is said when the hall is quiet (at least once).
    pub fn new(max_age_ms: i64, repeats: u32) -> AnnouncementQueue {
        AnnouncementQueue { waiting: Default::default(), max_age_ms, repeats: repeats.max(1), dropped: 0 }
    }

    /// A call (or a recall). The same number at the same counter already waiting is not queued twice: it
    /// keeps its place and takes the newer time.
    pub fn push(&mut self, call: Announcement) {
        if let Some(p) =
            self.waiting.iter_mut().find(|p| p.call.number == call.number && p.call.counter == call.counter)
        {
            p.call.called_ms = p.call.called_ms.max(call.called_ms);
            p.times_left = p.times_left.max(self.repeats);
            return;
        }
        self.waiting.push_back(Pending { call, times_left: self.repeats });
    }

    /// What to say now, if anything.
    pub fn next(&mut self, now_ms: i64) -> Option<Announcement> {
        while let Some(front) = self.waiting.front() {
            if now_ms - front.call.called_ms > self.max_age_ms {
                self.waiting.pop_front();
                self.dropped += 1;
                continue;
            }
            break;
        }
        let mut front = self.waiting.pop_front()?;
        let call = front.call.clone();
        front.times_left -= 1;
        // Said again only while nobody else waits; otherwise the others go first and the repeat is skipped.
        if front.times_left > 0 && self.waiting.is_empty() {
            self.waiting.push_front(front);
        }
        Some(call)
    }

    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    /// What waits to be said, first first.
    pub fn pending(&self) -> impl Iterator<Item = &Announcement> {
        self.waiting.iter().map(|p| &p.call)
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Calls dropped as too old since the start.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_vietnamese() {
        for (n, words) in [
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
            (100, "một trăm"),
            (101, "một trăm lẻ một"),
            (105, "một trăm lẻ năm"),
            (110, "một trăm mười"),
            (111, "một trăm mười một"),
            (115, "một trăm mười lăm"),
            (121, "một trăm hai mươi mốt"),
            (204, "hai trăm lẻ bốn"),
            (1000, "một nghìn"),
            (1005, "một nghìn không trăm lẻ năm"),
            (1010, "một nghìn không trăm mười"),
            (1100, "một nghìn một trăm"),
            (2024, "hai nghìn không trăm hai mươi tư"),
            (9999, "chín nghìn chín trăm chín mươi chín"),
            (12345, "một hai ba bốn năm"),
        ] {
            assert_eq!(read_number(n), words, "{n}");
        }
    }

    #[test]
    fn every_number_to_9999_reads_without_gaps() {
        for n in 0..10_000 {
            let words = read_number(n);
            assert!(!words.is_empty() && !words.contains("  "), "{n}: {words:?}");
            // "mốt" and "tư" only after "mươi"; "lăm" only after a ten.
            assert!(!words.starts_with("mốt") && !words.starts_with("lăm"), "{n}: {words}");
            assert!(!words.contains("mười mốt") && !words.contains("mười tư"), "{n}: {words}");
            assert!(!words.contains("lẻ lăm") && !words.contains("lẻ mốt"), "{n}: {words}");
        }
    }

    #[test]
    fn tickets_and_sentences() {
        assert_eq!(read_ticket("A025"), "A, không, hai, năm");
        assert_eq!(read_ticket("B7"), "B, bảy");
        assert_eq!(read_ticket("123"), "một, hai, ba");
        assert_eq!(
            sentence(DEFAULT_TEMPLATE, "A025", 3),
            "Mời công dân có số thứ tự A, không, hai, năm đến quầy số ba"
        );
        assert_eq!(
            sentence("Kính mời số {number} đến quầy {counter}", "C105", 15),
            "Kính mời số C, một, không, năm đến quầy mười lăm"
        );
    }

    fn call(number: &str, counter: u32, at: i64) -> Announcement {
        Announcement {
            number: number.into(),
            counter,
            text: sentence(DEFAULT_TEMPLATE, number, counter),
            called_ms: at,
        }
    }

    #[test]
    fn a_quiet_hall_hears_each_call_twice_and_a_recall_again() {
        let mut q = AnnouncementQueue::new(30_000, 2);
        q.push(call("A001", 1, 0));
        let said: Vec<String> = std::iter::from_fn(|| q.next(1_000)).map(|a| a.number).collect();
        assert_eq!(said, ["A001", "A001"]);
        q.push(call("A001", 1, 5_000)); // recalled
        assert_eq!(q.next(6_000).map(|a| a.number).as_deref(), Some("A001"));
    }

    #[test]
    fn in_a_rush_repeats_are_skipped_and_old_calls_dropped() {
        let mut q = AnnouncementQueue::new(20_000, 2);
        // 30 counters call within a second; each sentence takes about 4 s to say.
        for c in 1..=30 {
            q.push(call(&format!("A{c:03}"), c, i64::from(c) * 30));
        }
        q.push(call("A005", 5, 900)); // a recall of one already waiting is not queued twice
        assert_eq!(q.len(), 30);
        let mut now = 1_000;
        let mut said = Vec::new();
        while let Some(a) = q.next(now) {
            said.push(a.number);
            now += 4_000;
        }
        // Five sentences fit in 20 s: nothing is said twice while others wait, the rest is dropped.
        assert_eq!(said.len(), 5, "{said:?}");
        let unique: std::collections::BTreeSet<_> = said.iter().collect();
        assert_eq!(unique.len(), said.len(), "no repeats in a rush: {said:?}");
        assert_eq!(q.dropped(), 25);
        assert!(q.is_empty());
    }

    #[test]
    fn the_queue_never_grows_past_what_its_age_allows() {
        let mut q = AnnouncementQueue::new(10_000, 2);
        let mut now = 0;
        for i in 0..10_000 {
            // Ten calls a second, one sentence every 3 s.
            q.push(call(&format!("B{:03}", i % 1000), (i % 30) as u32 + 1, now));
            now += 100;
            if i % 30 == 0 {
                q.next(now);
            }
            assert!(q.len() <= 1000, "{}", q.len());
        }
        while q.next(now + 20_000).is_some() {}
        assert!(q.is_empty() && q.dropped() > 0);
    }

    #[test]
    fn clips_of_the_default_sentence() {
        assert_eq!(
            clip_sequence(DEFAULT_TEMPLATE, "A025", 21),
            [
                "chime",
                "moi-cong-dan-co-so-thu-tu",
                "letter-a",
                "khong",
                "hai",
                "nam",
                "den-quay-so",
                "hai",
                "muoi-ngang",
                "mot-sac"
            ]
        );
        assert_eq!(
            clip_sequence("{counter}: {number}", "B1", 105),
            ["chime", "mot", "tram", "le", "nam", "letter-b", "mot"]
        );
        // Every reading up to 9999 has a clip for each of its words.
        for n in 0..10_000 {
            for word in read_number(n).split(' ') {
                assert!(word_clip(word).is_some(), "{n}: {word}");
            }
        }
    }
}
