// SPDX-License-Identifier: GPL-2.0-only
/*
 * RX: read plaintext from the kTLS socket in process context, cut the SSTP
 * stream into packets, and pass data to PPP and control to the daemon.
 *
 * kTLS delivers one record type per read and says which in a
 * TLS_GET_RECORD_TYPE cmsg. SSTP packets do not respect record boundaries,
 * so a packet split across reads is reassembled in sstp_session.rx_pkt.
 */

#include <linux/net.h>
#include <linux/socket.h>
#include <linux/tls.h>
#include <net/sock.h>

#include "session.h"

static void sstp_rx_malformed(struct sstp_session *sess, const char *why)
{
	atomic64_inc(&sess->stats.rx_malformed);
	net_info_ratelimited("session %u: %s, closing\n", sess->id, why);
	sstp_session_down(sess, SSTP_DOWN_PROTOCOL_ERROR);
}

static int sstp_rx_ctrl(struct sstp_session *sess, const u8 *pkt,
			unsigned int len)
{
	u8 resp[SSTP_CTRL_HDR_LEN];
	u16 type;

	if (sstp_proto_ctrl_check(pkt, len, &type))
		return -EBADMSG;
	atomic64_inc(&sess->stats.rx_ctrl);

	switch (type) {
	case SSTP_MSG_ECHO_REQUEST:
		sstp_proto_ctrl_put_bare(resp, SSTP_MSG_ECHO_RESPONSE);
		if (!sstp_tx_ctrl(sess, resp, sizeof(resp), GFP_KERNEL))
			atomic64_inc(&sess->stats.echo_answered);
		break;
	case SSTP_MSG_ECHO_RESPONSE:
		/* sstp_session_rx_activity() already restarted the hello */
		break;
	default:
		sstp_nl_ctrl_recv(sess, pkt, len);
		break;
	}
	return 0;
}

static int sstp_rx_packet(struct sstp_session *sess, const u8 *pkt,
			  unsigned int len, bool ctrl)
{
	sstp_session_rx_activity(sess);
	if (ctrl)
		return sstp_rx_ctrl(sess, pkt, len);
	sstp_ppp_input(sess, pkt + SSTP_HDR_LEN, len - SSTP_HDR_LEN);
	return 0;
}

/**
 * sstp_rx_feed() - deframe a piece of the plaintext stream
 * @sess: the session
 * @data: plaintext
 * @len: its length
 *
 * Whole packets inside @data are handled in place; only a packet that
 * straddles the end of @data is copied into the reassembly buffer.
 *
 * Return: 0, or -EBADMSG on a malformed packet (the session must end).
 */
