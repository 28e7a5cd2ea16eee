// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for the SSTP HTTP request/response parsers. */
#include <stdint.h>

#include "proto/http.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req;
	struct http_response resp;
	int n;

	n = http_request_parse((const char *)data, size, &req);
	if (n > 0 && ((size_t)n > size || !req.status))
		__builtin_trap();
	/* The fields are NUL-terminated within their arrays. */
	if (n > 0 && (strnlen(req.host, sizeof(req.host)) == sizeof(req.host) ||
		      strnlen(req.correlation_id, sizeof(req.correlation_id)) ==
		      sizeof(req.correlation_id)))
		__builtin_trap();
	n = http_response_parse((const char *)data, size, &resp);
	if (n > 0 && ((size_t)n > size || resp.status < 0 || resp.status > 999))
		__builtin_trap();
	return 0;
}
