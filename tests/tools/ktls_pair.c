// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktls_pair: the kTLS smoke test. One process is the server, one the client;
 * both put static keys on their TCP socket (tests/tools/ktls.h), then:
 *
 *   client --N bytes, pattern A, application data records--> server (verifies)
 *   client --one handshake-type record (22)-----------------> server (verifies type)
 *   client <--N bytes, pattern B----------------------------- server
 *
 * and each side checks every byte. Exit 0 only if everything arrived intact
 * and with the right record types. A peer with other keys (-s) makes the
 * receiver fail with EBADMSG, which a test uses to prove the bytes on the
 * wire are really encrypted and authenticated.
 *
 * usage: ktls_pair [-v 1.2|1.3] [-c aes128|aes256|chacha20] [-n BYTES]
 *                  [-s SEED] server|client ADDR PORT
 */
#include "ktls.h"

#include <getopt.h>

static const char hs_record[] = "sstp-ktls-handshake-record";

static int fd_write(void *ctx, const unsigned char *buf, size_t len)
{
	return write_full(*(int *)ctx, buf, len);
}

/* Application data only: another record type here is a failure. */
static ssize_t fd_read(void *ctx, unsigned char *buf, size_t len)
{
	unsigned char type;
	ssize_t n = ktls_recv_record(*(int *)ctx, buf, len, &type, 0);

	if (n < 0)
		return -errno;
	if (n > 0 && type != SSTP_TLS_APPLICATION_DATA)
		return -EPROTO;
	return n;
}

static int die(const char *what, int err)
{
	fprintf(stderr, "ktls_pair: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	struct ktls_params p = KTLS_PARAMS_DEFAULT;
	const char *version = NULL, *cipher = NULL;
	unsigned char buf[sizeof(hs_record)], type;
	size_t n = 1 << 20;
	bool server;
	int opt, fd, lfd, err, port;
	ssize_t r;

	while ((opt = getopt(argc, argv, "v:c:n:s:")) != -1) {
		switch (opt) {
		case 'v': version = optarg; break;
		case 'c': cipher = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 's': p.seed = (unsigned char)strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (argc - optind != 3 || ktls_parse_params(&p, version, cipher))
		goto usage;
	server = !strcmp(argv[optind], "server");
	if (!server && strcmp(argv[optind], "client"))
		goto usage;
	port = atoi(argv[optind + 2]);

	if (server) {
		lfd = tcp_listen4(argv[optind + 1], port);
		if (lfd < 0)
			return die("listen", lfd);
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			return die("accept", -errno);
		close(lfd);
	} else {
		fd = tcp_connect4(argv[optind + 1], port);
		if (fd < 0)
			return die("connect", fd);
	}
	err = ktls_attach(fd, server, &p, true, true);
	if (err)
		return die("kTLS setsockopt", err);

	if (server) {
		err = ktls_pattern_recv(fd_read, &fd, n, 0, "ktls_pair");
		if (err)
			return die("receive data", err);
		r = ktls_recv_record(fd, buf, sizeof(buf), &type, 0);
		if (r < 0)
			return die("receive handshake record", -errno);
		if (type != SSTP_TLS_HANDSHAKE || r != sizeof(hs_record) || memcmp(buf, hs_record, sizeof(buf))) {
			fprintf(stderr, "ktls_pair: record type %u, %zd bytes: not the handshake record\n",
				type, r);
			return 1;
		}
		err = ktls_pattern_send(fd_write, &fd, n, 1);
		if (err)
			return die("send data", err);
	} else {
		err = ktls_pattern_send(fd_write, &fd, n, 0);
		if (err)
			return die("send data", err);
		if (ktls_send_record(fd, SSTP_TLS_HANDSHAKE, hs_record, sizeof(hs_record), 0) != sizeof(hs_record))
			return die("send handshake record", -errno);
		err = ktls_pattern_recv(fd_read, &fd, n, 1, "ktls_pair");
		if (err)
			return die("receive data", err);
	}
	printf("ktls_pair %s: %zu bytes each way verified, record types ok\n",
	       server ? "server" : "client", n);
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: ktls_pair [-v 1.2|1.3] [-c aes128|aes256|chacha20] [-n BYTES] [-s SEED] server|client ADDR PORT\n");
	return 2;
}
