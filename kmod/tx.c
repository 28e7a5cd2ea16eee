// SPDX-License-Identifier: GPL-2.0-only
/*
 * TX: ppp_generic hands frames to start_xmit in atomic context, but a kTLS
 * send encrypts and may sleep. So frames are framed in place (SSTP header and
 * FF 03 pushed into the headroom the channel asked for), queued, and sent by
 * a worker with plain sock_sendmsg(): the socket's own sendmsg is kTLS's, so
 * every byte is encrypted. (The *_sendmsg_locked helpers would go straight
 * to TCP and put plaintext on the wire; never use them here.)
 *
 * The worker sends a batch of packets per sendmsg, from kvecs that point
 * into the skbs (head and page fragments), and kTLS copies the plaintext
 * into its record buffer before encrypting. MSG_SPLICE_PAGES would save
 * that copy but cannot be used: headers live in skb heads, which are slab
 * memory and cannot be spliced (kTLS would take page references on them
 * and, with MSG_MORE, keep them in an open record after we freed the skb).
 */

#include <linux/net.h>
#include <linux/socket.h>

#include "session.h"

static void sstp_tx_enqueue_locked(struct sstp_session *sess,
				   struct sk_buff *skb)
{
	lockdep_assert_held(&sess->tx_lock);
	__skb_queue_tail(&sess->tx_queue, skb);
	queue_work(sstp_wq, &sess->tx_work);
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
	unsigned long flags;
	int err = 0;

	skb = alloc_skb(len, gfp);
	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, pkt, len);

	spin_lock_irqsave(&sess->tx_lock, flags);
	if (sess->tx_closed)
		err = -ENOTCONN;
	else if (skb_queue_len(&sess->tx_queue) >= SSTP_TX_QUEUE_MAX)
		err = -ENOBUFS;
	else
		sstp_tx_enqueue_locked(sess, skb);
	spin_unlock_irqrestore(&sess->tx_lock, flags);

	if (err)
		kfree_skb(skb);
	return err;
}

/**
 * sstp_tx_queue_frame() - the channel's start_xmit
 * @sess: the session
 * @skb: a PPP frame starting with the protocol field (or FF 03)
 *
 * Atomic context.
 *
 * Return: false to make ppp_generic keep the frame and wait for
 * ppp_output_wakeup(); true if the frame was taken (queued or dropped).
 */
bool sstp_tx_queue_frame(struct sstp_session *sess, struct sk_buff *skb)
{
	unsigned int hlen = SSTP_HDR_LEN;
	unsigned long flags;
	bool closed;
	u8 *p;

	spin_lock_irqsave(&sess->tx_lock, flags);
	if (!sess->tx_closed &&
	    skb_queue_len(&sess->tx_queue) >= SSTP_TX_QUEUE_DATA) {
		sess->tx_blocked = true;
		spin_unlock_irqrestore(&sess->tx_lock, flags);
		atomic64_inc(&sess->stats.tx_blocked);
		return false;
	}
	spin_unlock_irqrestore(&sess->tx_lock, flags);

	if (!sstp_proto_ppp_acf(skb->data, skb_headlen(skb)))
		hlen += PPP_ACF_LEN;
	if (skb->len + hlen > SSTP_PKT_MAX || skb_cow_head(skb, hlen))
		goto drop;
	/* The frame may wait in our queue for the TX work: do not let it
	 * count against its socket (TCP small queues would pace a local
	 * sender by our queue's latency); tun does the same. Our queue and
	 * ppp_generic's flow control bound what is held.
	 */
	skb_orphan(skb);
	if (hlen > SSTP_HDR_LEN) {
		p = skb_push(skb, PPP_ACF_LEN);
		p[0] = PPP_ADDRESS_ALL;
		p[1] = PPP_CONTROL_UI;
	}
	p = skb_push(skb, SSTP_HDR_LEN);
	sstp_proto_hdr_put(p, false, skb->len);

	spin_lock_irqsave(&sess->tx_lock, flags);
	closed = sess->tx_closed;
	if (!closed)
		sstp_tx_enqueue_locked(sess, skb);
	spin_unlock_irqrestore(&sess->tx_lock, flags);
	if (!closed)
		return true;
drop:
	atomic64_inc(&sess->stats.tx_dropped);
	kfree_skb(skb);
	return true;
}

