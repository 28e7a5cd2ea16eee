// SPDX-License-Identifier: GPL-2.0-only
/*
 * RX: take decrypted TLS records from the kTLS socket in process context,
 * cut them into SSTP packets and demultiplex PPP. IPv4 and IPv6 go to the
 * session's device (GRO), the rest (SSTP control packets, every other PPP
 * protocol) to the daemon; ECHO_REQUEST is answered here.
 *
 * The plaintext arrives as skbs of page fragments: on kernels with kTLS
 * read_sock() each record is one (kTLS decrypted it into fresh pages), on
 * 6.1 recvmsg() decrypts into a compound page of ours that is then wrapped
 * in an skb. An IP packet becomes an skb whose fragments point into those
 * pages (no copy); only small packets, and the rare packet that a peer
 * split across two records, are copied.
 *
 * Everything here runs in sstp_rx_work(), one at a time per session, so
 * rx_part, rx_ip and rx_up need no lock.
 */

#include <linux/highmem.h>
#include <linux/if_ether.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tls.h>
#include <net/sock.h>

#include "session.h"

/* recvmsg() buffer: a whole record (16 KiB) after a split packet's head */
#define SSTP_RX_PAGE_ORDER	3

/* What rx_up's skbs are: the notification that carries them. */
struct sstp_up_cb {
	u8 cmd;
};

static struct sstp_up_cb *sstp_up_cb(struct sk_buff *skb)
{
	return (struct sstp_up_cb *)skb->cb;
}

static void sstp_rx_malformed(struct sstp_session *sess, const char *why)
{
	sstp_stat_inc(&sess->stats.rx_malformed);
	net_info_ratelimited("session %u: %s, closing\n", sess->id, why);
	sstp_session_down(sess, SSTP_DOWN_PROTOCOL_ERROR);
}

/* Queue a PPP frame for the owner: protocol in two bytes, then @len bytes
 * of information at @off of @skb.
 */
static void sstp_rx_ppp_up(struct sstp_session *sess, u16 proto,
			   struct sk_buff *skb, unsigned int off,
			   unsigned int len)
{
	struct sk_buff *up;
	u8 *p;

	up = alloc_skb(2 + len, GFP_KERNEL);
	if (!up) {
		sstp_stat_inc(&sess->stats.ctrl_dropped);
		return;
	}
	p = skb_put(up, 2 + len);
	sstp_proto_put_be16(p, proto);
	if (skb_copy_bits(skb, off, p + 2, len)) {
		kfree_skb(up);
		sstp_stat_inc(&sess->stats.rx_errors);
		return;
	}
	sstp_stat_inc(&sess->stats.rx_ppp);
	sstp_up_cb(up)->cmd = SSTP_CMD_PPP_RECV;
	__skb_queue_tail(&sess->rx_up, up);
}

static void sstp_rx_ctrl(struct sstp_session *sess, struct sk_buff *skb,
			 unsigned int off, unsigned int len, int *err)
{
	u8 resp[SSTP_CTRL_HDR_LEN];
	struct sk_buff *up;
	u16 type;

	up = alloc_skb(len, GFP_KERNEL);
	if (!up) {
		sstp_stat_inc(&sess->stats.ctrl_dropped);
		return;
	}
	if (skb_copy_bits(skb, off, skb_put(up, len), len) ||
	    sstp_proto_ctrl_check(up->data, len, &type)) {
		kfree_skb(up);
		*err = -EBADMSG;
		return;
	}
	sstp_stat_inc(&sess->stats.rx_ctrl);
	switch (type) {
	case SSTP_MSG_ECHO_REQUEST:
		sstp_proto_ctrl_put_bare(resp, SSTP_MSG_ECHO_RESPONSE);
		if (!sstp_tx_ctrl(sess, resp, sizeof(resp), GFP_KERNEL))
			sstp_stat_inc(&sess->stats.echo_answered);
		consume_skb(up);
		break;
	case SSTP_MSG_ECHO_RESPONSE:
		/* sstp_session_rx_activity() already restarted the hello */
		consume_skb(up);
		break;
	default:
		sstp_up_cb(up)->cmd = SSTP_CMD_CTRL_RECV;
		__skb_queue_tail(&sess->rx_up, up);
		break;
	}
}

