// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A server engine and a client engine wired back to back, with a simulated
 * clock: every frame one sends is delivered to the other (possibly
 * rewritten, dropped or inspected on the way), and time only moves when
 * nothing is in flight, jumping to the next engine deadline.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <time.h>

#include "test.h"

#include "ppp/mschap.h"
#include "ppp/ppp.h"

#define MAXQ 64

struct frame {
	uint8_t *p;
	size_t len;
};

struct end {
	const char *tag;
	struct ppp *ppp;
	uint64_t rng;
	struct frame q[MAXQ];		/* frames sent, not yet delivered */
	size_t nq;
	/* What the callbacks saw. */
	int n_auth, n_v4, n_v6, n_down, n_data, n_ncp_down;
	uint16_t ncp_down_proto;
	struct ppp_auth_info auth;
	char peer_name[256];
	struct ppp_ipv4_info v4;
	struct ppp_ipv6_info v6;
	enum ppp_down_reason reason;
	char down_text[256];
	uint64_t down_at;
	uint16_t data_proto;
	uint8_t data[256];
	size_t data_len;
	int auth_verdict;		/* what the auth callback returns */
	bool assign_in_auth;		/* server: ppp_set_ipv4 from auth cb */
	/* Link behaviour towards this end. */
	bool deaf;			/* drop everything sent to it */
	uint16_t drop_proto;		/* drop frames of this protocol... */
	int drop_n;			/* ...this many times */
	bool strip_ff03, compress_proto; /* rewrite frames sent to it */
	uint8_t dropped[600];		/* the last frame dropped on the way */
	size_t dropped_len;
	/* Server: what auth_hold answers, and what the engine reported. */
	uint32_t hold_ms;
	bool hold_refuse;
	int n_hold, n_failed;
	uint64_t hold_at;
	char failed_name[300], failed_why[64];
	enum ppp_auth failed_method;
	char logs[4096];		/* every log text, one per line */
	int n_rx;			/* frames delivered to it */
	uint16_t seen_proto[512];
	uint8_t seen_code[512];
};

struct pair {
	struct end srv, cli;
	uint64_t now;
};

/* The simulated clock, for callbacks that want to note the time. */
static uint64_t *sim_now;

static const char *secrets[][2] = {
	{ "alice", "alice-pw" },
	{ "User", "clientPass" },
	{ "CORP\\bob", "b0b" },
};

static int get_secret(void *ctx, const char *name, uint8_t *secret, size_t size)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		if (!strcmp(secrets[i][0], name)) {
			size_t n = strlen(secrets[i][1]);

			if (n > size)
				return -ENOSPC;
			memcpy(secret, secrets[i][1], n);
			return (int)n;
		}
	}
	return -ENOENT;
}

static void cb_send(void *ctx, const uint8_t *f, size_t len)
{
	struct end *e = ctx;

	if (e->nq == MAXQ)
		abort();
	e->q[e->nq].p = malloc(len);
	memcpy(e->q[e->nq].p, f, len);
	e->q[e->nq].len = len;
	e->nq++;
}

static int cb_auth(void *ctx, const struct ppp_auth_info *info)
{
	struct end *e = ctx;

	e->n_auth++;
	e->auth = *info;
	snprintf(e->peer_name, sizeof(e->peer_name), "%s", info->peer_name);
	e->auth.peer_name = e->peer_name;
	if (e->assign_in_auth) {
		struct in_addr l, p;

		inet_pton(AF_INET, "10.9.0.1", &l);
		inet_pton(AF_INET, "10.9.0.77", &p);
		ppp_set_ipv4(e->ppp, l, p);
	}
	return e->auth_verdict;
}

static void cb_v4(void *ctx, const struct ppp_ipv4_info *i)
{
	struct end *e = ctx;

	e->n_v4++;
	e->v4 = *i;
}

static void cb_v6(void *ctx, const struct ppp_ipv6_info *i)
{
	struct end *e = ctx;

	e->n_v6++;
	e->v6 = *i;
}

static void cb_ncp_down(void *ctx, uint16_t proto)
{
	struct end *e = ctx;

	e->n_ncp_down++;
	e->ncp_down_proto = proto;
}

static void cb_data(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	struct end *e = ctx;

	e->n_data++;
	e->data_proto = proto;
	e->data_len = len < sizeof(e->data) ? len : sizeof(e->data);
	memcpy(e->data, p, e->data_len);
}

static void cb_down(void *ctx, enum ppp_down_reason r, const char *text)
{
	struct end *e = ctx;

	e->n_down++;
	e->down_at = *sim_now;
	e->reason = r;
	snprintf(e->down_text, sizeof(e->down_text), "%s", text);
}

static void cb_log(void *ctx, int prio, const char *msg)
{
	struct end *e = ctx;
	size_t n = strlen(e->logs);

	if (getenv("PPP_TEST_LOG"))
		fprintf(stderr, "[%s] %s\n", e->tag, msg);
	snprintf(e->logs + n, sizeof(e->logs) - n, "%s\n", msg);
	(void)prio;
}

static uint32_t cb_auth_hold(void *ctx, const char *name, bool *refuse)
{
	struct end *e = ctx;

	(void)name;
	e->n_hold++;
	e->hold_at = *sim_now;
	*refuse = e->hold_refuse;
	return e->hold_ms;
}

static void cb_auth_failed(void *ctx, enum ppp_auth method, const char *name,
			   const char *why)
{
	struct end *e = ctx;

	e->n_failed++;
	e->failed_method = method;
	snprintf(e->failed_name, sizeof(e->failed_name), "%s", name);
	snprintf(e->failed_why, sizeof(e->failed_why), "%s", why);
}

static int cb_random(void *ctx, void *buf, size_t len)
{
	struct end *e = ctx;
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		e->rng ^= e->rng << 13;
		e->rng ^= e->rng >> 7;
		e->rng ^= e->rng << 17;
		b[i] = (uint8_t)e->rng;
	}
	return 0;
}

static const struct ppp_callbacks cbs = {
	.send = cb_send,
	.get_secret = get_secret,
	.auth = cb_auth,
	.ipv4_up = cb_v4,
	.ipv6_up = cb_v6,
	.ncp_down = cb_ncp_down,
	.data = cb_data,
	.link_down = cb_down,
	.log = cb_log,
	.random = cb_random,
	.auth_hold = cb_auth_hold,
	.auth_failed = cb_auth_failed,
};

static struct in_addr ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct ppp_config server_cfg(unsigned int auth)
{
	struct ppp_config c = {
		.role = PPP_ROLE_SERVER,
		.auth = auth,
		.name = "sstpd",
		.ipv4 = true,
		.ipv6 = true,
		.ipv4_local = ip("10.0.0.1"),
		.ipv4_peer = ip("10.0.0.2"),
		.dns = { ip("192.0.2.53"), ip("192.0.2.54") },
	};
	return c;
}

static struct ppp_config client_cfg(unsigned int auth, const char *user,
				    const char *pw)
{
	struct ppp_config c = {
		.role = PPP_ROLE_CLIENT,
		.auth = auth,
		.name = user,
		.password = pw,
		.ipv4 = true,
		.ipv6 = true,
		.request_dns = true,
	};
	return c;
}

