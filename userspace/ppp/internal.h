/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the pieces of the PPP engine share: the engine object and the
 * helpers each protocol file calls. Not for use outside userspace/ppp/.
 */
#ifndef SSTP_PPP_INTERNAL_H
#define SSTP_PPP_INTERNAL_H

#include "ppp/fsm.h"
#include "ppp/mschap.h"
#include "ppp/ppp.h"

/* Outgoing frame header: FF 03 + 2-byte protocol. */
#define PPP_HDR_LEN 4

#define PPP_MRU_DEFAULT 1500
#define PPP_IDENT_MAX 64
#define PPP_MRU_MIN 128

#ifndef PPP_PROTO_EAP
#define PPP_PROTO_EAP 0xc227
#endif

#define CHAP_ALG_MD5 5
#define CHAP_ALG_MSCHAPV2 0x81

struct lcp_state {
	/* What we ask for in our Configure-Request. */
	bool req_mru, req_auth, req_magic, req_pfc, req_acfc;
	uint16_t mru;
	enum ppp_auth auth;		/* server: method being requested */
	unsigned int auth_tried;	/* server: methods already offered */
	uint32_t magic;
	/* What we accepted from the peer. */
	uint16_t peer_mru;
	enum ppp_auth peer_auth;	/* client: method the server asked for */
	uint32_t peer_magic;
	bool peer_pfc, peer_acfc;
	unsigned int magic_collisions;
	/* How LCP started (lcp_start()): the server waits for the peer's
	 * first LCP frame until wait_until; blind: our Configure-Request went
	 * out before we had heard anything from the peer. */
	bool passive, heard, blind;
	uint64_t wait_until;
	/* Echo keepalive. */
	uint64_t echo_at;
	unsigned int echo_pending;
	uint8_t echo_id;
};

struct ipcp_state {
	bool req_addr, req_dns[2];
	struct in_addr addr;		/* ours, as requested / agreed */
	struct in_addr dns_req[2];	/* client: DNS as requested / Nak'ed */
	struct in_addr peer;		/* the peer's address, as Acked */
	bool dns_given[2];		/* server: the peer took our DNS */
};

struct ipv6cp_state {
	bool req_id;
	uint8_t id[8], peer_id[8];
};

struct auth_state {
	enum ppp_auth method;
	bool done;
	uint8_t id;			/* current challenge/request id */
	unsigned int tries;		/* transmissions left */
	uint64_t retry_at, give_up_at;
	uint8_t challenge[MSCHAP_CHALLENGE_LEN];
	uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN];
	uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN];
	char auth_response[MSCHAP_AUTH_RESPONSE_LEN + 1];
	bool have_keys;
	bool pending;			/* server: waiting for ppp_auth_verdict() */
	uint8_t send_key[PPP_MPPE_KEY_LEN], recv_key[PPP_MPPE_KEY_LEN];
	/* EAP (eap.c) */
	enum ppp_eap_type eap_type;	/* the method running */
	uint8_t eap_state;
	uint8_t ms_id;			/* EAP-MSCHAPv2's own identifier */
	bool relay;			/* server: the back end runs the method */
	bool have_msk;
	uint8_t msk[PPP_MSK_LEN];
	struct eap_tls *tls;		/* EAP-TLS, PEAP: the TLS session */
	/* The last packet we sent, for retransmission or for answering a
	 * retransmitted request the same way (idempotent). */
	uint8_t last[PPP_HDR_LEN + PPP_EAP_MAX];
	size_t last_len;
	bool have_last;
	char peer_name[PPP_NAME_MAX + 1];
	/* Server: a credential held before its check (cb.auth_hold), as the
	 * whole PAP or CHAP packet; checked at check_at. Those larger than
	 * held are malformed for every method. */
	uint8_t held[600];
	size_t held_len;
	uint64_t check_at;
	bool releasing;			/* the held one is being checked now */
	bool refuse;			/* refused whatever it proves */
	/* Server: what an unknown user is checked against, so that it costs
	 * what a known one does (made on first use). */
	uint8_t dummy[32];
	bool have_dummy;
};

struct ppp {
	struct ppp_config cfg;
	struct ppp_callbacks cb;
	void *ctx;
	char name[PPP_NAME_MAX + 1];
	char ident[PPP_IDENT_MAX + 1];
	uint8_t password[PPP_SECRET_MAX];
	size_t password_len;

	uint64_t now;
	enum ppp_phase phase;
	bool started, dead;
	/* A failure noticed in the middle of processing: the link is closed
	 * once the current event is done (never re-entering an FSM). */
	bool close_pending;
	bool reason_set;
	enum ppp_down_reason reason;
	char reason_text[160];

	struct fsm lcp, ipcp, ipv6cp;
	struct lcp_state lcp_st;
	struct ipcp_state ipcp_st;
	struct ipv6cp_state ipv6cp_st;
	struct auth_state auth;
	bool ipv4_open, ipv6_open;
	bool ipv4_dead, ipv6_dead;	/* NCP finished or rejected */
};

/* ppp.c: services for the protocol files. */
void ppp_send_ctl(struct ppp *ppp, uint16_t proto, uint8_t code, uint8_t id,
		  const uint8_t *data, size_t len);
