// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's client of sstp.ko's generic netlink family. See sstp_genl.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "daemon/loop.h"
#include "link/nlerr.h"
#include "link/sstp_genl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

/* The kernel answers at once; this only bounds a wedged kernel. */
#define SSTP_GENL_TIMEOUT_MS	5000
/* Room for a notification with a full control packet and the counters. */
#define SSTP_GENL_RXBUF		16384

/* What a request waits for: its answer, collected as it comes. */
struct sstp_genl_wait {
	uint32_t seq;
	int result;			/* 0/-errno once done */
	struct sstp_genl_msg *reply;	/* a do's reply, or NULL */
	struct sstp_genl_msg *dump;	/* a dump's replies (realloc'd) */
	size_t n_dump;
	uint16_t *family;		/* CTRL_CMD_GETFAMILY: the id */
};

static int sstp_genl_stats_cb(const struct nlattr *a, void *data)
{
	struct sstp_genl_msg *m = data;
	int t = mnl_attr_get_type(a);

	if (t > SSTP_STATS_A_PAD && t <= SSTP_STATS_A_MAX &&
	    mnl_attr_get_payload_len(a) == sizeof(uint64_t))
		m->stats[t] = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

static int sstp_genl_attr_cb(const struct nlattr *a, void *data)
{
	struct sstp_genl_msg *m = data;
	uint16_t t = mnl_attr_get_type(a);

	/* Fixed-size attributes of the wrong size are ignored, not read. */
	if (t != SSTP_A_CTRL_PACKET && t != SSTP_A_PPP_FRAME && t != SSTP_A_STATS &&
	    t != SSTP_A_IFNAME && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;
	switch (t) {
	case SSTP_A_SESSION_ID: m->id = mnl_attr_get_u32(a); break;
	case SSTP_A_IFINDEX: m->ifindex = mnl_attr_get_u32(a); break;
	case SSTP_A_STATE: m->state = mnl_attr_get_u32(a); break;
	case SSTP_A_REASON: m->reason = mnl_attr_get_u32(a); break;
	case SSTP_A_ROLE: m->role = mnl_attr_get_u32(a); break;
	case SSTP_A_HELLO_INTERVAL: m->hello = mnl_attr_get_u32(a); break;
	case SSTP_A_PASS: m->pass = mnl_attr_get_u32(a); break;
	case SSTP_A_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(m->ifname, sizeof(m->ifname), "%s", mnl_attr_get_str(a));
		break;
	case SSTP_A_CTRL_PACKET:
	case SSTP_A_PPP_FRAME:
		m->data_len = mnl_attr_get_payload_len(a);
		if (m->data_len > sizeof(m->data))
			m->data_len = sizeof(m->data);
		memcpy(m->data, mnl_attr_get_payload(a), m->data_len);
		break;
	case SSTP_A_STATS:
		mnl_attr_parse_nested(a, sstp_genl_stats_cb, m);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static void sstp_genl_parse(const struct nlmsghdr *nlh, struct sstp_genl_msg *m)
{
	const struct genlmsghdr *gh = mnl_nlmsg_get_payload(nlh);

	memset(m, 0, sizeof(*m) - sizeof(m->data));
	m->cmd = gh->cmd;
	mnl_attr_parse(nlh, sizeof(*gh), sstp_genl_attr_cb, m);
}

static void sstp_genl_queue(struct sstp_genl *g, const struct nlmsghdr *nlh)
{
	struct sstp_genl_event *e = malloc(sizeof(*e));

	/* Without memory the notification is lost, as when the socket's
	 * buffer overflows (the kernel counts those in ctrl-dropped). */
	if (!e)
		return;
	e->next = NULL;
	sstp_genl_parse(nlh, &e->m);
	*g->tail = e;
	g->tail = &e->next;
}

struct sstp_genl_event *sstp_genl_pop(struct sstp_genl *g)
{
	struct sstp_genl_event *e = g->head;

	if (e) {
		g->head = e->next;
		if (!g->head)
			g->tail = &g->head;
	}
	return e;
}

struct sstp_genl_event *sstp_genl_pop_cmd(struct sstp_genl *g, uint8_t cmd)
{
	struct sstp_genl_event **pp, *e;

	for (pp = &g->head; (e = *pp); pp = &e->next) {
		if (e->m.cmd != cmd)
			continue;
		*pp = e->next;
		if (g->tail == &e->next)
			g->tail = pp;
		return e;
	}
	return NULL;
}

static int sstp_genl_family_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* One message answering w's request other than its final ACK or DONE. */
static void sstp_genl_answer(struct sstp_genl_wait *w, const struct nlmsghdr *nlh)
{
	struct sstp_genl_msg *d;

	if (w->family) {
		mnl_attr_parse(nlh, sizeof(struct genlmsghdr), sstp_genl_family_cb, w->family);
	} else if (nlh->nlmsg_flags & NLM_F_MULTI) {
		d = realloc(w->dump, (w->n_dump + 1) * sizeof(*d));
		if (!d) {
			w->result = -ENOMEM;	/* reported at DONE */
			return;
		}
		w->dump = d;
		sstp_genl_parse(nlh, &d[w->n_dump++]);
	} else if (w->reply) {
		sstp_genl_parse(nlh, w->reply);
	}
}

/*
 * Handle one datagram: notifications are queued; with w, the answers to its
 * request are collected. Returns 1 once that request is answered (its ACK,
 * error or the end of its dump), else 0.
 */
static int sstp_genl_datagram(struct sstp_genl *g, const char *buf, size_t len,
			      struct sstp_genl_wait *w)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int n = (int)len, done = 0, err;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_seq == 0) {
			if (nlh->nlmsg_type == g->family)
				sstp_genl_queue(g, nlh);
		} else if (!w || nlh->nlmsg_seq != w->seq) {
			continue;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			err = nlerr_parse(nlh, g->err, sizeof(g->err));
			g->extack = err && g->err[0];
			if (!err)
				g->err[0] = 0;
			w->result = w->result ? w->result : err;
			done = 1;
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			/* A dump that failed midway says so here. */
			if (!w->result && mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
				w->result = *(const int *)mnl_nlmsg_get_payload(nlh);
			done = 1;
		} else {
			sstp_genl_answer(w, nlh);
		}
	}
	return done;
}

static int sstp_genl_wait(struct sstp_genl *g, struct sstp_genl_wait *w)
{
	uint64_t deadline = loop_now() + SSTP_GENL_TIMEOUT_MS;
	int fd = mnl_socket_get_fd(g->nl);
	char buf[SSTP_GENL_RXBUF];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		uint64_t now = loop_now();

		if (now >= deadline) {
			snprintf(g->err, sizeof(g->err), "no answer from sstp.ko");
			return -ETIMEDOUT;
		}
		if (poll(&pfd, 1, (int)(deadline - now)) < 0 && errno != EINTR)
			return -errno;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (sstp_genl_datagram(g, buf, (size_t)n, w))
			return w->result;
	}
}

static struct nlmsghdr *sstp_genl_msg_new(struct sstp_genl *g, char *buf,
					  uint16_t type, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++g->seq ? g->seq : ++g->seq;	/* 0 marks notifications */
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = version;
	return nlh;
}

static int sstp_genl_call(struct sstp_genl *g, struct nlmsghdr *nlh,
			  struct sstp_genl_wait *w)
{
	int err;

	g->err[0] = 0;
	g->extack = false;
	w->seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(g->nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		snprintf(g->err, sizeof(g->err), "send: %s", strerror(errno));
		return err;
	}
	err = sstp_genl_wait(g, w);
	if (err && !g->err[0])
		snprintf(g->err, sizeof(g->err), "%s", strerror(-err));
	return err;
}

static int sstp_genl_resolve(struct sstp_genl *g)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct sstp_genl_wait w = { .family = &g->family };
	struct nlmsghdr *nlh;
	int err;

	nlh = sstp_genl_msg_new(g, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SSTP_GENL_NAME);
	err = sstp_genl_call(g, nlh, &w);
	if (err)
		return err;
	return g->family ? 0 : -ENOENT;
}

