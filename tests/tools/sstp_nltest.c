// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp_nltest: drives sstp.ko for the VM tests. Every socket it hands to the
 * module is a real kTLS socket made from static keys (tests/tools/ktls.h),
 * so no OpenSSL is involved; the "raw peer" is the other end of such a
 * socket, speaking SSTP by hand.
 *
 *   sstp_nltest contract          every genetlink rejection and the happy path
 *   sstp_nltest peer SCENARIO     one raw-peer scenario (see scenarios[])
 *   sstp_nltest tunnel server|client ADDR PORT [HELLO]
 *                                 one end of a tunnel across namespaces:
 *                                 TCP + kTLS, session-new, /dev/ppp unit;
 *                                 prints "unit N session S channel C pid P"
 *                                 and waits for
 *                                 SIGTERM or session-down
 *   sstp_nltest hold              a loopback session that stays until killed
 *   sstp_nltest del ID            session-del
 *   sstp_nltest count             number of sessions in this netns (dump)
 *   sstp_nltest find FILE HEX     exit 0 if the bytes HEX occur in FILE, else 1
 *   sstp_nltest capture IF FILE   write every frame seen on IF to FILE (raw,
 *                                 concatenated) until SIGINT/SIGTERM; prints
 *                                 "listening on IF pid P" once bound and "frames N" at
 *                                 the end (the guest has no user for tcpdump
 *                                 to drop privileges to)
 *
 * SSTP_TEST_TLS (1.2, 1.3) and SSTP_TEST_CIPHER (aes128, aes256, chacha20)
 * choose the kTLS parameters of every pair.
 *
 * Exit status 0 means every check passed; each check prints "ok: ..." or
 * "FAIL: ..." with the kernel's extack text.
 */
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <linux/if_ppp.h>
#include <linux/ppp_defs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <poll.h>

#include "ktls.h"
#include "daemon/loop.h"
#include "link/sstp_genl.h"
/* the module's own wire-format code, compiled in userspace */
#include "kmod/proto.h"

static int failures;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		printf("ok: ");						\
	} else {							\
		printf("FAIL: ");					\
		failures++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
} while (0)

#define DIE(...) do { fprintf(stderr, "FATAL: " __VA_ARGS__); fprintf(stderr, "\n"); exit(2); } while (0)

/* TLS 1.2 AES-128-GCM unless SSTP_TEST_TLS=1.2|1.3, SSTP_TEST_CIPHER=aes128|aes256|chacha20 */
static struct ktls_params tls_params = KTLS_PARAMS_DEFAULT;

/* ------------------------------------------------------------ sockets */

/* A connected loopback TCP pair: *srv is the accepted end. */
static void tcp_pair(int *srv, int *cli)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd;

	lfd = tcp_listen4("127.0.0.1", 0);
	if (lfd < 0)
		DIE("listen: %s", strerror(-lfd));
	getsockname(lfd, (struct sockaddr *)&sa, &len);
	*cli = tcp_connect4("127.0.0.1", ntohs(sa.sin_port));
	if (*cli < 0)
		DIE("connect: %s", strerror(-*cli));
	*srv = accept(lfd, NULL, NULL);
	if (*srv < 0)
		DIE("accept: %m");
	close(lfd);
}

/* A kTLS pair: *kern goes to the module (server keys), *peer is the raw peer. */
static void ktls_pair(int *kern, int *peer)
{
	int err;

	tcp_pair(kern, peer);
	err = ktls_attach(*kern, true, &tls_params, true, true);
	if (!err)
		err = ktls_attach(*peer, false, &tls_params, true, true);
	if (err)
		DIE("kTLS: %s (is the tls module loaded?)", strerror(-err));
}

/* ------------------------------------------------------------ requests */

/*
 * Well-formed requests go through userspace/link/sstp_genl.c, the daemon's own
 * client. Only the malformed session-new requests the contract test sends
 * (attributes missing, out of range, foreign, unknown) are built here, on
 * the same library's socket and request helpers.
 */
struct new_args {
	int fd;			/* -1: leave the attribute out */
	int role;		/* -1: leave out */
	int hello;		/* -1: leave out */
	int mtu;		/* -1: leave out */
	const void *pending;
	size_t pending_len;
	int extra_attr;		/* an attribute session-new does not take */
};

#define NEW_ARGS(f) { .fd = (f), .role = SSTP_ROLE_SERVER, .hello = -1, .mtu = 1400, .extra_attr = 0 }

static int session_new_raw(struct sstp_genl *g, const struct new_args *a)
{
	static char buf[SSTP_GENL_REQ_MAX];
	struct nlmsghdr *nlh = sstp_genl_request_new(g, buf, SSTP_CMD_SESSION_NEW);

	if (a->fd >= 0)
		mnl_attr_put_u32(nlh, SSTP_A_SOCKET, (uint32_t)a->fd);
	if (a->role >= 0)
		mnl_attr_put_u32(nlh, SSTP_A_ROLE, (uint32_t)a->role);
	if (a->hello >= 0)
		mnl_attr_put_u32(nlh, SSTP_A_HELLO_INTERVAL, (uint32_t)a->hello);
	if (a->mtu >= 0)
		mnl_attr_put_u32(nlh, SSTP_A_MTU, (uint32_t)a->mtu);
	if (a->pending)
		mnl_attr_put(nlh, SSTP_A_PENDING, a->pending_len, a->pending);
	if (a->extra_attr)
		mnl_attr_put_u32(nlh, (uint16_t)a->extra_attr, 1);
	return sstp_genl_request(g, nlh, NULL);
}

/* A server-role session on fd, MTU 1400, hello seconds (0: none). */
static int session_new(struct sstp_genl *g, int fd, unsigned int hello, uint32_t *id,
		       uint32_t *chan)
{
	struct sstp_genl_new req = { .fd = fd, .server = true, .hello = hello, .mtu = 1400 };

	return sstp_genl_session_new(g, &req, id, chan);
}

