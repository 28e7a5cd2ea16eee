/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The options every program of the project answers alike: --version
 * (SSTPD_VERSION, build/gen/version.h from the Makefile) and --help.
 */
#ifndef SSTP_PROGOPTS_H
#define SSTP_PROGOPTS_H

#include <stdio.h>

#include "version.h"

/* The long options version_common_opt() answers, for a getopt table. */
#define VERSION_COMMON_OPTS \
	{ "version", no_argument, NULL, 'V' }, { "help", no_argument, NULL, 'h' }

/*
 * getopt's c for --version (-V), --help (-h) or an unknown option: prints
 * what it asks for and returns the exit status (0, or 2 with the usage on
 * stderr); any other option: -1, for the caller's own switch.
 */
static inline int version_common_opt(int c, const char *prog, void (*usage)(FILE *))
{
	switch (c) {
	case 'V':
		printf("%s %s\n", prog, SSTPD_VERSION);
		return 0;
	case 'h':
		usage(stdout);
		return 0;
	case '?':
		usage(stderr);
		return 2;
	}
	return -1;
}

#endif /* SSTP_PROGOPTS_H */