int sstp_genl_open(struct sstp_genl *g)
{
	int one = 1, err;

	memset(g, 0, sizeof(*g));
	g->tail = &g->head;
	g->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!g->nl)
		return -errno;
	if (mnl_socket_bind(g->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto err;
	}
	/* Best effort: without them errors just carry no text. */
	mnl_socket_setsockopt(g->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(g->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	g->portid = mnl_socket_get_portid(g->nl);
	err = sstp_genl_resolve(g);
	if (err)
		goto err;
	return 0;
err:
	mnl_socket_close(g->nl);
	g->nl = NULL;
	return err;
}

void sstp_genl_close(struct sstp_genl *g)
{
	struct sstp_genl_event *e;

	while ((e = sstp_genl_pop(g)))
		free(e);
	if (g->nl)
		mnl_socket_close(g->nl);
	g->nl = NULL;
}

int sstp_genl_fd(const struct sstp_genl *g)
{
	return mnl_socket_get_fd(g->nl);
}

struct nlmsghdr *sstp_genl_request_new(struct sstp_genl *g, void *buf, uint8_t cmd)
{
	return sstp_genl_msg_new(g, buf, g->family, cmd, SSTP_GENL_VERSION);
}

int sstp_genl_request(struct sstp_genl *g, struct nlmsghdr *nlh, struct sstp_genl_msg *reply)
{
	struct sstp_genl_wait w = { .reply = reply };

	return sstp_genl_call(g, nlh, &w);
}

int sstp_genl_session_new(struct sstp_genl *g, const struct sstp_genl_new *req,
			  struct sstp_genl_created *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + SSTP_PENDING_MAX];
	struct sstp_genl_msg reply;
	struct nlmsghdr *nlh;
	int err;

	if (req->pending_len > SSTP_PENDING_MAX)
		return -EMSGSIZE;
	nlh = sstp_genl_request_new(g, buf, SSTP_CMD_SESSION_NEW);
	mnl_attr_put_u32(nlh, SSTP_A_SOCKET, (uint32_t)req->fd);
	mnl_attr_put_u32(nlh, SSTP_A_ROLE, req->server ? SSTP_ROLE_SERVER : SSTP_ROLE_CLIENT);
	mnl_attr_put_u32(nlh, SSTP_A_HELLO_INTERVAL, req->hello);
	mnl_attr_put_u32(nlh, SSTP_A_MTU, req->mtu);
	if (req->ifname)
		mnl_attr_put_strz(nlh, SSTP_A_IFNAME, req->ifname);
	if (req->pending_len)
		mnl_attr_put(nlh, SSTP_A_PENDING, req->pending_len, req->pending);
	memset(&reply, 0, sizeof(reply) - sizeof(reply.data));
	err = sstp_genl_request(g, nlh, &reply);
	if (err)
		return err;
	if (!reply.id || !reply.ifindex || !reply.ifname[0]) {
		snprintf(g->err, sizeof(g->err),
			 "session-new answered without a session id or device");
		return -EPROTO;
	}
	out->id = reply.id;
	out->ifindex = reply.ifindex;
	snprintf(out->ifname, sizeof(out->ifname), "%s", reply.ifname);
	return 0;
}

int sstp_genl_session_set(struct sstp_genl *g, uint32_t id, uint32_t pass)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = sstp_genl_request_new(g, buf, SSTP_CMD_SESSION_SET);
	mnl_attr_put_u32(nlh, SSTP_A_SESSION_ID, id);
	mnl_attr_put_u32(nlh, SSTP_A_PASS, pass);
	return sstp_genl_request(g, nlh, NULL);
}

