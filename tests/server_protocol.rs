//! The language server against a bad client (issue 19): a raw JSON-RPC client over the real
//! binary's stdin and stdout, sending what editors and broken tools really send.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
}

const LAB: &str = include_str!("../examples/lab/stateful-python-app.yaml");

impl Server {
    fn start(root: &Path, utf8: bool) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if out.read_exact(&mut body).is_err() {
                    return;
                }
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut server = Server {
            child,
            stdin,
            messages,
        };
        let uri = uri(root);
        let encodings = if utf8 {
            json!(["utf-8"])
        } else {
            json!(["utf-16"])
        };
        server.request(
            1,
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "ws"}],
                "capabilities": {"general": {"positionEncodings": encodings}},
            }),
        );
        let reply = server.reply(1);
        assert!(reply["result"]["capabilities"].is_object(), "{reply}");
        server.notify("initialized", json!({}));
        server
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        // The server may have stopped reading (a lost framing): that is what is tested.
        let _ = stdin.write_all(bytes).and_then(|()| stdin.flush());
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn request(&mut self, id: i64, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that `matches`, skipping others; panics after 20 s.
    fn wait_for(&self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if matches(&message) => return message,
                Ok(_) => {}
                Err(_) => panic!("no {what} within 20 s"),
            }
        }
    }

    fn reply(&self, id: i64) -> Value {
        self.wait_for(&format!("reply to {id}"), |m| {
            m["id"] == json!(id) && m.get("method").is_none()
        })
    }

    fn diagnostics(&self, uri: &str) -> Value {
        self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": version, "text": text}}),
        );
    }

    /// Waits for the process to end; its exit code and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stderr = String::new();
                self.child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return (status.code(), stderr);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn alive(&mut self, id: i64) {
        self.request(id, "textDocument/hover", json!({"textDocument": {"uri": "file:///none.yaml"}, "position": {"line": 0, "character": 0}}));
        let reply = self.reply(id);
        assert!(reply.get("error").is_none(), "{reply}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for &b in path.to_str().unwrap().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stslint-proto-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_hover_inside_a_multibyte_character_is_answered() {
    let dir = workspace("hover");
    let mut server = Server::start(&dir, true);
    let file = uri(&dir.join("a.yaml"));
    let text = "# é😀\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: é}\nspec: {accessModes: [rwo], resources: {requests: {storage: 1Gi}}}\n";
    server.open(&file, text, 1);
    server.diagnostics(&file);
    for (id, character) in [(2, 3), (3, 4), (4, 5), (5, 6)] {
        server.request(
            id,
            "textDocument/hover",
            json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": character}}),
        );
        let reply = server.reply(id);
        assert!(reply.get("error").is_none(), "{reply}");
    }
    server.request(9, "shutdown", json!(null));
    server.reply(9);
    server.notify("exit", json!(null));
    let (code, stderr) = server.finish();
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

#[test]
fn diagnostics_are_published_under_the_uri_the_client_sent() {
    let dir = workspace("josé-[a]{b}\"c\"");
    std::fs::write(dir.join("lab.yaml"), LAB).unwrap();
    let mut server = Server::start(&dir, false);
    let file = uri(&dir.join("lab.yaml"));
    server.open(&file, LAB, 1);
    let published = server.diagnostics(&file);
    let rules: Vec<&str> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "statefulset-missing-service-name",
            "claim-template-not-mounted",
            "invalid-helm-hook-annotation",
            "invalid-helm-hook-annotation"
        ]
    );
}