/*
 * A new skb for @len bytes at @off of @src: for small packets a linear
 * copy, otherwise a head with room for the headers the stack pulls later
 * and fragments that share @src's pages.
 */
static struct sk_buff *sstp_rx_slice(struct sstp_session *sess,
				     struct sk_buff *src, unsigned int off,
				     unsigned int len)
{
	unsigned int i, start, end, piece, fo;
	struct sk_buff *skb;
	int n = 0;

	/* page_pool pages (kTLS offloaded to a NIC decrypts in place) must
	 * not get references their pool does not know of
	 */
	if (len <= SSTP_RX_COPYBREAK || off < skb_headlen(src) ||
	    skb_has_frag_list(src) || src->pp_recycle)
		goto copy;
	skb = netdev_alloc_skb(sess->dev, SSTP_RX_COPYBREAK);
	if (!skb)
		return NULL;
	start = skb_headlen(src);
	for (i = 0; i < skb_shinfo(src)->nr_frags && len; i++) {
		const skb_frag_t *frag = &skb_shinfo(src)->frags[i];
		struct page *page = skb_frag_page(frag);

		end = start + skb_frag_size(frag);
		if (off < end) {
			if (!page || n == MAX_SKB_FRAGS) {
				kfree_skb(skb);
				goto copy;
			}
			fo = off - start;
			piece = min(len, end - off);
			get_page(page);
			skb_add_rx_frag(skb, n++, page, skb_frag_off(frag) + fo,
					piece, piece);
			off += piece;
			len -= piece;
		}
		start = end;
	}
	return skb;

copy:
	skb = netdev_alloc_skb(sess->dev, len);
	if (!skb)
		return NULL;
	if (skb_copy_bits(src, off, skb_put(skb, len), len)) {
		kfree_skb(skb);
		return NULL;
	}
	sstp_stat_inc(&sess->stats.rx_copied);
	return skb;
}

static void sstp_rx_ip(struct sstp_session *sess, struct sk_buff *src,
		       unsigned int off, unsigned int len, u16 proto)
{
	u32 family = proto == PPP_PROTO_IPV4 ? SSTP_PASS_IPV4 : SSTP_PASS_IPV6;
	struct sk_buff *skb;

	/* MS-SSTP 3.3.7: no data until the daemon opens the family */
	if (!(READ_ONCE(sess->pass) & family)) {
		sstp_stat_inc(&sess->stats.rx_gated);
		return;
	}
	if (!len) {
		sstp_stat_inc(&sess->stats.rx_errors);
		return;
	}
	skb = sstp_rx_slice(sess, src, off, len);
	if (!skb) {
		sstp_stat_inc(&sess->stats.rx_errors);
		return;
	}
	skb->protocol = proto == PPP_PROTO_IPV4 ? htons(ETH_P_IP) :
						 htons(ETH_P_IPV6);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	/* TLS authenticated the bytes, but not what the peer put in them */
	skb->ip_summed = CHECKSUM_NONE;
	skb->pkt_type = PACKET_HOST;
	__skb_queue_tail(&sess->rx_ip, skb);
}

/* The payload of a data packet: one PPP frame. */
static void sstp_rx_data(struct sstp_session *sess, struct sk_buff *skb,
			 unsigned int off, unsigned int len)
{
	u8 buf[PPP_HDR_MAX];
	const u8 *p;
	int hlen;
	u16 proto;

	p = skb_header_pointer(skb, off, min_t(unsigned int, len, sizeof(buf)),
			       buf);
	hlen = p ? sstp_proto_ppp_hdr(p, len, &proto) : -EBADMSG;
	if (hlen < 0) {
		sstp_stat_inc(&sess->stats.rx_errors);
		return;
	}
	if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) {
		sstp_rx_ip(sess, skb, off + hlen, len - hlen, proto);
		return;
	}
	/* LCP, authentication, NCPs, anything else: the daemon's PPP */
	sstp_rx_ppp_up(sess, proto, skb, off + hlen, len - hlen);
}

