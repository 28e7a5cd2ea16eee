// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstpctl: look at and act on a running sstpd through its control socket.
 *
 *   sstpctl [-s SOCKET] [--json] [list]
 *   sstpctl [-s SOCKET] disconnect ID
 *   sstpctl [-s SOCKET] ncp ID ipv4|ipv6 open|close
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon/ctl.h"

#define SSTPCTL_DEFAULT_SOCKET	"/run/sstpd.sock"
#define MAX_FIELDS		32

struct field {
	char *key, *val;
};

static const char *const numeric_keys[] = {
	"id", "uptime", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
	"rx_dropped", "tx_dropped", "kernel_session", "spoofed", "policed", "rate_kbit", NULL,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sstpctl [-s SOCKET] [--json] [list]\n"
		"       sstpctl [-s SOCKET] disconnect ID\n"
		"       sstpctl [-s SOCKET] ncp ID ipv4|ipv6 open|close\n"
		"  -s, --socket PATH   control socket (default " SSTPCTL_DEFAULT_SOCKET ")\n"
		"  -j, --json          list as JSON\n");
}

/* Undo session_describe()'s percent-encoding, in place. */
static void unpercent(char *s)
{
	char *o = s;
	unsigned int v;

	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int split(char *line, struct field *f)
{
	char *tok, *save = NULL, *eq;
	int n = 0;

	for (tok = strtok_r(line, " ", &save); tok && n < MAX_FIELDS;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = 0;
		f[n].key = tok;
		f[n].val = eq + 1;
		unpercent(f[n].val);
		n++;
	}
	return n;
}

static const char *get(struct field *f, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].key, key))
			return f[i].val;
	return "-";
}

static bool is_numeric(const char *key)
{
	int i;

	for (i = 0; numeric_keys[i]; i++)
		if (!strcmp(key, numeric_keys[i]))
			return true;
	return false;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* For the table: the peer chose some of these values (the user name), and
 * a terminal must not take them as commands. */
static void tty_safe(struct field *f, int n)
{
	int i;
	char *c;

	for (i = 0; i < n; i++)
		for (c = f[i].val; *c; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
				*c = '?';
}

static void human_bytes(char *buf, size_t size, const char *v)
{
	double b = strtod(v, NULL);
	const char *u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (b >= 1024 && i < 4) {
		b /= 1024;
		i++;
	}
	snprintf(buf, size, i ? "%.1f %s" : "%.0f %s", b, u[i]);
}

static int list(const char *path, bool json)
{
	char *line = NULL;
	struct field f[MAX_FIELDS];
	size_t cap = 0;
	int fd, n, i, ret, count = 0;
	FILE *in;

	/* The answer goes to memory first so that a failing request prints
	 * nothing half-way. */
	fd = memfd_create("sstpctl", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ctl_request(path, "list", fd);
	if (ret) {
		close(fd);
		return ret;
	}
	lseek(fd, 0, SEEK_SET);
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		return -errno;
	}
	if (json)
		printf("[");
	else
		printf("%-4s %-6s %-5s %-22s %-16s %-21s %-8s %-15s %7s %12s %12s %8s\n",
		       "ID", "ROLE", "PHASE", "CALL", "USER", "PEER", "IFACE",
		       "PEER-IP", "UPTIME", "RX", "TX", "SPOOFED");
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\n")] = 0;
		n = split(line, f);
		if (!n)
			continue;
		if (json) {
			printf("%s\n  {", count ? "," : "");
			for (i = 0; i < n; i++) {
				printf("%s", i ? ", " : "");
				json_string(f[i].key);
				printf(": ");
				if (is_numeric(f[i].key))
					printf("%s", f[i].val);
				else
					json_string(f[i].val);
			}
			printf("}");
		} else {
			char rx[32], tx[32];

			tty_safe(f, n);
			human_bytes(rx, sizeof(rx), get(f, n, "rx_bytes"));
			human_bytes(tx, sizeof(tx), get(f, n, "tx_bytes"));
			printf("%-4s %-6s %-5s %-22s %-16s %-21s %-8s %-15s %6ss %12s %12s %8s\n",
			       get(f, n, "id"), get(f, n, "role"), get(f, n, "phase"),
			       get(f, n, "call"), get(f, n, "user"), get(f, n, "peer"),
			       get(f, n, "ifname"), get(f, n, "peer_ip"),
			       get(f, n, "uptime"), rx, tx, get(f, n, "spoofed"));
		}
		count++;
	}
	if (json)
		printf("%s]\n", count ? "\n" : "");
	free(line);
	fclose(in);
	return 0;
}

/* One request on session ID whose answer is "ok" or "error: ...". */
static int act(const char *path, const char *verb, const char *id,
	       const char *args)
{
	char req[96], ans[256] = "";
	ssize_t n;
	int fd, ret;

	if (!*id || strspn(id, "0123456789") != strlen(id) || strlen(id) > 10) {
		fprintf(stderr, "sstpctl: %s: not a session id\n", id);
		return -EINVAL;
	}
	fd = memfd_create("sstpctl", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(req, sizeof(req), "%s %s%s%s", verb, id, args ? " " : "",
		 args ? args : "");
	ret = ctl_request(path, req, fd);
	if (!ret) {
		lseek(fd, 0, SEEK_SET);
		n = read(fd, ans, sizeof(ans) - 1);
		ans[n > 0 ? n : 0] = 0;
		if (strncmp(ans, "ok", 2)) {
			fprintf(stderr, "sstpctl: %s", ans[0] ? ans : "no answer\n");
			ret = -ENOENT;
		}
	}
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = SSTPCTL_DEFAULT_SOCKET, *cmd;
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "s:jh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	cmd = optind < argc ? argv[optind] : "list";
	if (!strcmp(cmd, "list") || !strcmp(cmd, "show")) {
		if (optind + 1 < argc) {
			usage(stderr);
			return 2;
		}
		ret = list(path, json);
	} else if (!strcmp(cmd, "disconnect") && optind + 2 == argc) {
		ret = act(path, "disconnect", argv[optind + 1], NULL);
		if (ret == -ENOENT || ret == -EINVAL)
			return 1;
	} else if (!strcmp(cmd, "ncp") && optind + 4 == argc &&
		   (!strcmp(argv[optind + 2], "ipv4") || !strcmp(argv[optind + 2], "ipv6")) &&
		   (!strcmp(argv[optind + 3], "open") || !strcmp(argv[optind + 3], "close"))) {
		char args[16];

		snprintf(args, sizeof(args), "%s %s", argv[optind + 2], argv[optind + 3]);
		ret = act(path, "ncp", argv[optind + 1], args);
		if (ret == -ENOENT || ret == -EINVAL)
			return 1;
	} else {
		usage(stderr);
		return 2;
	}
	if (ret) {
		fprintf(stderr, "sstpctl: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	return 0;
}
