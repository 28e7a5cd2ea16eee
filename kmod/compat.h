/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernels sstp builds for lives here. Kbuild
 * force-includes this file into every object, so the .c files are written
 * against the newest API and read like upstream code.
 *
 * 6.1 (Debian 12) and 6.12 (bookworm-backports) agree on most of what the
 * module uses: genetlink per-op policies, GENL_REQ_ATTR_CHECK, the
 * tls_context tx_conf and rx_conf fields, the TLS_GET_RECORD_TYPE cmsg,
 * timer_shutdown_sync(), gro_cells, tstats and netdev_hold() with
 * trackers. What differs is mapped below, by feature where the
 * preprocessor can see one, by version where only behaviour changed:
 *
 * - timer_container_of() replaced from_timer() in 6.16.
 * - ITER_SOURCE/ITER_DEST name an iov_iter's direction since 6.2; before,
 *   WRITE/READ did.
 * - skb_gso_segment() moved to <net/gso.h> in 6.5.
 * - Lockless TX became a net_device bit in 6.11 (lltx); before, it was the
 *   NETIF_F_LLTX feature.
 * - kTLS takes MSG_SPLICE_PAGES from 6.5 on (the pages are encrypted from
 *   where they are); 6.1 headers define the flag but its tls_sw_sendmsg()
 *   refuses it, so there the plaintext is copied into kTLS's own record.
 * - kTLS has read_sock() from 6.5 on: it hands over each decrypted record
 *   as an skb of page fragments, which RX can slice without copying. On
 *   6.1 the socket's read_sock is TCP's (it would read ciphertext), so RX
 *   uses recvmsg() into pages of its own there.
 */
#ifndef SSTP_COMPAT_H
#define SSTP_COMPAT_H

/* Included before anything else, so the one place for the log prefix. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/socket.h>
#include <linux/timer.h>
#include <linux/uio.h>
#include <linux/version.h>
#if __has_include("net/gso.h")
#include <net/gso.h>
#endif

#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

#ifndef ITER_SOURCE
#define ITER_SOURCE WRITE
#define ITER_DEST READ
#endif

static inline void sstp_dev_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define SSTP_MSG_SPLICE			MSG_SPLICE_PAGES
#define SSTP_HAVE_KTLS_READ_SOCK	true
#else
#define SSTP_MSG_SPLICE			0
#define SSTP_HAVE_KTLS_READ_SOCK	false
#endif

#endif /* SSTP_COMPAT_H */
