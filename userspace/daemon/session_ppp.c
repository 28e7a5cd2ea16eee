// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PPP engine's callbacks (ppp/ppp.h): frames to the peer through the
 * link, secrets and the peer's address on a server (chap-secrets, the
 * pool), the HLAK for the crypto binding once authentication is done, the
 * interface and a client's routes when an NCP opens, and what happens when
 * one closes or LCP goes down.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/pool.h"
#include "daemon/session_internal.h"
#include "daemon/throttle.h"
#include "link/rtnl.h"
#include "ppp/secrets.h"

#include <openssl/crypto.h>

static void session_ppp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct session *s = ctx;

	if (link_send_ppp(s->link, frame, len))
		s->ppp_dropped++;
}

static int session_ppp_get_secret(void *ctx, const char *name, uint8_t *secret,
				  size_t size)
{
	struct session *s = ctx;
	const struct ppp_secret *e;
	size_t n;

	e = ppp_secrets_lookup(s->env->secrets, name, SESSION_PPP_NAME);
	if (!e)
		return -ENOENT;
	n = strlen(e->secret);
	if (n > size)
		return -ENOSPC;
	memcpy(secret, e->secret, n);
	return (int)n;
}

/* One network behind the client (a.b.c.d/len or x::/len, the first word
 * of text) into its policy; from says where it was given, for the log. */
static void session_policy_route(struct session *s, const char *text, const char *from)
{
	struct bpf_guard_prefix *r;
	char buf[INET6_ADDRSTRLEN + 5], *slash, *end;
	unsigned long plen;

	if (sscanf(text, "%50s", buf) != 1 || !(slash = strchr(buf, '/')))
		return;
	if (s->policy.n_routes == BPF_GUARD_MAX_PREFIXES) {
		slog(LOG_WARNING, s, "%s: more than %d networks", from, BPF_GUARD_MAX_PREFIXES);
		return;
	}
	*slash = 0;
	plen = strtoul(slash + 1, &end, 10);
	r = &s->policy.routes[s->policy.n_routes];
	memset(r, 0, sizeof(*r));
	r->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (*end || slash[1] == 0 || plen > (r->family == AF_INET ? 32u : 128u) ||
	    inet_pton(r->family, buf, r->addr) != 1) {
		slog(LOG_WARNING, s, "%s: %s is not a network", from, text);
		return;
	}
	r->plen = (uint8_t)plen;
	s->policy.n_routes++;
}

/* A rate=RX[/TX] word of chap-secrets (Mikrotik-Rate-Limit's syntax):
 * kept as RADIUS's would be; session_radius_authorized() applies it. */
static void session_secret_rate(struct session *s, const char *text, const char *from)
{
	struct session_aaa *a = &s->aaa;

	if (strlen(text) >= sizeof(a->rate_limit) ||
	    session_rate_parse(text, &a->rate_rx, &a->rate_tx)) {
		slog(LOG_WARNING, s, "%s: rate=%s is not a rate", from, text);
		return;
	}
	snprintf(a->rate_limit, sizeof(a->rate_limit), "%s", text);
}

/*
 * Server: the networks behind the client, routed through its interface and
 * allowed as sources: every word a.b.c.d/len of its addresses column in
 * chap-secrets, or RADIUS's Framed-Route and Framed-IPv6-Route; and a
 * local user's rate (rate= in that column).
 */
static void session_policy_routes(struct session *s, const char *name)
{
	const struct ppp_secret *e = s->aaa.radius ? NULL :
		ppp_secrets_lookup(s->env->secrets, name, SESSION_PPP_NAME);
	char from[64];
	size_t i;

	s->policy.n_routes = 0;
	for (i = 0; e && i < e->n_addrs; i++) {
		snprintf(from, sizeof(from), "chap-secrets line %u", e->line);
		if (!strncmp(e->addrs[i], "rate=", 5))
			session_secret_rate(s, e->addrs[i] + 5, from);
		else if (strchr(e->addrs[i], '/'))
			session_policy_route(s, e->addrs[i], from);
	}
	for (i = 0; s->aaa.radius && i < s->aaa.n_routes; i++)
		session_policy_route(s, s->aaa.routes[i], "RADIUS Framed-Route");
	for (i = 0; s->aaa.radius && i < s->aaa.n_routes6; i++)
		session_policy_route(s, s->aaa.routes6[i], "RADIUS Framed-IPv6-Route");
}

