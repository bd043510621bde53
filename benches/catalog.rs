//! Catalog figures: type-ahead latency over 10,000 procedures for every keystroke prefix of the relevance
//! queries, beside a `LIKE '%…%'` scan ranked the same way; import time of the 10,000-row file; memory of
//! the index. Run with `cargo bench --bench catalog`; prints a Markdown report for docs/benchmarks.md.

mod common;
mod generated;

use motcua::app::catalog::{self as catalog, Catalog};
use motcua::domain::clock::FixedClock;
use motcua::domain::fold::tokens;
use motcua::domain::search::Ranking;
use motcua::interchange::catalog_json;
use motcua::store::Store;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const ROWS: usize = 10_000;
const INDEX_REPEATS: usize = 30;
const LIKE_REPEATS: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// The baseline: every current procedure whose folded text contains each word (`LIKE '%word%'`), all
/// matches returned, then ranked by the same weights (code 10, name 8, field 4, rest 2; exact word 1.0,
/// word prefix 0.75), scoring each matched row by scanning its text.
fn like_search(store: &Store, query: &str, limit: usize) -> Vec<(f32, String)> {
    let words = tokens(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut sql = String::from("SELECT code, folded FROM procedure_version WHERE superseded_at IS NULL");
    for i in 0..words.len() {
        sql.push_str(&format!(" AND folded LIKE ?{}", i + 1));
    }
    let patterns: Vec<String> = words.iter().map(|w| format!("%{w}%")).collect();
    let mut stmt = store.conn().prepare_cached(&sql).expect("baseline SQL");
    let rows = stmt
        .query_map(rusqlite::params_from_iter(patterns.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .expect("baseline query");
    let mut scored: Vec<(f32, String)> = rows
        .filter_map(Result::ok)
        .map(|(code, folded)| {
            let parts: Vec<Vec<String>> = folded.split('\u{1f}').map(tokens).collect();
            let weight = |i: usize| match i {
                0 => 10.0,
                1 => 8.0,
                2 => 4.0,
                _ => 2.0,
            };
            let score: f32 = words
                .iter()
                .map(|w| {
                    parts
                        .iter()
                        .enumerate()
                        .flat_map(|(i, part)| {
                            part.iter().map(move |t| {
                                if t == w {
                                    weight(i)
                                } else if t.starts_with(w.as_str()) {
                                    weight(i) * 0.75
                                } else {
                                    0.0
                                }
                            })
                        })
                        .fold(0.0, f32::max)
                })
                .sum();
            (score, code)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.truncate(limit);
    scored
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let dir = std::env::temp_dir().join(format!("motcua-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let clock = FixedClock(time::OffsetDateTime::UNIX_EPOCH);

    let procedures = generated::catalog(ROWS);
    let file = dir.join("catalog-10000.json");
    std::fs::write(&file, catalog_json::write(&procedures, false)).expect("catalog written");
    let size_mib = std::fs::metadata(&file).map(|m| m.len() as f64 / 1048576.0).unwrap_or(0.0);

    // Import: read, check and write 10,000 procedures in one transaction into a fresh database file.
    let mut import_times = Vec::new();
    for run in 0..3 {
        let db = dir.join(format!("import-{run}.db"));
        let mut store = Store::open(&db).expect("store");
        let start = Instant::now();
        let outcome = catalog::import_file(&mut store, &file, &clock).expect("import");
        import_times.push(start.elapsed());
        assert_eq!(outcome.added, ROWS);
    }
    import_times.sort();
    let mut store = Store::open(&dir.join("import-0.db")).expect("store");
    let reimport_start = Instant::now();
    let again = catalog::import_file(&mut store, &file, &clock).expect("re-import");
    let reimport = reimport_start.elapsed();
    assert_eq!(again.unchanged, ROWS);

    let synonyms = catalog::load_synonyms("").expect("synonyms");
    let rss_before = rss_kib();
    let build_start = Instant::now();
    let catalog = Catalog::load(&store, &synonyms).expect("catalog loads");
    let build = build_start.elapsed();
    let rss_after = rss_kib();

    let relevance = relevance_set();
    let queries: Vec<String> = relevance.iter().map(|(q, _, _)| q.clone()).collect();
    // Every keystroke prefix, grouped by its length in characters.
    let mut by_len: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for q in &queries {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            if !prefix.ends_with(' ') {
                by_len.entry(n).or_default().push(prefix);
            }
        }
    }

    println!("## Catalog search and import ({ROWS} procedures)\n");
    println!("Machine: {}; `cargo bench --bench catalog`.\n", common::machine());
    println!("Import of the generated {ROWS}-row JSON catalog ({size_mib:.1} MiB), check + one transaction into a fresh file (WAL, synchronous=FULL):");
    println!(
        "median {:.0} ms (runs: {}); re-import of the unchanged file: {:.0} ms.\n",
        import_times[1].as_secs_f64() * 1e3,
        import_times.iter().map(|d| format!("{:.0} ms", d.as_secs_f64() * 1e3)).collect::<Vec<_>>().join(", "),
        reimport.as_secs_f64() * 1e3
    );
    println!(
        "Index build from the store: {:.0} ms; resident memory grew by {:.1} MiB.\n",
        build.as_secs_f64() * 1e3,
        (rss_after.saturating_sub(rss_before)) as f64 / 1024.0
    );
    println!("| prefix length | prefixes | index p50 | index p99 | LIKE scan p50 | LIKE scan p99 | p50 speed-up |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    let mut worst_p99 = Duration::ZERO;
    let mut worst_p99_from3 = Duration::ZERO;
    let mut min_speedup = f64::MAX;
    let mut all_index = Vec::new();
    let mut all_like = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for (len, prefixes) in &by_len {
        let mut index_times = Vec::new();
        let mut like_times = Vec::new();
        let mut per_prefix: Vec<Vec<Duration>> = vec![Vec::new(); prefixes.len()];
        for _ in 0..INDEX_REPEATS {
            for (i, p) in prefixes.iter().enumerate() {
                let start = Instant::now();
                black_box(catalog.search(black_box(p), 30));
                let took = start.elapsed();
                index_times.push(took);
                per_prefix[i].push(took);
            }
        }
        for (times, p) in per_prefix.iter_mut().zip(prefixes) {
            times.sort();
            slowest.push((percentile(times, 0.5), p.clone()));
        }
        for _ in 0..LIKE_REPEATS {
            for p in prefixes {
                let start = Instant::now();
                black_box(like_search(&store, black_box(p), 30));
                like_times.push(start.elapsed());
            }
        }
        index_times.sort();
        like_times.sort();
        let (ip50, ip99) = (percentile(&index_times, 0.5), percentile(&index_times, 0.99));
        let (lp50, lp99) = (percentile(&like_times, 0.5), percentile(&like_times, 0.99));
        let speedup = lp50.as_secs_f64() / ip50.as_secs_f64().max(1e-9);
        worst_p99 = worst_p99.max(ip99);
        if *len >= 3 {
            worst_p99_from3 = worst_p99_from3.max(ip99);
        }
        min_speedup = min_speedup.min(speedup);
        all_index.extend(index_times);
        all_like.extend(like_times);
        println!(
            "| {len} | {} | {} | {} | {} | {} | {speedup:.0}× |",
            prefixes.len(),
            micros(ip50),
            micros(ip99),
            micros(lp50),
            micros(lp99)
        );
    }
    all_index.sort();
    all_like.sort();
    println!(
        "| all | {} | {} | {} | {} | {} | {:.0}× |\n",
        by_len.values().map(Vec::len).sum::<usize>(),
        micros(percentile(&all_index, 0.5)),
        micros(percentile(&all_index, 0.99)),
        micros(percentile(&all_like, 0.5)),
        micros(percentile(&all_like, 0.99)),
        percentile(&all_like, 0.5).as_secs_f64() / percentile(&all_index, 0.5).as_secs_f64()
    );
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let named: Vec<String> = slowest.iter().take(6).map(|(d, p)| format!("\"{p}\" {}", micros(*d))).collect();
    println!("Slowest prefixes (median of {INDEX_REPEATS} runs each): {}.\n", named.join(", "));
    println!("Worst p99 at any length: {}; from three letters on: {}; smallest p50 speed-up at any length: {min_speedup:.0}×.", micros(worst_p99), micros(worst_p99_from3));
    // The previous ranking (every word required) on the same prefixes, for its time beside this one's.
    let mut previous = Vec::new();
    for _ in 0..INDEX_REPEATS {
        for prefixes in by_len.values() {
            for p in prefixes {
                let start = Instant::now();
                black_box(catalog.search_ranked(black_box(p), 30, Ranking::AllWords));
                previous.push(start.elapsed());
            }
        }
    }
    previous.sort();
    println!(
        "The previous ranking (every word required) on the same prefixes: p50 {}, p99 {}.\n",
        micros(percentile(&previous, 0.5)),
        micros(percentile(&previous, 0.99))
    );
    relevance_figures(&relevance);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The relevance set (tests/fixtures/relevance.tsv): query, the procedures that answer it, its source.
fn relevance_set() -> Vec<(String, Vec<String>, String)> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relevance.tsv"))
        .expect("relevance queries")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].split(' ').map(str::to_string).collect(), f[2].to_string())
        })
        .collect()
}

/// Top-1 and top-3 accuracy and the mean reciprocal rank (of the first answer in the top 10) of both
/// rankings on the demo catalog, by the queries' source and in all, and the catalog's own queries that
/// lose their top-3 place.
fn relevance_figures(set: &[(String, Vec<String>, String)]) {
    let mut store = Store::open_in_memory().expect("store");
    catalog::seed_demo(&mut store, &FixedClock(time::macros::datetime!(2026-06-01 08:00 +7))).expect("demo");
    let demo = Catalog::load(&store, &catalog::load_synonyms("").expect("synonyms")).expect("demo catalog");
    let rank = |q: &str, answers: &[String], ranking: Ranking| {
        let found = demo.search_ranked(q, 10, ranking);
        found.iter().position(|f| answers.contains(&demo.procedures()[f.index].procedure.code)).map(|p| p + 1)
    };
    println!("### Relevance on the demo catalog ({} queries, tests/fixtures/relevance.tsv)\n", set.len());
    println!("| queries | n | top-1 before | top-1 now | top-3 before | top-3 now | MRR before | MRR now |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut lost = Vec::new();
    for source in ["catalog", "desk", "typo", "en", "all"] {
        let part: Vec<_> = set.iter().filter(|(_, _, s)| source == "all" || s == source).collect();
        let mut row = Vec::new();
        for ranking in [Ranking::AllWords, Ranking::Best] {
            let ranks: Vec<Option<usize>> = part.iter().map(|(q, a, _)| rank(q, a, ranking)).collect();
            let n = ranks.len() as f64;
            let top1 = ranks.iter().filter(|r| **r == Some(1)).count() as f64 / n;
            let top3 = ranks.iter().filter(|r| r.is_some_and(|r| r <= 3)).count() as f64 / n;
            let mrr = ranks.iter().map(|r| r.map_or(0.0, |r| 1.0 / r as f64)).sum::<f64>() / n;
            row.push((top1, top3, mrr));
        }
        let pct = |x: f64| format!("{:.1}%", x * 100.0);
        println!(
            "| {source} | {} | {} | {} | {} | {} | {:.3} | {:.3} |",
            part.len(),
            pct(row[0].0),
            pct(row[1].0),
            pct(row[0].1),
            pct(row[1].1),
            row[0].2,
            row[1].2
        );
        if source == "all" {
            for (q, a, s) in &part {
                let before = rank(q, a, Ranking::AllWords).is_some_and(|r| r <= 3);
                let now = rank(q, a, Ranking::Best).is_some_and(|r| r <= 3);
                if before && !now {
                    lost.push(format!("\"{q}\" ({s})"));
                }
            }
        }
    }
    println!(
        "\nQueries in the top 3 before and not now: {}.",
        if lost.is_empty() { "none".into() } else { lost.join(", ") }
    );
}
