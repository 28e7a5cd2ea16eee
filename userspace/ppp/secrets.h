/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pppd-style chap-secrets file: one secret per line,
 *
 *   # client   server   secret        IP addresses (optional, any number)
 *   alice      *        "pass word"   10.0.0.5
 *   "bob"      sstpd    s3cret        *
 *
 * Words are separated by blanks; a word may be double-quoted (then it may
 * hold blanks and '#'; \" and \\ escape inside quotes). '#' starts a comment
 * outside quotes. '*' in the client or server column matches any name; an
 * exact match wins over a wildcard (client match ranks above server match).
 * Used for PAP, CHAP-MD5 and MS-CHAPv2 alike. Names and secrets are at most
 * 255 bytes. Not supported from pppd: "@file" secrets, line continuation.
 */
#ifndef SSTP_PPP_SECRETS_H
#define SSTP_PPP_SECRETS_H

#include <stddef.h>

struct ppp_secret {
	char *client;		/* "*" = any */
	char *server;		/* "*" = any */
	char *secret;
	char **addrs;		/* the IP-addresses column, as written */
	size_t n_addrs;
	unsigned int line;	/* where it came from */
};

struct ppp_secrets;

/*
 * Parse a file. Returns 0 or -errno; on a syntax error -EINVAL and err holds
 * "<path>:<line>: <what>" (also for I/O errors: "<path>: <strerror>").
 */
int ppp_secrets_load(const char *path, struct ppp_secrets **out,
		     char *err, size_t errlen);
/* Same, from a string in memory; name is used in error messages. */
int ppp_secrets_parse(const char *text, size_t len, const char *name,
		      struct ppp_secrets **out, char *err, size_t errlen);
void ppp_secrets_free(struct ppp_secrets *s);

/* The best entry for this client/server pair, or NULL. server NULL matches
 * only "*" entries. Among equally specific entries the first line wins. */
const struct ppp_secret *ppp_secrets_lookup(const struct ppp_secrets *s,
					    const char *client,
					    const char *server);
size_t ppp_secrets_count(const struct ppp_secrets *s);

#endif /* SSTP_PPP_SECRETS_H */
