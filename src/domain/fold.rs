//! Folding Vietnamese text to a search key: lower case, no tone or vowel marks, `đ` → `d`, `y` → `i`.
//! Citizens type "dang ky khai sinh" or "đăng kí" for "Đăng ký khai sinh"; all of them fold to one key.

use unicode_normalization::char::decompose_canonical;

/// Folds one character into `out`. Combining marks vanish; `đ`/`Đ` (and the look-alike `Ð`) become `d`;
/// `y` becomes `i` because "ký/kí", "lý/lí", "quy/qui" are both in use.
fn fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'y' | 'Y' => out.push('i'),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            match d {
                'y' | 'Y' => out.push('i'),
                d => out.extend(d.to_lowercase()),
            }
        }),
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The search key of a text: see the module documentation.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Splits text into folded words. A word is a run of letters and digits; a `.` or `,` between two digits
/// stays inside it, so that codes ("1.001193") and amounts ("200.000") remain whole.
pub fn tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let chars: Vec<char> = folded.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joins_digits = (c == '.' || c == ',')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() || joins_digits {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_marks_case_and_d() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ki khai sinh");
        assert_eq!(fold("ĐẮK LẮK"), "dak lak");
        assert_eq!(fold("Ủy ban nhân dân"), "ui ban nhan dan");
        assert_eq!(fold("Giấy chứng nhận quyền sử dụng đất"), "giai chung nhan quien su dung dat");
        assert_eq!(fold("Ỡ Ể Ố Ậ Ắ"), "o e o a a");
    }

    #[test]
    fn decomposed_input_folds_like_composed() {
        let decomposed = "Đa\u{0306}\u{0300}ng"; // "Đằng" typed with combining marks
        assert_eq!(fold(decomposed), fold("Đằng"));
    }

    #[test]
    fn tokens_keep_codes_and_amounts_whole() {
        assert_eq!(tokens("Mã 1.001193, phí 200.000 đồng"), ["ma", "1.001193", "phi", "200.000", "dong"]);
        assert_eq!(tokens("(GPXD)-*\"NEAR\" OR 😀"), ["gpxd", "near", "or"]);
        assert_eq!(tokens("1.001193.000.00.00.H56"), ["1.001193.000.00.00", "h56"]);
        assert!(tokens("  ,.;  ").is_empty());
    }
}