static int sstp_rx_feed(struct sstp_session *sess, const u8 *data,
			unsigned int len)
{
	unsigned int take;
	bool ctrl;
	int plen;
	int err;

	while (len) {
		if (!sess->rx_pkt_len && len >= SSTP_HDR_LEN) {
			plen = sstp_proto_hdr_parse(data, &ctrl);
			if (plen < 0)
				return plen;
			if (plen <= len) {
				err = sstp_rx_packet(sess, data, plen, ctrl);
				if (err)
					return err;
				data += plen;
				len -= plen;
				continue;
			}
		}

		if (sess->rx_pkt_len < SSTP_HDR_LEN) {
			take = min_t(unsigned int, len,
				     SSTP_HDR_LEN - sess->rx_pkt_len);
			memcpy(sess->rx_pkt + sess->rx_pkt_len, data, take);
			sess->rx_pkt_len += take;
			data += take;
			len -= take;
			if (sess->rx_pkt_len < SSTP_HDR_LEN)
				break;
		}

		plen = sstp_proto_hdr_parse(sess->rx_pkt, &ctrl);
		if (plen < 0)
			return plen;
		take = min_t(unsigned int, len, plen - sess->rx_pkt_len);
		memcpy(sess->rx_pkt + sess->rx_pkt_len, data, take);
		sess->rx_pkt_len += take;
		data += take;
		len -= take;
		if (sess->rx_pkt_len == plen) {
			sess->rx_pkt_len = 0;
			err = sstp_rx_packet(sess, sess->rx_pkt, plen, ctrl);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * One read of at most one TLS record type; *type gets that type and
 * *record says whether kTLS reported a record at all: a 0-byte read with a
 * record is an empty record (legal in TLS), without one it is end of stream.
 */
static int sstp_rx_read(struct sstp_session *sess, u8 *type, bool *record)
{
	union {
		struct cmsghdr cmsg;
		u8 buf[CMSG_SPACE(sizeof(u8))];
	} u;
	struct msghdr msg = {
		.msg_control = &u,
		.msg_controllen = sizeof(u),
	};
	struct kvec iov = {
		.iov_base = sess->rx_buf,
		.iov_len = SSTP_RX_READ_SIZE,
	};
	int ret;

	ret = kernel_recvmsg(sess->sock, &msg, &iov, 1, iov.iov_len,
			     MSG_DONTWAIT);
	*type = SSTP_TLS_APPLICATION_DATA;
	*record = false;
	/* put_cmsg() shrinks msg_controllen when kTLS filled in u.cmsg */
	if (ret >= 0 && msg.msg_controllen < sizeof(u) &&
	    u.cmsg.cmsg_level == SOL_TLS &&
	    u.cmsg.cmsg_type == TLS_GET_RECORD_TYPE) {
		*type = *(u8 *)CMSG_DATA(&u.cmsg);
		*record = true;
	}
	return ret;
}

/* A non-data TLS record. Return: true to keep reading. */
static bool sstp_rx_tls_record(struct sstp_session *sess, u8 type,
			       unsigned int len)
{
	switch (type) {
	case SSTP_TLS_ALERT:
		net_info_ratelimited("session %u: TLS alert %u/%u\n",
				     sess->id, len > 0 ? sess->rx_buf[0] : 0,
				     len > 1 ? sess->rx_buf[1] : 0);
		sstp_session_down(sess, SSTP_DOWN_TLS_ALERT);
		return false;
	case SSTP_TLS_HANDSHAKE:
		/* TLS 1.3 sends tickets after the handshake: not for us */
		if (len && sess->rx_buf[0] == SSTP_TLS_NEW_SESSION_TICKET)
			return true;
		if (len && sess->rx_buf[0] == SSTP_TLS_KEY_UPDATE) {
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

/* Deframe @len bytes; the data frames in them go to PPP together. */
static int sstp_rx_feed_deliver(struct sstp_session *sess, const u8 *data,
				unsigned int len)
{
	int err;

	err = sstp_rx_feed(sess, data, len);
	/* frames before a malformed one were good: deliver them too */
	sstp_ppp_deliver(sess);
	return err;
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
	bool record;
	u8 type;
	int ret;

	if (!sstp_session_live(sess))
		return;

	if (sess->pending) {
		ret = sstp_rx_feed_deliver(sess, sess->pending,
					   sess->pending_len);
		kfree(sess->pending);
		sess->pending = NULL;
		if (ret) {
			sstp_rx_malformed(sess, "malformed SSTP packet");
			return;
		}
	}

	while (budget--) {
		if (!sstp_session_live(sess))
			return;
		ret = sstp_rx_read(sess, &type, &record);
		if (ret == -EAGAIN)
			return;
		if (ret == 0 && !record) {
			if (sess->rx_pkt_len)
				sstp_rx_malformed(sess, "stream ends inside a packet");
			else
				sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
			return;
		}
		if (ret < 0) {
			if (ret == -EBADMSG || ret == -EMSGSIZE || ret == -EINVAL) {
				sstp_rx_malformed(sess, "undecryptable TLS record");
			} else {
				net_dbg_ratelimited("session %u: recvmsg %d\n",
						    sess->id, ret);
				sstp_session_down(sess, SSTP_DOWN_PEER_CLOSED);
			}
			return;
		}
		if (type != SSTP_TLS_APPLICATION_DATA) {
			if (!sstp_rx_tls_record(sess, type, ret))
				return;
			continue;
		}
		if (sstp_rx_feed_deliver(sess, sess->rx_buf, ret)) {
			sstp_rx_malformed(sess, "malformed SSTP packet");
			return;
		}
	}
	queue_work(sstp_rx_wq, &sess->rx_work);
}