/* Server, IPCP up: the networks behind the client, through its interface. */
static void session_server_routes(struct session *s)
{
	char a[INET_ADDRSTRLEN];
	uint32_t dst;
	unsigned int i;

	if (s->aaa.radius)
		return;		/* session_radius_ncp_up() adds RADIUS's */
	for (i = 0; i < s->policy.n_routes; i++) {
		if (s->policy.routes[i].family != AF_INET)
			continue;
		memcpy(&dst, s->policy.routes[i].addr, 4);
		if (rtnl_route4_add(s->env->rtnl, s->link->ifindex, ntohl(dst),
				    s->policy.routes[i].plen))
			slog(LOG_WARNING, s, "route %s/%u: %s",
			     inet_ntop(AF_INET, &dst, a, sizeof(a)), s->policy.routes[i].plen,
			     s->env->rtnl->err);
	}
}

const char *session_eap_name(enum ppp_eap_type t)
{
	switch (t) {
	case PPP_EAP_MSCHAPV2:
		return "EAP-MSCHAPv2";
	case PPP_EAP_PEAP:
		return "PEAP";
	case PPP_EAP_TLS:
		return "EAP-TLS";
	default:
		return "EAP";
	}
}

static int session_ppp_verify(void *ctx, const struct ppp_auth_request *req)
{
	return session_radius_verify(ctx, req);
}

/* Server: the peer's address, a fixed one (RADIUS Framed-IP-Address, or
 * chap-secrets for a local user) or the pool. */
static int session_pick_address(struct session *s, const char *name)
{
	struct session_env *env = s->env;
	const struct ppp_secret *e = s->aaa.radius ? NULL :
		ppp_secrets_lookup(env->secrets, name, SESSION_PPP_NAME);
	struct in_addr a;
	int err;

	a.s_addr = htonl(s->aaa.framed_ip);
	if (s->aaa.framed_ip ||
	    (e && e->n_addrs && inet_pton(AF_INET, e->addrs[0], &a) == 1)) {
		char esc[LOG_ESCAPED_SIZE(PPP_NAME_MAX)];
		struct session *o;
		char as[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &a, as, sizeof(as));

		/* Outside the pool nothing else tracks it: check the others. */
		for (o = env->sessions; o; o = o->next) {
			if (o != s && o->peer_ip == ntohl(a.s_addr)) {
				slog(LOG_WARNING, s, "user \"%s\": address %s already in use",
				     log_escape_str(esc, sizeof(esc), name), as);
				return -EADDRINUSE;
			}
		}
		s->peer_ip = ntohl(a.s_addr);
		err = pool_reserve(env->pool, s->peer_ip);
		if (err && err != -ERANGE)
			return err;
		s->peer_ip_from_pool = !err;
		return 0;
	}
	err = pool_alloc(env->pool, &s->peer_ip);
	if (err) {
		slog(LOG_WARNING, s, "address pool exhausted");
		return err;
	}
	s->peer_ip_from_pool = true;
	return 0;
}

/*
 * Server: a credential is about to be checked. Authentication throttling
 * (daemon/throttle.c) says how long it waits first and whether it is
 * refused outright; every method and every back end passes through here.
 */
static uint32_t session_ppp_auth_hold(void *ctx, const char *name, bool *refuse)
{
	struct session *s = ctx;
	char esc[LOG_ESCAPED_SIZE(PPP_NAME_MAX)];
	struct throttle_state st;

	if (!s->env->throttle)
		return 0;
	throttle_hold(s->env->throttle, &s->src, name, loop_now(), &st);
	*refuse = st.locked;
	if (st.hold_ms || st.locked)
		slog(LOG_DEBUG, s, "credential of user \"%s\" held %u ms%s (%u failures "
		     "from %s, %u for the user)", log_escape_str(esc, sizeof(esc), name),
		     st.hold_ms, st.locked ? ", locked out" : "", st.src_failures,
		     s->src.text, st.user_failures);
	return st.hold_ms;
}

/* Server: one line per refused credential, for the log and fail2ban
 * (docs/sstpd.md, "Authentication throttling"). */
