//! The serial scanner over a real pseudo-terminal pair: codes in pieces with any line ending reach the
//! kiosk; garbage between them is dropped without losing the next code.

use serialport::{SerialPort, TTYPort};
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn codes_arrive_and_garbage_is_dropped() {
    let (mut master, slave) = TTYPort::pair().expect("pseudo-terminal pair");
    let path = slave.name().expect("slave path");
    let (tx, rx) = mpsc::channel();
    motcua::scanner::spawn(&format!("serial:{path}?baud=9600"), move |code| {
        let _ = tx.send(code);
    })
    .unwrap();
    let next = || rx.recv_timeout(Duration::from_secs(5)).expect("a code within 5 s");
    // The scanner thread opens the port itself; give it a moment before the first code.
    std::thread::sleep(Duration::from_millis(300));
    master.write_all(b"http://hub/t/0123456789abcdef").unwrap();
    master.flush().unwrap();
    std::thread::sleep(Duration::from_millis(50));
    master.write_all(b"0123456789abcdef\r\n").unwrap();
    assert_eq!(next(), "http://hub/t/0123456789abcdef0123456789abcdef");
    master.write_all(b"\xff\xfe\x00\x07\r").unwrap();
    master.write_all(&[b'z'; 1000]).unwrap();
    master.write_all(b"\rH57.132-260804-0583\r").unwrap();
    assert_eq!(next(), "H57.132-260804-0583", "garbage and an endless line were dropped, not delivered");
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "nothing else was delivered");
    drop(slave);
}

#[test]
fn a_target_that_is_not_serial_is_refused_clearly() {
    let e = motcua::scanner::spawn("usb:/dev/hidraw0", |_| {}).unwrap_err();
    assert!(e.to_string().contains("serial:PATH"), "{e}");
}