static void sstp_rx_packet(struct sstp_session *sess, struct sk_buff *skb,
			   unsigned int off, unsigned int len, bool ctrl,
			   int *err)
{
	sstp_session_rx_activity(sess);
	if (ctrl)
		sstp_rx_ctrl(sess, skb, off, len, err);
	else
		sstp_rx_data(sess, skb, off + SSTP_HDR_LEN, len - SSTP_HDR_LEN);
}

/* Go on with the split packet in rx_part, from @skb's bytes. */
static int sstp_rx_part(struct sstp_session *sess, struct sk_buff *skb,
			unsigned int *off, unsigned int *len)
{
	struct sk_buff *whole;
	unsigned int take;
	int plen, err = 0;
	bool ctrl;

	if (sess->rx_part_len < SSTP_HDR_LEN) {
		take = min(*len, SSTP_HDR_LEN - sess->rx_part_len);
		if (skb_copy_bits(skb, *off, sess->rx_part + sess->rx_part_len,
				  take))
			return -EBADMSG;
		sess->rx_part_len += take;
		*off += take;
		*len -= take;
		if (sess->rx_part_len < SSTP_HDR_LEN)
			return 0;
	}
	plen = sstp_proto_hdr_parse(sess->rx_part, &ctrl);
	if (plen < 0)
		return plen;
	take = min(*len, plen - sess->rx_part_len);
	if (skb_copy_bits(skb, *off, sess->rx_part + sess->rx_part_len, take))
		return -EBADMSG;
	sess->rx_part_len += take;
	*off += take;
	*len -= take;
	if (sess->rx_part_len < plen)
		return 0;

	sess->rx_part_len = 0;
	whole = alloc_skb(plen, GFP_KERNEL);
	if (!whole) {
		sstp_stat_inc(&sess->stats.rx_errors);
		return 0;
	}
	skb_put_data(whole, sess->rx_part, plen);
	sstp_rx_packet(sess, whole, 0, plen, ctrl, &err);
	consume_skb(whole);
	return err;
}

/**
 * sstp_rx_record() - deframe a piece of the plaintext stream
 * @sess: the session
 * @skb: plaintext (usually one TLS record)
 * @off: where the piece starts in @skb
 * @len: its length
 *
 * Whole packets are handled where they are; a packet that runs past the
 * end of the piece is collected in rx_part and finished by the next one.
 *
 * Return: 0, or -EBADMSG when the stream is malformed (the session must end).
 */
static int sstp_rx_record(struct sstp_session *sess, struct sk_buff *skb,
			  unsigned int off, unsigned int len)
{
	u8 hdr[SSTP_HDR_LEN];
	int plen, err = 0;
	bool ctrl;

	while (len && !err) {
		if (sess->rx_part_len) {
			err = sstp_rx_part(sess, skb, &off, &len);
			continue;
		}
		if (len >= SSTP_HDR_LEN) {
			if (skb_copy_bits(skb, off, hdr, SSTP_HDR_LEN))
				return -EBADMSG;
			plen = sstp_proto_hdr_parse(hdr, &ctrl);
			if (plen < 0)
				return plen;
			if (plen <= len) {
				sstp_rx_packet(sess, skb, off, plen, ctrl, &err);
				off += plen;
				len -= plen;
				continue;
			}
		}
		if (!sess->rx_part) {
			sess->rx_part = kmalloc(SSTP_PACKET_MAX, GFP_KERNEL);
			if (!sess->rx_part)
				return -ENOMEM;
		}
		err = sstp_rx_part(sess, skb, &off, &len);
	}
	return err;
}

/* Deliver what the last read produced: IP to the device, the rest up. */
static void sstp_rx_flush(struct sstp_session *sess)
{
	struct sk_buff *up;

	sstp_dev_deliver(sess);
	while ((up = __skb_dequeue(&sess->rx_up))) {
		sstp_nl_notify_up(sess, sstp_up_cb(up)->cmd, up);
		consume_skb(up);
	}
}

