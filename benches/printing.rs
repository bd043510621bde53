//! Ticket size and speed: bytes of a standard queue ticket in each text mode, the time to send it at 9600
//! and 115200 baud, beside a full-width raster ticket of the same content; and the time to render a
//! ticket to bytes. Run with `cargo bench --bench printing`; prints a Markdown report.

use motcua::print::encoding::TextMode;
use motcua::print::layout::{ticket, TicketInfo};
use motcua::print::profile::Profile;
use motcua::print::raster::raster_bands;
use motcua::print::render::render;
use motcua::print::transfer_time;
use motcua::print::virtual_printer::{interpret, CodePages};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn standard_ticket() -> TicketInfo {
    TicketInfo::example()
}

fn median_render(profile: &Profile, runs: usize) -> (Duration, Duration) {
    let doc = ticket(&standard_ticket());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(render(black_box(&doc), profile));
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], times[runs * 99 / 100])
}

fn main() {
    assert_eq!(standard_ticket().url.len(), 60);
    let epson = Profile::builtin("epson-tm-t20").expect("profile");
    let modes = [
        ("TCVN-3 + native QR (Epson class)", Profile { text_mode: TextMode::Tcvn3, ..epson.clone() }),
        ("Windows-1258 + native QR", Profile { text_mode: TextMode::Cp1258, ..epson.clone() }),
        ("ASCII fold + native QR", Profile { text_mode: TextMode::Ascii, ..epson.clone() }),
        ("raster lines + image QR (Xprinter class)", Profile::builtin("xprinter-80").expect("profile")),
        ("raster lines + image QR (58 mm)", Profile::builtin("generic-58").expect("profile")),
    ];
    println!("## Printing: a standard queue ticket\n");
    println!(
        "Machine: {} cores; `cargo bench --bench printing`. Ticket: agency line, \"SỐ THỨ TỰ\", big number, \
         service, counter, people ahead, wait estimate, time taken, QR of a 60-character URL, cut.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("| mode | bytes | at 9600 baud | at 115200 baud | render p50 | render p99 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, profile) in &modes {
        let (bytes, notes) = render(&ticket(&standard_ticket()), profile);
        assert!(notes.raster_fallbacks.is_empty());
        let (p50, p99) = median_render(profile, 400);
        println!(
            "| {label} | {} | {:.2} s | {:.3} s | {:.0} µs | {:.0} µs |",
            bytes.len(),
            transfer_time(bytes.len(), 9600).as_secs_f64(),
            transfer_time(bytes.len(), 115_200).as_secs_f64(),
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6
        );
    }
    // Baseline: the same ticket as one full-width image (what a driver that rasterises the whole page sends).
    let (tcvn3, _) = render(&ticket(&standard_ticket()), &modes[0].1);
    let (_, page) = interpret(&tcvn3, 576, CodePages::default());
    let mut full = vec![0x1B, b'@'];
    full.extend(raster_bands(&page, 4096));
    full.extend_from_slice(&[0x1D, b'V', 1]);
    println!(
        "| baseline: whole ticket as one 576-dot image | {} | {:.2} s | {:.3} s | — | — |\n",
        full.len(),
        transfer_time(full.len(), 9600).as_secs_f64(),
        transfer_time(full.len(), 115_200).as_secs_f64()
    );
}
