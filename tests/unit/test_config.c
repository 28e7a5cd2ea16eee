// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "daemon/config.h"
#include "test.h"
#include "tls/tls.h"

static int parse(struct config *c, const char *text, char *err)
{
	config_init(c);
	return config_parse(c, "t.conf", text, strlen(text), err, 256);
}

TEST(defaults)
{
	struct config c;

	config_init(&c);
	CHECK_INT(c.mode, CONFIG_MODE_SERVER);
	CHECK_INT(c.hello_interval, 60);
	/* mtu = auto: the largest SSTP carries */
	CHECK_INT(c.mtu, 4087);
	CHECK_STR(c.listen, "0.0.0.0:443");
	CHECK_STR(c.ctl_socket, "/run/sstpd.sock");
	CHECK(!c.insecure);
	CHECK(!c.ipv6);
	CHECK(!c.test_corrupt_compound_mac);
}

TEST(sections_comments_quotes)
{
	struct config c;
	char err[256] = "";

	CHECK_INT(parse(&c,
			"# no inline comments: the value is 'client ; x'\n"
			"mode = client ; x\n", err),
		  -EINVAL);
	CHECK_INT(parse(&c,
			"# top is [global]\n"
			"mode = client\n"
			"\n"
			"[client]\r\n"
			"  server = vpn.example.com:8443  \n"
			"password = \" p#w \"\n"
			"insecure = yes\n"
			"[ global ]\n"
			"hello_interval = 5\n", err), 0);
	CHECK_INT(c.mode, CONFIG_MODE_CLIENT);
	CHECK_STR(c.server, "vpn.example.com:8443");
	CHECK_STR(c.password, " p#w ");
	CHECK(c.insecure);
	CHECK_INT(c.hello_interval, 5);
}

