/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Authentication throttling (docs/sstpd.md): failed authentications are
 * remembered per source (endpoint_source: an IPv4 address, an IPv6 /64)
 * and per user name, known or not. A credential is held before its check
 * for a delay that doubles with each remembered failure of its source or
 * of its name (whichever has more), up to a maximum; once either has
 * `lockout` failures, every credential from that source or for that name
 * is refused, right or wrong, until lockout_ms have passed without a
 * failure. A success forgets both records.
 *
 * Pure bookkeeping: it takes the time and does no I/O. Both tables are
 * bounded (the least recently failed record goes first) and keyed with a
 * per-instance random seed, so that a flood of names or addresses costs
 * memory it was given, and nobody can choose keys that collide.
 */
#ifndef SSTP_THROTTLE_H
#define SSTP_THROTTLE_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/endpoint.h"

struct throttle_config {
	uint32_t delay_ms;		/* after the first failure; 0: no delays */
	uint32_t delay_max_ms;
	unsigned int lockout;		/* failures that lock out; 0: never */
	/* How long a lockout lasts after the last failure, and how long a
	 * failure is remembered at all. */
	uint32_t lockout_ms;
	unsigned int max_records;	/* per table; 0: 4096 */
};

/* What one source or name has against it (throttle_hold's answer). */
struct throttle_state {
	unsigned int src_failures, user_failures;
	uint32_t hold_ms;
	bool locked;
};

struct throttle;

int throttle_new(const struct throttle_config *cfg, struct throttle **out);
void throttle_free(struct throttle *t);

/* A credential of user from src is about to be checked: how long to hold
 * it, and whether it is refused whatever it proves. */
void throttle_hold(struct throttle *t, const struct endpoint_source *src,
		   const char *user, uint64_t now, struct throttle_state *st);
/* It was refused (wrong password, unknown user, locked out). */
void throttle_failed(struct throttle *t, const struct endpoint_source *src,
		     const char *user, uint64_t now);
/* It was accepted. */
void throttle_passed(struct throttle *t, const struct endpoint_source *src,
		     const char *user);
/* Records held (sources, names), for tests and sstpctl. */
void throttle_count(const struct throttle *t, unsigned int *sources,
		    unsigned int *users);

#endif /* SSTP_THROTTLE_H */
