// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for the configuration file parser. */
#include <stdint.h>

#include "daemon/config.c"
/* config.c checks cipher lists with tls_check_ciphers() */
#include "tls/tls.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[256];

	config_init(&c);
	if (config_parse(&c, "fuzz.conf", (const char *)data, size, err, sizeof(err)) &&
	    strncmp(err, "fuzz.conf:", 10))
		__builtin_trap();	/* every parse error names file:line */
	/* Whatever was accepted is a valid config: every string terminated. */
	if (strnlen(c.listen, CONFIG_STR) == CONFIG_STR ||
	    strnlen(c.password, CONFIG_STR) == CONFIG_STR)
		__builtin_trap();
	config_check(&c, err, sizeof(err));
	return 0;
}