#[test]
fn edits_ranges_versions_and_close_are_honoured() {
    let dir = workspace("edits");
    let mut server = Server::start(&dir, false);
    let file = uri(&dir.join("pvc.yaml"));
    let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n";
    server.open(&file, text, 1);
    assert_eq!(server.diagnostics(&file)["diagnostics"], json!([]));
    // A ranged change: `ReadWriteOnce` (line 3, characters 21..34) becomes `rwo`.
    let change = |version: i64, new: &str| {
        json!({"textDocument": {"uri": file, "version": version},
               "contentChanges": [{"range": {"start": {"line": 3, "character": 21}, "end": {"line": 3, "character": 34}}, "text": new}]})
    };
    server.notify("textDocument/didChange", change(2, "rwo"));
    let published = server.diagnostics(&file);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"][0]["code"], "invalid-access-mode");
    assert_eq!(
        published["diagnostics"][0]["range"],
        json!({"start": {"line": 3, "character": 21}, "end": {"line": 3, "character": 24}})
    );
    // An older version is stale: dropped, and the findings stay those of version 2.
    server.notify("textDocument/didChange", change(1, "ReadWriteOnce"));
    server.alive(5);
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file}}),
    );
    let cleared = server.diagnostics(&file);
    assert_eq!(cleared["diagnostics"], json!([]));
}

#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let dir = workspace("malformed");
    let mut server = Server::start(&dir, false);
    for body in [
        &b"{not json"[..],
        b"\xff\xfe\x00",
        br#"{"jsonrpc":"2.0","id":40,"method":"textDocument/hover","params":{"x":"\ud800"}}"#,
    ] {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        server.raw(&framed);
        let reply = server.wait_for("a parse error", |m| m.get("error").is_some());
        assert_eq!(reply["error"]["code"], -32700, "{reply}");
        assert_eq!(reply["id"], Value::Null);
    }
    server.send(json!({"jsonrpc": "2.0", "id": 41}));
    let reply = server.reply(41);
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    // A second initialize is a request the server cannot take again.
    server.request(42, "initialize", json!({"capabilities": {}}));
    assert_eq!(server.reply(42)["error"]["code"], -32600);
    server.alive(43);
    // `exit` without `shutdown`: exit code 1, as the specification says.
    server.notify("exit", json!(null));
    let (code, stderr) = server.finish();
    assert_eq!((code, stderr.as_str()), (Some(1), ""));
}

#[test]
fn a_lost_framing_ends_the_server_with_a_reason() {
    for (header, reason) in [
        (
            &b"Content-Length: 1000000000000\r\n\r\n{}"[..],
            "stslint server: Content-Length 1000000000000 is over the",
        ),
        (
            b"Content-Type: x\r\n\r\n{}",
            "stslint server: a message without Content-Length; stopping",
        ),
    ] {
        let dir = workspace("lost");
        let mut server = Server::start(&dir, false);
        server.raw(header);
        let (code, stderr) = server.finish();
        assert_eq!(code, Some(1));
        assert!(stderr.starts_with(reason), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_device_named_yaml_never_hangs_the_server() {
    let dir = workspace("fifo");
    let fifo = dir.join("pipe.yaml");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.yaml")).unwrap();
    let mut server = Server::start(&dir, false);
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&fifo), "type": 2}, {"uri": uri(&dir.join("zero.yaml")), "type": 2}]}),
    );
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&fifo)}}),
    );
    server.alive(7);
}

/// A request the client cancels while the server is busy (linting a large buffer just opened)
/// is answered RequestCancelled and not worked on; the one after it is answered.
#[test]
fn a_request_cancelled_while_the_server_is_busy_is_answered_cancelled() {
    let dir = workspace("cancel");
    let mut server = Server::start(&dir, false);
    let file = uri(&dir.join("big.yaml"));
    let big = LAB.repeat(200);
    let hover = json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": 0}});
    // One write: the open, the hover, its cancellation and a second hover arrive together; the
    // hover waits for the lint of 35,000 lines, and the cancellation is there before it is done.
    let mut bytes = Vec::new();
    for message in [
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": file, "languageId": "yaml", "version": 1, "text": big}}}),
        json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": hover}),
        json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}}),
        json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover", "params": hover}),
    ] {
        let body = message.to_string();
        bytes.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    }
    server.raw(&bytes);
    let cancelled = server.reply(7);
    assert_eq!(cancelled["error"]["code"], -32800, "{cancelled}");
    let answered = server.reply(8);
    assert!(answered.get("error").is_none(), "{answered}");
}