/* With the server's callbacks of its own (scb), or the common ones. */
static void pair_init_cb(struct pair *p, const struct ppp_config *s,
			 const struct ppp_config *c, const struct ppp_callbacks *scb)
{
	memset(p, 0, sizeof(*p));
	p->now = 1000;
	sim_now = &p->now;
	p->srv.tag = "srv";
	p->cli.tag = "cli";
	p->srv.rng = 0x1234567887654321ull;
	p->cli.rng = 0x0fedcba987654321ull;
	if (ppp_new(s, scb ? scb : &cbs, &p->srv, &p->srv.ppp) ||
	    ppp_new(c, &cbs, &p->cli, &p->cli.ppp))
		abort();
}

static void pair_init(struct pair *p, const struct ppp_config *s,
		      const struct ppp_config *c)
{
	pair_init_cb(p, s, c, NULL);
}

static void pair_free(struct pair *p)
{
	struct end *ends[2] = { &p->srv, &p->cli };

	for (int i = 0; i < 2; i++) {
		for (size_t j = 0; j < ends[i]->nq; j++)
			free(ends[i]->q[j].p);
		ppp_free(ends[i]->ppp);
	}
}

/* Deliver one frame from `from` to `to`, rewriting it as `to` wants. */
static void deliver(struct pair *p, struct end *from, struct end *to)
{
	struct frame f = from->q[0];
	uint8_t buf[4200];
	size_t n = 0, off = 0;

	memmove(from->q, from->q + 1, (from->nq - 1) * sizeof(f));
	from->nq--;
	if (to->deaf || f.len < 4) {
		free(f.p);
		return;
	}
	if (to->drop_n && to->drop_proto == (uint16_t)(f.p[2] << 8 | f.p[3])) {
		to->drop_n--;
		to->dropped_len = f.len < sizeof(to->dropped) ? f.len : sizeof(to->dropped);
		memcpy(to->dropped, f.p, to->dropped_len);
		free(f.p);
		return;
	}
	if (to->n_rx < 512) {
		to->seen_proto[to->n_rx] = (uint16_t)(f.p[2] << 8 | f.p[3]);
		to->seen_code[to->n_rx] = f.len > 4 ? f.p[4] : 0;
	}
	to->n_rx++;
	if (!to->strip_ff03) {
		buf[n++] = 0xff;
		buf[n++] = 0x03;
	}
	off = 2;
	if (to->compress_proto && f.p[2] == 0 && (f.p[3] & 1)) {
		buf[n++] = f.p[3];
		off = 4;
	}
	memcpy(buf + n, f.p + off, f.len - off);
	n += f.len - off;
	free(f.p);
	ppp_input(to->ppp, buf, n, p->now);
}

/* Run until both queues are empty and the clock reaches `until`, or both
 * engines are dead. Time advances to the next deadline when idle. */
static void pair_run(struct pair *p, uint64_t until)
{
	for (int guard = 0; guard < 100000; guard++) {
		uint64_t d;

		if (p->srv.nq) {
			deliver(p, &p->srv, &p->cli);
			continue;
		}
		if (p->cli.nq) {
			deliver(p, &p->cli, &p->srv);
			continue;
		}
		d = ppp_deadline(p->srv.ppp);
		if (ppp_deadline(p->cli.ppp) < d)
			d = ppp_deadline(p->cli.ppp);
		if (d == PPP_NO_DEADLINE || d > until) {
			if (until != PPP_NO_DEADLINE && p->now < until)
				p->now = until;
			return;
		}
		if (d > p->now)
			p->now = d;
		ppp_timer(p->srv.ppp, p->now);
		ppp_timer(p->cli.ppp, p->now);
	}
	abort();
}

static void pair_start(struct pair *p)
{
	ppp_start(p->srv.ppp, p->now);
	ppp_start(p->cli.ppp, p->now);
}

static int count_seen(const struct end *e, uint16_t proto, uint8_t code)
{
	int n = 0;

	for (int i = 0; i < e->n_rx && i < 512; i++)
		if (e->seen_proto[i] == proto && e->seen_code[i] == code)
			n++;
	return n;
}

TEST(mschapv2_full_session)
{
	struct ppp_config s = server_cfg(PPP_AUTH_ALL);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "User", "clientPass");
	struct pair p;
	uint8_t pkt[64] = { 0x45, 0, 0, 20 }, hdr[PPP_IP_HDR_LEN], fr[80];

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);

	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.srv.auth.method, PPP_AUTH_MSCHAPV2);
	CHECK_INT(p.cli.auth.method, PPP_AUTH_MSCHAPV2);
	CHECK_STR(p.srv.peer_name, "User");
	CHECK_STR(p.cli.peer_name, "sstpd");
	CHECK(p.srv.auth.has_keys && p.cli.auth.has_keys);
	/* The two sides' keys mirror each other; the HLAK is the same. */
	CHECK_MEM(p.srv.auth.send_key, p.cli.auth.recv_key, 16);
	CHECK_MEM(p.srv.auth.recv_key, p.cli.auth.send_key, 16);
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	CHECK_MEM(p.cli.auth.hlak, p.cli.auth.send_key, 16);
	CHECK_MEM(p.cli.auth.hlak + 16, p.cli.auth.recv_key, 16);
	CHECK(memcmp(p.cli.auth.send_key, p.cli.auth.recv_key, 16) != 0);

	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK_INT(p.cli.v4.local.s_addr, ip("10.0.0.2").s_addr);
	CHECK_INT(p.cli.v4.peer.s_addr, ip("10.0.0.1").s_addr);
	CHECK_INT(p.cli.v4.dns[0].s_addr, ip("192.0.2.53").s_addr);
	CHECK_INT(p.cli.v4.dns[1].s_addr, ip("192.0.2.54").s_addr);
	CHECK_INT(p.srv.v4.local.s_addr, ip("10.0.0.1").s_addr);
	CHECK_INT(p.srv.v4.peer.s_addr, ip("10.0.0.2").s_addr);
	CHECK_INT(p.srv.v4.dns[0].s_addr, ip("192.0.2.53").s_addr);
	CHECK_INT(p.cli.v4.mtu, 1500);

	CHECK_INT(p.srv.n_v6, 1);
	CHECK_INT(p.cli.n_v6, 1);
	CHECK_MEM(p.srv.v6.local_id, p.cli.v6.peer_id, 8);
	CHECK_MEM(p.srv.v6.peer_id, p.cli.v6.local_id, 8);
	CHECK(memcmp(p.srv.v6.local_id, p.srv.v6.peer_id, 8) != 0);
	CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_NETWORK);
	CHECK(ppp_ipv4_is_up(p.cli.ppp) && ppp_ipv6_is_up(p.cli.ppp));

	/* An IPv4 packet from the client reaches the server intact. */
	pkt[19] = 0x42;
	CHECK_INT(ppp_ip_header(hdr, pkt, 20), PPP_IP_HDR_LEN);
	memcpy(fr, hdr, 4);
	memcpy(fr + 4, pkt, 20);
	CHECK_INT(ppp_input(p.srv.ppp, fr, 24, p.now), 0);
	CHECK_INT(p.srv.n_data, 1);
	CHECK_INT(p.srv.data_proto, PPP_PROTO_IPV4);
	CHECK_INT(p.srv.data_len, 20);
	CHECK_MEM(p.srv.data, pkt, 20);
	/* Without FF 03, and with a 1-byte protocol, too. */
	CHECK_INT(ppp_input(p.srv.ppp, fr + 2, 22, p.now), 0);
	CHECK_INT(p.srv.n_data, 2);
	fr[3] = 0x21;
	CHECK_INT(ppp_input(p.srv.ppp, fr + 3, 21, p.now), 0);
	CHECK_INT(p.srv.n_data, 3);
	CHECK_MEM(p.srv.data, pkt, 20);
	/* IPv6 the other way. */
	pkt[0] = 0x60;
	CHECK_INT(ppp_ip_header(hdr, pkt, 40), PPP_IP_HDR_LEN);
	CHECK_INT(hdr[3], 0x57);
	memcpy(fr, hdr, 4);
	memcpy(fr + 4, pkt, 40);
	CHECK_INT(ppp_input(p.cli.ppp, fr, 44, p.now), 0);
	CHECK_INT(p.cli.n_data, 1);
	CHECK_INT(p.cli.data_proto, PPP_PROTO_IPV6);
	pkt[0] = 0x10;
	CHECK_INT(ppp_ip_header(hdr, pkt, 20), -EINVAL);

	/* The client hangs up: Terminate-Request, Terminate-Ack. */
	ppp_close(p.cli.ppp, "user request", p.now);
	pair_run(&p, p.now + 20000);
	CHECK_INT(p.cli.n_down, 1);
	CHECK_INT(p.cli.reason, PPP_DOWN_CLOSED);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_PEER_TERMINATED);
	CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_DEAD);
	CHECK_INT(ppp_deadline(p.srv.ppp), PPP_NO_DEADLINE);
	CHECK_INT(p.srv.n_ncp_down, 2);
	pair_free(&p);
}

