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
 *                                 TCP + kTLS, session-new, both families
 *                                 open; prints "dev NAME session S pid P"
 *                                 and waits for SIGTERM or session-down
 *   sstp_nltest hold              a loopback session that stays until killed
 *   sstp_nltest del ID            session-del
 *   sstp_nltest count             number of sessions in this netns (dump)
 *   sstp_nltest stats             one line per session: "session ID" and
 *                                 its counters as name=value
 *   sstp_nltest find FILE HEX     exit 0 if the bytes HEX occur in FILE, else 1
 *   sstp_nltest capture IF FILE   write every frame seen on IF to FILE (raw,
 *                                 concatenated) until SIGINT/SIGTERM; prints
 *                                 "listening on IF pid P" once bound and
 *                                 "frames N maxlen M" at the end (the guest
 *                                 has no user for tcpdump to drop
 *                                 privileges to)
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
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
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
	const char *ifname;	/* NULL: leave out */
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
	if (a->ifname)
		mnl_attr_put_strz(nlh, SSTP_A_IFNAME, a->ifname);
	if (a->extra_attr)
		mnl_attr_put_u32(nlh, (uint16_t)a->extra_attr, 1);
	return sstp_genl_request(g, nlh, NULL);
}

/* A server-role session on fd, MTU 1400, hello seconds (0: none), device
 * "sstpt%d" (out may be NULL). */
static int session_new(struct sstp_genl *g, int fd, unsigned int hello, uint32_t *id,
		       struct sstp_genl_created *out)
{
	struct sstp_genl_new req = {
		.fd = fd, .server = true, .hello = hello, .mtu = 1400, .ifname = "sstpt%d",
	};
	struct sstp_genl_created c;
	int err = sstp_genl_session_new(g, &req, &c);

	if (!err)
		*id = c.id;
	if (!err && out)
		*out = c;
	return err;
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

/* ------------------------------------------------------------ device */

/* Set the device up (or down). */
static void dev_set_up(const char *ifname, bool up)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		DIE("SIOCGIFFLAGS %s: %m", ifname);
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		DIE("SIOCSIFFLAGS %s: %m", ifname);
	close(fd);
}

/* An AF_PACKET socket on the device: sees what it receives, sends IP on it. */
static int dev_packet_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int fd;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		DIE("no device %s", ifname);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		DIE("AF_PACKET on %s: %m", ifname);
	/* room for a full qdisc of packets in flight (see scenario_flow) */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ 16 << 20 }, sizeof(int));
	return fd;
}

/* Send one IP packet out of the device (through its qdisc); -ENOBUFS when
 * the qdisc (or the socket's buffer) is full. */
