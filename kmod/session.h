/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One SSTP session: a kTLS TCP socket taken over from the daemon, a PPP
 * channel, and the work items and timer that move packets between them.
 *
 * Lifetime: a session is created by sstp_session_new() with one reference,
 * held by the per-netns table (struct sstp_net.sessions) from the moment it
 * is published there. Lookups take a reference with refcount_inc_not_zero()
 * under RCU. sstp_session_down() starts the one and only teardown, which
 * runs in sstp_session_destroy() (a work item, process context): it detaches
 * the socket, stops the RX work and the hello timer, unregisters the PPP
 * channel, closes and drains the TX queue, unpublishes the session, tells the
 * owner, releases the socket and drops the table's reference. Memory is
 * freed after an RCU grace period when the last reference goes.
 */
#ifndef SSTP_SESSION_H
#define SSTP_SESSION_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/netdevice.h>
#include <linux/ppp_channel.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <uapi/linux/sstp.h>

#include "proto.h"

/* Data frames queued for TX before start_xmit pushes back on ppp_generic. */
#define SSTP_TX_QUEUE_DATA	64
/* Room on top of that for control packets (echo, CTRL_SEND). */
#define SSTP_TX_QUEUE_MAX	(SSTP_TX_QUEUE_DATA + 32)
/* Packets per sendmsg: a 16 KiB TLS record holds a dozen full frames. */
#define SSTP_TX_BATCH		16
/* kvecs per sendmsg: a frame is a head and a few page fragments. */
#define SSTP_TX_VECS		32
/* Bytes pushed in front of a PPP frame: SSTP header and FF 03. */
#define SSTP_TX_HEADROOM	(SSTP_HDR_LEN + 2)
/* A plaintext TLS record is at most 16 KiB. */
#define SSTP_RX_READ_SIZE	16384
/* Reads per RX work run before yielding the worker. */
#define SSTP_RX_BUDGET		32

/* bits in sstp_session.flags */
enum {
	SSTP_SESSION_LIVE,	/* published: callbacks may schedule work */
	SSTP_SESSION_DYING,	/* teardown started (set once) */
	SSTP_SESSION_OWNER_GONE, /* do not notify the owner */
};

/* per-netns state */
struct sstp_net {
	struct xarray sessions;	/* id -> session; xa_lock protects writers */
	u32 next_id;		/* cyclic id allocation, under xa_lock */
};

struct sstp_stats {
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t rx_ctrl;
	atomic64_t tx_ctrl;
	atomic64_t rx_malformed;
	atomic64_t rx_errors;
	atomic64_t tx_dropped;
	atomic64_t ctrl_dropped;
	atomic64_t echo_answered;
	atomic64_t echo_sent;
	atomic64_t hello_timeouts;
	atomic64_t tx_blocked;
};

/**
 * struct sstp_session - one SSTP connection handed over by userspace
 * @refcount: see the lifetime rules at the top of this file
 * @flags: SSTP_SESSION_* bits
 * @id: session id, unique in @net
 * @net: netns of the creating netlink socket (not referenced: the netns
 *	exit handler tears every session down first)
 * @owner_portid: netlink port that created the session and gets its
 *	notifications
 * @role: enum sstp_role, informational
 * @reason: enum sstp_down_reason, written once before @destroy_work is queued
 * @sock: the kTLS socket; we hold a reference on its file
 * @saved_data_ready: socket callbacks in place before takeover (kTLS's)
 * @saved_write_space: see @saved_data_ready
 * @saved_state_change: see @saved_data_ready
 * @chan_lock: serialises unregistering @chan against readers of its unit
 * @chan: the PPP channel; @chan.ppp is non-NULL while registered
 * @chan_index: ppp_channel_index() of @chan
 * @rx_work: reads and deframes the socket (process context)
 * @rx_buf: one TLS record of plaintext, read by @rx_work
 * @rx_deliver: data frames of the last read, passed to PPP together by
 *	@rx_work (owned by it)
 * @rx_pkt: reassembly of an SSTP packet split across reads
 * @rx_pkt_len: bytes in @rx_pkt
 * @pending: stream bytes the daemon had already read; parsed first
 * @pending_len: bytes in @pending
 * @tx_lock: protects @tx_queue, @tx_closed and @tx_blocked (taken from
 *	start_xmit, the hello timer and process context, so irqsave)
 * @tx_queue: SSTP packets waiting for @tx_work
 * @tx_closed: no more packets may be queued (teardown)
 * @tx_blocked: start_xmit refused a frame; wake ppp_generic when drained
 * @tx_batch: packets taken off @tx_queue by @tx_work, being sent; owned by
 *	@tx_work (and by sstp_tx_close() once that work is cancelled)
 * @tx_off: bytes of the first packet in @tx_batch already sent
 * @tx_work: sends @tx_queue on the socket (process context)
 * @hello_timer: hello/echo timer, only armed if @hello_jiffies
 * @hello_jiffies: hello interval, 0 if off
 * @last_rx: jiffies of the last packet from the peer
 * @echo_outstanding: the timer sent ECHO_REQUEST and no packet came since
 * @destroy_work: runs sstp_session_destroy()
 * @stats: counters, reported by session-get and session-down
 * @rcu: frees the session after the last reference is gone
 */