/* Number of sessions a dump lists, or -errno; *first: the first one's id. */
static int session_count(struct sstp_genl *g, uint32_t *first)
{
	struct sstp_genl_msg *m;
	size_t n;
	int err = sstp_genl_session_dump(g, &m, &n);

	if (err)
		return err;
	if (first)
		*first = n ? m[0].id : 0;
	free(m);
	return (int)n;
}

/* Take the oldest notification of this cmd, waiting up to timeout_ms. */
static int nl_event(struct sstp_genl *g, uint8_t cmd, struct sstp_genl_msg *ev, int timeout_ms)
{
	uint64_t deadline = loop_now() + (uint64_t)timeout_ms;
	struct pollfd pfd = { sstp_genl_fd(g), POLLIN, 0 };
	struct sstp_genl_event *e;
	int err;

	for (;;) {
		e = sstp_genl_pop_cmd(g, cmd);
		if (e) {
			*ev = e->m;
			free(e);
			return 0;
		}
		int64_t left = (int64_t)(deadline - loop_now());

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		err = sstp_genl_read(g);
		if (err)
			return err;
	}
}

static void nl_must_open(struct sstp_genl *g)
{
	int err = sstp_genl_open(g);

	if (err)
		DIE("genetlink family sstp: %s", strerror(-err));
}

/* Expect a request to fail with want and the kernel's extack message. */
static void expect_reject(struct sstp_genl *g, int got, int want, const char *what)
{
	CHECK(got == -want && g->extack, "%s: rejected with %s (%s) [%s]", what,
	      strerror(-got), got == -want ? "as expected" : strerror(want),
	      g->extack ? g->err : "NO EXTACK MESSAGE");
}

/* ------------------------------------------------------------ SSTP bytes */

/* MS-SSTP 4.7's CALL_CONNECT_REQUEST */
static const unsigned char ccr[14] = {
	0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x06, 0x00, 0x01,
};
static const unsigned char echo_req[8] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00 };
static const unsigned char echo_resp[8] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x09, 0x00, 0x00 };

static void peer_send(int fd, const void *buf, size_t len)
{
	if (ktls_send_record(fd, SSTP_TLS_APPLICATION_DATA, buf, len, 0) != (ssize_t)len)
		DIE("peer send: %m");
}

/* Read one SSTP packet from the peer socket, within timeout_ms. */
static int peer_recv_pkt(int fd, unsigned char *buf, size_t size, int timeout_ms)
{
	static unsigned char stream[65536];
	static size_t have;
	uint64_t deadline = loop_now() + (uint64_t)timeout_ms;

	for (;;) {
		if (have >= SSTP_HDR_LEN) {
			bool ctrl;
			int plen = sstp_proto_hdr_parse(stream, &ctrl);
			size_t len = plen > 0 ? (size_t)plen : 0;
			u16 type;

			if (plen < 0)
				return -EBADMSG;
			if (have >= len && ctrl && sstp_proto_ctrl_check(stream, (unsigned int)len, &type))
				return -EBADMSG;
			if (have >= len && len <= size) {
				memcpy(buf, stream, len);
				memmove(stream, stream + len, have - len);
				have -= len;
				return (int)len;
			}
		}
		int64_t left = (int64_t)(deadline - loop_now());
		struct pollfd pfd = { fd, POLLIN, 0 };
		unsigned char type;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -ETIMEDOUT;
		n = ktls_recv_record(fd, stream + have, sizeof(stream) - have, &type, MSG_DONTWAIT);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EAGAIN)
				continue;
			return -errno;
		}
		if (type != SSTP_TLS_APPLICATION_DATA)
			return -EPROTO;
		have += (size_t)n;
	}
}

/* ------------------------------------------------------------ /dev/ppp */

static int ppp_attach_channel(uint32_t chan)
{
	int fd = open("/dev/ppp", O_RDWR | O_CLOEXEC);
	int idx = (int)chan;

	if (fd < 0)
		DIE("/dev/ppp: %m (is ppp_generic loaded?)");
	if (ioctl(fd, PPPIOCATTCHAN, &idx) < 0)
		DIE("PPPIOCATTCHAN %u: %m", chan);
	return fd;
}

static int read_timeout(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	return (int)read(fd, buf, len);
}

/* ------------------------------------------------------------ contract */

static void drop_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d))
		DIE("capget: %m");
	d[0].effective &= ~(1u << CAP_NET_ADMIN);
	d[0].permitted &= ~(1u << CAP_NET_ADMIN);
	if (syscall(SYS_capset, &h, d))
		DIE("capset: %m");
}

