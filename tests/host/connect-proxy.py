#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A minimal HTTP CONNECT proxy for tests/host/test-proxy.sh.

Reads CONNECT requests and writes each request line and its headers to
LOGFILE (so the test can check what the client sent). With CREDENTIALS
("user:password") a request without the matching Basic Proxy-Authorization
gets 407 and the proxy waits for the next one. Otherwise it connects to the
target, answers 200 and relays bytes both ways until either side closes.
Usage: connect-proxy.py ADDR PORT LOGFILE [CREDENTIALS]
"""
import base64
import select
import socket
import sys

addr, port, logfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
want = None
if len(sys.argv) > 4:
    want = "Basic " + base64.b64encode(sys.argv[4].encode()).decode()
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((addr, port))
srv.listen(4)
while True:
    conn, _ = srv.accept()
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            break
        head += chunk
    request = head.split(b"\r\n\r\n", 1)[0].decode()
    with open(logfile, "a") as f:
        f.write(request + "\n\n")
    auth = [l.split(":", 1)[1].strip() for l in request.split("\r\n")[1:]
            if l.lower().startswith("proxy-authorization:")]
    if want is None or auth == [want]:
        break
    conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                 b"Proxy-Authenticate: Basic realm=\"test\"\r\n\r\n")
    conn.close()
method, target, _ = request.split("\r\n")[0].split(" ")
if method != "CONNECT":
    conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
    sys.exit(1)
host, tport = target.rsplit(":", 1)
up = socket.create_connection((host.strip("[]"), int(tport)))
conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
socks = [conn, up]
while True:
    r, _, _ = select.select(socks, [], [])
    for s in r:
        data = s.recv(65536)
        if not data:
            sys.exit(0)
        (up if s is conn else conn).sendall(data)
