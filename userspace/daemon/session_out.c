// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the session sends through TLS: one buffer of plaintext, written in
 * the loop turn after it was queued (so that a burst of packets becomes a
 * few large TLS records), with backpressure on the link when it grows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/session_internal.h"

/* Send backlog: above HIGH, stop reading the tunnel interface and drop
 * data; resume once below LOW. Control packets are always queued. */
#define SESSION_OUT_HIGH	(512 * 1024)
#define SESSION_OUT_LOW		(64 * 1024)
#define SESSION_OUT_MAX		(4 * 1024 * 1024)

/* Queue len bytes (whole packets, or the HTTP exchange). droppable: data
 * that may be refused while the backlog is above SESSION_OUT_HIGH. */
int session_queue(struct session *s, const uint8_t *data, size_t len,
		  bool droppable)
{
	size_t need;
	uint8_t *n;

	if (s->phase == SP_DOWN)
		return -ENOTCONN;
	if (droppable && s->olen >= SESSION_OUT_HIGH)
		return -ENOBUFS;
	if (s->olen + len > SESSION_OUT_MAX)
		return -ENOBUFS;
	if (s->ooff && s->ooff + s->olen + len > s->ocap) {
		memmove(s->obuf, s->obuf + s->ooff, s->olen);
		s->ooff = 0;
	}
	need = s->ooff + s->olen + len;
	if (need > s->ocap) {
		size_t cap = s->ocap ? s->ocap : 16384;

		while (cap < need)
			cap *= 2;
		n = realloc(s->obuf, cap);
		if (!n)
			return -ENOMEM;
		s->obuf = n;
		s->ocap = cap;
	}
	memcpy(s->obuf + s->ooff + s->olen, data, len);
	s->olen += len;
	s->otail = len;
	if (!loop_timer_armed(&s->flush_timer))
		loop_timer_set(s->env->loop, &s->flush_timer, loop_now(),
			       session_flush_timer);
	if (s->olen >= SESSION_OUT_HIGH && s->link && !s->tx_paused) {
		s->tx_paused = true;
		link_tx_pause(s->link, true);
	}
	return 0;
}

/*
 * Write what TLS takes now. Returns 0 or a fatal -errno.
 *
 * Everything queued is one burst: its last packet goes into a TLS record
 * of its own (sstp_proto_burst_len() says why; iperf3 -R -P 4 through sstpc
 * crawled and once stalled without it).
 */
int session_flush(struct session *s)
{
	ssize_t n;
	size_t len;

	while (s->olen) {
		len = sstp_proto_burst_len(s->olen, s->otail, false);
		n = session_write(s, s->obuf + s->ooff, len);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		s->ooff += (size_t)n;
		s->olen -= (size_t)n;
	}
	if (!s->olen)
		s->ooff = s->otail = 0;
	if (s->tx_paused && s->olen < SESSION_OUT_LOW && s->link) {
		s->tx_paused = false;
		link_tx_pause(s->link, false);
	}
	return 0;
}

void session_flush_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, flush_timer);
	int err;

	if (s->phase == SP_DOWN)
		return;
	err = session_flush(s);
	if (err) {
		if (s->call_inited && !sstp_call_is_down(&s->call))
			sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER, s->tls.err);
		else
			session_down(s, true, "%s", s->tls.err);
		return;
	}
	session_update_events(s);
}
