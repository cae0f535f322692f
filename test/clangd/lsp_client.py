#!/usr/bin/env python3
"""Drives a clangd over LSP: opens one file and prints the diagnostics that
clangd publishes for it, one per line as `line:col: [source/code] message`.

usage: lsp_client.py <clangd> <file> [--timeout S] [-- <clangd args>]
Exits 1 when no publishDiagnostics arrives for the file within the timeout,
or when clangd exits early."""
import json
import os
import subprocess
import sys
import threading
import time


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    timeout = 60.0
    if "--timeout" in argv:
        i = argv.index("--timeout")
        timeout = float(argv[i + 1])
        del argv[i:i + 2]
    clangd, path = argv[0], os.path.abspath(argv[1])
    uri = "file://" + path
    proc = subprocess.Popen([clangd, "--log=error"] + extra,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=sys.stderr)

    def send(msg):
        body = json.dumps(msg).encode()
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()

    messages = []
    cond = threading.Condition()

    def reader():
        while True:
            length = None
            while True:
                line = proc.stdout.readline()
                if not line:
                    with cond:
                        messages.append(None)
                        cond.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = proc.stdout.read(length)
            with cond:
                messages.append(json.loads(body))
                cond.notify_all()

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(pred, deadline):
        with cond:
            while True:
                for m in messages:
                    if m is None:
                        return None
                    if pred(m):
                        messages.remove(m)
                        return m
                left = deadline - time.time()
                if left <= 0:
                    return None
                cond.wait(left)

    deadline = time.time() + timeout
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"processId": os.getpid(), "rootUri": None,
                     "capabilities": {}}})
    if wait_for(lambda m: m.get("id") == 1, deadline) is None:
        print("error: no initialize response from clangd", file=sys.stderr)
        return 1
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    with open(path) as f:
        text = f.read()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": uri, "languageId": "cpp",
                                      "version": 1, "text": text}}})
    note = wait_for(lambda m: m.get("method") ==
                    "textDocument/publishDiagnostics" and
                    m["params"]["uri"] == uri, deadline)
    status = 0
    if note is None:
        print("error: no diagnostics published for %s" % path, file=sys.stderr)
        status = 1
    else:
        for d in note["params"]["diagnostics"]:
            start = d["range"]["start"]
            print("%d:%d: [%s/%s] %s" % (start["line"] + 1,
                                         start["character"] + 1,
                                         d.get("source", ""), d.get("code", ""),
                                         d["message"].replace("\n", " ")))
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    wait_for(lambda m: m.get("id") == 2, time.time() + 10)
    send({"jsonrpc": "2.0", "method": "exit"})
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    return status


if __name__ == "__main__":
    sys.exit(main())