/* A non-data TLS record. Return: true to keep reading. */
static bool sstp_rx_tls_record(struct sstp_session *sess, u8 type,
			       const u8 *p, unsigned int len)
{
	switch (type) {
	case SSTP_TLS_ALERT:
		net_info_ratelimited("session %u: TLS alert %u/%u\n",
				     sess->id, len > 0 ? p[0] : 0,
				     len > 1 ? p[1] : 0);
		sstp_session_down(sess, SSTP_DOWN_TLS_ALERT);
		return false;
	case SSTP_TLS_HANDSHAKE:
		/* TLS 1.3 sends tickets after the handshake: not for us */
		if (len && p[0] == SSTP_TLS_NEW_SESSION_TICKET)
			return true;
		if (len && p[0] == SSTP_TLS_KEY_UPDATE) {
			net_info_ratelimited("session %u: TLS KeyUpdate, kTLS cannot rekey\n",
					     sess->id);
			sstp_session_down(sess, SSTP_DOWN_TLS_KEY_UPDATE);
			return false;
		}
		sstp_rx_malformed(sess, "unexpected TLS handshake message");
		return false;
	default:
		sstp_rx_malformed(sess, "unexpected TLS record type");
		return false;
	}
}

/*
 * recvmsg() of at most one record type into a compound page of ours.
 * Return: >0 to go on, 0 at the end of the stream, -EAGAIN when the socket
 * is empty, another -errno when the session is over (already put down).
 */
static int sstp_rx_recvmsg(struct sstp_session *sess)
{
	union {
		struct cmsghdr cmsg;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} u;
	struct msghdr msg = {
		.msg_control = &u,
		.msg_controllen = sizeof(u),
	};
	unsigned int order = SSTP_RX_PAGE_ORDER;
	u8 type = SSTP_TLS_APPLICATION_DATA;
	struct bio_vec bv = {};
	struct sk_buff *skb;
	bool record = false;
	struct page *page;
	int ret;

	page = alloc_pages(GFP_KERNEL | __GFP_COMP | __GFP_NOWARN |
			   __GFP_NORETRY, order);
	if (!page) {
		order = 0;
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
	}
	bv.bv_page = page;
	bv.bv_len = PAGE_SIZE << order;
	iov_iter_bvec(&msg.msg_iter, ITER_DEST, &bv, 1, bv.bv_len);
	ret = sock_recvmsg(sess->sock, &msg, MSG_DONTWAIT);
	/* put_cmsg() shrinks msg_controllen when kTLS filled in u.cmsg */
	if (ret >= 0 && msg.msg_controllen < sizeof(u) &&
	    u.cmsg.cmsg_level == SOL_TLS &&
	    u.cmsg.cmsg_type == TLS_GET_RECORD_TYPE) {
		type = *(u8 *)CMSG_DATA(&u.cmsg);
		record = true;
	}
	if (ret <= 0) {
		__free_pages(page, order);
		/* a 0-byte read with a record is an empty record (legal) */
		return ret == 0 && record ? 1 : ret;
	}
	if (type != SSTP_TLS_APPLICATION_DATA) {
		bool more = sstp_rx_tls_record(sess, type, page_address(page),
					       ret);

		__free_pages(page, order);
		return more ? 1 : -ECONNABORTED;
	}

	skb = alloc_skb(0, GFP_KERNEL);
	if (!skb) {
		__free_pages(page, order);
		return -ENOMEM;
	}
	skb_fill_page_desc(skb, 0, page, 0, ret);
	skb->len = ret;
	skb->data_len = ret;
	skb->truesize += PAGE_SIZE << order;
	ret = sstp_rx_record(sess, skb, 0, ret);
	consume_skb(skb);
	return ret ?: 1;
}

struct sstp_rx_desc {
	struct sstp_session *sess;
	int err;
};

