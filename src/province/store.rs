//! The province's PostgreSQL database: its schema (migrations in `sql/migrations`, applied in order, each
//! once), the halls and the rows they pushed.

use crate::app::counter::hash_token;
use crate::domain::outbox::{self, Branch, PushedRow};
use tokio_postgres::{Client, NoTls};

const MIGRATIONS: &[&str] = &[
    include_str!("sql/migrations/0001_halls.sql"),
    include_str!("sql/migrations/0002_branches.sql"),
    include_str!("sql/migrations/0003_accounts.sql"),
    include_str!("sql/migrations/0004_public.sql"),
    include_str!("sql/migrations/0005_ratings.sql"),
    include_str!("sql/migrations/0006_catalog.sql"),
    include_str!("sql/migrations/0007_booking.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

#[derive(Debug, thiserror::Error)]
pub enum ProvinceError {
    #[error("cannot reach the province's database: {0}")]
    Connect(#[source] tokio_postgres::Error),
    #[error("the province's database refused: {0}")]
    Database(#[from] tokio_postgres::Error),
    #[error("the province's database is at schema {found}, newer than this program's {supported}")]
    TooNew { found: i32, supported: i32 },
    /// A pushed row that cannot be stored; nothing of its batch was.
    #[error("row {seq}: {why}")]
    Refused { seq: i64, why: String },
}

/// What a push did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingest {
    /// Stored (rows already there skipped); every row up to `acked` is now at the province.
    Stored { acked: i64, new_rows: u64 },
    /// The batch starts after `after`, but the province holds rows only up to `acked`: the hall must
    /// push from there. Nothing was stored.
    Gap { acked: i64 },
}

/// Which halls an account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Halls(Vec<String>),
}

impl Scope {
    pub fn allows(&self, hall: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Halls(halls) => halls.iter().any(|h| h == hall),
        }
    }
}

/// A province account.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub name: String,
    pub password_hash: String,
    pub scope: Scope,
    pub disabled: bool,
}

fn account(r: &tokio_postgres::Row) -> Account {
    let scope = if r.get(3) { Scope::All } else { Scope::Halls(r.get(4)) };
    Account { username: r.get(0), name: r.get(1), password_hash: r.get(2), scope, disabled: r.get(5) }
}

/// A hall's health as its pushes tell it.
#[derive(Debug, Clone)]
pub struct HallHealth {
    pub id: String,
    pub name: String,
    /// When it last pushed (ms), its newest row's time (ms), its printers and backup as last reported.
    pub last_push_ms: Option<i64>,
    pub newest_ms: Option<i64>,
    pub printers: Option<serde_json::Value>,
    pub backup: Option<serde_json::Value>,
    /// Histories (more than one: restored from a backup at least once).
    pub histories: i64,
}

/// Whether `id` may name a hall: 1 to 64 of a-z, 0-9 and -.
pub fn valid_hall_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A connection to the province's database.
pub struct Province {
    client: Client,
}

impl Province {
    /// Connects (`host=… user=… dbname=…`, or a URL) and brings the schema up to date.
    pub async fn connect(conninfo: &str) -> Result<Province, ProvinceError> {
        let mut province = Province::open(conninfo).await?;
        province.migrate().await?;
        Ok(province)
    }

