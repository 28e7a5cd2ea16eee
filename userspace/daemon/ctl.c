// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/ctl.h"
#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "daemon/session.h"

/* A request (an HTTP one with its header) fits in this, or is refused. */
#define CTL_REQ_MAX		2048
/* A connection that has not sent its request by then is closed. */
#define CTL_IDLE_MS		5000
/* Connections open at once on one listener; more are closed at once. */
#define CTL_CONNS_MAX		32

struct ctl_conn {
	struct loop_fd lfd;
	struct loop_timer idle;
	struct ctl *ctl;
	char buf[CTL_REQ_MAX];
	size_t len;
};

static int ctl_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

static void ctl_write(int fd, const char *s, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* The metrics text; http: 1 with an HTTP header, 2 the header alone. */
static void ctl_metrics(struct ctl *c, int fd, int http)
{
	char head[160], *text;
	size_t len;

	if (metrics_format(c->env, &text, &len)) {
		ctl_write(fd, "error: out of memory\n", 21);
		return;
	}
	if (http) {
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\n"
			 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n", len);
		ctl_write(fd, head, strlen(head));
	}
	if (http != 2)
		ctl_write(fd, text, len);
	free(text);
}

static void ctl_handle(struct ctl *c, int fd, char *req)
{
	char line[2048], *end;
	struct session *s;
	unsigned long id;

	if (!strcmp(req, "list")) {
		for (s = c->env->sessions; s; s = session_next(s)) {
			session_describe(s, line, sizeof(line) - 1);
			strcat(line, "\n");
			ctl_write(fd, line, strlen(line));
		}
		return;
	}
	if (!strncmp(req, "disconnect ", 11)) {
		errno = 0;
		id = strtoul(req + 11, &end, 10);
		s = (!errno && !*end && req[11]) ? session_find(c->env, (unsigned int)id) : NULL;
		if (!s) {
			snprintf(line, sizeof(line), "error: no session %.100s\n", req + 11);
		} else {
			session_end_cause(s, SESSION_END_ADMIN);
			session_disconnect(s, "disconnected by the administrator");
			snprintf(line, sizeof(line), "ok\n");
		}
		ctl_write(fd, line, strlen(line));
		return;
	}
	if (!strncmp(req, "ncp ", 4)) {
		char fam[8], act[8];
		unsigned int sid;
		int n = 0, err;

		if (sscanf(req + 4, "%u %7s %7s%n", &sid, fam, act, &n) != 3 ||
		    req[4 + n] || (strcmp(fam, "ipv4") && strcmp(fam, "ipv6")) ||
		    (strcmp(act, "open") && strcmp(act, "close"))) {
			snprintf(line, sizeof(line),
				 "error: usage: ncp ID ipv4|ipv6 open|close\n");
		} else if (!(s = session_find(c->env, sid))) {
			snprintf(line, sizeof(line), "error: no session %u\n", sid);
		} else {
			err = session_ncp(s, fam[3] == '6', act[0] == 'o');
			if (err)
				snprintf(line, sizeof(line), "error: session %u: %s\n",
					 sid, strerror(-err));
			else
				snprintf(line, sizeof(line), "ok\n");
		}
		ctl_write(fd, line, strlen(line));
		return;
	}
	if (!strcmp(req, "reload")) {
		char msg[1024];
		int err = c->env->reload(c->env, msg, sizeof(msg));

		snprintf(line, sizeof(line), "%s: %s\n", err ? "error" : "ok", msg);
		ctl_write(fd, line, strlen(line));
		return;
	}
	if (!strcmp(req, "metrics")) {
		ctl_metrics(c, fd, 0);
		return;
	}
	snprintf(line, sizeof(line), "error: unknown request\n");
	ctl_write(fd, line, strlen(line));
}

/* The metrics listener: GET /metrics (or HEAD), 404 elsewhere, 405 for
 * other methods. The request line is all it looks at. */
static void ctl_http(struct ctl *c, int fd, const char *req)
{
	static const char not_found[] =
		"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
		"Content-Length: 26\r\nConnection: close\r\n\r\n"
		"Metrics are at /metrics.\r\n";
	static const char bad_method[] =
		"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n"
		"Content-Length: 0\r\nConnection: close\r\n\r\n";
	char method[8], uri[64];
	int n = 0;

	if (sscanf(req, "%7s %63s HTTP/1.%*1[01]%n", method, uri, &n) != 2 || !n) {
		ctl_write(fd, bad_method, strlen(bad_method));
		return;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		ctl_write(fd, bad_method, strlen(bad_method));
		return;
	}
	uri[strcspn(uri, "?")] = 0;
	if (strcmp(uri, "/metrics")) {
		ctl_write(fd, not_found, strlen(not_found));
		return;
	}
	ctl_metrics(c, fd, method[0] == 'H' ? 2 : 1);
}

static void ctl_conn_free(struct ctl_conn *cc)
{
	int fd = cc->lfd.fd;

	loop_timer_cancel(cc->ctl->loop, &cc->idle);
	loop_fd_del(cc->ctl->loop, &cc->lfd);
	close(fd);
	cc->ctl->n_conns--;
	free(cc);
}

static void ctl_conn_idle(struct loop_timer *t)
{
	ctl_conn_free(container_of(t, struct ctl_conn, idle));
}

/* The request is complete: a line, or for HTTP the whole header (read to
 * its end, so that closing does not reset the answer away). */
static char *ctl_conn_request(struct ctl_conn *cc)
{
	char *end = cc->ctl->http ? strstr(cc->buf, "\r\n\r\n") : strchr(cc->buf, '\n');

	if (!end && cc->ctl->http)
		end = strstr(cc->buf, "\n\n");
	if (!end)
		return cc->len < sizeof(cc->buf) - 1 ? NULL : cc->buf + cc->len;
	cc->buf[strcspn(cc->buf, "\r\n")] = 0;
	return end;
}

static void ctl_conn_io(struct loop_fd *lfd, uint32_t events)
{
	struct ctl_conn *cc = container_of(lfd, struct ctl_conn, lfd);
	struct timeval tv = { .tv_sec = 1 };
	ssize_t n;
	int fd = lfd->fd;

	n = read(fd, cc->buf + cc->len, sizeof(cc->buf) - 1 - cc->len);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		ctl_conn_free(cc);
		return;
	}
	cc->len += (size_t)n;
	cc->buf[cc->len] = 0;
	if (!ctl_conn_request(cc))
		return;
	/* Answers are small and the peer reads at once: a blocking write
	 * bounded by a timeout keeps this simple. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (cc->ctl->http)
		ctl_http(cc->ctl, fd, cc->buf);
	else
		ctl_handle(cc->ctl, fd, cc->buf);
	shutdown(fd, SHUT_WR);
	ctl_conn_free(cc);
}

static void ctl_rest_over(struct loop_timer *t)
{
	struct ctl *c = container_of(t, struct ctl, rest);

	loop_fd_mod(c->loop, &c->lfd, EPOLLIN);
}

static void ctl_accept(struct loop_fd *lfd, uint32_t events)
{
	struct ctl *c = container_of(lfd, struct ctl, lfd);
	struct ctl_conn *cc;
	int fd;

	fd = accept4(lfd->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		/* The socket stays readable: rest a second instead of spinning. */
		loop_fd_mod(c->loop, &c->lfd, 0);
		loop_timer_set(c->loop, &c->rest, loop_now() + 1000, ctl_rest_over);
		return;
	}
	if (fd < 0)
		return;
	cc = c->n_conns < CTL_CONNS_MAX ? calloc(1, sizeof(*cc)) : NULL;
	if (!cc) {
		close(fd);
		return;
	}
	cc->ctl = c;
	if (loop_fd_add(c->loop, &cc->lfd, fd, EPOLLIN, ctl_conn_io)) {
		close(fd);
		free(cc);
		return;
	}
	c->n_conns++;
	loop_timer_set(c->loop, &cc->idle, loop_now() + CTL_IDLE_MS, ctl_conn_idle);
}

