//! `motcua province serve`: the province's HTTPS service. Halls push their outbox to `POST /api/v1/push`
//! and pull ratings (`GET /api/v1/ratings`) and the province's catalog (`GET /api/v1/catalog`) with their
//! token (docs/province.md); leaders read `web`'s pages, citizens' phones `public`'s. Every request is bounded before it costs anything: connections and requests per
//! client (the `[hub]` limits), an unknown token looked up in the database only a few times a minute per
//! client, one push per hall at a time, the body's size and time, the rows in a batch, and a wait of at
//! most `database_wait_ms` for one of `database_connections` connections to PostgreSQL.

use super::store::{Ingest, Province, ProvinceError};
use crate::app::counter::hash_token;
use crate::config::Config;
use crate::domain::client::Proxies;
use crate::domain::limit::{Limiter, Rate};
use crate::domain::outbox::{Acked, Batch};
use crate::hub::net;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The largest push read: a batch of `max_batch_rows` rows, procedure texts included.
pub const PUSH_MAX_BYTES: usize = 16 * 1024 * 1024;
/// Lookups of a token the service does not know, per client per minute.
const UNKNOWN_TOKENS_PER_MINUTE: u32 = 10;
/// A hall's token is looked up again after this long, so that a replaced token stops working.
const TOKEN_KEPT: Duration = Duration::from_secs(60);
/// The systemd credential holding the database's connection string (`LoadCredential=`).
pub const CREDENTIAL: &str = "motcua-province-db";

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Province(#[from] ProvinceError),
    #[error("cannot serve HTTPS: {0}")]
    Tls(#[from] crate::tls::TlsError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("the province service stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The connection string: `[province] database_file`, or the systemd credential.
pub fn conninfo(config: &Config, data_dir: &Path) -> Result<String, ServeError> {
    let file = config.province.database_file.trim();
    // A relative name is taken in the data folder.
    let path = if !file.is_empty() {
        data_dir.join(file)
    } else if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
        PathBuf::from(dir).join(CREDENTIAL)
    } else {
        return Err(ServeError::Config(format!(
            "[province] database_file is empty and there is no systemd credential {CREDENTIAL}: name a file (mode \
             0640) holding the PostgreSQL connection string"
        )));
    };
    crate::config::read_secret(&path).map_err(|e| ServeError::Config(e.to_string()))
}

/// Connections to PostgreSQL, at most `permits`; one is waited for at most `wait`.
struct Pool {
    conninfo: String,
    idle: Mutex<Vec<Province>>,
    permits: tokio::sync::Semaphore,
    wait: Duration,
}

/// A connection taken from the pool, given back when dropped unless it broke.
pub struct Pooled<'a> {
    pool: &'a Pool,
    province: Option<Province>,
    _permit: tokio::sync::SemaphorePermit<'a>,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Province;
    fn deref(&self) -> &Province {
        self.province.as_ref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut Province {
        self.province.as_mut().expect("held until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.province.take().filter(|p| !p.is_closed()) {
            self.pool.idle.lock().unwrap_or_else(|e| e.into_inner()).push(p);
        }
    }
}

impl Pool {
    /// A connection, or None when every one stayed busy for `wait`.
    async fn get(&self) -> Result<Option<Pooled<'_>>, ProvinceError> {
        let Ok(Ok(permit)) = tokio::time::timeout(self.wait, self.permits.acquire()).await else {
            return Ok(None);
        };
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let province = match idle {
            Some(p) => p,
            None => Province::open(&self.conninfo).await?,
        };
        Ok(Some(Pooled { pool: self, province: Some(province), _permit: permit }))
    }
}

/// The service's state.
pub struct Service {
    config: Config,
    pool: Pool,
    proxies: Proxies,
    started: Instant,
    requests: Mutex<Rate>,
    unknown: Mutex<Limiter>,
    /// Halls by token hash, with when they were looked up.
    halls: Mutex<HashMap<String, (String, Instant)>>,
    /// Halls whose push is being stored now.
    pushing: Mutex<HashSet<String>>,
    /// Province accounts' logins, counted before their passwords are checked.
    guard: crate::hub::guard::LoginGuard,
    /// Working days for the reports: the built-in years and `[dossiers] calendar_dir`.
    calendar: crate::domain::calendar::Calendar,
    /// A hash of a password nobody has, checked when a login names no account, so that both cost the same.
    dummy_hash: String,
    /// Public pages' lookups that found nothing, per client.
    lookups: Mutex<Limiter>,
    /// Each hall's catalog for the public pages, with the stamp it was loaded at.
    catalogs: super::public::Catalogs,
    /// The search's synonyms (`[catalog] synonyms_file`, else the bundled ones).
    synonyms: crate::domain::search::Synonyms,
    /// Bookings asked for per address, per hour.
    bookings: Mutex<Limiter>,
    /// The key phone numbers are hashed with before their hall is told (kept in the database).
    phone_key: String,
}

