//! Clients that hold connections without ever finishing a request (slowloris): the
//! per-IP rate limit counts requests, so without a deadline on the request's headers
//! one address could keep every file descriptor of the receiver, and no visitor's
//! submission would get in. Each such connection is closed after
//! `receiver::HEADER_READ_TIMEOUT` (30 s), while whole requests are answered as before.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Backend, Server};

/// Longer than the receiver's deadline (30 s), with room for a slow machine.
const PATIENCE: Duration = Duration::from_secs(45);

/// How long until the receiver closes `stream`, after writing `first` and then one byte
/// of a header every `trickle` (if any); `None` if it is still open after [`PATIENCE`].
fn closed_after(addr: &str, first: &[u8], trickle: Option<Duration>) -> Option<Duration> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(first).unwrap();
    let step = trickle.unwrap_or(PATIENCE);
    stream.set_read_timeout(Some(step)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        if started.elapsed() >= PATIENCE {
            return None;
        }
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            // An answer (a 408): read on until the receiver closes.
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if trickle.is_some() && stream.write_all(b"a").is_err() {
                    return Some(started.elapsed());
                }
            }
            Err(_) => return Some(started.elapsed()),
        }
    }
}

#[test]
fn connections_that_never_finish_a_request_are_closed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(Server::start(Backend::Sqlite, &[]));
    let addr = server.base.strip_prefix("http://").unwrap().to_owned();

    let cases: [(&str, &[u8], Option<Duration>); 3] = [
        ("connected, sends nothing", b"", None),
        (
            "half the headers, then nothing",
            b"GET /owner/records HTTP/1.1\r\nHost: x\r\n",
            None,
        ),
        (
            "headers one byte every 2 s",
            b"POST /api/leads HTTP/1.1\r\nHost: x\r\nX-Slow: ",
            Some(Duration::from_secs(2)),
        ),
    ];
    let handles: Vec<_> = cases
        .into_iter()
        .map(|(name, first, trickle)| {
            let addr = addr.clone();
            std::thread::spawn(move || (name, closed_after(&addr, first, trickle)))
        })
        .collect();
    for handle in handles {
        let (name, closed) = handle.join().unwrap();
        let closed = closed.unwrap_or_else(|| panic!("{name}: still open after {PATIENCE:?}"));
        assert!(
            closed >= Duration::from_secs(25),
            "{name}: closed after {closed:?}, before the deadline"
        );
    }

    // A whole request is answered as before.
    let mut stream = TcpStream::connect(&addr).unwrap();
    stream
        .write_all(b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
}