static int dev_send(int fd, const char *ifname, const void *pkt, size_t len)
{
	const unsigned char *p = pkt;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons((p[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP),
		.sll_ifindex = (int)if_nametoindex(ifname),
	};

	if (sendto(fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return errno == EAGAIN ? -ENOBUFS : -errno;
	return 0;
}

/* Receive one packet the device took in (PACKET_HOST), within timeout_ms. */
static int dev_recv(int fd, void *buf, size_t len, int timeout_ms)
{
	uint64_t deadline = loop_now() + (uint64_t)timeout_ms;
	struct sockaddr_ll from;
	socklen_t flen;
	ssize_t n;

	for (;;) {
		int64_t left = (int64_t)(deadline - loop_now());
		struct pollfd pfd = { fd, POLLIN, 0 };

		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -ETIMEDOUT;
		flen = sizeof(from);
		n = recvfrom(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return -errno;
		if (from.sll_pkttype != PACKET_OUTGOING)
			return (int)n;
	}
}

/* A minimal IPv4 (or IPv6) packet of len bytes with payload byte fill. */
static size_t ip_packet(unsigned char *p, bool v6, size_t len, unsigned char fill)
{
	memset(p, fill, len);
	if (v6) {
		memset(p, 0, 40);
		p[0] = 0x60;
		p[4] = (unsigned char)((len - 40) >> 8);
		p[5] = (unsigned char)(len - 40);
		p[6] = 59;	/* no next header */
		p[7] = 64;
		p[8] = 0xfe; p[9] = 0x80; p[23] = 1;
		p[24] = 0xfe; p[25] = 0x80; p[39] = 2;
	} else {
		memset(p, 0, 20);
		p[0] = 0x45;
		p[2] = (unsigned char)(len >> 8);
		p[3] = (unsigned char)len;
		p[8] = 64;
		p[9] = 253;	/* experimental protocol */
		p[12] = 10; p[15] = 1;
		p[16] = 10; p[19] = 2;
	}
	return len;
}

/* Where the module keeps its object counts (debugfs). */
#define SSTP_DEBUGFS "/sys/kernel/debug/sstp/"

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

/* session-new from a netns of its own, with a socket of the caller's. */
static int contract_foreign_netns(int kern)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct sstp_genl nl2;
		struct new_args a = NEW_ARGS(kern);
		int err;

		if (unshare(CLONE_NEWNET))
			DIE("unshare: %m");
		nl_must_open(&nl2);
		err = session_new_raw(&nl2, &a);
		printf("# %s\n", nl2.err);
		exit(err == -EINVAL && strstr(nl2.err, "namespace") ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int cmd_contract(void)
{
	static const unsigned char lcp[] = { 0xc0, 0x21, 9, 1, 0, 4 };
	static const unsigned char ipf[] = { 0x00, 0x21, 0x45, 0 };
	static const unsigned char badproto[] = { 0xc0, 0x20, 9, 1 };
	struct sstp_genl_msg r, ev;
	struct sstp_genl_created c1, c2;
	struct sstp_genl nl;
	int kern, peer, plain_s, plain_c, half_s, half_c, fd, err, n;
	unsigned char pkt[64];
	char path[128], type[16];
	uint32_t id, id2, first;
	FILE *f;

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
		expect_reject(&nl, session_new_raw(&nl, &a), EINVAL,
			      "session-new with too many pending bytes");
	}
	a = (struct new_args)NEW_ARGS(kern);
	a.ifname = "sstp-name-too-long";
	expect_reject(&nl, session_new_raw(&nl, &a), EINVAL, "session-new with a 18-byte ifname");
	a = (struct new_args)NEW_ARGS(kern);
	a.ifname = "lo";
	expect_reject(&nl, session_new_raw(&nl, &a), EEXIST, "session-new with the name of lo");
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
	CHECK(contract_foreign_netns(kern),
	      "session-new with a socket of another netns: EINVAL with extack");
	n = session_count(&nl, NULL);
	CHECK(n == 0, "no session and no device left by the refusals (%d)", n);
	CHECK(!if_nametoindex("sstpt0"), "no device sstpt0 left by the refusals");

	/* the happy path */
	id = 0;
	err = session_new(&nl, kern, 30, &id, &c1);
	CHECK(!err && id > 0 && !strcmp(c1.ifname, "sstpt0") &&
	      c1.ifindex == if_nametoindex("sstpt0"),
	      "session-new on a kTLS socket: id %u device %s index %u (%s)", id,
	      err ? "-" : c1.ifname, err ? 0 : c1.ifindex, err ? nl.err : "");
	if (err)
		return 1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", c1.ifname);
	f = fopen(path, "r");
	CHECK(f && fgets(type, sizeof(type), f) && atoi(type) == ARPHRD_PPP,
	      "the device is a PPP-type link (type %d)", f ? atoi(type) : -1);
	if (f)
		fclose(f);

	expect_reject(&nl, session_new(&nl, kern, 30, &id2, NULL), EBUSY,
		      "session-new on an owned socket");
	CHECK(!if_nametoindex("sstpt1"), "and it left no device behind");

	err = sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.id == id && r.state == SSTP_STATE_UP && r.ifindex == c1.ifindex &&
	      r.pass == 0 && r.hello == 30 && r.role == SSTP_ROLE_SERVER,
	      "session-get: state %u ifindex %u pass %u hello %u", r.state, r.ifindex,
	      r.pass, r.hello);
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

	/* the data gate */
	expect_reject(&nl, sstp_genl_session_set(&nl, id, 4), EINVAL, "session-set with pass 4");
	expect_reject(&nl, sstp_genl_session_set(&nl, id + 1000, 1), ENOENT,
		      "session-set of an unknown id");
	err = sstp_genl_session_set(&nl, id, SSTP_PASS_IPV4 | SSTP_PASS_IPV6);
	err |= sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.pass == (SSTP_PASS_IPV4 | SSTP_PASS_IPV6), "session-set opens both (%u)",
	      r.pass);
	err = sstp_genl_session_set(&nl, id, 0);
	err |= sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.pass == 0, "and closes them (%u)", r.pass);

	/* a second session, for the dump */
	int kern2, peer2;

	ktls_pair(&kern2, &peer2);
	id2 = 0;
	err = session_new(&nl, kern2, 0, &id2, &c2);
	CHECK(!err && id2 != id && !strcmp(c2.ifname, "sstpt1"),
	      "second session: id %u device %s", id2, err ? "-" : c2.ifname);

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
	CHECK(!err && ev.id == id && ev.data_len == sizeof(ccr) && !memcmp(ev.data, ccr, sizeof(ccr)),
	      "a control packet from the peer arrives as ctrl-recv (%zu bytes, session %u)",
	      ev.data_len, ev.id);

	/* PPP frames that are not IP, both ways */
	expect_reject(&nl, sstp_genl_ppp_send(&nl, id, ipf, sizeof(ipf)), EINVAL,
		      "ppp-send of an IP frame");
	expect_reject(&nl, sstp_genl_ppp_send(&nl, id, badproto, sizeof(badproto)), EINVAL,
		      "ppp-send with an invalid protocol field");
	expect_reject(&nl, sstp_genl_ppp_send(&nl, id, lcp, 1), EINVAL,
		      "ppp-send of one byte");
	expect_reject(&nl, sstp_genl_ppp_send(&nl, id + 1000, lcp, sizeof(lcp)), ENOENT,
		      "ppp-send to an unknown session");
	err = sstp_genl_ppp_send(&nl, id, lcp, sizeof(lcp));
	CHECK(!err, "ppp-send of an LCP frame (%s)", nl.err);
	err = peer_recv_pkt(peer, pkt, sizeof(pkt), 5000);
	CHECK(err == 4 + 2 + (int)sizeof(lcp) && pkt[1] == 0 && pkt[4] == 0xff && pkt[5] == 0x03 &&
	      !memcmp(pkt + 6, lcp, sizeof(lcp)),
	      "the peer reads it as a data packet with FF 03 (%d bytes)", err);

	/* echo is the kernel's business */
	peer_send(peer, echo_req, sizeof(echo_req));
	err = peer_recv_pkt(peer, pkt, sizeof(pkt), 5000);
	CHECK(err == 8 && !memcmp(pkt, echo_resp, 8), "ECHO_REQUEST is answered in the kernel");
	err = nl_event(&nl, SSTP_CMD_CTRL_RECV, &ev, 300);
	CHECK(err == -ETIMEDOUT, "and not forwarded to the daemon");
	err = sstp_genl_session_get(&nl, id, &r);
	CHECK(!err && r.stats[SSTP_STATS_A_ECHO_ANSWERED] == 1 && r.stats[SSTP_STATS_A_RX_CTRL] == 2 &&
	      r.stats[SSTP_STATS_A_TX_CTRL] == 2 && r.stats[SSTP_STATS_A_TX_PPP] == 1,
	      "counters: echo answered %llu, rx ctrl %llu, tx ctrl %llu, tx ppp %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_ECHO_ANSWERED],
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_CTRL],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_CTRL],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PPP]);

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

	/* delete: one session-down, then the id and the device are gone */
	err = sstp_genl_session_del(&nl, id);
	CHECK(!err, "session-del (%s)", nl.err);
	CHECK(!if_nametoindex(c1.ifname), "the device %s is gone when session-del answers",
	      c1.ifname);
	err = nl_event(&nl, SSTP_CMD_SESSION_DOWN, &ev, 5000);
	CHECK(!err && ev.id == id && ev.reason == SSTP_DOWN_DELETED,
	      "session-down: reason %u (deleted)", ev.reason);
	expect_reject(&nl, sstp_genl_session_get(&nl, id, &r), ENOENT, "session-get after delete");
	expect_reject(&nl, sstp_genl_session_del(&nl, id), ENOENT, "session-del twice");
	expect_reject(&nl, sstp_genl_ctrl_send(&nl, id, ccr, sizeof(ccr)), ENOENT, "ctrl-send after delete");
	n = session_count(&nl, &first);
	CHECK(n == 1 && first == id2, "dump lists the other one only");

	/* the socket is the daemon's again: it can be handed over anew */
	err = session_new(&nl, kern, 0, &id, &c1);
	CHECK(!err && id != id2, "the released socket can be taken over again: id %u (%s)", id,
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
	uint32_t id;
	char ifname[16];
};

