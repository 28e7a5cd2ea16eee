/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small libmnl client of the "sstp" generic netlink family for the VM
 * tests: requests with the kernel's extack text kept, and the unicast
 * notifications (ctrl-recv, session-down) that can arrive between a request
 * and its answer kept in a queue instead of being lost.
 */
#ifndef SSTP_TEST_NL_H
#define SSTP_TEST_NL_H

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sstp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

#define NL_EVENTS_MAX 64

struct nl_session {
	uint32_t id, channel, state, reason, mtu, hello, role;
	int32_t unit;
	uint64_t stats[SSTP_STATS_A_MAX + 1];
	unsigned char pkt[SSTP_PACKET_MAX];
	unsigned int pkt_len;
	int cmd;
};

struct nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t seq;
	uint32_t portid;
	char extack[256];
	struct nl_session events[NL_EVENTS_MAX];
	int n_events;
	/* dump results */
	struct nl_session *dump;
	int n_dump;
};

static inline uint64_t nl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int nl_stats_cb(const struct nlattr *a, void *data)
{
	struct nl_session *s = data;
	int t = mnl_attr_get_type(a);

	if (t > SSTP_STATS_A_PAD && t <= SSTP_STATS_A_MAX &&
	    mnl_attr_get_payload_len(a) == 8)
		s->stats[t] = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

static int nl_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_session *s = data;

	switch (mnl_attr_get_type(a)) {
	case SSTP_A_SESSION_ID: s->id = mnl_attr_get_u32(a); break;
	case SSTP_A_CHANNEL: s->channel = mnl_attr_get_u32(a); break;
	case SSTP_A_UNIT: s->unit = (int32_t)mnl_attr_get_u32(a); break;
	case SSTP_A_STATE: s->state = mnl_attr_get_u32(a); break;
	case SSTP_A_REASON: s->reason = mnl_attr_get_u32(a); break;
	case SSTP_A_MTU: s->mtu = mnl_attr_get_u32(a); break;
	case SSTP_A_HELLO_INTERVAL: s->hello = mnl_attr_get_u32(a); break;
	case SSTP_A_ROLE: s->role = mnl_attr_get_u32(a); break;
	case SSTP_A_CTRL_PACKET:
		s->pkt_len = mnl_attr_get_payload_len(a);
		if (s->pkt_len > sizeof(s->pkt))
			s->pkt_len = sizeof(s->pkt);
		memcpy(s->pkt, mnl_attr_get_payload(a), s->pkt_len);
		break;
	case SSTP_A_STATS:
		mnl_attr_parse_nested(a, nl_stats_cb, s);
		break;
	}
	return MNL_CB_OK;
}

static void nl_parse_session(const struct nlmsghdr *nlh, struct nl_session *s)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	memset(s, 0, sizeof(*s));
	s->unit = -2;
	s->cmd = g->cmd;
	mnl_attr_parse(nlh, sizeof(*g), nl_attr_cb, s);
}

static int nl_resolve_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/*
 * Receive and dispatch until the answer to seq (ACK or error) arrives, or,
 * with seq 0, until at least one event is queued or timeout_ms passes.
 * Returns the request's 0/-errno, or -ETIMEDOUT.
 */
static int nl_recv(struct nl *nl, uint32_t seq, struct nl_session *reply, int timeout_ms)
{
	static char buf[65536];
	uint64_t deadline = nl_now_ms() + (uint64_t)timeout_ms;
	int start_events = nl->n_events;

	for (;;) {
		struct pollfd pfd = { mnl_socket_get_fd(nl->sock), POLLIN, 0 };
		int64_t left = (int64_t)(deadline - nl_now_ms());
		struct nlmsghdr *nlh;
		ssize_t n;

		if (!seq && nl->n_events > start_events)
			return 0;
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, (int)n);
		     nlh = mnl_nlmsg_next(nlh, (int *)&n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
				const struct nlattr *a;
				size_t off;

				if (nlh->nlmsg_seq != seq)
					continue;
				nl->extack[0] = 0;
				off = sizeof(*e);
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
					mnl_attr_for_each(a, nlh, off) {
						if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
							snprintf(nl->extack, sizeof(nl->extack), "%s",
								 mnl_attr_get_str(a));
					}
				}
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (nlh->nlmsg_seq == seq)
					return 0;
				continue;
			}
			if (nlh->nlmsg_type != nl->family)
				continue;
			if (seq && nlh->nlmsg_seq == seq) {
				if (nlh->nlmsg_flags & NLM_F_MULTI) {
					nl->dump = realloc(nl->dump, sizeof(*nl->dump) * (nl->n_dump + 1));
					nl_parse_session(nlh, &nl->dump[nl->n_dump++]);
				} else if (reply) {
					nl_parse_session(nlh, reply);
				}
			} else if (nlh->nlmsg_seq == 0 && nl->n_events < NL_EVENTS_MAX) {
				nl_parse_session(nlh, &nl->events[nl->n_events++]);
			}
		}
	}
}

static struct nlmsghdr *nl_msg(struct nl *nl, char *buf, uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = SSTP_GENL_VERSION;
	return nlh;
}

/* Send nlh and wait for its answer; reply (if any) gets a do's answer. */
static int nl_call(struct nl *nl, struct nlmsghdr *nlh, struct nl_session *reply)
{
	nl->extack[0] = 0;
	if (reply)
		memset(reply, 0, sizeof(*reply));
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return nl_recv(nl, nlh->nlmsg_seq, reply, 10000);
}

static int nl_open(struct nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	nlh = nl_msg(nl, buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SSTP_GENL_NAME);
	/* the family id arrives as a reply to the control family */
	nl->family = GENL_ID_CTRL;
	{
		static char rbuf[8192];
		ssize_t n;

		if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
			return -errno;
		for (;;) {
			struct nlmsghdr *r;

			n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof(rbuf));
			if (n < 0)
				return -errno;
			for (r = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(r, (int)n);
			     r = mnl_nlmsg_next(r, (int *)&n)) {
				if (r->nlmsg_type == NLMSG_ERROR) {
					err = ((struct nlmsgerr *)mnl_nlmsg_get_payload(r))->error;
					if (err)
						return err;
					return nl->family != GENL_ID_CTRL ? 0 : -ENOENT;
				}
				if (r->nlmsg_type == GENL_ID_CTRL)
					mnl_attr_parse(r, sizeof(struct genlmsghdr), nl_resolve_cb,
						       &nl->family);
			}
		}
	}
}

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->dump);
	nl->sock = NULL;
	nl->dump = NULL;
}

/* Take the first queued event with this cmd, waiting up to timeout_ms. */
static int nl_event(struct nl *nl, int cmd, struct nl_session *ev, int timeout_ms)
{
	uint64_t deadline = nl_now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		for (int i = 0; i < nl->n_events; i++) {
			if (nl->events[i].cmd != cmd)
				continue;
			*ev = nl->events[i];
			memmove(&nl->events[i], &nl->events[i + 1],
				sizeof(nl->events[0]) * (size_t)(nl->n_events - i - 1));
			nl->n_events--;
			return 0;
		}
		int64_t left = (int64_t)(deadline - nl_now_ms());

		if (left <= 0)
			return -ETIMEDOUT;
		nl_recv(nl, 0, NULL, (int)left);
	}
}

#endif /* SSTP_TEST_NL_H */