/* The server's HLAK equals what RFC 3079 gives for the negotiated values. */
TEST(mschapv2_keys_match_rfc3079)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_MSCHAPV2, "alice", "alice-pw");
	struct pair p;

	s.ipv6 = c.ipv6 = false;
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.cli.auth.method, PPP_AUTH_MSCHAPV2);
	CHECK(p.cli.auth.has_keys);
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	CHECK_INT(p.cli.n_v6, 0);
	CHECK_INT(p.cli.n_v4, 1);
	pair_free(&p);
}

static void run_auth(struct pair *p, unsigned int srv_auth, unsigned int cli_auth,
		     const char *user, const char *pw)
{
	struct ppp_config s = server_cfg(srv_auth);
	struct ppp_config c = client_cfg(cli_auth, user, pw);

	pair_init(p, &s, &c);
	pair_start(p);
	pair_run(p, p->now + 60000);
}

TEST(chap_md5_right_password)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_CHAP_MD5, PPP_AUTH_ALL, "alice", "alice-pw");
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.srv.auth.method, PPP_AUTH_CHAP_MD5);
	CHECK_STR(p.srv.peer_name, "alice");
	CHECK(!p.srv.auth.has_keys);
	CHECK_INT(p.cli.auth.method, PPP_AUTH_CHAP_MD5);
	for (int i = 0; i < 32; i++)
		CHECK_INT(p.cli.auth.hlak[i], 0);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK_INT(p.cli.n_down, 0);
	pair_free(&p);
}

TEST(pap_right_password)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_PAP, PPP_AUTH_ALL, "alice", "alice-pw");
	CHECK_INT(p.srv.auth.method, PPP_AUTH_PAP);
	CHECK_STR(p.srv.peer_name, "alice");
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK_INT(p.srv.n_v6, 1);
	CHECK_INT(p.cli.n_down, 0);
	pair_free(&p);
}

#define CHECK_AUTH_FAILED(p)                                          \
	do {                                                          \
		CHECK_INT((p)->srv.n_auth, 0);                        \
		CHECK_INT((p)->cli.n_auth, 0);                        \
		CHECK_INT((p)->srv.n_v4 + (p)->cli.n_v4, 0);          \
		CHECK_INT((p)->srv.n_down, 1);                        \
		CHECK_INT((p)->cli.n_down, 1);                        \
		CHECK_INT((p)->srv.reason, PPP_DOWN_AUTH_FAILED);     \
		CHECK_INT((p)->cli.reason, PPP_DOWN_AUTH_FAILED);     \
	} while (0)

TEST(mschapv2_wrong_password)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_MSCHAPV2, PPP_AUTH_ALL, "alice", "wrong");
	CHECK_AUTH_FAILED(&p);
	CHECK(strstr(p.srv.down_text, "wrong password"));
	CHECK(strstr(p.cli.down_text, "E=691"));
	pair_free(&p);
}

TEST(chap_md5_wrong_password)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_CHAP_MD5, PPP_AUTH_ALL, "alice", "wrong");
	CHECK_AUTH_FAILED(&p);
	pair_free(&p);
}

TEST(pap_wrong_password)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_PAP, PPP_AUTH_ALL, "alice", "wrong");
	CHECK_AUTH_FAILED(&p);
	pair_free(&p);
}

TEST(unknown_user)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_MSCHAPV2, PPP_AUTH_ALL, "mallory", "x");
	CHECK_AUTH_FAILED(&p);
	CHECK(strstr(p.srv.down_text, "unknown user"));
	pair_free(&p);
}

/* A refused credential is reported once, with the name as sent and why;
 * the engine's own texts never carry the peer's name (it may hold
 * anything: here a newline). */
TEST(auth_failed_reported_name_kept_out_of_texts)
{
	static const char *const user[] = { "alice", "mal\nlory" };
	static const char *const why[] = { "wrong password", "unknown user" };
	static const unsigned int m[] = { PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2 };
	struct pair p;

	for (int u = 0; u < 2; u++) {
		for (int i = 0; i < 3; i++) {
			run_auth(&p, m[i], PPP_AUTH_ALL, user[u], "wrong");
			CHECK_AUTH_FAILED(&p);
			CHECK_INT(p.srv.n_hold, 1);
			CHECK_INT(p.srv.n_failed, 1);
			CHECK_INT(p.srv.failed_method, m[i]);
			CHECK_STR(p.srv.failed_name, user[u]);
			CHECK_STR(p.srv.failed_why, why[u]);
			CHECK(!strstr(p.srv.down_text, user[u]));
			CHECK(!strstr(p.srv.logs, user[u]));
			pair_free(&p);
		}
	}
}

/* auth_hold's delay: the credential waits, the peer's retransmissions wait
 * with it, and it is checked (once) when the time has come. */
TEST(auth_hold_delays_the_check)
{
	static const unsigned int m[] = { PPP_AUTH_PAP, PPP_AUTH_MSCHAPV2 };
	struct ppp_config s, c;
	struct pair p;
	uint64_t t0;

	for (int i = 0; i < 2; i++) {
		s = server_cfg(m[i]);
		c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
		pair_init(&p, &s, &c);
		p.srv.hold_ms = 4500;
		pair_start(&p);
		pair_run(&p, p.now + 100);
		t0 = p.srv.hold_at;
		CHECK_INT(p.srv.n_hold, 1);
		CHECK_INT(p.srv.n_auth, 0);
		CHECK(ppp_deadline(p.srv.ppp) <= t0 + 4500);
		pair_run(&p, t0 + 4499);
		CHECK_INT(p.srv.n_auth, 0);
		CHECK_INT(p.cli.n_down, 0);
		pair_run(&p, t0 + 4600);
		CHECK_INT(p.srv.n_hold, 1);
		CHECK_INT(p.srv.n_auth, 1);
		CHECK_INT(p.cli.n_auth, 1);
		pair_run(&p, p.now + 100);
		CHECK_INT(p.cli.n_v4, 1);
		CHECK_INT(p.srv.n_failed, 0);
		pair_free(&p);
	}
}

