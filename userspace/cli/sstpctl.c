// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstpctl: look at and act on a running sstpd through its control socket.
 *
 *   sstpctl [-s SOCKET] [--json] [list]
 *   sstpctl [-s SOCKET] disconnect ID
 *   sstpctl [-s SOCKET] ncp ID ipv4|ipv6 open|close
 *   sstpctl [-s SOCKET] reload
 *   sstpctl [-s SOCKET] stats | metrics
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
#include "daemon/progopts.h"

#define SSTPCTL_DEFAULT_SOCKET	"/run/sstpd/sstpd.sock"
#define MAX_FIELDS		32
#define MAX_METRICS		128

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
		"       sstpctl [-s SOCKET] reload\n"
		"       sstpctl [-s SOCKET] stats | metrics\n"
		"  -s, --socket PATH   control socket (default " SSTPCTL_DEFAULT_SOCKET ")\n"
		"  -j, --json          list as JSON\n"
		"  -V, --version       print the version\n");
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

/* The daemon's answer to a request, whole, in memory (NUL-terminated). */
static int fetch(const char *path, const char *req, char **out)
{
	size_t len;
	off_t end;
	int fd, ret;

	fd = memfd_create("sstpctl", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = ctl_request(path, req, fd);
	end = lseek(fd, 0, SEEK_END);
	if (!ret && end < 0)
		ret = -errno;
	if (!ret) {
		len = (size_t)end;
		*out = malloc(len + 1);
		if (!*out)
			ret = -ENOMEM;
		else if (pread(fd, *out, len, 0) != (ssize_t)len)
			ret = -EIO;
		else
			(*out)[len] = 0;
		if (ret)
			free(*out);
	}
	close(fd);
	return ret;
}

/* reload: the daemon's "ok: ..." or "error: ..." line. */
static int reload(const char *path)
{
	char *ans;
	int ret = fetch(path, "reload", &ans);

	if (ret)
		return ret;
	if (!strncmp(ans, "ok: ", 4)) {
		printf("%s", ans + 4);
	} else {
		fprintf(stderr, "sstpctl: %s", ans[0] ? ans : "no answer\n");
		ret = -EINVAL;
	}
	free(ans);
	return ret;
}

/* One sample of the Prometheus text: "name{labels} value". */
struct metric {
	char name[64], labels[96];
	unsigned long long value;
};

static int metrics_parse(char *text, struct metric *m, int max)
{
	char *line, *save = NULL, *brace, *sp;
	int n = 0;

	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !(sp = strrchr(line, ' ')))
			continue;
		*sp = 0;
		brace = strchr(line, '{');
		snprintf(m[n].labels, sizeof(m[n].labels), "%s", brace ? brace : "");
		if (brace)
			*brace = 0;
		snprintf(m[n].name, sizeof(m[n].name), "%s", line);
		m[n].value = strtoull(sp + 1, NULL, 10);
		n++;
	}
	return n;
}

static unsigned long long metric(const struct metric *m, int n, const char *name,
				 const char *labels)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].name, name) && !strcmp(m[i].labels, labels ? labels : ""))
			return m[i].value;
	return 0;
}

/* Every sample of name as "value1 value2 ..." from its one label, e.g.
 * "tls 2, http 1"; nonzero only, unless all. Returns their sum. */
static unsigned long long metric_list(const struct metric *m, int n, const char *name,
				      bool all, char *buf, size_t size)
{
	unsigned long long sum = 0;
	size_t o = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		const char *q = strchr(m[i].labels, '"'), *e = q ? strchr(q + 1, '"') : NULL;

		if (strcmp(m[i].name, name) || !e || (!all && !m[i].value))
			continue;
		sum += m[i].value;
		if (o < size)
			o += (size_t)snprintf(buf + o, size - o, "%s%.*s %llu", o ? ", " : "",
					      (int)(e - q - 1), q + 1, m[i].value);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
	return sum;
}

/* stats: the metrics, for a person. */
static int stats(const char *path)
{
	struct metric m[MAX_METRICS];
	char *text, l1[256], l2[256];
	unsigned long long sum;
	char rx[32], tx[32], v[32];
	int n, ret;

	ret = fetch(path, "metrics", &text);
	if (ret)
		return ret;
	if (strncmp(text, "# HELP", 6)) {
		fprintf(stderr, "sstpctl: %s", text[0] ? text : "no answer\n");
		free(text);
		return -EINVAL;
	}
	n = metrics_parse(text, m, MAX_METRICS);
	sum = metric_list(m, n, "sstpd_sessions", true, l1, sizeof(l1));
	printf("sessions now:        %llu, %llu up (by phase: %s)\n", sum,
	       metric(m, n, "sstpd_sessions_up", NULL), l1);
	metric_list(m, n, "sstpd_sessions_data_path", true, l2, sizeof(l2));
	printf("  by data path:      %s\n", l2);
	printf("sessions since start: %llu, %llu connected (max_sessions %llu)\n",
	       metric(m, n, "sstpd_sessions_total", NULL),
	       metric(m, n, "sstpd_sessions_connected_total", NULL),
	       metric(m, n, "sstpd_max_sessions", NULL));
	sum = metric_list(m, n, "sstpd_handshake_failures_total", false, l1, sizeof(l1));
	printf("handshake failures:  %llu (%s)\n", sum, l1);
	sum = metric_list(m, n, "sstpd_auth_failures_total", false, l1, sizeof(l1));
	printf("auth failures:       %llu (%s)\n", sum, l1);
	snprintf(v, sizeof(v), "%llu", metric(m, n, "sstpd_receive_bytes_total", NULL));
	human_bytes(rx, sizeof(rx), v);
	snprintf(v, sizeof(v), "%llu", metric(m, n, "sstpd_transmit_bytes_total", NULL));
	human_bytes(tx, sizeof(tx), v);
	printf("data:                rx %s in %llu packets, tx %s in %llu packets\n", rx,
	       metric(m, n, "sstpd_receive_packets_total", NULL), tx,
	       metric(m, n, "sstpd_transmit_packets_total", NULL));
	printf("reloads:             %llu ok, %llu refused\n",
	       metric(m, n, "sstpd_reloads_total", "{result=\"ok\"}"),
	       metric(m, n, "sstpd_reloads_total", "{result=\"refused\"}"));
	free(text);
	return 0;
}

/* metrics: the Prometheus text as it is. */
static int metrics(const char *path)
{
	char *text;
	int ret = fetch(path, "metrics", &text);

	if (ret)
		return ret;
	fputs(text, stdout);
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		VERSION_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *path = SSTPCTL_DEFAULT_SOCKET, *cmd;
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "s:jVh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		default:
			return version_common_opt(c, "sstpctl", usage);
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
	} else if (optind + 1 == argc && !strcmp(cmd, "reload")) {
		ret = reload(path);
		if (ret == -EINVAL)
			return 1;
	} else if (optind + 1 == argc && !strcmp(cmd, "stats")) {
		ret = stats(path);
		if (ret == -EINVAL)
			return 1;
	} else if (optind + 1 == argc && !strcmp(cmd, "metrics")) {
		ret = metrics(path);
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
