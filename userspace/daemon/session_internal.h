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

#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/session.h"
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
	uint64_t phase_deadline;	/* before SP_SSTP: the 60 s limits */

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
	bool connected;			/* the SSTP call got to Call_Connected */
	bool ktls;			/* kTLS both ways: read with ktls_recv() */
	char no_ktls[128];		/* why not, when offload is on */
	bool failed;
	bool authenticated;		/* server: PPP authentication passed */
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

/* session_link.c: the data path. */
int session_link_open(struct session *s, const uint8_t *rest, size_t rlen);
void session_link_gate(struct session *s);

#endif /* SSTP_SESSION_INTERNAL_H */