static int cmd_contract(void)
{
	struct sstp_genl_msg r, ev;
	struct sstp_genl nl;
	int kern, peer, plain_s, plain_c, half_s, half_c, fd, err, n;
	unsigned char pkt[64];
	uint32_t id, chan, id2, chan2, first;

	nl_must_open(&nl);
	ktls_pair(&kern, &peer);

	/* what the family refuses */
	struct new_args a = NEW_ARGS(kern);

	a.fd = -1;
	expect_reject(&nl, session_new_raw(&nl, &a), EINVAL, "session-new without socket");
	a = (struct new_args)NEW_ARGS(kern);
	a.role = -1;
	expect_reject(&nl, session_new_raw(&nl, &a), EINVAL, "session-new without role");
	a = (struct new_args)NEW_ARGS(kern);
	a.role = 7;
	expect_reject(&nl, session_new_raw(&nl, &a), ERANGE, "session-new with role 7");
	a = (struct new_args)NEW_ARGS(kern);
	a.mtu = 10;
	expect_reject(&nl, session_new_raw(&nl, &a), ERANGE, "session-new with MTU 10");
	a.mtu = 5000;
	expect_reject(&nl, session_new_raw(&nl, &a), ERANGE, "session-new with MTU 5000");
	a = (struct new_args)NEW_ARGS(kern);
	a.hello = 100000;
	expect_reject(&nl, session_new_raw(&nl, &a), ERANGE, "session-new with hello 100000");
	a = (struct new_args)NEW_ARGS(kern);
	{
		static unsigned char big[SSTP_PENDING_MAX + 1];

		a.pending = big;
		a.pending_len = sizeof(big);
		expect_reject(&nl, session_new_raw(&nl, &a), ERANGE,
			      "session-new with too many pending bytes");
	}
	a = (struct new_args)NEW_ARGS(kern);
	a.extra_attr = SSTP_A_STATE;
	expect_reject(&nl, session_new_raw(&nl, &a), EINVAL, "session-new with a foreign attribute");
	a = (struct new_args)NEW_ARGS(kern);
	a.extra_attr = SSTP_A_MAX + 5;
	expect_reject(&nl, session_new_raw(&nl, &a), EINVAL, "session-new with an unknown attribute");

	a = (struct new_args)NEW_ARGS(987);
	expect_reject(&nl, session_new_raw(&nl, &a), EBADF, "session-new with a closed fd");
	fd = open("/dev/null", O_RDONLY);
	a = (struct new_args)NEW_ARGS(fd);
	expect_reject(&nl, session_new_raw(&nl, &a), ENOTSOCK, "session-new with /dev/null");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	a = (struct new_args)NEW_ARGS(fd);
	expect_reject(&nl, session_new_raw(&nl, &a), EPROTONOSUPPORT, "session-new with UDP");
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	a = (struct new_args)NEW_ARGS(fd);
	expect_reject(&nl, session_new_raw(&nl, &a), EPROTONOSUPPORT, "session-new with AF_UNIX");
	close(fd);
	fd = tcp_listen4("127.0.0.1", 0);
	a = (struct new_args)NEW_ARGS(fd);
	expect_reject(&nl, session_new_raw(&nl, &a), ENOTCONN, "session-new with a listening socket");
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	a = (struct new_args)NEW_ARGS(fd);
	expect_reject(&nl, session_new_raw(&nl, &a), ENOTCONN, "session-new with an unconnected TCP socket");
	close(fd);
	tcp_pair(&plain_s, &plain_c);
	a = (struct new_args)NEW_ARGS(plain_s);
	expect_reject(&nl, session_new_raw(&nl, &a), EOPNOTSUPP, "session-new with plain TCP");
	tcp_pair(&half_s, &half_c);
	if (ktls_attach(half_s, true, &tls_params, true, false))
		DIE("kTLS TX only");
	a = (struct new_args)NEW_ARGS(half_s);
	expect_reject(&nl, session_new_raw(&nl, &a), EOPNOTSUPP, "session-new with kTLS TX only");
	close(half_s);
	close(half_c);
	tcp_pair(&half_s, &half_c);
	if (setsockopt(half_s, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")))
		DIE("ULP tls: %m");
	a = (struct new_args)NEW_ARGS(half_s);
	expect_reject(&nl, session_new_raw(&nl, &a), EOPNOTSUPP, "session-new with the tls ULP but no keys");
	close(half_s);
	close(half_c);

	/* the happy path */
	id = chan = 0;
	err = session_new(&nl, kern, 30, &id, &chan);
	CHECK(!err && id > 0, "session-new on a kTLS socket: id %u channel %u (%s)", id,
	      chan, err ? nl.err : "");
	if (err)
		return 1;

	expect_reject(&nl, session_new(&nl, kern, 30, &id2, &chan2), EBUSY,
		      "session-new on an owned socket");

	err = sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.id == id && r.state == SSTP_STATE_UP && r.channel == chan &&
	      r.unit == -1 && r.mtu == 1400 && r.hello == 30 && r.role == SSTP_ROLE_SERVER,
	      "session-get: state %u channel %u unit %d mtu %u hello %u", r.state, r.channel,
	      r.unit, r.mtu, r.hello);
	expect_reject(&nl, sstp_genl_session_get(&nl, id + 1000, &r), ENOENT,
		      "session-get of an unknown id");
	{
		char buf[SSTP_GENL_REQ_MAX];
		struct nlmsghdr *nlh = sstp_genl_request_new(&nl, buf, SSTP_CMD_SESSION_GET);

		expect_reject(&nl, sstp_genl_request(&nl, nlh, &r), EINVAL,
			      "session-get without id");
	}
	expect_reject(&nl, sstp_genl_session_get(&nl, 0, &r), ERANGE, "session-get of id 0");
	expect_reject(&nl, sstp_genl_session_del(&nl, id + 1000), ENOENT, "session-del of an unknown id");

	/* a second session, for the dump */
	int kern2, peer2;

	ktls_pair(&kern2, &peer2);
	id2 = chan2 = 0;
	err = session_new(&nl, kern2, 0, &id2, &chan2);
	CHECK(!err && id2 != id && chan2 != chan, "second session: id %u channel %u", id2, chan2);

	n = session_count(&nl, NULL);
	CHECK(n == 2, "dump lists %d sessions", n);

	/* control packets both ways */
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id, ccr, 10), EINVAL, "ctrl-send of a truncated packet");
	memcpy(pkt, ccr, sizeof(ccr));
	pkt[1] = 0;
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id, pkt, sizeof(ccr)), EINVAL, "ctrl-send of a data packet");
	memcpy(pkt, ccr, sizeof(ccr));
	pkt[11] = 0x20;
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id, pkt, sizeof(ccr)), EINVAL,
		      "ctrl-send with an attribute overrunning the packet");
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id + 1000, ccr, sizeof(ccr)), ENOENT,
		      "ctrl-send to an unknown session");
	err = sstp_genl_ctrl_send(&nl, id, ccr, sizeof(ccr));
	CHECK(!err, "ctrl-send CALL_CONNECT_REQUEST (%s)", nl.err);
	err = peer_recv_pkt(peer, pkt, sizeof(pkt), 5000);
	CHECK(err == sizeof(ccr) && !memcmp(pkt, ccr, sizeof(ccr)),
	      "the peer reads it from its kTLS socket (%d bytes)", err);

	peer_send(peer, ccr, sizeof(ccr));
	err = nl_event(&nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.id == id && ev.ctrl_len == sizeof(ccr) && !memcmp(ev.ctrl, ccr, sizeof(ccr)),
	      "a control packet from the peer arrives as ctrl-recv (%zu bytes, session %u)",
	      ev.ctrl_len, ev.id);

	/* echo is the kernel's business */
	peer_send(peer, echo_req, sizeof(echo_req));
	err = peer_recv_pkt(peer, pkt, sizeof(pkt), 5000);
	CHECK(err == 8 && !memcmp(pkt, echo_resp, 8), "ECHO_REQUEST is answered in the kernel");
	err = nl_event(&nl, SSTP_CMD_CTRL_RECV, &ev, 300);
	CHECK(err == -ETIMEDOUT, "and not forwarded to the daemon");
	err = sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.stats[SSTP_STATS_A_ECHO_ANSWERED] == 1 && r.stats[SSTP_STATS_A_RX_CTRL] == 2 &&
	      r.stats[SSTP_STATS_A_TX_CTRL] == 2,
	      "counters: echo answered %llu, rx ctrl %llu, tx ctrl %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_ECHO_ANSWERED],
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_CTRL],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_CTRL]);

	/* only CAP_NET_ADMIN may talk to the family */
	pid_t pid = fork();

	if (pid == 0) {
		struct sstp_genl nl2;

		drop_net_admin();
		nl_must_open(&nl2);
		exit(session_count(&nl2, NULL) == -EPERM ? 0 : 1);
	}
	int status;

	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "without CAP_NET_ADMIN: EPERM");

	/* delete: one session-down, then the id is gone */
	err = sstp_genl_session_del(&nl, id);
	CHECK(!err, "session-del (%s)", nl.err);
	err = nl_event(&nl, SSTP_CMD_SESSION_DOWN, &ev, 5000);
	CHECK(!err && ev.id == id && ev.reason == SSTP_DOWN_DELETED && ev.channel == chan,
	      "session-down: reason %u (deleted), channel %u", ev.reason, ev.channel);
	expect_reject(&nl, sstp_genl_session_get(&nl, id, &r), ENOENT, "session-get after delete");
	expect_reject(&nl, sstp_genl_session_del(&nl, id), ENOENT, "session-del twice");
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id, ccr, sizeof(ccr)), ENOENT, "ctrl-send after delete");
	n = session_count(&nl, &first);
	CHECK(n == 1 && first == id2, "dump lists the other one only");

	/* the socket is the daemon's again: it can be handed over anew */
	id2 = 0;
	err = session_new(&nl, kern, 0, &id2, &chan2);
	CHECK(!err && id2 != id, "the released socket can be taken over again: id %u (%s)", id2,
	      nl.err);
	sstp_genl_close(&nl);	/* and its sessions go with the netlink socket */
	close(kern);
	close(kern2);
	close(peer);
	close(peer2);
	close(plain_s);
	close(plain_c);
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}

