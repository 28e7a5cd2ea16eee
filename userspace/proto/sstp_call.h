/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SSTP call state machines (MS-SSTP 3.1 - 3.3), server and client, with
 * their timers. Pure logic: no sockets, no clock, no allocation. The owner
 * (the daemon's session) feeds it:
 *
 *   sstp_call_start()         once the HTTPS layer is up (client: sends
 *                             CALL_CONNECT_REQUEST)
 *   sstp_call_input()         every received control packet
 *   sstp_call_rx_activity()   every received data packet (hello timer)
 *   sstp_call_set_hlak()      PPP authentication done (HLAK, or NULL = zeros)
 *   sstp_call_disconnect()    local teardown (admin, PPP finished, signal)
 *   sstp_call_lower_down()    TLS/TCP gone or unframeable stream: no wire
 *                             traffic, straight to down()
 *   sstp_call_next_deadline() / sstp_call_timer()   the one timer
 *
 * and it answers through struct sstp_call_ops. Times are monotonic
 * milliseconds supplied by the caller.
 *
 * Reentrancy: callbacks are invoked from inside these functions. A callback
 * must not call back into the same call, and must not free it: free the
 * call after the API function returns, once sstp_call_is_down() is true.
 * down() is invoked exactly once per started call.
 */
#ifndef SSTP_CALL_H
#define SSTP_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/crypto_binding.h"
#include "proto/sstp_msg.h"

#define SSTP_CALL_NEGOTIATION_MS	60000	/* 3.2.2.1, 3.3.2.1 */
#define SSTP_CALL_HELLO_MS		60000	/* 3.1.2.3 */
#define SSTP_CALL_ABORT1_MS		3000	/* 3.1.2.1 */
#define SSTP_CALL_ABORT2_MS		1000
#define SSTP_CALL_DISCONNECT1_MS	5000	/* 3.1.2.2 */
#define SSTP_CALL_DISCONNECT2_MS	1000
#define SSTP_CALL_NAK_RETRIES		3
#define SSTP_CALL_NO_DEADLINE		UINT64_MAX

enum sstp_call_role {
	SSTP_CALL_SERVER,
	SSTP_CALL_CLIENT,
};

/*
 * The spec's CurrentState values. The *_In_Progress_1/2 states of 3.1.1.1
 * last only while a message is sent, so they are not stored.
 */
enum sstp_call_state {
	SSTP_CALL_IDLE,				/* initialised, not started */
	SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING,
	SSTP_CALL_SERVER_CALL_CONNECTED_PENDING,
	SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT,
	SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED,
	SSTP_CALL_CONNECTED,			/* Server_/Client_Call_Connected */
	SSTP_CALL_ABORT_PENDING,		/* we sent CALL_ABORT: 3 s */
	SSTP_CALL_ABORT_TIMEOUT_PENDING,	/* aborts exchanged: 1 s */
	SSTP_CALL_DISCONNECT_ACK_PENDING,	/* we sent CALL_DISCONNECT: 5 s */
	SSTP_CALL_DISCONNECT_TIMEOUT_PENDING,	/* we sent DISCONNECT_ACK: 1 s */
	SSTP_CALL_DOWN,				/* down() has been called */
};

/* Why a call went down (the reason argument of ops->down). */
enum sstp_call_reason {
	SSTP_CALL_DOWN_DISCONNECT,		/* we sent CALL_DISCONNECT, peer acknowledged */
	SSTP_CALL_DOWN_DISCONNECT_TIMEOUT,	/* we sent CALL_DISCONNECT, no ack in 5 s */
	SSTP_CALL_DOWN_PEER_DISCONNECT,		/* peer sent CALL_DISCONNECT, we acknowledged */
	SSTP_CALL_DOWN_ABORT,			/* we aborted; status = what we sent */
	SSTP_CALL_DOWN_PEER_ABORT,		/* peer aborted; status = its Status Info (or 0) */
	SSTP_CALL_DOWN_HELLO_TIMEOUT,		/* no packet for two hello intervals */
	SSTP_CALL_DOWN_LOWER,			/* sstp_call_lower_down() / send failure */
};

struct sstp_call_ops {
	/*
	 * Send one whole SSTP control packet (header included). Returning an
	 * error means the transport is gone: the call goes down (LOWER).
	 */
	int (*send_ctrl)(void *ctx, const uint8_t *pkt, size_t len);
	/*
	 * Lower link up (3.1.7.1): start PPP, PPP control frames may flow.
	 * Server: after CALL_CONNECT_ACK went out; client: on receiving it.
	 */
	void (*ppp_start)(void *ctx);
	/*
	 * The call is established: client sent CALL_CONNECTED / server
	 * verified the crypto binding. PPP data frames may flow from now on
	 * (not one before: 3.3.5.2.3). Optional.
	 */
	void (*connected)(void *ctx);
	/*
	 * Final: close the connection and free the session (after the API
	 * function returns). status is an enum sstp_status (see
	 * enum sstp_call_reason), detail a short English text for logs.
	 */
	void (*down)(void *ctx, enum sstp_call_reason reason, uint32_t status,
		     const char *detail);
	/* Random bytes for the nonce; NULL: OpenSSL RAND_bytes(). 0 / -errno. */
	int (*random)(void *ctx, uint8_t *buf, size_t len);
};

struct sstp_call_config {
	enum sstp_call_role role;
	/*
	 * Server: the hash protocols offered in CALL_CONNECT_ACK (SHA256
	 * only, or SHA1 | SHA256). Client: the ones it accepts; it chooses
	 * SHA256 whenever the server offers it.
	 */
	uint8_t hash_mask;
	uint32_t negotiation_ms;	/* default SSTP_CALL_NEGOTIATION_MS */
	/*
	 * Hello interval once connected: an ECHO_REQUEST after one silent
	 * interval, down after a second. 0 disables it (the kernel data path
	 * runs the hello timer itself).
	 */
	uint32_t hello_ms;
	unsigned int nak_retries;	/* default SSTP_CALL_NAK_RETRIES */
	/*
	 * Server: hashes of its own certificate. Client: hashes of the
	 * certificate the server presented in the TLS handshake.
	 */
	struct crypto_binding_cert cert;
};

/* Opaque to the owner: read it through the accessors below. */
#define SSTP_HLAK_MAX	4		/* HLAK candidates a server tries */

struct sstp_call {
	struct sstp_call_config cfg;
	const struct sstp_call_ops *ops;
	void *ctx;

	enum sstp_call_state state;
	uint64_t deadline;		/* of the state's timer, or NO_DEADLINE */
	uint64_t last_rx;		/* hello: last packet received */
	bool echo_sent;			/* hello: ECHO_REQUEST out, waiting */
	unsigned int naks;		/* server: NAKs sent; client: NAKs received */

	uint8_t nonce[SSTP_NONCE_LEN];	/* server: sent; client: received */
	uint8_t hash_mask;		/* client: the server's offer */
	int hash_proto;			/* the SSTP_HASH_* of the binding: client:
					 * chosen; server: verified; -1 before */
	bool have_hlak;
	/* Server: the HLAKs the peer may have used, in order (the first is
	 * the spec's); hlak_matched: which one its binding verified with. */
	uint8_t hlak[SSTP_HLAK_MAX][SSTP_HLAK_LEN];
	unsigned int n_hlak;
	int hlak_matched;
	bool held;			/* server: CALL_CONNECTED waiting for the HLAK */
	uint8_t held_pkt[SSTP_CALL_CONNECTED_LEN];

	/* Filled when the teardown starts, reported by down() at its end. */
	enum sstp_call_reason reason;
	uint32_t status;
	char detail[96];
};

/* Defaults for role: both hashes, 60 s timers, 3 NAK retries, no cert. */
void sstp_call_config_init(struct sstp_call_config *cfg,
			   enum sstp_call_role role);

/*
 * Set up a call (nothing is sent). ops and ctx must outlive it; ops->send_ctrl
 * and ops->down are required. Returns 0 or -EINVAL.
 */
int sstp_call_init(struct sstp_call *c, const struct sstp_call_config *cfg,
		   const struct sstp_call_ops *ops, void *ctx);
/* Wipe the secrets (HLAK, held packet). Does not call down(). */
void sstp_call_uninit(struct sstp_call *c);

/*
 * The HTTPS layer is up. Server: wait for CALL_CONNECT_REQUEST
 * (negotiation timer). Client: send CALL_CONNECT_REQUEST. Returns 0 or
 * -EALREADY; a send failure takes the call down.
 */
int sstp_call_start(struct sstp_call *c, uint64_t now);

/*
 * One received control packet, whole, header included (from the
 * deframer). Everything the spec says happens: replies, state changes,
 * aborts for malformed or unexpected messages (only this call is
 * affected). Returns 0, -EINVAL if pkt is not a control packet at all (a
 * caller bug, nothing happens), -ENOTCONN if the call is not running.
 */
int sstp_call_input(struct sstp_call *c, const uint8_t *pkt, size_t len,
		    uint64_t now);

/* The hello timer is someone else's from now on (the kernel data path
 * took the socket): stop it, and never start it again. */
void sstp_call_hello_off(struct sstp_call *c);

/* A data packet was received: restarts the hello timer. */
void sstp_call_rx_activity(struct sstp_call *c, uint64_t now);

/*
 * PPP authentication completed (3.2.7.1 / 3.3.7.1); hlak NULL means 32
 * zero bytes (PAP, CHAP-MD5). Client: sends CALL_CONNECTED and is
 * connected. Server: stores it, and checks a CALL_CONNECTED that arrived
 * earlier (sstp-client sends it before our PPP auth is over). Returns 0,
 * -EAGAIN (client: no CALL_CONNECT_ACK yet), -ENOTCONN (call not in a
 * state that takes an HLAK).
 */
int sstp_call_set_hlak(struct sstp_call *c, const uint8_t *hlak, uint64_t now);
/*
 * The same with up to SSTP_HLAK_MAX candidates: a server accepts a
 * binding made with any of them (peers differ on what an EAP method's
 * HLAK is; docs/sstp-call.md) and sstp_call_hlak_matched() then says which
 * (its index, -1 before); a client uses the first.
 */
int sstp_call_set_hlaks(struct sstp_call *c, const uint8_t (*hlaks)[SSTP_HLAK_LEN],
			unsigned int n, uint64_t now);
int sstp_call_hlak_matched(const struct sstp_call *c);

/*
 * Local disconnect (3.2.4.2): CALL_DISCONNECT, then down() on the
 * DISCONNECT_ACK or after 5 s. Ignored (returns -EALREADY) while already
 * aborting or disconnecting.
 */
int sstp_call_disconnect(struct sstp_call *c, uint64_t now);

/*
 * Local abort (e.g. PPP failed in a way the peer must hear about):
 * CALL_ABORT with a Status Info (attr_id, status), then down() after the
 * peer's CALL_ABORT + 1 s or after 3 s; detail (copied, may be NULL) is
 * what down() will report. Returns 0, -EALREADY or -ENOTCONN.
 */
int sstp_call_abort(struct sstp_call *c, uint8_t attr_id, uint32_t status,
		    const char *detail, uint64_t now);

/*
 * The transport is gone, or its byte stream could not be delineated: no
 * wire traffic, down() now. If a disconnect/abort was under way, down()
 * reports that reason (the peer closing right after the handshake is
 * normal); otherwise reason (normally SSTP_CALL_DOWN_LOWER).
 */
void sstp_call_lower_down(struct sstp_call *c, enum sstp_call_reason reason,
			  const char *detail);

/* When sstp_call_timer() must next run, or SSTP_CALL_NO_DEADLINE. */
uint64_t sstp_call_next_deadline(const struct sstp_call *c);
/* Run whatever timer has expired by now (harmless to call early). */
void sstp_call_timer(struct sstp_call *c, uint64_t now);

static inline enum sstp_call_state sstp_call_state(const struct sstp_call *c)
{
	return c->state;
}

/* The hash protocol of the crypto binding (SSTP_HASH_SHA1 or _SHA256):
 * the client's choice, or what the server verified; -1 before. */
static inline int sstp_call_hash_proto(const struct sstp_call *c)
{
	return c->hash_proto;
}

static inline bool sstp_call_is_down(const struct sstp_call *c)
{
	return c->state == SSTP_CALL_DOWN;
}

/* PPP data frames (network protocols) may be sent and received: only once
 * the call is connected (crypto binding checked). */
static inline bool sstp_call_data_allowed(const struct sstp_call *c)
{
	return c->state == SSTP_CALL_CONNECTED;
}

/* PPP control frames (LCP, authentication, NCPs) may be sent and received. */
bool sstp_call_ppp_allowed(const struct sstp_call *c);

/*
 * May a PPP frame with this protocol number pass now? Protocols >= 0x8000
 * (NCPs, LCP, PAP, CHAP, EAP) are control frames, the rest are data.
 */
bool sstp_call_ppp_proto_allowed(const struct sstp_call *c, uint16_t ppp_proto);

const char *sstp_call_state_name(enum sstp_call_state s);
const char *sstp_call_reason_name(enum sstp_call_reason r);

#endif /* SSTP_CALL_H */
