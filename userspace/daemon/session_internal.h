/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the session_*.c files share: the session itself and the calls one
 * phase makes into another. session.c says which file holds which phase.
 * Nothing outside daemon/session*.c includes this.
 */
#ifndef SSTP_SESSION_INTERNAL_H
#define SSTP_SESSION_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/session.h"
#include "link/bpf_guard.h"
#include "link/link.h"
#include "ppp/ppp.h"
#include "proto/http.h"
#include "proto/sstp_call.h"
#include "proto/sstp_msg.h"
#include "tls/tls.h"

/* The name a server uses in CHAP challenges and secrets lookups. */
#define SESSION_PPP_NAME	"sstpd"

enum session_phase {
	SP_FRONT,	/* server: a front end's PROXY header, the first bytes */
	SP_TCP,		/* client: non-blocking connect() in progress */
	SP_PROXY,	/* client: CONNECT sent to the HTTP proxy */
	SP_TLS,		/* TLS handshake */
	SP_HTTP,	/* server: reading the request; client: the response */
	SP_SSTP,	/* SSTP call (and PPP) running, the link chosen */
	SP_DOWN,	/* torn down, waiting for the reaper */
};

extern const char *const session_phase_names[];

/*
 * What authentication says about a server session's client, for source
 * validation (session_guard.c): the networks behind it, routed through
 * its interface and allowed as sources, and the rate it may send at.
 * chap-secrets fills the routes; the rate starts at [server] rate_limit;
 * an authentication back end may set both before IPCP comes up (and the
 * rate at any time, with session_set_rate()).
 */
struct session_policy {
	uint32_t rate_bytes, burst_bytes;	/* 0: unlimited; burst 0: default */
	struct bpf_guard_prefix routes[BPF_GUARD_MAX_PREFIXES];
	unsigned int n_routes;
};

#define SESSION_AAA_ROUTES	8
#define SESSION_AAA_CLASSES	4

/* A server session's RADIUS state (session_radius.c). */
struct session_aaa {
	bool radius;			/* authenticated by RADIUS */
	struct radius_req *auth_req;	/* Access-Request in flight */
	uint8_t state[253];		/* EAP: State of the last Access-Challenge */
	uint8_t state_len;
	bool eap;			/* the request in flight relays EAP */
	/* From the Access-Accept. */
	uint32_t framed_ip;		/* host order; 0: the pool */
	char routes[SESSION_AAA_ROUTES][64];	/* Framed-Route */
	unsigned int n_routes;
	char routes6[SESSION_AAA_ROUTES][64];	/* Framed-IPv6-Route */
	unsigned int n_routes6;
	struct in6_addr prefix6;	/* Framed-IPv6-Prefix */
	uint8_t prefix6_len;		/* 0: none */
	uint32_t session_timeout, idle_timeout, interim;	/* seconds */
	uint8_t class[SESSION_AAA_CLASSES][253];
	uint8_t class_len[SESSION_AAA_CLASSES];
	unsigned int n_class;
	char rate_limit[64];		/* as given, "" = none */
	uint64_t rate_rx, rate_tx;	/* bit/s from / to the client */
	/* Accounting and limits. */
	char acct_id[24];		/* Acct-Session-Id */
	bool acct_started;
	uint64_t acct_start;		/* loop_now() of the Start */
	uint32_t term_cause;		/* Acct-Terminate-Cause, 0: derive */
	uint64_t session_end;		/* loop_now(); 0: no Session-Timeout */
	uint64_t idle_since, idle_rx;
	struct loop_timer acct_timer, limit_timer;
};

/* What the client asks after the NCPs (session_addrconf.c). */
struct session_addrconf {
	bool dhcp_on;			/* DHCPINFORMs answered (the env's socket) */
	bool ra_on;			/* Advertisements sent, ff02::2 joined */
	struct loop_timer ra_timer;
	unsigned int ra_sent;
	bool have_prefix;
	struct in6_addr prefix;		/* the client's, advertised */
	uint8_t prefix_len;
};

