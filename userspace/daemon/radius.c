// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RADIUS client (daemon/radius.h): UDP sockets on the event loop, one
 * identifier space per socket, retransmission and failover on timers.
 *
 * Each server has up to RADIUS_SOCKS sockets, connect()ed to it (so only
 * its answers arrive); a socket carries at most 256 requests at once, one
 * per identifier, and a new one opens when they are all taken. A request
 * goes to the first server that is not resting after a failure (all of
 * them rest: the first), is sent `retries` times `timeout_ms` apart, then
 * moves to the next server it has not tried, and when none is left its
 * done gets -ETIMEDOUT. A server that let a request down rests for
 * deadtime_ms; one that answers is well again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/radius.h"

#define RADIUS_SOCKS		16
#define RADIUS_AUTH_PORT	1812
#define RADIUS_ACCT_PORT	1813
#define RADIUS_SECRET_MAX	128

struct radius_server;

struct radius_sock {
	struct radius_server *srv;
	struct loop_fd lfd;
	unsigned int n;			/* requests in flight */
	uint8_t next_id;
	struct radius_req *inflight[256];
};

struct radius_server {
	struct radius *r;
	char name[96];
	struct sockaddr_storage addr;
	socklen_t alen;
	uint64_t rest_until;		/* loop_now(); 0: well */
	bool sent_ma;			/* answered with a Message-Authenticator */
	struct radius_sock *socks[RADIUS_SOCKS];
};

struct radius {
	struct loop *loop;
	struct radius_server auth[RADIUS_MAX_SERVERS], acct[RADIUS_MAX_SERVERS];
	unsigned int n_auth, n_acct;
	uint8_t secret[RADIUS_SECRET_MAX];
	size_t slen;
	char secret_str[RADIUS_SECRET_MAX + 1];
	unsigned int timeout_ms, retries, deadtime_ms;
	enum radius_require_ma require_ma;
	unsigned int in_flight;
	struct radius_req *reqs;	/* every request sent and not done */
};

struct radius_req {
	struct radius *r;
	bool acct, sent;
	struct radius_pkt pkt;
	uint8_t auth[RADIUS_AUTH_LEN];	/* the authenticator as sent */
	unsigned int srv;		/* index of the server being tried */
	unsigned int tried;		/* servers tried so far */
	unsigned int tries;		/* sends to this server */
	struct radius_sock *sock;
	uint8_t id;
	struct loop_timer timer;
	radius_done_fn *done;
	void *ctx;
	struct radius_req *prev, *next;
};

/* ------------------------------------------------------------ servers */

static struct radius_sock *radius_sock_open(struct radius_server *s);

static int radius_parse_servers(const char *list, unsigned int port,
				struct radius_server *srv, unsigned int *n,
				struct radius *r, char *err, size_t errlen,
				const char *what)
{
	char buf[512], *tok, *save = NULL;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		struct radius_server *s = &srv[*n];

		if (*n == RADIUS_MAX_SERVERS) {
			snprintf(err, errlen, "%s: more than %d servers", what,
				 RADIUS_MAX_SERVERS);
			return -EINVAL;
		}
		memset(s, 0, sizeof(*s));
		if (endpoint_sockaddr_port(tok, port, &s->addr, &s->alen)) {
			snprintf(err, errlen, "%s: '%s' is not an address[:port]",
				 what, tok);
			return -EINVAL;
		}
		s->r = r;
		{
			char host[80];
			unsigned int pt;

			endpoint_split(tok, host, sizeof(host), &pt, port);
			snprintf(s->name, sizeof(s->name), strchr(host, ':') ?
				 "[%s]:%u" : "%s:%u", host, pt);
		}
		(*n)++;
	}
	return 0;
}

