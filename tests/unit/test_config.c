// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "test.h"

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
	CHECK_INT(c.mtu, 1400);
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
	CHECK_STR(err, "t.conf:1: mtu: '99999' is not a number in 576..4087");
	CHECK_INT(parse(&c, "mtu = -1\n", err), -EINVAL);
	CHECK_INT(parse(&c, "mtu = 1400x\n", err), -EINVAL);
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