static int sstp_genl_by_id(struct sstp_genl *g, uint8_t cmd, uint32_t id,
			   struct sstp_genl_msg *reply)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = sstp_genl_request_new(g, buf, cmd);
	mnl_attr_put_u32(nlh, SSTP_A_SESSION_ID, id);
	return sstp_genl_request(g, nlh, reply);
}

int sstp_genl_session_get(struct sstp_genl *g, uint32_t id, struct sstp_genl_msg *out)
{
	memset(out, 0, sizeof(*out) - sizeof(out->data));
	return sstp_genl_by_id(g, SSTP_CMD_SESSION_GET, id, out);
}

int sstp_genl_session_del(struct sstp_genl *g, uint32_t id)
{
	return sstp_genl_by_id(g, SSTP_CMD_SESSION_DEL, id, NULL);
}

int sstp_genl_session_dump(struct sstp_genl *g, struct sstp_genl_msg **out, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct sstp_genl_wait w = { 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = sstp_genl_request_new(g, buf, SSTP_CMD_SESSION_GET);
	nlh->nlmsg_flags |= NLM_F_DUMP;
	err = sstp_genl_call(g, nlh, &w);
	if (err) {
		free(w.dump);
		return err;
	}
	*out = w.dump;
	*n = w.n_dump;
	return 0;
}

int sstp_genl_ctrl_send(struct sstp_genl *g, uint32_t id, const uint8_t *pkt,
			size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + SSTP_PACKET_MAX];
	struct nlmsghdr *nlh;

	if (len > SSTP_PACKET_MAX)
		return -EMSGSIZE;
	nlh = sstp_genl_request_new(g, buf, SSTP_CMD_CTRL_SEND);
	mnl_attr_put_u32(nlh, SSTP_A_SESSION_ID, id);
	mnl_attr_put(nlh, SSTP_A_CTRL_PACKET, len, pkt);
	return sstp_genl_request(g, nlh, NULL);
}

int sstp_genl_ppp_send(struct sstp_genl *g, uint32_t id, const uint8_t *frame,
		       size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + SSTP_PPP_FRAME_MAX];
	struct nlmsghdr *nlh;

	if (len > SSTP_PPP_FRAME_MAX)
		return -EMSGSIZE;
	nlh = sstp_genl_request_new(g, buf, SSTP_CMD_PPP_SEND);
	mnl_attr_put_u32(nlh, SSTP_A_SESSION_ID, id);
	mnl_attr_put(nlh, SSTP_A_PPP_FRAME, len, frame);
	return sstp_genl_request(g, nlh, NULL);
}

int sstp_genl_read(struct sstp_genl *g)
{
	char buf[SSTP_GENL_RXBUF];
	ssize_t n;

	for (;;) {
		n = recv(mnl_socket_get_fd(g->nl), buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return 0;
		sstp_genl_datagram(g, buf, (size_t)n, NULL);
	}
}
