// SPDX-License-Identifier: GPL-2.0-only
/*
 * TX: the device's ndo_start_xmit runs in softirq context, but a kTLS send
 * encrypts and may sleep. So xmit only segments (GSO, once), finishes
 * checksums and queues; a work item frames the packets and sends them with
 * plain sock_sendmsg(): the socket's own sendmsg is kTLS's, so every byte
 * is encrypted. (The *_sendmsg_locked helpers would go straight to TCP and
 * put plaintext on the wire; never use them here.)
 *
 * The work sends a batch of packets per sendmsg, each sendmsg one TLS
 * record of at most 16 KiB (no MSG_MORE): a receiver then never sees an
 * SSTP packet split across records, and ours can slice every IP packet out
 * of the decrypted pages without copying. The packets' headers (SSTP, FF
 * 03, protocol, and whatever the skb holds in its head) are copied into
 * page fragments; the payload is passed as the skb's own page fragments,
 * with MSG_SPLICE_PAGES where kTLS takes it, so it is encrypted from where
 * it is, without a copy (kTLS holds its own page references until the
 * record is out).
 *
 * Bytes held between the device and the socket are reported to BQL, which
 * stops the device queue at the limit it learns and wakes it as the socket
 * takes them: the backlog waits in the qdisc, not here.
 */

#include <linux/if_ether.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/sch_generic.h>

#include "session.h"

/* What a queued skb is, in sstp_tx_cb.proto besides a PPP protocol. */
#define SSTP_TX_CTRL	0	/* a whole SSTP control packet */
#define SSTP_TX_PPP	1	/* a whole SSTP data packet from ppp-send */

struct sstp_tx_batch_cb {
	struct sstp_tx_cb tx;
	u8 *hdr;		/* the header piece, a page fragment */
	unsigned int hdr_len;
};

static struct sstp_tx_batch_cb *sstp_tx_bcb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct sstp_tx_batch_cb) > sizeof(skb->cb));
	return (struct sstp_tx_batch_cb *)skb->cb;
}

static bool sstp_tx_pending_locked(struct sstp_session *sess)
{
	lockdep_assert_held(&sess->tx_lock);
	return !skb_queue_empty(&sess->tx_ctrl) ||
	       !skb_queue_empty(&sess->tx_data) ||
	       READ_ONCE(sess->tx_batch.qlen);
}

static int sstp_tx_queue_ctrl(struct sstp_session *sess, struct sk_buff *skb)
{
	int err = 0;

	spin_lock_bh(&sess->tx_lock);
	if (sess->tx_closed) {
		err = -ENOTCONN;
	} else if (skb_queue_len(&sess->tx_ctrl) >= SSTP_TX_CTRL_MAX) {
		err = -ENOBUFS;
	} else {
		if (!sstp_tx_pending_locked(sess))
			sess->tx_since = jiffies;
		__skb_queue_tail(&sess->tx_ctrl, skb);
		queue_work(sstp_tx_wq, &sess->tx_work);
	}
	spin_unlock_bh(&sess->tx_lock);

	if (err) {
		if (err == -ENOBUFS)
			atomic64_inc(&sess->stats.tx_ctrl_dropped);
		kfree_skb(skb);
	}
	return err;
}

/**
 * sstp_tx_ctrl() - queue one control packet for the peer
 * @sess: the session
 * @pkt: the whole SSTP packet
 * @len: its length
 * @gfp: allocation context of the caller
 *
 * Return: 0, -ENOMEM, -ENOBUFS (queue full) or -ENOTCONN (going down).
 */
int sstp_tx_ctrl(struct sstp_session *sess, const u8 *pkt, unsigned int len,
		 gfp_t gfp)
{
	struct sk_buff *skb;

	skb = alloc_skb(len, gfp);
	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, pkt, len);
	sstp_tx_cb(skb)->proto = SSTP_TX_CTRL;
	sstp_tx_cb(skb)->bql = false;
	return sstp_tx_queue_ctrl(sess, skb);
}

