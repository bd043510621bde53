//! What the province's public pages read from PostgreSQL (`sql/public/`): the tables migration 0004
//! keeps up to date with every push.

use super::store::{Province, ProvinceError};
use serde_json::Value;

/// A ticket as its hall last pushed it.
#[derive(Debug, Clone)]
pub struct PublicTicket {
    pub hall: String,
    pub id: i64,
    pub day: String,
    /// The service it waits in now.
    pub service: String,
    pub state: String,
    pub priority: bool,
    pub arrived_ms: i64,
    pub body: Value,
}

/// A hall as the public pages show it: its name, its newest `hall` row, and when it was last heard from.
#[derive(Debug, Clone)]
pub struct PublicHall {
    pub name: String,
    pub body: Option<Value>,
    pub last_push_ms: Option<i64>,
}

impl Province {
    pub async fn public_ticket(&self, token: &str) -> Result<Option<PublicTicket>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/public/ticket.sql"), &[&token]).await?;
        Ok(row.map(|r| PublicTicket {
            hall: r.get(0),
            id: r.get(1),
            day: r.get(2),
            service: r.get(3),
            state: r.get(4),
            priority: r.get(5),
            arrived_ms: r.get(6),
            body: r.get(7),
        }))
    }

    /// People called before a waiting ticket.
    pub async fn ahead(&self, t: &PublicTicket) -> Result<i64, ProvinceError> {
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
            [&t.hall, &t.day, &t.service, &t.id, &t.priority, &t.arrived_ms];
        Ok(self.client().query_one(include_str!("sql/public/ahead.sql"), &params).await?.get(0))
    }

    /// The numbers of a line at the counters now.
    pub async fn serving(&self, hall: &str, day: &str, service: &str) -> Result<Vec<String>, ProvinceError> {
        let rows = self.client().query(include_str!("sql/public/serving.sql"), &[&hall, &day, &service]).await?;
        Ok(rows.iter().filter_map(|r| r.get::<_, Option<String>>(0)).collect())
    }

    pub async fn public_hall(&self, hall: &str) -> Result<Option<PublicHall>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/public/hall.sql"), &[&hall]).await?;
        Ok(row.map(|r| PublicHall { name: r.get(0), body: r.get(1), last_push_ms: r.get(2) }))
    }

    /// A dossier by its public token: its hall and its newest row.
    pub async fn public_dossier(&self, token: &str) -> Result<Option<(String, Value)>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/public/dossier.sql"), &[&token]).await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    pub async fn dossier_of_ticket(&self, hall: &str, ticket_id: i64) -> Result<Option<Value>, ProvinceError> {
        let row =
            self.client().query_opt(include_str!("sql/public/dossier_of_ticket.sql"), &[&hall, &ticket_id]).await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// A dossier's statuses, oldest first: (when in ms, status code).
    pub async fn dossier_steps(&self, hall: &str, id: i64) -> Result<Vec<(i64, i32)>, ProvinceError> {
        let rows = self.client().query(include_str!("sql/public/dossier_steps.sql"), &[&hall, &id]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub async fn procedure_name(&self, hall: &str, code: &str, version: i64) -> Result<Option<String>, ProvinceError> {
        let row =
            self.client().query_opt(include_str!("sql/public/procedure_name.sql"), &[&hall, &code, &version]).await?;
        Ok(row.and_then(|r| r.get(0)))
    }

    /// Changes whenever the hall's published catalog does.
    pub async fn catalog_stamp(&self, hall: &str) -> Result<(i64, i64), ProvinceError> {
        let r = self.client().query_one(include_str!("sql/public/catalog_stamp.sql"), &[&hall]).await?;
        Ok((r.get(0), r.get(1)))
    }

    /// A hall's published catalog: (version, published at, procedure) of each procedure.
    pub async fn catalog(&self, hall: &str) -> Result<Vec<(i64, String, Value)>, ProvinceError> {
        let rows = self.client().query(include_str!("sql/public/catalog.sql"), &[&hall]).await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }
}

/// A rating given on the province's page.
#[derive(Debug, Clone)]
pub struct SentRating {
    pub level: String,
    pub reasons: Vec<String>,
    /// None once the hall has pulled it: its words live in the hall.
    pub complaint: Option<String>,
    pub rated_ms: i64,
    pub delivered: bool,
}

impl Province {
    /// Keeps a rating given on the province's page until its hall pulls it (a change replaces it).
    pub async fn put_rating(
        &self,
        hall: &str,
        token: &str,
        sent: (&str, &[String], Option<&str>),
        now_ms: i64,
    ) -> Result<(), ProvinceError> {
        let (level, reasons, complaint) = sent;
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
            [&hall, &token, &level, &reasons, &complaint, &now_ms];
        self.client().execute(include_str!("sql/public/rating_put.sql"), &params).await?;
        Ok(())
    }

    pub async fn sent_rating(&self, hall: &str, token: &str) -> Result<Option<SentRating>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/public/rating_sent.sql"), &[&hall, &token]).await?;
        Ok(row.map(|r| SentRating {
            level: r.get(0),
            reasons: r.get(1),
            complaint: r.get(2),
            rated_ms: r.get(3),
            delivered: r.get(4),
        }))
    }

    /// A ticket's rating as its hall last pushed it.
    pub async fn pushed_rating(&self, hall: &str, ticket_id: i64) -> Result<Option<Value>, ProvinceError> {
        let row = self.client().query_opt(include_str!("sql/public/rating_pushed.sql"), &[&hall, &ticket_id]).await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// A hall's pull: every rating up to `after` is delivered (its complaint erased here), those delivered
    /// two days ago are forgotten, then at most `limit` of those it has not pulled yet.
    pub async fn pull_ratings(
        &mut self,
        hall: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<crate::domain::outbox::PulledRating>, ProvinceError> {
        let tx = self.client_mut().transaction().await?;
        tx.execute(include_str!("sql/ratings_ack.sql"), &[&hall, &after]).await?;
        tx.execute(include_str!("sql/ratings_purge.sql"), &[&hall]).await?;
        let rows = tx.query(include_str!("sql/ratings_pull.sql"), &[&hall, &after, &limit]).await?;
        tx.commit().await?;
        Ok(rows
            .iter()
            .map(|r| crate::domain::outbox::PulledRating {
                id: r.get(0),
                token: r.get(1),
                level: r.get(2),
                reasons: r.get(3),
                complaint: r.get(4),
            })
            .collect())
    }
}

/// What publishing the province's catalog did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

impl Province {
    /// Publishes procedures as the province's, in one transaction: a new version of each one whose text
    /// changed, a first version of each new one; the others stay as they are.
    pub async fn publish_catalog(
        &mut self,
        procedures: &[crate::domain::catalog::Procedure],
        now: &str,
    ) -> Result<Published, ProvinceError> {
        let tx = self.client_mut().transaction().await?;
        let mut done = Published::default();
        for p in procedures {
            let body = serde_json::to_value(p).unwrap_or(Value::Null);
            let found = tx.query_one(include_str!("sql/catalog/find.sql"), &[&p.code]).await?;
            let (current, text, newest): (Option<i64>, Option<Value>, i64) = (found.get(0), found.get(1), found.get(2));
            if text.as_ref() == Some(&body) {
                done.unchanged += 1;
                continue;
            }
            if current.is_some() {
                tx.execute(include_str!("sql/catalog/supersede.sql"), &[&p.code, &now]).await?;
                done.changed += 1;
            } else {
                done.added += 1;
            }
            tx.execute(include_str!("sql/catalog/insert.sql"), &[&p.code, &(newest + 1), &body, &now]).await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Retires a procedure of the province's catalog; false when it publishes none under that code.
    pub async fn retire_procedure(&self, code: &str, now: &str) -> Result<bool, ProvinceError> {
        Ok(self.client().execute(include_str!("sql/catalog/supersede.sql"), &[&code, &now]).await? > 0)
    }

    /// The province's published catalog as halls pull it, with its stamp.
    pub async fn province_catalog(&self) -> Result<crate::app::catalog::Published, ProvinceError> {
        let s = self.client().query_one(include_str!("sql/catalog/stamp.sql"), &[]).await?;
        let stamp = format!("\"{}-{}-{}\"", s.get::<_, i64>(0), s.get::<_, i64>(1), s.get::<_, i64>(2));
        let rows = self.client().query(include_str!("sql/catalog/current.sql"), &[]).await?;
        let mut procedures = Vec::new();
        for r in rows {
            let code: String = r.get(0);
            match serde_json::from_value(r.get(3)) {
                Ok(procedure) => procedures.push(crate::app::catalog::PublishedProcedure {
                    version: r.get(1),
                    published_at: r.get(2),
                    procedure,
                }),
                Err(e) => tracing::error!(%code, error = %e, "a procedure of the province's catalog cannot be read"),
            }
        }
        Ok(crate::app::catalog::Published { stamp, procedures })
    }
}
