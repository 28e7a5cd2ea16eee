/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A short list of address prefixes from the configuration ("10.0.0.1
 * 192.168.0.0/16 2001:db8::/32"), and whether a peer's address is in it.
 * IPv4 peers seen on an IPv6 socket (::ffff:a.b.c.d) match IPv4 prefixes.
 */
#ifndef SSTP_PREFIX_H
#define SSTP_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PREFIX_LIST_MAX	16

struct prefix {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* network order, host bits cleared */
	unsigned int len;		/* prefix length in bits */
};

struct prefix_list {
	unsigned int n;
	struct prefix p[PREFIX_LIST_MAX];
};

/* Blank or comma separated addresses, each with an optional /len (a bare
 * address is a host). 0, or -EINVAL with the word at fault in err. */
int prefix_list_parse(const char *s, struct prefix_list *out, char *err,
		      size_t errlen);
bool prefix_list_match(const struct prefix_list *l, const struct sockaddr *sa);

#endif /* SSTP_PREFIX_H */
