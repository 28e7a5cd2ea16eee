// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dynamic authorization listener (daemon/dae.h, RFC 5176).
 *
 * What is checked, in order, and what happens when it fails:
 *   source address not in dae_clients   dropped, logged
 *   malformed, not a Disconnect/CoA     dropped, logged
 *   Request Authenticator or a present  dropped, logged (3.5: silently
 *   Message-Authenticator wrong         discarded)
 *   a retransmission (same source, id   the cached answer again
 *   and authenticator)
 *   NAS-Identifier / NAS-IP-Address     NAK, NAS-Identification-Mismatch
 *   not ours
 * Then the sessions act (session_radius_dae(): identification, the
 * attributes a CoA may change) and the answer carries their Error-Cause.
 * Every answer echoes the request's Proxy-State attributes in order and
 * has a Message-Authenticator.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "daemon/dae.h"
#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/session.h"
#include "proto/radius.h"

#define DAE_PORT	3799
#define DAE_CLIENTS	16
#define DAE_CACHE	32

struct dae_answer {
	struct sockaddr_storage from;
	socklen_t flen;
	uint8_t id, auth[RADIUS_AUTH_LEN];
	uint8_t pkt[RADIUS_MAX_LEN];
	size_t len;
};

struct dae {
	struct loop *loop;
	struct session_env *env;
	struct loop_fd lfd;
	uint8_t secret[128];
	size_t slen;
	struct sockaddr_storage clients[DAE_CLIENTS];
	unsigned int n_clients;
	struct dae_answer cache[DAE_CACHE];	/* the last answers, a ring */
	unsigned int next;
};