static void sstp_tx_sent(struct sstp_session *sess, struct sk_buff *skb)
{
	if (sstp_proto_hdr_ctrl(skb->data)) {
		atomic64_inc(&sess->stats.tx_ctrl);
	} else {
		atomic64_inc(&sess->stats.tx_packets);
		atomic64_add(skb->len - SSTP_HDR_LEN, &sess->stats.tx_bytes);
	}
	consume_skb(skb);
}

/*
 * Move queued packets into the work's own batch, up to SSTP_TX_BATCH, and
 * wake ppp_generic if start_xmit pushed back and the queue has drained.
 * Return: true if packets are still queued after the batch was filled.
 */
static bool sstp_tx_refill(struct sstp_session *sess)
{
	struct sk_buff *skb;
	unsigned long flags;
	bool wake = false;
	bool more;

	spin_lock_irqsave(&sess->tx_lock, flags);
	while (skb_queue_len(&sess->tx_batch) < SSTP_TX_BATCH) {
		skb = __skb_dequeue(&sess->tx_queue);
		if (!skb)
			break;
		__skb_queue_tail(&sess->tx_batch, skb);
	}
	more = !skb_queue_empty(&sess->tx_queue);
	if (sess->tx_blocked &&
	    skb_queue_len(&sess->tx_queue) < SSTP_TX_QUEUE_DATA / 2) {
		sess->tx_blocked = false;
		wake = true;
	}
	spin_unlock_irqrestore(&sess->tx_lock, flags);

	/* the channel stays registered until sstp_tx_close() has run */
	if (wake)
		ppp_output_wakeup(&sess->chan);
	return more;
}

/*
 * Point kvecs at the bytes of @skb: its head and page fragments, which on
 * 64-bit kernels are all mapped. A packet with a frag list or a highmem
 * fragment is linearized first. Return: kvecs used, 0 if @vec has too
 * few left (the packet waits for the next send), or -ENOMEM.
 */
static int sstp_tx_map(struct sk_buff *skb, struct kvec *vec, int room)
{
	const skb_frag_t *frag;
	int i, n = 0;

	if (!room)
		return 0;
	if (skb_has_frag_list(skb))
		goto linearize;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++)
		if (PageHighMem(skb_frag_page(&skb_shinfo(skb)->frags[i])))
			goto linearize;
	if (1 + skb_shinfo(skb)->nr_frags > room)
		return 0;

	vec[n].iov_base = skb->data;
	vec[n++].iov_len = skb_headlen(skb);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		frag = &skb_shinfo(skb)->frags[i];
		vec[n].iov_base = skb_frag_address(frag);
		vec[n++].iov_len = skb_frag_size(frag);
	}
	return n;

linearize:
	if (skb_linearize(skb))
		return -ENOMEM;
	vec[0].iov_base = skb->data;
	vec[0].iov_len = skb->len;
	return 1;
}

/*
 * Build one send out of the batch: kvecs for as many whole packets as fit.
 * Packets that cannot be mapped are dropped. *@rest is set if packets of
 * the batch did not fit.
 *
 * At the end of a burst (@burst_end: nothing else queued, and the whole
 * batch fits) the last packet is left out, so that it goes in a TLS record
 * of its own (sstp_proto_burst_len() says why).
 *
 * Return: bytes described by @vec.
 */
