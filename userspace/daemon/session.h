/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One SSTP session: a TCP connection with TLS on it, the HTTP exchange,
 * the SSTP call state machine, a PPP engine and a link backend, all driven
 * from the daemon's one event loop. A server has many, a client one.
 *
 * Lifetime: a session is created by session_accept() / session_connect()
 * and ends in session_down() exactly once, whatever ended it (peer closed,
 * TLS error, SSTP abort or disconnect, PPP down, hello timeout, admin
 * disconnect, daemon shutdown). session_down() releases the connection, the
 * interface and the address at once and defers the free to a zero timer,
 * because it usually runs inside a callback of the engines it frees.
 */
#ifndef SSTP_SESSION_H
#define SSTP_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "daemon/config.h"
#include "daemon/loop.h"
#include "daemon/prefix.h"
#include "daemon/list.h"
#include "ppp/ppp.h"
#include "proto/crypto_binding.h"

struct bpf_guard;
struct loop;
struct rtnl;
struct pool;
struct ppp_secrets;
struct radius;
struct session;
struct throttle;

/*
 * Why a session failed before its call was up, one reason per session,
 * counted once when it goes down (sstpctl stats, the metrics). The
 * handshake's reasons come first, then authentication's.
 */
enum session_fail {
	SESSION_FAIL_NONE,
	SESSION_FAIL_CONNECT,		/* client: TCP or the HTTP proxy */
	SESSION_FAIL_PROXY_PROTOCOL,	/* a front end's PROXY header missing or bad */
	SESSION_FAIL_NOT_TLS,		/* not TLS on a TLS listener */
	SESSION_FAIL_TLS,		/* the TLS handshake */
	SESSION_FAIL_HTTP,		/* not an SSTP_DUPLEX_POST (or its answer) */
	SESSION_FAIL_TIMEOUT,		/* a phase before SSTP took too long */
	SESSION_FAIL_SSTP,		/* the SSTP call before authentication */
	SESSION_FAIL_PPP,		/* LCP: no common method, negotiation */
	SESSION_FAIL_AUTH_FIRST,
	SESSION_FAIL_AUTH_CREDENTIALS = SESSION_FAIL_AUTH_FIRST,
					/* wrong secret or unknown user */
	SESSION_FAIL_AUTH_TIMEOUT,	/* authentication did not finish */
	SESSION_FAIL_AUTH_REFUSED,	/* authenticated, but no address for it */
	SESSION_FAIL_AUTH_BACKEND,	/* no RADIUS server answered */
	SESSION_FAIL_CRYPTO_BINDING,	/* CALL_CONNECTED did not verify */
	SESSION_FAIL_MAX,
};

extern const char *const session_fail_names[SESSION_FAIL_MAX];

/* The daemon's counters since it started. */
struct session_stats {
	uint64_t sessions;		/* connections taken (server) or made */
	uint64_t connected;		/* calls that reached Call_Connected */
	uint64_t failed[SESSION_FAIL_MAX];
	/* Data counters of the sessions that are gone (sstpctl adds the
	 * live ones): from the peer (rx) and to it (tx). */
	uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes;
	uint64_t reloads, reloads_refused;
};

/* What all sessions of one daemon share. */
struct session_env {
	struct loop *loop;
	const struct config *cfg;
	SSL_CTX *ssl;
	SSL_CTX *eap_ssl;		/* PEAP, EAP-TLS run locally: TLS inside EAP */
	struct rtnl *rtnl;
	struct pool *pool;		/* server */
	struct ppp_secrets *secrets;	/* server */
	uint32_t local_ip;		/* server: our tunnel address, host order */
	uint32_t dns[2];		/* server: offered DNS, host order, 0 = none */
	unsigned int auth;		/* PPP_AUTH_* the server asks / the client accepts */
	enum ppp_auth auth_order[5];	/* in the order of [server|client] auth */
	enum ppp_eap_type eap_order[4];
	struct radius *radius;		/* server: [radius] auth_servers set */
	char nas_id[64];		/* NAS-Identifier */
	uint32_t nas_ip;		/* NAS-IP-Address, host order, 0 = none */
	uint32_t acct_base;		/* start time: Acct-Session-Ids stay unique */
	/* The kernel data path is usable (offload = auto|yes and sstp.ko is
	 * there): sessions try kTLS after the handshake and, when both
	 * directions are offloaded, hand the socket to sstp.ko. */
	bool offload;
	/* offload = auto|yes without the kernel data path: why not, for each
	 * session's "data path" line. */
	char offload_why[192];
	/* server: front ends whose connections start with a PROXY header */
	struct prefix_list proxy_from;
	/* server, listen_plain: the hashes of the TLS terminator's
	 * certificate, which the crypto binding is checked against */
	bool have_plain_cert;
	struct crypto_binding_cert plain_cert;
	struct throttle *throttle;	/* server: authentication throttling */
	struct bpf_guard *guard;	/* server: source validation, or NULL */

