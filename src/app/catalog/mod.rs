//! The procedure catalog as the kiosk uses it: loaded from the store into a search index, imported from
//! files all-or-nothing, exported back in the canonical form, seeded with the bundled demo catalog.

use crate::domain::catalog::Procedure;
use crate::domain::clock::{rfc3339, Clock};
use crate::domain::fold::fold;
use crate::domain::search::{Ranking, SearchDoc, SearchIndex, Synonyms};
use crate::interchange::{self, catalog_json, ImportError};
use crate::store::catalog::{self as repo, ImportOutcome, StoredProcedure};
use crate::store::{Store, StoreError};
use std::path::Path;

mod edit;
pub mod province;

pub use edit::{
    current_version, discard_draft, draft_pages, drafts, edits, publish, read_edit, retire, save_draft, EditRefusal,
    Editing, NEW_PAGE,
};

/// The bundled demo catalog: the common commune-level procedures, many values still unverified.
pub const DEMO_CATALOG: &str = include_str!("../../../assets/catalog/demo.json");
/// The bundled synonyms and abbreviations.
pub const BUNDLED_SYNONYMS: &str = include_str!("../../../assets/catalog/synonyms.txt");
/// The bundled English words for the Vietnamese terms, read as synonym groups.
pub const BUNDLED_GLOSSARY: &str = include_str!("../../../assets/catalog/glossary-en.txt");
/// The bundled stop words.
pub const BUNDLED_STOP_WORDS: &str = include_str!("../../../assets/catalog/stopwords.txt");

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("synonym file {file}: {}", render_lines(.problems))]
    Synonyms { file: String, problems: Vec<(usize, String)> },
    #[error("cannot read synonym file {file}: {source}")]
    SynonymsRead { file: String, source: std::io::Error },
}

impl From<CatalogError> for crate::app::queue::QueueError {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::Store(e) => crate::app::queue::QueueError::Store(e),
            other => crate::app::queue::QueueError::Stopped(other.to_string()),
        }
    }
}

fn render_lines(problems: &[(usize, String)]) -> String {
    problems.iter().map(|(l, m)| format!("line {l}: {m}")).collect::<Vec<_>>().join("; ")
}

/// The bundled synonyms, English glossary and stop words, then the hall's own synonym file named in the
/// configuration (`[catalog] synonyms_file`; empty for none), whose groups add to the bundled ones.
pub fn load_synonyms(path: &str) -> Result<Synonyms, CatalogError> {
    let parse = |file: &str, text: &str| {
        Synonyms::parse(text).map_err(|problems| CatalogError::Synonyms { file: file.to_string(), problems })
    };
    let mut synonyms = parse("assets/catalog/synonyms.txt", BUNDLED_SYNONYMS)?
        .merged(parse("assets/catalog/glossary-en.txt", BUNDLED_GLOSSARY)?)
        .with_stop_words(BUNDLED_STOP_WORDS);
    if !path.is_empty() {
        let text = std::fs::read_to_string(path)
            .map_err(|source| CatalogError::SynonymsRead { file: path.to_string(), source })?;
        synonyms = synonyms.merged(parse(path, &text)?);
    }
    Ok(synonyms)
}

/// The published catalog as a kiosk on another machine loads it from the hub (`GET /api/v1/catalog`) and
/// keeps it for when the hub is away.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Published {
    /// Changes with every publish: the answer's `ETag`.
    pub stamp: String,
    pub procedures: Vec<PublishedProcedure>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishedProcedure {
    pub version: i64,
    pub published_at: String,
    pub procedure: Procedure,
}

impl Published {
    pub fn of(catalog: &Catalog, stamp: &str) -> Published {
        let procedures = catalog
            .procedures()
            .iter()
            .map(|s| PublishedProcedure {
                version: s.version,
                published_at: s.imported_at.clone(),
                procedure: s.procedure.clone(),
            })
            .collect();
        Published { stamp: stamp.to_string(), procedures }
    }

    /// Reads a catalog as the hub sent it or as it was kept, checking every procedure as an import does:
    /// a kiosk shows nothing it would refuse to import.
    pub fn read(bytes: &[u8]) -> Result<Published, String> {
        let published: Published =
            serde_json::from_slice(bytes).map_err(|e| format!("not a published catalog: {e}"))?;
        for p in &published.procedures {
            if let Some(problem) = p.procedure.problems().first() {
                return Err(format!("procedure {}: {problem}", p.procedure.code));
            }
        }
        Ok(published)
    }

    pub fn into_catalog(self, synonyms: &Synonyms) -> Catalog {
        let procedures = self
            .procedures
            .into_iter()
            .map(|p| StoredProcedure {
                id: 0,
                version: p.version,
                imported_at: p.published_at,
                source: String::new(),
                procedure: p.procedure,
            })
            .collect();
        Catalog::new(procedures, synonyms)
    }
}