struct session {
	struct session_env *env;
	struct session *prev, *next;
	unsigned int id;
	bool server;
	enum session_phase phase;
	uint64_t started;		/* loop_now() */
	uint64_t phase_deadline;	/* client, before SP_SSTP: the 60 s limits */
	/* Server: accept to authenticated (preauth_timeout), 0 once there.
	 * Until then the session is on env->preauth. */
	uint64_t preauth_deadline;
	struct list_head pre;
	bool authenticated;		/* PPP authentication done (either role) */
	struct endpoint_source src;	/* server: where the connection comes from */

	int fd;
	struct loop_fd lfd;
	struct loop_timer timer;	/* engines' and phases' deadlines */
	struct loop_timer flush_timer;	/* batches writes of one loop turn */
	struct loop_timer rx_timer;	/* resumes reading after the budget */
	struct loop_timer reaper;
	struct tls tls;
	/* The client's address: the TCP peer's, or the one a trusted front
	 * end's PROXY header named (logs, sstpctl, RADIUS's
	 * Calling-Station-Id). front: then the front end's own, else "". */
	struct sockaddr_storage peer_sa;
	char peer[INET6_ADDRSTRLEN + 8];
	char front[INET6_ADDRSTRLEN + 8];
	bool need_proxy_hdr;		/* from a proxy_protocol address */
	bool plain;			/* listen_plain: no TLS on this socket */
	char host[256];			/* client: server host (SNI, Host:) */
	unsigned int port;

	char hbuf[HTTP_MAX_HEADER];	/* HTTP header (or proxy answer) so far */
	size_t hlen;

	struct sstp_deframer df;
	struct sstp_call call;
	bool call_inited;
	struct ppp *ppp;
	struct link *link;

	uint8_t *obuf;			/* TLS plaintext not yet written */
	size_t ooff, olen, ocap;
	size_t otail;			/* length of the last packet queued */
	bool tx_paused;

	char user[PPP_NAME_MAX + 1];
	uint32_t local_ip, peer_ip;	/* host order, 0 = none */
	bool ipv6_up;
	uint8_t local_iid[8], peer_iid[8]; /* IPV6CP interface identifiers */
	bool peer_ip_from_pool;
	uint64_t ppp_dropped;		/* frames refused by the SSTP gate */
	struct session_policy policy;	/* server */
	bool guarded;			/* the BPF guard is on guard_ifindex */
	int guard_ifindex;
	struct bpf_guard_policy guard_policy;	/* as attached */
	bool connected;			/* the SSTP call got to Call_Connected */
	bool ktls;			/* kTLS both ways: read with ktls_recv() */
	char no_ktls[128];		/* why not, when offload is on */
	/* Authenticated, the socket is to go to sstp.ko: nothing more is
	 * read, and once the output is sent, session_link_handoff() hands
	 * it over with the SSTP bytes read but not parsed (pending). */
	bool handoff_due;
	uint8_t *pending;
	size_t pending_len;
	bool failed;
	enum session_fail fail;		/* the first reason it failed, if known */
	char why[192];			/* what ended (or is ending) it */
	struct session_aaa aaa;
	struct session_addrconf addrconf;
	const char *hlak_names[SSTP_HLAK_MAX];	/* for the log line */
};

