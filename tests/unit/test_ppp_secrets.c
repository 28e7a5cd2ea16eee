// SPDX-License-Identifier: GPL-2.0-or-later
/* The chap-secrets parser: syntax, wildcards and precedence, errors. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "test.h"

#include "ppp/secrets.h"

static int parse(const char *text, struct ppp_secrets **s, char *err,
		 size_t errlen)
{
	return ppp_secrets_parse(text, strlen(text), "chap-secrets", s, err,
				 errlen);
}

TEST(basic_file)
{
	static const char text[] =
		"# client\tserver\tsecret\tIP addresses\n"
		"\n"
		"alice  *      alice-pw   10.0.0.5\n"
		"   # indented comment\n"
		"\"bob smith\" sstpd \"pass word\" 10.0.0.6 10.0.0.7  # trailing\n"
		"carol\tsstpd\t\"q\\\"uote\\\\d\"\n"
		"dave * \"\"\r\n"
		"eve * \"has # hash\"";
	struct ppp_secrets *s = NULL;
	const struct ppp_secret *e;
	char err[256];

	CHECK_INT(parse(text, &s, err, sizeof(err)), 0);
	CHECK_INT(ppp_secrets_count(s), 5);
	e = ppp_secrets_lookup(s, "alice", "sstpd");
	CHECK(e);
	CHECK_STR(e->secret, "alice-pw");
	CHECK_INT(e->n_addrs, 1);
	CHECK_STR(e->addrs[0], "10.0.0.5");
	CHECK_INT(e->line, 3);
	e = ppp_secrets_lookup(s, "bob smith", "sstpd");
	CHECK(e);
	CHECK_STR(e->secret, "pass word");
	CHECK_INT(e->n_addrs, 2);
	CHECK_STR(e->addrs[1], "10.0.0.7");
	CHECK_STR(ppp_secrets_lookup(s, "carol", "sstpd")->secret, "q\"uote\\d");
	CHECK_STR(ppp_secrets_lookup(s, "dave", "x")->secret, "");
	CHECK_STR(ppp_secrets_lookup(s, "eve", "x")->secret, "has # hash");
	CHECK(ppp_secrets_lookup(s, "mallory", "sstpd") == NULL);
	/* Exact server required when not "*". */
	CHECK(ppp_secrets_lookup(s, "carol", "other") == NULL);
	CHECK(ppp_secrets_lookup(s, "carol", NULL) == NULL);
	ppp_secrets_free(s);
}

TEST(precedence)
{
	static const char text[] =
		"*     *      any\n"
		"*     sstpd  any-on-sstpd\n"
		"alice *      alice-anywhere\n"
		"alice sstpd  alice-on-sstpd\n"
		"alice sstpd  second-ignored\n";
	struct ppp_secrets *s = NULL;

	CHECK_INT(parse(text, &s, NULL, 0), 0);
	CHECK_STR(ppp_secrets_lookup(s, "alice", "sstpd")->secret,
		  "alice-on-sstpd");
	CHECK_STR(ppp_secrets_lookup(s, "alice", "gw2")->secret,
		  "alice-anywhere");
	CHECK_STR(ppp_secrets_lookup(s, "bob", "sstpd")->secret, "any-on-sstpd");
	CHECK_STR(ppp_secrets_lookup(s, "bob", "gw2")->secret, "any");
	ppp_secrets_free(s);
}

static void check_error(const char *text, const char *want)
{
	struct ppp_secrets *s = (struct ppp_secrets *)0x1;
	char err[256];

	CHECK_INT(parse(text, &s, err, sizeof(err)), -EINVAL);
	CHECK(s == (struct ppp_secrets *)0x1);	/* untouched */
	CHECK_STR(err, want);
}

TEST(errors_name_file_and_line)
{
	check_error("a * x\nb *\n", "chap-secrets:2: expected client, server and secret");
	check_error("a * \"open\n", "chap-secrets:1: unterminated quoted string");
	check_error("\n\na\"b * x\n", "chap-secrets:3: quote inside a word");
	check_error("\"a\"b * x\n", "chap-secrets:1: text right after a closing quote");
}

TEST(too_long)
{
	char text[400];
	char err[256];
	struct ppp_secrets *s = NULL;

	memset(text, 'x', 256);
	memcpy(text + 256, " * s\n", 6);
	CHECK_INT(parse(text, &s, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "chap-secrets:1: name longer than 255 bytes");
	memcpy(text, "u * ", 4);
	memset(text + 4, 'y', 256);
	text[260] = '\0';
	CHECK_INT(parse(text, &s, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "chap-secrets:1: secret longer than 255 bytes");
	text[259] = '\0';
	CHECK_INT(parse(text, &s, err, sizeof(err)), 0);
	CHECK_INT(strlen(ppp_secrets_lookup(s, "u", "x")->secret), 255);
	ppp_secrets_free(s);
}

TEST(nul_byte_refused)
{
	struct ppp_secrets *s = NULL;
	char err[256];

	CHECK_INT(ppp_secrets_parse("a * b\0c", 7, "f", &s, err, sizeof(err)),
		  -EINVAL);
	CHECK(strstr(err, "NUL"));
}

TEST(empty_file)
{
	struct ppp_secrets *s = NULL;

	CHECK_INT(parse("", &s, NULL, 0), 0);
	CHECK_INT(ppp_secrets_count(s), 0);
	CHECK(ppp_secrets_lookup(s, "a", "b") == NULL);
	ppp_secrets_free(s);
}

TEST(load_from_file)
{
	char path[] = "/tmp/test_ppp_secrets.XXXXXX";
	struct ppp_secrets *s = NULL;
	char err[512];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK_INT(write(fd, "u * pw\nbad\n", 11), 11);
	close(fd);
	CHECK_INT(ppp_secrets_load(path, &s, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, path) == err);
	CHECK(strstr(err, ":2: "));
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, "u * pw\n", 7), 7);
	close(fd);
	CHECK_INT(ppp_secrets_load(path, &s, err, sizeof(err)), 0);
	CHECK_STR(ppp_secrets_lookup(s, "u", "x")->secret, "pw");
	ppp_secrets_free(s);
	unlink(path);
	CHECK_INT(ppp_secrets_load(path, &s, err, sizeof(err)), -ENOENT);
	CHECK(strstr(err, "No such file"));
}
