/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dynamic authorization (RFC 5176): a UDP listener on the event loop that
 * takes Disconnect-Request and CoA-Request from the RADIUS side, checks
 * who sent it (an allowed client, the shared secret, the Request
 * Authenticator and any Message-Authenticator, the NAS it names), lets
 * the sessions it identifies act on it, and answers ACK or NAK with an
 * Error-Cause. A retransmitted request gets the same answer again.
 */
#ifndef SSTP_DAEMON_DAE_H
#define SSTP_DAEMON_DAE_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct dae;
struct session_env;

struct dae_config {
	const char *listen;		/* "addr[:port]", port 3799 by default */
	const char *secret;
	const char *clients;		/* allowed source addresses, blank separated */
};

/* 0 or -errno with err filled. */
int dae_new(struct loop *loop, struct session_env *env,
	    const struct dae_config *cfg, struct dae **out, char *err,
	    size_t errlen);
void dae_free(struct dae *d);

#endif /* SSTP_DAEMON_DAE_H */
