// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pppd-style chap-secrets file (format in secrets.h). Parsed whole into
 * memory; a bad line fails the load with "<file>:<line>: <what>" so that a
 * typo never silently locks a user out or lets one in.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ppp/ppp.h"
#include "ppp/secrets.h"

#define SECRETS_FILE_MAX (16u << 20)
#define SECRETS_WORD_MAX 1024

struct ppp_secrets {
	struct ppp_secret *v;
	size_t n, cap;
};

static void secret_uninit(struct ppp_secret *s)
{
	size_t i;

	free(s->client);
	free(s->server);
	if (s->secret) {
		OPENSSL_cleanse(s->secret, strlen(s->secret));
		free(s->secret);
	}
	for (i = 0; i < s->n_addrs; i++)
		free(s->addrs[i]);
	free(s->addrs);
}

void ppp_secrets_free(struct ppp_secrets *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		secret_uninit(&s->v[i]);
	free(s->v);
	free(s);
}

size_t ppp_secrets_count(const struct ppp_secrets *s)
{
	return s ? s->n : 0;
}

static int secrets_error(char *err, size_t errlen, const char *name,
			 unsigned int line, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err && errlen)
		snprintf(err, errlen, "%s:%u: %s", name, line, what);
	return -EINVAL;
}

/*
 * Next word of the line at *pp (stops at end of line). Returns 1 with the
 * word in buf, 0 at end of line, or -EINVAL with *why set.
 */
static int secrets_word(const char **pp, const char *end, char *buf,
			size_t size, size_t *len, const char **why)
{
	const char *p = *pp;
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end || *p == '\n' || *p == '#') {
		*pp = p;
		return 0;
	}
	if (*p == '"') {
		for (p++;; p++) {
			if (p == end || *p == '\n') {
				*why = "unterminated quoted string";
				return -EINVAL;
			}
			if (*p == '"') {
				p++;
				break;
			}
			if (*p == '\\' && p + 1 < end && p[1] != '\n')
				p++;
			if (n + 1 >= size) {
				*why = "word too long";
				return -EINVAL;
			}
			buf[n++] = *p;
		}
		if (p < end && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n' && *p != '#') {
			*why = "text right after a closing quote";
			return -EINVAL;
		}
	} else {
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r' &&
		       *p != '\n' && *p != '#') {
			if (*p == '"') {
				*why = "quote inside a word";
				return -EINVAL;
			}
			if (n + 1 >= size) {
				*why = "word too long";
				return -EINVAL;
			}
			buf[n++] = *p++;
		}
	}
	buf[n] = '\0';
	*len = n;
	*pp = p;
	return 1;
}

static int secrets_add(struct ppp_secrets *s, struct ppp_secret *e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct ppp_secret *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = *e;
	return 0;
}

/* One line, [p, end) without the newline. */
static int secrets_line(struct ppp_secrets *s, const char *p, const char *end,
			const char *name, unsigned int line, char *err,
			size_t errlen)
{
	struct ppp_secret e = { .line = line };
	char word[SECRETS_WORD_MAX];
	const char *why = NULL;
	size_t len = 0;
	int nw = 0, r;

	for (;;) {
		char *dup, **addrs;

		r = secrets_word(&p, end, word, sizeof(word), &len, &why);
		if (r < 0) {
			secret_uninit(&e);
			return secrets_error(err, errlen, name, line, "%s", why);
		}
		if (r == 0)
			break;
		if (memchr(word, '\0', len)) {
			secret_uninit(&e);
			return secrets_error(err, errlen, name, line,
					     "NUL byte in a word");
		}
		if (nw < 3 && len > PPP_NAME_MAX) {
			secret_uninit(&e);
			return secrets_error(err, errlen, name, line,
					     "%s longer than %d bytes",
					     nw == 2 ? "secret" : "name",
					     PPP_NAME_MAX);
		}
		dup = strdup(word);
		if (!dup)
			goto nomem;
		switch (nw++) {
		case 0:
			e.client = dup;
			break;
		case 1:
			e.server = dup;
			break;
		case 2:
			e.secret = dup;
			break;
		default:
			addrs = realloc(e.addrs, (e.n_addrs + 1) * sizeof(*addrs));
			if (!addrs) {
				free(dup);
				goto nomem;
			}
			e.addrs = addrs;
			e.addrs[e.n_addrs++] = dup;
		}
	}
	OPENSSL_cleanse(word, sizeof(word));
	if (nw == 0)
		return 0;
	if (nw < 3) {
		secret_uninit(&e);
		return secrets_error(err, errlen, name, line,
				     "expected client, server and secret");
	}
	if (secrets_add(s, &e))
		goto nomem;
	return 0;
nomem:
	secret_uninit(&e);
	return -ENOMEM;
}

int ppp_secrets_parse(const char *text, size_t len, const char *name,
		      struct ppp_secrets **out, char *err, size_t errlen)
{
	struct ppp_secrets *s;
	const char *p = text, *end = text + len;
	unsigned int line = 0;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (memchr(text, '\0', len))
		return secrets_error(err, errlen, name, 0, "NUL byte in file");
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		line++;
		r = secrets_line(s, p, eol, name, line, err, errlen);
		if (r) {
			ppp_secrets_free(s);
			if (r == -ENOMEM && err && errlen)
				snprintf(err, errlen, "%s: out of memory", name);
			return r;
		}
		p = nl ? nl + 1 : end;
	}
	*out = s;
	return 0;
}

int ppp_secrets_load(const char *path, struct ppp_secrets **out,
		     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;
	int r;

	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	for (;;) {
		if (len == cap) {
			char *nb;

			if (cap >= SECRETS_FILE_MAX) {
				r = -EFBIG;
				if (err && errlen)
					snprintf(err, errlen, "%s: larger than %u bytes",
						 path, SECRETS_FILE_MAX);
				goto out;
			}
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				r = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		r = -EIO;
		if (err && errlen)
			snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	r = ppp_secrets_parse(buf ? buf : "", len, path, out, err, errlen);
out:
	if (buf) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	fclose(f);
	return r;
}

/* 0: no match; otherwise higher is more specific. */
static int secret_match(const struct ppp_secret *e, const char *client,
			const char *server)
{
	int score = 1;

	if (!strcmp(e->client, client))
		score += 2;
	else if (strcmp(e->client, "*"))
		return 0;
	if (server && !strcmp(e->server, server))
		score += 1;
	else if (strcmp(e->server, "*"))
		return 0;
	return score;
}

const struct ppp_secret *ppp_secrets_lookup(const struct ppp_secrets *s,
					    const char *client,
					    const char *server)
{
	const struct ppp_secret *best = NULL;
	int best_score = 0;
	size_t i;

	if (!s || !client)
		return NULL;
	for (i = 0; i < s->n; i++) {
		int sc = secret_match(&s->v[i], client, server);

		if (sc > best_score) {	/* first of equals wins */
			best = &s->v[i];
			best_score = sc;
		}
	}
	return best;
}
