#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Send one DHCPINFORM the way Windows does after IPCP (to 255.255.255.255:67
# from its tunnel address, htype 8, parameter list 6 44 43 1 249 15) out of
# an interface, wait for the DHCPACK and print its options, one a line:
# "6 10.0.0.53", "15 corp.example", "249 10.77.0.0/16 via 192.168.99.1".
# Exits 1 when no DHCPACK comes within the timeout.
import socket
import struct
import sys

ifname, addr = sys.argv[1], sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 5

xid = 0x5ec0ffee
msg = bytearray(236)
msg[0], msg[1] = 1, 8
msg[4:8] = struct.pack('>I', xid)
msg[12:16] = socket.inet_aton(addr)
msg += bytes([99, 130, 83, 99, 53, 1, 8, 61, 17, 0] + list(range(16)) +
             [60, 8] + list(b'MSFT 5.0') + [55, 6, 6, 44, 43, 1, 249, 15, 255])

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.bind((addr, 68))
s.settimeout(timeout)
for _ in range(3):
    s.sendto(bytes(msg), ('255.255.255.255', 67))
    try:
        ack = s.recv(1500)
    except socket.timeout:
        continue
    if len(ack) < 240 or ack[0] != 2 or struct.unpack('>I', ack[4:8])[0] != xid:
        continue
    break
else:
    sys.exit(1)

off = 240
while off < len(ack) and ack[off] != 255:
    code, n = ack[off], ack[off + 1]
    v = ack[off + 2:off + 2 + n]
    if code in (6, 54):
        print(code, ' '.join(socket.inet_ntoa(v[i:i + 4]) for i in range(0, n, 4)))
    elif code == 15:
        print(code, v.decode())
    elif code == 53:
        print(code, v[0])
    elif code in (121, 249):
        i = 0
        while i < n:
            plen = v[i]
            sig = (plen + 7) // 8
            dst = bytes(v[i + 1:i + 1 + sig]) + bytes(4 - sig)
            gw = socket.inet_ntoa(v[i + 1 + sig:i + 5 + sig])
            print(code, '%s/%d via %s' % (socket.inet_ntoa(dst), plen, gw))
            i += 5 + sig
    off += 2 + n
