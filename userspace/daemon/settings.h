/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a configuration turns into before a session can use it: the TLS
 * contexts with the certificate and key (SSTP's, EAP's), the secrets, the
 * addresses and methods parsed, the front ends that send PROXY headers,
 * the TLS terminator's certificate, the user to run as. Built whole or not at all,
 * by the start, by every reload and by sstpd --check alike, so that a
 * configuration that passes --check is one the daemon takes, and a reload
 * that fails leaves the running one as it was.
 */
#ifndef SSTP_SETTINGS_H
#define SSTP_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "daemon/config.h"
#include "daemon/prefix.h"
#include "daemon/privileges.h"
#include "ppp/ppp.h"
#include "proto/crypto_binding.h"

struct session_env;

struct settings {
	SSL_CTX *ssl;
	SSL_CTX *eap_ssl;		/* PEAP, EAP-TLS run here */
	struct ppp_secrets *secrets;	/* server */
	unsigned int auth;		/* PPP_AUTH_* */
	enum ppp_auth auth_order[5];	/* as session_env's */
	enum ppp_eap_type eap_order[4];
	uint32_t local_ip, dns[2];	/* server, host order */
	uint32_t nas_ip;		/* [radius] nas_ip_address, host order */
	struct prefix_list proxy_from;	/* server */
	bool have_plain_cert;		/* server, listen_plain */
	struct crypto_binding_cert plain_cert;
	struct privileges priv;
};

/*
 * Build everything cfg names, checking as it goes: files readable, the
 * certificate and key a pair, secrets files and private keys not open to
 * everyone. 0, or -errno with "where: what" in err (where is the file and
 * line of the key at fault, config_where()); nothing is left allocated.
 */
int settings_build(struct settings *st, const struct config *cfg, char *err,
		   size_t errlen);
/* Put st's objects into env and take env's old ones into st (for
 * settings_free). Sessions already running keep what they hold. */
void settings_install(struct settings *st, struct session_env *env);
void settings_free(struct settings *st);

#endif /* SSTP_SETTINGS_H */
