// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "daemon/endpoint.h"
#include "daemon/pool.h"
#include "daemon/session.h"
#include "daemon/settings.h"
#include "ppp/ppp.h"
#include "ppp/secrets.h"
#include "tls/tls.h"

/* "FILE:LINE: key" (or "-o ...") of section.key, for messages. */
#define WHERE(cfg, sec, key) \
	config_where(cfg, sec, key, where, sizeof(where))

/* A file holding secrets must not be open to everyone, as wg-quick warns
 * of its configuration: refused, not warned about. */
static int settings_private(const struct config *c, const char *sec,
			    const char *key, const char *path, char *err,
			    size_t errlen)
{
	char where[CONFIG_STR + 64];
	struct stat st;

	if (stat(path, &st) < 0) {
		int ret = -errno;

		snprintf(err, errlen, "%s: %s: %s", WHERE(c, sec, key), path,
			 strerror(errno));
		return ret;
	}
	if (!(st.st_mode & (S_IROTH | S_IWOTH)))
		return 0;
	snprintf(err, errlen, "%s: %s is %s by everyone (mode %04o): chmod o-rwx it",
		 WHERE(c, sec, key), path,
		 st.st_mode & S_IROTH ? "readable" : "writable",
		 (unsigned int)(st.st_mode & 07777));
	return -EPERM;
}

/*
 * "auth = eap-mschapv2 mschapv2 ...": the methods in order of preference,
 * as the PPP engine takes them (a mask, the order, the EAP methods' order).
 */
static int settings_auth(const char *s, struct settings *st)
{
	static const struct { const char *name; enum ppp_auth m; enum ppp_eap_type e; } t[] = {
		{ "eap-mschapv2", PPP_AUTH_EAP, PPP_EAP_MSCHAPV2 },
		{ "peap", PPP_AUTH_EAP, PPP_EAP_PEAP },
		{ "eap-tls", PPP_AUTH_EAP, PPP_EAP_TLS },
		{ "mschapv2", PPP_AUTH_MSCHAPV2, PPP_EAP_NONE },
		{ "chap-md5", PPP_AUTH_CHAP_MD5, PPP_EAP_NONE },
		{ "pap", PPP_AUTH_PAP, PPP_EAP_NONE },
	};
	char buf[CONFIG_STR], *tok, *save = NULL;
	unsigned int na = 0, ne = 0;
	size_t i;

	st->auth = 0;
	memset(st->auth_order, 0, sizeof(st->auth_order));
	memset(st->eap_order, 0, sizeof(st->eap_order));
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		for (i = 0; i < sizeof(t) / sizeof(t[0]) && strcmp(tok, t[i].name); i++)
			;
		if (i == sizeof(t) / sizeof(t[0]))
			return -EINVAL;
		if (t[i].e && ne < 3)
			st->eap_order[ne++] = t[i].e;
		if (!(st->auth & t[i].m) && na < 4)
			st->auth_order[na++] = t[i].m;
		st->auth |= t[i].m;
	}
	return st->auth ? 0 : -EINVAL;
}

#define SETTINGS_AUTH_NAMES "eap-mschapv2, peap, eap-tls, mschapv2, chap-md5, pap"

/* A TLS context, or "where: what: why" in err. */
static int settings_ctx(SSL_CTX **out, const struct tls_opts *o, const char *where,
			const char *what, char *err, size_t errlen)
{
	char why[256];

	*out = tls_ctx_new(o, why, sizeof(why));
	if (*out)
		return 0;
	snprintf(err, errlen, "%s: %s%s", where, what, why);
	return -EINVAL;
}

/* PEAP or EAP-TLS in the auth list: the TLS context they run inside EAP
 * (the server's own certificate; EAP-TLS client certificates checked
 * against [server] eap_ca; a client's [client] eap_cert for EAP-TLS).
 * None when a RADIUS server runs them (relayed). */
