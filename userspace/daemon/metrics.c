// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/metrics.h"
#include "daemon/session.h"
#include "version.h"

/* The label values, in a fixed order so that every series is always
 * there (a scraper sees 0 rather than a missing series). */
static const char *const metrics_phases[] = { "front", "tcp", "proxy", "tls", "http", "sstp" };
static const char *const metrics_paths[] = { "kernel", "user", "user-ktls", "none" };
#define METRICS_N(a)	(sizeof(a) / sizeof((a)[0]))

static time_t metrics_started;

__attribute__((constructor)) static void metrics_start_time(void)
{
	metrics_started = time(NULL);
}

static void metrics_head(FILE *f, const char *name, const char *type,
			 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void metrics_index(const char *const *names, size_t n, const char *v,
			  uint64_t *counts)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], v))
			counts[i]++;
}

static void metrics_failures(FILE *f, const struct session_stats *st, bool auth)
{
	int r;

	for (r = SESSION_FAIL_NONE + 1; r < SESSION_FAIL_MAX; r++)
		if ((r >= SESSION_FAIL_AUTH_FIRST) == auth)
			fprintf(f, "sstpd_%s_failures_total{reason=\"%s\"} %" PRIu64 "\n",
				auth ? "auth" : "handshake", session_fail_names[r],
				st->failed[r]);
}

int metrics_format(struct session_env *env, char **out, size_t *len)
{
	uint64_t by_phase[METRICS_N(metrics_phases)] = { 0 };
	uint64_t by_path[METRICS_N(metrics_paths)] = { 0 };
	const struct session_stats *st = &env->stats;
	uint64_t rp = st->rx_packets, rb = st->rx_bytes, tp = st->tx_packets;
	uint64_t tb = st->tx_bytes, up = 0, a, b, c, d;
	struct session *s;
	size_t i;
	FILE *f;

	for (s = env->sessions; s; s = session_next(s)) {
		metrics_index(metrics_phases, METRICS_N(metrics_phases),
			      session_phase_name(s), by_phase);
		metrics_index(metrics_paths, METRICS_N(metrics_paths),
			      session_data_path(s), by_path);
		session_counters(s, &a, &b, &c, &d);
		rp += a;
		rb += b;
		tp += c;
		tb += d;
		up += session_is_up(s);
	}
	f = open_memstream(out, len);
	if (!f)
		return -ENOMEM;
	metrics_head(f, "sstpd_info", "gauge", "The running sstpd.");
	fprintf(f, "sstpd_info{version=\"%s\",mode=\"%s\"} 1\n", SSTPD_VERSION,
		env->cfg->mode == CONFIG_MODE_SERVER ? "server" : "client");
	metrics_head(f, "sstpd_start_time_seconds", "gauge",
		     "When sstpd started, in seconds since the epoch.");
	fprintf(f, "sstpd_start_time_seconds %lld\n", (long long)metrics_started);
	metrics_head(f, "sstpd_sessions", "gauge", "Sessions now, by phase.");
	for (i = 0; i < METRICS_N(metrics_phases); i++)
		fprintf(f, "sstpd_sessions{phase=\"%s\"} %" PRIu64 "\n", metrics_phases[i],
			by_phase[i]);
	metrics_head(f, "sstpd_sessions_data_path", "gauge",
		     "Sessions now, by data path (none: before the SSTP phase).");
	for (i = 0; i < METRICS_N(metrics_paths); i++)
		fprintf(f, "sstpd_sessions_data_path{data_path=\"%s\"} %" PRIu64 "\n",
			metrics_paths[i], by_path[i]);
	metrics_head(f, "sstpd_sessions_up", "gauge",
		     "Sessions now whose SSTP call is connected.");
	fprintf(f, "sstpd_sessions_up %" PRIu64 "\n", up);
	metrics_head(f, "sstpd_max_sessions", "gauge", "The configured max_sessions.");
	fprintf(f, "sstpd_max_sessions %u\n", env->cfg->max_sessions);
	metrics_head(f, "sstpd_sessions_total", "counter",
		     "Connections taken (server) or made (client).");
	fprintf(f, "sstpd_sessions_total %" PRIu64 "\n", st->sessions);
	metrics_head(f, "sstpd_sessions_connected_total", "counter",
		     "Sessions whose SSTP call got connected.");
	fprintf(f, "sstpd_sessions_connected_total %" PRIu64 "\n", st->connected);
	metrics_head(f, "sstpd_handshake_failures_total", "counter",
		     "Sessions that failed before authentication, by reason.");
	metrics_failures(f, st, false);
	metrics_head(f, "sstpd_auth_failures_total", "counter",
		     "Sessions that failed authentication or the crypto binding, by reason.");
	metrics_failures(f, st, true);
	metrics_head(f, "sstpd_receive_packets_total", "counter",
		     "Data packets from the peers.");
	fprintf(f, "sstpd_receive_packets_total %" PRIu64 "\n", rp);
	metrics_head(f, "sstpd_receive_bytes_total", "counter", "Data bytes from the peers.");
	fprintf(f, "sstpd_receive_bytes_total %" PRIu64 "\n", rb);
	metrics_head(f, "sstpd_transmit_packets_total", "counter",
		     "Data packets to the peers.");
	fprintf(f, "sstpd_transmit_packets_total %" PRIu64 "\n", tp);
	metrics_head(f, "sstpd_transmit_bytes_total", "counter", "Data bytes to the peers.");
	fprintf(f, "sstpd_transmit_bytes_total %" PRIu64 "\n", tb);
	metrics_head(f, "sstpd_reloads_total", "counter",
		     "Configuration reloads (SIGHUP, sstpctl reload), by result.");
	fprintf(f, "sstpd_reloads_total{result=\"ok\"} %" PRIu64 "\n",
		st->reloads - st->reloads_refused);
	fprintf(f, "sstpd_reloads_total{result=\"refused\"} %" PRIu64 "\n",
		st->reloads_refused);
	if (fclose(f))
		return -ENOMEM;
	return 0;
}
