// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session in sstpctl's words: one line of "key=value" words, values
 * percent-encoded so that they hold no blanks or '=' (sstpctl decodes them
 * and prints a table or JSON).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "daemon/session_internal.h"

struct session_line {
	char *buf;
	size_t size, n;
};

static void session_put(void *ctx, const char *key, const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	struct session_line *l = ctx;
	size_t n = l->n;

	n += (size_t)snprintf(l->buf + n, n < l->size ? l->size - n : 0, "%s%s=",
			      l->n ? " " : "", key);
	for (; *val && n + 4 < l->size; val++) {
		unsigned char c = (unsigned char)*val;

		if (c <= ' ' || c >= 0x7f || c == '%' || c == '=') {
			l->buf[n++] = '%';
			l->buf[n++] = hex[c >> 4];
			l->buf[n++] = hex[c & 15];
		} else {
			l->buf[n++] = (char)c;
		}
	}
	if (n < l->size)
		l->buf[n] = 0;
	l->n = n < l->size ? n : l->size - 1;
}

static void session_put_u(struct session_line *l, const char *key,
			  unsigned long long v)
{
	char s[24];

	snprintf(s, sizeof(s), "%llu", v);
	session_put(l, key, s);
}

static const char *session_ip_str(uint32_t ip, char *buf, size_t size)
{
	struct in_addr a = { .s_addr = htonl(ip) };

	return ip ? inet_ntop(AF_INET, &a, buf, (socklen_t)size) : "-";
}

const char *session_phase_name(const struct session *s)
{
	return session_phase_names[s->phase];
}

bool session_is_up(const struct session *s)
{
	return s->phase == SP_SSTP && s->connected;
}

static void session_put_path(void *ctx, const char *key, const char *val)
{
	const char **path = ctx;

	if (!strcmp(key, "data_path"))
		*path = val;
}

const char *session_data_path(struct session *s)
{
	const char *path = "none";

	/* The link's own words, as sstpctl shows them (static strings). */
	if (s->link)
		s->link->ops->describe(s->link, session_put_path, &path);
	return path;
}

void session_counters(struct session *s, uint64_t *rx_packets, uint64_t *rx_bytes,
		      uint64_t *tx_packets, uint64_t *tx_bytes)
{
	struct link_stats st = { 0 };

	link_update_stats(s->link);
	if (s->link)
		st = s->link->stats;
	*rx_packets = st.rx_packets;
	*rx_bytes = st.rx_bytes;
	*tx_packets = st.tx_packets;
	*tx_bytes = st.tx_bytes;
}

void session_describe(struct session *s, char *buf, size_t size)
{
	struct session_line l = { .buf = buf, .size = size };
	struct link_stats st = { 0 };
	char v[96];

	if (!size)
		return;
	buf[0] = 0;
	link_update_stats(s->link);
	if (s->link)
		st = s->link->stats;
	session_put_u(&l, "id", s->id);
	session_put(&l, "role", s->server ? "server" : "client");
	session_put(&l, "phase", session_phase_names[s->phase]);
	session_put(&l, "call", s->call_inited ?
		    sstp_call_state_name(sstp_call_state(&s->call)) : "-");
	session_put(&l, "user", s->server ? (s->user[0] ? s->user : "-")
					  : s->env->cfg->user);
	session_put(&l, "peer", s->peer);
	session_put(&l, "front_end", s->front[0] ? s->front : "-");
	session_put(&l, "ifname", s->link && s->link->ifname[0] ? s->link->ifname : "-");
	session_put(&l, "local_ip", session_ip_str(s->local_ip, v, sizeof(v)));
	session_put(&l, "peer_ip", session_ip_str(s->peer_ip, v, sizeof(v)));
	if (s->ipv6_up)
		session_ll_str(s->local_iid, v, sizeof(v));
	session_put(&l, "local_ip6", s->ipv6_up ? v : "-");
	if (s->ipv6_up)
		session_ll_str(s->peer_iid, v, sizeof(v));
	session_put(&l, "peer_ip6", s->ipv6_up ? v : "-");
	if (s->tls.ssl && s->tls.established)
		tls_describe(&s->tls, v, sizeof(v));
	else if (s->plain)
		snprintf(v, sizeof(v), "at the front end");
	else
		snprintf(v, sizeof(v), "-");
	session_put(&l, "tls", v);
	/* Before the SSTP phase there is no link yet: the daemon reads. */
	if (s->link)
		s->link->ops->describe(s->link, session_put, &l);
	else
		session_put(&l, "data_path", s->ktls ? "user-ktls" : "user");
	session_put_u(&l, "uptime", (loop_now() - s->started) / 1000);
	session_put_u(&l, "rx_packets", st.rx_packets);
	session_put_u(&l, "rx_bytes", st.rx_bytes);
	session_put_u(&l, "tx_packets", st.tx_packets);
	session_put_u(&l, "tx_bytes", st.tx_bytes);
	session_put_u(&l, "rx_dropped", st.rx_dropped + s->ppp_dropped);
	session_put_u(&l, "tx_dropped", st.tx_dropped);
	if (s->server)
		session_guard_describe(s, session_put, &l);
}