TEST(errors_name_file_and_line)
{
	struct config c;
	char err[256];

	CHECK_INT(parse(&c, "\n\n[server]\nbogus = 1\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:4: unknown key 'bogus' in [server]");
	CHECK_INT(parse(&c, "[nope]\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:1: unknown section [nope]");
	CHECK_INT(parse(&c, "mtu = 99999\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:1: mtu: '99999' is not auto or a number in 576..4087");
	CHECK_INT(parse(&c, "mtu = -1\n", err), -EINVAL);
	CHECK_INT(parse(&c, "mtu = 1400x\n", err), -EINVAL);
	CHECK_INT(parse(&c, "mtu = Auto\n", err), -EINVAL);
	CHECK_INT(parse(&c, "hello_interval = auto\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:1: hello_interval: 'auto' is not a number in 1..3600");
	CHECK_INT(parse(&c, "mtu = 1400\n", err), 0);
	CHECK_INT(c.mtu, 1400);
	CHECK_INT(parse(&c, "mtu = auto\n", err), 0);
	CHECK_INT(c.mtu, 4087);
	CHECK_INT(parse(&c, "[client]\ninsecure = maybe\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:2: insecure: 'maybe' is not yes or no");
	CHECK_INT(parse(&c, "mode = both\n", err), -EINVAL);
	CHECK_INT(parse(&c, "just words\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:1: expected 'key = value'");
	CHECK_INT(parse(&c, "[server\n", err), -EINVAL);
	CHECK_INT(parse(&c, "[server] x\n", err), -EINVAL);
	/* key of another section */
	CHECK_INT(parse(&c, "[client]\npool = 10.0.0.0/24\n", err), -EINVAL);
}

TEST(command_line_overrides)
{
	struct config c;
	char err[256];

	CHECK_INT(parse(&c, "[server]\nlisten = 1.2.3.4:443\n", err), 0);
	CHECK_INT(config_set(&c, "server.listen=127.0.0.1:8443", err, sizeof(err)), 0);
	CHECK_STR(c.listen, "127.0.0.1:8443");
	CHECK_INT(config_set(&c, "global.hello_interval = 3", err, sizeof(err)), 0);
	CHECK_INT(c.hello_interval, 3);
	CHECK_INT(config_set(&c, "test.corrupt_compound_mac=yes", err, sizeof(err)), 0);
	CHECK(c.test_corrupt_compound_mac);
	CHECK_INT(config_set(&c, "server.nope=1", err, sizeof(err)), -EINVAL);
	CHECK_INT(config_set(&c, "listen=1", err, sizeof(err)), -EINVAL);
	CHECK_INT(config_set(&c, "global.mtu=1", err, sizeof(err)), -EINVAL);
}

TEST(check_client_needs_server_and_user)
{
	struct config c;
	char err[256];

	CHECK_INT(parse(&c, "mode = client\n", err), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), -EINVAL);
	CHECK_INT(config_set(&c, "client.server=h", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), -EINVAL);
	CHECK_INT(config_set(&c, "client.user=u", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), 0);
	CHECK_INT(config_set(&c, "global.offload=yes", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), 0);
	CHECK_INT(config_set(&c, "global.offload=auto", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), 0);
	CHECK_INT(config_set(&c, "global.offload=maybe", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), -EINVAL);
}

TEST(dump_reparses_to_same_values)
{
	char path[] = "/tmp/test_config.XXXXXX", err[256];
	struct config a, b;
	int fd;

	CHECK_INT(parse(&a, "mode = client\n[client]\nserver = x:1\npassword = \"a b\"\n", err), 0);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	config_dump(&a, fd);
	close(fd);
	config_init(&b);
	CHECK_INT(config_load(&b, path, err, sizeof(err)), 0);
	unlink(path);
	CHECK_INT(b.mode, CONFIG_MODE_CLIENT);
	CHECK_STR(b.server, "x:1");
	CHECK(!strcmp(b.ctl_socket, a.ctl_socket));
	CHECK_INT(b.mtu, a.mtu);
	CHECK_INT(config_load(&b, "/nonexistent/x.conf", err, sizeof(err)), -ENOENT);
}

TEST(examples_parse_and_check)
{
	static const char *const files[] = {
		"examples/sstpd-server.conf", "examples/sstpd-client.conf",
	};
	char err[256];
	struct config c;
	size_t i;

	/* Run from the top of the tree (make check-unit). */
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		config_init(&c);
		CHECK_INT(config_load(&c, files[i], err, sizeof(err)), 0);
		CHECK_INT(config_check(&c, err, sizeof(err)), 0);
	}
	CHECK_INT(c.mode, CONFIG_MODE_CLIENT);
	CHECK_STR(c.password, "correct horse battery staple");
}

TEST(tls_defaults_are_valid)
{
	char err[256] = "";
	struct config c;

	config_init(&c);
	CHECK_INT(c.tls_min_version, CONFIG_TLS_1_2);
	CHECK_INT(c.tls_max_version, CONFIG_TLS_1_3);
	CHECK_STR(c.tls_ciphers, SSTP_TLS12_CIPHERS);
	CHECK_STR(c.tls_ciphersuites, SSTP_TLS13_SUITES);
	/* config_init does not run the checks: the defaults must pass them */
	CHECK_INT(tls_check_ciphers(c.tls_ciphers, false, err, sizeof(err)), 0);
	CHECK_INT(tls_check_ciphers(c.tls_ciphersuites, true, err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), 0);
}

TEST(tls_versions_accepted)
{
	char err[256];
	struct config c;

	CHECK_INT(parse(&c, "tls_min_version = 1.2\ntls_max_version = 1.2\n", err), 0);
	CHECK_INT(c.tls_min_version, CONFIG_TLS_1_2);
	CHECK_INT(c.tls_max_version, CONFIG_TLS_1_2);
	CHECK_INT(parse(&c, "tls_min_version = 1.3\n", err), 0);
	CHECK_INT(c.tls_min_version, CONFIG_TLS_1_3);
	CHECK_INT(c.tls_max_version, CONFIG_TLS_1_3);
	/* any order within the file */
	CHECK_INT(parse(&c, "tls_max_version = 1.3\ntls_min_version = 1.3\n", err), 0);
	/* in [global] only, for both roles */
	CHECK_INT(parse(&c, "mode = client\n[global]\ntls_max_version = 1.2\n", err), 0);
	CHECK_INT(parse(&c, "[client]\ntls_max_version = 1.2\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:2: unknown key 'tls_max_version' in [client]");
	CHECK_INT(parse(&c, "[server]\ntls_ciphers = ECDHE-RSA-AES128-GCM-SHA256\n", err),
		  -EINVAL);
}

TEST(tls_versions_rejected)
{
	char err[256];
	struct config c;

	CHECK_INT(parse(&c, "\ntls_min_version = 1.1\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:2: tls_min_version: '1.1' is not one of 1.2, 1.3");
	CHECK_INT(parse(&c, "tls_max_version = 1.4\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:1: tls_max_version: '1.4' is not one of 1.2, 1.3");
	CHECK_INT(parse(&c, "tls_max_version = TLSv1.3\n", err), -EINVAL);
	CHECK_INT(parse(&c, "tls_min_version =\n", err), -EINVAL);
	/* min above max: the later of the two lines is named, either order */
	CHECK_INT(parse(&c, "tls_min_version = 1.3\n# x\ntls_max_version = 1.2\n", err),
		  -EINVAL);
	CHECK_STR(err, "t.conf:3: tls_min_version 1.3 is above tls_max_version 1.2");
	CHECK_INT(parse(&c, "tls_max_version = 1.2\nmtu = 1400\ntls_min_version = 1.3\n"
			"mtu = 1300\n", err), -EINVAL);
	CHECK_STR(err, "t.conf:3: tls_min_version 1.3 is above tls_max_version 1.2");
	/* against the default max */
	CHECK_INT(parse(&c, "tls_max_version = 1.2\n", err), 0);
	CHECK_INT(config_set(&c, "global.tls_min_version=1.3", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "tls_min_version 1.3 is above tls_max_version 1.2");
	/* -o in an order that passes through min > max is fine if it ends well */
	CHECK_INT(parse(&c, "tls_min_version = 1.3\n", err), 0);
	CHECK_INT(config_set(&c, "global.tls_max_version=1.2", err, sizeof(err)), 0);
	CHECK_INT(config_set(&c, "global.tls_min_version=1.2", err, sizeof(err)), 0);
	CHECK_INT(config_check(&c, err, sizeof(err)), 0);
	CHECK_INT(config_set(&c, "global.tls_min_version=1.0", err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "-o: tls_min_version: '1.0' is not one of 1.2, 1.3");
	CHECK_INT(c.tls_min_version, CONFIG_TLS_1_2);
}

TEST(tls_ciphers_accepted)
{
	static const char *const ok12[] = {
		"ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384",
		"ECDHE-RSA-CHACHA20-POLY1305",
		"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE+AESGCM:!PSK",
		"ECDHE-RSA-AES128-GCM-SHA256:@STRENGTH",
		/* opt-in for Windows 7 and 8.1 with an RSA certificate */
		"ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-GCM-SHA384",
		"DHE-RSA-AES128-GCM-SHA256",
	};
	static const char *const ok13[] = {
		"TLS_AES_128_GCM_SHA256",
		"TLS_AES_256_GCM_SHA384",
		"TLS_CHACHA20_POLY1305_SHA256",
		"TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
	};
	char text[512], err[256];
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(ok12) / sizeof(ok12[0]); i++) {
		snprintf(text, sizeof(text), "tls_ciphers = %s\n", ok12[i]);
		CHECK_INT(parse(&c, text, err), 0);
		CHECK_STR(c.tls_ciphers, ok12[i]);
	}
	for (i = 0; i < sizeof(ok13) / sizeof(ok13[0]); i++) {
		snprintf(text, sizeof(text), "tls_ciphersuites = %s\n", ok13[i]);
		CHECK_INT(parse(&c, text, err), 0);
		CHECK_STR(c.tls_ciphersuites, ok13[i]);
	}
	CHECK_INT(config_set(&c, "global.tls_ciphers=ECDHE-RSA-CHACHA20-POLY1305",
			     err, sizeof(err)), 0);
	CHECK_STR(c.tls_ciphers, "ECDHE-RSA-CHACHA20-POLY1305");
}

/* Each rejected list with the start of the reason after "t.conf:2: ". */
TEST(tls_ciphers_rejected)
{
	static const struct { const char *key, *val, *why; } bad[] = {
		/* names OpenSSL does not know, alone or next to good ones */
		{ "tls_ciphers", "FOO", "tls_ciphers: 'FOO' matches no TLS 1.2 cipher" },
		{ "tls_ciphers", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA265",
		  "tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA265' matches no TLS 1.2 cipher" },
		{ "tls_ciphers", "TLS_AES_128_GCM_SHA256",
		  "tls_ciphers: 'TLS_AES_128_GCM_SHA256' matches no TLS 1.2 cipher" },
		{ "tls_ciphers", "", "tls_ciphers: '' selects no TLS 1.2 cipher" },
		{ "tls_ciphers", "!aNULL", "tls_ciphers: '!aNULL' selects no TLS 1.2 cipher" },
		/* known, but kTLS cannot offload them */
		{ "tls_ciphers", "ECDHE-RSA-AES128-SHA256",
		  "tls_ciphers: ECDHE-RSA-AES128-SHA256 cannot be offloaded to kTLS" },
		{ "tls_ciphers", "ECDHE-ECDSA-AES128-CCM",
		  "tls_ciphers: ECDHE-ECDSA-AES128-CCM cannot be offloaded to kTLS" },
		{ "tls_ciphers", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ARIA128-GCM-SHA256",
		  "tls_ciphers: ECDHE-ARIA128-GCM-SHA256 cannot be offloaded to kTLS" },
		{ "tls_ciphers", "HIGH", "tls_ciphers: " },
		/* offloadable, but no forward secrecy or no certificate */
		{ "tls_ciphers", "AES128-GCM-SHA256",
		  "tls_ciphers: AES128-GCM-SHA256 is not allowed: TLS 1.2 needs ECDHE" },
		{ "tls_ciphers", "DHE-DSS-AES128-GCM-SHA256",
		  "tls_ciphers: DHE-DSS-AES128-GCM-SHA256 is not allowed" },
		{ "tls_ciphers", "DHE-RSA-AES128-SHA256",
		  "tls_ciphers: DHE-RSA-AES128-SHA256 cannot be offloaded to kTLS" },
		{ "tls_ciphers", "ECDHE-PSK-CHACHA20-POLY1305",
		  "tls_ciphers: ECDHE-PSK-CHACHA20-POLY1305 is not allowed" },
		{ "tls_ciphers", "ADH-AES128-GCM-SHA256",
		  "tls_ciphers: ADH-AES128-GCM-SHA256 is not allowed" },
		/* TLS 1.3 */
		{ "tls_ciphersuites", "TLS_FOO",
		  "tls_ciphersuites: 'TLS_FOO' matches no TLS 1.3 suite" },
		{ "tls_ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA265",
		  "tls_ciphersuites: 'TLS_AES_128_GCM_SHA265' matches no TLS 1.3 suite" },
		{ "tls_ciphersuites", "ECDHE-RSA-AES128-GCM-SHA256",
		  "tls_ciphersuites: 'ECDHE-RSA-AES128-GCM-SHA256' matches no TLS 1.3 suite" },
		{ "tls_ciphersuites", "", "tls_ciphersuites: '' selects no TLS 1.3 suite" },
		{ "tls_ciphersuites", "TLS_AES_128_CCM_SHA256",
		  "tls_ciphersuites: TLS_AES_128_CCM_SHA256 cannot be offloaded to kTLS" },
		{ "tls_ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_8_SHA256",
		  "tls_ciphersuites: TLS_AES_128_CCM_8_SHA256 cannot be offloaded" },
	};
	char text[512], err[256], want[300];
	struct config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "mtu = 1400\n%s = %s\n", bad[i].key, bad[i].val);
		err[0] = 0;
		CHECK_INT(parse(&c, text, err), -EINVAL);
		snprintf(want, sizeof(want), "t.conf:2: %s", bad[i].why);
		if (strncmp(err, want, strlen(want)))
			fprintf(stderr, "  list '%s': got '%s', want '%s...'\n",
				bad[i].val, err, want);
		CHECK(!strncmp(err, want, strlen(want)));
		/* the value before the bad line is kept */
		CHECK_STR(c.tls_ciphers, SSTP_TLS12_CIPHERS);
		CHECK_STR(c.tls_ciphersuites, SSTP_TLS13_SUITES);
	}
	/* the same through -o, which keeps the earlier value too */
	config_init(&c);
	CHECK_INT(config_set(&c, "global.tls_ciphers=AES128-GCM-SHA256", err, sizeof(err)),
		  -EINVAL);
	CHECK(strstr(err, "-o: tls_ciphers: AES128-GCM-SHA256 is not allowed") == err);
	CHECK_STR(c.tls_ciphers, SSTP_TLS12_CIPHERS);
}

TEST(tls_keys_survive_dump)
{
	char path[] = "/tmp/test_config.XXXXXX", err[256];
	struct config a, b;
	int fd;

	CHECK_INT(parse(&a, "tls_min_version = 1.2\ntls_max_version = 1.2\n"
			"tls_ciphers = ECDHE-RSA-AES128-GCM-SHA256\n"
			"tls_ciphersuites = TLS_CHACHA20_POLY1305_SHA256\n", err), 0);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	config_dump(&a, fd);
	close(fd);
	config_init(&b);
	CHECK_INT(config_load(&b, path, err, sizeof(err)), 0);
	unlink(path);
	CHECK_INT(b.tls_min_version, CONFIG_TLS_1_2);
	CHECK_INT(b.tls_max_version, CONFIG_TLS_1_2);
	CHECK_STR(b.tls_ciphers, "ECDHE-RSA-AES128-GCM-SHA256");
	CHECK_STR(b.tls_ciphersuites, "TLS_CHACHA20_POLY1305_SHA256");
}