/* A lockout refuses even the right password, the way a wrong one is. */
TEST(auth_hold_refuses_the_right_password)
{
	static const unsigned int m[] = { PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2 };
	struct ppp_config s, c;
	struct pair p;

	for (int i = 0; i < 3; i++) {
		s = server_cfg(m[i]);
		c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
		pair_init(&p, &s, &c);
		p.srv.hold_refuse = true;
		p.srv.hold_ms = 1000;
		pair_start(&p);
		pair_run(&p, p.now + 60000);
		CHECK_AUTH_FAILED(&p);
		CHECK_STR(p.srv.failed_why, "locked out");
		CHECK(!p.srv.auth.has_keys);
		if (m[i] == PPP_AUTH_MSCHAPV2)
			CHECK(strstr(p.cli.down_text, "E=691"));
		pair_free(&p);
	}
}

/* CPU time of the server checking one MS-CHAPv2 response from user, with
 * a password that is not the user's; summed over n fresh engines. */
static double mschapv2_check_cost(const char *user, int n)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_MSCHAPV2, user, "not-the-pw");
	struct timespec a, b;
	double total = 0;
	struct pair p;

	for (int i = 0; i < n; i++) {
		pair_init(&p, &s, &c);
		p.srv.drop_proto = PPP_PROTO_CHAP;
		p.srv.drop_n = 1;
		pair_start(&p);
		pair_run(&p, p.now + 100);
		if (!p.srv.dropped_len || p.srv.n_failed)
			abort();
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		ppp_input(p.srv.ppp, p.srv.dropped, p.srv.dropped_len, p.now);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
		if (p.srv.n_failed != 1)
			abort();
		total += (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
		pair_free(&p);
	}
	return total;
}

/* An unknown user name is checked as thoroughly as a known one: the
 * answer takes the same time, so it tells nobody which names exist. */
TEST(unknown_user_costs_what_a_known_one_does)
{
	double known = 0, unknown = 0;

	/* Interleaved, so that the machine's load hits both alike. */
	for (int round = 0; round < 4; round++) {
		known += mschapv2_check_cost("alice", 50);
		unknown += mschapv2_check_cost("mallory", 50);
	}
	if (unknown < 0.7 * known || unknown > 1.4 * known) {
		char m[128];

		snprintf(m, sizeof(m), "unknown user %.0f ns, known %.0f ns", unknown / 200,
			 known / 200);
		test_fail(__FILE__, __LINE__, m);
	}
}

TEST(mschapv2_domain_user)
{
	struct pair p;

	/* The secret is found by the full name; the hash uses "bob". */
	run_auth(&p, PPP_AUTH_MSCHAPV2, PPP_AUTH_ALL, "CORP\\bob", "b0b");
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_STR(p.srv.peer_name, "CORP\\bob");
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	pair_free(&p);
}

/* The client cannot do MS-CHAPv2: it Naks with PAP and the server, which
 * allows PAP, switches. */
TEST(auth_nak_to_pap)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_MSCHAPV2 | PPP_AUTH_PAP, PPP_AUTH_PAP, "alice",
		 "alice-pw");
	CHECK_INT(p.srv.auth.method, PPP_AUTH_PAP);
	CHECK_INT(p.cli.auth.method, PPP_AUTH_PAP);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK(count_seen(&p.srv, 0xc021, 3) >= 1);	/* a Configure-Nak */
	pair_free(&p);
}

TEST(auth_no_common_method)
{
	struct pair p;

	run_auth(&p, PPP_AUTH_MSCHAPV2, PPP_AUTH_PAP, "alice", "alice-pw");
	CHECK_INT(p.srv.n_auth + p.cli.n_auth, 0);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_NEGOTIATION);
	CHECK(strstr(p.srv.down_text, "authentication"));
	/* A Terminate-Request before LCP opened only restarts the peer's
	 * negotiation (RFC 1661), so the client gives up by itself. */
	CHECK_INT(p.cli.n_down, 1);
	CHECK_INT(p.cli.reason, PPP_DOWN_NEGOTIATION);
	pair_free(&p);
}

TEST(auth_callback_refuses)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &s, &c);
	p.srv.auth_verdict = -EACCES;
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_REJECTED);
	CHECK_INT(p.cli.n_auth, 0);
	CHECK_INT(p.cli.reason, PPP_DOWN_AUTH_FAILED);
	CHECK_INT(p.srv.n_v4 + p.cli.n_v4, 0);
	pair_free(&p);
}

/* The daemon picks the address once it knows who the user is. */
TEST(address_assigned_from_auth_callback)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	s.ipv4_peer.s_addr = 0;
	pair_init(&p, &s, &c);
	p.srv.assign_in_auth = true;
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK_INT(p.cli.v4.local.s_addr, ip("10.9.0.77").s_addr);
	CHECK_INT(p.cli.v4.peer.s_addr, ip("10.9.0.1").s_addr);
	pair_free(&p);
}

/* Peers that compress and drop FF 03 (as negotiated with PFC/ACFC). */
TEST(compressed_frames_accepted)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &s, &c);
	p.srv.strip_ff03 = p.srv.compress_proto = true;
	p.cli.strip_ff03 = true;
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.cli.n_v6, 1);
	pair_free(&p);
}

TEST(client_ipv4_only_rejects_ipv6cp)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	c.ipv6 = false;
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	/* The client Protocol-Rejects IPV6CP; IPv4 alone carries on. */
	CHECK(count_seen(&p.srv, 0xc021, 8) >= 1);
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.srv.n_v6, 0);
	CHECK_INT(p.srv.n_down + p.cli.n_down, 0);
	CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_NETWORK);
	pair_free(&p);
}

TEST(unknown_protocol_rejected)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	static const uint8_t ccp[] = { 0xff, 0x03, 0x80, 0xfd, 1, 1, 0, 4 };
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(ppp_input(p.srv.ppp, ccp, sizeof(ccp), p.now), 0);
	CHECK_INT(p.srv.nq, 1);
	/* LCP Protocol-Reject carrying 80 fd and the rejected packet. */
	CHECK_INT(p.srv.q[0].len, 4 + 4 + 2 + 4);
	CHECK_INT(p.srv.q[0].p[4], 8);
	CHECK_INT(p.srv.q[0].p[8], 0x80);
	CHECK_INT(p.srv.q[0].p[9], 0xfd);
	CHECK_MEM(p.srv.q[0].p + 10, ccp + 4, 4);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_down + p.cli.n_down, 0);
	pair_free(&p);
}

TEST(echo_request_answered)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	static const uint8_t echo[] = { 0xff, 0x03, 0xc0, 0x21, 9, 7, 0, 10,
					0, 0, 0, 0, 0xab, 0xcd };
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(ppp_input(p.srv.ppp, echo, sizeof(echo), p.now), 0);
	CHECK_INT(p.srv.nq, 1);
	CHECK_INT(p.srv.q[0].len, sizeof(echo));
	CHECK_INT(p.srv.q[0].p[4], 10);		/* Echo-Reply */
	CHECK_INT(p.srv.q[0].p[5], 7);		/* same id */
	CHECK_MEM(p.srv.q[0].p + 12, echo + 12, 2);
	pair_free(&p);
}