static int sstp_rx_actor(read_descriptor_t *desc, struct sk_buff *skb,
			 unsigned int off, size_t len)
{
	struct sstp_rx_desc *rd = desc->arg.data;

	rd->err = sstp_rx_record(rd->sess, skb, off, len);
	if (rd->err || !sstp_session_live(rd->sess))
		desc->count = 0;
	else
		desc->count--;
	return len;
}

/*
 * kTLS read_sock(): decrypted data records as skbs, up to @budget of them.
 * A non-data record stops it with -EINVAL; recvmsg() then takes that one.
 * The actor runs under the socket lock: it only parses and queues.
 * Return: as sstp_rx_recvmsg().
 */
static int sstp_rx_read_sock(struct sstp_session *sess, int *budget)
{
	struct sstp_rx_desc rd = { .sess = sess };
	read_descriptor_t desc = {
		.arg.data = &rd,
		.count = *budget,
	};
	struct sock *sk = sess->sock->sk;
	int ret;

	/* read_sock() is called with the socket locked, as for TCP's */
	lock_sock(sk);
	ret = sess->sock->ops->read_sock(sk, &desc, sstp_rx_actor);
	release_sock(sk);
	*budget = desc.count;
	if (rd.err)
		return rd.err;
	if (ret == -EINVAL)
		return sstp_rx_recvmsg(sess);
	return ret;
}

/**
 * sstp_rx_work() - read what the socket has and deliver it
 * @work: &sstp_session.rx_work
 *
 * Queued by the socket callbacks and once at creation. Reads until the
 * socket is empty (requeueing itself after a budget), so a wakeup is never
 * lost: every callback queues this work after kTLS has seen the data.
 */
void sstp_rx_work(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 rx_work);
	int budget = SSTP_RX_BUDGET;
	struct sk_buff *skb;
	int ret;

	if (!sstp_session_live(sess))
		return;

	if (sess->pending) {
		skb = alloc_skb(sess->pending_len, GFP_KERNEL);
		ret = skb ? 0 : -ENOMEM;
		if (skb) {
			skb_put_data(skb, sess->pending, sess->pending_len);
			ret = sstp_rx_record(sess, skb, 0, sess->pending_len);
			consume_skb(skb);
		}
		kfree(sess->pending);
		sess->pending = NULL;
		sstp_rx_flush(sess);
		if (ret) {
			sstp_rx_malformed(sess, ret == -ENOMEM ? "out of memory" :
					  "malformed SSTP packet");
			return;
		}
	}

	while (budget > 0 && sstp_session_live(sess)) {
		if (SSTP_HAVE_KTLS_READ_SOCK) {
			ret = sstp_rx_read_sock(sess, &budget);
		} else {
			ret = sstp_rx_recvmsg(sess);
			budget--;
		}
		/* packets before a malformed one were good: deliver them */
		sstp_rx_flush(sess);
		if (ret > 0)
			continue;
		if (ret == -EAGAIN || ret == -ECONNABORTED)
			return;
		if (ret == -ENOMEM) {
			/* try again later rather than lose the stream */
			sstp_stat_inc(&sess->stats.rx_errors);
			break;
		}
		if (ret == 0 && sess->rx_part_len)
			sstp_rx_malformed(sess, "stream ends inside a packet");
		else if (ret == 0)
			sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
		else if (ret == -EBADMSG || ret == -EMSGSIZE)
			sstp_rx_malformed(sess, ret == -EMSGSIZE ?
					  "oversized TLS record" :
					  "malformed SSTP packet or TLS record");
		else
			sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
		return;
	}
	if (sstp_session_live(sess))
		queue_work(sstp_rx_wq, &sess->rx_work);
}

/* Teardown, once the RX work is cancelled for good. */
void sstp_rx_release(struct sstp_session *sess)
{
	__skb_queue_purge(&sess->rx_ip);
	__skb_queue_purge(&sess->rx_up);
	kfree(sess->pending);
	sess->pending = NULL;
	kfree(sess->rx_part);
	sess->rx_part = NULL;
}
