// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>

#include "daemon/endpoint.h"

int endpoint_split(const char *in, char *host, size_t hsize,
		   unsigned int *port, unsigned int defport)
{
	const char *colon, *h = in;
	unsigned long p;
	char *end;
	size_t n;

	*port = defport;
	if (in[0] == '[') {
		const char *rb = strchr(in, ']');

		if (!rb || (rb[1] && rb[1] != ':'))
			return -EINVAL;
		h = in + 1;
		n = (size_t)(rb - h);
		colon = rb[1] ? rb + 1 : NULL;
	} else {
		colon = strrchr(in, ':');
		/* More than one colon and no brackets: a bare IPv6 address. */
		if (colon && strchr(in, ':') != colon)
			colon = NULL;
		n = colon ? (size_t)(colon - in) : strlen(in);
	}
	if (!n || n >= hsize)
		return -EINVAL;
	if (colon) {
		errno = 0;
		p = strtoul(colon + 1, &end, 10);
		if (!colon[1] || *end || errno || colon[1] == '-' || colon[1] == '+' ||
		    !p || p > 65535)
			return -EINVAL;
		*port = (unsigned int)p;
	}
	memcpy(host, h, n);
	host[n] = 0;
	return 0;
}

int endpoint_sockaddr(const char *in, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	return endpoint_sockaddr_port(in, 0, ss, len);
}

int endpoint_sockaddr_port(const char *in, unsigned int defport,
			   struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN];
	unsigned int port;

	memset(ss, 0, sizeof(*ss));
	if (endpoint_split(in, host, sizeof(host), &port, defport) || !port)
		return -EINVAL;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a6);
		return 0;
	}
	return -EINVAL;
}

int endpoint_listen(const char *in, int backlog, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, ret;

	if (endpoint_sockaddr(in, &ss, &len)) {
		snprintf(err, errlen, "%s: not addr:port or [v6]:port", in);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", in, strerror(errno));
		return ret;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", in, strerror(errno));
		close(fd);
		return ret;
	}
	return fd;
}

void endpoint_source(const struct sockaddr *sa, struct endpoint_source *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		out->len = 4;
		memcpy(out->key, &in->sin_addr, 4);
		out->port = ntohs(in->sin_port);
		inet_ntop(AF_INET, &in->sin_addr, out->text, sizeof(out->text));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		out->port = ntohs(in6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			out->len = 4;
			memcpy(out->key, in6->sin6_addr.s6_addr + 12, 4);
			inet_ntop(AF_INET, out->key, out->text, sizeof(out->text));
		} else {
			out->len = 8;
			memcpy(out->key, in6->sin6_addr.s6_addr, 8);
			inet_ntop(AF_INET6, &in6->sin6_addr, out->text, sizeof(out->text));
		}
	} else {
		snprintf(out->text, sizeof(out->text), "?");
	}
}