/* ------------------------------------------------------------ peer */

struct peer_ctx {
	struct sstp_genl nl;
	int kern, peer;
	uint32_t id, chan;
};

static void peer_setup(struct peer_ctx *c, int hello, const void *pending, size_t pending_len)
{
	struct sstp_genl_new req = { .server = true, .mtu = 1400 };
	int err;

	nl_must_open(&c->nl);
	ktls_pair(&c->kern, &c->peer);
	req.fd = c->kern;
	req.hello = hello > 0 ? (unsigned int)hello : 0;
	req.pending = pending;
	req.pending_len = pending_len;
	err = sstp_genl_session_new(&c->nl, &req, &c->id, &c->chan);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), c->nl.err);
}

/* Wait for session-down with the given reason; print and check counters. */
static void expect_down(struct peer_ctx *c, uint32_t reason, int timeout_ms, const char *what)
{
	struct sstp_genl_msg ev, r;
	int err = nl_event(&c->nl, SSTP_CMD_SESSION_DOWN, &ev, timeout_ms);

	CHECK(!err && ev.id == c->id && ev.reason == reason,
	      "%s: session-down reason %u, want %u (%s)", what, err ? 0 : ev.reason, reason,
	      err ? strerror(-err) : "");
	if (reason == SSTP_DOWN_PROTOCOL_ERROR)
		CHECK(ev.stats[SSTP_STATS_A_RX_MALFORMED] == 1, "rx_malformed = %llu",
		      (unsigned long long)ev.stats[SSTP_STATS_A_RX_MALFORMED]);
	err = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(err == -ENOENT, "session %u is gone", c->id);
}

static void send_malformed(struct peer_ctx *c, const void *pkt, size_t len, const char *what)
{
	peer_send(c->peer, pkt, len);
	expect_down(c, SSTP_DOWN_PROTOCOL_ERROR, 5000, what);
}

