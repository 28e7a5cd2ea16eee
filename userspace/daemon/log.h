/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's diagnostics: one line per event on stderr (journald and the
 * tests read it there), with a level and, for sessions, "[id]" in front.
 */
#ifndef SSTP_LOG_H
#define SSTP_LOG_H

#include <stddef.h>
#include <syslog.h>

extern int log_level;		/* LOG_ERR .. LOG_DEBUG; default LOG_INFO */

void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Bytes from the peer (a user name, an HTTP header) made safe for one log
 * line: '\\', '"' and every byte outside 0x20..0x7e become \\, \" and
 * \xNN, so that nothing the peer sends can start a line of its own, move
 * the cursor or hide a field. dst is always terminated; what does not fit
 * ends in "...". Returns dst, for use as a printf argument.
 */
const char *log_escape(char *dst, size_t size, const void *src, size_t len);
/* The same for a C string. */
const char *log_escape_str(char *dst, size_t size, const char *src);
/* Room log_escape() needs for n bytes of input, all of them escaped. */
#define LOG_ESCAPED_SIZE(n)	(4 * (n) + 1)

/*
 * A message that may come in floods (a refused connection per accept):
 * log_limited() prints it at most once per interval and counts the rest;
 * log_limited_flush(), called once the interval is over (the caller keeps
 * a timer for it at `next`), says how many there were, with the last one.
 */
struct log_limit {
	unsigned int interval_ms;	/* 0: 5000 */
	unsigned long long next;	/* loop_now() ms before which to be quiet */
	unsigned long suppressed;
	int prio;
	char last[256];			/* the last one left out */
};

void log_limited(struct log_limit *l, unsigned long long now, int prio,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void log_limited_flush(struct log_limit *l, unsigned long long now);

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	do { if (log_level >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif /* SSTP_LOG_H */
