/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sstpd's RADIUS client: requests to authentication and accounting
 * servers over UDP, on the daemon's event loop (never blocking it), with
 * retransmission, several servers in order with failover, and every answer
 * checked before anyone sees it (Response Authenticator, and the
 * Message-Authenticator, which every request of ours carries first).
 * Packets are built with proto/radius.h. docs/radius.md has the design.
 *
 * A request's life: radius_req_new() (header, random authenticator, the
 * Message-Authenticator's place), the caller adds its attributes to
 * radius_req_pkt(), radius_req_send() hands it over. Exactly one call of
 * its done callback follows, from the loop, unless the caller cancels it
 * first (radius_req_cancel(): then none). The client frees the request
 * after done returns. A request needs no owner once sent: an
 * Accounting-Request Stop outlives its session (done may be NULL).
 */
#ifndef SSTP_DAEMON_RADIUS_H
#define SSTP_DAEMON_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "proto/radius.h"

struct loop;
struct radius;
struct radius_req;

#define RADIUS_MAX_SERVERS	8

struct radius_config {
	/* "host[:port] ..." (IPv4, [IPv6] or names); acct empty: the auth
	 * servers' hosts on port 1813. */
	const char *auth_servers, *acct_servers;
	const char *secret;
	unsigned int timeout_ms;	/* per try */
	unsigned int retries;		/* tries per server */
	unsigned int deadtime_ms;	/* a server that failed is skipped this long */
	/* Access-* answers must carry a Message-Authenticator: never,
	 * always, or (auto) from each server once it has sent one. */
	enum radius_require_ma { RADIUS_MA_NO, RADIUS_MA_YES, RADIUS_MA_AUTO } require_ma;
};

/*
 * The answer: resp is the whole checked packet (radius_len(resp) bytes,
 * its code one that answers the request), req_auth the authenticator the
 * request went with (to decrypt MS-MPPE keys). err: 0, or -ETIMEDOUT when
 * no server answered (resp NULL).
 */
typedef void radius_done_fn(void *ctx, const uint8_t *resp,
			    const uint8_t *req_auth, int err);

/* 0 or -errno with err filled ("auth_servers: ..."). */
int radius_new(struct loop *loop, const struct radius_config *cfg,
	       struct radius **out, char *err, size_t errlen);
/* Requests still in flight are dropped without their done. */
void radius_free(struct radius *r);
bool radius_has_acct(const struct radius *r);

/* An Access-Request (acct false) or Accounting-Request (acct true). */
struct radius_req *radius_req_new(struct radius *r, bool acct);
struct radius_pkt *radius_req_pkt(struct radius_req *q);
/* Hide a User-Password with the secret (Access-Request). */
int radius_req_add_password(struct radius_req *q, const uint8_t *pw, size_t len);
/* Send; the request belongs to the client from here on. ctx/done may be
 * NULL. 0 or -errno (then the request is freed and done never called). */
int radius_req_send(struct radius_req *q, radius_done_fn *done, void *ctx);
/* Forget a request's answer: done will not be called. */
void radius_req_cancel(struct radius_req *q);
/* Drop a request never sent. */
void radius_req_free(struct radius_req *q);

/* The shared secret (for MS-MPPE keys and the dynamic authorization
 * listener when it has no secret of its own). */
const char *radius_secret(const struct radius *r);

/* How many requests are in flight (shutdown waits for accounting). */
unsigned int radius_in_flight(const struct radius *r);

#endif /* SSTP_DAEMON_RADIUS_H */