#define slog(prio, s, fmt, ...) \
	log_msg(prio, "[%u] " fmt, (s)->id, ##__VA_ARGS__)

/* session.c: lifecycle and timers. */
void session_down(struct session *s, bool failed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void session_fail_lower(struct session *s, const char *what);
void session_rearm(struct session *s);
void session_settle(struct session *s);
/* Record why the session is failing, for the counters (the first wins). */
void session_fail_as(struct session *s, enum session_fail why);
void session_addr_str(const struct sockaddr *sa, char *buf, size_t size);

/* session_front.c: before TLS on a server (PROXY header, not TLS at all). */
void session_front_start(struct session *s);
void session_do_front(struct session *s);

/* session_io.c: the socket. */
void session_io(struct loop_fd *lfd, uint32_t events);
void session_update_events(struct session *s);

/* session_out.c: the TLS output, its backlog and the burst rule. */
int session_queue(struct session *s, const uint8_t *data, size_t len,
		  bool droppable);
int session_flush(struct session *s);
void session_flush_timer(struct loop_timer *t);

/* session_tls.c */
void session_tls_start(struct session *s);
void session_do_tls(struct session *s);
ssize_t session_read(struct session *s, void *buf, size_t len);
ssize_t session_write(struct session *s, const void *buf, size_t len);

/* session_http.c: TCP connect, proxy CONNECT, SSTP_DUPLEX_POST. */
void session_do_connected(struct session *s);
void session_do_proxy(struct session *s);
int session_http_send_request(struct session *s);
void session_http_input(struct session *s);

/* session_call.c: the SSTP phase. */
void session_sstp_start(struct session *s, const uint8_t *rest, size_t rlen);
void session_sstp_feed(struct session *s, const uint8_t *data, size_t len);
/* Keep what was read but not parsed (the deframer's partial packet, then
 * data) in s->pending, for the handoff. */
void session_sstp_stash(struct session *s, const uint8_t *data, size_t len);
void session_ctrl_in(struct session *s, const uint8_t *pkt, size_t len,
		     uint64_t now);
void session_ppp_in(struct session *s, const uint8_t *frame, size_t len,
		    uint64_t now);

/* session_ppp.c */
extern const struct ppp_callbacks session_ppp_cb;
void session_ll_str(const uint8_t iid[8], char *buf, size_t size);
const char *session_eap_name(enum ppp_eap_type t);

/* session_radius.c: RADIUS authentication, authorization, accounting. */
int session_radius_verify(struct session *s, const struct ppp_auth_request *req);
void session_radius_authorized(struct session *s);
void session_radius_ncp_up(struct session *s, bool ipv6);
void session_radius_down(struct session *s);
int session_rate_parse(const char *text, uint64_t *rx, uint64_t *tx);
const char *session_term_cause_name(uint32_t cause);

/* session_addrconf.c: DHCPINFORM answers and Router Advertisements. */
void session_addrconf_v4_up(struct session *s);
void session_addrconf_v6_up(struct session *s);
void session_addrconf_down(struct session *s, bool v4, bool v6);

/* session.c: PPP authentication succeeded (the engine's auth callback).
 * Server: the session leaves the pre-authentication budget (0), or is
 * refused because max_sessions are up (-EBUSY). */
int session_authenticated(struct session *s);

/* session_guard.c: source validation. sync: attach, or bring the guard up
 * to date with the NCPs and the policy (0, or -errno with s->link->err). */
int session_guard_sync(struct session *s);
void session_guard_detach(struct session *s);
void session_guard_describe(struct session *s, link_put_fn *put, void *ctx);
/* For authentication back ends: the client's rate, bytes per second (0:
 * unlimited) and bucket depth (0: the guard's default). */
int session_set_rate(struct session *s, uint32_t bytes_per_s, uint32_t burst);
/* A rate in bit/s (session_rate_parse(), 0: none) as session_set_rate()
 * takes it. */
static inline uint32_t session_rate_bytes(uint64_t bps)
{
	return bps / 8 > UINT32_MAX ? UINT32_MAX : (uint32_t)(bps / 8);
}

/* session_test.c: [test] foreign_frames (client). */
void session_test_foreign(struct session *s, const char *when);

/* session_link.c: the data path. */
int session_link_open(struct session *s);
void session_link_gate(struct session *s);
/* Once handoff_due, when the output is sent: the socket to sstp.ko. */
void session_link_handoff(struct session *s);
/* Authenticated without kTLS: the "data path: userspace (why)" line. */
void session_link_path_user(struct session *s);

#endif /* SSTP_SESSION_INTERNAL_H */