int radius_new(struct loop *loop, const struct radius_config *cfg,
	       struct radius **out, char *err, size_t errlen)
{
	struct radius *r;
	char acct[512];
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->loop = loop;
	r->timeout_ms = cfg->timeout_ms;
	r->retries = cfg->retries ? cfg->retries : 1;
	r->deadtime_ms = cfg->deadtime_ms;
	r->require_ma = cfg->require_ma;
	r->slen = strlen(cfg->secret);
	if (!r->slen || r->slen > RADIUS_SECRET_MAX) {
		snprintf(err, errlen, "secret: must be 1..%d bytes", RADIUS_SECRET_MAX);
		ret = -EINVAL;
		goto err;
	}
	memcpy(r->secret, cfg->secret, r->slen);
	memcpy(r->secret_str, cfg->secret, r->slen);
	ret = radius_parse_servers(cfg->auth_servers, RADIUS_AUTH_PORT, r->auth,
				   &r->n_auth, r, err, errlen, "auth_servers");
	if (ret)
		goto err;
	if (!r->n_auth) {
		snprintf(err, errlen, "auth_servers: none given");
		ret = -EINVAL;
		goto err;
	}
	if (cfg->acct_servers && cfg->acct_servers[0]) {
		snprintf(acct, sizeof(acct), "%s", cfg->acct_servers);
	} else {
		/* The auth servers' hosts on the accounting port. */
		size_t n = 0;

		acct[0] = 0;
		for (unsigned int i = 0; i < r->n_auth; i++) {
			char host[96];
			unsigned int port;

			endpoint_split(r->auth[i].name, host, sizeof(host), &port, 1);
			n += (size_t)snprintf(acct + n, n < sizeof(acct) ? sizeof(acct) - n : 0,
					      strchr(host, ':') ? "[%s]:%d " : "%s:%d ",
					      host, RADIUS_ACCT_PORT);
		}
	}
	ret = radius_parse_servers(acct, RADIUS_ACCT_PORT, r->acct, &r->n_acct, r,
				   err, errlen, "acct_servers");
	if (ret)
		goto err;
	/* A socket per server from the start; more only under load. */
	for (unsigned int i = 0; i < r->n_auth + r->n_acct; i++) {
		struct radius_server *s = i < r->n_auth ? &r->auth[i] :
					  &r->acct[i - r->n_auth];

		s->socks[0] = radius_sock_open(s);
		if (!s->socks[0]) {
			snprintf(err, errlen, "%s: no socket: %s", s->name, strerror(errno));
			radius_free(r);
			return -EIO;
		}
	}
	*out = r;
	return 0;
err:
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
	return ret;
}

static void radius_sock_close(struct radius *r, struct radius_sock *k)
{
	int fd = k->lfd.fd;

	loop_fd_del(r->loop, &k->lfd);		/* sets lfd.fd to -1 */
	close(fd);
	free(k);
}

void radius_free(struct radius *r)
{
	struct radius_req *q;
	unsigned int i, j;

	if (!r)
		return;
	while ((q = r->reqs)) {
		radius_req_cancel(q);
		/* Cancelled requests wait for their timer; drop them now. */
		loop_timer_cancel(r->loop, &q->timer);
		r->reqs = q->next;
		free(q);
	}
	for (i = 0; i < RADIUS_MAX_SERVERS; i++) {
		for (j = 0; j < RADIUS_SOCKS; j++) {
			if (r->auth[i].socks[j])
				radius_sock_close(r, r->auth[i].socks[j]);
			if (r->acct[i].socks[j])
				radius_sock_close(r, r->acct[i].socks[j]);
		}
	}
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
}

bool radius_has_acct(const struct radius *r)
{
	return r && r->n_acct;
}

const char *radius_secret(const struct radius *r)
{
	return r->secret_str;
}

unsigned int radius_in_flight(const struct radius *r)
{
	return r ? r->in_flight : 0;
}

/* ------------------------------------------------------------ requests */

struct radius_req *radius_req_new(struct radius *r, bool acct)
{
	uint8_t auth[RADIUS_AUTH_LEN];
	struct radius_req *q;

	if (RAND_bytes(auth, sizeof(auth)) != 1)
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->r = r;
	q->acct = acct;
	radius_init(&q->pkt, acct ? RADIUS_ACCOUNTING_REQUEST : RADIUS_ACCESS_REQUEST,
		    0, acct ? NULL : auth);
	/* First, as draft-ietf-radext-deprecating-radius asks (BlastRADIUS). */
	radius_add_msg_auth(&q->pkt);
	return q;
}

struct radius_pkt *radius_req_pkt(struct radius_req *q)
{
	return &q->pkt;
}

int radius_req_add_password(struct radius_req *q, const uint8_t *pw, size_t len)
{
	return radius_add_user_password(&q->pkt, pw, len, q->r->secret, q->r->slen);
}