/**
 * sstp_tx_ppp() - queue one PPP frame from the daemon for the peer
 * @sess: the session
 * @frame: the frame from its two-byte protocol field on
 * @len: its length, at most SSTP_PPP_FRAME_MAX
 *
 * Process context. The frame gets FF 03 and the SSTP data header.
 *
 * Return: as sstp_tx_ctrl().
 */
int sstp_tx_ppp(struct sstp_session *sess, const u8 *frame, unsigned int len)
{
	unsigned int plen = SSTP_HDR_LEN + 2 + len;
	struct sk_buff *skb;
	u8 *p;

	skb = alloc_skb(plen, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	p = skb_put(skb, plen);
	sstp_proto_hdr_put(p, false, plen);
	p[SSTP_HDR_LEN] = PPP_ADDRESS_ALL;
	p[SSTP_HDR_LEN + 1] = PPP_CONTROL_UI;
	memcpy(p + SSTP_HDR_LEN + 2, frame, len);
	sstp_tx_cb(skb)->proto = SSTP_TX_PPP;
	sstp_tx_cb(skb)->bql = false;
	return sstp_tx_queue_ctrl(sess, skb);
}

/* Is the device's queue without a qdisc (noqueue)? Then it must never be
 * stopped: the stack would drop and complain instead of holding packets.
 */
static bool sstp_tx_noqueue(const struct netdev_queue *txq)
{
	return !rcu_dereference_bh(txq->qdisc)->enqueue;
}

/* Drop an IP packet (or a control packet: @which says what to count). */
static void sstp_tx_drop(struct sstp_session *sess, struct sk_buff *skb,
			 unsigned int which)
{
	sstp_session_pcpu_inc(sess, which);
	DEV_STATS_INC(sess->dev, tx_dropped);
	kfree_skb(skb);
}

/**
 * sstp_tx_xmit() - the device's ndo_start_xmit
 * @sess: the session the device belongs to
 * @skb: an IP packet, maybe a GSO one
 * @dev: the device
 *
 * Softirq context (BHs off), possibly on several CPUs at once (lockless
 * TX). Never pushes back: the queue is stopped through BQL instead.
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t sstp_tx_xmit(struct sstp_session *sess, struct sk_buff *skb,
			 struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	struct sk_buff *segs, *seg, *next;
	struct sk_buff_head list;
	unsigned int bytes = 0;
	bool noq, stopped;
	u32 family;
	u16 proto;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		proto = PPP_PROTO_IPV4;
		family = SSTP_PASS_IPV4;
		break;
	case htons(ETH_P_IPV6):
		proto = PPP_PROTO_IPV6;
		family = SSTP_PASS_IPV6;
		break;
	default:
		sstp_tx_drop(sess, skb, SSTP_PCPU_TX_DROPPED);
		return NETDEV_TX_OK;
	}
	/* MS-SSTP 3.3.7: no data until the daemon opens the family */
	if (!(READ_ONCE(sess->pass) & family)) {
		sstp_tx_drop(sess, skb, SSTP_PCPU_TX_GATED);
		return NETDEV_TX_OK;
	}

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
		if (IS_ERR_OR_NULL(segs)) {
			sstp_tx_drop(sess, skb, SSTP_PCPU_TX_DROPPED);
			return NETDEV_TX_OK;
		}
		sstp_session_pcpu_inc(sess, SSTP_PCPU_TX_GSO);
		consume_skb(skb);
		skb = segs;
	}

	__skb_queue_head_init(&list);
	skb_list_walk_safe(skb, seg, next) {
		skb_mark_not_on_list(seg);
		if (unlikely(seg->len > SSTP_MTU_MAX) ||
		    (seg->ip_summed == CHECKSUM_PARTIAL &&
		     skb_checksum_help(seg))) {
			sstp_tx_drop(sess, seg, SSTP_PCPU_TX_DROPPED);
			continue;
		}
		sstp_tx_cb(seg)->proto = proto;
		bytes += seg->len;
		__skb_queue_tail(&list, seg);
	}
	if (skb_queue_empty(&list))
		return NETDEV_TX_OK;

	noq = sstp_tx_noqueue(txq);
	spin_lock(&sess->tx_lock);
	if (sess->tx_closed ||
	    (noq && sess->tx_data_bytes + bytes > SSTP_TX_DATA_MAX)) {
		spin_unlock(&sess->tx_lock);
		while ((seg = __skb_dequeue(&list)))
			sstp_tx_drop(sess, seg, SSTP_PCPU_TX_DROPPED);
		return NETDEV_TX_OK;
	}
	skb_queue_walk(&list, seg)
		sstp_tx_cb(seg)->bql = !noq;
	if (!sstp_tx_pending_locked(sess))
		sess->tx_since = jiffies;
	skb_queue_splice_tail_init(&list, &sess->tx_data);
	sess->tx_data_bytes += bytes;
	stopped = false;
	if (!noq) {
		netdev_tx_sent_queue(txq, bytes);
		stopped = netif_xmit_stopped(txq);
	}
	queue_work(sstp_tx_wq, &sess->tx_work);
	spin_unlock(&sess->tx_lock);

	if (stopped)
		sstp_session_pcpu_inc(sess, SSTP_PCPU_TX_STOPPED);
	return NETDEV_TX_OK;
}

