//! The errors of the queue's use cases: `QueueError` for what the hub decides and stores, `IssueError` for a
//! kiosk taking a number from a hub in this process or over the network.

use crate::domain::counter::CounterRefusal;
use crate::domain::rating::RatingRefusal;
use crate::domain::staff::StaffRefusal;
use crate::domain::ticket::Refusal;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Counter(CounterRefusal),
    #[error("{0}")]
    Staff(StaffRefusal),
    #[error("{0}")]
    Rating(RatingRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no random source for ticket tokens: {0}")]
    Random(String),
    #[error("ticket {0} does not exist")]
    UnknownTicket(i64),
    /// The hub's database writer is not there to answer (it stopped).
    #[error("{0}")]
    Stopped(String),
    /// The change was not saved and nothing of it stayed (its batch failed): the same request may be
    /// sent again.
    #[error("not saved, try again: {0}")]
    Retry(String),
    /// The disk holding the database is full (or the database reached `[hub] database_max_mib`): nothing
    /// was saved, and no change will be until space is freed.
    #[error("not saved: the disk holding the database is full")]
    Full,
}

impl From<rusqlite::Error> for QueueError {
    fn from(e: rusqlite::Error) -> Self {
        QueueError::Store(StoreError::Sqlite(e))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// The remote hub answered with an error.
    #[error("{message_en}")]
    Hub { status: u16, message_vi: String, message_en: String },
    #[error("the hub at {url} cannot be reached: {detail}")]
    Unreachable { url: String, detail: String },
}

impl IssueError {
    /// The hub's disk is full: no number can be given until a technician frees space.
    pub fn disk_full(&self) -> bool {
        matches!(self, IssueError::Queue(QueueError::Full) | IssueError::Hub { status: 507, .. })
    }

    /// The refusal a citizen should read (Vietnamese / English), when the ticket was refused rather than
    /// failed.
    pub fn refusal(&self) -> Option<(String, String)> {
        match self {
            IssueError::Queue(QueueError::Refused(r)) => Some((r.message_vi(), r.to_string())),
            IssueError::Queue(QueueError::Rating(r)) => Some((r.message_vi(), r.to_string())),
            IssueError::Hub { status, message_vi, message_en } if (400..500).contains(status) => {
                Some((message_vi.clone(), message_en.clone()))
            }
            _ => None,
        }
    }
}
