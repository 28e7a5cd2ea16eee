// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * daemon/settings.c, what the start, a reload and sstpd --check build from
 * a configuration: a good one builds; a private key or secrets file open
 * to everyone, a key that is not the certificate's, a missing file, a
 * plain listener without the terminator's certificate, an unknown run_as
 * user, an auth list sstpd cannot serve are each refused with the file and
 * line of the key at fault.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/session.h"
#include "daemon/settings.h"
#include "test.h"
#include "test_pki.h"

static char dir[] = "/tmp/test_settings.XXXXXX";
static char crt[64], key[64], other_key[64], secrets[64], conf[64];

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void in_dir(char path[64], const char *name)
{
	snprintf(path, 64, "%s/%s", dir, name);
}

__attribute__((constructor)) static void make_files(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *k2 = EVP_EC_gen("P-256");
	X509 *x;

	if (!mkdtemp(dir))
		abort();
	in_dir(crt, "server.crt");
	in_dir(key, "server.key");
	in_dir(other_key, "other.key");
	in_dir(secrets, "chap-secrets");
	in_dir(conf, "sstpd.conf");
	x = make_cert(k, "vpn.test", NULL, NULL, NULL);
	write_pem(crt, x, NULL);
	write_pem(key, NULL, k);
	write_pem(other_key, NULL, k2);
	chmod(key, 0600);
	chmod(other_key, 0600);
	write_file(secrets, "alice * secret *\n", 0640);
	X509_free(x);
	EVP_PKEY_free(k);
	EVP_PKEY_free(k2);
}

__attribute__((destructor)) static void remove_files(void)
{
	const char *f[] = { crt, key, other_key, secrets, conf };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		unlink(f[i]);
	rmdir(dir);
}

/* A server configuration file with `extra` lines after the good ones. */
static int build(struct settings *st, const char *extra, char *err, size_t n)
{
	struct config c;
	char text[2048];

	snprintf(text, sizeof(text),
		 "[global]\nrun_as = root\n[server]\ncert = %s\nkey = %s\n"
		 "chap_secrets = %s\n%s", crt, key, secrets, extra);
	write_file(conf, text, 0644);
	config_init(&c);
	if (config_load(&c, conf, err, n))
		return -100;
	return settings_build(st, &c, err, n);
}

TEST(good_server_builds)
{
	struct settings st;
	char err[240] = "";

	CHECK_INT(build(&st, "local_ip = 10.9.0.1\npool = 10.9.0.0/24\ndns1 = 10.9.0.1\n"
			"proxy_protocol = 127.0.0.1 10.0.0.0/8\n", err, sizeof(err)), 0);
	CHECK(st.ssl && st.secrets);
	CHECK_INT(st.local_ip, 0x0a090001);
	CHECK_INT(st.proxy_from.n, 2);
	CHECK(!st.priv.drop);
	settings_free(&st);
}

TEST(private_files_open_to_everyone_refused)
{
	static const struct {
		const char *file, *name;
		int line;
		mode_t bad, good;
		const char *how;
	} cases[] = {
		{ key, "key", 5, 0644, 0600, "readable" },
		{ secrets, "chap_secrets", 6, 0642, 0640, "writable" },
	};
	struct settings st;
	char err[240], want[240];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		chmod(cases[i].file, cases[i].bad);
		CHECK_INT(build(&st, "", err, sizeof(err)), -EPERM);
		chmod(cases[i].file, cases[i].good);
		snprintf(want, sizeof(want), "%s:%d: %s: %s is %s by everyone (mode %04o): "
			 "chmod o-rwx it", conf, cases[i].line, cases[i].name, cases[i].file,
			 cases[i].how, (unsigned int)cases[i].bad);
		CHECK_STR(err, want);
	}
}