static void session_ppp_auth_failed(void *ctx, enum ppp_auth method, const char *name,
				    const char *why)
{
	struct session *s = ctx;
	char esc[LOG_ESCAPED_SIZE(PPP_NAME_MAX)], wesc[LOG_ESCAPED_SIZE(128)];

	if (s->env->throttle)
		throttle_failed(s->env->throttle, &s->src, name, loop_now());
	slog(LOG_WARNING, s, "authentication failed: user \"%s\" from %s port %u (%s): %s",
	     log_escape_str(esc, sizeof(esc), name), s->src.text, s->src.port,
	     ppp_auth_str(method), log_escape_str(wesc, sizeof(wesc), why));
}

/*
 * The HLAKs for the crypto binding (MS-SSTP 3.2.5.2). Without EAP there
 * is one: the MS-CHAPv2 keys or zeros. With EAP the spec's is the MSK's
 * first 32 bytes, and a server also takes what peers are known to use
 * instead: 32 zero bytes (Windows 10 with EAP-MSCHAPv2), and the first 16
 * bytes of each MSK half (pppd's MPPE keys as sstp-client hands them on
 * with EAP-TLS). Which one matched is logged when the call connects.
 */
static int session_set_hlaks(struct session *s, const struct ppp_auth_info *info)
{
	static const char *const names[] = {
		"the MSK (MS-SSTP)", "zeros (Windows EAP-MSCHAPv2)",
		"16+16 MPPE key bytes (pppd EAP-TLS)",
	};
	uint8_t h[3][PPP_HLAK_LEN];
	unsigned int n = 1;
	int err;

	if (!info->has_msk) {
		s->hlak_names[0] = info->has_keys ? "the MS-CHAPv2 keys" : "zeros";
		return sstp_call_set_hlak(&s->call, info->has_keys ? info->hlak : NULL,
					  loop_now());
	}
	memcpy(h[0], info->msk, PPP_HLAK_LEN);
	if (s->server) {
		memset(h[1], 0, PPP_HLAK_LEN);
		memcpy(h[2], info->msk, 16);
		memcpy(h[2] + 16, info->msk + 32, 16);
		n = 3;
	}
	for (unsigned int i = 0; i < n; i++)
		s->hlak_names[i] = names[i];
	err = sstp_call_set_hlaks(&s->call, (const uint8_t (*)[PPP_HLAK_LEN])h, n,
				  loop_now());
	OPENSSL_cleanse(h, sizeof(h));
	return err;
}

static int session_ppp_auth(void *ctx, const struct ppp_auth_info *info)
{
	struct session *s = ctx;
	char esc[LOG_ESCAPED_SIZE(PPP_NAME_MAX)];
	struct in_addr l, p;
	int err;

	if (s->phase == SP_DOWN)
		return -ENOTCONN;
	if (s->server) {
		if (s->env->throttle)
			throttle_passed(s->env->throttle, &s->src, info->peer_name);
		err = session_authenticated(s);
		if (err)
			return err;
		snprintf(s->user, sizeof(s->user), "%s", info->peer_name);
		err = session_pick_address(s, info->peer_name);
		if (err) {
			session_fail_as(s, SESSION_FAIL_AUTH_REFUSED);
			return err;
		}
		session_policy_routes(s, info->peer_name);
		s->local_ip = s->env->local_ip;
		l.s_addr = htonl(s->local_ip);
		p.s_addr = htonl(s->peer_ip);
		ppp_set_ipv4(s->ppp, l, p);
		session_radius_authorized(s);
	} else {
		session_authenticated(s);
	}
	slog(LOG_INFO, s, "PPP authenticated %s with %s%s",
	     s->server ? log_escape_str(esc, sizeof(esc), s->user) : "to the server",
	     info->eap_type ? session_eap_name(info->eap_type) : ppp_auth_str(info->method),
	     info->eap_type && !info->has_msk ? " (no MSK)" : "");
	/* The kernel data path takes the socket now, and not before: no
	 * kernel session, device or netlink socket for a peer that has not
	 * authenticated (docs/sstpd.md, "Before authentication"). */
	s->handoff_due = s->ktls;
	if (!s->ktls)
		session_link_path_user(s);
	session_test_foreign(s, "before-binding");
	err = session_set_hlaks(s, info);
	if (err)
		slog(LOG_WARNING, s, "SSTP call took no HLAK: %s", strerror(-err));
	return 0;
}

