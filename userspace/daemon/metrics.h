/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's counters and gauges in the Prometheus text format (0.0.4):
 * what `sstpctl metrics` prints, what `sstpctl stats` reads, and what the
 * metrics_listen address serves to a scraper at /metrics. Totals only, no
 * per-user series: a gateway's users are not a label set.
 */
#ifndef SSTP_METRICS_H
#define SSTP_METRICS_H

#include <stddef.h>

struct session_env;

/* The whole text in a malloc'd buffer (*out, *len), or -ENOMEM. */
int metrics_format(struct session_env *env, char **out, size_t *len);

#endif /* SSTP_METRICS_H */
