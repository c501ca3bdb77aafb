//! The vpcd wire protocol, card side (ssc-card.md §6): we are a TCP client of pcscd's vpcd
//! driver; every message both ways is a 2-byte big-endian length and a payload. A 1-byte payload
//! from vpcd is control (00 off, 01 on, 02 reset, 04 get ATR), anything longer an APDU. Closing
//! the connection is pulling the card out.

use super::Applet;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};

use std::thread::JoinHandle;

const POWER_OFF: u8 = 0x00;
const POWER_ON: u8 = 0x01;
const RESET: u8 = 0x02;
const GET_ATR: u8 = 0x04;

/// How a card session with vpcd ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// vpcd closed the connection (pcscd stopped) or we were told to remove the card.
    Closed,
    /// The card was pulled on purpose after this many APDUs ([`super::Variant::drop_after_apdus`]).
    Pulled(u32),
}

/// vpcd writes a frame's length and payload separately; with Nagle on its side and a delayed
/// ACK on ours, every payload would wait ~40 ms for our ACK. Linux clears TCP_QUICKACK after
/// some receives, so it is set again before each read.
fn quick_ack(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let one: libc::c_int = 1;
    // SAFETY: a valid socket descriptor and a c_int option of the right size.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            (&one as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

fn read_frame(stream: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
    quick_ack(stream);
    let mut len = [0u8; 2];
    match stream.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(len))];
    quick_ack(stream);
    stream.read_exact(&mut payload)?;
    Ok(Some(payload))
}

fn write_frame(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let mut frame = (payload.len() as u16).to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}

/// Serves `applet` on a connected stream until vpcd or we close it. `on_atr` runs once, when
/// vpcd first asks for the ATR: from then on pcscd sees the card.
pub fn serve(
    mut stream: TcpStream,
    applet: &mut dyn Applet,
    drop_after_apdus: Option<u32>,
    mut on_atr: impl FnMut(),
) -> io::Result<End> {
    stream.set_nodelay(true)?;
    let mut apdus = 0u32;
    loop {
        let Some(message) = read_frame(&mut stream)? else {
            return Ok(End::Closed);
        };
        match message.as_slice() {
            [GET_ATR] => {
                write_frame(&mut stream, &applet.atr())?;
                on_atr();
            }
            [POWER_OFF | POWER_ON | RESET] => applet.reset(),
            [_] => {}
            apdu => {
                if drop_after_apdus == Some(apdus) {
                    let _ = stream.shutdown(Shutdown::Both);
                    return Ok(End::Pulled(apdus));
                }
                apdus += 1;
                let response = applet.process(apdu);
                write_frame(&mut stream, &response)?;
            }
        }
    }
}

/// A card inserted from this process (tests, benchmarks): a thread holds the connection until
/// [`InsertedCard::remove`] or drop.
pub struct InsertedCard {
    stream: TcpStream,
    thread: Option<JoinHandle<io::Result<End>>>,
}

impl InsertedCard {
    /// Connects to vpcd at `address` (e.g. "127.0.0.1:35963") and serves `applet`.
    pub fn insert(
        address: &str,
        mut applet: Box<dyn Applet>,
        drop_after_apdus: Option<u32>,
    ) -> io::Result<InsertedCard> {
        let stream = TcpStream::connect(address).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("vpcd is not listening on {address} ({e}): is pcscd running, with Debian package vsmartcard-vpcd installed?"),
            )
        })?;
        let ours = stream.try_clone()?;
        let thread = std::thread::Builder::new()
            .name("virtual-card".into())
            .spawn(move || serve(ours, applet.as_mut(), drop_after_apdus, || {}))?;
        Ok(InsertedCard {
            stream,
            thread: Some(thread),
        })
    }

    /// Pulls the card out; returns how the session ended (a reset connection is a removal too).
    pub fn remove(mut self) -> End {
        self.stop()
    }

    fn stop(&mut self) -> End {
        let _ = self.stream.shutdown(Shutdown::Both);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(Ok(end))) => end,
            _ => End::Closed,
        }
    }
}

impl Drop for InsertedCard {
    fn drop(&mut self) {
        self.stop();
    }
}