	/* server: the sockets that answer DHCPINFORMs (UDP :67) and send
	 * Router Advertisements (raw ICMPv6) for every session, opened at
	 * start (session_addrconf_open()); fd -1 and addrconf_why[0|1] say
	 * why not. */
	struct loop_fd dhcp_lfd, ra_lfd;
	char addrconf_why[2][80];

	struct session_stats stats;
	struct session *sessions;	/* all live sessions */
	unsigned int n_sessions;
	unsigned int next_id;
	/*
	 * Server admission (docs/sstpd.md, "Before authentication"): the
	 * sessions not authenticated yet, on a list of their own (counted
	 * per source at every accept; session_env_init() readies it), and
	 * how many are.
	 */
	struct list_head preauth;
	unsigned int n_preauth, n_auth;
	/* Server: one of the counts went down; the listener may resume. */
	void (*admit)(struct session_env *env);
	/* Called after a session is gone (its memory is about to be freed);
	 * failed: it ended in an error rather than a clean disconnect. */
	void (*gone)(struct session_env *env, unsigned int id, bool failed);
	/* sstpctl reload: re-read the configuration, as SIGHUP does. 0, or
	 * -errno with the reason in msg; msg says what was done either way. */
	int (*reload)(struct session_env *env, char *msg, size_t size);
};

/* Server: open env's DHCPINFORM and Router Advertisement sockets, which
 * take privileges the daemon has only at start (port 67, a raw socket);
 * without them sessions run on and say why (env->addrconf_why). */
void session_addrconf_open(struct session_env *env);
void session_addrconf_close_all(struct session_env *env);

/* Server: before the first session_accept(). */
void session_env_init(struct session_env *env);
/* Server: is every slot taken (max_preauth unauthenticated connections,
 * or max_sessions sessions)? Then the listener stops accepting. */
bool session_env_full(const struct session_env *env);
/* Server: take over an accepted, non-blocking socket. plain: it came to
 * listen_plain (HTTP from a TLS terminator, no TLS here). 0; -EBUSY when
 * session_env_full(), -EDQUOT when its source has max_preauth_per_source
 * unauthenticated connections already (the socket is closed). */
int session_accept(struct session_env *env, int fd,
		   const struct sockaddr *peer, socklen_t peer_len, bool plain);
/* Client: connect to [client] server (through [client] proxy if set). */
int session_connect(struct session_env *env);

struct session *session_find(struct session_env *env, unsigned int id);
/* Walk env->sessions. */
struct session *session_next(struct session *s);
/* Graceful: SSTP CALL_DISCONNECT (or an immediate close before SSTP). */
void session_disconnect(struct session *s, const char *why);
/* Administrator (and test-suite): close or reopen one NCP (IPCP, or
 * IPV6CP with ipv6) while LCP stays up; that family's data stops and its
 * address leaves the interface until the NCP is open again. 0, -ENOTCONN
 * (not in the SSTP phase or PPP not in its network phase), -EOPNOTSUPP
 * (that NCP is not enabled). */
int session_ncp(struct session *s, bool ipv6, bool open);
/* Why a session is ended from outside (RADIUS Acct-Terminate-Cause):
 * call before session_disconnect(). */
enum session_end_cause { SESSION_END_ADMIN = 1, SESSION_END_SHUTDOWN };
void session_end_cause(struct session *s, enum session_end_cause cause);
/* Every session, gracefully. */
void session_disconnect_all(struct session_env *env, const char *why);
/* Immediately, without goodbyes (shutdown deadline passed). */
void session_kill_all(struct session_env *env, const char *why);

/* A dynamic authorization request (RFC 5176, checked by daemon/dae.c):
 * the sessions it identifies disconnect or take its changes. 0 (ACK) or
 * the Error-Cause of the NAK. */
uint32_t session_radius_dae(struct session_env *env, const uint8_t *req);

/* One line of "key=value" words describing the session (for sstpctl);
 * values are percent-encoded so that they hold no blanks or '='. */
void session_describe(struct session *s, char *buf, size_t size);
/* Where it stands, for the metrics: the phase ("tls", "sstp", ...), the
 * data path ("kernel", "user", "user-ktls", or "none" before SSTP), and
 * its link's counters so far (zero without a link). */
const char *session_phase_name(const struct session *s);
bool session_is_up(const struct session *s);
const char *session_data_path(struct session *s);
void session_counters(struct session *s, uint64_t *rx_packets, uint64_t *rx_bytes,
		      uint64_t *tx_packets, uint64_t *tx_bytes);

#endif /* SSTP_SESSION_H */