static size_t sstp_tx_build(struct sstp_session *sess, struct kvec *vec,
			    int *nvec, bool burst_end, bool *rest)
{
	struct sk_buff *skb, *tmp;
	size_t len = 0, last = 0, now;
	int n = 0, n_last = 0;
	int ret;

	*rest = false;
	skb_queue_walk_safe(&sess->tx_batch, skb, tmp) {
		ret = sstp_tx_map(skb, vec + n, SSTP_TX_VECS - n);
		if (ret < 0) {
			/* never the partly sent head: it was mapped before */
			__skb_unlink(skb, &sess->tx_batch);
			atomic64_inc(&sess->stats.tx_dropped);
			kfree_skb(skb);
			continue;
		}
		if (!ret) {
			*rest = true;
			break;
		}
		n_last = n;
		n += ret;
		len += skb->len;
		last = skb->len;
	}
	now = sstp_proto_burst_len(len, last, !burst_end || *rest);
	if (now < len) {
		n = n_last;
		len = now;
	}
	*nvec = n;
	return len;
}

/* Account for @sent bytes from the head of the batch on. */
static void sstp_tx_consume(struct sstp_session *sess, size_t sent)
{
	struct sk_buff *skb;
	size_t left;

	while (sent) {
		skb = skb_peek(&sess->tx_batch);
		left = skb->len - sess->tx_off;
		if (sent < left) {
			sess->tx_off += sent;
			return;
		}
		sent -= left;
		sess->tx_off = 0;
		__skb_unlink(skb, &sess->tx_batch);
		sstp_tx_sent(sess, skb);
	}
}

/**
 * sstp_tx_work() - send queued packets on the socket
 * @work: &sstp_session.tx_work
 *
 * Packets go out in batches: one sendmsg for up to SSTP_TX_BATCH packets,
 * so kTLS takes the socket once per batch instead of once per frame.
 * MSG_MORE while more packets wait lets kTLS fill whole records; only this
 * work dequeues, so the last send of a burst is always without MSG_MORE
 * and closes the record (the last packet of a burst gets a record of its
 * own, see sstp_proto_burst_len()). On a full send buffer the unsent rest
 * stays in the batch (@tx_off says how far its first packet got) and
 * sk_write_space requeues the work.
 */
void sstp_tx_work(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 tx_work);
	struct kvec vec[SSTP_TX_VECS];
	struct msghdr msg = {};
	bool more, rest;
	size_t len;
	int nvec;
	int ret;

	for (;;) {
		more = sstp_tx_refill(sess);
		len = sstp_tx_build(sess, vec, &nvec, !more, &rest);
		if (!len) {
			if (!more)
				return;
			continue;	/* the batch was dropped: refill */
		}

		msg.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
		if (more || rest)
			msg.msg_flags |= MSG_MORE;
		iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, vec, nvec, len);
		iov_iter_advance(&msg.msg_iter, sess->tx_off);
		ret = sock_sendmsg(sess->sock, &msg);
		if (ret == -EAGAIN)
			return;
		if (ret < 0) {
			net_dbg_ratelimited("session %u: sendmsg %d\n",
					    sess->id, ret);
			sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
			return;
		}
		sstp_tx_consume(sess, ret);
	}
}

/**
 * sstp_tx_close() - stop TX for good and drop what is queued
 * @sess: a dying session whose socket callbacks, RX work and timer are
 *	already stopped
 *
 * After this nothing queues TX work or calls into the PPP channel from TX.
 */
void sstp_tx_close(struct sstp_session *sess)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->tx_lock, flags);
	sess->tx_closed = true;
	spin_unlock_irqrestore(&sess->tx_lock, flags);

	cancel_work_sync(&sess->tx_work);

	spin_lock_irqsave(&sess->tx_lock, flags);
	__skb_queue_purge(&sess->tx_queue);
	spin_unlock_irqrestore(&sess->tx_lock, flags);
	__skb_queue_purge(&sess->tx_batch);
	sess->tx_off = 0;
}
