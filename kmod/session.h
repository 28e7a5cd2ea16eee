/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One SSTP session: a kTLS socket taken over from the daemon, the
 * point-to-point network device that carries its IP traffic, and the work
 * items and timer that move packets between them.
 *
 * Objects and references:
 * - The per-netns id table holds one reference on a session from the
 *   moment it is published until its teardown. Lookups take a reference
 *   with refcount_inc_not_zero() under RCU; memory is freed after an RCU
 *   grace period when the last reference goes.
 * - The session owns its device (struct sstp_dev in its private area) and
 *   holds a tracked reference on it until teardown has stopped every user
 *   (RX delivery, TX completion). The device points back to the session
 *   under RCU (sstp_dev.sess) while it carries the session's traffic;
 *   whoever unregisters the device (the teardown, or rtnetlink's dellink)
 *   clears that pointer first, under RTNL.
 * - sstp_session_down() starts the one and only teardown, which runs in
 *   sstp_session_destroy() (a work item, process context), whatever ended
 *   the session.
 *
 * Room for a multipeer mode (one device, many sessions, TX looked up by
 * inner destination address, as ovpn's MP mode): the device and the session
 * are separate objects already; such a device would be created through
 * rtnetlink ("sstp" link kind, mode mp), sstp_dev would hold a table instead
 * of one session pointer, and session-new would name it with an ifindex.
 */
#ifndef SSTP_SESSION_H
#define SSTP_SESSION_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <uapi/linux/sstp.h>

#include "proto.h"

/* Unsent bytes the socket may hold while it belongs to a session (unless
 * the daemon set TCP_NOTSENT_LOWAT itself): a few records, enough to keep
 * TCP busy between two TX work runs, while anything beyond waits in the
 * device's qdisc where it can be managed (and a peer that stops reading
 * is noticed soon).
 */
#define SSTP_TCP_NOTSENT_LOWAT	(64 * 1024)
/* A plaintext TLS record is at most 16 KiB; one TX batch fills one. */
#define SSTP_TLS_RECORD_MAX	16384
/* bio_vecs per sendmsg: per packet a header piece and its page fragments */
#define SSTP_TX_VECS		64
/* Control packets (SSTP control, PPP frames from the daemon) waiting to
 * be sent; above this ctrl-send and ppp-send fail with -ENOBUFS.
 */
#define SSTP_TX_CTRL_MAX	32
/* Data bytes queued when the device has no qdisc to push back on (the
 * queue is then never stopped, so this bound drops instead).
 */
#define SSTP_TX_DATA_MAX	(512 * 1024)
/* RX: records decrypted per work run before it yields and requeues. */
#define SSTP_RX_BUDGET		32
/* IP packets up to this size are copied into a fresh linear skb. */
#define SSTP_RX_COPYBREAK	256

/* bits in sstp_session.flags */
enum {
	SSTP_SESSION_LIVE,	/* published: callbacks may schedule work */
	SSTP_SESSION_DYING,	/* teardown started (set once) */
	SSTP_SESSION_OWNER_GONE, /* do not notify the owner */
};

/**
 * struct sstp_net - per-netns state
 * @sessions: id -> session; xa_lock protects writers
 * @next_id: cyclic id allocation, under xa_lock
 * @live: sessions created and not yet destroyed in this netns
 * @gone: woken when @live drops to zero (netns exit waits on it)
 */
struct sstp_net {
	struct xarray sessions;
	u32 next_id;
	atomic_t live;
	wait_queue_head_t gone;
};

/**
 * struct sstp_dev - private area of a session's network device
 * @sess: the session whose traffic the device carries, or NULL once the
 *	device is being unregistered (RCU; written under RTNL)
 * @gro: GRO cells that RX feeds (per CPU NAPI contexts)
 */
struct sstp_dev {
	struct sstp_session __rcu *sess;
	struct gro_cells gro;
};

/**
 * struct sstp_stats - a session's own counters (session-get's STATS)
 *
 * Grouped by the context that writes them, so that no per-packet path
 * shares an atomic: a counter with one writer is a plain u64 (written with
 * sstp_stat_inc(), read with READ_ONCE()), what ndo_start_xmit counts is
 * per CPU, and only rare events from any context are atomics.
 *
 * @rx_ctrl: SSTP control packets received (the RX work)
 * @rx_ppp: PPP frames that are not IP, passed up (the RX work)
 * @rx_malformed: malformed input (the RX work)
 * @rx_errors: data packets dropped for want of memory or a valid protocol
 *	field (the RX work)
 * @rx_gated: IP packets dropped by the closed gate (the RX work)
 * @rx_copied: IP packets built by copying (the RX work)
 * @ctrl_dropped: notifications the owner's socket could not take (the RX
 *	work)
 * @echo_answered: ECHO_REQUEST answered (the RX work)
 * @tx_ctrl: SSTP control packets sent (the TX work)
 * @tx_ppp: PPP frames from ppp-send sent (the TX work)
 * @tx_records: sendmsg calls (the TX work)
 * @tx_ctrl_dropped: control packets refused, queue full (any context)
 * @echo_sent: ECHO_REQUEST sent (the hello timer)
 * @hello_timeouts: hello timer expiries (the hello timer)
 * @pcpu: what the TX side counts on several CPUs at once (SSTP_PCPU_*)
 */
struct sstp_stats {
	u64 rx_ctrl;
	u64 rx_ppp;
	u64 rx_malformed;
	u64 rx_errors;
	u64 rx_gated;
	u64 rx_copied;
	u64 ctrl_dropped;
	u64 echo_answered;
	u64 tx_ctrl;
	u64 tx_ppp;
	u64 tx_records;
	atomic64_t tx_ctrl_dropped;
	atomic64_t echo_sent;
	atomic64_t hello_timeouts;
	struct sstp_pcpu_stats __percpu *pcpu;
};

/* Increment a counter that only one context writes. */
static inline void sstp_stat_inc(u64 *counter)
{
	WRITE_ONCE(*counter, *counter + 1);
}

/**
 * struct sstp_stats_snap - a session's counters at one moment
 * @v: indexed by SSTP_STATS_A_*; the data counters come from the device
 */
struct sstp_stats_snap {
	u64 v[SSTP_STATS_A_MAX + 1];
};

/* Per-CPU counters of the TX side (xmit runs on several CPUs at once). */
enum {
	SSTP_PCPU_TX_GATED,
	SSTP_PCPU_TX_DROPPED,
	SSTP_PCPU_TX_GSO,
	SSTP_PCPU_TX_STOPPED,
	SSTP_PCPU_MAX,
};

struct sstp_pcpu_stats {
	u64_stats_t v[SSTP_PCPU_MAX];
	struct u64_stats_sync syncp;
};

/**
 * struct sstp_session - one SSTP connection handed over by userspace
 * @refcount: see the lifetime rules at the top of this file
 * @flags: SSTP_SESSION_* bits
 * @id: session id, unique in @net
 * @net: netns of the creating netlink socket, of the socket and of the
 *	device (not referenced: the netns exit handler ends every session and
 *	waits for it)
 * @owner_portid: netlink port that created the session and gets its
 *	notifications
 * @role: enum sstp_role, informational
 * @reason: enum sstp_down_reason, written once before @destroy_work is queued
 * @pass: SSTP_PASS_* families allowed through the device (READ_ONCE)
 * @sock: the kTLS socket; we hold a reference on its file
 * @saved_data_ready: socket callbacks in place before takeover (kTLS's)
 * @saved_write_space: see @saved_data_ready
 * @saved_state_change: see @saved_data_ready
 * @saved_notsent_lowat: the socket's TCP_NOTSENT_LOWAT before takeover
 * @dev: the session's device; valid until teardown drops @dev_tracker,
 *	then NULL (readers outside the session's works: READ_ONCE under RCU)
 * @dev_tracker: our reference on @dev
 * @ifindex: @dev's ifindex (stays after the device is gone)
 * @ifname: @dev's name when it was registered
 * @rx_work: reads and deframes the socket (process context)
 * @rx_part: an SSTP packet split across TLS records, being reassembled
 *	(allocated when first needed); owned by @rx_work
 * @rx_part_len: bytes in @rx_part
 * @rx_ip: IP packets of the current read, delivered together; owned by
 *	@rx_work
 * @rx_up: control packets and PPP frames for the owner, sent after the
 *	read; owned by @rx_work
 * @pending: stream bytes the daemon had already read; parsed first
 * @pending_len: bytes in @pending
 * @tx_lock: protects @tx_ctrl, @tx_data, @tx_data_bytes, @tx_closed and
 *	@tx_since (taken from ndo_start_xmit, the hello timer and process
 *	context, so _bh)
 * @tx_ctrl: framed control packets waiting for @tx_work (sent first)
 * @tx_data: IP packets (GSO already segmented) waiting for @tx_work
 * @tx_data_bytes: bytes in @tx_data
 * @tx_closed: no more packets may be queued (teardown)
 * @tx_since: jiffies when output last made progress or started waiting
 * @tx_batch: packets taken off the queues by @tx_work, being sent; owned
 *	by @tx_work (and by sstp_tx_close() once that work is cancelled)
 * @tx_off: bytes of the batch already accepted by the socket
 * @tx_hdr: page fragments that hold each batch packet's headers (kTLS may
 *	splice them, so they must be pages, not slab); owned by @tx_work
 * @tx_work: sends the queues on the socket (process context)
 * @hello_timer: hello/echo and TX stall timer, only armed if @hello_jiffies
 * @hello_jiffies: hello interval, 0 if off
 * @last_rx: jiffies of the last packet from the peer
 * @echo_outstanding: the timer sent ECHO_REQUEST and no packet came since
 * @destroy_work: runs sstp_session_destroy()
 * @stats: counters that are not per data packet
 * @final: the counters when the device went away (for session-down)
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
	u32 pass;

	struct socket *sock;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	u32 saved_notsent_lowat;

	struct net_device *dev;
	netdevice_tracker dev_tracker;
	int ifindex;
	char ifname[IFNAMSIZ];

	struct work_struct rx_work;
	u8 *rx_part;
	unsigned int rx_part_len;
	struct sk_buff_head rx_ip;
	struct sk_buff_head rx_up;
	u8 *pending;
	unsigned int pending_len;

	spinlock_t tx_lock; /* see kernel-doc above */
	struct sk_buff_head tx_ctrl;
	struct sk_buff_head tx_data;
	unsigned int tx_data_bytes;
	bool tx_closed;
	unsigned long tx_since;
	struct sk_buff_head tx_batch;
	size_t tx_off;
	struct page_frag_cache tx_hdr;
	struct work_struct tx_work;

	struct timer_list hello_timer;
	unsigned long hello_jiffies;
	unsigned long last_rx;
	bool echo_outstanding;

	struct work_struct destroy_work;
	struct sstp_stats stats;
	struct sstp_stats_snap final;
	struct rcu_head rcu;
};

/* What ndo_start_xmit leaves for the TX work in skb->cb. */
struct sstp_tx_cb {
	u16 proto;	/* PPP protocol of a data packet, 0 for control */
	bool bql;	/* its bytes were reported to BQL */
};

static inline struct sstp_tx_cb *sstp_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct sstp_tx_cb) > sizeof(skb->cb));
	return (struct sstp_tx_cb *)skb->cb;
}

