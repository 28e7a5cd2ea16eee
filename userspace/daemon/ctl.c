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
#include "daemon/log.h"
#include "daemon/session.h"

#define CTL_REQ_MAX 256

struct ctl_conn {
	struct loop_fd lfd;		/* first: the callback casts back */
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
	snprintf(line, sizeof(line), "error: unknown request\n");
	ctl_write(fd, line, strlen(line));
}

static void ctl_conn_free(struct ctl_conn *cc)
{
	int fd = cc->lfd.fd;

	loop_fd_del(cc->ctl->loop, &cc->lfd);
	close(fd);
	free(cc);
}

static void ctl_conn_io(struct loop_fd *lfd, uint32_t events)
{
	struct ctl_conn *cc = (struct ctl_conn *)lfd;
	struct timeval tv = { .tv_sec = 1 };
	char *nl;
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
	nl = strchr(cc->buf, '\n');
	if (!nl && cc->len < sizeof(cc->buf) - 1)
		return;
	if (nl)
		*nl = 0;
	/* Answers are small and the peer is a local tool reading at once:
	 * a blocking write bounded by a timeout keeps this simple. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	ctl_handle(cc->ctl, fd, cc->buf);
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
	cc = calloc(1, sizeof(*cc));
	if (!cc) {
		close(fd);
		return;
	}
	cc->ctl = c;
	if (loop_fd_add(c->loop, &cc->lfd, fd, EPOLLIN, ctl_conn_io)) {
		close(fd);
		free(cc);
	}
}

int ctl_open(struct ctl *c, struct loop *loop, struct session_env *env,
	     const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
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
	ret = loop_fd_add(loop, &c->lfd, fd, EPOLLIN, ctl_accept);
	if (ret) {
		snprintf(err, errlen, "epoll: %s", strerror(-ret));
		close(fd);
		unlink(path);
		return ret;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	return 0;
}

void ctl_close(struct ctl *c)
{
	int fd = c->lfd.fd;

	if (fd < 0)
		return;
	loop_timer_cancel(c->loop, &c->rest);
	loop_fd_del(c->loop, &c->lfd);
	close(fd);
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
