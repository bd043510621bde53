//! Where the bytes go: serial (`serialport`, no libudev), the kernel's USB printer device, raw TCP port 9100,
//! a file, or the virtual printer. A transport writes a whole job and, where the link is two-way, asks
//! one-byte questions with a timeout.

use super::status::PrinterState;
use super::virtual_printer::VirtualPrinter;
use super::PrintError;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Serial flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    None,
    RtsCts,
    XonXoff,
}

/// Where a printer is, as written in configuration or on the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The virtual printer, optionally simulating a state (`virtual?state=paper_out`).
    Virtual(PrinterState),
    File(PathBuf),
    Serial {
        path: String,
        baud: Option<u32>,
        flow: Flow,
        data_bits: u8,
        parity: char,
    },
    Usb(PathBuf),
    Tcp(String),
}

impl Target {
    pub const ALLOWED: &'static str =
        "virtual[?state=ready|paper_near_end|paper_out|cover_open|error|no_answer|garbled], file:PATH, serial:PATH[?baud=9600&flow=none|rtscts|xonxoff&bits=8&parity=n|e|o], usb:PATH, tcp:HOST:PORT";

    pub fn parse(text: &str) -> Result<Target, String> {
        let bad = |why: &str| format!("\"{text}\" {why}; use one of: {}", Target::ALLOWED);
        if let Some(rest) = text.strip_prefix("virtual") {
            let state = match rest {
                "" | "?state=ready" => PrinterState::Ready,
                "?state=paper_near_end" => PrinterState::PaperNearEnd,
                "?state=paper_out" => PrinterState::PaperOut,
                "?state=cover_open" => PrinterState::CoverOpen,
                "?state=error" => PrinterState::Error("simulated".into()),
                "?state=no_answer" => PrinterState::NoAnswer,
                "?state=garbled" => PrinterState::Garbled(vec![0xFF]),
                _ => return Err(bad("has an unknown virtual printer state")),
            };
            return Ok(Target::Virtual(state));
        }
        let (kind, rest) = text.split_once(':').ok_or_else(|| bad("is not a printer target"))?;
        if rest.is_empty() {
            return Err(bad("names no device"));
        }
        match kind {
            "file" => Ok(Target::File(rest.into())),
            "usb" => Ok(Target::Usb(rest.into())),
            "tcp" => match rest.rsplit_once(':') {
                Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(Target::Tcp(rest.into())),
                _ => Err(bad("needs HOST:PORT")),
            },
            "serial" => {
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                let (mut baud, mut flow, mut data_bits, mut parity) = (None, Flow::None, 8, 'n');
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    match pair.split_once('=') {
                        Some(("baud", v)) => {
                            baud = Some(v.parse().map_err(|_| bad("has a baud rate that is not a number"))?)
                        }
                        Some(("flow", "none")) => flow = Flow::None,
                        Some(("flow", "rtscts")) => flow = Flow::RtsCts,
                        Some(("flow", "xonxoff")) => flow = Flow::XonXoff,
                        Some(("bits", v @ ("7" | "8"))) => data_bits = v.parse().unwrap_or(8),
                        Some(("parity", v @ ("n" | "e" | "o"))) => parity = v.chars().next().unwrap_or('n'),
                        _ => return Err(bad(&format!("has an unknown serial option \"{pair}\""))),
                    }
                }
                Ok(Target::Serial { path: path.into(), baud, flow, data_bits, parity })
            }
            _ => Err(bad("is not a printer target")),
        }
    }
}

/// A link to a printer.
pub trait Transport: Send {
    fn describe(&self) -> String;
    /// Whether answers can come back (status queries, `GS r`).
    fn two_way(&self) -> bool;
    /// Sends the whole job; a stall longer than `timeout` is an error.
    fn send(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError>;
    /// Sends a query and waits up to `timeout` for a one-byte answer.
    fn ask(&mut self, query: &[u8], timeout: Duration) -> Result<Option<u8>, PrintError>;
}

/// Opens the transport for a target; `prints` is the folder of the virtual printer.
pub fn open(target: &Target, baud: u32, prints: PathBuf, width_dots: u32) -> Result<Box<dyn Transport>, PrintError> {
    Ok(match target {
        Target::Virtual(state) => {
            let mut printer = VirtualPrinter::new(prints, width_dots);
            printer.state = state.clone();
            Box::new(printer)
        }
        Target::File(path) => Box::new(DeviceFile { path: path.clone(), append: true }),
        Target::Usb(path) => Box::new(DeviceFile { path: path.clone(), append: false }),
        Target::Tcp(address) => Box::new(TcpTransport { address: address.clone(), stream: None }),
        Target::Serial { path, baud: b, flow, data_bits, parity } => Box::new(SerialTransport {
            path: path.clone(),
            baud: b.unwrap_or(baud),
            flow: *flow,
            data_bits: *data_bits,
            parity: *parity,
            port: None,
        }),
    })
}

/// A one-way device file: a plain file that jobs are appended to (spooling, checking bytes by hand), or the
/// kernel's USB printer-class device (`/dev/usb/lp0`, no libusb). The lp driver's reads block without a
/// timeout, so status is never asked there.
pub struct DeviceFile {
    path: PathBuf,
    /// A spool file grows; a device is written.
    append: bool,
}

impl Transport for DeviceFile {
    fn describe(&self) -> String {
        format!("{} {}", if self.append { "file" } else { "usb" }, self.path.display())
    }
    fn two_way(&self) -> bool {
        false
    }
    fn send(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), PrintError> {
        let io = |e: std::io::Error| PrintError::Io { target: self.describe(), source: e };
        let mut options = std::fs::OpenOptions::new();
        if self.append {
            options.create(true).append(true);
        } else {
            options.write(true);
        }
        let mut f = options.open(&self.path).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.flush().map_err(io)
    }
    fn ask(&mut self, _query: &[u8], _timeout: Duration) -> Result<Option<u8>, PrintError> {
        Ok(None)
    }
}

/// Raw TCP (port 9100): two-way on printers that answer status there.
pub struct TcpTransport {
    address: String,
    stream: Option<std::net::TcpStream>,
}

impl TcpTransport {
    fn connect(&mut self) -> Result<&mut std::net::TcpStream, PrintError> {
        if self.stream.is_none() {
            let target = self.describe();
            let addr = std::net::ToSocketAddrs::to_socket_addrs(&self.address)
                .map_err(|e| PrintError::Io { target: target.clone(), source: e })?
                .next()
                .ok_or_else(|| PrintError::Unreachable { target: target.clone(), why: "address not found".into() })?;
            let stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(3))
                .map_err(|e| PrintError::Unreachable { target, why: e.to_string() })?;
            let _ = stream.set_nodelay(true);
            self.stream = Some(stream);
        }
        self.stream
            .as_mut()
            .ok_or_else(|| PrintError::Unreachable { target: String::new(), why: "not connected".into() })
    }
}