static void peer_setup(struct peer_ctx *c, int hello, const void *pending, size_t pending_len)
{
	struct sstp_genl_new req = { .server = true, .mtu = 1400, .ifname = "sstpt%d" };
	struct sstp_genl_created cr;
	int err;

	nl_must_open(&c->nl);
	ktls_pair(&c->kern, &c->peer);
	req.fd = c->kern;
	req.hello = hello > 0 ? (unsigned int)hello : 0;
	req.pending = pending;
	req.pending_len = pending_len;
	err = sstp_genl_session_new(&c->nl, &req, &cr);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), c->nl.err);
	c->id = cr.id;
	snprintf(c->ifname, sizeof(c->ifname), "%s", cr.ifname);
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

/* Wait for a ppp-recv notification and compare its frame. */
static bool expect_ppp_up(struct peer_ctx *c, const unsigned char *want, size_t len)
{
	struct sstp_genl_msg ev;

	return !nl_event(&c->nl, SSTP_CMD_PPP_RECV, &ev, 5000) && ev.id == c->id &&
	       ev.data_len == len && !memcmp(ev.data, want, len);
}

/* An SSTP data packet around a PPP header and an IP packet. */
static size_t sstp_data(unsigned char *out, const unsigned char *hdr, size_t hlen,
			const unsigned char *ip, size_t len)
{
	size_t n = 4 + hlen + len;

	sstp_proto_hdr_put(out, false, (u16)n);
	memcpy(out + 4, hdr, hlen);
	memcpy(out + 4 + hlen, ip, len);
	return n;
}

/* PPP frames that are not IP go to the daemon in every form a peer may use;
 * ppp-send frames reach the peer. */