void radius_req_free(struct radius_req *q)
{
	if (!q)
		return;
	OPENSSL_cleanse(q, sizeof(*q));
	free(q);
}

static struct radius_server *radius_req_server(struct radius_req *q)
{
	return q->acct ? &q->r->acct[q->srv] : &q->r->auth[q->srv];
}

static void radius_sock_input(struct loop_fd *lfd, uint32_t events);

static struct radius_sock *radius_sock_open(struct radius_server *s)
{
	struct radius_sock *k;
	int fd, err;

	fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&s->addr, s->alen) < 0) {
		log_warn("RADIUS %s: connect: %s", s->name, strerror(errno));
		close(fd);
		return NULL;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		close(fd);
		return NULL;
	}
	k->srv = s;
	if (RAND_bytes(&k->next_id, 1) != 1)
		k->next_id = 0;
	err = loop_fd_add(s->r->loop, &k->lfd, fd, EPOLLIN, radius_sock_input);
	if (err) {
		close(fd);
		free(k);
		return NULL;
	}
	return k;
}

/* A socket with a free identifier, opened if need be. */
static int radius_req_bind(struct radius_req *q)
{
	struct radius_server *s = radius_req_server(q);
	struct radius_sock *k;
	unsigned int i, j;

	for (i = 0; i < RADIUS_SOCKS; i++) {
		if (!s->socks[i]) {
			s->socks[i] = radius_sock_open(s);
			if (!s->socks[i])
				return -EIO;
		}
		k = s->socks[i];
		if (k->n == 256)
			continue;
		for (j = 0; j < 256; j++, k->next_id++) {
			if (!k->inflight[k->next_id])
				break;
		}
		q->sock = k;
		q->id = k->next_id++;
		k->inflight[q->id] = q;
		k->n++;
		return 0;
	}
	return -EBUSY;
}

static void radius_req_unbind(struct radius_req *q)
{
	if (!q->sock)
		return;
	q->sock->inflight[q->id] = NULL;
	q->sock->n--;
	q->sock = NULL;
}

static void radius_req_timer(struct loop_timer *t);

static void radius_req_transmit(struct radius_req *q)
{
	struct radius *r = q->r;

	q->tries++;
	if (send(q->sock->lfd.fd, q->pkt.buf, q->pkt.len, 0) < 0)
		log_debug("RADIUS %s: send: %s", radius_req_server(q)->name,
			  strerror(errno));
	loop_timer_set(r->loop, &q->timer, loop_now() + r->timeout_ms,
		       radius_req_timer);
}

/* The request to its current server: a fresh identifier and signature. */
static int radius_req_start(struct radius_req *q)
{
	int err;

	err = radius_req_bind(q);
	if (err)
		return err;
	q->tries = 0;
	q->pkt.buf[1] = q->id;
	err = radius_sign(&q->pkt, q->r->secret, q->r->slen, NULL);
	if (err) {
		radius_req_unbind(q);
		return err;
	}
	memcpy(q->auth, q->pkt.buf + 4, RADIUS_AUTH_LEN);
	log_debug("RADIUS %s: %s id %u to %s", q->acct ? "acct" : "auth",
		  radius_code_name(q->pkt.buf[0]), q->id, radius_req_server(q)->name);
	radius_req_transmit(q);
	return 0;
}

static void radius_req_finish(struct radius_req *q, const uint8_t *resp, int err)
{
	struct radius *r = q->r;

	loop_timer_cancel(r->loop, &q->timer);
	radius_req_unbind(q);
	if (q->prev)
		q->prev->next = q->next;
	else
		r->reqs = q->next;
	if (q->next)
		q->next->prev = q->prev;
	r->in_flight--;
	if (q->done)
		q->done(q->ctx, resp, q->auth, err);
	radius_req_free(q);
}

/* The next server this request has not tried; false when none is left. */
static bool radius_req_next_server(struct radius_req *q)
{
	unsigned int n = q->acct ? q->r->n_acct : q->r->n_auth;

	if (++q->tried >= n)
		return false;
	q->srv = (q->srv + 1) % n;
	return true;
}

