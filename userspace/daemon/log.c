// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon/log.h"

int log_level = LOG_INFO;

void log_msg(int prio, const char *fmt, ...)
{
	static const char *const names[] = {
		[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert", [LOG_CRIT] = "crit",
		[LOG_ERR] = "error", [LOG_WARNING] = "warn", [LOG_NOTICE] = "notice",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};
	struct timespec ts;
	char line[1024];
	va_list ap;

	if (prio > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	/* One write per line so that lines of two daemons sharing a log
	 * file do not interleave. */
	fprintf(stderr, "%lld.%03ld %s: %s\n", (long long)ts.tv_sec,
		ts.tv_nsec / 1000000, names[prio & 7], line);
}

const char *log_escape(char *dst, size_t size, const void *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = src;
	size_t i, n = 0, w, room;
	bool cut = false;
	char e[4];

	if (!size)
		return dst;
	room = size - 1;
	for (i = 0; i < len; i++) {
		if (p[i] == '\\' || p[i] == '"') {
			e[0] = '\\';
			e[1] = (char)p[i];
			w = 2;
		} else if (p[i] < 0x20 || p[i] > 0x7e) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[p[i] >> 4];
			e[3] = hex[p[i] & 15];
			w = 4;
		} else {
			e[0] = (char)p[i];
			w = 1;
		}
		/* Whatever is not the end keeps room for the "...". */
		if (n + w > room || (i + 1 < len && n + w + 3 > room)) {
			cut = true;
			break;
		}
		memcpy(dst + n, e, w);
		n += w;
	}
	if (cut) {
		w = room - n < 3 ? room - n : 3;
		memcpy(dst + n, "...", w);
		n += w;
	}
	dst[n] = 0;
	return dst;
}

const char *log_escape_str(char *dst, size_t size, const char *src)
{
	return log_escape(dst, size, src, strlen(src));
}

static unsigned int log_limit_interval(const struct log_limit *l)
{
	return l->interval_ms ? l->interval_ms : 5000;
}

void log_limited(struct log_limit *l, unsigned long long now, int prio,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (now < l->next) {
		vsnprintf(l->last, sizeof(l->last), fmt, ap);
		l->prio = prio;
		l->suppressed++;
	} else {
		char line[768];

		vsnprintf(line, sizeof(line), fmt, ap);
		log_msg(prio, "%s", line);
		l->next = now + log_limit_interval(l);
	}
	va_end(ap);
}

void log_limited_flush(struct log_limit *l, unsigned long long now)
{
	if (!l->suppressed || now < l->next)
		return;
	log_msg(l->prio, "%s (%lu like it in the last %u s)", l->last, l->suppressed,
		log_limit_interval(l) / 1000);
	l->suppressed = 0;
	l->next = now + log_limit_interval(l);
}