static int scenario_data(struct peer_ctx *c)
{
	static const unsigned char d1[] = { 0x10, 0x00, 0x00, 0x0c, 0xff, 0x03, 0xc0, 0x21, 1, 2, 3, 4 };
	static const unsigned char d2[] = { 0x10, 0x00, 0x00, 0x0a, 0xc0, 0x21, 9, 8, 7, 6 };
	static const unsigned char d3[] = { 0x10, 0x00, 0x00, 0x08, 0x2d, 5, 5, 5 };
	static const unsigned char up1[] = { 0xc0, 0x21, 1, 2, 3, 4 };
	static const unsigned char up2[] = { 0xc0, 0x21, 9, 8, 7, 6 };
	static const unsigned char up3[] = { 0x00, 0x2d, 5, 5, 5 };
	static const unsigned char out[] = { 0xc0, 0x21, 5, 6, 7, 8 };
	static const unsigned char want[] = { 0x10, 0x00, 0x00, 0x0c, 0xff, 0x03, 0xc0, 0x21, 5, 6, 7, 8 };
	unsigned char buf[64];
	struct sstp_genl_msg r;
	int n;

	peer_send(c->peer, d1, sizeof(d1));
	CHECK(expect_ppp_up(c, up1, sizeof(up1)), "LCP with FF 03 reaches the daemon as ppp-recv");
	peer_send(c->peer, d2, sizeof(d2));
	CHECK(expect_ppp_up(c, up2, sizeof(up2)), "LCP without FF 03 reaches the daemon");
	peer_send(c->peer, d3, sizeof(d3));
	CHECK(expect_ppp_up(c, up3, sizeof(up3)),
	      "a compressed one-byte protocol arrives expanded to two bytes");
	/* both packets in one TLS record */
	{
		unsigned char two[sizeof(d1) + sizeof(d2)];

		memcpy(two, d1, sizeof(d1));
		memcpy(two + sizeof(d1), d2, sizeof(d2));
		peer_send(c->peer, two, sizeof(two));
		CHECK(expect_ppp_up(c, up1, sizeof(up1)) && expect_ppp_up(c, up2, sizeof(up2)),
		      "two packets in one record give two frames, in order");
	}
	CHECK(!sstp_genl_ppp_send(&c->nl, c->id, out, sizeof(out)), "ppp-send a frame");
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == sizeof(want) && !memcmp(buf, want, sizeof(want)),
	      "the peer gets it as an SSTP data packet with FF 03 (%d bytes)", n);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_RX_PPP] == 5 && r.stats[SSTP_STATS_A_TX_PPP] == 1 &&
	      r.stats[SSTP_STATS_A_RX_PACKETS] == 0,
	      "counters: rx ppp %llu tx ppp %llu rx ip %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_PPP],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PPP],
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_PACKETS]);
	CHECK(!sstp_genl_session_del(&c->nl, c->id), "session-del");
	return 0;
}

/*
 * IP crosses the device only for the families the daemon opened, in both
 * directions; every header form a peer may use works; frames of other
 * protocols (MPLS, IPX, AppleTalk, an unknown one) never reach the device,
 * whatever the gate says: they go to the daemon.
 */
