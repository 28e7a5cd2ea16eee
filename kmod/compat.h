/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernels sstp builds for lives here. Kbuild
 * force-includes this file into every object, so the .c files are written
 * against the newest API and read like upstream code.
 *
 * 6.1 (Debian 12) and 6.12 (bookworm-backports) agree on everything the
 * module uses: genetlink per-op policies, GENL_REQ_ATTR_CHECK and
 * resv_start_op, ppp_register_net_channel(), the tls_context tx_conf and
 * rx_conf fields, the TLS_GET_RECORD_TYPE cmsg and timer_shutdown_sync()
 * (backported to 6.1.y). What differs is mapped below by feature, never by
 * version number:
 *
 * - timer_container_of() replaced from_timer() in 6.16; older kernels
 *   only have from_timer().
 * - kTLS accepts MSG_SPLICE_PAGES from 6.5 on, but 6.1 headers define the
 *   flag while its tls_sw_sendmsg() rejects it. The TX worker copies
 *   through a kvec on every kernel (tx.c says why splicing skb heads is
 *   wrong anyway); nothing to map.
 * - kTLS gained read_sock() in 6.5; RX uses kernel_recvmsg() everywhere.
 * - ITER_SOURCE names the direction of an iov_iter that is read from
 *   since 6.2; before, that was WRITE.
 */
#ifndef SSTP_COMPAT_H
#define SSTP_COMPAT_H

/* Included before anything else, so the one place for the log prefix. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/timer.h>
#include <linux/uio.h>

#ifndef timer_container_of
#define timer_container_of(var, callback_timer, timer_fieldname) \
	from_timer(var, callback_timer, timer_fieldname)
#endif

#ifndef ITER_SOURCE
#define ITER_SOURCE WRITE
#endif

#endif /* SSTP_COMPAT_H */