void ppp_send_frame(struct ppp *ppp, const uint8_t *frame, size_t len);
int ppp_random(struct ppp *ppp, void *buf, size_t len);
void ppp_log(struct ppp *ppp, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Record why the link is going down (first reason wins) and close it
 * after the current event. */
void ppp_fail(struct ppp *ppp, enum ppp_down_reason reason,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Remember a reason without closing (the close is already under way). */
void ppp_set_reason(struct ppp *ppp, enum ppp_down_reason reason,
		    const char *text);
/* The link is gone: the final link_down callback, no more sends. */
void ppp_die(struct ppp *ppp);
/* Authentication finished well: report it, then start the NCPs. For the
 * server returns the callback's verdict before anything is sent. */
int ppp_auth_report(struct ppp *ppp);
void ppp_network_start(struct ppp *ppp);
void ppp_lcp_opened(struct ppp *ppp);
void ppp_lcp_closed(struct ppp *ppp);
void ppp_ncp_opened(struct ppp *ppp, struct fsm *f);
void ppp_ncp_left_open(struct ppp *ppp, struct fsm *f);
void ppp_ncp_finished(struct ppp *ppp, struct fsm *f);
uint32_t ppp_restart_ms(const struct ppp *ppp);
unsigned int ppp_max_configure(const struct ppp *ppp);
unsigned int ppp_max_terminate(const struct ppp *ppp);
unsigned int ppp_max_failure(const struct ppp *ppp);

/* Option walking shared by the protocol files: -EINVAL if malformed. */
int ppp_opts_check(const uint8_t *opts, size_t len);
static inline uint16_t ppp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline void ppp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline uint32_t ppp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}
static inline void ppp_put32(uint8_t *p, uint32_t v)
{
	ppp_put16(p, (uint16_t)(v >> 16));
	ppp_put16(p + 2, (uint16_t)v);
}

/* lcp.c */
extern const struct fsm_ops lcp_ops;
void lcp_start(struct ppp *ppp);
int lcp_input(struct ppp *ppp, const uint8_t *pkt, size_t len);
void lcp_reset_peer(struct ppp *ppp);
void lcp_timer(struct ppp *ppp);
uint64_t lcp_deadline(const struct ppp *ppp);
void lcp_send_protocol_reject(struct ppp *ppp, uint16_t proto,
			      const uint8_t *info, size_t len);

/* ipcp.c, ipv6cp.c */
extern const struct fsm_ops ipcp_ops;
extern const struct fsm_ops ipv6cp_ops;

/* ppp.c: send an authentication packet and keep it for resending. */
void ppp_auth_send(struct ppp *ppp, uint16_t proto, uint8_t code, uint8_t id,
		   const uint8_t *data, size_t len);
void ppp_auth_resend(struct ppp *ppp);
/* Server, before checking a credential of user name (the whole packet):
 * true if it is held for cb.auth_hold's delay (the caller stops; it comes
 * back through the protocol's input once due), false to check it now. */
bool ppp_auth_hold(struct ppp *ppp, const char *name, const uint8_t *pkt,
		   size_t len);
/* Server: whether cb.auth_hold locks user name out (its delay unused). */
bool ppp_auth_locked(struct ppp *ppp, const char *name);
/* Server: name's secret into secret (as get_secret), or for an unknown
 * user the engine's dummy secret. Returns its length; *known says which. */
size_t ppp_auth_secret(struct ppp *ppp, const char *name, uint8_t *secret,
		       size_t size, bool *known);
/* Server: a credential was refused (what: the method, for the log; why as
 * for cb.auth_failed, "locked out" if a->refuse). */
void ppp_auth_refused(struct ppp *ppp, const char *what, const char *why);
/* Printable copy of peer-supplied text, for logs. */
void ppp_printable(char *dst, size_t size, const uint8_t *src, size_t len);

/* pap.c, chap.c: authentication, both roles. */
void pap_start(struct ppp *ppp);
void pap_input(struct ppp *ppp, const uint8_t *pkt, size_t len);
void pap_timer(struct ppp *ppp);
void pap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v);
void chap_start(struct ppp *ppp);
void chap_input(struct ppp *ppp, const uint8_t *pkt, size_t len);
void chap_timer(struct ppp *ppp);
void chap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v);
void eap_start(struct ppp *ppp);
void eap_input(struct ppp *ppp, const uint8_t *pkt, size_t len);
void eap_timer(struct ppp *ppp);
void eap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v);
void eap_server_method(struct ppp *ppp, uint8_t type, const uint8_t *d, size_t dl);
void eap_client_method(struct ppp *ppp, uint8_t type, const uint8_t *d, size_t dl);
void eap_server_done(struct ppp *ppp, bool ok, const char *why);
/* eap_tls.c: EAP-TLS and PEAPv0 */
int eap_tls_server_start(struct ppp *ppp, bool peap);
void eap_tls_server_input(struct ppp *ppp, const uint8_t *d, size_t len);
bool eap_tls_client_input(struct ppp *ppp, uint8_t type, const uint8_t *d,
			  size_t len);
bool eap_tls_client_done(struct ppp *ppp);
bool eap_tls_tunnel(const struct ppp *ppp);
void eap_tls_inner_send(struct ppp *ppp, uint8_t code, const uint8_t *data,
			size_t len);
void eap_tls_inner_done(struct ppp *ppp, bool ok);
void eap_tls_free(struct ppp *ppp);
/* The best method of mask in the configured order (lcp.c). */
enum ppp_auth ppp_auth_best(const struct ppp *ppp, unsigned int mask);
/* chap.c: the MS-CHAPv2 checks EAP-MSCHAPv2 shares. */
bool mschapv2_server_check(struct ppp *ppp, const uint8_t *val,
			   const uint8_t *secret, size_t slen);
int mschapv2_client_response(struct ppp *ppp, uint8_t val[49]);
bool mschapv2_client_check(struct ppp *ppp, const uint8_t *p, size_t len);

#endif /* SSTP_PPP_INTERNAL_H */
