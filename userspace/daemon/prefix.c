// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "daemon/prefix.h"

static void prefix_mask(uint8_t *a, unsigned int bytes, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		if (len >= 8) {
			len -= 8;
			continue;
		}
		a[i] &= (uint8_t)(0xff00 >> len);
		len = 0;
	}
}

static int prefix_parse_one(char *w, struct prefix *p)
{
	char *slash = strchr(w, '/'), *end;
	unsigned long len;
	unsigned int max;

	if (slash)
		*slash = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, w, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, w, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	p->len = max;
	if (slash) {
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || len > max)
			return -EINVAL;
		p->len = (unsigned int)len;
	}
	prefix_mask(p->addr, max / 8, p->len);
	return 0;
}

int prefix_list_parse(const char *s, struct prefix_list *out, char *err,
		      size_t errlen)
{
	char buf[512], *w, *save = NULL, word[64];

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "too long");
		return -EINVAL;
	}
	strcpy(buf, s);
	for (w = strtok_r(buf, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if (out->n == PREFIX_LIST_MAX) {
			snprintf(err, errlen, "more than %d prefixes", PREFIX_LIST_MAX);
			return -EINVAL;
		}
		snprintf(word, sizeof(word), "%s", w);
		if (prefix_parse_one(w, &out->p[out->n])) {
			snprintf(err, errlen, "'%s' is not an address or address/length", word);
			return -EINVAL;
		}
		out->n++;
	}
	return 0;
}

bool prefix_list_match(const struct prefix_list *l, const struct sockaddr *sa)
{
	uint8_t a[16];
	unsigned int i, bytes;
	int family;

	if (sa->sa_family == AF_INET) {
		memcpy(a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		family = AF_INET;
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *in6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(in6)) {
			memcpy(a, in6->s6_addr + 12, 4);
			family = AF_INET;
		} else {
			memcpy(a, in6->s6_addr, 16);
			family = AF_INET6;
		}
	} else {
		return false;
	}
	bytes = family == AF_INET ? 4 : 16;
	for (i = 0; i < l->n; i++) {
		uint8_t m[16];

		if (l->p[i].family != family)
			continue;
		memcpy(m, a, bytes);
		prefix_mask(m, bytes, l->p[i].len);
		if (!memcmp(m, l->p[i].addr, bytes))
			return true;
	}
	return false;
}
