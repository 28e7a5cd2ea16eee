// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the shared codec, kmod/proto.h, included exactly as
 * the module includes it: the packet header, the control-packet check with
 * its attribute walk, the PPP frame header and the burst rule, each held to
 * the invariants the module and the daemon rely on. One of them is the
 * spec's "reserved bits are ignored on receipt": setting or clearing them
 * never changes a verdict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmod/proto.h"

static void fuzz_hdr(const uint8_t *data, size_t size)
{
	uint8_t h[SSTP_HDR_LEN];
	bool ctrl, ctrl2;
	int len;

	if (size < SSTP_HDR_LEN)
		return;
	len = sstp_proto_hdr_parse(data, &ctrl);
	if (len < 0) {
		if (len != -EBADMSG)
			abort();
		return;
	}
	if (len < (ctrl ? SSTP_CTRL_HDR_LEN : SSTP_HDR_LEN) || len > SSTP_PKT_MAX ||
	    len != sstp_proto_hdr_len(data) || data[0] != SSTP_VERSION)
		abort();
	/* What we write reads back the same, reserved bits and all. */
	sstp_proto_hdr_put(h, ctrl, (u16)len);
	if (sstp_proto_hdr_parse(h, &ctrl2) != len || ctrl2 != ctrl)
		abort();
}

/* Set (or clear) every reserved bit of a structurally valid control packet:
 * those of its header and of each attribute header. */
static void ctrl_reserved(uint8_t *p, unsigned int len, bool set)
{
	unsigned int off = SSTP_CTRL_HDR_LEN;
	u16 count, alen;
	u8 id;

	p[1] = set ? p[1] | 0xfe : p[1] & SSTP_FLAG_CONTROL;
	p[2] = set ? p[2] | 0xf0 : p[2] & 0x0f;
	for (count = sstp_proto_get_be16(p + 6); count; count--) {
		unsigned int at = off;

		if (sstp_proto_attr_next(p, len, &off, &id, &alen))
			abort();
		p[at] = set ? 0xff : 0;
		p[at + 2] = set ? p[at + 2] | 0xf0 : p[at + 2] & 0x0f;
	}
}

static void fuzz_ctrl(const uint8_t *data, size_t size)
{
	static uint8_t copy[SSTP_PKT_MAX];
	unsigned int off = SSTP_CTRL_HDR_LEN;
	u16 type, type2, count, alen;
	u8 id;

	if (size > SSTP_PKT_MAX ||
	    sstp_proto_ctrl_check(data, (unsigned int)size, &type))
		return;
	if (type < SSTP_MSG_CALL_CONNECT_REQUEST || type > SSTP_MSG_MAX ||
	    type != sstp_proto_ctrl_type(data))
		abort();
	/* The walk the check made is one the caller can make again. */
	for (count = sstp_proto_get_be16(data + 6); count; count--)
		if (sstp_proto_attr_next(data, (unsigned int)size, &off, &id, &alen))
			abort();
	if (off != size)
		abort();
	for (int set = 0; set < 2; set++) {
		memcpy(copy, data, size);
		ctrl_reserved(copy, (unsigned int)size, set);
		if (sstp_proto_ctrl_check(copy, (unsigned int)size, &type2) ||
		    type2 != type)
			abort();
	}
}

static void fuzz_ppp(const uint8_t *data, size_t size)
{
	u16 proto;
	int hlen = sstp_proto_ppp_hdr(data, (unsigned int)size, &proto);
	unsigned int acf = sstp_proto_ppp_acf(data, (unsigned int)size) ? PPP_ACF_LEN : 0;

	if (hlen < 0)
		return;
	/* One or two protocol bytes after an optional FF 03, low byte odd. */
	if ((unsigned int)hlen > size || (unsigned int)hlen < acf + 1 ||
	    (unsigned int)hlen > acf + 2 || !(proto & 1) ||
	    ((unsigned int)hlen == acf + 1 && proto != data[acf]) ||
	    ((unsigned int)hlen == acf + 2 && proto != sstp_proto_get_be16(data + acf)))
		abort();
}

static void fuzz_burst(const uint8_t *data, size_t size)
{
	size_t queued, last, now;

	if (size < 5)
		return;
	queued = sstp_proto_get_be16(data) * 7u;
	last = sstp_proto_get_be16(data + 2);
	now = sstp_proto_burst_len(queued, last, data[4] & 1);
	if (now > queued || (data[4] & 1 && now != queued) ||
	    (!(data[4] & 1) && queued > last && now != queued - last) ||
	    (queued <= last && now != queued))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_hdr(data, size);
	fuzz_ctrl(data, size);
	fuzz_ppp(data, size);
	fuzz_burst(data, size);
	return 0;
}
