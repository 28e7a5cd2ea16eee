// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/sstp.h>

#include "daemon/config.h"
#include "tls/tls.h"

enum config_type { CT_STR, CT_UINT, CT_BOOL, CT_ENUM };

struct config_key {
	const char *section, *name;
	enum config_type type;
	size_t off;
	const char *def;
	unsigned int min, max;		/* CT_UINT */
	unsigned int auto_val;		/* CT_UINT: "auto" stands for this, if set */
	const char *const *choices;	/* CT_ENUM, NULL-terminated */
	/* CT_STR: a value check beyond the length; message without key name */
	int (*check)(const char *val, char *err, size_t errlen);
	/* Set once at start: a reload keeps the running value (sockets are
	 * bound and privileges dropped by then; leases belong to the pool). */
	bool restart;
};

static const char *const config_modes[] = { "server", "client", NULL };
static const char *const config_logs[] = { "error", "warn", "info", "debug", NULL };
/* The order of enum radius_require_ma. */
static const char *const config_require_ma[] = { "no", "yes", "auto", NULL };
static const char *const config_tls_versions[] = { "1.2", "1.3", NULL };

static int config_check_tls12(const char *val, char *err, size_t errlen)
{
	return tls_check_ciphers(val, false, err, errlen);
}

static int config_check_tls13(const char *val, char *err, size_t errlen)
{
	return tls_check_ciphers(val, true, err, errlen);
}

#define K(sec, nm, ty, field, dflt, ...) \
	{ .section = sec, .name = nm, .type = ty,                    \
	  .off = offsetof(struct config, field), .def = dflt, __VA_ARGS__ }

