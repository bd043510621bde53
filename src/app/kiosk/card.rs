//! The chip ID card at "Lấy số", as the kiosk answers a scan: a masked name, the proposed priority, or why
//! the code was not read as a card. Nothing of the card is shown but the masked name.

use super::Words;
use crate::config::Config;
use crate::domain::dossier::mask_name;
use crate::domain::idcard::{self, IdCard};
use time::Date;

/// Whether this kiosk offers the scan: configured, and its card would reach the hub privately (the hub
/// in this process, or a remote hub over HTTPS).
pub fn offers_card(config: &Config) -> bool {
    config.kiosk.id_card && (config.kiosk.hub.is_empty() || config.kiosk.hub.starts_with("https://"))
}

/// What a scan at the priority step gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRead {
    /// The card, when the text is one.
    pub card: Option<IdCard>,
    /// "N*** V*** A***", or empty when the name did not come through intact.
    pub shown: String,
    /// What the screen says: the card was read (and the proposal), or why not.
    pub note: Words,
    /// Index in `[queue] priority_categories` of the category proposed by age.
    pub proposed: Option<usize>,
}

/// Reads a scan as a chip ID card on `today`.
pub fn card_read(text: &str, today: Date, config: &Config) -> CardRead {
    let card = match idcard::read(text) {
        Ok(card) => card,
        Err(why) => {
            // The reason only: the text itself may be a card's contents.
            tracing::info!(%why, "a scan at \"Lấy số\" is not an ID card");
            return CardRead {
                card: None,
                shown: String::new(),
                note: Words::new(
                    "Mã vừa quét không phải mã QR của thẻ căn cước. Hãy quét mã QR trên thẻ, hoặc bỏ qua bước này.",
                    "That is not the QR code of a chip ID card. Scan the QR code on the card, or skip this step.",
                ),
                proposed: None,
            };
        }
    };
    let q = &config.queue;
    let proposed = (!q.elderly_priority.is_empty() && idcard::age_on(card.birth, today) >= q.elderly_age)
        .then(|| q.priority_categories.iter().position(|c| *c == q.elderly_priority))
        .flatten();
    let note = match proposed {
        Some(i) => {
            let name = &q.priority_categories[i];
            Words::new(
                format!("Đã đọc thẻ. Theo ngày sinh, bạn thuộc đối tượng ưu tiên «{name}»: chạm vào ô được tô màu."),
                format!("Card read. By your date of birth you are entitled to «{name}»: tap the highlighted button."),
            )
        }
        None => Words::new(
            "Đã đọc thẻ. Cán bộ tiếp nhận sẽ không phải nhập lại số định danh và ngày sinh.",
            "Card read. The counter will not need to type your ID number and date of birth.",
        ),
    };
    CardRead { shown: card.name.as_deref().map(mask_name).unwrap_or_default(), card: Some(card), note, proposed }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const CARD: &str = "001090123456||Nguyễn Văn An|01011950|Nam|Xã Minh Họa, tỉnh Đắk Lắk|15042021";

    #[test]
    fn an_elderly_citizen_is_proposed_the_elderly_category() {
        let config = Config::default();
        let read = card_read(CARD, date!(2026 - 12 - 04), &config);
        assert_eq!(read.proposed, Some(0));
        assert_eq!(read.shown, "Nguyễn V*** A***");
        assert!(read.note.vi.contains("«Người cao tuổi»"), "{}", read.note.vi);
        // 59 years old: no proposal; the card is still read.
        let young = card_read(&CARD.replace("01011950", "05121966"), date!(2026 - 12 - 04), &config);
        assert_eq!(young.proposed, None);
        assert!(young.card.is_some());
    }

    #[test]
    fn the_age_and_category_follow_the_configuration() {
        let mut config = Config::default();
        config.queue.elderly_age = 80;
        assert_eq!(card_read(CARD, date!(2026 - 12 - 04), &config).proposed, None);
        config.queue.elderly_age = 60;
        config.queue.elderly_priority = String::new();
        assert_eq!(card_read(CARD, date!(2026 - 12 - 04), &config).proposed, None);
    }

    #[test]
    fn a_mangled_name_is_not_shown_and_other_codes_are_not_cards() {
        let config = Config::default();
        let read =
            card_read("001090123456||Nguyn Vn An|01011950|Nam|X Minh Ha|15042021", date!(2026 - 12 - 04), &config);
        assert_eq!(read.shown, "");
        assert_eq!(read.card.as_ref().map(|c| c.number.as_str()), Some("001090123456"));
        let other = card_read("http://10.0.0.5:8080/t/abc", date!(2026 - 12 - 04), &config);
        assert!(other.card.is_none());
        assert!(other.note.vi.contains("không phải mã QR của thẻ căn cước"));
    }

    #[test]
    fn the_scan_is_offered_only_where_the_card_travels_privately() {
        let mut config = Config::default();
        assert!(offers_card(&config), "the hub in this process");
        config.kiosk.hub = "http://192.168.1.10:8080".into();
        assert!(!offers_card(&config));
        config.kiosk.hub = "https://192.168.1.10:8443".into();
        assert!(offers_card(&config));
        config.kiosk.id_card = false;
        assert!(!offers_card(&config));
    }
}
