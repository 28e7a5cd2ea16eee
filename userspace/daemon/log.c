// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
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
