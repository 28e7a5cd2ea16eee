#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Connections that never authenticate, for the admission tests.

    conns.py HOST PORT --source ADDR --count N [--mode tcp|tls|slow] [--wait S]

Opens N connections to HOST:PORT from ADDR at once and keeps each one as
long as the server does, doing in the meantime what --mode says:

  tcp   nothing at all after the TCP handshake;
  tls   the TLS handshake, then nothing;
  slow  make progress through every phase just in time: the TLS handshake
        at 1.5 s, then the HTTP request one piece every 0.5 s from 3 s on
        (a server with a deadline per phase would never time it out);
  sstp  TLS, the HTTP request, and once answered CALL_CONNECT_REQUEST:
        the SSTP call starts, and then nothing (never authenticates).

When each connection ends (the server closed it) or after --wait seconds,
prints one line per connection, "I closed T" (T: seconds it lived) or
"I open", and "opened N" first. Exits 0.
"""
import argparse
import socket
import ssl
import threading
import time

CALL_CONNECT_REQUEST = bytes([0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01,
                              0x00, 0x01, 0x00, 0x06, 0x00, 0x01])
REQUEST = (b"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
           b"SSTPCORRELATIONID: {00000000-0000-0000-0000-000000000000}\r\n"
           b"Content-Length: 18446744073709551615\r\n"
           b"Host: vpn.sstp.test\r\n\r\n")


def until(t0, at):
    d = t0 + at - time.monotonic()
    if d > 0:
        time.sleep(d)


def closed(s):
    """Block until the peer closes; False if it never does (we give up)."""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                return True
    except (ConnectionError, ssl.SSLError, OSError):
        return True


def one(args, i, result):
    t0 = time.monotonic()
    s = None
    try:
        s = socket.create_connection((args.host, args.port), timeout=args.wait,
                                     source_address=(args.source, 0))
        result[i] = ("open", 0.0)
        if args.mode in ("tls", "slow", "sstp"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            if args.mode == "slow":
                until(t0, 1.5)
            s = ctx.wrap_socket(s)
        if args.mode == "slow":
            at = 3.0
            for k in range(0, len(REQUEST) - 1, 12):
                until(t0, at)
                s.sendall(REQUEST[k:k + 12])
                at += 0.5
        if args.mode == "sstp":
            s.sendall(REQUEST)
            head = b""
            while b"\r\n\r\n" not in head:
                b = s.recv(4096)
                if not b:
                    raise ConnectionError("closed during HTTP")
                head += b
            s.sendall(CALL_CONNECT_REQUEST)
            print("%d in sstp" % i, flush=True)
        if closed(s):
            result[i] = ("closed", time.monotonic() - t0)
    except socket.timeout:
        pass
    except (ConnectionError, ssl.SSLError, OSError):
        result[i] = ("closed", time.monotonic() - t0)
    finally:
        if s is not None:
            s.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--source", required=True)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--mode", choices=("tcp", "tls", "slow", "sstp"), default="tcp")
    p.add_argument("--wait", type=float, default=30)
    args = p.parse_args()
    result = [("open", 0.0)] * args.count
    threads = [threading.Thread(target=one, args=(args, i, result), daemon=True)
               for i in range(args.count)]
    for t in threads:
        t.start()
    print("opened %d" % args.count, flush=True)
    end = time.monotonic() + args.wait
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    for i, (state, t) in enumerate(result):
        print("%d %s %.2f" % (i, state, t) if state == "closed" else "%d open" % i)


if __name__ == "__main__":
    main()