type Shared = State<Arc<Service>>;

impl Service {
    /// Connects to PostgreSQL and brings its schema up to date.
    pub async fn start(config: Config, conninfo: String) -> Result<Arc<Service>, ServeError> {
        let first = Province::connect(&conninfo).await?;
        let hub = &config.hub;
        let backoff = crate::domain::backoff::Backoff {
            free: hub.max_login_failures.max(1),
            first_ms: 1000,
            max_ms: i64::from(hub.login_backoff_max_s) * 1000,
        };
        let calendar = crate::app::dossier::calendar(&config).map_err(|e| ServeError::Config(e.to_string()))?;
        let unknown_secret = crate::app::queue::token().map_err(|e| ServeError::Config(e.to_string()))?;
        let dummy_hash =
            crate::app::counter::hash_secret(&unknown_secret).map_err(|e| ServeError::Config(e.to_string()))?;
        let synonyms = crate::app::catalog::load_synonyms(&config.catalog.synonyms_file)
            .map_err(|e| ServeError::Config(e.to_string()))?;
        let phone_key = first.booking_key().await?;
        let service = Service {
            bookings: Mutex::new(Limiter::new(config.province.booking_per_address_per_hour, 3_600_000)),
            phone_key,
            lookups: Mutex::new(Limiter::new(super::public::LOOKUPS_PER_MINUTE, 60_000)),
            catalogs: tokio::sync::Mutex::new(HashMap::new()),
            synonyms,
            pool: Pool {
                conninfo,
                idle: Mutex::new(vec![first]),
                permits: tokio::sync::Semaphore::new(config.province.database_connections as usize),
                wait: Duration::from_millis(u64::from(config.province.database_wait_ms)),
            },
            proxies: Proxies::parse(&hub.trusted_proxies).unwrap_or_default(),
            started: Instant::now(),
            requests: Mutex::new(Rate::new(hub.requests_per_second, hub.request_burst)),
            unknown: Mutex::new(Limiter::new(UNKNOWN_TOKENS_PER_MINUTE, 60_000)),
            halls: Mutex::new(HashMap::new()),
            pushing: Mutex::new(HashSet::new()),
            guard: crate::hub::guard::LoginGuard::new(backoff, hub.max_hash_checks as usize, Vec::new()),
            calendar,
            dummy_hash,
            config,
        };
        Ok(Arc::new(service))
    }

    pub(super) fn now_ms(&self) -> i64 {
        self.started.elapsed().as_millis() as i64
    }

    pub(super) fn config(&self) -> &Config {
        &self.config
    }

    pub(super) fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    pub(super) fn guard(&self) -> &crate::hub::guard::LoginGuard {
        &self.guard
    }

    pub(super) fn calendar(&self) -> &crate::domain::calendar::Calendar {
        &self.calendar
    }

    pub(super) fn lookups(&self) -> &Mutex<Limiter> {
        &self.lookups
    }

    pub(super) fn catalogs(&self) -> &super::public::Catalogs {
        &self.catalogs
    }

    pub(super) fn synonyms(&self) -> &crate::domain::search::Synonyms {
        &self.synonyms
    }

    pub(super) fn phone_key(&self) -> &str {
        &self.phone_key
    }

    /// Counts a booking asked for by `client`; false past its bookings for the hour.
    pub(super) fn booking_allowed(&self, client: &str) -> bool {
        self.bookings.lock().unwrap_or_else(|e| e.into_inner()).allow(client, self.now_ms())
    }

    /// Counts a public page's lookup; false past the client's lookups for the minute.
    pub(super) fn lookup_allowed(&self, client: &str) -> bool {
        self.lookups.lock().unwrap_or_else(|e| e.into_inner()).allow(client, self.now_ms())
    }

    /// Takes back a lookup that found what it looked for.
    pub(super) fn lookup_found(&self, client: &str) {
        self.lookups.lock().unwrap_or_else(|e| e.into_inner()).refund(client, self.now_ms());
    }

    pub(super) fn dummy_hash(&self) -> &str {
        &self.dummy_hash
    }

