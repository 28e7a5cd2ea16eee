#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""UDP for the gate tests.

    udp.py listen PORT            print "SRC PAYLOAD" per datagram, flushed
    udp.py send SRC DST PORT TEXT one datagram from SRC (bound) to DST:PORT
    udp.py flood SRC DST PORT BPS SECONDS
                                  datagrams of 1000 bytes (1028 as IPv4
                                  packets) from SRC to DST:PORT, paced at
                                  BPS bit/s of IP packets, for SECONDS
    udp.py meter PORT SKIP WINDOW print "ready", then, counting from the
                                  first datagram, leave SKIP seconds out and
                                  print the bit/s of IP packets (payload +
                                  28) that arrive in the next WINDOW seconds
"""
import socket
import sys
import time

IP_UDP = 28

if sys.argv[1] == "flood":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], 0))
    dst = (sys.argv[3], int(sys.argv[4]))
    bps, secs = float(sys.argv[5]), float(sys.argv[6])
    payload = b"R" * 1000
    gap = (len(payload) + IP_UDP) * 8 / bps
    start = time.monotonic()
    n = 0
    while True:
        now = time.monotonic()
        if now - start >= secs:
            break
        due = start + n * gap
        if due > now:
            time.sleep(due - now)
        try:
            s.sendto(payload, dst)
        except OSError:
            pass
        n += 1
    print("sent", n, flush=True)
    sys.exit(0)
if sys.argv[1] == "meter":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    skip, window = float(sys.argv[3]), float(sys.argv[4])
    print("ready", flush=True)
    s.recv(4096)
    t0 = time.monotonic() + skip
    end = t0 + window
    total = 0
    while True:
        now = time.monotonic()
        if now >= end:
            break
        s.settimeout(end - now)
        try:
            data = s.recv(4096)
        except socket.timeout:
            break
        if time.monotonic() >= t0:
            total += len(data) + IP_UDP
    print("bps", int(total * 8 / window), flush=True)
    sys.exit(0)

if sys.argv[1] == "listen":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    print("listening", flush=True)
    while True:
        data, (src, _) = s.recvfrom(4096)
        print(src, data.decode("ascii", "replace"), flush=True)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], 0))
    s.sendto(sys.argv[5].encode(), (sys.argv[3], int(sys.argv[4])))
