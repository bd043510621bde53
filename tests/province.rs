//! The province's storage on a real PostgreSQL (Debian's server, a scratch cluster started by the test as a
//! non-root user): a hall's outbox pushed in batches is stored exactly once and in order, whatever is sent
//! twice, out of turn, at once from several connections, or with a field that may not leave the hall; a
//! restored hall keeps its histories apart; the database going away is an error that loses nothing.

mod common;
#[path = "common/postgres.rs"]
mod postgres;

use common::hub::*;
use motcua::app::outbox;
use motcua::config::Config;
use motcua::province::{Ingest, Province, ProvinceError, PushedRow};
use motcua::store::Store;
use postgres::Postgres;
use serde_json::json;
use time::macros::datetime;

/// A hall's outbox after a short morning: the demo catalog's versions, tickets taken, called and served.
fn hall_rows() -> Vec<PushedRow> {
    let h = start_with(open_all_day(Config::default()), datetime!(2026-12-01 08:00 +7), |store| {
        motcua::app::catalog::seed_demo(store, &common::clock()).unwrap();
    });
    let session = h.login(1);
    for _ in 0..6 {
        h.take("HT", None);
    }
    for _ in 0..4 {
        assert_eq!(h.post("/api/v1/counter/next", Some(&session), json!({})).status, 200);
        assert_eq!(h.post("/api/v1/counter/complete", Some(&session), json!({})).status, 200);
    }
    let store = Store::open(&h.dir.path().join("motcua.db")).unwrap();
    outbox::pending(&store, 0, 10_000)
        .unwrap()
        .into_iter()
        .map(|r| PushedRow { seq: r.seq, kind: r.kind, at_ms: r.at_ms, body: serde_json::from_str(&r.body).unwrap() })
        .collect()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// What the province holds of a hall's history: (seq, kind, body), in order.
async fn stored(p: &Province, hall: &str, epoch: &str) -> Vec<(i64, String, serde_json::Value)> {
    p.client()
        .query("SELECT seq, kind, body FROM hall_row WHERE hall = $1 AND epoch = $2 ORDER BY seq", &[&hall, &epoch])
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[test]
fn every_row_reaches_the_province_once_and_in_order_whatever_is_sent_twice_or_refused() {
    let Some(pg) = Postgres::start("every_row_reaches_the_province_once_and_in_order") else { return };
    pg.create_db("province");
    let rows = hall_rows();
    assert!(rows.len() > 75, "{} rows", rows.len());
    runtime().block_on(async {
        let mut p = Province::connect(&pg.conninfo("province")).await.unwrap();
        p.add_hall("xa-minh-hoa", "Xã Minh Họa", "hall-token-1").await.unwrap();
        assert_eq!(p.hall_by_token("hall-token-1").await.unwrap().as_deref(), Some("xa-minh-hoa"));
        assert_eq!(p.hall_by_token("hall-token-2").await.unwrap(), None);
        let (hall, epoch) = ("xa-minh-hoa", "e1");

        let batches: Vec<&[PushedRow]> = rows.chunks(25).collect();
        let after = |i: usize| if i == 0 { 0 } else { batches[i - 1].last().unwrap().seq };
        let first = p.ingest(hall, epoch, None, 0, batches[0]).await.unwrap();
        assert_eq!(first, Ingest::Stored { acked: batches[0].last().unwrap().seq, new_rows: 25 });
        // The same batch again (its answer was lost): stored once.
        let again = p.ingest(hall, epoch, None, 0, batches[0]).await.unwrap();
        assert_eq!(again, Ingest::Stored { acked: batches[0].last().unwrap().seq, new_rows: 0 });
        // A batch out of turn: nothing stored, and the hall is told where to go on from.
        let gap = p.ingest(hall, epoch, None, after(2), batches[2]).await.unwrap();
        assert_eq!(gap, Ingest::Gap { acked: after(1) });
        // A row carrying a field that may not leave the hall: refused by its number, nothing of the batch kept.
        let mut leaking = batches[1].to_vec();
        leaking[3].body["applicant_phone"] = json!("0912345678");
        let refused = p.ingest(hall, epoch, None, after(1), &leaking).await.unwrap_err();
        assert!(
            matches!(&refused, ProvinceError::Refused { seq, why } if *seq == leaking[3].seq && why.ends_with("applicant_phone")),
            "{refused}"
        );
        assert_eq!(stored(&p, hall, epoch).await.len(), 25);
        // Rows out of order within a batch are refused too.
        let mut shuffled = batches[1].to_vec();
        shuffled.swap(0, 1);
        assert!(matches!(p.ingest(hall, epoch, None, after(1), &shuffled).await, Err(ProvinceError::Refused { .. })));

        // The next batch pushed at once over four connections (a hub restarted mid-push, retrying): once.
        let mut pushes = Vec::new();
        for _ in 0..4 {
            let (conninfo, batch) = (pg.conninfo("province"), batches[1].to_vec());
            let from = after(1);
            pushes.push(tokio::spawn(async move {
                let mut p = Province::connect(&conninfo).await.unwrap();
                p.ingest("xa-minh-hoa", "e1", None, from, &batch).await.unwrap()
            }));
        }
        let mut new_rows = 0;
        for push in pushes {
            match push.await.unwrap() {
                Ingest::Stored { acked, new_rows: n } => {
                    assert_eq!(acked, after(2));
                    new_rows += n;
                }
                gap => panic!("{gap:?}"),
            }
        }
        assert_eq!(new_rows, 25, "stored by exactly one of the four");
        for (i, batch) in batches.iter().enumerate().skip(2) {
            assert!(matches!(p.ingest(hall, epoch, None, after(i), batch).await.unwrap(), Ingest::Stored { .. }));
        }
        // Every row of the hall exactly once, in its order, as the hall wrote it.
        let held = stored(&p, hall, epoch).await;
        let expected: Vec<(i64, String, serde_json::Value)> =
            rows.iter().map(|r| (r.seq, r.kind.clone(), r.body.clone())).collect();
        assert_eq!(held, expected);
        assert_eq!(p.acked(hall, epoch).await.unwrap(), rows.last().unwrap().seq);

        // The hall restored from a backup taken after its 50th row: a new epoch, a history of its own that
        // starts at the branch, the first kept whole. The hall's line is the first history up to the
        // branch and the new one after it; the first's rows after the branch are not counted.
        let branch = motcua::domain::outbox::Branch { epoch: epoch.into(), seq: rows[49].seq };
        let resent = p.ingest(hall, "e2", Some(&branch), 0, &rows[..10]).await.unwrap();
        assert_eq!(resent, Ingest::Stored { acked: rows[49].seq, new_rows: 0 }, "rows before the branch are the parent's");
        let onward = p.ingest(hall, "e2", Some(&branch), rows[49].seq, &rows[50..60]).await.unwrap();
        assert_eq!(onward, Ingest::Stored { acked: rows[59].seq, new_rows: 10 });
        assert_eq!(stored(&p, hall, epoch).await.len(), rows.len());
        assert_eq!(stored(&p, hall, "e2").await.len(), 10);
        let line: Vec<(String, i64)> = p
            .client()
            .query("SELECT epoch, seq FROM hall_line WHERE hall = $1 ORDER BY seq", &[&hall])
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let expected: Vec<(String, i64)> = rows[..60]
            .iter()
            .enumerate()
            .map(|(i, r)| (if i < 50 { epoch } else { "e2" }.to_string(), r.seq))
            .collect();
        assert_eq!(line, expected);
        // A restore whose parent the province never met starts from nothing.
        let stranger = motcua::domain::outbox::Branch { epoch: "unknown".into(), seq: 40 };
        assert_eq!(p.ingest(hall, "e3", Some(&stranger), rows[39].seq, &rows[40..41]).await.unwrap(), Ingest::Gap { acked: 0 });
    });
}

#[test]
fn the_schema_is_made_once_and_a_newer_one_is_refused() {
    let Some(pg) = Postgres::start("the_schema_is_made_once_and_a_newer_one_is_refused") else { return };
    pg.create_db("province");
    pg.create_db("together");
    runtime().block_on(async {
        // Four processes starting at once on an empty database: one migrates, the others wait for it.
        let conninfo = pg.conninfo("together");
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let conninfo = conninfo.clone();
                tokio::spawn(async move { Province::connect(&conninfo).await.map(|_| ()) })
            })
            .collect();
        for start in starts {
            start.await.unwrap().unwrap();
        }
        let p = Province::connect(&pg.conninfo("province")).await.unwrap();
        drop(Province::connect(&pg.conninfo("province")).await.unwrap());
        let versions: i64 = p.client().query_one("SELECT count(*) FROM schema_migration", &[]).await.unwrap().get(0);
        assert_eq!(versions, motcua::province::store::SCHEMA_VERSION as i64);
        p.client().execute("INSERT INTO schema_migration (version) VALUES (99)", &[]).await.unwrap();
        let refused = Province::connect(&pg.conninfo("province")).await.err().expect("refused");
        assert!(matches!(refused, ProvinceError::TooNew { found: 99, .. }), "{refused}");
        let missing = Province::connect(&pg.conninfo("no_such_db")).await.err().expect("no database");
        assert!(missing.to_string().starts_with("cannot reach the province's database"), "{missing}");
    });
}