/* Give back a batch packet's header piece. */
static void sstp_tx_hdr_free(struct sk_buff *skb)
{
	struct sstp_tx_batch_cb *cb = sstp_tx_bcb(skb);

	if (cb->hdr)
		page_frag_free(cb->hdr);
	cb->hdr = NULL;
}

/*
 * Copy what is not in page fragments into a header piece: for a data
 * packet the SSTP header, FF 03, the protocol and the skb's head; a
 * control packet is all head.
 */
static int sstp_tx_hdr_build(struct sstp_session *sess, struct sk_buff *skb)
{
	struct sstp_tx_batch_cb *cb = sstp_tx_bcb(skb);
	unsigned int pre = 0;
	u8 *p;

	if (cb->tx.proto > SSTP_TX_PPP)
		pre = SSTP_HDR_LEN + PPP_HDR_MAX;
	cb->hdr_len = pre + skb_headlen(skb);
	p = page_frag_alloc(&sess->tx_hdr, cb->hdr_len, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (pre) {
		sstp_proto_hdr_put(p, false, pre + skb->len);
		p[SSTP_HDR_LEN] = PPP_ADDRESS_ALL;
		p[SSTP_HDR_LEN + 1] = PPP_CONTROL_UI;
		sstp_proto_put_be16(p + SSTP_HDR_LEN + 2, cb->tx.proto);
	}
	memcpy(p + pre, skb->data, skb_headlen(skb));
	cb->hdr = p;
	return 0;
}

/*
 * Can kTLS take this packet's fragments as they are (MSG_SPLICE_PAGES)?
 * Slab memory cannot be spliced (kTLS refuses it, with a warning), and
 * page_pool pages (a NIC's, in a forwarded packet) must not get references
 * their pool does not know of: a batch with such a packet lets kTLS copy.
 */
static bool sstp_tx_spliceable(const struct sk_buff *skb)
{
	int i;

	if (skb->pp_recycle)
		return false;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		struct page *page = skb_frag_page(&skb_shinfo(skb)->frags[i]);

		if (!page || !sendpage_ok(page))
			return false;
	}
	return true;
}

/* Bytes a batch packet puts on the stream, and the bio_vecs it needs. */
static unsigned int sstp_tx_wire_len(struct sk_buff *skb)
{
	return sstp_tx_bcb(skb)->hdr_len + skb->data_len;
}

static unsigned int sstp_tx_vecs(struct sk_buff *skb)
{
	return 1 + skb_shinfo(skb)->nr_frags;
}

/*
 * Fill the batch (empty: the last one was sent whole) with what fits in
 * one TLS record and the bio_vec array, control packets first. At the end
 * of a burst (nothing else waits behind the batch) the last packet is left
 * for a record of its own (sstp_proto_burst_len() says why).
 */