    /// A connection to PostgreSQL, or the page's answer that the province is busy or its database down.
    pub(super) async fn database(&self) -> Result<Pooled<'_>, Response> {
        match self.pool.get().await {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(busy("Máy chủ tỉnh đang bận.", "the province is busy; try again")),
            Err(e) => Err(database_down(&e)),
        }
    }
}

pub fn router(service: Arc<Service>) -> Router {
    let forms = DefaultBodyLimit::max(super::web::FORM_MAX_BYTES);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/push", post(push).layer(DefaultBodyLimit::max(PUSH_MAX_BYTES)))
        .route("/", get(|| async { (StatusCode::SEE_OTHER, [(header::LOCATION, "/bao-cao")]) }))
        .route("/dang-nhap", get(super::web::login_form).post(super::web::login).layer(forms))
        .route("/dang-xuat", post(super::web::logout).layer(forms))
        .route("/bao-cao", get(super::web::report))
        .route("/bao-cao/bao-cao.css", get(super::web::style))
        .route("/tinh-trang", get(super::web::health))
        .route("/api/v1/ratings", get(pull_ratings))
        .route("/api/v1/catalog", get(province_catalog))
        .route("/t/{token}", get(super::public::ticket))
        .route("/t/{token}/danh-gia", post(super::public::rate).layer(forms))
        .route("/mat/{file}", get(super::public::face))
        .route("/d/{token}", get(super::public::dossier))
        .route("/thu-tuc", get(super::public::halls))
        .route("/diem/{hall}/thu-tuc", get(super::public::catalog))
        .route("/diem/{hall}/thu-tuc/{code}", get(super::public::procedure))
        .route("/api/v1/bookings", get(pull_bookings))
        .route("/dat-lich", get(super::booking::halls))
        .route("/dat-lich/{hall}", get(super::booking::services))
        .route("/dat-lich/{hall}/huy", post(super::booking_page::cancel_by_code).layer(forms))
        .route("/dat-lich/{hall}/{service}", get(super::booking::form).post(super::booking::book).layer(forms))
        .route("/lich-hen/{token}", get(super::booking_page::booking_page))
        .route("/lich-hen/{token}/huy", post(super::booking_page::cancel))
        .fallback(|| async { refuse(StatusCode::NOT_FOUND, "Không có trang này.", "not found") })
        .layer(axum::middleware::from_fn_with_state(service.clone(), count_request))
        .with_state(service)
}

/// A refusal, in both languages.
fn refuse(status: StatusCode, vi: &str, en: &str) -> Response {
    (status, Json(serde_json::json!({ "message_vi": vi, "message_en": en }))).into_response()
}

fn busy(vi: &str, en: &str) -> Response {
    let mut response = refuse(StatusCode::SERVICE_UNAVAILABLE, vi, en);
    response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    response
}

/// Requests per client, counted before anything else is done.
async fn count_request(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let key = net::client_of(Some(peer), req.headers(), &service.proxies);
    let allowed = net::own_machine(peer.ip())
        || service.requests.lock().unwrap_or_else(|e| e.into_inner()).allow(&key, service.now_ms());
    if !allowed {
        let mut response =
            refuse(StatusCode::TOO_MANY_REQUESTS, "Quá nhiều yêu cầu; xin thử lại sau.", "too many requests");
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return response;
    }
    next.run(req).await
}

async fn healthz(State(service): Shared) -> Response {
    let database = match service.pool.get().await {
        Ok(Some(p)) => p.client().simple_query("SELECT 1").await.map(|_| "ok").unwrap_or("unreachable"),
        Ok(None) => "busy",
        Err(_) => "unreachable",
    };
    let status = if database == "ok" { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(serde_json::json!({ "status": database, "version": env!("CARGO_PKG_VERSION") }))).into_response()
}

/// The hall a bearer token belongs to. A token not in memory is counted before it is looked up, and the
/// count taken back when it is a hall's: unknown tokens are looked up only a few times a minute per
/// client, while many halls behind one address (a provincial network's NAT) are never held up.
async fn hall_of(service: &Service, headers: &HeaderMap, client: &str) -> Result<String, Response> {
    let denied = || refuse(StatusCode::UNAUTHORIZED, "Mã của điểm một cửa không đúng.", "unknown hall token");
    let token = crate::hub::bearer(headers).filter(|t| !t.is_empty() && t.len() <= 128).ok_or_else(denied)?;
    let hash = hash_token(&token);
    if let Some((hall, at)) = service.halls.lock().unwrap_or_else(|e| e.into_inner()).get(&hash) {
        if at.elapsed() < TOKEN_KEPT {
            return Ok(hall.clone());
        }
    }
    if !service.unknown.lock().unwrap_or_else(|e| e.into_inner()).allow(client, service.now_ms()) {
        return Err(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "Thử mã quá nhiều lần; xin chờ một phút.",
            "too many unknown tokens; wait a minute",
        ));
    }
    let province = service.database().await?;
    match province.hall_by_token(&token).await {
        Ok(Some(hall)) => {
            service.unknown.lock().unwrap_or_else(|e| e.into_inner()).refund(client, service.now_ms());
            service.halls.lock().unwrap_or_else(|e| e.into_inner()).insert(hash, (hall.clone(), Instant::now()));
            Ok(hall)
        }
        Ok(None) => Err(denied()),
        Err(e) => Err(database_down(&e)),
    }
}