struct sstp_session_config {
	struct socket *sock;
	u32 role;
	u32 hello_interval;
	u32 mtu;
	const char *ifname;
	const u8 *pending;
	unsigned int pending_len;
	u32 owner_portid;
};

extern struct workqueue_struct *sstp_tx_wq;
extern struct workqueue_struct *sstp_rx_wq;
extern struct workqueue_struct *sstp_ctl_wq;
extern unsigned int sstp_net_id;
extern atomic64_t sstp_sessions_created;
extern atomic64_t sstp_sessions_destroyed;
extern bool sstp_tx_splice;
extern u32 sstp_tcp_notsent_lowat;

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
void sstp_session_stats(struct sstp_session *sess,
			struct sstp_stats_snap *snap);
void sstp_session_pcpu_inc(struct sstp_session *sess, unsigned int which);

static inline bool sstp_session_live(const struct sstp_session *sess)
{
	return test_bit(SSTP_SESSION_LIVE, &sess->flags) &&
	       !test_bit(SSTP_SESSION_DYING, &sess->flags);
}

/* sock.c */
int sstp_sock_attach(struct sstp_session *sess, struct socket *sock,
		     struct netlink_ext_ack *extack);
void sstp_sock_detach(struct sstp_session *sess);

/* dev.c */
struct net_device *sstp_dev_new(struct sstp_session *sess, const char *name,
				u32 mtu, struct netlink_ext_ack *extack);
void sstp_dev_unlink(struct sstp_session *sess);
void sstp_dev_deliver(struct sstp_session *sess);
int sstp_dev_register(void);
void sstp_dev_unregister(void);

/* rx.c */
void sstp_rx_work(struct work_struct *work);
void sstp_rx_release(struct sstp_session *sess);

/* tx.c */
int sstp_tx_ctrl(struct sstp_session *sess, const u8 *pkt, unsigned int len,
		 gfp_t gfp);
int sstp_tx_ppp(struct sstp_session *sess, const u8 *frame, unsigned int len);
netdev_tx_t sstp_tx_xmit(struct sstp_session *sess, struct sk_buff *skb,
			 struct net_device *dev);
bool sstp_tx_stalled(struct sstp_session *sess, unsigned long timeout);
void sstp_tx_close(struct sstp_session *sess);
void sstp_tx_work(struct work_struct *work);

/* netlink.c */
int sstp_nl_register(void);
void sstp_nl_unregister(void);
void sstp_nl_notify_up(struct sstp_session *sess, u8 cmd, struct sk_buff *up);
void sstp_nl_session_down(struct sstp_session *sess);

#endif /* SSTP_SESSION_H */