TEST(echo_keepalive_detects_dead_peer)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;
	uint64_t t0;

	s.echo_interval_ms = 10000;
	s.echo_max_fail = 3;
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 35000);	/* echoes answered: still up */
	CHECK_INT(p.srv.n_down, 0);
	CHECK(count_seen(&p.cli, 0xc021, 9) >= 3);
	p.cli.deaf = true;
	t0 = p.now;
	pair_run(&p, p.now + 100000);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_ECHO_TIMEOUT);
	/* Three echoes go unanswered, 10 s apart; the fourth interval ends
	 * it. t0 falls somewhere in the interval before the first. */
	CHECK(p.srv.down_at - t0 > 30000 && p.srv.down_at - t0 <= 40000);
	pair_free(&p);
}

/* A server that never answers: 10 Configure-Requests, 3 s apart, then down. */
TEST(lcp_timeout_silent_peer)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;
	uint64_t t0;

	pair_init(&p, &s, &c);
	p.srv.deaf = true;
	t0 = p.now;
	ppp_start(p.cli.ppp, p.now);
	pair_run(&p, p.now + 100000);
	CHECK_INT(p.cli.n_down, 1);
	CHECK_INT(p.cli.reason, PPP_DOWN_NEGOTIATION);
	CHECK_INT(p.srv.n_rx, 0);
	CHECK_INT(p.cli.down_at - t0, 30000);
	pair_free(&p);
}

TEST(auth_timeout_client_never_answers)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	s.auth_timeout_ms = 20000;
	pair_init(&p, &s, &c);
	pair_start(&p);
	/* Let LCP open, then make the server deaf to CHAP by dropping all. */
	while (ppp_phase(p.srv.ppp) != PPP_PHASE_AUTHENTICATE && p.srv.nq + p.cli.nq) {
		if (p.srv.nq)
			deliver(&p, &p.srv, &p.cli);
		else
			deliver(&p, &p.cli, &p.srv);
	}
	CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_AUTHENTICATE);
	p.srv.deaf = true;
	pair_run(&p, p.now + 100000);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_TIMEOUT);
	pair_free(&p);
}

TEST(close_before_start)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &s, &c);
	ppp_close(p.srv.ppp, "shutdown", p.now);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_CLOSED);
	CHECK_INT(p.srv.nq, 0);
	ppp_close(p.srv.ppp, "again", p.now);
	CHECK_INT(p.srv.n_down, 1);
	pair_free(&p);
}

/* Closing while the peer is gone: Terminate-Request twice, then down. */
TEST(close_peer_gone)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;
	uint64_t t0;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	p.cli.deaf = true;
	t0 = p.now;
	ppp_close(p.srv.ppp, "admin", p.now);
	CHECK_INT(p.srv.n_down, 0);
	pair_run(&p, p.now + 100000);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_CLOSED);
	CHECK_INT(p.srv.down_at - t0, 6000);
	pair_free(&p);
}

TEST(data_before_ncp_dropped)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	static const uint8_t f[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20 };
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	CHECK_INT(ppp_input(p.srv.ppp, f, sizeof(f), p.now), 0);
	CHECK_INT(p.srv.n_data, 0);
	/* Malformed frames: even 2-byte protocol, empty. */
	CHECK_INT(ppp_input(p.srv.ppp, (const uint8_t *)"\xff\x03\x00\x20", 4,
			    p.now), -EINVAL);
	CHECK_INT(ppp_input(p.srv.ppp, (const uint8_t *)"\xff\x03", 2, p.now),
		  -EINVAL);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_v4, 1);
	pair_free(&p);
}

TEST(bad_config_refused)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_ALL, "alice", NULL);
	struct ppp_callbacks nocb = cbs;
	struct ppp *ppp = NULL;
	struct end e = { .tag = "x" };

	CHECK_INT(ppp_new(&c, &cbs, &e, &ppp), -EINVAL);
	s.ipv4_local.s_addr = 0;
	CHECK_INT(ppp_new(&s, &cbs, &e, &ppp), -EINVAL);
	s = server_cfg(PPP_AUTH_PAP);
	nocb.get_secret = NULL;
	CHECK_INT(ppp_new(&s, &nocb, &e, &ppp), -EINVAL);
	CHECK(ppp == NULL);
	CHECK_INT(ppp_new(&s, &cbs, &e, &ppp), 0);
	ppp_free(ppp);
}

/* Slow or lossy peers: the side that speaks first in each method repeats
 * itself on the restart timer, and the answer to a repeat is the same. */
TEST(pap_request_repeated)
{
	struct ppp_config sc = server_cfg(PPP_AUTH_PAP);
	struct ppp_config cc = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &sc, &cc);
	p.srv.drop_proto = 0xc023;
	p.srv.drop_n = 2;
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_v4, 1);
	CHECK_INT(count_seen(&p.srv, 0xc023, 1), 1);
	pair_free(&p);
}

TEST(chap_challenge_repeated)
{
	struct ppp_config sc = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config cc = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &sc, &cc);
	/* The first response is lost: the server challenges again (same
	 * challenge), the client answers the same way, and it verifies. */
	p.srv.drop_proto = 0xc223;
	p.srv.drop_n = 1;
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(count_seen(&p.cli, 0xc223, 1), 2);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	pair_free(&p);
}

TEST(chap_md5_challenge_repeated)
{
	struct ppp_config sc = server_cfg(PPP_AUTH_CHAP_MD5);
	struct ppp_config cc = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &sc, &cc);
	p.cli.drop_proto = 0xc223;
	p.cli.drop_n = 3;		/* three challenges lost */
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_v4, 1);
	pair_free(&p);
}

TEST(chap_server_gives_up)
{
	struct ppp_config sc = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config cc = client_cfg(PPP_AUTH_ALL, "alice", "alice-pw");
	struct pair p;

	pair_init(&p, &sc, &cc);
	p.cli.drop_proto = 0xc223;
	p.cli.drop_n = 1000;
	pair_start(&p);
	pair_run(&p, p.now + 100000);
	/* Max-Configure challenges, then the auth timeout. */
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK_INT(p.srv.n_auth, 0);
	pair_free(&p);
}

/* One side closes IPCP while LCP and IPV6CP stay: both sides get ncp_down
 * for IPCP only, IPv4 packets are dropped while IPv6 ones still pass, and
 * reopening brings IPv4 back (ipv4_up again) on the same link. */