static int scenario_data(struct peer_ctx *c)
{
	static const unsigned char d1[] = { 0x10, 0x00, 0x00, 0x0c, 0xff, 0x03, 0xc0, 0x21, 1, 2, 3, 4 };
	static const unsigned char d2[] = { 0x10, 0x00, 0x00, 0x0a, 0xc0, 0x21, 9, 8, 7, 6 };
	static const unsigned char d3[] = { 0x10, 0x00, 0x00, 0x09, 0x21, 0x45, 0, 0, 0 };
	static const unsigned char out[] = { 0xc0, 0x21, 5, 6, 7, 8 };
	static const unsigned char want[] = { 0x10, 0x00, 0x00, 0x0c, 0xff, 0x03, 0xc0, 0x21, 5, 6, 7, 8 };
	unsigned char buf[64];
	struct sstp_genl_msg r;
	int chfd, n;

	chfd = ppp_attach_channel(c->chan);
	peer_send(c->peer, d1, sizeof(d1));
	n = read_timeout(chfd, buf, sizeof(buf), 5000);
	CHECK(n == 6 && !memcmp(buf, d1 + 6, 6), "data with FF 03 reaches the channel (%d bytes)", n);
	peer_send(c->peer, d2, sizeof(d2));
	n = read_timeout(chfd, buf, sizeof(buf), 5000);
	CHECK(n == 6 && !memcmp(buf, d2 + 4, 6), "data without FF 03 reaches the channel (%d bytes)", n);
	peer_send(c->peer, d3, sizeof(d3));
	n = read_timeout(chfd, buf, sizeof(buf), 5000);
	CHECK(n == 6 && buf[0] == 0 && buf[1] == 0x21 && buf[2] == 0x45,
	      "a compressed protocol field is expanded (%d bytes, %02x %02x)", n, buf[0], buf[1]);
	/* both packets in one TLS record */
	{
		unsigned char two[sizeof(d1) + sizeof(d2)];

		memcpy(two, d1, sizeof(d1));
		memcpy(two + sizeof(d1), d2, sizeof(d2));
		peer_send(c->peer, two, sizeof(two));
		n = read_timeout(chfd, buf, sizeof(buf), 5000);
		int m = read_timeout(chfd, buf + 16, sizeof(buf) - 16, 5000);

		CHECK(n == 6 && m == 6, "two packets in one record give two frames");
	}
	CHECK(write(chfd, out, sizeof(out)) == sizeof(out), "write a frame on the channel");
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == sizeof(want) && !memcmp(buf, want, sizeof(want)),
	      "the peer gets it as an SSTP data packet with FF 03 (%d bytes)", n);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_RX_PACKETS] == 5 && r.stats[SSTP_STATS_A_TX_PACKETS] == 1,
	      "counters: rx %llu tx %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_PACKETS],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PACKETS]);
	CHECK(!sstp_genl_session_del(&c->nl, c->id), "session-del");
	/* the channel went away under the /dev/ppp attachment */
	n = read_timeout(chfd, buf, sizeof(buf), 2000);
	CHECK(n <= 0, "the channel fd sees the channel gone (read %d)", n);
	close(chfd);
	return 0;
}

/*
 * Reserved bits are ignored on receipt (MS-SSTP 2.2.1, 2.2.4): a data
 * packet, a control packet for the daemon and an ECHO_REQUEST with every
 * reserved bit set are taken as if they were clear.
 */
static int scenario_reserved(struct peer_ctx *c)
{
	static const unsigned char data[] = {
		0x10, 0xfe, 0xf0, 0x0c, 0xff, 0x03, 0xc0, 0x21, 1, 2, 3, 4,
	};
	static const unsigned char ctrl[sizeof(ccr)] = {
		0x10, 0xff, 0xf0, 0x0e, 0x00, 0x01, 0x00, 0x01,
		0xff, 0x01, 0xf0, 0x06, 0x00, 0x01,
	};
	static const unsigned char echo[] = { 0x10, 0xff, 0xf0, 0x08, 0x00, 0x08, 0x00, 0x00 };
	unsigned char buf[64];
	struct sstp_genl_msg ev, r = { 0 };
	int chfd, n, err;

	chfd = ppp_attach_channel(c->chan);
	peer_send(c->peer, data, sizeof(data));
	n = read_timeout(chfd, buf, sizeof(buf), 5000);
	CHECK(n == 6 && !memcmp(buf, data + 6, 6),
	      "a data packet with reserved bits set reaches the channel (%d bytes)", n);
	peer_send(c->peer, ctrl, sizeof(ctrl));
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.ctrl_len == sizeof(ctrl) && !memcmp(ev.ctrl, ctrl, sizeof(ctrl)),
	      "a control packet with reserved bits set goes to the daemon as sent");
	peer_send(c->peer, echo, sizeof(echo));
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == sizeof(echo_resp) && !memcmp(buf, echo_resp, sizeof(echo_resp)),
	      "an ECHO_REQUEST with reserved bits set is answered (%d bytes)", n);
	CHECK(!sstp_genl_session_get(&c->nl, c->id, &r), "the session lives on");
	CHECK(r.stats[SSTP_STATS_A_RX_MALFORMED] == 0, "nothing counted as malformed (%llu)",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_MALFORMED]);
	close(chfd);
	return 0;
}

static int scenario_split(struct peer_ctx *c)
{
	struct sstp_genl_msg ev;
	unsigned char two[2 * sizeof(ccr)];
	int err;

	/* one control packet, one byte per TLS record */
	for (size_t i = 0; i < sizeof(ccr); i++)
		peer_send(c->peer, ccr + i, 1);
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.ctrl_len == sizeof(ccr) && !memcmp(ev.ctrl, ccr, sizeof(ccr)),
	      "a packet sent a byte per record is reassembled");
	/* two packets, split in the middle of the second header */
	memcpy(two, ccr, sizeof(ccr));
	memcpy(two + sizeof(ccr), ccr, sizeof(ccr));
	peer_send(c->peer, two, sizeof(ccr) + 2);
	peer_send(c->peer, two + sizeof(ccr) + 2, sizeof(ccr) - 2);
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	err |= nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.ctrl_len == sizeof(ccr), "a header split across records");
	return 0;
}

static int scenario_pending(struct peer_ctx *c)
{
	struct sstp_genl_msg ev;
	int err;

	/* peer_setup passed ccr + the first 5 bytes of another ccr */
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.ctrl_len == sizeof(ccr), "a packet in the pending bytes is delivered first");
	peer_send(c->peer, ccr + 5, sizeof(ccr) - 5);
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.ctrl_len == sizeof(ccr) && !memcmp(ev.ctrl, ccr, sizeof(ccr)),
	      "a packet begun in the pending bytes ends from the socket");
	return 0;
}