fn database_down(e: &ProvinceError) -> Response {
    tracing::warn!(error = %e, "the province's database cannot be used");
    busy("Cơ sở dữ liệu của tỉnh chưa sẵn sàng.", "the province's database cannot be reached; try again")
}

fn too_large() -> Response {
    refuse(StatusCode::PAYLOAD_TOO_LARGE, "Lô dữ liệu quá lớn.", "the push is larger than 16 MiB")
}

/// Marks a hall's push as in progress until dropped.
struct Pushing<'a>(&'a Service, String);

impl Drop for Pushing<'_> {
    fn drop(&mut self) {
        self.0.pushing.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.1);
    }
}

/// `POST /api/v1/push`: one batch of a hall's outbox (docs/province.md, "The link").
async fn push(State(service): Shared, ConnectInfo(peer): ConnectInfo<SocketAddr>, req: Request) -> Response {
    let client = net::client_of(Some(peer), req.headers(), &service.proxies);
    let length = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if length.is_some_and(|n| n > PUSH_MAX_BYTES as u64) {
        return too_large();
    }
    let hall = match hall_of(&service, req.headers(), &client).await {
        Ok(hall) => hall,
        Err(refused) => return refused,
    };
    if !service.pushing.lock().unwrap_or_else(|e| e.into_inner()).insert(hall.clone()) {
        return busy("Điểm này đang gửi một lô khác.", "this hall is already pushing; one push at a time");
    }
    let _pushing = Pushing(&service, hall.clone());
    let limit = Duration::from_secs(u64::from(service.config.hub.body_timeout_s));
    let bytes = match tokio::time::timeout(limit, Bytes::from_request(req, &())).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return too_large(),
        Err(_) => {
            return refuse(StatusCode::REQUEST_TIMEOUT, "Dữ liệu gửi lên quá chậm.", "the push did not arrive in time")
        }
    };
    let batch: Batch = match serde_json::from_slice(&bytes) {
        Ok(batch) => batch,
        Err(e) => {
            return refuse(StatusCode::BAD_REQUEST, "Lô dữ liệu không đọc được.", &format!("unreadable push: {e}"))
        }
    };
    if batch.rows.len() > service.config.province.max_batch_rows as usize {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Lô dữ liệu quá nhiều dòng.",
            &format!("{} rows; at most {} in one push", batch.rows.len(), service.config.province.max_batch_rows),
        );
    }
    if batch.epoch.is_empty() || batch.epoch.len() > 64 {
        return refuse(StatusCode::BAD_REQUEST, "Thiếu mã lịch sử.", "the push names no epoch");
    }
    let mut province = match service.database().await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    match province.ingest(&hall, &batch.epoch, batch.parent.as_ref(), batch.after, &batch.rows).await {
        Ok(Ingest::Stored { acked, new_rows }) => {
            tracing::debug!(%hall, acked, new_rows, "stored a push");
            Json(Acked { acked, gap: false }).into_response()
        }
        Ok(Ingest::Gap { acked }) => (StatusCode::CONFLICT, Json(Acked { acked, gap: true })).into_response(),
        Err(ProvinceError::Refused { seq, why }) => {
            tracing::warn!(%hall, seq, why, "refused a push");
            refuse(StatusCode::UNPROCESSABLE_ENTITY, "Lô dữ liệu có dòng không hợp lệ.", &format!("row {seq}: {why}"))
        }
        Err(e) => database_down(&e),
    }
}

/// Ratings a pull hands a hall at most.
const PULL_MAX: i64 = 100;
/// Bookings a pull hands a hall at most.
const BOOKINGS_PULL_MAX: i64 = 500;

#[derive(serde::Deserialize)]
struct Pull {
    #[serde(default)]
    after: i64,
}