    /// Connects to a database whose schema is already up to date (the service's further connections).
    pub async fn open(conninfo: &str) -> Result<Province, ProvinceError> {
        let (client, connection) = tokio_postgres::connect(conninfo, NoTls).await.map_err(ProvinceError::Connect)?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "the province's database connection ended");
            }
        });
        Ok(Province { client })
    }

    /// Whether the connection has ended (the server restarted or went away).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    async fn migrate(&mut self) -> Result<(), ProvinceError> {
        self.client.batch_execute(include_str!("sql/migrate_lock.sql")).await?;
        let migrated = self.migrate_locked().await;
        let unlocked = self.client.batch_execute(include_str!("sql/migrate_unlock.sql")).await;
        migrated?;
        Ok(unlocked.map(|_| ())?)
    }

    async fn migrate_locked(&mut self) -> Result<(), ProvinceError> {
        self.client.batch_execute(include_str!("sql/schema_version.sql")).await?;
        let found: i32 =
            self.client.query_one("SELECT coalesce(max(version), 0) FROM schema_migration", &[]).await?.get(0);
        if found > SCHEMA_VERSION {
            return Err(ProvinceError::TooNew { found, supported: SCHEMA_VERSION });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.client.transaction().await?;
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO schema_migration (version) VALUES ($1)", &[&(i as i32 + 1)]).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Adds a hall (or gives it a new name and token).
    pub async fn add_hall(&self, id: &str, name: &str, token: &str) -> Result<(), ProvinceError> {
        self.client.execute(include_str!("sql/hall_insert.sql"), &[&id, &name, &hash_token(token)]).await?;
        Ok(())
    }

    /// Every hall: id and name, by id.
    pub async fn halls(&self) -> Result<Vec<(String, String)>, ProvinceError> {
        let rows = self.client.query(include_str!("sql/hall_list.sql"), &[]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The hall a push token belongs to.
    pub async fn hall_by_token(&self, token: &str) -> Result<Option<String>, ProvinceError> {
        let row = self.client.query_opt(include_str!("sql/hall_by_token.sql"), &[&hash_token(token)]).await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// The last sequence stored of a hall's history (0: none yet).
    pub async fn acked(&self, hall: &str, epoch: &str) -> Result<i64, ProvinceError> {
        let row = self.client.query_opt(include_str!("sql/epoch_acked.sql"), &[&hall, &epoch]).await?;
        Ok(row.map_or(0, |r| r.get(0)))
    }

    /// Stores a batch of a hall's rows that follows its row `after`, in one transaction. Rows already
    /// stored are skipped (a batch sent twice counts once); a batch that would leave a hole (the province
    /// holds less than `after`) is a gap and stores nothing; rows must come in increasing order, each with
    /// only the fields the allowlist names. `parent` tells where a restored hall's new history branches
    /// from (read when the history is first met).
    pub async fn ingest(
        &mut self,
        hall: &str,
        epoch: &str,
        parent: Option<&Branch>,
        after: i64,
        rows: &[PushedRow],
    ) -> Result<Ingest, ProvinceError> {
        let mut last = after;
        for row in rows {
            if row.seq <= last {
                return Err(ProvinceError::Refused { seq: row.seq, why: format!("not after row {last}") });
            }
            outbox::check(&row.kind, &row.body).map_err(|why| ProvinceError::Refused { seq: row.seq, why })?;
            last = row.seq;
        }
        let tx = self.client.transaction().await?;
        let (parent_epoch, branch) = parent.map_or((None, 0), |p| (Some(p.epoch.as_str()), p.seq));
        let line = tx.query_one(include_str!("sql/epoch_lock.sql"), &[&hall, &epoch, &parent_epoch, &branch]).await?;
        let (acked, new_history): (i64, bool) = (line.get(0), line.get(1));
        if after > acked {
            return Ok(Ingest::Gap { acked });
        }
        if new_history && parent.is_some() {
            // A restored hall: its public pages start again from what the restored database holds.
            tx.execute(include_str!("sql/public/rebuild.sql"), &[&hall]).await?;
        }
        let fresh: Vec<&PushedRow> = rows.iter().filter(|r| r.seq > acked).collect();
        let seqs: Vec<i64> = fresh.iter().map(|r| r.seq).collect();
        let kinds: Vec<&str> = fresh.iter().map(|r| r.kind.as_str()).collect();
        let at: Vec<i64> = fresh.iter().map(|r| r.at_ms).collect();
        let bodies: Vec<&serde_json::Value> = fresh.iter().map(|r| &r.body).collect();
        let new_rows = if fresh.is_empty() {
            0
        } else {
            tx.execute(include_str!("sql/row_insert.sql"), &[&hall, &epoch, &seqs, &kinds, &at, &bodies]).await?
        };
        if new_rows > 0 {
            tx.execute(include_str!("sql/public/apply.sql"), &[&hall, &epoch, &acked]).await?;
            if fresh.iter().any(|r| r.kind == "booking") {
                tx.execute(include_str!("sql/booking/apply.sql"), &[&hall, &epoch, &acked]).await?;
            }
        }
        tx.execute(include_str!("sql/epoch_ack.sql"), &[&hall, &epoch, &last]).await?;
        tx.commit().await?;
        Ok(Ingest::Stored { acked: acked.max(last), new_rows })
    }

    /// Adds an account, or replaces its name, password and halls (and enables it again).
    pub async fn put_account(
        &self,
        username: &str,
        name: &str,
        hash: &str,
        scope: &Scope,
    ) -> Result<(), ProvinceError> {
        let (all, halls) = match scope {
            Scope::All => (true, Vec::new()),
            Scope::Halls(h) => (false, h.clone()),
        };
        self.client.execute(include_str!("sql/account_put.sql"), &[&username, &name, &hash, &all, &halls]).await?;
        Ok(())
    }

    pub async fn account(&self, username: &str) -> Result<Option<Account>, ProvinceError> {
        Ok(self.client.query_opt(include_str!("sql/account_get.sql"), &[&username]).await?.as_ref().map(account))
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, ProvinceError> {
        Ok(self.client.query(include_str!("sql/account_list.sql"), &[]).await?.iter().map(account).collect())
    }

    /// Disables an account and ends its sessions; false when there is no such account.
    pub async fn disable_account(&self, username: &str) -> Result<bool, ProvinceError> {
        Ok(self.client.execute(include_str!("sql/account_disable.sql"), &[&username]).await? > 0)
    }

    /// Opens a session for `minutes` under the cookie's hash.
    pub async fn open_session(
        &self,
        token_hash: &str,
        username: &str,
        csrf: &str,
        minutes: i32,
    ) -> Result<(), ProvinceError> {
        self.client.execute(include_str!("sql/session_open.sql"), &[&token_hash, &username, &csrf, &minutes]).await?;
        Ok(())
    }

    /// The account of a live session, with the session's CSRF token.
    pub async fn session(&self, token_hash: &str) -> Result<Option<(Account, String)>, ProvinceError> {
        let row = self.client.query_opt(include_str!("sql/session_get.sql"), &[&token_hash]).await?;
        Ok(row.map(|r| (account(&r), r.get(6))))
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), ProvinceError> {
        self.client.execute(include_str!("sql/session_end.sql"), &[&token_hash]).await?;
        Ok(())
    }

    /// The health of the listed halls, by id.
    pub async fn hall_health(&self, halls: &[String]) -> Result<Vec<HallHealth>, ProvinceError> {
        let rows = self.client.query(include_str!("sql/hall_health.sql"), &[&halls]).await?;
        let ms = |t: Option<std::time::SystemTime>| {
            t.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_millis() as i64)
        };
        Ok(rows
            .iter()
            .map(|r| HallHealth {
                id: r.get(0),
                name: r.get(1),
                last_push_ms: ms(r.get(2)),
                newest_ms: r.get(3),
                printers: r.get(4),
                backup: r.get(5),
                histories: r.get(6),
            })
            .collect())
    }

    /// The client, for reports and tests.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(super) fn client_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}