static int settings_eap_tls(struct settings *st, const struct config *c, char *err,
			    size_t errlen)
{
	bool server = c->mode == CONFIG_MODE_SERVER, tls = false, any = false;
	struct tls_opts o = { .server = server, .eap = true, .cert = c->cert, .key = c->key };
	char where[CONFIG_STR + 64];

	for (int i = 0; i < 4 && st->eap_order[i]; i++) {
		if (st->eap_order[i] == PPP_EAP_TLS)
			tls = any = true;
		if (st->eap_order[i] == PPP_EAP_PEAP)
			any = true;
	}
	if (!any || (server && c->radius_auth_servers[0]))
		return 0;
	if (server && tls && !c->eap_ca[0]) {
		snprintf(err, errlen, "%s: '%s': eap-tls needs [server] eap_ca",
			 WHERE(c, "server", "auth"), c->auth);
		return -EINVAL;
	}
	if (!server && tls && !c->eap_cert[0]) {
		snprintf(err, errlen, "%s: '%s': eap-tls needs [client] eap_cert and eap_key",
			 WHERE(c, "client", "auth"), c->client_auth);
		return -EINVAL;
	}
	o.ca = server ? c->eap_ca : c->client_eap_ca[0] ? c->client_eap_ca : c->ca;
	o.client_cert = c->eap_cert;
	o.client_key = c->eap_key[0] ? c->eap_key : c->eap_cert;
	if (!server && c->eap_key[0] &&
	    settings_private(c, "client", "eap_key", c->eap_key, err, errlen))
		return -EPERM;
	return settings_ctx(&st->eap_ssl, &o, server ? WHERE(c, "server", "auth") :
			    WHERE(c, "client", "auth"), "EAP TLS: ", err, errlen);
}

static int settings_ip4(const struct config *c, const char *sec, const char *key,
			const char *s, uint32_t *out, bool optional, char *err, size_t errlen)
{
	char where[CONFIG_STR + 64];
	struct in_addr a;

	*out = 0;
	if (optional && !*s)
		return 0;
	if (inet_pton(AF_INET, s, &a) != 1) {
		snprintf(err, errlen, "%s: '%s' is not an IPv4 address",
			 WHERE(c, sec, key), s);
		return -EINVAL;
	}
	*out = ntohl(a.s_addr);
	return 0;
}

/* Listening addresses are numeric addr:port (bound at start only). */
static int settings_endpoint(const struct config *c, const char *sec,
			     const char *key, const char *val, char *err,
			     size_t errlen)
{
	char where[CONFIG_STR + 64];
	struct sockaddr_storage ss;
	socklen_t len;

	if (!*val || !endpoint_sockaddr(val, &ss, &len))
		return 0;
	snprintf(err, errlen, "%s: '%s' is not addr:port or [v6]:port",
		 WHERE(c, sec, key), val);
	return -EINVAL;
}

static int settings_tls(struct settings *st, const struct config *c, char *err,
			size_t errlen)
{
	bool server = c->mode == CONFIG_MODE_SERVER;
	struct tls_opts o = {
		.server = server, .cert = c->cert, .key = c->key, .ca = c->ca,
		.insecure = c->insecure, .ciphers = c->tls_ciphers,
		.ciphersuites = c->tls_ciphersuites,
		.min_version = c->tls_min_version == CONFIG_TLS_1_3 ? TLS1_3_VERSION
								    : TLS1_2_VERSION,
		.max_version = c->tls_max_version == CONFIG_TLS_1_3 ? TLS1_3_VERSION
								    : TLS1_2_VERSION,
	};
	char where[CONFIG_STR + 64];
	int ret;

	if (server) {
		ret = settings_private(c, "server", "key", c->key, err, errlen);
		if (ret)
			return ret;
	}
	/* The key at fault: the server's key (which comes after its
	 * certificate), the client's CA. */
	return settings_ctx(&st->ssl, &o, server ? WHERE(c, "server", "key") :
			    WHERE(c, "client", "ca"), "", err, errlen);
}