/* The one list of keys; docs/sstpd.md and examples/ follow it. */
static const struct config_key config_keys[] = {
	K("global", "mode", CT_ENUM, mode, "server", .choices = config_modes, .restart = true),
	K("global", "ctl_socket", CT_STR, ctl_socket, "/run/sstpd/sstpd.sock", .restart = true),
	K("global", "run_as", CT_STR, run_as, "auto", .restart = true),
	K("global", "log_level", CT_ENUM, log_level, "info", .choices = config_logs),
	K("global", "hello_interval", CT_UINT, hello_interval, "60", .min = 1, .max = 3600),
	K("global", "negotiation_timeout", CT_UINT, negotiation_timeout, "60", .min = 1, .max = 600),
	K("global", "mtu", CT_UINT, mtu, "auto", .min = 576, .max = SSTP_MTU_MAX,
	  .auto_val = SSTP_MTU_MAX),
	K("global", "ifname", CT_STR, ifname, "sstp%d"),
	K("global", "offload", CT_STR, offload, "auto", .restart = true),
	K("global", "ipv6", CT_BOOL, ipv6, "no"),
	K("global", "tls_min_version", CT_ENUM, tls_min_version, "1.2",
	  .choices = config_tls_versions),
	K("global", "tls_max_version", CT_ENUM, tls_max_version, "1.3",
	  .choices = config_tls_versions),
	K("global", "tls_ciphers", CT_STR, tls_ciphers, SSTP_TLS12_CIPHERS,
	  .check = config_check_tls12),
	K("global", "tls_ciphersuites", CT_STR, tls_ciphersuites, SSTP_TLS13_SUITES,
	  .check = config_check_tls13),
	K("global", "metrics_listen", CT_STR, metrics_listen, "", .restart = true),
	K("server", "listen", CT_STR, listen, "0.0.0.0:443", .restart = true),
	K("server", "cert", CT_STR, cert, "/etc/sstpd/server.crt"),
	K("server", "key", CT_STR, key, "/etc/sstpd/server.key"),
	K("server", "proxy_protocol", CT_STR, proxy_protocol, ""),
	K("server", "listen_plain", CT_STR, listen_plain, "", .restart = true),
	K("server", "listen_plain_cert", CT_STR, listen_plain_cert, ""),
	K("server", "local_ip", CT_STR, local_ip, "192.168.99.1", .restart = true),
	K("server", "pool", CT_STR, pool, "192.168.99.10-192.168.99.250", .restart = true),
	K("server", "dns1", CT_STR, dns1, ""),
	K("server", "dns2", CT_STR, dns2, ""),
	K("server", "chap_secrets", CT_STR, chap_secrets, "/etc/ppp/chap-secrets"),
	K("server", "auth", CT_STR, auth, "eap-mschapv2 mschapv2"),
	K("server", "eap_ca", CT_STR, eap_ca, ""),
	K("server", "domain", CT_STR, domain, ""),
	K("server", "dhcp_routes", CT_STR, dhcp_routes, ""),
	K("server", "ipv6_prefix", CT_STR, ipv6_prefix, ""),
	K("server", "ra_lifetime", CT_UINT, ra_lifetime, "1800", .min = 0, .max = 9000),
	K("server", "max_sessions", CT_UINT, max_sessions, "256", .min = 1, .max = 65536),
	K("server", "max_preauth", CT_UINT, max_preauth, "128", .min = 1, .max = 65536),
	K("server", "max_preauth_per_source", CT_UINT, max_preauth_per_source, "8",
	  .min = 1, .max = 65536),
	K("server", "preauth_timeout", CT_UINT, preauth_timeout, "15", .min = 2, .max = 600),
	K("server", "auth_delay", CT_UINT, auth_delay, "1", .min = 0, .max = 60),
	K("server", "auth_delay_max", CT_UINT, auth_delay_max, "8", .min = 0, .max = 600),
	K("server", "auth_lockout", CT_UINT, auth_lockout, "10", .min = 0, .max = 1000000),
	K("server", "auth_lockout_time", CT_UINT, auth_lockout_time, "300", .min = 1,
	  .max = 86400),
	K("server", "source_validation", CT_BOOL, source_validation, "yes"),
	K("server", "rate_limit", CT_UINT, rate_limit, "0", .min = 0, .max = 100000000),
	K("client", "server", CT_STR, server, ""),
	K("client", "sni", CT_STR, sni, ""),
	K("client", "ca", CT_STR, ca, "/etc/ssl/certs/ca-certificates.crt"),
	K("client", "insecure", CT_BOOL, insecure, "no"),
	K("client", "user", CT_STR, user, ""),
	K("client", "password", CT_STR, password, ""),
	K("client", "proxy", CT_STR, proxy, ""),
	K("client", "proxy_user", CT_STR, proxy_user, ""),
	K("client", "proxy_password", CT_STR, proxy_password, ""),
	K("client", "routes", CT_STR, routes, ""),
	K("client", "auth", CT_STR, client_auth, "mschapv2"),
	K("client", "eap_cert", CT_STR, eap_cert, ""),
	K("client", "eap_key", CT_STR, eap_key, ""),
	K("client", "eap_ca", CT_STR, client_eap_ca, ""),
	K("radius", "auth_servers", CT_STR, radius_auth_servers, "", .restart = true),
	K("radius", "acct_servers", CT_STR, radius_acct_servers, "", .restart = true),
	K("radius", "secret", CT_STR, radius_secret, "", .restart = true),
	K("radius", "timeout", CT_UINT, radius_timeout, "3", .min = 1, .max = 60,
	  .restart = true),
	K("radius", "retries", CT_UINT, radius_retries, "3", .min = 1, .max = 10,
	  .restart = true),
	K("radius", "deadtime", CT_UINT, radius_deadtime, "30", .min = 0, .max = 3600,
	  .restart = true),
	K("radius", "require_message_authenticator", CT_ENUM, radius_require_ma, "auto",
	  .choices = config_require_ma, .restart = true),
	K("radius", "accounting", CT_BOOL, radius_accounting, "yes"),
	K("radius", "acct_interim", CT_UINT, radius_acct_interim, "0", .min = 0, .max = 86400),
	K("radius", "nas_identifier", CT_STR, radius_nas_identifier, "", .restart = true),
	K("radius", "nas_ip_address", CT_STR, radius_nas_ip_address, "", .restart = true),
	K("radius", "dae_listen", CT_STR, radius_dae_listen, "", .restart = true),
	K("radius", "dae_secret", CT_STR, radius_dae_secret, "", .restart = true),
	K("radius", "dae_clients", CT_STR, radius_dae_clients, "", .restart = true),
	K("test", "corrupt_compound_mac", CT_BOOL, test_corrupt_compound_mac, "no"),
	K("test", "foreign_frames", CT_BOOL, test_foreign_frames, "no"),
	K("test", "disconnect_when_up", CT_BOOL, test_disconnect_when_up, "no"),
	K("test", "sessions", CT_UINT, test_sessions, "1", .min = 1, .max = 1000000),
};

