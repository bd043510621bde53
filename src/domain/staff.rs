//! Staff accounts: who may do what (roles), what a username, a name and a secret must look like, and why
//! a change to an account is refused. Pure rules; hashing and storage are elsewhere.

use std::fmt;

spelled! {
    /// What a staff member may do. An account holds one or more.
    Role {
        /// Logs in at a counter and serves tickets.
        Counter = "counter",
        /// Reads the hall's reports.
        Leader = "leader",
        /// Keeps the hall's configuration and accounts.
        Admin = "admin",
    }
}

/// The roles of one account, in the order of `Role::ALL`, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Roles(Vec<Role>);

impl Roles {
    /// Reads "counter,leader" (commas or spaces); refuses an empty list or an unknown role by name.
    pub fn parse(text: &str) -> Result<Roles, StaffRefusal> {
        let mut roles = Vec::new();
        for word in text.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
            roles.push(Role::parse(word).ok_or_else(|| StaffRefusal::UnknownRole(word.to_string()))?);
        }
        if roles.is_empty() {
            return Err(StaffRefusal::NoRole);
        }
        Ok(Roles(Role::ALL.iter().copied().filter(|r| roles.contains(r)).collect()))
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }
}

/// "counter,leader": how roles are stored and listed.
impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<&str> = self.0.iter().map(|r| r.as_str()).collect();
        f.write_str(&words.join(","))
    }
}

/// A username as typed at a login: trimmed and lower-cased, so that "Lan.NT" and "lan.nt" are one account.
pub fn username(text: &str) -> Result<String, StaffRefusal> {
    let name = text.trim().to_lowercase();
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-');
    let ok = (3..=32).contains(&name.len())
        && name.bytes().all(allowed)
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    ok.then_some(name).ok_or(StaffRefusal::Username)
}

/// A staff member's name as shown on the console and in reports ("Nguyễn Thị Lan").
pub fn display_name(text: &str) -> Result<String, StaffRefusal> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let ok = !name.is_empty() && name.chars().count() <= 80 && !name.chars().any(char::is_control);
    ok.then_some(name).ok_or(StaffRefusal::Name)
}

/// The longest secret accepted: a passphrase, not a document; it bounds the cost of hashing it.
pub const SECRET_MAX: usize = 128;

/// A secret is a PIN of `pin_min` to 12 digits, or a password of at least 10 characters that is not only
/// digits (so that a short PIN cannot pass as a password).
pub fn check_secret(secret: &str, pin_min: u32) -> Result<(), StaffRefusal> {
    let digits = !secret.is_empty() && secret.bytes().all(|b| b.is_ascii_digit());
    let len = secret.chars().count();
    let ok = if digits { (pin_min as usize..=12).contains(&len) } else { (10..=SECRET_MAX).contains(&len) };
    ok.then_some(()).ok_or(StaffRefusal::Secret { pin_min })
}

/// Why a change to an account, or a staff login, was refused. Vietnamese for staff, English for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffRefusal {
    Username,
    Name,
    NoRole,
    UnknownRole(String),
    Secret {
        pin_min: u32,
    },
    Taken(String),
    Unknown(String),
    /// A wrong username or secret, or a disabled account: one answer for all, so that a guesser learns
    /// nothing about which accounts exist.
    WrongLogin,
    /// The account lacks the role this needs.
    NotAllowed(Role),
    /// Changing one's own PIN needs the current one.
    WrongCurrent,
}

impl StaffRefusal {
    pub fn message_vi(&self) -> String {
        match self {
            StaffRefusal::Username => {
                "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang, \
                 bắt đầu bằng chữ."
                    .into()
            }
            StaffRefusal::Name => "Họ tên không được để trống và dài tối đa 80 ký tự.".into(),
            StaffRefusal::NoRole => "Cần ít nhất một vai trò: counter, leader hoặc admin.".into(),
            StaffRefusal::UnknownRole(r) => format!("Không có vai trò \"{r}\" (chỉ có counter, leader, admin)."),
            StaffRefusal::Secret { pin_min } => format!(
                "Mã PIN gồm {pin_min} đến 12 chữ số, hoặc mật khẩu dài 10 đến {SECRET_MAX} ký tự không chỉ gồm chữ số."
            ),
            StaffRefusal::Taken(u) => format!("Tên đăng nhập \"{u}\" đã có người dùng."),
            StaffRefusal::Unknown(u) => format!("Không có tài khoản \"{u}\"."),
            StaffRefusal::WrongLogin => "Tên đăng nhập hoặc mã PIN/mật khẩu không đúng.".into(),
            StaffRefusal::NotAllowed(Role::Counter) => "Tài khoản này không được làm việc tại quầy.".into(),
            StaffRefusal::NotAllowed(Role::Leader) => "Tài khoản này không được xem báo cáo.".into(),
            StaffRefusal::NotAllowed(Role::Admin) => "Tài khoản này không có quyền quản trị.".into(),
            StaffRefusal::WrongCurrent => "Mã PIN hiện tại không đúng.".into(),
        }
    }
}

impl fmt::Display for StaffRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StaffRefusal::Username => write!(
                f,
                "a username is 3-32 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter"
            ),
            StaffRefusal::Name => write!(f, "a name is 1-80 characters"),
            StaffRefusal::NoRole => write!(f, "give at least one role: counter, leader or admin"),
            StaffRefusal::UnknownRole(r) => write!(f, "unknown role \"{r}\" (counter, leader, admin)"),
            StaffRefusal::Secret { pin_min } => write!(
                f,
                "a PIN is {pin_min} to 12 digits; a password is 10 to {SECRET_MAX} characters, not only digits"
            ),
            StaffRefusal::Taken(u) => write!(f, "the username \"{u}\" is taken"),
            StaffRefusal::Unknown(u) => write!(f, "no account \"{u}\""),
            StaffRefusal::WrongLogin => write!(f, "wrong username or secret"),
            StaffRefusal::NotAllowed(role) => write!(f, "the account lacks the {role} role"),
            StaffRefusal::WrongCurrent => write!(f, "the current PIN is wrong"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_in_any_order_and_are_kept_in_one() {
        let roles = Roles::parse("leader, counter,leader").expect("roles");
        assert_eq!(roles.to_string(), "counter,leader");
        assert!(roles.has(Role::Leader) && !roles.has(Role::Admin));
        assert_eq!(Roles::parse("counter boss"), Err(StaffRefusal::UnknownRole("boss".into())));
        assert_eq!(Roles::parse(" , "), Err(StaffRefusal::NoRole));
    }

    #[test]
    fn usernames_names_and_secrets() {
        assert_eq!(username("  Lan.NT ").as_deref(), Ok("lan.nt"));
        for bad in ["ab", "1lan", "lan nt", "lân", &"a".repeat(33)] {
            assert_eq!(username(bad), Err(StaffRefusal::Username), "{bad}");
        }
        assert_eq!(display_name(" Nguyễn  Thị\tLan ").as_deref(), Ok("Nguyễn Thị Lan"));
        assert_eq!(display_name("  "), Err(StaffRefusal::Name));
        assert!(check_secret("123456", 6).is_ok());
        assert!(check_secret("12345", 6).is_err());
        assert!(check_secret("1234567890123", 6).is_err(), "thirteen digits is neither a PIN nor a password");
        assert!(check_secret("mùa thu Hà Nội", 6).is_ok());
        assert!(check_secret("short pw", 6).is_err());
        assert!(check_secret(&"x".repeat(SECRET_MAX + 1), 6).is_err());
        assert!(StaffRefusal::Secret { pin_min: 6 }.message_vi().contains("6 đến 12 chữ số"));
    }
}