type PullQuery = Result<axum::extract::Query<Pull>, axum::extract::rejection::QueryRejection>;

/// A hall's pull: its hall (by its push token), where the pull starts, and a connection; or the answer.
async fn pulling<'a>(
    service: &'a Service,
    peer: SocketAddr,
    headers: &HeaderMap,
    query: PullQuery,
) -> Result<(String, i64, Pooled<'a>), Response> {
    let client = net::client_of(Some(peer), headers, &service.proxies);
    let hall = hall_of(service, headers, &client).await?;
    let Ok(axum::extract::Query(Pull { after })) = query else {
        return Err(refuse(StatusCode::BAD_REQUEST, "Tham số không hợp lệ.", "after must be a number"));
    };
    Ok((hall, after, service.database().await?))
}

/// `GET /api/v1/ratings?after=N`: the hall holds every rating given on the province's pages up to N (their
/// complaints' words are erased here); the next ones it has not pulled, at most `PULL_MAX`.
async fn pull_ratings(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    query: PullQuery,
) -> Response {
    let (hall, after, mut province) = match pulling(&service, peer, &headers, query).await {
        Ok(pulling) => pulling,
        Err(refused) => return refused,
    };
    match province.pull_ratings(&hall, after, PULL_MAX).await {
        Ok(ratings) => Json(crate::domain::outbox::Pulled { ratings }).into_response(),
        Err(e) => database_down(&e),
    }
}

/// `GET /api/v1/bookings?after=N`: the bookings made or cancelled for a hall (its push token) after the
/// province's change number N, oldest first, at most `BOOKINGS_PULL_MAX`; of the phone, only its hash and
/// last three digits. Phones of past days are erased on the way.
async fn pull_bookings(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    query: PullQuery,
) -> Response {
    let (hall, after, province) = match pulling(&service, peer, &headers, query).await {
        Ok(pulling) => pulling,
        Err(refused) => return refused,
    };
    let today = crate::domain::clock::local_day(time::OffsetDateTime::now_utc());
    match province.pull_bookings(&hall, after, BOOKINGS_PULL_MAX, &today).await {
        Ok(bookings) => Json(bookings).into_response(),
        Err(e) => database_down(&e),
    }
}

/// Every ten minutes, and whether any hall pulls or not, the phone numbers of bookings of past days are
/// erased (docs/booking.md).
async fn purge_phones(service: Arc<Service>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        let today = crate::domain::clock::local_day(time::OffsetDateTime::now_utc());
        let Ok(province) = service.database().await else { continue };
        match province.purge_phones(&today).await {
            Ok(n) if n > 0 => tracing::info!(bookings = n, "phone numbers of past bookings erased"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot erase the phone numbers of past bookings"),
        }
    }
}

/// `GET /api/v1/catalog`: the province's published catalog for a hall to pull (its push token), as a hub
/// hands its own to a kiosk: the `ETag` is the catalog's stamp, and a hall that has it gets a 304.
async fn province_catalog(
    State(service): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let client = net::client_of(Some(peer), &headers, &service.proxies);
    if let Err(refused) = hall_of(&service, &headers, &client).await {
        return refused;
    }
    let province = match service.database().await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let published = match province.province_catalog().await {
        Ok(published) => published,
        Err(e) => return database_down(&e),
    };
    let etag = published.stamp.clone();
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    ([(header::ETAG, etag)], Json(published)).into_response()
}

/// Serves on `listen` over HTTPS until the process ends; prints the address once listening.
pub fn serve(config: Config, data_dir: &Path, listen: &str) -> Result<(), ServeError> {
    let files = crate::tls::Files::in_dir(&crate::tls::folder(&config, data_dir));
    let tls = tokio_rustls::TlsAcceptor::from(crate::tls::server_config(&files)?);
    let conninfo = conninfo(&config, data_dir)?;
    let listener = std::net::TcpListener::bind(listen)
        .map_err(|source| ServeError::Listen { addr: listen.to_string(), source })?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let hub = config.hub.clone();
    let service = runtime.block_on(Service::start(config, conninfo))?;
    runtime.spawn(purge_phones(service.clone()));
    let addr = listener.local_addr()?;
    println!("motcua province service listening on https://{addr}");
    use std::io::Write as _;
    std::io::stdout().flush()?;
    crate::supervise::ready();
    let connections = net::Connections::new(hub.max_connections as usize, hub.max_connections_per_client);
    let proxies = service.proxies.clone();
    net::accept_loop(listener, runtime.handle().clone(), router(service), &hub, connections, proxies, Some(tls))?;
    Ok(())
}
