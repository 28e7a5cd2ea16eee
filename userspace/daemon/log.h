/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's diagnostics: one line per event on stderr (journald and the
 * tests read it there), with a level and, for sessions, "[id]" in front.
 */
#ifndef SSTP_LOG_H
#define SSTP_LOG_H

#include <syslog.h>

extern int log_level;		/* LOG_ERR .. LOG_DEBUG; default LOG_INFO */

void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	do { if (log_level >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif /* SSTP_LOG_H */
