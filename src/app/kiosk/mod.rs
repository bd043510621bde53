//! What the kiosk's screens decide, apart from drawing them: how the result of taking a number reads to a
//! citizen (the number, or what went wrong and what to do: `ticket`), how a looked-up ticket or code is
//! answered (`lookup`), and what a chip ID card scanned at "Lấy số" gives (`card`). Everything in both
//! languages, so that switching language shows it again unchanged.

mod card;
mod lookup;
mod ticket;

pub use card::*;
pub use lookup::*;
pub use ticket::*;

/// Vietnamese and English of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub vi: String,
    pub en: String,
}

impl Words {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Words {
        Words { vi: vi.into(), en: en.into() }
    }
}
