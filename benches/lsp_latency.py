#!/usr/bin/env python3
"""Language-server latency, measured the way an editor feels it (release build, stdio), against
the targets of issue 24:

  - workspace: a workspace of 1,000 manifest files (the shared corpus's manifests, copied
    round-robin into their own folders); the time from `initialized` until the first
    diagnostics of a document opened in it (the server reads and indexes every file first).
    Target: within 1 s.
  - change: a 2,000-line multi-document file, one keystroke at a time (incremental
    `didChange` of one character, as VS Code sends them): the time from each change until its
    diagnostics arrive, median and 95th percentile of 200. Target: at most 20 ms.
  - memory: the server's RSS after 1,000 and after 10,000 such edits. Target: flat (the
    second within 5% of the first).
  - many findings: a 1 MB document with about 8,000 findings, the time from a change to its
    diagnostics against `stslint check` on the same text (the server converts every finding to
    an LSP position); and 20 changes sent at once to a 500 KB document (typing faster than it
    lints), the time until the last version's diagnostics arrive.

Usage: benches/lsp_latency.py [STSLINT_BINARY]   (default target/release/stslint)
  STSLINT_BENCH_QUICK=1: 300 edits, no memory figure and no many-findings part (for profiling).
"""

import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/stslint")
CORPUS = ROOT.parent / "shared/corpus"


class Server:
    def __init__(self):
        self.proc = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics_for(self, uri):
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0


def corpus_manifests():
    return sorted(
        p for p in CORPUS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json") and p.is_file() and "templates" not in p.parts
    )


def keystroke(uri, version, line, character, text):
    return {"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": character},
                                          "end": {"line": line, "character": character}},
                                "text": text}]}


def main():
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix="stslint-lsp-bench-"))
    sources = corpus_manifests()
    for i in range(1000):
        source = sources[i % len(sources)]
        folder = work / f"w{i:04d}"
        folder.mkdir()
        shutil.copy(source, folder / source.name)
    lab = (ROOT / "examples/lab/stateful-python-app.yaml").read_text()
    big = ""
    while big.count("\n") < 2000:
        big += lab.replace("stateful-python-app", f"app{big.count(chr(10))}") + "\n---\n"
    target = work / "big.yaml"
    target.write_text(big)
    uri = target.as_uri()
    # The keystrokes land at the end of a comment line near the middle of the file: each one
    # changes the text, and none changes the findings.
    lines = big.split("\n")
    line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("# Source:"))
    column = len(lines[line])

    server = Server()
    server.request("initialize", {"processId": None, "rootUri": work.as_uri(), "capabilities": {},
                                  "workspaceFolders": [{"uri": work.as_uri(), "name": "bench"}]})
    started = time.perf_counter()
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": big}})
    first = server.diagnostics_for(uri)
    workspace_ms = (time.perf_counter() - started) * 1000

    timings = []
    rss = {}
    quick = os.environ.get("STSLINT_BENCH_QUICK") == "1"
    for version in range(2, 302 if quick else 10002):
        started = time.perf_counter()
        server.notify("textDocument/didChange", keystroke(uri, version, line, column, "x"))
        column += 1
        if column > 2000:
            # Keep the line from growing without end: delete what was typed.
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": len(lines[line])},
                                              "end": {"line": line, "character": column}}, "text": ""}]})
            column = len(lines[line])
        server.diagnostics_for(uri)
        if version <= 201:
            timings.append((time.perf_counter() - started) * 1000)
        if version - 1 in (1000, 10000):
            rss[version - 1] = server.rss_mb()
    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait(timeout=10)
    shutil.rmtree(work)

    many = "" if quick else many_findings(work)

    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    median = statistics.median(timings)
    growth = (rss[10000] - rss[1000]) / rss[1000] * 100 if not quick else 0

    def verdict(ok):
        return "meets" if ok else "MISSES"

    print(f"workspace: 1,000 manifest files + a {big.count(chr(10))}-line file ({big.count('---')} documents, {len(first)} findings)")
    print(f"first diagnostics after initialized: {workspace_ms:.0f} ms ({verdict(workspace_ms <= 1000)} 1 s)")
    print(f"keystroke to diagnostics on the 2,000-line file: median {median:.1f} ms, p95 {p95:.1f} ms, worst {timings[-1]:.1f} ms over 200 edits ({verdict(p95 <= 20)} 20 ms)")
    if not quick:
        print(f"server RSS: {rss[1000]:.1f} MB after 1,000 edits, {rss[10000]:.1f} MB after 10,000 ({growth:+.1f}%, {verdict(abs(growth) <= 5)} flat)")
        print(many)


def claims(count):
    return "".join(
        f"apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: d{i}}}\n"
        f"spec: {{accessModes: [rwo], resources: {{requests: {{storage: 1Gi}}}}}}\n---\n"
        for i in range(count)
    )


def many_findings(work):
    work = pathlib.Path(tempfile.mkdtemp(prefix="stslint-lsp-many-"))
    text = claims(8000)
    path = work / "many.yaml"
    path.write_text(text)
    cli = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([BIN, "check", "--format", "json", str(path)], stdout=subprocess.DEVNULL, check=False)
        cli.append(time.perf_counter() - started)
    server = Server()
    server.request("initialize", {"processId": None, "rootUri": work.as_uri(), "capabilities": {},
                                  "workspaceFolders": [{"uri": work.as_uri(), "name": "many"}]})
    server.notify("initialized", {})
    uri = path.as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    found = len(server.diagnostics_for(uri))
    changes = []
    for version in range(2, 7):
        edited = text.replace("name: d0}", f"name: d0-{version}}}", 1)
        started = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": edited}]})
        server.diagnostics_for(uri)
        changes.append(time.perf_counter() - started)
    # 20 keystrokes at once on a 500 KB document: only the newest version needs linting.
    half = claims(4000)
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 10},
                                             "contentChanges": [{"text": half}]})
    while True:
        message = server.read()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == 10:
            break
    started = time.perf_counter()
    for version in range(11, 31):
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": half.replace("d1}", f"d1-{version}}}", 1)}]})
    while True:
        message = server.read()
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == 30:
            break
    burst = time.perf_counter() - started
    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait(timeout=10)
    shutil.rmtree(work)
    best_cli = min(cli)
    median = statistics.median(changes)
    return (
        f"many findings: {len(text) / 1e6:.1f} MB, {found} findings: change to diagnostics median {median * 1000:.0f} ms "
        f"against `stslint check` {best_cli * 1000:.0f} ms ({median / best_cli:.2f}x); "
        f"20 changes at once on 0.5 MB: last version's diagnostics after {burst * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