#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))
_Static_assert(N_KEYS <= CONFIG_MAX_KEYS, "raise CONFIG_MAX_KEYS");

static void config_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void config_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static const struct config_key *config_find(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (!strcmp(config_keys[i].section, section) &&
		    !strcmp(config_keys[i].name, name))
			return &config_keys[i];
	return NULL;
}

static int config_section_known(const char *section)
{
	size_t i;

	for (i = 0; i < N_KEYS; i++)
		if (!strcmp(config_keys[i].section, section))
			return 1;
	return 0;
}

/*
 * Store one value; on error a message without location and the old value
 * kept. `checked`: run the key's own check (config_init skips it for the
 * defaults, which a unit test checks once, as every check of a cipher list
 * builds an OpenSSL context).
 */
static int config_store(struct config *c, const struct config_key *k,
			const char *val, bool checked, char *err, size_t errlen)
{
	void *field = (char *)c + k->off;
	char why[256];
	unsigned long v;
	char *end;
	size_t i, n;

	switch (k->type) {
	case CT_STR:
		if (strlen(val) >= CONFIG_STR) {
			config_err(err, errlen, "%s: value longer than %d bytes",
				   k->name, CONFIG_STR - 1);
			return -EINVAL;
		}
		if (checked && k->check && k->check(val, why, sizeof(why))) {
			config_err(err, errlen, "%s: %s", k->name, why);
			return -EINVAL;
		}
		strcpy(field, val);
		return 0;
	case CT_UINT:
		if (k->auto_val && !strcmp(val, "auto")) {
			*(unsigned int *)field = k->auto_val;
			return 0;
		}
		errno = 0;
		v = strtoul(val, &end, 10);
		if (!*val || *end || errno || *val == '-' || v < k->min || v > k->max) {
			config_err(err, errlen, "%s: '%s' is not %sa number in %u..%u",
				   k->name, val, k->auto_val ? "auto or " : "", k->min, k->max);
			return -EINVAL;
		}
		*(unsigned int *)field = (unsigned int)v;
		return 0;
	case CT_BOOL:
		if (!strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1")) {
			*(bool *)field = true;
		} else if (!strcmp(val, "no") || !strcmp(val, "false") || !strcmp(val, "0")) {
			*(bool *)field = false;
		} else {
			config_err(err, errlen, "%s: '%s' is not yes or no", k->name, val);
			return -EINVAL;
		}
		return 0;
	case CT_ENUM:
		for (i = 0; k->choices[i]; i++) {
			if (!strcmp(val, k->choices[i])) {
				*(unsigned int *)field = (unsigned int)i;
				return 0;
			}
		}
		/* Name the choices: "mode: 'x' is not one of server, client". */
		n = 0;
		why[0] = 0;
		for (i = 0; k->choices[i] && n < sizeof(why); i++)
			n += snprintf(why + n, sizeof(why) - n, "%s%s", i ? ", " : "",
				      k->choices[i]);
		config_err(err, errlen, "%s: '%s' is not one of %s", k->name, val, why);
		return -EINVAL;
	}
	return -EINVAL;
}

void config_init(struct config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < N_KEYS; i++)
		config_store(c, &config_keys[i], config_keys[i].def, false, NULL, 0);
}