struct sstp_session {
	refcount_t refcount;
	unsigned long flags;
	u32 id;
	struct net *net;
	u32 owner_portid;
	u32 role;
	u32 reason;

	struct socket *sock;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	struct mutex chan_lock; /* protects chan registration state */
	struct ppp_channel chan;
	int chan_index;

	struct work_struct rx_work;
	u8 *rx_buf;
	struct sk_buff_head rx_deliver;
	u8 rx_pkt[SSTP_PKT_MAX];
	unsigned int rx_pkt_len;
	u8 *pending;
	unsigned int pending_len;

	spinlock_t tx_lock; /* protects tx_queue, tx_closed, tx_blocked */
	struct sk_buff_head tx_queue;
	bool tx_closed;
	bool tx_blocked;
	struct sk_buff_head tx_batch;
	unsigned int tx_off;
	struct work_struct tx_work;

	struct timer_list hello_timer;
	unsigned long hello_jiffies;
	unsigned long last_rx;
	bool echo_outstanding;

	struct work_struct destroy_work;
	struct sstp_stats stats;
	struct rcu_head rcu;
};

struct sstp_session_config {
	struct socket *sock;
	u32 role;
	u32 hello_interval;
	u32 mtu;
	const u8 *pending;
	unsigned int pending_len;
	u32 owner_portid;
};

extern struct workqueue_struct *sstp_wq;
extern struct workqueue_struct *sstp_rx_wq;
extern unsigned int sstp_net_id;
extern atomic64_t sstp_sessions_created;
extern atomic64_t sstp_sessions_destroyed;

static inline struct sstp_net *sstp_net(struct net *net)
{
	return net_generic(net, sstp_net_id);
}

/* session.c */
struct sstp_session *sstp_session_new(struct net *net,
				      const struct sstp_session_config *cfg,
				      struct netlink_ext_ack *extack);
struct sstp_session *sstp_session_get(struct net *net, u32 id);
void sstp_session_put(struct sstp_session *sess);
void sstp_session_down(struct sstp_session *sess, u32 reason);
void sstp_session_down_owner(struct net *net, u32 portid);
void sstp_session_down_all(struct net *net);
void sstp_session_rx_activity(struct sstp_session *sess);

static inline bool sstp_session_live(const struct sstp_session *sess)
{
	return test_bit(SSTP_SESSION_LIVE, &sess->flags) &&
	       !test_bit(SSTP_SESSION_DYING, &sess->flags);
}

/* sock.c */
int sstp_sock_attach(struct sstp_session *sess, struct socket *sock,
		     struct netlink_ext_ack *extack);
void sstp_sock_detach(struct sstp_session *sess);

/* rx.c */
void sstp_rx_work(struct work_struct *work);

/* tx.c */
int sstp_tx_ctrl(struct sstp_session *sess, const u8 *pkt, unsigned int len,
		 gfp_t gfp);
bool sstp_tx_queue_frame(struct sstp_session *sess, struct sk_buff *skb);
void sstp_tx_close(struct sstp_session *sess);
void sstp_tx_work(struct work_struct *work);

/* ppp.c */
int sstp_ppp_register(struct sstp_session *sess, u32 mtu);
void sstp_ppp_unregister(struct sstp_session *sess);
void sstp_ppp_deliver(struct sstp_session *sess);
void sstp_ppp_input(struct sstp_session *sess, const u8 *frame,
		    unsigned int len);
int sstp_ppp_unit(struct sstp_session *sess);

/* netlink.c */
int sstp_nl_register(void);
void sstp_nl_unregister(void);
void sstp_nl_ctrl_recv(struct sstp_session *sess, const u8 *pkt,
		       unsigned int len);
void sstp_nl_session_down(struct sstp_session *sess);

#endif /* SSTP_SESSION_H */