static int scenario_gate(struct peer_ctx *c)
{
	static const unsigned char h_full4[] = { 0xff, 0x03, 0x00, 0x21 };
	static const unsigned char h_pfc4[] = { 0x21 };
	static const unsigned char h_acfc4[] = { 0x00, 0x21 };
	static const unsigned char h_both6[] = { 0xff, 0x03, 0x57 };
	static const unsigned char h_six[] = { 0x00, 0x57 };
	static const unsigned char others[][2] = {
		{ 0x02, 0x81 },	/* MPLS unicast */
		{ 0x00, 0x2b },	/* IPX */
		{ 0x00, 0x29 },	/* AppleTalk */
		{ 0x00, 0x3f },	/* NetBIOS framing */
		{ 0x7e, 0xf1 },	/* unassigned */
	};
	unsigned char ip4[200], ip6[300], pkt[400], buf[512];
	struct sstp_genl_msg r;
	int pfd, n, i, got;
	size_t len;

	dev_set_up(c->ifname, true);
	pfd = dev_packet_socket(c->ifname);
	ip_packet(ip4, false, sizeof(ip4), 0x44);
	ip_packet(ip6, true, sizeof(ip6), 0x66);

	/* closed: nothing crosses, in either direction */
	len = sstp_data(pkt, h_full4, sizeof(h_full4), ip4, sizeof(ip4));
	peer_send(c->peer, pkt, len);
	len = sstp_data(pkt, h_six, sizeof(h_six), ip6, sizeof(ip6));
	peer_send(c->peer, pkt, len);
	for (i = 0; i < (int)(sizeof(others) / sizeof(others[0])); i++) {
		len = sstp_data(pkt, others[i], 2, ip4, 40);
		peer_send(c->peer, pkt, len);
	}
	got = 0;
	for (i = 0; i < (int)(sizeof(others) / sizeof(others[0])); i++) {
		unsigned char want[42];

		memcpy(want, others[i], 2);
		memcpy(want + 2, ip4, 40);
		got += expect_ppp_up(c, want, sizeof(want));
	}
	CHECK(got == 5, "MPLS, IPX, AppleTalk, NetBIOS and an unknown protocol go to the daemon (%d)",
	      got);
	n = dev_recv(pfd, buf, sizeof(buf), 500);
	CHECK(n == -ETIMEDOUT, "with the gate closed no IP reaches the device (%d)", n);
	CHECK(dev_send(pfd, c->ifname, ip4, sizeof(ip4)) == 0, "the stack sends IPv4 on the device");
	CHECK(dev_send(pfd, c->ifname, ip6, sizeof(ip6)) == 0, "and IPv6");
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 500);
	CHECK(n == -ETIMEDOUT, "with the gate closed the peer gets nothing (%d)", n);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_RX_GATED] == 2 && r.stats[SSTP_STATS_A_TX_GATED] == 2,
	      "counted: rx gated %llu, tx gated %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_GATED],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_GATED]);

	/* IPv4 open: every header form, and the way out */
	CHECK(!sstp_genl_session_set(&c->nl, c->id, SSTP_PASS_IPV4), "open IPv4");
	got = 0;
	len = sstp_data(pkt, h_full4, sizeof(h_full4), ip4, sizeof(ip4));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 5000);
	got += n == (int)sizeof(ip4) && !memcmp(buf, ip4, sizeof(ip4));
	len = sstp_data(pkt, h_pfc4, sizeof(h_pfc4), ip4, sizeof(ip4));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 5000);
	got += n == (int)sizeof(ip4) && !memcmp(buf, ip4, sizeof(ip4));
	len = sstp_data(pkt, h_acfc4, sizeof(h_acfc4), ip4, sizeof(ip4));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 5000);
	got += n == (int)sizeof(ip4) && !memcmp(buf, ip4, sizeof(ip4));
	CHECK(got == 3, "IPv4 with FF 03 + 2-byte, 1-byte and 2-byte protocols reaches the device (%d)",
	      got);
	len = sstp_data(pkt, h_six, sizeof(h_six), ip6, sizeof(ip6));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 500);
	CHECK(n == -ETIMEDOUT, "IPv6 still does not (%d)", n);
	CHECK(dev_send(pfd, c->ifname, ip4, sizeof(ip4)) == 0 &&
	      dev_send(pfd, c->ifname, ip6, sizeof(ip6)) == 0, "send IPv4 and IPv6 on the device");
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == 8 + (int)sizeof(ip4) && buf[4] == 0xff && buf[5] == 0x03 && buf[6] == 0 &&
	      buf[7] == 0x21 && !memcmp(buf + 8, ip4, sizeof(ip4)),
	      "the peer gets IPv4 with FF 03 00 21 (%d bytes)", n);
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 500);
	CHECK(n == -ETIMEDOUT, "but no IPv6 (%d)", n);

	/* IPv6 open too, then IPv4 closed again */
	CHECK(!sstp_genl_session_set(&c->nl, c->id, SSTP_PASS_IPV6), "IPv6 open, IPv4 closed");
	len = sstp_data(pkt, h_both6, sizeof(h_both6), ip6, sizeof(ip6));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 5000);
	CHECK(n == (int)sizeof(ip6) && !memcmp(buf, ip6, sizeof(ip6)),
	      "IPv6 (FF 03, 1-byte protocol) reaches the device (%d)", n);
	len = sstp_data(pkt, h_pfc4, sizeof(h_pfc4), ip4, sizeof(ip4));
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 500);
	CHECK(n == -ETIMEDOUT, "IPv4 is held back again (%d)", n);
	/* the gate also holds for other protocols while open */
	len = sstp_data(pkt, others[0], 2, ip4, 40);
	peer_send(c->peer, pkt, len);
	{
		unsigned char want[42];

		memcpy(want, others[0], 2);
		memcpy(want + 2, ip4, 40);
		CHECK(expect_ppp_up(c, want, sizeof(want)), "MPLS still goes to the daemon");
	}
	n = dev_recv(pfd, buf, sizeof(buf), 300);
	CHECK(n == -ETIMEDOUT, "and never to the device (%d)", n);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_RX_PACKETS] == 4 && r.stats[SSTP_STATS_A_TX_PACKETS] == 1 &&
	      r.stats[SSTP_STATS_A_RX_GATED] == 4 && r.stats[SSTP_STATS_A_TX_GATED] == 3,
	      "counters: rx %llu tx %llu, gated rx %llu tx %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_PACKETS],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PACKETS],
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_GATED],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_GATED]);
	close(pfd);
	return 0;
}

/* `ip link del` of the device ends the session. */
static int scenario_devdel(struct peer_ctx *c)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "ip link del dev %s", c->ifname);
	CHECK(system(cmd) == 0, "%s", cmd);
	expect_down(c, SSTP_DOWN_DEV_DELETED, 5000, "device deleted");
	return 0;
}

/*
 * A peer that floods control traffic and never reads: the daemon's answers
 * (ppp-send) and the kernel's echo replies fill the socket, then the
 * control queue, which refuses more (counted); nothing grows, and after a
 * hello interval without progress the session is cut off.
 */
