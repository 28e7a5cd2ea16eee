/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tun device per session for the userspace data path: IP packets without
 * any header (IFF_NO_PI). The device lives as long as the fd: closing it is
 * the whole teardown, so a crashed daemon leaves no interface behind.
 */
#ifndef SSTP_TUN_H
#define SSTP_TUN_H

#include <net/if.h>

/* name: a template such as "sstp%d" or a fixed name; the kernel's choice
 * is written back into ifname. Returns a non-blocking fd or -errno. */
int tun_open(const char *name, char ifname[IFNAMSIZ], int *ifindex);

#endif /* SSTP_TUN_H */