/// One search result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Position in `Catalog::procedures`.
    pub index: usize,
    pub score: f32,
}

/// The current procedures, indexed for search. Immutable; reload after an import.
pub struct Catalog {
    procedures: Vec<StoredProcedure>,
    index: SearchIndex,
    fields: Vec<(String, usize)>,
}

impl Catalog {
    pub fn load(store: &Store, synonyms: &Synonyms) -> Result<Catalog, CatalogError> {
        Ok(Catalog::new(repo::current(store.conn())?, synonyms))
    }

    pub fn new(mut procedures: Vec<StoredProcedure>, synonyms: &Synonyms) -> Catalog {
        // Alphabetical as a reader expects it ("Đ" with "D"), not by code point.
        procedures.sort_by_cached_key(|s| {
            let p = &s.procedure;
            (fold(p.field_name()), fold(&p.name), p.code.clone())
        });
        let docs: Vec<SearchDoc> = procedures.iter().map(|s| search_doc(&s.procedure)).collect();
        let index = SearchIndex::build(&docs, synonyms);
        let mut fields: Vec<(String, usize)> = Vec::new();
        for s in &procedures {
            let name = s.procedure.field_name();
            match fields.iter_mut().find(|(f, _)| f == name) {
                Some((_, n)) => *n += 1,
                None => fields.push((name.to_string(), 1)),
            }
        }
        // Busiest fields first: they are what most citizens come for.
        fields.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Catalog { procedures, index, fields }
    }

    pub fn procedures(&self) -> &[StoredProcedure] {
        &self.procedures
    }

    pub fn len(&self) -> usize {
        self.procedures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.procedures.is_empty()
    }

    /// Fields (lĩnh vực) with their procedure counts, busiest first.
    pub fn fields(&self) -> &[(String, usize)] {
        &self.fields
    }

    /// Positions of the procedures of one field, in name order.
    pub fn in_field(&self, field: &str) -> Vec<usize> {
        (0..self.procedures.len()).filter(|&i| self.procedures[i].procedure.field_name() == field).collect()
    }

    pub fn by_code(&self, code: &str) -> Option<&StoredProcedure> {
        self.procedures.iter().find(|s| s.procedure.code == code)
    }

    pub fn search(&self, query: &str, limit: usize) -> Vec<Found> {
        self.search_ranked(query, limit, Ranking::Best)
    }

    /// `search` under a given ranking (the benchmark measures the previous one beside it).
    pub fn search_ranked(&self, query: &str, limit: usize, ranking: Ranking) -> Vec<Found> {
        let hits = self.index.search_ranked(query, limit, ranking);
        hits.into_iter().map(|h| Found { index: h.doc, score: h.score }).collect()
    }
}

fn search_doc(p: &Procedure) -> SearchDoc {
    SearchDoc {
        code: p.code.clone(),
        name: p.name.clone(),
        field: p.field.clone(),
        keywords: p.keywords.clone(),
        documents: p.documents.iter().map(|d| d.name.clone()).collect(),
    }
}

/// Imports procedures in one transaction: all of them or, on any error, none. A change is published: the
/// hall's event log says so, and kiosks following the hub load the catalog again.
pub fn import(
    store: &mut Store,
    procedures: &[Procedure],
    source: &str,
    clock: &dyn Clock,
) -> Result<ImportOutcome, CatalogError> {
    let now = clock.now();
    let tx = store.change()?;
    let outcome = repo::upsert(&tx, procedures, source, &rfc3339(now))?;
    if outcome.added + outcome.changed > 0 {
        // Kiosks following the hub hear of it and load the catalog again.
        let detail = serde_json::json!({ "added": outcome.added, "changed": outcome.changed, "source": source });
        repo::record_published(
            &tx,
            crate::domain::clock::millis(now),
            &format!("import:{source}"),
            &detail.to_string(),
        )?;
    }
    tx.commit()?;
    Ok(outcome)
}

/// Reads, checks and imports a catalog file. A file with any problem changes nothing.
pub fn import_file(store: &mut Store, path: &Path, clock: &dyn Clock) -> Result<ImportOutcome, CatalogError> {
    let file = interchange::read_catalog(path)?;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    import(store, &file.procedures, &source, clock)
}

/// What importing a file would do, field by field, with nothing written (`catalog import --diff`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportPreview {
    /// New procedures: (code, name).
    pub added: Vec<(String, String)>,
    /// Procedures whose new version differs: (code, name, the fields that change).
    pub changed: Vec<(String, String, Vec<crate::domain::diff::Change>)>,
    pub unchanged: usize,
    /// Current procedures the file does not have: an import keeps them.
    pub not_in_file: Vec<(String, String)>,
}

/// Reads and checks a catalog file and compares it with the current catalog; writes nothing.
pub fn preview_file(store: &Store, path: &Path) -> Result<ImportPreview, CatalogError> {
    let file = interchange::read_catalog(path)?;
    preview(store, &file.procedures)
}