impl Transport for TcpTransport {
    fn describe(&self) -> String {
        format!("tcp {}", self.address)
    }
    fn two_way(&self) -> bool {
        true
    }
    fn send(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        let target = self.describe();
        let stream = self.connect()?;
        let _ = stream.set_write_timeout(Some(timeout.max(Duration::from_millis(100))));
        let result = stream.write_all(bytes).and_then(|_| stream.flush());
        if let Err(e) = result {
            self.stream = None;
            return Err(PrintError::Io { target, source: e });
        }
        Ok(())
    }
    fn ask(&mut self, query: &[u8], timeout: Duration) -> Result<Option<u8>, PrintError> {
        let target = self.describe();
        let stream = self.connect()?;
        stream.write_all(query).map_err(|e| PrintError::Io { target: target.clone(), source: e })?;
        let _ = stream.set_read_timeout(Some(timeout.max(Duration::from_millis(10))));
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Ok(1) => Ok(Some(byte[0])),
            Ok(_) => {
                self.stream = None;
                Err(PrintError::Unreachable { target, why: "the printer closed the connection".into() })
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => Ok(None),
            Err(e) => {
                self.stream = None;
                Err(PrintError::Io { target, source: e })
            }
        }
    }
}

/// A serial port, opened for each job so that a USB-serial adapter unplugged and plugged back in works
/// again at the next ticket.
pub struct SerialTransport {
    path: String,
    baud: u32,
    flow: Flow,
    data_bits: u8,
    parity: char,
    port: Option<Box<dyn serialport::SerialPort>>,
}

impl SerialTransport {
    fn port(&mut self) -> Result<&mut Box<dyn serialport::SerialPort>, PrintError> {
        if self.port.is_none() {
            let flow = match self.flow {
                Flow::None => serialport::FlowControl::None,
                Flow::RtsCts => serialport::FlowControl::Hardware,
                Flow::XonXoff => serialport::FlowControl::Software,
            };
            let parity = match self.parity {
                'e' => serialport::Parity::Even,
                'o' => serialport::Parity::Odd,
                _ => serialport::Parity::None,
            };
            let bits = if self.data_bits == 7 { serialport::DataBits::Seven } else { serialport::DataBits::Eight };
            let port = serialport::new(&self.path, self.baud)
                .data_bits(bits)
                .parity(parity)
                .flow_control(flow)
                .timeout(Duration::from_millis(50))
                .open()
                .map_err(|e| PrintError::Unreachable { target: self.describe(), why: e.to_string() })?;
            self.port = Some(port);
        }
        self.port.as_mut().ok_or_else(|| PrintError::Unreachable { target: String::new(), why: "not open".into() })
    }

    fn fail(&mut self, e: std::io::Error) -> PrintError {
        // Drop the port: the next job opens it again (the adapter may have been re-plugged).
        self.port = None;
        PrintError::Io { target: self.describe(), source: e }
    }
}

impl Transport for SerialTransport {
    fn describe(&self) -> String {
        format!("serial {} at {} baud", self.path, self.baud)
    }
    fn two_way(&self) -> bool {
        true
    }
    fn send(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), PrintError> {
        let deadline = Instant::now() + timeout;
        let mut sent = 0;
        while sent < bytes.len() {
            let port = self.port()?;
            match port.write(&bytes[sent..]) {
                Ok(0) => {}
                Ok(n) => sent += n,
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.fail(e)),
            }
            if sent < bytes.len() && Instant::now() > deadline {
                self.port = None;
                return Err(PrintError::Stalled { target: self.describe(), sent, total: bytes.len() });
            }
        }
        let flushed = self.port()?.flush();
        flushed.map_err(|source| {
            // Every byte is in the link's buffer; the adapter vanished while draining it.
            self.port = None;
            PrintError::Drain { target: self.describe(), source }
        })
    }
    fn ask(&mut self, query: &[u8], timeout: Duration) -> Result<Option<u8>, PrintError> {
        let port = self.port()?;
        // Stale bytes (an earlier late answer, noise) must not be read as this answer.
        let _ = port.clear(serialport::ClearBuffer::Input);
        if let Err(e) = port.write_all(query).and_then(|_| port.flush()) {
            return Err(self.fail(e));
        }
        let deadline = Instant::now() + timeout;
        let mut byte = [0u8; 1];
        loop {
            let port = self.port()?;
            match port.read(&mut byte) {
                Ok(1) => return Ok(Some(byte[0])),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.fail(e)),
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
        }
    }
}