static int scenario_ctrlflood(struct peer_ctx *c)
{
	static unsigned char lcp[1400];
	unsigned char pkt[1500];
	struct sstp_genl_msg r, ev;
	int err, refused = 0, sent = 0, i;
	uint64_t deadline = loop_now() + 15000;
	size_t len;
	int rcvbuf = 4096;

	/* a small window, so that the stream stalls soon */
	setsockopt(c->peer, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	lcp[0] = 0xc0;
	lcp[1] = 0x21;
	lcp[2] = 9;	/* Echo-Request */
	len = sstp_data(pkt, (const unsigned char *)"", 0, lcp, sizeof(lcp));
	while (loop_now() < deadline) {
		/* the peer keeps sending (what a flood is), 8 frames a turn */
		for (i = 0; i < 8; i++)
			if (ktls_send_record(c->peer, 23, pkt, len, MSG_DONTWAIT) == (ssize_t)len)
				sent++;
		peer_send(c->peer, echo_req, sizeof(echo_req));
		/* and the daemon answers each LCP frame it gets (until the
		 * session is gone: then its session-down is what counts) */
		while (!nl_event(&c->nl, SSTP_CMD_PPP_RECV, &ev, 0)) {
			err = sstp_genl_ppp_send(&c->nl, c->id, ev.data, ev.data_len);
			refused += err == -ENOBUFS;
			if (err && err != -ENOBUFS)
				break;
		}
		if (!nl_event(&c->nl, SSTP_CMD_SESSION_DOWN, &ev, 20)) {
			CHECK(ev.reason == SSTP_DOWN_TX_STALLED,
			      "the session is cut off: reason %u (tx-stalled)", ev.reason);
			CHECK(ev.stats[SSTP_STATS_A_TX_CTRL_DROPPED] > 0 && refused > 0,
			      "control packets were refused, not queued (%llu refused, %d by ppp-send)",
			      (unsigned long long)ev.stats[SSTP_STATS_A_TX_CTRL_DROPPED], refused);
			printf("# peer sent %d frames; daemon answered until refused\n", sent);
			return 0;
		}
	}
	err = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(0, "the flooding peer was not cut off in 15 s (get %d, tx ctrl dropped %llu)", err,
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_CTRL_DROPPED]);
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
	static const unsigned char h4[] = { 0x00, 0x21 };
	unsigned char buf[256], ip4[100], pkt[200];
	struct sstp_genl_msg ev, r = { 0 };
	size_t len;
	int n, err, pfd;

	peer_send(c->peer, data, sizeof(data));
	CHECK(expect_ppp_up(c, data + 6, 6),
	      "a data packet with reserved bits set reaches the daemon as ppp-recv");
	CHECK(!sstp_genl_session_set(&c->nl, c->id, SSTP_PASS_IPV4), "open IPv4");
	dev_set_up(c->ifname, true);
	pfd = dev_packet_socket(c->ifname);
	ip_packet(ip4, false, sizeof(ip4), 0x44);
	len = sstp_data(pkt, h4, sizeof(h4), ip4, sizeof(ip4));
	pkt[1] |= 0xfe;
	pkt[2] |= 0xf0;
	peer_send(c->peer, pkt, len);
	n = dev_recv(pfd, buf, sizeof(buf), 5000);
	CHECK(n == (int)sizeof(ip4) && !memcmp(buf, ip4, sizeof(ip4)),
	      "so does IPv4 on the device (%d bytes)", n);
	close(pfd);
	peer_send(c->peer, ctrl, sizeof(ctrl));
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.data_len == sizeof(ctrl) && !memcmp(ev.data, ctrl, sizeof(ctrl)),
	      "a control packet with reserved bits set goes to the daemon as sent");
	peer_send(c->peer, echo, sizeof(echo));
	n = peer_recv_pkt(c->peer, buf, sizeof(buf), 5000);
	CHECK(n == sizeof(echo_resp) && !memcmp(buf, echo_resp, sizeof(echo_resp)),
	      "an ECHO_REQUEST with reserved bits set is answered (%d bytes)", n);
	CHECK(!sstp_genl_session_get(&c->nl, c->id, &r), "the session lives on");
	CHECK(r.stats[SSTP_STATS_A_RX_MALFORMED] == 0, "nothing counted as malformed (%llu)",
	      (unsigned long long)r.stats[SSTP_STATS_A_RX_MALFORMED]);
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
	CHECK(!err && ev.data_len == sizeof(ccr) && !memcmp(ev.data, ccr, sizeof(ccr)),
	      "a packet sent a byte per record is reassembled");
	/* two packets, split in the middle of the second header */
	memcpy(two, ccr, sizeof(ccr));
	memcpy(two + sizeof(ccr), ccr, sizeof(ccr));
	peer_send(c->peer, two, sizeof(ccr) + 2);
	peer_send(c->peer, two + sizeof(ccr) + 2, sizeof(ccr) - 2);
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	err |= nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.data_len == sizeof(ccr), "a header split across records");
	return 0;
}

