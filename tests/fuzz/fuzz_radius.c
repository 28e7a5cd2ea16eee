// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for RADIUS packets as they come in: the structure
 * check, authenticity (as a response and as a request), walking every
 * attribute, the vendor lookups, the long-value join and the MS-MPPE key
 * decryption the daemon runs on an Access-Accept.
 */
#include <stdint.h>

#include "proto/radius.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t secret[] = "fuzz", ra[16] = { 1 };
	uint8_t buf[RADIUS_MAX_LEN], key[64];
	const uint8_t *v;
	size_t off = 0, n, total = 0;
	uint32_t u;
	uint8_t t;
	int r;

	if (radius_check(data, size))
		return 0;
	radius_verify(data, secret, 4, ra, true);
	radius_verify(data, secret, 4, NULL, false);
	while (radius_next(data, &off, &t, &v, &n)) {
		if (v < data + RADIUS_HDR_LEN || v + n > data + radius_len(data))
			__builtin_trap();
		total += n;
	}
	radius_get_u32(data, RADIUS_FRAMED_IP_ADDRESS, &u);
	r = radius_get_long(data, RADIUS_EAP_MESSAGE, buf, sizeof(buf));
	if (r > (int)total)
		__builtin_trap();
	v = radius_find_vsa(data, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &n);
	if (v) {
		if (v + n > data + radius_len(data))
			__builtin_trap();
		r = radius_mppe_key(v, n, secret, 4, ra, key, sizeof(key));
		if (r > (int)sizeof(key))
			__builtin_trap();
	}
	radius_find_vsa(data, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT, &n);
	return 0;
}