TEST(ipcp_closed_and_reopened_ipv6_stays)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_PAP, "alice", "alice-pw");
	static const uint8_t v4[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20 };
	static const uint8_t v6[] = { 0xff, 0x03, 0x00, 0x57, 0x60, 0, 0, 0 };
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK(ppp_ipv4_is_up(p.srv.ppp) && ppp_ipv6_is_up(p.srv.ppp));
	CHECK(ppp_ipv4_is_up(p.cli.ppp) && ppp_ipv6_is_up(p.cli.ppp));
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.cli.n_v4, 1);

	CHECK_INT(ppp_ncp_close(p.cli.ppp, PPP_PROTO_IPCP, p.now), 0);
	/* This-Layer-Down comes at once on the closing side... */
	CHECK_INT(p.cli.n_ncp_down, 1);
	CHECK_INT(p.cli.ncp_down_proto, PPP_PROTO_IPCP);
	CHECK(!ppp_ipv4_is_up(p.cli.ppp));
	pair_run(&p, p.now + 100);
	/* ...and with the Terminate-Request on the other. */
	CHECK_INT(p.srv.n_ncp_down, 1);
	CHECK_INT(p.srv.ncp_down_proto, PPP_PROTO_IPCP);
	CHECK(!ppp_ipv4_is_up(p.srv.ppp));
	CHECK(ppp_ipv6_is_up(p.srv.ppp) && ppp_ipv6_is_up(p.cli.ppp));
	CHECK_INT(ppp_input(p.srv.ppp, v4, sizeof(v4), p.now), 0);
	CHECK_INT(p.srv.n_data, 0);
	CHECK_INT(ppp_input(p.srv.ppp, v6, sizeof(v6), p.now), 0);
	CHECK_INT(p.srv.n_data, 1);
	CHECK_INT(p.srv.data_proto, PPP_PROTO_IPV6);
	/* Long after the IPCP timers ran out the link is still up. */
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.n_down + p.cli.n_down, 0);
	CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_NETWORK);
	CHECK_INT(p.srv.n_ncp_down + p.cli.n_ncp_down, 2);

	CHECK_INT(ppp_ncp_open(p.cli.ppp, PPP_PROTO_IPCP, p.now), 0);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_v4, 2);
	CHECK_INT(p.cli.n_v4, 2);
	CHECK(ppp_ipv4_is_up(p.srv.ppp) && ppp_ipv4_is_up(p.cli.ppp));
	CHECK_INT(p.cli.v4.local.s_addr, ip("10.0.0.2").s_addr);
	CHECK_INT(ppp_input(p.srv.ppp, v4, sizeof(v4), p.now), 0);
	CHECK_INT(p.srv.n_data, 2);
	CHECK_INT(p.srv.data_proto, PPP_PROTO_IPV4);
	CHECK_INT(p.srv.n_v6 + p.cli.n_v6, 2);

	/* An NCP that was renegotiated counts again: closing the other one
	 * now leaves IPv4, and the link, up. */
	CHECK_INT(ppp_ncp_close(p.srv.ppp, PPP_PROTO_IPV6CP, p.now), 0);
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.ncp_down_proto, PPP_PROTO_IPV6CP);
	CHECK_INT(p.cli.ncp_down_proto, PPP_PROTO_IPV6CP);
	CHECK_INT(p.srv.n_down + p.cli.n_down, 0);
	CHECK(ppp_ipv4_is_up(p.srv.ppp) && !ppp_ipv6_is_up(p.srv.ppp));

	/* The last NCP closed: nothing left to carry, the link ends. */
	CHECK_INT(ppp_ncp_close(p.srv.ppp, PPP_PROTO_IPCP, p.now), 0);
	pair_run(&p, p.now + 60000);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_NEGOTIATION);
	CHECK_INT(p.cli.n_down, 1);
	pair_free(&p);
}

/* ---- a back end that answers later (verify + ppp_auth_verdict) ---- */

struct backend {
	int n_req;
	struct ppp_auth_request req;
	char name[256];
	uint8_t response[64], challenge[16];
};

static struct backend be;

static int cb_verify(void *ctx, const struct ppp_auth_request *r)
{
	be.n_req++;
	be.req = *r;
	snprintf(be.name, sizeof(be.name), "%s", r->peer_name);
	memcpy(be.response, r->response, r->response_len);
	if (r->challenge)
		memcpy(be.challenge, r->challenge, r->challenge_len);
	return 0;
}

/* Play the RADIUS server: check the request against secrets[], as a
 * server that knows the password would. */
static void backend_decide(struct ppp_auth_verdict *v, char *sresp)
{
	uint8_t pw[64], want[24];
	int pl = get_secret(NULL, be.name, pw, sizeof(pw));

	memset(v, 0, sizeof(*v));
	if (pl < 0)
		return;
	switch (be.req.method) {
	case PPP_AUTH_PAP:
		v->ok = be.req.response_len == (size_t)pl &&
			!memcmp(be.response, pw, (size_t)pl);
		break;
	case PPP_AUTH_MSCHAPV2:
		if (mschap_nt_response(be.challenge, be.response, be.name, pw,
				       (size_t)pl, want) ||
		    memcmp(want, be.response + 24, 24))
			return;
		v->ok = true;
		mschap_authenticator_response(pw, (size_t)pl, be.response + 24,
					      be.response, be.challenge,
					      be.name, sresp);
		v->message = sresp;
		v->has_keys = !mschap_mppe_keys(pw, (size_t)pl, be.response + 24,
						true, v->send_key, v->recv_key);
		break;
	default:
		break;
	}
}

/* A pair whose server asks the back end above. */
static void async_pair_init(struct pair *p, const struct ppp_config *s,
			    const struct ppp_config *c)
{
	struct ppp_callbacks vcb = cbs;

	vcb.get_secret = NULL;
	vcb.verify = cb_verify;
	memset(&be, 0, sizeof(be));
	pair_init_cb(p, s, c, &vcb);
}

TEST(async_backend)
{
	static const struct { unsigned int m; const char *pw; bool ok; } cases[] = {
		{ PPP_AUTH_PAP, "alice-pw", true },
		{ PPP_AUTH_MSCHAPV2, "alice-pw", true },
		{ PPP_AUTH_PAP, "wrong", false },
		{ PPP_AUTH_MSCHAPV2, "wrong", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ppp_config s = server_cfg(cases[i].m);
		struct ppp_config c = client_cfg(cases[i].m, "alice", cases[i].pw);
		struct ppp_auth_verdict v;
		char sresp[64];
		struct pair p;

		async_pair_init(&p, &s, &c);
		pair_start(&p);
		/* The engine asks once and waits, across the client's
		 * retransmissions (PAP resends every 3 s). */
		pair_run(&p, p.now + 10000);
		CHECK_INT(be.n_req, 1);
		CHECK_STR(be.name, "alice");
		CHECK_INT(be.req.method, cases[i].m);
		CHECK_INT(p.srv.n_auth, 0);
		CHECK(ppp_phase(p.srv.ppp) == PPP_PHASE_AUTHENTICATE);
		backend_decide(&v, sresp);
		CHECK_INT(v.ok, cases[i].ok);
		CHECK_INT(ppp_auth_verdict(p.srv.ppp, &v, p.now), 0);
		CHECK_INT(ppp_auth_verdict(p.srv.ppp, &v, p.now), -EALREADY);
		pair_run(&p, p.now + 100);
		if (!cases[i].ok) {
			CHECK_INT(p.srv.n_down, 1);
			CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
			CHECK_INT(p.cli.reason, PPP_DOWN_AUTH_FAILED);
			pair_free(&p);
			continue;
		}
		CHECK_INT(p.srv.n_auth, 1);
		CHECK_INT(p.cli.n_auth, 1);
		CHECK_INT(p.srv.n_v4, 1);
		CHECK_INT(p.cli.n_v4, 1);
		/* The client verified the back end's S= and both sides have
		 * the same HLAK, as with local secrets. */
		CHECK_INT(p.srv.auth.has_keys, cases[i].m == PPP_AUTH_MSCHAPV2);
		CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
		pair_free(&p);
	}
}

/* MS-CHAPv2 accepted without an authenticator response cannot send a
 * Success the client would believe: it is a Failure. A verdict after the
 * authentication timeout has nobody to go to. */
TEST(async_backend_bad_verdicts)
{
	struct ppp_config s = server_cfg(PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_MSCHAPV2, "alice", "alice-pw");
	struct ppp_auth_verdict v = { .ok = true, .message = "S=0" };
	struct pair p;

	async_pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(be.n_req, 1);
	CHECK_INT(ppp_auth_verdict(p.srv.ppp, &v, p.now), 0);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_down, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	CHECK(strstr(p.srv.down_text, "no authenticator response"));
	pair_free(&p);

	/* Nobody answers: the engine's own timeout ends it. */
	async_pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(be.n_req, 1);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_TIMEOUT);
	CHECK_INT(ppp_auth_verdict(p.srv.ppp, &v, p.now), -EALREADY);
	pair_free(&p);
}