static int config_check_versions(const struct config *c, char *err, size_t errlen)
{
	if (c->tls_min_version <= c->tls_max_version)
		return 0;
	config_err(err, errlen, "tls_min_version %s is above tls_max_version %s",
		   config_tls_versions[c->tls_min_version],
		   config_tls_versions[c->tls_max_version]);
	return -EINVAL;
}

static char *config_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

int config_parse(struct config *c, const char *name, const char *text,
		 size_t len, char *err, size_t errlen)
{
	char section[32] = "global", line[1024], msg[512], *s, *eq, *key, *val;
	const struct config_key *k;
	unsigned int lineno = 0, version_line = 0;
	size_t pos = 0, n;
	int ret;

	snprintf(c->file, sizeof(c->file), "%s", name);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		if (n >= sizeof(line)) {
			config_err(err, errlen, "%s:%u: line too long", name, lineno);
			return -EINVAL;
		}
		memcpy(line, text + pos, n);
		line[n] = 0;
		pos += n + 1;
		if (memchr(line, 0, n)) {
			config_err(err, errlen, "%s:%u: NUL byte", name, lineno);
			return -EINVAL;
		}
		s = config_trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || *config_trim(close + 1) ||
			    (size_t)(close - s - 1) >= sizeof(section)) {
				config_err(err, errlen, "%s:%u: bad section header",
					   name, lineno);
				return -EINVAL;
			}
			*close = 0;
			s = config_trim(s + 1);
			if (!config_section_known(s)) {
				config_err(err, errlen, "%s:%u: unknown section [%s]",
					   name, lineno, s);
				return -EINVAL;
			}
			strcpy(section, s);
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			config_err(err, errlen, "%s:%u: expected 'key = value'",
				   name, lineno);
			return -EINVAL;
		}
		*eq = 0;
		key = config_trim(s);
		val = config_trim(eq + 1);
		/* Values may be quoted to keep leading blanks or a '#'. */
		n = strlen(val);
		if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
			val[n - 1] = 0;
			val++;
		}
		k = config_find(section, key);
		if (!k) {
			config_err(err, errlen, "%s:%u: unknown key '%s' in [%s]",
				   name, lineno, key, section);
			return -EINVAL;
		}
		ret = config_store(c, k, val, true, msg, sizeof(msg));
		if (ret) {
			config_err(err, errlen, "%s:%u: %s", name, lineno, msg);
			return ret;
		}
		c->line[k - config_keys] = lineno;
		if (k->off == offsetof(struct config, tls_min_version) ||
		    k->off == offsetof(struct config, tls_max_version))
			version_line = lineno;
	}
	/* Checked once the whole file is read: the two keys may come in any
	 * order. The error names the later of them. */
	if (version_line && config_check_versions(c, msg, sizeof(msg))) {
		config_err(err, errlen, "%s:%u: %s", name, version_line, msg);
		return -EINVAL;
	}
	return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		config_err(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0 || st.st_size > 1 << 20) {
		close(fd);
		config_err(err, errlen, "%s: not a readable file under 1 MiB", path);
		return -EINVAL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, st.st_size - got)) > 0)
		got += n;
	close(fd);
	ret = config_parse(c, path, buf, got, err, errlen);
	free(buf);
	return ret;
}

int config_set(struct config *c, const char *assignment, char *err,
	       size_t errlen)
{
	char buf[CONFIG_STR + 64], msg[512], *dot, *eq;
	const struct config_key *k;
	int ret;

	if (strlen(assignment) >= sizeof(buf)) {
		config_err(err, errlen, "-o %.40s...: too long", assignment);
		return -EINVAL;
	}
	strcpy(buf, assignment);
	eq = strchr(buf, '=');
	dot = strchr(buf, '.');
	if (!eq || !dot || dot > eq) {
		config_err(err, errlen, "-o %s: expected section.key=value", assignment);
		return -EINVAL;
	}
	*dot = 0;
	*eq = 0;
	k = config_find(config_trim(buf), config_trim(dot + 1));
	if (!k) {
		config_err(err, errlen, "-o %s: unknown key", assignment);
		return -EINVAL;
	}
	ret = config_store(c, k, config_trim(eq + 1), true, msg, sizeof(msg));
	if (ret)
		config_err(err, errlen, "-o: %s", msg);
	else
		c->line[k - config_keys] = CONFIG_LINE_SET;
	return ret;
}

