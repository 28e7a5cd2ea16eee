/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: a unix stream socket the daemon serves and sstpctl
 * talks to. One request line per connection, the answer, then close:
 *
 *   list              one line per session, "key=value" words (values
 *                     percent-encoded, see session_describe()), then EOF
 *   disconnect <id>   "ok" or "error: ..."
 *   ncp <id> ipv4|ipv6 open|close   "ok" or "error: ..."
 *   reload            re-read the configuration (as SIGHUP): "ok: ..." or
 *                     "error: ..." with the reason (file:line)
 *   metrics           the counters in the Prometheus text format
 *
 * Only root can connect (mode 0600): it can end anyone's session.
 *
 * The same server, opened on a TCP address (metrics_listen), answers HTTP
 * "GET /metrics" with the metrics and nothing else: a scraper gets no
 * command.
 */
#ifndef SSTP_CTL_H
#define SSTP_CTL_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon/loop.h"

struct session_env;

struct ctl {
	struct loop *loop;
	struct session_env *env;
	struct loop_fd lfd;
	bool http;			/* the metrics listener */
	unsigned int n_conns;
	struct loop_timer rest;		/* out of descriptors: accept later */
	char path[108];			/* the unix socket's, to unlink */
};

int ctl_open(struct ctl *c, struct loop *loop, struct session_env *env,
	     const char *path, char *err, size_t errlen);
/* The metrics listener on addr:port. */
int ctl_open_http(struct ctl *c, struct loop *loop, struct session_env *env,
		  const char *addr, char *err, size_t errlen);
void ctl_close(struct ctl *c);

/* sstpctl's side: send request, copy the whole answer to out_fd. */
int ctl_request(const char *path, const char *request, int out_fd);

#endif /* SSTP_CTL_H */
