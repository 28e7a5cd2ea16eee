// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the SSTP wire codec: the control message decoder
 * (with an encode/decode round-trip invariant) and the stream deframer
 * (input cut into reads of fuzzer-chosen sizes).
 */
#include <stdlib.h>

#include "proto/sstp_msg.c"

static void fuzz_decode(const uint8_t *data, size_t size)
{
	static struct sstp_ctrl a, b;
	static uint8_t buf[SSTP_PKT_MAX];
	int n;

	if (sstp_ctrl_decode(data, size, &a))
		return;
	/* What decodes cleanly must re-encode to something that decodes to
	 * the same message (reserved bits aside, the same bytes). */
	n = sstp_ctrl_encode(&a, buf, sizeof(buf));
	if (n != (int)size)
		abort();
	if (sstp_ctrl_decode(buf, n, &b) || b.type != a.type ||
	    b.n_status != a.n_status || b.has_encap != a.has_encap ||
	    b.has_binding != a.has_binding || b.has_binding_req != a.has_binding_req)
		abort();
	if (memcmp(&a.binding, &b.binding, sizeof(a.binding)) ||
	    memcmp(&a.binding_req, &b.binding_req, sizeof(a.binding_req)) ||
	    memcmp(a.status, b.status, sizeof(a.status)))
		abort();
}

static void fuzz_deframe(const uint8_t *data, size_t size)
{
	static struct sstp_deframer d;
	struct sstp_packet pkt;
	struct sstp_ctrl msg;
	size_t off = 1, total = 0;
	uint8_t step;
	int r = 0;

	if (!size)
		return;
	step = data[0] ? data[0] : 1;
	sstp_deframer_init(&d);
	while (off < size && r >= 0) {
		const uint8_t *p = data + off;
		size_t len = size - off < step ? size - off : step;

		off += len;
		while ((r = sstp_deframer_next(&d, &p, &len, &pkt)) > 0) {
			if (pkt.len < SSTP_HDR_LEN || pkt.len > SSTP_PKT_MAX ||
			    pkt.len != sstp_proto_hdr_len(pkt.data) ||
			    pkt.payload_len != pkt.len - SSTP_HDR_LEN)
				abort();
			total += pkt.len;
			if (pkt.control)
				sstp_ctrl_decode(pkt.data, pkt.len, &msg);
		}
		if (r == 0 && len)
			abort();	/* "need more" must mean "took it all" */
	}
	if (r >= 0 && total + sstp_deframer_pending(&d) != size - 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode(data, size);
	fuzz_deframe(data, size);
	return 0;
}
