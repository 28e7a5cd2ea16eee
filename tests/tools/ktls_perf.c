// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktls_perf: bulk throughput over TCP, plain or with static-key kernel TLS
 * (tests/tools/ktls.h), the "limit" line of the benchmarks: no VPN can move
 * more TLS bytes than the kernel's own TLS over the same link and cipher.
 *
 * The client opens P streams and sends (or, with -R, receives) for T
 * seconds; the receiving side counts. Each side prints one JSON line:
 *   {"role":"server","streams":4,"bytes":123456789,"seconds":10.01,"mbps":98.7}
 *
 * usage: ktls_perf [-k none|1.2|1.3] [-c aes128|aes256|chacha20] [-t SECS]
 *                  [-P STREAMS] [-R] [-l BUFLEN] server|client ADDR PORT
 */
#include "ktls.h"

#include <getopt.h>
#include <pthread.h>
#include <time.h>

struct perf {
	struct ktls_params tls;
	int use_tls, server, reverse, streams;
	double seconds;
	size_t buflen;
};

struct stream {
	const struct perf *p;
	int fd;
	unsigned long long bytes;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The sender stops after p->seconds and closes; the receiver reads to EOF. */
static void *stream_run(void *arg)
{
	struct stream *s = arg;
	const struct perf *p = s->p;
	int sending = p->server == p->reverse;
	unsigned char *buf = malloc(p->buflen), type;
	double end = now() + p->seconds;
	ssize_t n;

	if (!buf) {
		s->err = ENOMEM;
		return NULL;
	}
	memset(buf, 0xa5, p->buflen);
	for (;;) {
		if (sending) {
			if (now() >= end)
				break;
			n = send(s->fd, buf, p->buflen, MSG_NOSIGNAL);
		} else if (p->use_tls) {
			n = ktls_recv_record(s->fd, buf, p->buflen, &type, 0);
		} else {
			n = recv(s->fd, buf, p->buflen, 0);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			s->err = errno;
			break;
		}
		if (n == 0)
			break;
		s->bytes += (unsigned long long)n;
	}
	if (sending)
		shutdown(s->fd, SHUT_WR);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	struct perf p = { .tls = KTLS_PARAMS_DEFAULT, .streams = 1, .seconds = 10,
			  .buflen = 65536 };
	const char *kver = "none", *cipher = NULL;
	struct stream *s;
	pthread_t *th;
	unsigned long long total = 0;
	double t0, t;
	int opt, lfd = -1, i, err;

	while ((opt = getopt(argc, argv, "k:c:t:P:Rl:")) != -1) {
		switch (opt) {
		case 'k': kver = optarg; break;
		case 'c': cipher = optarg; break;
		case 't': p.seconds = atof(optarg); break;
		case 'P': p.streams = atoi(optarg); break;
		case 'R': p.reverse = 1; break;
		case 'l': p.buflen = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	p.use_tls = strcmp(kver, "none") != 0;
	if (argc - optind != 3 || p.streams < 1 || p.streams > 64 || !p.buflen ||
	    (p.use_tls && ktls_parse_params(&p.tls, kver, cipher)))
		goto usage;
	p.server = !strcmp(argv[optind], "server");

	s = calloc((size_t)p.streams, sizeof(*s));
	th = calloc((size_t)p.streams, sizeof(*th));
	if (!s || !th)
		return 1;
	if (p.server) {
		lfd = tcp_listen4(argv[optind + 1], atoi(argv[optind + 2]));
		if (lfd < 0) {
			fprintf(stderr, "ktls_perf: listen: %s\n", strerror(-lfd));
			return 1;
		}
	}
	for (i = 0; i < p.streams; i++) {
		s[i].p = &p;
		s[i].fd = p.server ? accept(lfd, NULL, NULL)
				   : tcp_connect4(argv[optind + 1], atoi(argv[optind + 2]));
		if (s[i].fd < 0) {
			fprintf(stderr, "ktls_perf: connect/accept: %s\n",
				strerror(p.server ? errno : -s[i].fd));
			return 1;
		}
		if (p.use_tls) {
			err = ktls_attach(s[i].fd, p.server, &p.tls, true, true);
			if (err) {
				fprintf(stderr, "ktls_perf: kTLS: %s\n", strerror(-err));
				return 1;
			}
		}
	}
	t0 = now();
	for (i = 0; i < p.streams; i++)
		pthread_create(&th[i], NULL, stream_run, &s[i]);
	for (i = 0; i < p.streams; i++) {
		pthread_join(th[i], NULL);
		total += s[i].bytes;
		if (s[i].err) {
			fprintf(stderr, "ktls_perf: stream %d: %s\n", i, strerror(s[i].err));
			return 1;
		}
		close(s[i].fd);
	}
	t = now() - t0;
	printf("{\"role\":\"%s\",\"tls\":\"%s\",\"streams\":%d,\"bytes\":%llu,"
	       "\"seconds\":%.3f,\"mbps\":%.1f}\n", p.server ? "server" : "client",
	       kver, p.streams, total, t, t > 0 ? (double)total * 8 / t / 1e6 : 0);
	if (lfd >= 0)
		close(lfd);
	free(s);
	free(th);
	return 0;
usage:
	fprintf(stderr, "usage: ktls_perf [-k none|1.2|1.3] [-c aes128|aes256|chacha20] [-t SECS] [-P STREAMS] [-R] [-l BUFLEN] server|client ADDR PORT\n");
	return 2;
}