static int settings_server(struct settings *st, const struct config *c,
			   char *err, size_t errlen)
{
	char where[CONFIG_STR + 64], why[256];
	struct pool pool;
	uint8_t *der;
	int ret, len;

	if (settings_ip4(c, "server", "local_ip", c->local_ip, &st->local_ip, false, err,
			 errlen) ||
	    settings_ip4(c, "server", "dns1", c->dns1, &st->dns[0], true, err, errlen) ||
	    settings_ip4(c, "server", "dns2", c->dns2, &st->dns[1], true, err, errlen) ||
	    settings_ip4(c, "radius", "nas_ip_address", c->radius_nas_ip_address, &st->nas_ip,
			 true, err, errlen))
		return -EINVAL;
	if (settings_auth(c->auth, st)) {
		snprintf(err, errlen, "%s: '%s': use " SETTINGS_AUTH_NAMES,
			 WHERE(c, "server", "auth"), c->auth);
		return -EINVAL;
	}
	/* The pool is built at start only; here it is only checked. */
	ret = pool_init(&pool, c->pool, st->local_ip);
	if (ret) {
		snprintf(err, errlen, "%s: '%s': %s", WHERE(c, "server", "pool"), c->pool,
			 strerror(-ret));
		return ret;
	}
	pool_uninit(&pool);
	if (settings_endpoint(c, "server", "listen", c->listen, err, errlen) ||
	    settings_endpoint(c, "server", "listen_plain", c->listen_plain, err, errlen))
		return -EINVAL;
	if (prefix_list_parse(c->proxy_protocol, &st->proxy_from, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", WHERE(c, "server", "proxy_protocol"), why);
		return -EINVAL;
	}
	if (c->listen_plain[0] && !c->listen_plain_cert[0]) {
		snprintf(err, errlen, "%s: needs listen_plain_cert, the TLS terminator's "
			 "certificate (the crypto binding is checked against it)",
			 WHERE(c, "server", "listen_plain"));
		return -EINVAL;
	}
	if (c->listen_plain_cert[0]) {
		len = tls_cert_file_der(c->listen_plain_cert, &der, why, sizeof(why));
		if (len < 0) {
			snprintf(err, errlen, "%s: %s", WHERE(c, "server", "listen_plain_cert"),
				 why);
			return len;
		}
		ret = crypto_binding_cert_hashes(der, (size_t)len, &st->plain_cert);
		OPENSSL_free(der);
		if (ret)
			return ret;
		st->have_plain_cert = true;
	}
	ret = settings_private(c, "server", "chap_secrets", c->chap_secrets, err, errlen);
	if (ret)
		return ret;
	ret = ppp_secrets_load(c->chap_secrets, &st->secrets, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "%s", why);
	return ret;
}

static int settings_client(struct settings *st, const struct config *c,
			   char *err, size_t errlen)
{
	char where[CONFIG_STR + 64];
	struct stat sb;

	if (settings_auth(c->client_auth, st)) {
		snprintf(err, errlen, "%s: '%s': use " SETTINGS_AUTH_NAMES,
			 WHERE(c, "client", "auth"), c->client_auth);
		return -EINVAL;
	}
	/* The password is in the configuration itself. */
	if (c->password[0] && c->file[0] && !stat(c->file, &sb) &&
	    (sb.st_mode & (S_IROTH | S_IWOTH))) {
		snprintf(err, errlen, "%s: holds [client] password and is %s by everyone "
			 "(mode %04o): chmod o-rwx it", c->file,
			 sb.st_mode & S_IROTH ? "readable" : "writable",
			 (unsigned int)(sb.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int settings_build(struct settings *st, const struct config *c, char *err,
		   size_t errlen)
{
	char where[CONFIG_STR + 64], why[256];
	int ret;

	memset(st, 0, sizeof(*st));
	ret = privileges_resolve(c->run_as, &st->priv, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "%s: %s", WHERE(c, "global", "run_as"), why);
		return ret;
	}
	ret = settings_endpoint(c, "global", "metrics_listen", c->metrics_listen, err,
				errlen);
	if (!ret)
		ret = c->mode == CONFIG_MODE_SERVER ? settings_server(st, c, err, errlen)
						    : settings_client(st, c, err, errlen);
	if (!ret)
		ret = settings_tls(st, c, err, errlen);
	if (!ret)
		ret = settings_eap_tls(st, c, err, errlen);
	if (ret)
		settings_free(st);
	return ret;
}

void settings_install(struct settings *st, struct session_env *env)
{
	SSL_CTX *ssl = env->ssl, *eap_ssl = env->eap_ssl;
	struct ppp_secrets *secrets = env->secrets;

	env->ssl = st->ssl;
	env->eap_ssl = st->eap_ssl;
	env->secrets = st->secrets;
	env->auth = st->auth;
	memcpy(env->auth_order, st->auth_order, sizeof(env->auth_order));
	memcpy(env->eap_order, st->eap_order, sizeof(env->eap_order));
	env->nas_ip = st->nas_ip;
	env->local_ip = st->local_ip;
	env->dns[0] = st->dns[0];
	env->dns[1] = st->dns[1];
	env->proxy_from = st->proxy_from;
	env->have_plain_cert = st->have_plain_cert;
	env->plain_cert = st->plain_cert;
	st->ssl = ssl;
	st->eap_ssl = eap_ssl;
	st->secrets = secrets;
}

void settings_free(struct settings *st)
{
	if (st->ssl)
		tls_ctx_free(st->ssl);
	if (st->eap_ssl)
		tls_ctx_free(st->eap_ssl);
	if (st->secrets)
		ppp_secrets_free(st->secrets);
	st->ssl = NULL;
	st->eap_ssl = NULL;
	st->secrets = NULL;
}