/* Throttling holds for the back end too: a held credential reaches it
 * only when due, a locked-out one never, and its refusals are reported
 * (auth_failed) as local ones are. */
TEST(async_backend_throttled)
{
	struct ppp_config s = server_cfg(PPP_AUTH_PAP);
	struct ppp_config c = client_cfg(PPP_AUTH_PAP, "alice", "wrong");
	struct ppp_auth_verdict v;
	char sresp[64];
	struct pair p;
	uint64_t t0;

	async_pair_init(&p, &s, &c);
	p.srv.hold_ms = 2000;
	pair_start(&p);
	pair_run(&p, p.now + 100);
	t0 = p.srv.hold_at;
	CHECK_INT(p.srv.n_hold, 1);
	CHECK_INT(be.n_req, 0);
	pair_run(&p, t0 + 1900);
	CHECK_INT(be.n_req, 0);
	pair_run(&p, t0 + 2100);
	CHECK_INT(be.n_req, 1);
	backend_decide(&v, sresp);
	CHECK_INT(v.ok, 0);
	CHECK_INT(ppp_auth_verdict(p.srv.ppp, &v, p.now), 0);
	pair_run(&p, p.now + 100);
	CHECK_AUTH_FAILED(&p);
	CHECK_INT(p.srv.n_failed, 1);
	CHECK_STR(p.srv.failed_name, "alice");
	pair_free(&p);

	async_pair_init(&p, &s, &c);
	p.srv.hold_refuse = true;
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_INT(be.n_req, 0);
	CHECK_AUTH_FAILED(&p);
	CHECK_INT(p.srv.n_failed, 1);
	CHECK_STR(p.srv.failed_why, "locked out");
	pair_free(&p);
}

/* ---- EAP ---- */

/* EAP is throttled at its Identity: held, the whole conversation waits
 * (the server does not resend meanwhile); locked out, refused before any
 * method starts; a wrong password is reported as with the other methods. */
TEST(eap_throttled_at_identity)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP);
	struct ppp_config c = client_cfg(PPP_AUTH_EAP, "User", "clientPass");
	struct pair p;
	uint64_t t0;

	pair_init(&p, &s, &c);
	p.srv.hold_ms = 4500;
	pair_start(&p);
	pair_run(&p, p.now + 100);
	t0 = p.srv.hold_at;
	CHECK_INT(p.srv.n_hold, 1);
	pair_run(&p, t0 + 4400);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(count_seen(&p.cli, 0xc227, 1), 1);	/* the Identity request only */
	pair_run(&p, t0 + 4600);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.srv.n_hold, 1);
	pair_free(&p);

	pair_init(&p, &s, &c);
	p.srv.hold_refuse = true;
	pair_start(&p);
	pair_run(&p, p.now + 60000);
	CHECK_AUTH_FAILED(&p);
	CHECK_INT(p.srv.n_failed, 1);
	CHECK_INT(p.srv.failed_method, PPP_AUTH_EAP);
	CHECK_STR(p.srv.failed_why, "locked out");
	CHECK_INT(count_seen(&p.cli, 0xc227, 1), 1);	/* no Challenge */
	pair_free(&p);

	c = client_cfg(PPP_AUTH_EAP, "User", "wrong");
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_AUTH_FAILED(&p);
	CHECK_INT(p.srv.n_failed, 1);
	CHECK_STR(p.srv.failed_name, "User");
	CHECK_STR(p.srv.failed_why, "wrong password");
	CHECK(!strstr(p.srv.down_text, "User"));
	pair_free(&p);
}

/* EAP-MSCHAPv2 both ways, local secrets: the same HLAK as MS-CHAPv2 gives
 * (the MSK's first half), the MSK on both sides, and the EAP packets on
 * the wire: Identity, Challenge, Success, Success. */
TEST(eap_mschapv2_local)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP);
	struct ppp_config c = client_cfg(PPP_AUTH_EAP | PPP_AUTH_MSCHAPV2, "User",
					 "clientPass");
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.srv.auth.method, PPP_AUTH_EAP);
	CHECK_INT(p.srv.auth.eap_type, PPP_EAP_MSCHAPV2);
	CHECK_INT(p.cli.auth.eap_type, PPP_EAP_MSCHAPV2);
	CHECK_STR(p.srv.peer_name, "User");
	CHECK(p.srv.auth.has_msk && p.cli.auth.has_msk);
	CHECK_MEM(p.srv.auth.msk, p.cli.auth.msk, PPP_MSK_LEN);
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	/* = client send || client receive, as MS-CHAPv2's HLAK */
	CHECK_MEM(p.cli.auth.hlak, p.cli.auth.send_key, 16);
	CHECK_MEM(p.cli.auth.hlak + 16, p.cli.auth.recv_key, 16);
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.cli.n_v4, 1);
	/* Server: Request/Identity, /MSCHAPv2 Challenge, /MSCHAPv2 Success,
	 * then EAP-Success. */
	CHECK_INT(count_seen(&p.cli, 0xc227, 1), 3);
	CHECK_INT(count_seen(&p.cli, 0xc227, 3), 1);
	CHECK_INT(count_seen(&p.srv, 0xc227, 2), 3);
	pair_free(&p);
}

TEST(eap_mschapv2_wrong_password)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP);
	struct ppp_config c = client_cfg(PPP_AUTH_EAP, "User", "wrong");
	struct pair p;

	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(p.cli.n_auth, 0);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	CHECK_INT(p.cli.reason, PPP_DOWN_AUTH_FAILED);
	CHECK(strstr(p.srv.down_text, "wrong password"));
	CHECK(strstr(p.cli.down_text, "E=691"));
	pair_free(&p);
}

/* The server prefers EAP; a client without it Naks it in LCP and gets
 * MS-CHAPv2; one with both takes EAP. auth_order decides. */
TEST(eap_in_lcp_order)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP | PPP_AUTH_MSCHAPV2);
	struct ppp_config c = client_cfg(PPP_AUTH_MSCHAPV2, "User", "clientPass");
	struct pair p;

	s.auth_order[0] = PPP_AUTH_EAP;
	s.auth_order[1] = PPP_AUTH_MSCHAPV2;
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.srv.auth.method, PPP_AUTH_MSCHAPV2);
	pair_free(&p);

	c = client_cfg(PPP_AUTH_MSCHAPV2 | PPP_AUTH_EAP, "User", "clientPass");
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.srv.auth.method, PPP_AUTH_EAP);
	pair_free(&p);
}

