//! The command line: its arguments and what each command does. `main.rs` only wires the parts together and
//! hands the chosen command here.

mod access;
pub use access::{ClockCommand, DeviceCommand, StaffCommand};
mod backup;
mod ops;
mod procedures;
mod province;
pub use province::ProvinceCommand;
mod report;
pub use ops::TlsCommand;
pub use procedures::CatalogCommand;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use motcua::app::catalog::Catalog;
use motcua::app::counter;
use motcua::app::dossier;
use motcua::app::printing;
use motcua::app::queue::{self, Issuer};
use motcua::config::Config;
use motcua::domain::announce;
use motcua::domain::clock::{local_stamp, SystemClock};
use motcua::domain::search::Synonyms;
use motcua::hub::client::RemoteHub;
use motcua::hub::feed::Feed;
use motcua::hub::follow::{Follow, Following, Remote};
use motcua::hub::Hub;
use motcua::print::layout;
use motcua::print::virtual_printer::{interpret, write_png, CodePages};
use motcua::print::Outcome;
use motcua::store::Store;
use motcua::ui::{Parts, Work};
use motcua::voice;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// Where a kiosk on another machine keeps the copy of its hub's catalog (in its data folder).
const CATALOG_COPY: &str = "catalog-from-hub.json";

#[derive(Parser)]
#[command(name = "motcua", version, about = "Kiosk của bộ phận một cửa / one-stop reception hall kiosk")]
pub struct Cli {
    /// Configuration file (TOML); every key has a default, see config.example.toml.
    #[arg(long, global = true, env = "MOTCUA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder for the database, printed tickets and logs; created on first run.
    #[arg(long, global = true, env = "MOTCUA_DATA_DIR", default_value = "var")]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// The citizen kiosk (the default).
    Kiosk(KioskArgs),
    /// The procedure catalog: import, export, search.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Dossiers citizens follow: import from the back office, look one up, clear old personal data.
    #[command(subcommand)]
    Dossier(DossierCommand),
    /// Printers: status, calibration page, previews, procedure slips.
    #[command(subcommand)]
    Printer(PrinterCommand),
    /// Queue tickets.
    #[command(subcommand)]
    Ticket(TicketCommand),
    /// Say a call as the hall hears it: prints the sentence and its clips, then plays it (aplay) or writes
    /// it to a WAV file.
    Announce {
        /// The ticket number, e.g. A025.
        #[arg(long)]
        number: String,
        /// The counter, 1 to 9999.
        #[arg(long)]
        counter: u32,
        /// Write the sound to this WAV file instead of playing it.
        #[arg(long)]
        wav: Option<PathBuf>,
        /// Print the sentence and clips only.
        #[arg(long)]
        no_audio: bool,
    },
    /// The hall's display board: the latest call large, every counter's number, the last calls, the people
    /// waiting; speaks each call.
    Display(DisplayArgs),
    /// Run the hub alone (no kiosk screen): the queue's HTTP API, live events and ticket pages.
    Serve {
        /// Address and port, e.g. 0.0.0.0:8080 for the hall's LAN; default from [hub] listen.
        #[arg(long)]
        listen: Option<String>,
    },
    /// Counters: PINs for the staff console.
    #[command(subcommand)]
    Counter(CounterCommand),
    /// The hall's report for a period (docs/reports.md): tickets, waits, dossiers on time, satisfaction and
    /// the 766 rate, as JSON or CSV.
    Report(report::ReportArgs),
    /// Staff accounts: who serves at the counters, reads the reports, keeps the hall.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Kiosks and display boards that reach this hub from other machines.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// The hub's clock, when it once ran ahead and issuing stopped.
    #[command(subcommand)]
    Clock(ClockCommand),
    /// Copy the database, consistent while the hub runs (SQLite's online backup); the copy holds personal
    /// data and is written owner-only.
    Backup {
        /// The copy's file; default: a file named for now in [backup] dir.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// HTTPS on the hall's LAN: the hall's certificate authority and the hub's certificate.
    #[command(subcommand)]
    Tls(TlsCommand),
    /// What a technician checks first: version, database, disk, backups, printers, clock, the address on
    /// the QR codes, the running hub. One narrow screen; nothing is changed. Exit status 1 when something
    /// fails.
    Doctor {
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Put a backup back as the database: refused while a hub runs on it; checked first; the database it
    /// replaces is kept in the backup folder; clients resync.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// The province service on the province's machine, which halls push to (docs/province.md).
    #[command(subcommand)]
    Province(ProvinceCommand),
}

#[derive(Subcommand)]
pub enum CounterCommand {
    /// Set a counter's PIN (hub.pin_min_length to 12 digits, 6 by default), read from standard input:
    /// `printf 246813 | motcua counter set-pin 3`. The counter's open sessions end.
    SetPin { number: u32 },
}

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Take a number for a service, print it, and print the ticket as JSON.
    Issue {
        /// Service code, e.g. HT.
        #[arg(long)]
        service: String,
        /// Priority category, as configured (e.g. "Người cao tuổi").
        #[arg(long)]
        priority: Option<String>,
        #[arg(long)]
        printer: Option<String>,
        /// Take the number from a remote hub (default: kiosk.hub; empty = this machine's database).
        #[arg(long)]
        hub: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum PrinterCommand {
    /// Ask the printer for its status and say what it means.
    Status {
        /// A printer named in the configuration, or a target (virtual, serial:PATH, tcp:HOST:PORT, …).
        #[arg(long)]
        printer: Option<String>,
    },
    /// Print the calibration page: the same text in each of the four encodings, and a QR code.
    Selftest {
        #[arg(long)]
        printer: Option<String>,
    },
    /// Print the slip of a procedure (documents, time limit, fees, QR of the online service).
    Slip {
        /// Procedure code, e.g. 1.001193.
        code: String,
        #[arg(long)]
        printer: Option<String>,
    },
    /// Render a raw job (.bin) as the virtual printer would print it.
    Preview {
        input: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
        /// Paper width in dots (576 for 80 mm, 384 for 58 mm).
        #[arg(long, default_value_t = 576)]
        width: u32,
    },
}

#[derive(Args, Default)]
pub struct KioskArgs {
    /// Open in a window instead of full screen.
    #[arg(long)]
    pub windowed: bool,
    /// Take numbers from a remote hub instead of running one in this process (default: kiosk.hub).
    #[arg(long)]
    pub hub: Option<String>,
    /// For benchmarks: print when the first frame was drawn and the memory two seconds later, then quit.
    #[arg(long)]
    pub measure_start: bool,
}

#[derive(Args, Default)]
pub struct DisplayArgs {
    /// The hub to follow (default: display.hub, or the hub on this machine).
    #[arg(long)]
    pub hub: Option<String>,
    /// Open in a window instead of full screen.
    #[arg(long)]
    pub windowed: bool,
    /// Show the calls without speaking them.
    #[arg(long)]
    pub no_audio: bool,
    /// For benchmarks: print the memory three seconds after start, then quit.
    #[arg(long)]
    pub measure_start: bool,
}

#[derive(Subcommand)]
pub enum DossierCommand {
    /// Check a dossier file (JSON array or CSV) and import it, all or nothing; codes already there are
    /// updated only where the file differs.
    Import {
        file: PathBuf,
        /// Check only; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// What the kiosk and a phone show for a dossier code (nothing personal).
    Show { code: String },
    /// Clear the name and phone of dossiers handed over more than [dossiers] purge_after_days ago.
    Purge,
}

/// Prints what became of a job; the exit status is 0 only when the printer confirmed it.
fn report_outcome(printer: &str, outcome: &Outcome) -> ExitCode {
    match outcome {
        Outcome::Printed { warning: None } => println!("{printer}: printed"),
        Outcome::Printed { warning: Some(w) } => println!("{printer}: printed (warning: {w})"),
        Outcome::SentUnconfirmed { why } => println!("{printer}: sent, unconfirmed ({why})"),
        Outcome::NotPrinted { why, .. } => eprintln!("{printer}: not printed: {why}"),
    }
    match outcome {
        Outcome::Printed { .. } => ExitCode::SUCCESS,
        Outcome::SentUnconfirmed { .. } => ExitCode::from(4),
        Outcome::NotPrinted { .. } => ExitCode::from(3),
    }
}

/// What the command needs from the wiring in `main.rs`.
pub struct Wiring {
    pub config: Config,
    pub data_dir: PathBuf,
    pub store: Store,
    pub synonyms: Synonyms,
}

/// The commands that run before the database is opened: `motcua restore` (it may be damaged) and
/// `motcua doctor` (it must change nothing, not even migrate).
pub fn before_store(
    command: &Option<Command>,
    config: &Config,
    data_dir: &std::path::Path,
) -> Option<Result<ExitCode>> {
    match command {
        Some(Command::Restore { file }) => Some(backup::restore(file, data_dir, config)),
        Some(Command::Doctor { json }) => Some(ops::doctor(config, data_dir, *json)),
        Some(Command::Tls(TlsCommand::Init { names })) => Some(ops::tls_init(config, data_dir, names)),
        Some(Command::Province(command)) => Some(province::run(command, config, data_dir)),
        _ => None,
    }
}

/// Runs one command.
pub fn execute(command: Command, ctx: Wiring) -> Result<ExitCode> {
    let Wiring { config, data_dir, mut store, synonyms } = ctx;
    let clock = SystemClock;
    let printer_name = |name: &Option<String>| name.clone().unwrap_or_else(|| config.kiosk.printer.clone());
    match command {
        Command::Printer(PrinterCommand::Status { printer }) => {
            let mut printer = printing::open(&config, &data_dir, &printer_name(&printer))?;
            if !printer.reports_status() {
                println!(
                    "{}: cannot report status (file, one-way link, or a profile without status)",
                    printer.describe()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let state = printer.status()?;
            println!("{}: {state} — {}", printer.describe(), state.message_vi());
            if !state.can_print() {
                return Ok(ExitCode::from(3));
            }
        }
        Command::Printer(PrinterCommand::Selftest { printer }) => {
            let mut printer = printing::open(&config, &data_dir, &printer_name(&printer))?;
            let job = layout::selftest(&printer.profile);
            let outcome = printer.send_job(&job);
            return Ok(report_outcome(&printer.describe(), &outcome));
        }
        Command::Printer(PrinterCommand::Slip { code, printer }) => {
            let catalog = Catalog::load(&store, &synonyms)?;
            let Some(stored) = catalog.by_code(&code) else {
                eprintln!("no procedure with code {code}");
                return Ok(ExitCode::from(2));
            };
            let mut printer = printing::open(&config, &data_dir, &printer_name(&printer))?;
            let printed_at = local_stamp(time::OffsetDateTime::now_utc());
            let page = config.catalog.page_url(&config.queue, &code);
            let doc =
                layout::procedure_slip(&config.center.name, &stored.procedure, &page, &printed_at, config.center.demo);
            let outcome = printer.print(&doc);
            return Ok(report_outcome(&printer.describe(), &outcome));
        }
        Command::Printer(PrinterCommand::Preview { input, output, width }) => {
            let bytes = std::fs::read(&input).with_context(|| format!("cannot read {}", input.display()))?;
            let (transcript, paper) = interpret(&bytes, width, CodePages::default());
            write_png(&paper, &output).with_context(|| format!("cannot write {}", output.display()))?;
            println!(
                "{}: {} text line(s), {} image(s), {} QR code(s), {} cut(s) → {}",
                input.display(),
                transcript.lines.len(),
                transcript.images,
                transcript.qr_codes.len(),
                transcript.cuts,
                output.display()
            );
        }
        Command::Ticket(TicketCommand::Issue { service, priority, printer, hub }) => {
            let mut printer = printing::open(&config, &data_dir, &printer_name(&printer))?;
            let remote = hub.unwrap_or_else(|| config.kiosk.hub.clone());
            let issued = if remote.is_empty() {
                let _writer = motcua::store::backup::WriterLock::take(store.path())?;
                let hub = Hub::new(store, config.clone(), Arc::new(clock), data_dir.clone())?;
                let voided = hub.void_stale()?;
                if !voided.is_empty() {
                    tracing::warn!(count = voided.len(), "voided reservations that never got a print outcome");
                }
                queue::issue_and_print(hub.as_ref(), &config, &service, priority.as_deref(), None, &mut printer, &clock)
            } else {
                let trust = motcua::tls::trust_for(&remote, &config, &data_dir)?;
                let hub = RemoteHub::new(&remote, &config.kiosk.hub_token).trusting(trust.as_ref());
                queue::issue_and_print(&hub, &config, &service, priority.as_deref(), None, &mut printer, &clock)
            };
            match issued {
                Ok(issued) => {
                    println!("{}", serde_json::to_string_pretty(&issued)?);
                    if issued.state != motcua::domain::ticket::TicketState::Waiting {
                        return Ok(ExitCode::from(3));
                    }
                }
                Err(e) => match e.refusal() {
                    Some((vi, en)) => {
                        eprintln!("{vi} / {en}");
                        return Ok(ExitCode::from(2));
                    }
                    None => return Err(e.into()),
                },
            }
        }
        Command::Kiosk(args) => {
            let mut config = config;
            if args.windowed {
                config.kiosk.fullscreen = false;
            }
            if let Some(hub) = args.hub {
                config.kiosk.hub = hub;
            }
            let printer = Arc::new(Mutex::new(printing::open(&config, &data_dir, &config.kiosk.printer)?));
            let (catalog, hub, follow): (Catalog, Arc<dyn Issuer + Send + Sync>, Following) = if config
                .kiosk
                .hub
                .is_empty()
            {
                let catalog = Catalog::load(&store, &synonyms)?;
                // One machine is enough for a small hall: the hub runs here and counters reach it on the LAN.
                // It is the database's one writer for as long as the kiosk runs.
                motcua::store::backup::WriterLock::take(store.path())?.hold_until_exit();
                let hub = Hub::new(store, config.clone(), Arc::new(clock), data_dir.clone())?;
                match motcua::hub::spawn(hub.clone(), &config.hub.listen) {
                    Ok(addr) => tracing::info!(%addr, "hub running in the kiosk"),
                    Err(e) => {
                        tracing::error!(error = %e, "the hub's LAN address could not open; counters cannot reach it")
                    }
                }
                let writer = hub.clone();
                motcua::supervise::watchdog(move || writer.change(|_, _, _| Ok(())).is_ok(), true);
                let follow = Following { follow: Follow::Local(hub.clone()), synonyms, stamp: String::new() };
                (catalog, hub, follow)
            } else {
                motcua::supervise::watchdog(|| true, true);
                tracing::info!(hub = %config.kiosk.hub, "kiosk using a remote hub");
                let trust = motcua::tls::trust_for(&config.kiosk.hub, &config, &data_dir)?;
                let token = &config.kiosk.hub_token;
                let remote = Remote {
                    feed: Feed::new(&config.kiosk.hub, token, config.hub.heartbeat_s).trusting(trust.clone()),
                    hub: RemoteHub::new(&config.kiosk.hub, token).trusting(trust.as_ref()),
                    copy: data_dir.join(CATALOG_COPY),
                };
                // The hub's catalog, else the copy kept from it, else this machine's own database.
                let (catalog, stamp) = match remote.load(&synonyms) {
                    Some(loaded) => (loaded.catalog, loaded.stamp),
                    None => (Catalog::load(&store, &synonyms)?, String::new()),
                };
                let hub = Arc::new(RemoteHub::new(&config.kiosk.hub, token).trusting(trust.as_ref()));
                (catalog, hub, Following { follow: Follow::Remote(Box::new(remote)), synonyms, stamp })
            };
            let catalog = Rc::new(catalog);
            tracing::info!(procedures = catalog.len(), "kiosk starting");
            let parts = Parts {
                config,
                catalog,
                hub,
                printer,
                clock: Arc::new(clock),
                work: Work::Threads,
                follow: Some(follow),
            };
            motcua::supervise::ready();
            motcua::ui::run_kiosk(parts, args.measure_start)?;
        }
        Command::Announce { number, counter, wav, no_audio } => {
            let number = number.trim().to_uppercase();
            if number.is_empty() || number.len() > 10 || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
                anyhow::bail!("--number {number:?}: use letters and digits, e.g. A025");
            }
            if !(1..=9999).contains(&counter) {
                anyhow::bail!("--counter {counter}: use 1 to 9999");
            }
            let template = &config.voice.template;
            println!("{}", announce::sentence(template, &number, counter));
            let clips = announce::clip_sequence(template, &number, counter);
            println!("{}", clips.join(" "));
            if no_audio {
                return Ok(ExitCode::SUCCESS);
            }
            let samples = voice::Clips::new(&config.voice.clips_dir).assemble(&clips)?;
            let seconds = samples.len() as f64 / f64::from(voice::RATE);
            let bytes = voice::encode(&samples);
            match wav {
                Some(path) => {
                    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
                    println!("wrote {} ({seconds:.2} s)", path.display());
                }
                None => voice::play(&bytes).map_err(anyhow::Error::msg)?,
            }
        }
        Command::Display(args) => {
            let mut config = config;
            config.display.fullscreen &= !args.windowed;
            config.display.audio &= !args.no_audio;
            let base = args.hub.unwrap_or_else(|| config.display.hub.clone());
            let (base, token) = if base.is_empty() {
                // The hub on this machine: its address, and a token the board gives itself.
                let listen = config.hub.listen.replace("0.0.0.0", "127.0.0.1");
                let token = if config.display.hub_token.is_empty() {
                    counter::local_device(&store, "display-local", "display", &clock)?
                } else {
                    config.display.hub_token.clone()
                };
                (format!("{}://{listen}", config.hub.scheme()), token)
            } else if config.display.hub_token.is_empty() {
                anyhow::bail!(
                    "display.hub_token is empty: run `motcua device add board-1 --role display` on the hub at {base} \
                     and put the token it prints in display.hub_token"
                );
            } else {
                (base, config.display.hub_token.clone())
            };
            tracing::info!(hub = %base, "display board following the hub");
            let speaker = voice::Speaker::new(&config.voice);
            let player: Option<voice::Player> = config.display.audio.then(|| Box::new(voice::play) as voice::Player);
            speaker.start(voice::Clips::new(&config.voice.clips_dir), player);
            let trust = motcua::tls::trust_for(&base, &config, &data_dir)?;
            let feed = motcua::hub::feed::Feed::new(&base, &token, config.hub.heartbeat_s).trusting(trust);
            motcua::ui::display::run_display(&config, feed, speaker, Arc::new(clock), args.measure_start)?;
        }
        Command::Serve { listen } => {
            let listen = listen.unwrap_or_else(|| config.hub.listen.clone());
            // One writer per database: a second hub on the file is refused with a clear message.
            let _writer = motcua::store::backup::WriterLock::take(store.path())?;
            let scheme = config.hub.scheme();
            let hub = Hub::new(store, config, Arc::new(clock), data_dir)?;
            let voided = hub.void_stale()?;
            if !voided.is_empty() {
                tracing::warn!(count = voided.len(), "voided reservations left from before the restart");
            }
            let listener = motcua::hub::bind(&listen)?;
            let addr = listener.local_addr()?;
            println!("motcua hub listening on {scheme}://{addr}");
            std::io::stdout().flush()?;
            motcua::supervise::ready();
            let writer = hub.clone();
            // The writer proves itself by running a no-op change; a hung one blocks this, and no ping goes.
            motcua::supervise::watchdog(move || writer.change(|_, _, _| Ok(())).is_ok(), false);
            motcua::hub::serve(hub, listener)?;
        }
        Command::Counter(CounterCommand::SetPin { number }) => {
            let mut pin = String::new();
            std::io::stdin().read_line(&mut pin).context("cannot read the PIN from standard input")?;
            match counter::set_pin(&store, &config, number, pin.trim(), &clock) {
                Ok(()) => println!("Đã đặt mã PIN cho quầy {number} / PIN set for counter {number}"),
                Err(queue::QueueError::Counter(r)) => {
                    eprintln!("{} / {r}", r.message_vi());
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::Device(command) => return access::device(command, &store, &clock),
        Command::Staff(command) => return access::staff(command, &store, &config, &clock),
        Command::Report(args) => return report::run(args, &store, &config, &clock),
        Command::Backup { output } => return backup::take(output, &store, &config, &data_dir),
        Command::Restore { file } => return backup::restore(&file, &data_dir, &config),
        Command::Doctor { json } => return ops::doctor(&config, &data_dir, json),
        Command::Tls(TlsCommand::Init { names }) => return ops::tls_init(&config, &data_dir, &names),
        Command::Province(command) => return province::run(&command, &config, &data_dir),
        Command::Catalog(command) => return procedures::run(command, &mut store, &config, &synonyms, &clock),
        Command::Clock(ClockCommand::Accept) => return access::accept_clock(&mut store, &clock),
        Command::Dossier(DossierCommand::Import { file, dry_run }) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let records = match motcua::interchange::dossiers::read(&file.display().to_string(), &text) {
                Ok(records) => records,
                Err(problems) => {
                    problems.iter().for_each(|p| eprintln!("{p}"));
                    eprintln!("{}: {} problem(s); nothing imported", file.display(), problems.len());
                    return Ok(ExitCode::from(2));
                }
            };
            if dry_run {
                println!(
                    "{}: {} dossier(s), no problems found (nothing imported: --dry-run)",
                    file.display(),
                    records.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let calendar = dossier::calendar_stored(&config, &store)?;
            let catalog = Catalog::load(&store, &synonyms)?;
            let limits = |code: &str, channel: u8| dossier::time_limit(&catalog, code, channel);
            let o = dossier::import(&mut store, &config, &records, &calendar, &limits, "import", &clock)?;
            println!("{}: {} added, {} changed, {} unchanged", file.display(), o.added, o.changed, o.unchanged);
        }
        Command::Dossier(DossierCommand::Show { code }) => match dossier::by_code(&store, &code, &clock)? {
            Some(status) => println!("{}", serde_json::to_string_pretty(&status)?),
            None => {
                eprintln!("Không tìm thấy hồ sơ {code} / no dossier {code}");
                return Ok(ExitCode::from(2));
            }
        },
        Command::Dossier(DossierCommand::Purge) => {
            let n = dossier::purge(&store, &config, &clock)?;
            println!("cleared the personal data of {n} dossier(s)");
        }
    }
    Ok(ExitCode::SUCCESS)
}
