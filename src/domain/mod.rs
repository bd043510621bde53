//! The rules of the hall as plain data and functions: no UI, no database, no devices, no clock of its own.

/// An enum with one spelling per variant, used everywhere it is written down: the database, the wire, the
/// stream and the logs. `parse` takes only those spellings.
macro_rules! spelled {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod announce;
pub mod backoff;
pub mod booking;
pub mod calendar;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod counter;
pub mod diff;
pub mod dossier;
pub mod estimate;
pub mod fold;
pub mod idcard;
pub mod limit;
pub mod lookup;
pub mod outbox;
pub mod queue;
pub mod rating;
pub mod report;
pub mod search;
pub mod sms;
pub mod staff;
pub mod ticket;
pub mod verified;
