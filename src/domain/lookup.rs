//! What a citizen typed or scanned at the lookup screen: a queue ticket (its QR holds the ticket page's
//! address, whose last part is the ticket's token), a dossier code from a receipt, or neither.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The 32-hex-digit token of a queue ticket.
    Ticket(String),
    /// A dossier code: `<agency code>-<yyMMdd>-<NNNN>`, upper case.
    Dossier(String),
    /// The token of a dossier's own QR (`…/d/<token>`).
    DossierToken(String),
    /// The token of a booking's QR (`…/lich-hen/<token>`): checks the booking in.
    Booking(String),
    /// A booking's code ("H-0312"): checked in with the phone's last three digits.
    BookingCode(String),
    Unknown,
}

pub fn parse(input: &str) -> Lookup {
    let text = input.trim();
    let token = |t: &str| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit());
    // A scanned dossier QR: ".../d/<token>"; a booking's: ".../lich-hen/<token>".
    for (path, made) in [("/d/", Lookup::DossierToken as fn(String) -> Lookup), ("/lich-hen/", Lookup::Booking)] {
        if let Some(at) = text.rfind(path) {
            let candidate = text[at + path.len()..].split(['?', '#', '/']).next().unwrap_or("");
            if token(candidate) {
                return made(candidate.to_ascii_lowercase());
            }
        }
    }
    // A scanned ticket QR: ".../t/<token>", possibly with a query or a trailing slash.
    let candidate = match text.rfind("/t/") {
        Some(at) => text[at + 3..].split(['?', '#', '/']).next().unwrap_or(""),
        None => text,
    };
    if token(candidate) {
        return Lookup::Ticket(candidate.to_ascii_lowercase());
    }
    if let Some(code) = super::booking::parse_code(text) {
        return Lookup::BookingCode(code);
    }
    match super::dossier::DossierCode::parse(text) {
        Some(_) => Lookup::Dossier(text.to_uppercase()),
        None => Lookup::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_ticket_addresses_and_bare_tokens_are_tickets() {
        let token = "0123456789abcdef0123456789ABCDEF";
        let want = Lookup::Ticket(token.to_ascii_lowercase());
        assert_eq!(parse(&format!("http://192.168.1.10:8080/t/{token}")), want);
        assert_eq!(parse(&format!("  http://hub.local/t/{token}?from=qr\n")), want);
        assert_eq!(parse(token), want);
        assert_eq!(parse(&format!("http://hub.local/t/{}", &token[..31])), Lookup::Unknown);
        let dossier = Lookup::DossierToken(token.to_ascii_lowercase());
        assert_eq!(parse(&format!("http://192.168.1.10:8080/d/{token}")), dossier);
        let booking = Lookup::Booking(token.to_ascii_lowercase());
        assert_eq!(parse(&format!("https://dichvucong.tinh.gov.vn/lich-hen/{token}")), booking);
        assert_eq!(parse("h-0312"), Lookup::BookingCode("H-0312".into()));
    }

    #[test]
    fn dossier_codes_of_both_national_shapes() {
        assert_eq!(parse("h57.132-260804-0583"), Lookup::Dossier("H57.132-260804-0583".into()));
        assert_eq!(parse("000.00.19.H47-260105-0001"), Lookup::Dossier("000.00.19.H47-260105-0001".into()));
        for bad in ["", "H57.132-2608-0583", "H57.132-260804-", "-260804-0583", "H57 132-260804-0583", "A025"] {
            assert_eq!(parse(bad), Lookup::Unknown, "{bad:?}");
        }
    }
}