/* A client that does only EAP-MSCHAPv2 Naks another method; the local
 * server has nothing else and ends it. A lost server packet is sent again. */
TEST(eap_nak_and_retransmission)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP);
	struct ppp_config c = client_cfg(PPP_AUTH_EAP, "User", "clientPass");
	struct pair p;

	pair_init(&p, &s, &c);
	p.cli.drop_proto = 0xc227;
	p.cli.drop_n = 2;		/* Identity request lost twice */
	pair_start(&p);
	pair_run(&p, p.now + 20000);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	pair_free(&p);

	c.eap_order[0] = PPP_EAP_TLS;
	pair_init(&p, &s, &c);
	pair_start(&p);
	pair_run(&p, p.now + 100);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	CHECK(strstr(p.srv.down_text, "no EAP method in common"));
	pair_free(&p);
}

/* ---- EAP-TLS and PEAP: a throw-away CA, server and client certificate ---- */

#include <openssl/ec.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static EVP_PKEY *tls_key(void)
{
	return EVP_EC_gen("P-256");
}

static X509 *tls_cert(const char *cn, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key)
{
	X509 *x = X509_new();
	X509_NAME *n;

	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(cn[0] + 1000));
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn,
				   -1, -1, 0);
	X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : n);
	X509_set_version(x, 2);
	if (!ca) {
		X509V3_CTX v;
		X509_EXTENSION *e;

		X509V3_set_ctx(&v, x, x, NULL, NULL, 0);
		e = X509V3_EXT_conf_nid(NULL, &v, NID_basic_constraints, "critical,CA:TRUE");
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	X509_sign(x, ca_key ? ca_key : key, EVP_sha256());
	return x;
}

struct tls_pki {
	EVP_PKEY *ca_key, *srv_key, *cli_key;
	X509 *ca, *srv, *cli;
	SSL_CTX *srv_ctx, *cli_ctx;
};

static void tls_pki_init(struct tls_pki *k, const char *client_cn, bool client_cert)
{
	k->ca_key = tls_key();
	k->ca = tls_cert("test CA", k->ca_key, NULL, NULL);
	k->srv_key = tls_key();
	k->srv = tls_cert("sstpd", k->srv_key, k->ca, k->ca_key);
	k->cli_key = tls_key();
	k->cli = tls_cert(client_cn, k->cli_key, k->ca, k->ca_key);
	k->srv_ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(k->srv_ctx, k->srv);
	SSL_CTX_use_PrivateKey(k->srv_ctx, k->srv_key);
	X509_STORE_add_cert(SSL_CTX_get_cert_store(k->srv_ctx), k->ca);
	k->cli_ctx = SSL_CTX_new(TLS_client_method());
	X509_STORE_add_cert(SSL_CTX_get_cert_store(k->cli_ctx), k->ca);
	if (client_cert) {
		SSL_CTX_use_certificate(k->cli_ctx, k->cli);
		SSL_CTX_use_PrivateKey(k->cli_ctx, k->cli_key);
	}
}

static void tls_pki_free(struct tls_pki *k)
{
	SSL_CTX_free(k->srv_ctx);
	SSL_CTX_free(k->cli_ctx);
	X509_free(k->ca);
	X509_free(k->srv);
	X509_free(k->cli);
	EVP_PKEY_free(k->ca_key);
	EVP_PKEY_free(k->srv_key);
	EVP_PKEY_free(k->cli_key);
}

/* One EAP method over TLS between the two engines. */
static void eap_tls_case(enum ppp_eap_type type, const char *cn, bool client_cert,
			 const char *pw, struct pair *p, struct tls_pki *k)
{
	struct ppp_config s = server_cfg(PPP_AUTH_EAP);
	struct ppp_config c = client_cfg(PPP_AUTH_EAP, "User", pw);

	tls_pki_init(k, cn, client_cert);
	s.eap_order[0] = type;
	s.eap_tls_ctx = k->srv_ctx;
	c.eap_order[0] = type;
	c.eap_tls_ctx = k->cli_ctx;
	pair_init(p, &s, &c);
	pair_start(p);
	pair_run(p, p->now + 100);
}

TEST(eap_tls_both_roles)
{
	struct tls_pki k;
	struct pair p;

	eap_tls_case(PPP_EAP_TLS, "User", true, "unused", &p, &k);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.srv.auth.eap_type, PPP_EAP_TLS);
	CHECK_STR(p.srv.peer_name, "User");
	CHECK(p.srv.auth.has_msk && p.cli.auth.has_msk);
	CHECK_MEM(p.srv.auth.msk, p.cli.auth.msk, PPP_MSK_LEN);
	CHECK_MEM(p.srv.auth.hlak, p.srv.auth.msk, 32);
	CHECK(memcmp(p.srv.auth.msk, (uint8_t[32]){ 0 }, 32) != 0);
	CHECK_INT(p.srv.n_v4, 1);
	CHECK_INT(p.cli.n_v4, 1);
	/* Fragmented: the certificates take more than one packet each way. */
	CHECK(count_seen(&p.cli, 0xc227, 1) > 3);
	pair_free(&p);
	tls_pki_free(&k);
}

/* The certificate names someone else, or there is none: refused. */
TEST(eap_tls_refusals)
{
	struct tls_pki k;
	struct pair p;

	eap_tls_case(PPP_EAP_TLS, "Mallory", true, "unused", &p, &k);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	CHECK(strstr(p.srv.down_text, "does not name the identity"));
	pair_free(&p);
	tls_pki_free(&k);

	eap_tls_case(PPP_EAP_TLS, "User", false, "unused", &p, &k);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	pair_free(&p);
	tls_pki_free(&k);
}

TEST(peap_mschapv2_both_roles)
{
	struct tls_pki k;
	struct pair p;

	eap_tls_case(PPP_EAP_PEAP, "x", false, "clientPass", &p, &k);
	CHECK_INT(p.srv.n_auth, 1);
	CHECK_INT(p.cli.n_auth, 1);
	CHECK_INT(p.srv.auth.eap_type, PPP_EAP_PEAP);
	CHECK_INT(p.cli.auth.eap_type, PPP_EAP_PEAP);
	CHECK_STR(p.srv.peer_name, "User");
	CHECK(p.srv.auth.has_msk && p.cli.auth.has_msk);
	CHECK_MEM(p.srv.auth.msk, p.cli.auth.msk, PPP_MSK_LEN);
	CHECK_MEM(p.srv.auth.hlak, p.cli.auth.hlak, 32);
	CHECK_INT(p.cli.n_v4, 1);
	pair_free(&p);
	tls_pki_free(&k);

	eap_tls_case(PPP_EAP_PEAP, "x", false, "wrong", &p, &k);
	CHECK_INT(p.srv.n_auth, 0);
	CHECK_INT(p.srv.reason, PPP_DOWN_AUTH_FAILED);
	CHECK_INT(p.cli.reason, PPP_DOWN_AUTH_FAILED);
	pair_free(&p);
	tls_pki_free(&k);
}
