#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""UDP for the gate tests.

    udp.py listen PORT            print "SRC PAYLOAD" per datagram, flushed
    udp.py send SRC DST PORT TEXT one datagram from SRC (bound) to DST:PORT
"""
import socket
import sys

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
