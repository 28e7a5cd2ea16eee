// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the SSTP call state machines: a server or a client
 * fed a fuzzer-chosen sequence of control packets, clock jumps, HLAKs,
 * disconnects and aborts. Checks the contract the daemon relies on:
 * down() exactly once and nothing after it, data only when connected.
 */
#include <stdlib.h>

#include "proto/sstp_msg.c"
#include "proto/crypto_binding.c"
#include "proto/sstp_call.c"

struct fuzz_peer {
	struct sstp_call call;
	int downs;
	int sent_after_down;
	int connected;
	uint8_t rnd;
};

static int fuzz_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct fuzz_peer *p = ctx;
	struct sstp_ctrl m;

	if (p->downs)
		p->sent_after_down++;
	/* Everything we send must be well formed. */
	if (sstp_ctrl_decode(pkt, len, &m) == -EBADMSG)
		abort();
	return 0;
}

static void fuzz_connected(void *ctx)
{
	((struct fuzz_peer *)ctx)->connected++;
}

static void fuzz_down(void *ctx, enum sstp_call_reason reason, uint32_t status,
		      const char *detail)
{
	((struct fuzz_peer *)ctx)->downs++;
}

static int fuzz_random(void *ctx, uint8_t *buf, size_t len)
{
	struct fuzz_peer *p = ctx;

	while (len--)
		*buf++ = p->rnd++;
	return 0;
}

static const struct sstp_call_ops fuzz_ops = {
	.send_ctrl = fuzz_send,
	.connected = fuzz_connected,
	.down = fuzz_down,
	.random = fuzz_random,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t hlak[SSTP_HLAK_LEN] = { 1 };
	struct sstp_call_config cfg;
	struct fuzz_peer p;
	uint64_t now = 1;
	size_t off = 1;

	if (size < 1)
		return 0;
	memset(&p, 0, sizeof(p));
	sstp_call_config_init(&cfg, data[0] & 1 ? SSTP_CALL_CLIENT : SSTP_CALL_SERVER);
	cfg.hash_mask = (data[0] >> 1 & 3) ? (data[0] >> 1 & 3) : 3;
	cfg.hello_ms = data[0] & 8 ? 1000 : 0;
	if (sstp_call_init(&p.call, &cfg, &fuzz_ops, &p))
		abort();
	sstp_call_start(&p.call, now);

	/* op byte, then for packets a length byte and that many bytes */
	while (off < size) {
		uint8_t op = data[off++];
		size_t len;

		switch (op & 7) {
		case 0:
		case 1:
		case 2: {
			uint8_t pkt[SSTP_PKT_MAX];

			if (off >= size)
				break;
			len = data[off++];
			if (len > size - off)
				len = size - off;
			/* Give it a valid header so the body gets exercised. */
			memcpy(pkt + 4, data + off, len);
			off += len;
			sstp_proto_hdr_put(pkt, true, len + 4);
			if (len + 4 >= SSTP_CTRL_HDR_LEN)
				sstp_call_input(&p.call, pkt, len + 4, now);
			break;
		}
		case 3:
			now += (uint64_t)(op >> 3) * 250;
			sstp_call_timer(&p.call, now);
			break;
		case 4:
			sstp_call_set_hlak(&p.call, op & 8 ? hlak : NULL, now);
			break;
		case 5:
			if (op & 8)
				sstp_call_disconnect(&p.call, now);
			else
				sstp_call_abort(&p.call, 2, op >> 4, NULL, now);
			break;
		case 6:
			sstp_call_rx_activity(&p.call, now);
			break;
		case 7:
			if (op == 0xff) {
				sstp_call_lower_down(&p.call, SSTP_CALL_DOWN_LOWER, "fuzz");
			} else {
				/* A genuine client's CALL_CONNECTED, so that the
				 * server side can reach Call_Connected at all. */
				uint8_t pkt[SSTP_CALL_CONNECTED_LEN];

				crypto_binding_build(pkt, op & 8 ? SSTP_HASH_SHA1 : SSTP_HASH_SHA256,
						     p.call.nonce, &p.call.cfg.cert,
						     op & 16 ? hlak : (const uint8_t[SSTP_HLAK_LEN]){ 0 });
				sstp_call_input(&p.call, pkt, sizeof(pkt), now);
			}
			break;
		}
		if (p.downs > 1 || p.sent_after_down)
			abort();
		if (sstp_call_data_allowed(&p.call) !=
		    (sstp_call_state(&p.call) == SSTP_CALL_CONNECTED))
			abort();
		if (sstp_call_is_down(&p.call) &&
		    sstp_call_next_deadline(&p.call) != SSTP_CALL_NO_DEADLINE)
			abort();
	}
	/* Every call ends: let all timers run out. */
	now += 3600 * 1000;
	sstp_call_timer(&p.call, now);
	now += 3600 * 1000;
	sstp_call_timer(&p.call, now);
	if (cfg.hello_ms || sstp_call_state(&p.call) != SSTP_CALL_CONNECTED) {
		if (p.downs != 1)
			abort();
	}
	sstp_call_uninit(&p.call);
	return 0;
}