static int scenario_hello(struct peer_ctx *c)
{
	unsigned char buf[64];
	uint64_t t0 = loop_now();
	int n;

	/* hello 1 s: the kernel asks after one silent second */
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == 8 && !memcmp(buf, echo_req, 8), "ECHO_REQUEST after %llu ms of silence",
	      (unsigned long long)(loop_now() - t0));
	peer_send(c->peer, echo_resp, sizeof(echo_resp));
	t0 = loop_now();
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == 8 && !memcmp(buf, echo_req, 8), "answered: the next one %llu ms later",
	      (unsigned long long)(loop_now() - t0));
	/* now stay silent: dead after another interval */
	expect_down(c, SSTP_DOWN_HELLO_TIMEOUT, 5000, "silent peer");
	return 0;
}

static int scenario_fin(struct peer_ctx *c)
{
	shutdown(c->peer, SHUT_WR);
	expect_down(c, SSTP_DOWN_PEER_CLOSED, 5000, "peer FIN");
	return 0;
}

static int scenario_rst(struct peer_ctx *c)
{
	struct linger lg = { 1, 0 };

	setsockopt(c->peer, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c->peer);
	c->peer = -1;
	expect_down(c, SSTP_DOWN_PEER_CLOSED, 5000, "peer RST");
	return 0;
}

static int scenario_alert(struct peer_ctx *c)
{
	static const unsigned char alert[2] = { 2, 40 };	/* fatal handshake_failure */

	ktls_send_record(c->peer, SSTP_TLS_ALERT, alert, sizeof(alert), 0);
	expect_down(c, SSTP_DOWN_TLS_ALERT, 5000, "TLS alert");
	return 0;
}

static int scenario_keyupdate(struct peer_ctx *c)
{
	static const unsigned char ku[5] = { SSTP_TLS_KEY_UPDATE, 0, 0, 1, 0 };

	ktls_send_record(c->peer, SSTP_TLS_HANDSHAKE, ku, sizeof(ku), 0);
	expect_down(c, SSTP_DOWN_TLS_KEY_UPDATE, 5000, "TLS KeyUpdate");
	return 0;
}

static int scenario_ticket(struct peer_ctx *c)
{
	static const unsigned char nst[8] = { SSTP_TLS_NEW_SESSION_TICKET, 0, 0, 4, 0, 0, 0, 0 };
	struct sstp_genl_msg ev;
	int err;

	ktls_send_record(c->peer, SSTP_TLS_HANDSHAKE, nst, sizeof(nst), 0);
	peer_send(c->peer, ccr, sizeof(ccr));
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err, "a NewSessionTicket is skipped and the session goes on");
	err = nl_event(&c->nl, SSTP_CMD_SESSION_DOWN, &ev, 300);
	CHECK(err == -ETIMEDOUT, "no session-down");
	return 0;
}

static int scenario_del(struct peer_ctx *c)
{
	unsigned char buf[64];
	int err;

	err = sstp_genl_ctrl_send(&c->nl, c->id, ccr, sizeof(ccr));
	err |= sstp_genl_session_del(&c->nl, c->id);
	CHECK(!err, "ctrl-send then session-del at once");
	err = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(err == sizeof(ccr), "the packet queued before the delete still left");
	expect_down(c, SSTP_DOWN_DELETED, 5000, "session-del");
	/* the daemon's socket works again as a kTLS socket of its own */
	peer_send(c->peer, ccr, sizeof(ccr));
	err = ktls_read_full(c->kern, buf, sizeof(ccr));
	CHECK(!err && !memcmp(buf, ccr, sizeof(ccr)), "the daemon reads its socket again");
	return 0;
}

static int scenario_owner(struct peer_ctx *c)
{
	struct sstp_genl nl2;
	struct sstp_genl_msg r;
	int kern, peer, err;
	uint64_t deadline;
	uint32_t id2 = 0, chan2;

	ktls_pair(&kern, &peer);
	nl_must_open(&nl2);
	err = session_new(&nl2, kern, 0, &id2, &chan2);
	CHECK(!err, "a session owned by a second netlink socket: id %u", id2);

	sstp_genl_close(&nl2);
	deadline = loop_now() + 5000;
	while (sstp_genl_session_get(&c->nl, id2, &r) == 0 && loop_now() < deadline)
		usleep(20000);
	CHECK(sstp_genl_session_get(&c->nl, id2, &r) == -ENOENT,
	      "closing the owner's netlink socket ends its session");
	CHECK(!sstp_genl_session_get(&c->nl, c->id, &r), "and not the sessions of other owners");
	close(kern);
	close(peer);
	return 0;
}