static int scenario_pending(struct peer_ctx *c)
{
	struct sstp_genl_msg ev;
	int err;

	/* peer_setup passed ccr + the first 5 bytes of another ccr */
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.data_len == sizeof(ccr), "a packet in the pending bytes is delivered first");
	peer_send(c->peer, ccr + 5, sizeof(ccr) - 5);
	err = nl_event(&c->nl, SSTP_CMD_CTRL_RECV, &ev, 5000);
	CHECK(!err && ev.data_len == sizeof(ccr) && !memcmp(ev.data, ccr, sizeof(ccr)),
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
	uint32_t id2 = 0;

	ktls_pair(&kern, &peer);
	nl_must_open(&nl2);
	err = session_new(&nl2, kern, 0, &id2, NULL);
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
	if (session_new(&c->nl, kern, 0, &c->id, NULL))
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
	uint32_t ids[N];
	struct sstp_genl_msg ev;

	for (int i = 0; i < N; i++) {
		ktls_pair(&kern[i], &peer[i]);
		if (session_new(&c->nl, kern[i], 5, &ids[i], NULL))
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
 * Flow control: IP packets sent on the device while the peer does not read
 * fill the socket, then the bytes BQL allows; the device queue stops and
 * the qdisc holds the rest (and refuses more: the sender retries). When the
 * peer reads, everything arrives, in order, and nothing was dropped. The
 * qdisc is a plain FIFO here: the default fq_codel would drop from its
 * queue to keep latency down (what it is for), which no sender hears of.
 */
static int scenario_flow(struct peer_ctx *c)
{
	enum { N = 3000, LEN = 1400 };
	static unsigned char ip[LEN], buf[4096];
	struct sstp_genl_msg r;
	int pfd, n, i, err, status, refused = 0;
	pid_t reader;
	uint64_t deadline;

	char cmd[96];

	CHECK(!sstp_genl_session_set(&c->nl, c->id, SSTP_PASS_IPV4), "open IPv4");
	dev_set_up(c->ifname, true);
	snprintf(cmd, sizeof(cmd), "tc qdisc replace dev %s root pfifo limit 1000", c->ifname);
	CHECK(system(cmd) == 0, "%s", cmd);
	pfd = dev_packet_socket(c->ifname);
	ip_packet(ip, false, LEN, 0);
	/* until the qdisc is full: nobody reads yet */
	for (i = 0; i < N; i++) {
		ip[20] = (unsigned char)(i >> 8);
		ip[21] = (unsigned char)i;
		err = dev_send(pfd, c->ifname, ip, LEN);
		if (err == -ENOBUFS)
			break;
		if (err)
			DIE("send %d: %s", i, strerror(-err));
	}
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_TX_STOPPED] > 0,
	      "the device queue stopped (%llu times) after %d packets",
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_STOPPED], i);

	reader = fork();
	if (reader == 0) {
		for (int k = 0; k < N; k++) {
			n = peer_recv_pkt(c->peer, buf, sizeof(buf), 10000);
			if (n != LEN + 8 || buf[8 + 20] != (unsigned char)(k >> 8) ||
			    buf[8 + 21] != (unsigned char)k) {
				printf("# packet %d: length %d, number %u\n", k, n,
				       n > 30 ? buf[28] << 8 | buf[29] : 0);
				exit(1);
			}
		}
		exit(0);
	}
	/* the rest, retrying while the qdisc is full (an upper bound: the
	 * debug kernel on a busy machine needed more than 30 s) */
	deadline = loop_now() + 120000;
	while (i < N && loop_now() < deadline) {
		ip[20] = (unsigned char)(i >> 8);
		ip[21] = (unsigned char)i;
		err = dev_send(pfd, c->ifname, ip, LEN);
		if (!err) {
			i++;
		} else if (err == -ENOBUFS) {
			refused++;
			poll(NULL, 0, 1);	/* the qdisc drains as the peer reads */
		} else {
			DIE("send %d: %s", i, strerror(-err));
		}
	}
	waitpid(reader, &status, 0);
	CHECK(i == N && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "%d packets of %d bytes arrived in order (%d sent, qdisc full %d times)", N, LEN,
	      i, refused);
	n = sstp_genl_session_get(&c->nl, c->id, &r);
	CHECK(!n && r.stats[SSTP_STATS_A_TX_PACKETS] == N && r.stats[SSTP_STATS_A_TX_DROPPED] == 0,
	      "counters: tx %llu dropped %llu, records %llu",
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_PACKETS],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_DROPPED],
	      (unsigned long long)r.stats[SSTP_STATS_A_TX_RECORDS]);
	close(pfd);
	return 0;
}

