// SPDX-License-Identifier: GPL-2.0-only
/*
 * TX: ppp_generic hands frames to start_xmit in atomic context, but a kTLS
 * send encrypts and may sleep. So frames are framed in place (SSTP header and
 * FF 03 pushed into the headroom the channel asked for), queued, and sent by
 * a worker with plain sock_sendmsg(): the socket's own sendmsg is kTLS's, so
 * every byte is encrypted. (The *_sendmsg_locked helpers would go straight
 * to TCP and put plaintext on the wire; never use them here.)
 *
 * The send copies from a kvec rather than using MSG_SPLICE_PAGES: frames
 * live in skb heads, which are slab memory and cannot be spliced (kTLS would
 * take page references on them and, with MSG_MORE, keep them in an open
 * record after we freed the skb); kTLS copies plaintext into its record
 * buffer before encrypting either way.
 */

#include <linux/net.h>
#include <linux/ppp_defs.h>
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

	if (skb->len < 2 || skb->data[0] != PPP_ALLSTATIONS ||
	    skb->data[1] != PPP_UI)
		hlen += 2;
	if (skb->len + hlen > SSTP_PKT_MAX || skb_cow_head(skb, hlen))
		goto drop;
	if (hlen > SSTP_HDR_LEN) {
		p = skb_push(skb, 2);
		p[0] = PPP_ALLSTATIONS;
		p[1] = PPP_UI;
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
	if (skb->data[1] & SSTP_FLAG_CONTROL) {
		atomic64_inc(&sess->stats.tx_ctrl);
	} else {
		atomic64_inc(&sess->stats.tx_packets);
		atomic64_add(skb->len - SSTP_HDR_LEN, &sess->stats.tx_bytes);
	}
	consume_skb(skb);
}

/* Next packet to send, or NULL; wakes ppp_generic if it was pushed back. */
static struct sk_buff *sstp_tx_next(struct sstp_session *sess, bool *more)
{
	struct sk_buff *skb;
	unsigned long flags;
	bool wake = false;

	spin_lock_irqsave(&sess->tx_lock, flags);
	skb = __skb_dequeue(&sess->tx_queue);
	*more = !skb_queue_empty(&sess->tx_queue);
	if (sess->tx_blocked &&
	    skb_queue_len(&sess->tx_queue) < SSTP_TX_QUEUE_DATA / 2) {
		sess->tx_blocked = false;
		wake = true;
	}
	spin_unlock_irqrestore(&sess->tx_lock, flags);

	/* the channel stays registered until sstp_tx_close() has run */
	if (wake)
		ppp_output_wakeup(&sess->chan);
	return skb;
}

/**
 * sstp_tx_work() - send queued packets on the socket
 * @work: &sstp_session.tx_work
 *
 * MSG_MORE while more packets wait lets kTLS fill whole records; only this
 * work dequeues, so the last send of a burst is always without MSG_MORE and
 * closes the record. On a full send buffer the current packet is kept and
 * sk_write_space requeues the work.
 */
void sstp_tx_work(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 tx_work);
	struct msghdr msg = {};
	struct sk_buff *skb;
	struct kvec iov;
	bool more;
	int ret;

	for (;;) {
		skb = sess->tx_cur;
		if (skb) {
			more = !skb_queue_empty_lockless(&sess->tx_queue);
		} else {
			skb = sstp_tx_next(sess, &more);
			if (!skb)
				return;
			if (skb_linearize(skb)) {
				atomic64_inc(&sess->stats.tx_dropped);
				kfree_skb(skb);
				continue;
			}
			sess->tx_cur = skb;
			sess->tx_off = 0;
		}

		iov.iov_base = skb->data + sess->tx_off;
		iov.iov_len = skb->len - sess->tx_off;
		msg.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0);
		ret = kernel_sendmsg(sess->sock, &msg, &iov, 1, iov.iov_len);
		if (ret == -EAGAIN)
			return;
		if (ret < 0) {
			net_dbg_ratelimited("session %u: sendmsg %d\n",
					    sess->id, ret);
			sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
			return;
		}
		sess->tx_off += ret;
		if (sess->tx_off < skb->len)
			continue;
		sess->tx_cur = NULL;
		sstp_tx_sent(sess, skb);
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
	kfree_skb(sess->tx_cur);
	sess->tx_cur = NULL;
}