static int scenario_badkey(struct peer_ctx *c)
{
	struct ktls_params wrong = tls_params;
	union ktls_crypto_info ci;
	socklen_t len;
	int kern, peer;

	/* a second pair whose peer encrypts with a key the kernel side lacks */
	close(c->kern);
	close(c->peer);
	sstp_genl_close(&c->nl);
	nl_must_open(&c->nl);
	tcp_pair(&kern, &peer);
	if (ktls_attach(kern, true, &tls_params, true, true))
		DIE("kTLS");
	wrong.seed ^= 0xff;
	setsockopt(peer, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls"));
	len = ktls_info(&wrong, 0, &ci);
	if (setsockopt(peer, SOL_TLS, TLS_TX, &ci, len))
		DIE("TLS_TX: %m");
	c->kern = kern;
	c->peer = peer;
	if (session_new(&c->nl, kern, 0, &c->id, &c->chan))
		DIE("session-new: %s", c->nl.err);
	peer_send(c->peer, ccr, sizeof(ccr));
	expect_down(c, SSTP_DOWN_PROTOCOL_ERROR, 5000, "a record that does not decrypt");
	return 0;
}

/* Malformed input: each ends the session with a protocol error. */
static int scenario_malformed(struct peer_ctx *c, const char *kind)
{
	unsigned char p[32];

	memcpy(p, ccr, sizeof(ccr));
	if (!strcmp(kind, "version")) {
		p[0] = 0x11;
	} else if (!strcmp(kind, "short")) {
		p[2] = 0;
		p[3] = 3;
	} else if (!strcmp(kind, "overrun")) {
		p[11] = 0x40;	/* attribute claims 64 bytes */
	} else if (!strcmp(kind, "attrcount")) {
		p[7] = 2;	/* two attributes announced, one present */
	} else if (!strcmp(kind, "attrshort")) {
		p[11] = 2;	/* attribute shorter than its header */
	} else if (!strcmp(kind, "type")) {
		p[5] = 99;
	} else if (!strcmp(kind, "truncated")) {
		/* a packet that announces 14 bytes, then the stream ends */
		peer_send(c->peer, ccr, 9);
		shutdown(c->peer, SHUT_WR);
		expect_down(c, SSTP_DOWN_PROTOCOL_ERROR, 5000, "stream ends inside a packet");
		return 0;
	} else {
		DIE("unknown malformed kind %s", kind);
	}
	send_malformed(c, p, sizeof(ccr), kind);
	return 0;
}

/* Many sessions at once: all carry control packets, half are deleted,
 * the rest go with the owner's netlink socket (the shell checks counters).
 */
static int scenario_many(struct peer_ctx *c)
{
	enum { N = 16 };
	int kern[N], peer[N], got = 0, n;
	uint32_t ids[N], chan;
	struct sstp_genl_msg ev;

	for (int i = 0; i < N; i++) {
		ktls_pair(&kern[i], &peer[i]);
		if (session_new(&c->nl, kern[i], 5, &ids[i], &chan))
			DIE("session-new %d: %s", i, c->nl.err);
	}
	for (int i = 0; i < N; i++)
		peer_send(peer[i], ccr, sizeof(ccr));
	while (got < N && !nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000))
		got++;
	CHECK(got == N, "%d sessions each delivered their control packet (%d)", N, got);
	n = session_count(&c->nl, NULL);
	CHECK(n == N + 1, "dump lists %d sessions", n);
	for (int i = 0; i < N; i += 2)
		CHECK(!sstp_genl_session_del(&c->nl, ids[i]), "delete session %u", ids[i]);
	n = session_count(&c->nl, NULL);
	CHECK(n == N / 2 + 1, "dump lists %d sessions", n);
	/* the others end when the netlink socket closes, in cmd_peer */
	return 0;
}

/*
 * Flow control: frames written on the channel while the peer does not read
 * fill the socket, then the TX queue; start_xmit pushes back on
 * ppp_generic, which holds the rest. When the peer reads, everything must
 * arrive, in order, with nothing dropped.
 */
static int scenario_flow(struct peer_ctx *c)
{
	enum { N = 2000, LEN = 1400 };
	static unsigned char frame[LEN], buf[4096];
	struct sstp_genl_msg r;
	int chfd, n, bad = 0, i;

	chfd = ppp_attach_channel(c->chan);
	frame[0] = 0xc0;
	frame[1] = 0x21;
	for (i = 0; i < N; i++) {
		memset(frame + 2, i & 0xff, LEN - 2);
		frame[2] = (unsigned char)(i >> 8);
		if (write(chfd, frame, LEN) != LEN)
			DIE("write frame %d: %m", i);
	}
	for (i = 0; i < N; i++) {
		n = peer_recv_pkt(c->peer, buf, sizeof(buf), 10000);
		if (n != LEN + 6 || buf[8] != (unsigned char)(i >> 8) ||
		    buf[9] != (unsigned char)(i & 0xff)) {
			bad++;
			break;
		}
	}
	CHECK(!bad, "%d frames of %d bytes arrived in order (stopped at %d, len %d)", N, LEN, i, n);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_TX_PACKETS] == N && r.stats[SSTP_STATS_A_TX_DROPPED] == 0 &&
	      r.stats[SSTP_STATS_A_TX_BLOCKED] > 0,
	      "counters: tx %llu dropped %llu, pushed back on PPP %llu times",
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PACKETS],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_DROPPED],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_BLOCKED]);
	close(chfd);
	return 0;
}

static int cmd_peer(const char *scenario)
{
	struct peer_ctx c;
	unsigned char pending[sizeof(ccr) + 5];
	int hello = -1;

	memcpy(pending, ccr, sizeof(ccr));
	memcpy(pending + sizeof(ccr), ccr, 5);
	if (!strcmp(scenario, "hello"))
		hello = 1;
	if (!strcmp(scenario, "pending"))
		peer_setup(&c, hello, pending, sizeof(pending));
	else
		peer_setup(&c, hello, NULL, 0);
	printf("# scenario %s: session %u channel %u\n", scenario, c.id, c.chan);

	if (!strcmp(scenario, "data"))
		scenario_data(&c);
	else if (!strcmp(scenario, "reserved"))
		scenario_reserved(&c);
	else if (!strcmp(scenario, "split"))
		scenario_split(&c);
	else if (!strcmp(scenario, "pending"))
		scenario_pending(&c);
	else if (!strcmp(scenario, "hello"))
		scenario_hello(&c);
	else if (!strcmp(scenario, "fin"))
		scenario_fin(&c);
	else if (!strcmp(scenario, "rst"))
		scenario_rst(&c);
	else if (!strcmp(scenario, "alert"))
		scenario_alert(&c);
	else if (!strcmp(scenario, "keyupdate"))
		scenario_keyupdate(&c);
	else if (!strcmp(scenario, "ticket"))
		scenario_ticket(&c);
	else if (!strcmp(scenario, "del"))
		scenario_del(&c);
	else if (!strcmp(scenario, "owner"))
		scenario_owner(&c);
	else if (!strcmp(scenario, "badkey"))
		scenario_badkey(&c);
	else if (!strcmp(scenario, "many"))
		scenario_many(&c);
	else if (!strcmp(scenario, "flow"))
		scenario_flow(&c);
	else if (!strncmp(scenario, "malformed-", 10))
		scenario_malformed(&c, scenario + 10);
	else
		DIE("unknown scenario %s", scenario);

	sstp_genl_close(&c.nl);
	if (c.peer >= 0)
		close(c.peer);
	close(c.kern);
	printf("%s: %s: %d failure(s)\n", failures ? "FAIL" : "PASS", scenario, failures);
	return failures ? 1 : 0;
}