static void sstp_tx_refill(struct sstp_session *sess)
{
	unsigned int len = 0, vecs = 0, last = 0, n;
	struct sk_buff_head *q;
	struct sk_buff *skb;
	bool more;

	spin_lock_bh(&sess->tx_lock);
	for (;;) {
		q = !skb_queue_empty(&sess->tx_ctrl) ? &sess->tx_ctrl :
						       &sess->tx_data;
		skb = skb_peek(q);
		if (!skb)
			break;
		n = skb->len + (q == &sess->tx_data ?
				SSTP_HDR_LEN + PPP_HDR_MAX : 0);
		if (len && (len + n > SSTP_TLS_RECORD_MAX ||
			    vecs + sstp_tx_vecs(skb) > SSTP_TX_VECS))
			break;
		__skb_unlink(skb, q);
		if (q == &sess->tx_data)
			sess->tx_data_bytes -= skb->len;
		sstp_tx_bcb(skb)->hdr = NULL;
		__skb_queue_tail(&sess->tx_batch, skb);
		len += n;
		last = n;
		vecs += sstp_tx_vecs(skb);
	}
	more = !skb_queue_empty(&sess->tx_ctrl) ||
	       !skb_queue_empty(&sess->tx_data);
	if (skb_queue_len(&sess->tx_batch) > 1 &&
	    sstp_proto_burst_len(len, last, more) < len) {
		skb = __skb_dequeue_tail(&sess->tx_batch);
		if (sstp_tx_cb(skb)->proto > SSTP_TX_PPP) {
			__skb_queue_head(&sess->tx_data, skb);
			sess->tx_data_bytes += skb->len;
		} else {
			__skb_queue_head(&sess->tx_ctrl, skb);
		}
	}
	spin_unlock_bh(&sess->tx_lock);
}

/* Account a packet that left whole (or is given up on) and free it. */
static void sstp_tx_done(struct sstp_session *sess, struct sk_buff *skb,
			 bool sent, unsigned int *bql_pkts,
			 unsigned int *bql_bytes)
{
	struct sstp_tx_cb *cb = sstp_tx_cb(skb);

	if (cb->bql) {
		(*bql_pkts)++;
		*bql_bytes += skb->len;
	}
	if (!sent)
		sstp_tx_drop(sess, skb, SSTP_PCPU_TX_DROPPED);
	else if (cb->proto == SSTP_TX_CTRL)
		sstp_stat_inc(&sess->stats.tx_ctrl);
	else if (cb->proto == SSTP_TX_PPP)
		sstp_stat_inc(&sess->stats.tx_ppp);
	else
		dev_sw_netstats_tx_add(sess->dev, 1, skb->len);
	if (sent) {
		sstp_tx_hdr_free(skb);
		consume_skb(skb);
	}
}

/*
 * Build the bio_vecs of the batch and send what the socket takes.
 * Return: bytes sent, or -errno (-EAGAIN: the socket is full).
 */
static int sstp_tx_send(struct sstp_session *sess)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	bool splice = SSTP_MSG_SPLICE && READ_ONCE(sstp_tx_splice);
	unsigned int bql_pkts = 0, bql_bytes = 0;
	struct bio_vec vec[SSTP_TX_VECS];
	struct sk_buff *skb, *tmp;
	size_t len = 0;
	int i, n = 0;

	skb_queue_walk_safe(&sess->tx_batch, skb, tmp) {
		if (!sstp_tx_bcb(skb)->hdr && sstp_tx_hdr_build(sess, skb)) {
			/* never a partly sent one: its header exists */
			__skb_unlink(skb, &sess->tx_batch);
			sstp_tx_done(sess, skb, false, &bql_pkts, &bql_bytes);
			continue;
		}
		bvec_set_page(&vec[n++], virt_to_page(sstp_tx_bcb(skb)->hdr),
			      sstp_tx_bcb(skb)->hdr_len,
			      offset_in_page(sstp_tx_bcb(skb)->hdr));
		for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
			const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

			bvec_set_page(&vec[n++], skb_frag_page(frag),
				      skb_frag_size(frag), skb_frag_off(frag));
		}
		len += sstp_tx_wire_len(skb);
		if (splice && !sstp_tx_spliceable(skb))
			splice = false;
	}
	if (splice)
		msg.msg_flags |= SSTP_MSG_SPLICE;
	if (bql_pkts)
		netdev_tx_completed_queue(netdev_get_tx_queue(sess->dev, 0),
					  bql_pkts, bql_bytes);
	if (!len)
		return 0;
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, vec, n, len);
	iov_iter_advance(&msg.msg_iter, sess->tx_off);
	return sock_sendmsg(sess->sock, &msg);
}

