// SPDX-License-Identifier: GPL-2.0-only
/*
 * The session's PPP channel. ppp_generic does the rest: the daemon attaches
 * to the channel on /dev/ppp to run LCP, authentication and the NCPs, then
 * connects it to a unit whose pppN netdevice carries the traffic.
 *
 * The channel only carries frames. Keeping data off the network until the
 * SSTP call is connected and crypto binding verified (MS-SSTP 3.3.7) is the
 * daemon's job, through the unit's NPMODE or by connecting the unit late.
 */

#include <linux/skbuff.h>

#include "session.h"

static int sstp_ppp_start_xmit(struct ppp_channel *chan, struct sk_buff *skb)
{
	return sstp_tx_queue_frame(chan->private, skb);
}

static int sstp_ppp_ioctl(struct ppp_channel *chan, unsigned int cmd,
			  unsigned long arg)
{
	return -ENOTTY;
}

static const struct ppp_channel_ops sstp_ppp_ops = {
	.start_xmit = sstp_ppp_start_xmit,
	.ioctl = sstp_ppp_ioctl,
};

int sstp_ppp_register(struct sstp_session *sess, u32 mtu)
{
	int err;

	sess->chan.private = sess;
	sess->chan.ops = &sstp_ppp_ops;
	sess->chan.mtu = mtu;
	sess->chan.hdrlen = SSTP_TX_HEADROOM;
	err = ppp_register_net_channel(sess->net, &sess->chan);
	if (err)
		return err;
	sess->chan_index = ppp_channel_index(&sess->chan);
	return 0;
}

/* Detaches /dev/ppp users and the unit; start_xmit is not called after. */
void sstp_ppp_unregister(struct sstp_session *sess)
{
	mutex_lock(&sess->chan_lock);
	if (sess->chan.ppp)
		ppp_unregister_channel(&sess->chan);
	mutex_unlock(&sess->chan_lock);
}

/* The ppp unit the channel is connected to, or -1. */
int sstp_ppp_unit(struct sstp_session *sess)
{
	int unit = -1;

	mutex_lock(&sess->chan_lock);
	if (sess->chan.ppp)
		unit = ppp_unit_number(&sess->chan);
	mutex_unlock(&sess->chan_lock);
	return unit;
}

/**
 * sstp_ppp_input() - pass the payload of an SSTP data packet to PPP
 * @sess: the session
 * @frame: the PPP frame, with or without FF 03, protocol maybe compressed
 * @len: its length
 *
 * Process context (the RX work). The frame is copied into an skb and kept
 * in @sess->rx_deliver until sstp_ppp_deliver().
 */
void sstp_ppp_input(struct sstp_session *sess, const u8 *frame,
		    unsigned int len)
{
	struct sk_buff *skb;
	u16 proto;
	int hlen;

	hlen = sstp_proto_ppp_hdr(frame, len, &proto);
	if (hlen < 0) {
		atomic64_inc(&sess->stats.rx_errors);
		return;
	}

	skb = alloc_skb(NET_SKB_PAD + 2 + len - hlen, GFP_KERNEL);
	if (!skb) {
		atomic64_inc(&sess->stats.rx_errors);
		return;
	}
	skb_reserve(skb, NET_SKB_PAD);
	/* ppp_generic wants a two-byte protocol: undo PFC */
	sstp_proto_put_be16(skb_put(skb, 2), proto);
	skb_put_data(skb, frame + hlen, len - hlen);

	atomic64_inc(&sess->stats.rx_packets);
	/* the frame from its protocol field on, as the peer sent it */
	if (sstp_proto_ppp_acf(frame, len))
		len -= PPP_ACF_LEN;
	atomic64_add(len, &sess->stats.rx_bytes);
	__skb_queue_tail(&sess->rx_deliver, skb);
}

/**
 * sstp_ppp_deliver() - pass the frames of one read to ppp_generic
 * @sess: the session
 *
 * Process context (the RX work). With bottom halves off for the whole
 * batch, the netif_rx() inside ppp_input() only queues each packet, and
 * the stack takes the batch in one softirq run when they are back on,
 * instead of one run per packet.
 */
void sstp_ppp_deliver(struct sstp_session *sess)
{
	struct sk_buff *skb;

	if (skb_queue_empty(&sess->rx_deliver))
		return;
	local_bh_disable();
	while ((skb = __skb_dequeue(&sess->rx_deliver)))
		ppp_input(&sess->chan, skb);
	local_bh_enable();
}
