/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RFC 1661 option negotiation automaton, shared by LCP, IPCP and
 * IPV6CP. This file knows states, events, counters, the restart timer and
 * the packet codes 1..7; what the options mean is in the per-protocol ops
 * (lcp.c, ipcp.c, ipv6cp.c).
 */
#ifndef SSTP_PPP_FSM_H
#define SSTP_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ppp;
struct fsm;

enum fsm_state {
	FSM_INITIAL,
	FSM_STARTING,
	FSM_CLOSED,
	FSM_STOPPED,
	FSM_CLOSING,
	FSM_STOPPING,
	FSM_REQ_SENT,
	FSM_ACK_RCVD,
	FSM_ACK_SENT,
	FSM_OPENED,
};

enum fsm_code {
	FSM_CONF_REQ = 1,
	FSM_CONF_ACK,
	FSM_CONF_NAK,
	FSM_CONF_REJ,
	FSM_TERM_REQ,
	FSM_TERM_ACK,
	FSM_CODE_REJ,
};

/* Largest Configure-Request options we send, and any reply we build. */
#define FSM_OPTS_MAX 256
#define FSM_PKT_MAX 4096

struct fsm_ops {
	uint16_t proto;
	const char *name;
	/* Our wish list back to its initial state (before the first request). */
	void (*reset)(struct fsm *f);
	/* Write our Configure-Request options into buf; return the length. */
	size_t (*build_req)(struct fsm *f, uint8_t *buf, size_t size);
	/*
	 * The peer's Configure-Request: return FSM_CONF_ACK, FSM_CONF_NAK or
	 * FSM_CONF_REJ with the reply's options in out and out_len (for an Ack,
	 * a copy of opts), or -EINVAL to drop a malformed packet. When
	 * nak_ok is false (Max-Failure reached) options that would be Nak'ed
	 * are rejected instead.
	 */
	int (*recv_req)(struct fsm *f, const uint8_t *opts, size_t len,
			uint8_t *out, size_t *out_len, bool nak_ok);
	/* The peer Acked our request (already checked to be identical). */
	void (*recv_ack)(struct fsm *f, const uint8_t *opts, size_t len);
	/* The peer Nak'ed/Rejected options of our request: adjust the wish
	 * list. -EINVAL drops the packet as bogus. */
	int (*recv_nak)(struct fsm *f, const uint8_t *opts, size_t len);
	int (*recv_rej)(struct fsm *f, const uint8_t *opts, size_t len);
	/* This-Layer-Up / -Down / -Started / -Finished (RFC 1661 4.4). */
	void (*up)(struct fsm *f);
	void (*down)(struct fsm *f);
	void (*starting)(struct fsm *f);
	void (*finished)(struct fsm *f);
	/* Codes beyond 7 (LCP only). Return 0 if handled, -1 for Code-Reject. */
	int (*extcode)(struct fsm *f, uint8_t code, uint8_t id,
		       const uint8_t *data, size_t len);
	/* A Code-Reject of this code is harmless (RXJ+) rather than fatal. */
	bool (*code_rej_ok)(uint8_t code);
};

struct fsm {
	const struct fsm_ops *ops;
	struct ppp *ppp;
	enum fsm_state state;
	uint8_t next_id;	/* id for the next packet we originate */
	uint8_t req_id;		/* id of our outstanding Configure-Request */
	uint8_t term_id;	/* id of our outstanding Terminate-Request */
	unsigned int restart;	/* restart counter */
	unsigned int nak_loops;	/* Configure-Naks sent since the last Ack */
	uint64_t deadline;	/* restart timer, PPP_NO_DEADLINE when off */
	uint8_t req[FSM_OPTS_MAX]; /* our last Configure-Request's options */
	size_t req_len;
	bool reset_pending;	/* build the next request from reset() */
};

void fsm_init(struct fsm *f, const struct fsm_ops *ops, struct ppp *ppp);
/* Administrative and lower-layer events. */
void fsm_open(struct fsm *f);
void fsm_close(struct fsm *f);
void fsm_up(struct fsm *f);
/*
 * The lower layer is up, but wait for the peer to speak first (RFC 1661
 * 4.2, the Stopped state of a passive open; pppd's "silent"): from
 * Starting to Stopped with our wish list built and nothing sent. The
 * peer's Configure-Request then gets our request and the answer to its own
 * (RCR in Stopped); fsm_passive_open() sends ours without waiting longer.
 */
void fsm_up_passive(struct fsm *f);
void fsm_passive_open(struct fsm *f);
/* In Req-Sent or Ack-Sent: send our Configure-Request again at once, with
 * a new identifier, as the restart timer would (TO+ ahead of time). */
void fsm_resend_req(struct fsm *f);
void fsm_down(struct fsm *f);
/* A whole packet of this protocol (code, id, length, data). */
int fsm_input(struct fsm *f, const uint8_t *pkt, size_t len);
void fsm_timer(struct fsm *f, uint64_t now);
/* The peer Protocol-Rejected this protocol (RXJ-). */
void fsm_protocol_rejected(struct fsm *f);
const char *fsm_state_str(enum fsm_state s);

#endif /* SSTP_PPP_FSM_H */