/* ------------------------------------------------------------ tunnel */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void wait_until_stopped(struct sstp_genl *nl, uint32_t id)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sstp_genl_msg ev;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop) {
		if (!nl_event(nl, SSTP_CMD_SESSION_DOWN, &ev, 200)) {
			printf("down session %u reason %u\n", ev.id, ev.reason);
			fflush(stdout);
			if (ev.id == id)
				return;
		}
	}
}

static int cmd_tunnel(const char *role, const char *addr, int port, int hello)
{
	bool server = !strcmp(role, "server");
	struct sstp_genl_new req = { .server = server, .mtu = 1400 };
	uint32_t id, chan;
	struct npioctl npi = { .protocol = PPP_IP, .mode = NPMODE_PASS };
	struct sstp_genl nl;
	int fd, chfd, unitfd, unit = -1, err;

	if (server) {
		int lfd = tcp_listen4(addr, port);

		if (lfd < 0)
			DIE("listen: %s", strerror(-lfd));
		printf("listening\n");
		fflush(stdout);
		fd = accept(lfd, NULL, NULL);
		close(lfd);
	} else {
		fd = tcp_connect4(addr, port);
	}
	if (fd < 0)
		DIE("TCP: %s", strerror(errno));
	err = ktls_attach(fd, server, &tls_params, true, true);
	if (err)
		DIE("kTLS: %s", strerror(-err));

	nl_must_open(&nl);
	req.fd = fd;
	req.hello = hello > 0 ? (unsigned int)hello : 0;
	err = sstp_genl_session_new(&nl, &req, &id, &chan);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), nl.err);

	/* what pppd would do once LCP/auth/IPCP are done */
	chfd = ppp_attach_channel(chan);
	unitfd = open("/dev/ppp", O_RDWR | O_CLOEXEC);
	if (unitfd < 0 || ioctl(unitfd, PPPIOCNEWUNIT, &unit) < 0)
		DIE("PPPIOCNEWUNIT: %m");
	if (ioctl(chfd, PPPIOCCONNECT, &unit) < 0)
		DIE("PPPIOCCONNECT: %m");
	if (ioctl(unitfd, PPPIOCSNPMODE, &npi) < 0)
		DIE("PPPIOCSNPMODE: %m");
	printf("unit %d session %u channel %u pid %d\n", unit, id, chan, (int)getpid());
	fflush(stdout);

	wait_until_stopped(&nl, id);
	close(chfd);
	close(unitfd);
	sstp_genl_close(&nl);
	close(fd);
	return 0;
}

static int cmd_hold(void)
{
	struct sstp_genl nl;
	int kern, peer, err;
	uint32_t id, chan;

	nl_must_open(&nl);
	ktls_pair(&kern, &peer);
	err = session_new(&nl, kern, 0, &id, &chan);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), nl.err);
	printf("session %u channel %u pid %d\n", id, chan, (int)getpid());
	fflush(stdout);
	wait_until_stopped(&nl, id);
	return 0;
}

static int cmd_capture(const char *ifname, const char *path)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	static unsigned char frame[65536];
	unsigned long frames = 0;
	FILE *out;
	int fd;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		DIE("no interface %s", ifname);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		DIE("AF_PACKET: %m");
	out = fopen(path, "w");
	if (!out)
		DIE("%s: %m", path);
	printf("listening on %s pid %d\n", ifname, (int)getpid());
	while (!stop) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = recv(fd, frame, sizeof(frame), MSG_DONTWAIT);
		if (n <= 0)
			continue;
		fwrite(frame, 1, (size_t)n, out);
		frames++;
	}
	fclose(out);
	printf("frames %lu\n", frames);
	return 0;
}

static int cmd_find(const char *path, const char *hex)
{
	unsigned char pat[64], *buf;
	size_t plen = strlen(hex) / 2, len;
	FILE *f = fopen(path, "r");
	long size;

	if (!f || plen == 0 || plen > sizeof(pat))
		DIE("find: %s", path);
	for (size_t i = 0; i < plen; i++)
		sscanf(hex + 2 * i, "%2hhx", &pat[i]);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	buf = malloc((size_t)size + 1);
	len = fread(buf, 1, (size_t)size, f);
	fclose(f);
	return memmem(buf, len, pat, plen) ? 0 : 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (ktls_parse_params(&tls_params, getenv("SSTP_TEST_TLS"), getenv("SSTP_TEST_CIPHER")))
		DIE("bad SSTP_TEST_TLS or SSTP_TEST_CIPHER");
	if (argc >= 2 && !strcmp(argv[1], "contract"))
		return cmd_contract();
	if (argc >= 3 && !strcmp(argv[1], "peer"))
		return cmd_peer(argv[2]);
	if (argc >= 5 && !strcmp(argv[1], "tunnel"))
		return cmd_tunnel(argv[2], argv[3], atoi(argv[4]), argc >= 6 ? atoi(argv[5]) : -1);
	if (argc >= 4 && !strcmp(argv[1], "find"))
		return cmd_find(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "capture"))
		return cmd_capture(argv[2], argv[3]);
	if (argc >= 2 && !strcmp(argv[1], "hold"))
		return cmd_hold();
	if (argc >= 3 && !strcmp(argv[1], "del")) {
		struct sstp_genl nl;
		int err;

		nl_must_open(&nl);
		err = sstp_genl_session_del(&nl, (uint32_t)atoi(argv[2]));
		if (err)
			fprintf(stderr, "session-del: %s (%s)\n", strerror(-err), nl.err);
		return err ? 1 : 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "count")) {
		struct sstp_genl nl;
		int n;

		nl_must_open(&nl);
		n = session_count(&nl, NULL);
		if (n < 0)
			return 1;
		printf("%d\n", n);
		return 0;
	}
	fprintf(stderr, "usage: sstp_nltest contract | peer SCENARIO | tunnel server|client ADDR PORT [HELLO] | hold | del ID | count\n");
	return 2;
}