#[test]
fn the_database_going_away_mid_push_is_an_error_that_loses_nothing() {
    let Some(pg) = Postgres::start("the_database_going_away_mid_push_is_an_error_that_loses_nothing") else { return };
    pg.create_db("province");
    let rows = hall_rows();
    runtime().block_on(async {
        let mut p = Province::connect(&pg.conninfo("province")).await.unwrap();
        p.add_hall("xa-a", "Xã A", "t").await.unwrap();
        p.ingest("xa-a", "e1", None, 0, &rows[..40]).await.unwrap();
        pg.kill();
        let failed = p.ingest("xa-a", "e1", None, rows[39].seq, &rows[40..]).await.unwrap_err();
        assert!(matches!(failed, ProvinceError::Database(_)), "{failed}");
        assert!(Province::connect(&pg.conninfo("province")).await.is_err(), "refusing connections");
        pg.server_start();
        let mut p = Province::connect(&pg.conninfo("province")).await.unwrap();
        // The hall does not know whether its last batch arrived: it asks, and goes on from there.
        let acked = p.acked("xa-a", "e1").await.unwrap();
        assert_eq!(acked, rows[39].seq, "the batch cut off was not half stored");
        p.ingest("xa-a", "e1", None, acked, &rows[40..]).await.unwrap();
        assert_eq!(stored(&p, "xa-a", "e1").await.len(), rows.len());
    });
}