static void radius_req_timer(struct loop_timer *t)
{
	struct radius_req *q = container_of(t, struct radius_req, timer);
	struct radius *r = q->r;
	struct radius_server *s = radius_req_server(q);

	if (q->tries < r->retries) {
		log_debug("RADIUS %s: no answer to id %u, sending again", s->name, q->id);
		radius_req_transmit(q);
		return;
	}
	radius_req_unbind(q);
	s->rest_until = loop_now() + r->deadtime_ms;
	log_warn("RADIUS %s server %s did not answer (%u tries)",
		 q->acct ? "accounting" : "authentication", s->name, q->tries);
	while (radius_req_next_server(q)) {
		if (!radius_req_start(q))
			return;
	}
	radius_req_finish(q, NULL, -ETIMEDOUT);
}

int radius_req_send(struct radius_req *q, radius_done_fn *done, void *ctx)
{
	struct radius *r = q->r;
	unsigned int n = q->acct ? r->n_acct : r->n_auth, i;
	uint64_t now = loop_now();
	int err = -ENOENT;

	q->done = done;
	q->ctx = ctx;
	q->srv = 0;
	for (i = 0; i < n; i++) {
		struct radius_server *s = q->acct ? &r->acct[i] : &r->auth[i];

		if (s->rest_until <= now) {
			q->srv = i;
			break;
		}
	}
	q->tried = 0;
	q->next = r->reqs;
	if (r->reqs)
		r->reqs->prev = q;
	r->reqs = q;
	r->in_flight++;
	q->sent = true;
	do {
		err = radius_req_start(q);
		if (!err)
			return 0;
	} while (radius_req_next_server(q));
	/* No socket anywhere: nothing was sent, no done. */
	q->done = NULL;
	radius_req_finish(q, NULL, err);
	return err;
}

void radius_req_cancel(struct radius_req *q)
{
	if (q) {
		q->done = NULL;
		q->ctx = NULL;
	}
}

/* ------------------------------------------------------------ answers */

static bool radius_answers(uint8_t req, uint8_t resp)
{
	if (req == RADIUS_ACCOUNTING_REQUEST)
		return resp == RADIUS_ACCOUNTING_RESPONSE;
	return resp == RADIUS_ACCESS_ACCEPT || resp == RADIUS_ACCESS_REJECT ||
	       resp == RADIUS_ACCESS_CHALLENGE;
}

static void radius_sock_input(struct loop_fd *lfd, uint32_t events)
{
	struct radius_sock *k = container_of(lfd, struct radius_sock, lfd);
	struct radius *r = k->srv->r;
	uint8_t buf[RADIUS_MAX_LEN];
	struct radius_req *q;
	ssize_t n;
	int i, err;

	for (i = 0; i < 64; i++) {
		n = recv(lfd->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			/* ECONNREFUSED: an ICMP error for something we sent;
			 * the request's timer moves it on. */
			if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED)
				log_warn("RADIUS %s: recv: %s", k->srv->name, strerror(errno));
			if (errno == EAGAIN)
				return;
			continue;
		}
		if (radius_check(buf, (size_t)n)) {
			log_warn("RADIUS %s: malformed packet dropped", k->srv->name);
			continue;
		}
		q = k->inflight[buf[1]];
		if (!q || !radius_answers(q->pkt.buf[0], buf[0])) {
			log_debug("RADIUS %s: %s id %u answers nothing we asked",
				  k->srv->name, radius_code_name(buf[0]), buf[1]);
			continue;
		}
		err = radius_verify(buf, r->secret, r->slen, q->auth, !q->acct &&
				    (r->require_ma == RADIUS_MA_YES ||
				     (r->require_ma == RADIUS_MA_AUTO && k->srv->sent_ma)));
		if (err) {
			log_warn("RADIUS %s: %s id %u dropped: %s", k->srv->name,
				 radius_code_name(buf[0]), buf[1],
				 err == -ENOMSG ? "no Message-Authenticator" :
				 "authenticator does not verify (wrong secret?)");
			continue;
		}
		k->srv->rest_until = 0;
		if (!k->srv->sent_ma && !q->acct &&
		    radius_find(buf, RADIUS_MESSAGE_AUTHENTICATOR, &(size_t){ 0 })) {
			k->srv->sent_ma = true;
			if (r->require_ma == RADIUS_MA_AUTO)
				log_info("RADIUS %s sends Message-Authenticator: "
					 "required from now on", k->srv->name);
		}
		log_debug("RADIUS %s: %s id %u", k->srv->name,
			  radius_code_name(buf[0]), buf[1]);
		radius_req_finish(q, buf, 0);
	}
}