static int cmd_peer(const char *scenario)
{
	struct peer_ctx c;
	unsigned char pending[sizeof(ccr) + 5];
	int hello = -1;

	memcpy(pending, ccr, sizeof(ccr));
	memcpy(pending + sizeof(ccr), ccr, 5);
	if (!strcmp(scenario, "hello") || !strcmp(scenario, "ctrlflood"))
		hello = 1;
	if (!strcmp(scenario, "pending"))
		peer_setup(&c, hello, pending, sizeof(pending));
	else
		peer_setup(&c, hello, NULL, 0);
	printf("# scenario %s: session %u device %s\n", scenario, c.id, c.ifname);

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
	else if (!strcmp(scenario, "gate"))
		scenario_gate(&c);
	else if (!strcmp(scenario, "devdel"))
		scenario_devdel(&c);
	else if (!strcmp(scenario, "ctrlflood"))
		scenario_ctrlflood(&c);
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
	struct sstp_genl_new req = { .server = server, .mtu = 1400, .ifname = "sstpt%d" };
	struct sstp_genl_created cr;
	struct sstp_genl nl;
	const char *mtu = getenv("SSTP_TEST_MTU");
	int fd, err;

	if (mtu)
		req.mtu = (unsigned int)atoi(mtu);
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
	err = sstp_genl_session_new(&nl, &req, &cr);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), nl.err);
	/* what the daemon does once the call is connected and IPCP/IPV6CP are up */
	err = sstp_genl_session_set(&nl, cr.id, SSTP_PASS_IPV4 | SSTP_PASS_IPV6);
	if (err)
		DIE("session-set: %s (%s)", strerror(-err), nl.err);
	printf("dev %s session %u pid %d\n", cr.ifname, cr.id, (int)getpid());
	fflush(stdout);

	wait_until_stopped(&nl, cr.id);
	sstp_genl_close(&nl);
	close(fd);
	return 0;
}

static int cmd_hold(void)
{
	struct sstp_genl nl;
	struct sstp_genl_created cr;
	int kern, peer, err;
	uint32_t id;

	nl_must_open(&nl);
	ktls_pair(&kern, &peer);
	err = session_new(&nl, kern, 0, &id, &cr);
	if (err)
		DIE("session-new: %s (%s)", strerror(-err), nl.err);
	printf("session %u dev %s pid %d\n", id, cr.ifname, (int)getpid());
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
	ssize_t maxlen = 0;
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
		if (n > maxlen)
			maxlen = n;
	}
	fclose(out);
	printf("frames %lu maxlen %zd\n", frames, maxlen);
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

static int cmd_stats(void)
{
	static const char *const names[SSTP_STATS_A_MAX + 1] = {
		[SSTP_STATS_A_RX_PACKETS] = "rx_packets", [SSTP_STATS_A_RX_BYTES] = "rx_bytes",
		[SSTP_STATS_A_TX_PACKETS] = "tx_packets", [SSTP_STATS_A_TX_BYTES] = "tx_bytes",
		[SSTP_STATS_A_RX_CTRL] = "rx_ctrl", [SSTP_STATS_A_TX_CTRL] = "tx_ctrl",
		[SSTP_STATS_A_RX_PPP] = "rx_ppp", [SSTP_STATS_A_TX_PPP] = "tx_ppp",
		[SSTP_STATS_A_RX_MALFORMED] = "rx_malformed", [SSTP_STATS_A_RX_ERRORS] = "rx_errors",
		[SSTP_STATS_A_RX_GATED] = "rx_gated", [SSTP_STATS_A_TX_GATED] = "tx_gated",
		[SSTP_STATS_A_TX_DROPPED] = "tx_dropped", [SSTP_STATS_A_CTRL_DROPPED] = "ctrl_dropped",
		[SSTP_STATS_A_TX_CTRL_DROPPED] = "tx_ctrl_dropped",
		[SSTP_STATS_A_ECHO_ANSWERED] = "echo_answered", [SSTP_STATS_A_ECHO_SENT] = "echo_sent",
		[SSTP_STATS_A_HELLO_TIMEOUTS] = "hello_timeouts", [SSTP_STATS_A_TX_STOPPED] = "tx_stopped",
		[SSTP_STATS_A_TX_GSO] = "tx_gso", [SSTP_STATS_A_RX_COPIED] = "rx_copied",
		[SSTP_STATS_A_TX_RECORDS] = "tx_records",
	};
	struct sstp_genl_msg *m;
	struct sstp_genl nl;
	size_t n, i;
	int a;

	nl_must_open(&nl);
	if (sstp_genl_session_dump(&nl, &m, &n))
		DIE("dump: %s", nl.err);
	for (i = 0; i < n; i++) {
		printf("session %u ifindex %u pass %u", m[i].id, m[i].ifindex, m[i].pass);
		for (a = SSTP_STATS_A_PAD + 1; a <= SSTP_STATS_A_MAX; a++)
			if (names[a])
				printf(" %s=%llu", names[a], (unsigned long long)m[i].stats[a]);
		printf("\n");
	}
	free(m);
	sstp_genl_close(&nl);
	return 0;
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
	if (argc >= 2 && !strcmp(argv[1], "stats"))
		return cmd_stats();
	fprintf(stderr, "usage: sstp_nltest contract | peer SCENARIO | tunnel server|client ADDR PORT [HELLO] | hold | del ID | count\n");
	return 2;
}