/* Accept on a listening fd, or close it and say why. */
static int ctl_serve(struct ctl *c, int fd, char *err, size_t errlen)
{
	int ret = loop_fd_add(c->loop, &c->lfd, fd, EPOLLIN, ctl_accept);

	if (ret) {
		snprintf(err, errlen, "epoll: %s", strerror(-ret));
		close(fd);
	}
	return ret;
}

int ctl_open(struct ctl *c, struct loop *loop, struct session_env *env,
	     const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	char *slash;
	mode_t old;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	c->loop = loop;
	c->env = env;
	c->lfd.fd = -1;
	ret = ctl_addr(path, &sun);
	if (ret) {
		snprintf(err, errlen, "%s: path too long", path);
		return ret;
	}
	/* The default lives in a directory of its own (systemd makes it as
	 * RuntimeDirectory); without systemd, sstpd makes it. */
	slash = strrchr(sun.sun_path, '/');
	if (slash && slash != sun.sun_path) {
		*slash = 0;
		if (mkdir(sun.sun_path, 0750) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", sun.sun_path, strerror(errno));
			return -errno;
		}
		*slash = '/';
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A socket file nobody answers on is a leftover of a dead daemon;
	 * one that answers belongs to a live one. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		close(fd);
		snprintf(err, errlen, "%s: another sstpd is running", path);
		return -EADDRINUSE;
	}
	unlink(path);
	old = umask(077);
	ret = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (ret < 0 || listen(fd, 16) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return ret;
	}
	ret = ctl_serve(c, fd, err, errlen);
	if (ret)
		unlink(path);
	else
		snprintf(c->path, sizeof(c->path), "%s", path);
	return ret;
}

int ctl_open_http(struct ctl *c, struct loop *loop, struct session_env *env,
		  const char *addr, char *err, size_t errlen)
{
	int fd;

	memset(c, 0, sizeof(*c));
	c->loop = loop;
	c->env = env;
	c->http = true;
	c->lfd.fd = -1;
	fd = endpoint_listen(addr, 16, err, errlen);
	return fd < 0 ? fd : ctl_serve(c, fd, err, errlen);
}

void ctl_close(struct ctl *c)
{
	int fd = c->lfd.fd;

	if (fd < 0)
		return;
	loop_timer_cancel(c->loop, &c->rest);
	loop_fd_del(c->loop, &c->lfd);
	close(fd);
	c->lfd.fd = -1;
	if (c->path[0])
		unlink(c->path);
}

int ctl_request(const char *path, const char *request, int out_fd)
{
	struct sockaddr_un sun;
	char buf[4096];
	ssize_t n;
	int fd, ret;

	ret = ctl_addr(path, &sun);
	if (ret)
		return ret;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		ret = -errno;
		goto out;
	}
	n = (ssize_t)strlen(request);
	if (write(fd, request, (size_t)n) != n || write(fd, "\n", 1) != 1) {
		ret = -errno;
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		ctl_write(out_fd, buf, (size_t)n);
	ret = n < 0 ? -errno : 0;
out:
	close(fd);
	return ret;
}