static bool dae_same_host(const struct sockaddr_storage *a,
			  const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static bool dae_same_port(const struct sockaddr_storage *a,
			  const struct sockaddr_storage *b)
{
	return a->ss_family == AF_INET ?
	       ((const struct sockaddr_in *)a)->sin_port ==
	       ((const struct sockaddr_in *)b)->sin_port :
	       ((const struct sockaddr_in6 *)a)->sin6_port ==
	       ((const struct sockaddr_in6 *)b)->sin6_port;
}

static void dae_addr_str(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	if (!inet_ntop(ss->ss_family, a, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

/* Is this the NAS the request means? Absent attributes match. */
static bool dae_nas_matches(const struct dae *d, const uint8_t *req)
{
	const uint8_t *v;
	uint32_t ip;
	size_t n;

	v = radius_find(req, RADIUS_NAS_IDENTIFIER, &n);
	if (v && (n != strlen(d->env->nas_id) || memcmp(v, d->env->nas_id, n)))
		return false;
	if (!radius_get_u32(req, RADIUS_NAS_IP_ADDRESS, &ip) && ip != d->env->nas_ip)
		return false;
	return true;
}

static void dae_answer(struct dae *d, const uint8_t *req,
		       const struct sockaddr_storage *from, socklen_t flen,
		       uint32_t cause)
{
	bool coa = req[0] == RADIUS_COA_REQUEST;
	struct dae_answer *c = &d->cache[d->next];
	struct radius_pkt p;
	const uint8_t *v;
	size_t off = 0, n;
	uint8_t t;
	int err = 0;

	radius_init(&p, cause ? (coa ? RADIUS_COA_NAK : RADIUS_DISCONNECT_NAK) :
				(coa ? RADIUS_COA_ACK : RADIUS_DISCONNECT_ACK),
		    req[1], NULL);
	err |= radius_add_msg_auth(&p);
	if (cause)
		err |= radius_add_u32(&p, RADIUS_ERROR_CAUSE, cause);
	while (radius_next(req, &off, &t, &v, &n))
		if (t == RADIUS_PROXY_STATE)
			err |= radius_add(&p, t, v, n);
	if (err || radius_sign(&p, d->secret, d->slen, req + 4)) {
		log_warn("DAE: cannot build the answer");
		return;
	}
	if (sendto(d->lfd.fd, p.buf, p.len, 0, (const struct sockaddr *)from, flen) < 0)
		log_warn("DAE: sendto: %s", strerror(errno));
	/* Kept for a retransmission of the same request. */
	c->from = *from;
	c->flen = flen;
	c->id = req[1];
	memcpy(c->auth, req + 4, RADIUS_AUTH_LEN);
	memcpy(c->pkt, p.buf, p.len);
	c->len = p.len;
	d->next = (d->next + 1) % DAE_CACHE;
}

static const struct dae_answer *dae_cached(const struct dae *d, const uint8_t *req,
					   const struct sockaddr_storage *from)
{
	for (unsigned int i = 0; i < DAE_CACHE; i++) {
		const struct dae_answer *c = &d->cache[i];

		if (c->len && c->id == req[1] && dae_same_host(&c->from, from) &&
		    dae_same_port(&c->from, from) &&
		    !memcmp(c->auth, req + 4, RADIUS_AUTH_LEN))
			return c;
	}
	return NULL;
}

static void dae_request(struct dae *d, const uint8_t *req, size_t len,
			const struct sockaddr_storage *from, socklen_t flen)
{
	const struct dae_answer *c;
	char who[INET6_ADDRSTRLEN];
	unsigned int i;
	uint32_t cause;
	int err;

	dae_addr_str(from, who, sizeof(who));
	for (i = 0; i < d->n_clients; i++)
		if (dae_same_host(&d->clients[i], from))
			break;
	if (i == d->n_clients) {
		log_warn("DAE: request from %s, which is not in dae_clients: dropped", who);
		return;
	}
	if (radius_check(req, len) || (req[0] != RADIUS_DISCONNECT_REQUEST &&
				       req[0] != RADIUS_COA_REQUEST)) {
		log_warn("DAE: malformed or unexpected packet from %s dropped", who);
		return;
	}
	err = radius_verify(req, d->secret, d->slen, NULL, false);
	if (err) {
		log_warn("DAE: %s id %u from %s does not verify (wrong secret?): dropped",
			 radius_code_name(req[0]), req[1], who);
		return;
	}
	c = dae_cached(d, req, from);
	if (c) {
		log_info("DAE: %s id %u from %s again: same answer",
			 radius_code_name(req[0]), req[1], who);
		sendto(d->lfd.fd, c->pkt, c->len, 0, (const struct sockaddr *)from, flen);
		return;
	}
	if (!dae_nas_matches(d, req))
		cause = RADIUS_ERR_NAS_IDENTIFICATION_MISMATCH;
	else
		cause = session_radius_dae(d->env, req);
	log_info("DAE: %s id %u from %s: %s%s%u", radius_code_name(req[0]), req[1],
		 who, cause ? "NAK" : "ACK", cause ? ", Error-Cause " : "",
		 cause ? cause : 0);
	dae_answer(d, req, from, flen, cause);
}

static void dae_input(struct loop_fd *lfd, uint32_t events)
{
	struct dae *d = container_of(lfd, struct dae, lfd);
	uint8_t buf[RADIUS_MAX_LEN];
	struct sockaddr_storage from;
	socklen_t flen;
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) {
		flen = sizeof(from);
		n = recvfrom(lfd->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("DAE: recvfrom: %s", strerror(errno));
			if (errno != EINTR)
				return;
			continue;
		}
		dae_request(d, buf, (size_t)n, &from, flen);
	}
}

int dae_new(struct loop *loop, struct session_env *env,
	    const struct dae_config *cfg, struct dae **out, char *err,
	    size_t errlen)
{
	char buf[512], *tok, *save = NULL;
	struct sockaddr_storage ss;
	socklen_t len;
	struct dae *d;
	int fd, ret;

	if (endpoint_sockaddr_port(cfg->listen, DAE_PORT, &ss, &len)) {
		snprintf(err, errlen, "dae_listen = %s: not address[:port]", cfg->listen);
		return -EINVAL;
	}
	if (!cfg->secret[0] || strlen(cfg->secret) > 128) {
		snprintf(err, errlen, "dae_secret: must be 1..128 bytes");
		return -EINVAL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->loop = loop;
	d->env = env;
	d->slen = strlen(cfg->secret);
	memcpy(d->secret, cfg->secret, d->slen);
	snprintf(buf, sizeof(buf), "%s", cfg->clients);
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		socklen_t cl;

		if (d->n_clients == DAE_CLIENTS ||
		    endpoint_sockaddr_port(tok, 1, &d->clients[d->n_clients], &cl)) {
			snprintf(err, errlen, "dae_clients: '%s' is not an address "
				 "(or more than %d)", tok, DAE_CLIENTS);
			ret = -EINVAL;
			goto err_free;
		}
		d->n_clients++;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "dae_listen = %s: %s", cfg->listen, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto err_free;
	}
	ret = loop_fd_add(loop, &d->lfd, fd, EPOLLIN, dae_input);
	if (ret) {
		close(fd);
		snprintf(err, errlen, "epoll: %s", strerror(-ret));
		goto err_free;
	}
	*out = d;
	return 0;
err_free:
	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
	return ret;
}

void dae_free(struct dae *d)
{
	int fd;

	if (!d)
		return;
	fd = d->lfd.fd;
	loop_fd_del(d->loop, &d->lfd);		/* sets lfd.fd to -1 */
	close(fd);
	OPENSSL_cleanse(d, sizeof(*d));
	free(d);
}
