/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests' socket addresses from text: "192.0.2.1" or "2001:db8::1". */
#ifndef SSTP_TEST_ADDR_H
#define SSTP_TEST_ADDR_H

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static inline struct sockaddr *test_sockaddr(const char *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(a, ':')) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, a, &in6->sin6_addr);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		inet_pton(AF_INET, a, &in->sin_addr);
	}
	return (struct sockaddr *)ss;
}

#endif /* SSTP_TEST_ADDR_H */