const char *config_where(const struct config *c, const char *section,
			 const char *name, char *buf, size_t size)
{
	const struct config_key *k = config_find(section, name);
	unsigned int line = k ? c->line[k - config_keys] : 0;

	if (line == CONFIG_LINE_SET)
		snprintf(buf, size, "-o %s.%s", section, name);
	else if (line)
		snprintf(buf, size, "%s:%u: %s", c->file, line, name);
	else
		snprintf(buf, size, "[%s] %s", section, name);
	return buf;
}

int config_check(const struct config *c, char *err, size_t errlen)
{
	if (strcmp(c->offload, "no") && strcmp(c->offload, "auto") &&
	    strcmp(c->offload, "yes")) {
		config_err(err, errlen, "offload = %s: use auto, yes or no", c->offload);
		return -EINVAL;
	}
	/* -o may have moved one version past the other */
	if (config_check_versions(c, err, errlen))
		return -EINVAL;
	if (c->radius_auth_servers[0] && !c->radius_secret[0]) {
		config_err(err, errlen, "[radius] auth_servers needs [radius] secret");
		return -EINVAL;
	}
	if (c->mode == CONFIG_MODE_CLIENT) {
		if (!c->server[0]) {
			config_err(err, errlen, "client mode needs [client] server");
			return -EINVAL;
		}
		if (!c->user[0]) {
			config_err(err, errlen, "client mode needs [client] user");
			return -EINVAL;
		}
	}
	return 0;
}

static size_t config_key_size(const struct config_key *k)
{
	switch (k->type) {
	case CT_STR:
		return CONFIG_STR;
	case CT_BOOL:
		return sizeof(bool);
	default:
		return sizeof(unsigned int);
	}
}

int config_keep_restart_keys(const struct config *old, struct config *new,
			     char *changed, size_t size)
{
	size_t i, n = 0;
	int count = 0;

	if (size)
		changed[0] = 0;
	for (i = 0; i < N_KEYS; i++) {
		const struct config_key *k = &config_keys[i];
		const char *o = (const char *)old + k->off;
		char *f = (char *)new + k->off;
		bool same = k->type == CT_STR ? !strcmp(o, f)
					      : !memcmp(o, f, config_key_size(k));

		if (!k->restart || same)
			continue;
		memcpy(f, o, config_key_size(k));
		new->line[i] = old->line[i];
		count++;
		if (n < size)
			n += (size_t)snprintf(changed + n, size - n, "%s%s", n ? " " : "",
					      k->name);
	}
	return count;
}

void config_dump(const struct config *c, int fd)
{
	const char *section = "";
	size_t i;

	for (i = 0; i < N_KEYS; i++) {
		const struct config_key *k = &config_keys[i];
		const void *field = (const char *)c + k->off;

		if (strcmp(section, k->section))
			dprintf(fd, "%s[%s]\n", i ? "\n" : "", k->section);
		section = k->section;
		switch (k->type) {
		case CT_STR:
			dprintf(fd, "%s = \"%s\"\n", k->name, (const char *)field);
			break;
		case CT_UINT:
			dprintf(fd, "%s = %u\n", k->name, *(const unsigned int *)field);
			break;
		case CT_BOOL:
			dprintf(fd, "%s = %s\n", k->name, *(const bool *)field ? "yes" : "no");
			break;
		case CT_ENUM:
			dprintf(fd, "%s = %s\n", k->name,
				k->choices[*(const unsigned int *)field]);
			break;
		}
	}
}