/* @sent bytes of the batch left: free the packets that are out whole. */
static void sstp_tx_consume(struct sstp_session *sess, size_t sent)
{
	unsigned int bql_pkts = 0, bql_bytes = 0;
	struct sk_buff *skb;
	size_t left;

	sent += sess->tx_off;
	while ((skb = skb_peek(&sess->tx_batch))) {
		left = sstp_tx_wire_len(skb);
		if (sent < left)
			break;
		sent -= left;
		__skb_unlink(skb, &sess->tx_batch);
		sstp_tx_done(sess, skb, true, &bql_pkts, &bql_bytes);
	}
	sess->tx_off = sent;
	if (bql_pkts)
		netdev_tx_completed_queue(netdev_get_tx_queue(sess->dev, 0),
					  bql_pkts, bql_bytes);
}

/**
 * sstp_tx_work() - send the queues on the socket
 * @work: &sstp_session.tx_work
 *
 * One sendmsg, one TLS record per batch. On a full send buffer the unsent
 * rest stays in the batch (@tx_off says how far it got) and sk_write_space
 * requeues the work.
 */
void sstp_tx_work(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 tx_work);
	int ret;

	for (;;) {
		if (skb_queue_empty(&sess->tx_batch)) {
			sstp_tx_refill(sess);
			if (skb_queue_empty(&sess->tx_batch))
				return;
		}
		ret = sstp_tx_send(sess);
		if (ret == -EAGAIN)
			return;
		if (ret < 0) {
			net_dbg_ratelimited("session %u: sendmsg %d\n",
					    sess->id, ret);
			sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
			return;
		}
		sstp_stat_inc(&sess->stats.tx_records);
		spin_lock_bh(&sess->tx_lock);
		sess->tx_since = jiffies;
		spin_unlock_bh(&sess->tx_lock);
		local_bh_disable();
		sstp_tx_consume(sess, ret);
		local_bh_enable();
	}
}

/**
 * sstp_tx_stalled() - has output waited too long for the socket?
 * @sess: the session
 * @timeout: jiffies
 *
 * Return: true when packets wait and the socket has taken nothing for
 * @timeout: the peer stopped reading (or its window stays shut).
 */
bool sstp_tx_stalled(struct sstp_session *sess, unsigned long timeout)
{
	bool stalled;

	spin_lock_bh(&sess->tx_lock);
	stalled = sstp_tx_pending_locked(sess) &&
		  time_after(jiffies, sess->tx_since + timeout);
	spin_unlock_bh(&sess->tx_lock);
	return stalled;
}

/* A page_frag_cache's own references go back with its current page. */
static void sstp_tx_hdr_drain(struct page_frag_cache *nc)
{
	if (!nc->va)
		return;
	__page_frag_cache_drain(virt_to_head_page(nc->va), nc->pagecnt_bias);
	nc->va = NULL;
}

/**
 * sstp_tx_close() - stop TX for good and drop what is queued
 * @sess: a dying session whose socket callbacks, RX work and timer are
 *	already stopped; its device still exists
 *
 * After this nothing queues TX work, and xmit drops.
 */
void sstp_tx_close(struct sstp_session *sess)
{
	struct sk_buff *skb;

	spin_lock_bh(&sess->tx_lock);
	sess->tx_closed = true;
	spin_unlock_bh(&sess->tx_lock);

	cancel_work_sync(&sess->tx_work);

	spin_lock_bh(&sess->tx_lock);
	__skb_queue_purge(&sess->tx_ctrl);
	__skb_queue_purge(&sess->tx_data);
	sess->tx_data_bytes = 0;
	spin_unlock_bh(&sess->tx_lock);
	while ((skb = __skb_dequeue(&sess->tx_batch))) {
		sstp_tx_hdr_free(skb);
		kfree_skb(skb);
	}
	sess->tx_off = 0;
	sstp_tx_hdr_drain(&sess->tx_hdr);
	netdev_tx_reset_queue(netdev_get_tx_queue(sess->dev, 0));
}
