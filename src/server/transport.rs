//! The wire: LSP's base protocol (`Content-Length` framing, JSON-RPC bodies), read on a thread
//! of its own. `lsp-server`'s reader ends the connection on any malformed message and
//! allocates whatever size a header claims; this one answers a malformed body and carries on,
//! caps every size, and says why when the framing itself is lost.

use lsp_server::{ErrorCode, Message, RequestId, Response};
use std::io::{BufRead, Read, Write};
use std::sync::mpsc::{Receiver, Sender};

/// The largest message read: a document is capped at this size anyway (`discover`), and JSON
/// escaping can at most double a text.
pub const MAX_MESSAGE_BYTES: usize = 2 * crate::input::MAX_FILE_BYTES as usize + (1 << 20);
/// One header line, and how many of them a message may have.
const MAX_HEADER_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 32;

pub enum Incoming {
    Message(Message),
    /// A framed body that is not a JSON-RPC message: the error response it gets (with a `null`
    /// id where the request's cannot be read), then the next message is read.
    Malformed(serde_json::Value),
    /// The client closed the stream.
    Closed,
    /// The framing is lost (a bad header, a size over the cap): nothing after it can be read.
    Lost(String),
}

/// What one event of the stream leaves the main loop: a message to handle, nothing (a
/// malformed body, answered here), or the exit code (the client gone, the framing lost).
pub fn settle<W: Write>(incoming: Incoming, out: &mut Writer<W>) -> Result<Option<Message>, i32> {
    match incoming {
        Incoming::Message(message) => Ok(Some(message)),
        Incoming::Malformed(reply) => {
            out.send_json(&reply);
            Ok(None)
        }
        Incoming::Closed => Err(1),
        Incoming::Lost(why) => {
            eprintln!("stslint server: {why}; stopping");
            Err(1)
        }
    }
}

/// Reads messages from `input` on a thread of its own until it ends or its framing is lost.
pub fn spawn_reader(input: impl Read + Send + 'static) -> Receiver<Incoming> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || read_all(std::io::BufReader::new(input), &sender));
    receiver
}

fn read_all(mut input: impl BufRead, sender: &Sender<Incoming>) {
    loop {
        let incoming = match read_body(&mut input) {
            Ok(None) => Incoming::Closed,
            Ok(Some(body)) => parse(&body),
            Err(why) => Incoming::Lost(why),
        };
        let last = matches!(incoming, Incoming::Closed | Incoming::Lost(_));
        if sender.send(incoming).is_err() || last {
            return;
        }
    }
}

/// One message's body; `None` at the end of the stream.
fn read_body(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut size = None;
    for count in 0.. {
        if count == MAX_HEADERS {
            return Err(format!("more than {MAX_HEADERS} header lines"));
        }
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("cannot read a header: {e}"))?;
        if read == 0 {
            if count == 0 {
                return Ok(None);
            }
            return Err("the stream ended inside a header".into());
        }
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(format!(
                "malformed header {:?} (over {MAX_HEADER_LINE} bytes, or not ended by CRLF)",
                String::from_utf8_lossy(&line[..line.len().min(80)])
            ));
        };
        if line.is_empty() {
            break;
        }
        let line = std::str::from_utf8(line).map_err(|_| "a header is not UTF-8".to_string())?;
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header {line:?}"));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let value = value.trim();
            let length: u64 = value
                .parse()
                .map_err(|_| format!("Content-Length {value:?} is not a number"))?;
            if length > MAX_MESSAGE_BYTES as u64 {
                return Err(format!(
                    "Content-Length {length} is over the {MAX_MESSAGE_BYTES}-byte limit"
                ));
            }
            size = Some(length as usize);
        }
    }
    let size = size.ok_or("a message without Content-Length")?;
    let mut body = vec![0; size];
    input
        .read_exact(&mut body)
        .map_err(|e| format!("the stream ended inside a message of {size} bytes ({e})"))?;
    Ok(Some(body))
}

/// A body as a message, or the error response it gets: ParseError for what is not JSON (a
/// non-UTF-8 body, a lone surrogate), InvalidRequest for JSON that is no JSON-RPC message.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return Incoming::Malformed(error(None, ErrorCode::ParseError, &e.to_string())),
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(e) => Incoming::Malformed(error(
            id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC message: {e}"),
        )),
    }
}

/// A JSON-RPC error response for a request whose id is `id` (`null` when unknown).
pub fn error(id: Option<serde_json::Value>, code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": {"code": code as i32, "message": message},
    })
}

/// A response for a request, as a message.
pub fn respond(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

/// Writes messages, framed.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Self {
        Writer { out }
    }

    /// False once the client is gone.
    pub fn send(&mut self, message: impl Into<Message>) -> bool {
        message.into().write(&mut self.out).is_ok()
    }

    /// A message built as JSON (an error response with a `null` id).
    pub fn send_json(&mut self, value: &serde_json::Value) -> bool {
        let body = value.to_string();
        write!(self.out, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.out.flush())
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<Incoming> {
        let (sender, receiver) = std::sync::mpsc::channel();
        read_all(std::io::Cursor::new(bytes.to_vec()), &sender);
        drop(sender);
        receiver.into_iter().collect()
    }

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn a_malformed_body_is_answered_and_the_next_is_read() {
        let mut bytes = Vec::new();
        for body in [
            &b"{not json"[..],
            b"\xff\xfe",
            br#"{"jsonrpc":"2.0","id":1,"method":"x","params":"\ud800"}"#,
            br#"{"jsonrpc":"2.0","id":7}"#,
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ] {
            bytes.extend(framed(body));
        }
        let got = read(&bytes);
        let codes: Vec<_> = got
            .iter()
            .map(|i| match i {
                Incoming::Malformed(r) => r["error"]["code"].as_i64().unwrap(),
                Incoming::Message(_) => 0,
                Incoming::Closed => 1,
                Incoming::Lost(_) => 2,
            })
            .collect();
        assert_eq!(codes, [-32700, -32700, -32700, -32600, 0, 1]);
    }

    #[test]
    fn a_huge_or_broken_header_loses_the_framing_without_allocating() {
        for bytes in [
            &b"Content-Length: 1000000000000\r\n\r\n{}"[..],
            b"Content-Length: many\r\n\r\n{}",
            b"Content-Length: 2\n\n{}",
            b"\r\n{}",
        ] {
            let got = read(bytes);
            assert!(matches!(got.as_slice(), [Incoming::Lost(_)]), "{bytes:?}");
        }
    }
}