/// What importing `procedures` would do, field by field; writes nothing.
pub fn preview(store: &Store, procedures: &[Procedure]) -> Result<ImportPreview, CatalogError> {
    let current = repo::current(store.conn())?;
    let value = |p: &Procedure| serde_json::to_value(p).unwrap_or(serde_json::Value::Null);
    let mut preview = ImportPreview::default();
    for p in procedures {
        match current.iter().find(|c| c.procedure.code == p.code) {
            None => preview.added.push((p.code.clone(), p.name.clone())),
            Some(old) => {
                let changes = crate::domain::diff::changes(&value(&old.procedure), &value(p));
                if changes.is_empty() {
                    preview.unchanged += 1;
                } else {
                    preview.changed.push((p.code.clone(), p.name.clone(), changes));
                }
            }
        }
    }
    preview.not_in_file = current
        .iter()
        .filter(|c| !procedures.iter().any(|p| p.code == c.procedure.code))
        .map(|c| (c.procedure.code.clone(), c.procedure.name.clone()))
        .collect();
    Ok(preview)
}

/// Loads the bundled demo catalog into a database that has no procedures. Returns what it did, if anything.
pub fn seed_demo(store: &mut Store, clock: &dyn Clock) -> Result<Option<ImportOutcome>, CatalogError> {
    if repo::count_current(store.conn())? > 0 {
        return Ok(None);
    }
    let file = interchange::parse_catalog("assets/catalog/demo.json", DEMO_CATALOG.as_bytes())?;
    Ok(Some(import(store, &file.procedures, "demo", clock)?))
}

/// The current catalog in the canonical JSON form.
pub fn export(store: &Store, demo: bool) -> Result<String, CatalogError> {
    let procedures: Vec<Procedure> = repo::current(store.conn())?.into_iter().map(|s| s.procedure).collect();
    Ok(catalog_json::write(&procedures, demo))
}

/// Every version of one procedure, oldest first: its history.
pub fn versions(store: &Store, code: &str) -> Result<Vec<StoredProcedure>, StoreError> {
    repo::versions(store.conn(), code)
}

/// Which published catalog the store holds: two equal stamps, the same current procedures. Readers that
/// keep a `Catalog` (the hub's public pages) load it again when the stamp moves.
pub fn stamp(store: &Store) -> Result<(i64, i64), StoreError> {
    repo::stamp(store.conn())
}

/// Which notice-board sheets to make.
pub enum Posters<'a> {
    /// One procedure's sheet.
    Code(&'a str),
    /// A field's index page and its procedures' sheets.
    Field(&'a str),
    /// Every field's, fields in alphabetical order.
    All,
}

/// The notice-board sheets (A4 PDF) of the published catalog; Err says what was not found, in both
/// languages' words for the command line.
pub fn posters(
    catalog: &Catalog,
    config: &crate::config::Config,
    which: &Posters<'_>,
    now: time::OffsetDateTime,
) -> Result<Vec<u8>, String> {
    use crate::interchange::poster::{self, Group, Hall};
    let all = catalog.procedures();
    let groups: Vec<Group<'_>> = match which {
        Posters::Code(code) => {
            let stored = catalog
                .by_code(code)
                .ok_or_else(|| format!("no procedure with code {code} in the published catalog"))?;
            vec![Group { field: None, procedures: vec![stored] }]
        }
        Posters::Field(field) => {
            let procedures: Vec<&StoredProcedure> = catalog.in_field(field).into_iter().map(|i| &all[i]).collect();
            if procedures.is_empty() {
                let known: Vec<&str> = catalog.fields().iter().map(|(f, _)| f.as_str()).collect();
                return Err(format!("no field \"{field}\"; the fields are: {}", known.join(", ")));
            }
            vec![Group { field: Some(field), procedures }]
        }
        Posters::All => {
            let mut fields: Vec<&str> = catalog.fields().iter().map(|(f, _)| f.as_str()).collect();
            fields.sort_by_key(|f| fold(f));
            fields
                .into_iter()
                .map(|f| Group {
                    field: Some(f),
                    procedures: catalog.in_field(f).into_iter().map(|i| &all[i]).collect(),
                })
                .collect()
        }
    };
    let stamp = crate::domain::clock::local_stamp(now);
    let printed = stamp.split(' ').nth(1).unwrap_or(&stamp);
    let hall = Hall { name: &config.center.name, province: &config.center.province, printed };
    poster::posters(&hall, &groups, &|code: &str| config.catalog.page_url(&config.queue, code))
}

/// The current procedures' codes and names, in catalog order: what a counter picks from when it receives
/// a dossier.
pub fn names(store: &Store) -> Result<Vec<(String, String)>, StoreError> {
    Ok(repo::current(store.conn())?.into_iter().map(|p| (p.procedure.code, p.procedure.name)).collect())
}
