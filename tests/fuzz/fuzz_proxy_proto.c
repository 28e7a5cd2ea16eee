// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for the PROXY protocol header parser. */
#include <stdint.h>

#include "proto/proxy_proto.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_hdr h;
	int n = proxy_hdr_parse(data, size, &h);

	/* Never more than it was given, never past the limit, and a result
	 * that does not depend on what follows the header. */
	if (n > 0 && ((size_t)n > size || n > PROXY_HDR_MAX || !h.version))
		__builtin_trap();
	if (n > 0 && proxy_hdr_parse(data, (size_t)n, &h) != n)
		__builtin_trap();
	if (strnlen(h.authority, sizeof(h.authority)) == sizeof(h.authority))
		__builtin_trap();
	return 0;
}