TEST(key_of_another_certificate_refused)
{
	struct settings st;
	char err[240], want[160];

	CHECK_INT(build(&st, "", err, sizeof(err)), 0);
	settings_free(&st);
	/* The later key wins: line 7 names the other key. */
	snprintf(want, sizeof(want), "key = %s\n", other_key);
	CHECK_INT(build(&st, want, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:7: key: %s: ", conf, other_key);
	CHECK(!strncmp(err, want, strlen(want)));
	CHECK(strstr(err, "key values mismatch"));
}

TEST(what_the_keys_name_is_checked)
{
	struct settings st;
	char err[240], want[240];

	CHECK_INT(build(&st, "chap_secrets = /nonexistent/chap-secrets\n", err,
			sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s:7: chap_secrets: /nonexistent/chap-secrets: "
		 "No such file or directory", conf);
	CHECK_STR(err, want);
	CHECK_INT(build(&st, "listen_plain = 127.0.0.1:8080\n", err, sizeof(err)),
		  -EINVAL);
	snprintf(want, sizeof(want), "%s:7: listen_plain: needs listen_plain_cert", conf);
	CHECK(!strncmp(err, want, strlen(want)));
	snprintf(want, sizeof(want), "listen_plain = 127.0.0.1:8080\nlisten_plain_cert = %s\n",
		 crt);
	CHECK_INT(build(&st, want, err, sizeof(err)), 0);
	CHECK(st.have_plain_cert);
	settings_free(&st);
	CHECK_INT(build(&st, "proxy_protocol = haproxy\n", err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:7: proxy_protocol: 'haproxy' is not an address "
		 "or address/length", conf);
	CHECK_STR(err, want);
	CHECK_INT(build(&st, "listen = 443\n", err, sizeof(err)), -EINVAL);
	CHECK_INT(build(&st, "pool = 10.0.0.9-10.0.0.1\n", err, sizeof(err)), -EINVAL);
	CHECK_INT(build(&st, "[global]\nrun_as = no-such-user-here\n", err, sizeof(err)),
		  -ENOENT);
	snprintf(want, sizeof(want), "%s:8: run_as: run_as = no-such-user-here: no such user",
		 conf);
	CHECK_STR(err, want);
}

TEST(client_password_in_a_file_open_to_everyone)
{
	struct settings st;
	struct config c;
	char err[240], want[240];

	write_file(conf, "mode = client\nrun_as = root\n[client]\nserver = h\nuser = u\n"
		   "password = p\ninsecure = yes\n", 0644);
	config_init(&c);
	CHECK_INT(config_load(&c, conf, err, sizeof(err)), 0);
	CHECK_INT(settings_build(&st, &c, err, sizeof(err)), -EPERM);
	snprintf(want, sizeof(want), "%s: holds [client] password and is readable by "
		 "everyone (mode 0644): chmod o-rwx it", conf);
	CHECK_STR(err, want);
	chmod(conf, 0600);
	CHECK_INT(settings_build(&st, &c, err, sizeof(err)), 0);
	settings_free(&st);
}

/* The auth list in order, the EAP context PEAP and EAP-TLS need (none when
 * RADIUS runs them), and what goes into the sessions' environment. */
TEST(auth_order_and_eap)
{
	struct session_env env = { 0 };
	struct settings st;
	char err[240], want[240];

	CHECK_INT(build(&st, "auth = pap peap mschapv2 eap-mschapv2\n", err, sizeof(err)), 0);
	CHECK_INT(st.auth, PPP_AUTH_PAP | PPP_AUTH_EAP | PPP_AUTH_MSCHAPV2);
	CHECK_INT(st.auth_order[0], PPP_AUTH_PAP);
	CHECK_INT(st.auth_order[1], PPP_AUTH_EAP);
	CHECK_INT(st.auth_order[2], PPP_AUTH_MSCHAPV2);
	CHECK_INT(st.auth_order[3], 0);
	CHECK_INT(st.eap_order[0], PPP_EAP_PEAP);
	CHECK_INT(st.eap_order[1], PPP_EAP_MSCHAPV2);
	CHECK(st.eap_ssl);
	settings_install(&st, &env);
	CHECK(env.eap_ssl && env.ssl && env.auth_order[1] == PPP_AUTH_EAP);
	settings_install(&st, &env);	/* back, to be freed */
	settings_free(&st);

	CHECK_INT(build(&st, "auth = eap-mschapv2 mschapv2\n", err, sizeof(err)), 0);
	CHECK(!st.eap_ssl);
	settings_free(&st);
	CHECK_INT(build(&st, "auth = eap-tls\n", err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:7: auth: 'eap-tls': eap-tls needs [server] eap_ca",
		 conf);
	CHECK_STR(err, want);
	snprintf(want, sizeof(want), "auth = eap-tls\neap_ca = %s\n", crt);
	CHECK_INT(build(&st, want, err, sizeof(err)), 0);
	CHECK(st.eap_ssl);
	settings_free(&st);
	/* Relayed to RADIUS: its server runs EAP-TLS. */
	CHECK_INT(build(&st, "auth = eap-tls\n[radius]\nauth_servers = 127.0.0.1\n"
			"secret = s\nnas_ip_address = 10.0.0.1\n", err, sizeof(err)), 0);
	CHECK(!st.eap_ssl);
	CHECK_INT(st.nas_ip, 0x0a000001);
	settings_free(&st);
	CHECK_INT(build(&st, "auth = ms-chap\n", err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:7: auth: 'ms-chap': use eap-mschapv2, peap, "
		 "eap-tls, mschapv2, chap-md5, pap", conf);
	CHECK_STR(err, want);
	CHECK_INT(build(&st, "[radius]\nnas_ip_address = nas.example\n", err, sizeof(err)),
		  -EINVAL);
	snprintf(want, sizeof(want), "%s:8: nas_ip_address: 'nas.example' is not an IPv4 "
		 "address", conf);
	CHECK_STR(err, want);
}