static void session_client_routes(struct session *s)
{
	char routes[CONFIG_STR], *tok, *save = NULL, *slash;
	struct in_addr a;
	int plen, err;

	snprintf(routes, sizeof(routes), "%s", s->env->cfg->routes);
	for (tok = strtok_r(routes, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		slash = strchr(tok, '/');
		plen = slash ? atoi(slash + 1) : 32;
		if (slash)
			*slash = 0;
		if (inet_pton(AF_INET, tok, &a) != 1 || plen < 0 || plen > 32) {
			slog(LOG_WARNING, s, "route %s: not an IPv4 prefix", tok);
			continue;
		}
		err = rtnl_route4_add(s->env->rtnl, s->link->ifindex,
				      ntohl(a.s_addr), plen);
		if (err)
			slog(LOG_WARNING, s, "route %s/%d: %s", tok, plen,
			     s->env->rtnl->err);
	}
}

/* The interface could not be set up as the NCP needs (link->err says
 * why): the session ends, failed, rather than carry data unchecked. */
static void session_ppp_setup_failed(struct session *s, const char *what)
{
	slog(LOG_ERR, s, "%s", s->link->err);
	snprintf(s->why, sizeof(s->why), "%s: %.160s", what, s->link->err);
	s->failed = true;
	session_disconnect(s, "interface setup failed");
}

static void session_ppp_ipv4_up(void *ctx, const struct ppp_ipv4_info *info)
{
	struct session *s = ctx;
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	/* The engine may go on after a callback of the same call took the
	 * session down (e.g. the HLAK made the crypto binding fail). */
	if (s->phase == SP_DOWN)
		return;
	s->local_ip = ntohl(info->local.s_addr);
	s->peer_ip = s->server ? s->peer_ip : ntohl(info->peer.s_addr);
	if (link_ipv4_up(s->link, s->env->rtnl, info)) {
		session_ppp_setup_failed(s, "interface");
		return;
	}
	if (!s->server) {
		session_client_routes(s);
	} else {
		session_server_routes(s);
		session_radius_ncp_up(s, false);
		session_addrconf_v4_up(s);
	}
	/* The guard before the gate: not one packet unchecked. */
	if (session_guard_sync(s)) {
		session_ppp_setup_failed(s, "source validation");
		return;
	}
	inet_ntop(AF_INET, &info->local, l, sizeof(l));
	inet_ntop(AF_INET, &info->peer, p, sizeof(p));
	slog(LOG_INFO, s, "IPv4 up: %s peer %s dev %s mtu %u", l, p,
	     s->link->ifname, s->link->mtu);
	session_link_gate(s);
	session_test_foreign(s, "after-binding");
	/* [test] disconnect_when_up: a whole session per run (test-churn). */
	if (!s->server && s->env->cfg->test_disconnect_when_up)
		session_disconnect(s, "test: disconnect once up");
}

/* fe80::<interface identifier> */
void session_ll_str(const uint8_t iid[8], char *buf, size_t size)
{
	uint8_t a[16] = { 0xfe, 0x80 };

	memcpy(a + 8, iid, 8);
	inet_ntop(AF_INET6, a, buf, (socklen_t)size);
}

static void session_ppp_ipv6_up(void *ctx, const struct ppp_ipv6_info *info)
{
	struct session *s = ctx;
	char l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	if (s->phase == SP_DOWN)
		return;
	if (link_ipv6_up(s->link, s->env->rtnl, info)) {
		slog(LOG_WARNING, s, "%s", s->link->err);
		return;
	}
	memcpy(s->local_iid, info->local_id, 8);
	memcpy(s->peer_iid, info->peer_id, 8);
	s->ipv6_up = true;
	session_ll_str(s->local_iid, l, sizeof(l));
	session_ll_str(s->peer_iid, p, sizeof(p));
	slog(LOG_INFO, s, "IPv6 up: %s peer %s dev %s", l, p, s->link->ifname);
	if (s->server) {
		session_radius_ncp_up(s, true);
		session_addrconf_v6_up(s);
	}
	/* The guard (with the prefix advertised) before the gate. */
	if (session_guard_sync(s)) {
		session_ppp_setup_failed(s, "source validation");
		return;
	}
	session_link_gate(s);
}

/*
 * IPCP or IPV6CP left Opened. Its family's gate closes at once (the engine
 * already drops that family's frames, and the user path's tx checks it per
 * packet; the kernel path's unit goes back to NPMODE_DROP). If the link
 * stays up, the address goes too, as pppd does on ipcp_down, so that the
 * host stops routing into a tunnel that cannot carry the packets; the NCP
 * coming up again puts everything back (link_ipv*_up). When LCP is
 * going down as well, the whole interface goes with the session.
 */
static void session_ppp_ncp_down(void *ctx, uint16_t proto)
{
	struct session *s = ctx;
	bool v4 = proto == PPP_PROTO_IPCP;
	int err;

	if (s->phase == SP_DOWN || !s->link)
		return;
	if (!v4)
		s->ipv6_up = false;
	session_link_gate(s);
	/* The family's sources leave the guard too (the engine no longer
	 * has it up); failing that, the gate is closed all the same. */
	if (session_guard_sync(s))
		slog(LOG_WARNING, s, "%s", s->link->err);
	if (s->server)
		session_addrconf_down(s, v4, !v4);
	if (ppp_phase(s->ppp) != PPP_PHASE_NETWORK)
		return;
	err = v4 ? link_ipv4_down(s->link, s->env->rtnl) :
		   link_ipv6_down(s->link, s->env->rtnl);
	if (err)
		slog(LOG_WARNING, s, "%s", s->link->err);
	slog(LOG_INFO, s, "%s down (%s closed, link stays up)%s%s",
	     v4 ? "IPv4" : "IPv6", v4 ? "IPCP" : "IPV6CP",
	     err ? "" : ": address removed from ", err ? "" : s->link->ifname);
}

/* An IP packet from the peer (on a link where the daemon sees data). */
static void session_ppp_data(void *ctx, uint16_t proto, const uint8_t *pkt,
			     size_t len)
{
	struct session *s = ctx;

	/* MS-SSTP 3.3.7: no data before the crypto binding is checked. */
	if (s->phase == SP_DOWN || !sstp_call_data_allowed(&s->call)) {
		s->ppp_dropped++;
		return;
	}
	s->link->ops->rx_ip(s->link, pkt, len);
}

static void session_ppp_link_down(void *ctx, enum ppp_down_reason reason,
				  const char *text)
{
	struct session *s = ctx;
	bool failed = reason != PPP_DOWN_CLOSED && reason != PPP_DOWN_PEER_TERMINATED;

	slog(failed ? LOG_WARNING : LOG_INFO, s, "PPP down: %s: %s",
	     ppp_down_reason_str(reason), text);
	if (reason == PPP_DOWN_AUTH_FAILED)
		session_fail_as(s, SESSION_FAIL_AUTH_CREDENTIALS);
	else if (reason == PPP_DOWN_AUTH_TIMEOUT)
		session_fail_as(s, SESSION_FAIL_AUTH_TIMEOUT);
	else if (reason == PPP_DOWN_REJECTED)
		session_fail_as(s, SESSION_FAIL_AUTH_REFUSED);
	else if (failed)
		session_fail_as(s, SESSION_FAIL_PPP);
	if (!s->why[0])
		snprintf(s->why, sizeof(s->why), "PPP %s: %s",
			 ppp_down_reason_str(reason), text);
	s->failed |= failed;
	if (s->phase != SP_DOWN && sstp_call_disconnect(&s->call, loop_now()) &&
	    sstp_call_is_down(&s->call))
		session_down(s, failed, "PPP down");
}

static void session_ppp_log(void *ctx, int prio, const char *msg)
{
	struct session *s = ctx;

	if (prio <= log_level)
		slog(prio, s, "ppp: %s", msg);
}

const struct ppp_callbacks session_ppp_cb = {
	.send = session_ppp_send,
	.get_secret = session_ppp_get_secret,
	.auth_hold = session_ppp_auth_hold,
	.auth_failed = session_ppp_auth_failed,
	.verify = session_ppp_verify,
	.auth = session_ppp_auth,
	.ipv4_up = session_ppp_ipv4_up,
	.ipv6_up = session_ppp_ipv6_up,
	.ncp_down = session_ppp_ncp_down,
	.data = session_ppp_data,
	.link_down = session_ppp_link_down,
	.log = session_ppp_log,
};
