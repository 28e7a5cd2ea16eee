/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PPP engine: one instance per session, server or client role.
 *
 * Pure logic, no I/O, no clock, no threads. The caller
 *   - feeds every received PPP frame to ppp_input(),
 *   - passes the current monotonic time in milliseconds ("now") to every call,
 *   - calls ppp_timer() once now >= ppp_deadline(),
 *   - receives everything the engine wants done through struct ppp_callbacks.
 *
 * What runs: LCP (RFC 1661: MRU, Auth-Protocol, Magic-Number, PFC, ACFC,
 * echo), then exactly one authentication (server: authenticator, client:
 * peer) with PAP, CHAP-MD5 or MS-CHAPv2 (+ RFC 3079 MPPE master keys), then
 * IPCP (RFC 1332/1877) and IPV6CP (RFC 5072). No CCP/MPPE encryption (SSTP
 * does not use it): CCP and other protocols get a Protocol-Reject.
 *
 * Frames, in and out, are PPP frames as carried in SSTP data packets: no
 * HDLC flags, no byte stuffing, no FCS.
 *   in:  "FF 03" optional, protocol field 2 bytes or compressed to 1 byte
 *        (all forms accepted, whatever was negotiated), then the information.
 *   out: always "FF 03" + 2-byte protocol + information (RFC 1661 requires
 *        it for LCP; doing it for everything is simplest and every peer
 *        accepts it). A caller writing to a /dev/ppp channel fd, which wants
 *        the frame to start at the protocol field, skips the first 2 bytes.
 *
 * Callbacks run synchronously from inside ppp_start(), ppp_input(),
 * ppp_timer(), ppp_close() and ppp_auth_verdict(). They must not call ppp_free(); the only
 * engine calls allowed from inside a callback are ppp_set_ipv4() and the
 * read-only getters. link_down is always the last callback an engine makes;
 * after it the engine is dead (ppp_phase() == PPP_PHASE_DEAD), ignores
 * input and has no deadline, and the caller frees it when convenient.
 */
#ifndef SSTP_PPP_H
#define SSTP_PPP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PPP protocol numbers (PPP_PROTO_*) and the frame header are the wire
 * format's, shared with the module. */
#include "kmod/proto.h"

/* Bytes ppp_ip_header() writes in front of an IP packet: FF 03 + protocol. */
#define PPP_IP_HDR_LEN		4

#define PPP_NO_DEADLINE		UINT64_MAX

/* Largest name/password the engine takes (PAP carries 1-byte lengths). A
 * peer's name is never put into the engine's own log texts: the owner
 * gets it through the callbacks and escapes it. */
#define PPP_NAME_MAX		255
#define PPP_SECRET_MAX		255

/* MS-CHAPv2 / RFC 3079 key sizes. */
#define PPP_MPPE_KEY_LEN	16
#define PPP_HLAK_LEN		32

enum ppp_role {
	PPP_ROLE_SERVER,	/* authenticator; assigns the peer's addresses */
	PPP_ROLE_CLIENT,	/* authenticates itself; asks for addresses */
};

/* Authentication methods, usable as a bit mask in ppp_config.auth. */
enum ppp_auth {
	PPP_AUTH_NONE		= 0,
	PPP_AUTH_PAP		= 1 << 0,
	PPP_AUTH_CHAP_MD5	= 1 << 1,
	PPP_AUTH_MSCHAPV2	= 1 << 2,
	PPP_AUTH_EAP		= 1 << 3,	/* RFC 3748; methods: eap_methods */
};
#define PPP_AUTH_ALL (PPP_AUTH_PAP | PPP_AUTH_CHAP_MD5 | PPP_AUTH_MSCHAPV2 | \
		      PPP_AUTH_EAP)

/* EAP methods (their EAP type numbers), usable in ppp_config.eap_order. */
enum ppp_eap_type {
	PPP_EAP_NONE		= 0,
	PPP_EAP_TLS		= 13,	/* RFC 5216 */
	PPP_EAP_PEAP		= 25,	/* PEAPv0, MS-CHAPv2 inside */
	PPP_EAP_MSCHAPV2	= 26,	/* draft-kamath-pppext-eap-mschapv2 */
};

/* Bytes of the EAP Master Session Key (RFC 5247). */
#define PPP_MSK_LEN		64
/* Largest EAP packet the engine sends or relays. */
#define PPP_EAP_MAX		1500

enum ppp_phase {
	PPP_PHASE_DEAD,		/* not started, or finished (link_down was called) */
	PPP_PHASE_ESTABLISH,	/* LCP negotiating */
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,	/* NCPs negotiating or up */
	PPP_PHASE_TERMINATE,	/* LCP Terminate-Request sent, waiting */
};

/* Why the link went down (link_down callback). */
enum ppp_down_reason {
	PPP_DOWN_CLOSED,	/* ppp_close() completed (Terminate-Ack or timeout) */
	PPP_DOWN_PEER_TERMINATED, /* the peer sent LCP Terminate-Request */
	PPP_DOWN_NEGOTIATION,	/* LCP/NCP negotiation failed: retries
				 * exhausted, no common auth method, peer
				 * refused to authenticate, no NCP came up */
	PPP_DOWN_AUTH_FAILED,	/* wrong credentials, unknown user, or the
				 * server's MS-CHAPv2 authenticator response
				 * did not verify (client) */
	PPP_DOWN_AUTH_TIMEOUT,	/* authentication did not finish in time */
	PPP_DOWN_ECHO_TIMEOUT,	/* LCP echo keepalive: peer stopped answering */
	PPP_DOWN_LOOPBACK,	/* Magic-Number: we are talking to ourselves */
	PPP_DOWN_REJECTED,	/* the caller's auth callback refused the peer */
};

struct ppp_config {
	enum ppp_role role;
	/*
	 * Server: methods it may request, tried in the order MS-CHAPv2,
	 * CHAP-MD5, PAP (the peer may Nak towards another allowed one).
	 * PPP_AUTH_NONE: no authentication (tests only; SSTP requires it).
	 * Client: methods it accepts; it Naks anything else with the best
	 * one it has.
	 */
	unsigned int auth;
	/*
	 * Optional: the order of preference of the methods in auth (server:
	 * the order it requests them in; client: the one it Naks with),
	 * PPP_AUTH_NONE-terminated. Unset: MS-CHAPv2, CHAP-MD5, PAP, EAP.
	 */
	enum ppp_auth auth_order[5];
	/*
	 * EAP methods in order of preference, PPP_EAP_NONE-terminated. The
	 * server offers the first (local) or lets the back end choose
	 * (verify); the client answers these and Naks others. Unset:
	 * EAP-MSCHAPv2 alone.
	 */
	enum ppp_eap_type eap_order[4];
	/*
	 * EAP-TLS and PEAP: an OpenSSL SSL_CTX (not owned, must outlive the
	 * engine). Server: its certificate and key, and the CA that signs
	 * EAP-TLS client certificates; client: the CA for the server's
	 * certificate, and for EAP-TLS its own certificate and key.
	 */
	void *eap_tls_ctx;
	/*
	 * Server: the name it puts in CHAP challenges (default "sstpd").
	 * Client: the username it authenticates with.
	 */
	const char *name;
	/* Client: the password. Unused by the server (see get_secret). */
	const char *password;

	uint16_t mru;		/* our MRU; 0 = 1500. Peer's MRU: ppp_peer_mru() */
	/* Ask for PFC and ACFC: the peer may then send frames without FF 03
	 * and with a 1-byte protocol (we take every form anyway, and always
	 * send FF 03 with a 2-byte protocol). Windows asks for both. */
	bool request_pfc_acfc;
	/* Sent in an LCP Identification (RFC 1570) once LCP is up, as Windows
	 * announces itself; NULL or "": none. At most 64 bytes are sent. */
	const char *ident;

	bool ipv4;		/* run IPCP */
	bool ipv6;		/* run IPV6CP */
	/*
	 * IPv4 addresses (network byte order in struct in_addr).
	 * Server: ipv4_local is ours (must be set), ipv4_peer is what the
	 * peer gets (may be set later with ppp_set_ipv4(), e.g. from the auth
	 * callback once the username is known; must be set before IPCP can
	 * finish). Client: ipv4_local 0.0.0.0 = ask the server (usual).
	 */
	struct in_addr ipv4_local, ipv4_peer;
	/* Server: DNS servers offered (0.0.0.0 = none; then the DNS option is
	 * rejected). Client: ignored, see request_dns. */
	struct in_addr dns[2];
	bool request_dns;	/* client: ask for primary/secondary DNS */

	/* Timers and counters; 0 = the RFC 1661 default in brackets. */
	uint32_t restart_ms;	/* restart timer [3000] */
	uint32_t max_configure;	/* [10] */
	uint32_t max_terminate;	/* [2] */
	uint32_t max_failure;	/* [5] Naks before we Reject instead */
	uint32_t auth_timeout_ms; /* whole authentication phase [30000] */
	/* LCP echo keepalive: interval, 0 = off (SSTP hello already checks
	 * liveness). Link down after echo_max_fail unanswered requests [3]. */
	uint32_t echo_interval_ms;
	uint32_t echo_max_fail;
	/* Server: how long LCP waits for the peer's first LCP frame before
	 * sending its own Configure-Request [1000] (see ppp_start()). */
	uint32_t lcp_wait_ms;
};

/* Authentication succeeded (auth callback). */
struct ppp_auth_info {
	enum ppp_auth method;	/* PPP_AUTH_NONE if no authentication ran */
	/*
	 * Server: the username the peer authenticated as (as sent, including
	 * any "DOMAIN\" prefix). Client: the name in the server's CHAP
	 * challenge, "" for PAP and none.
	 */
	const char *peer_name;
	/*
	 * MS-CHAPv2 only (has_keys): RFC 3079 section 3 master keys, 128-bit,
	 * as seen by THIS side: send_key protects what this side sends.
	 *   client: send_key = GetAsymmetricStartKey(MasterKey, 16, send=1, server=0)
	 *           recv_key = GetAsymmetricStartKey(MasterKey, 16, send=0, server=0)
	 *   server: send_key = client's recv_key, recv_key = client's send_key.
	 * hlak is the SSTP Higher-Layer Authentication Key, identical on both
	 * sides: client send_key || client recv_key (= server recv_key ||
	 * server send_key). Without keys (PAP, CHAP-MD5, none) all are zero,
	 * which is exactly the HLAK MS-SSTP prescribes for them.
	 */
	bool has_keys;
	uint8_t send_key[PPP_MPPE_KEY_LEN];
	uint8_t recv_key[PPP_MPPE_KEY_LEN];
	uint8_t hlak[PPP_HLAK_LEN];
	/*
	 * EAP: the method that ran, and its MSK when it has one (has_msk).
	 * Then hlak is the MSK's first 32 bytes, as MS-SSTP 3.2.5.2 says for
	 * EAP (for EAP-MSCHAPv2 that is the MS-CHAPv2 HLAK above).
	 */
	enum ppp_eap_type eap_type;
	bool has_msk;
	uint8_t msk[PPP_MSK_LEN];
};

/*
 * Server: what the peer sent to authenticate, for a back end that checks
 * it elsewhere (the verify callback; RADIUS). The pointers are valid for
 * the call only.
 */
struct ppp_auth_request {
	enum ppp_auth method;		/* PAP, CHAP-MD5 or MS-CHAPv2 */
	const char *peer_name;		/* as sent, any "DOMAIN\" included */
	uint8_t id;			/* the CHAP identifier */
	/* PAP: the password. CHAP-MD5: the 16-byte response. MS-CHAPv2: the
	 * 49-byte Response value (peer challenge, 8 reserved, NT-Response,
	 * flags; RFC 2759 4). */
	const uint8_t *response;
	size_t response_len;
	/* CHAP: our challenge (16 bytes); PAP: none. EAP (relayed to the
	 * back end, RFC 3579): the peer's whole EAP Response. */
	const uint8_t *challenge;
	size_t challenge_len;
	const uint8_t *eap;
	size_t eap_len;
};

/* The back end's answer to a ppp_auth_request (ppp_auth_verdict()). */
struct ppp_auth_verdict {
	bool ok;
	/*
	 * MS-CHAPv2 accepted: the authenticator response "S=<40 hex>" for
	 * the Success packet (required: the client checks it). Otherwise an
	 * optional text for the log (never sent: the peer gets the same
	 * Failure as for a wrong password).
	 */
	const char *message;
	/* MS-CHAPv2 accepted: this side's (the server's) master keys, as
	 * struct ppp_auth_info has them; without them the HLAK is zero. */
	bool has_keys;
	uint8_t send_key[PPP_MPPE_KEY_LEN];
	uint8_t recv_key[PPP_MPPE_KEY_LEN];
	/*
	 * EAP relayed: the back end's EAP packet for the peer (a Request
	 * when more is set: the exchange goes on and the peer's next
	 * Response comes through verify again; Success or Failure at the
	 * end), and with an accepted one its MSK (RADIUS: MS-MPPE-Recv-Key
	 * || MS-MPPE-Send-Key).
	 */
	const uint8_t *eap;
	size_t eap_len;
	bool more;
	bool has_msk;
	uint8_t msk[PPP_MSK_LEN];
	enum ppp_eap_type eap_type;	/* the method, when the back end knows */
};

struct ppp_ipv4_info {
	struct in_addr local, peer;	/* network byte order */
	struct in_addr dns[2];		/* client: from the server, 0 = none;
					 * server: what it offered and the
					 * peer accepted */
	uint16_t mtu;			/* the peer's MRU: largest IP packet to send */
};

struct ppp_ipv6_info {
	uint8_t local_id[8], peer_id[8];	/* interface identifiers */
	uint16_t mtu;
};

struct ppp_callbacks {
	/* Required. Send one PPP frame (FF 03 + 2-byte protocol + data). */
	void (*send)(void *ctx, const uint8_t *frame, size_t len);
	/*
	 * Server, required unless auth is PPP_AUTH_NONE: copy the secret
	 * (password) of user `name` into secret[0..size) and return its
	 * length, or a negative errno (-ENOENT: unknown user). Only the
	 * secret's bytes are used (no NUL needed).
	 */
	int (*get_secret)(void *ctx, const char *name, uint8_t *secret,
			  size_t size);
	/*
	 * Server, optional: check the peer's credentials elsewhere instead
	 * of with get_secret. Return 0 when the answer will come later
	 * through ppp_auth_verdict() (the engine waits, within the
	 * authentication timeout, and ignores the peer's retransmissions
	 * meanwhile), or a negative errno to refuse the peer at once.
	 */
	int (*verify)(void *ctx, const struct ppp_auth_request *req);
	/*
	 * Server, optional: the credential of user `name` (a PAP request, a
	 * CHAP response) has arrived and is about to be checked. Return how
	 * long to hold it first, in ms (0: check it now), and set *refuse to
	 * refuse it whatever it proves (a lockout). Held or not, refused or
	 * not, the engine does the same work and the peer gets the same
	 * answer, and an unknown user costs what a known one does: the peer
	 * learns nothing from the timing. Every authentication method (PAP,
	 * CHAP, MS-CHAPv2, EAP at its Identity) and every back end (local
	 * secrets, verify) passes through here, so throttling lives behind
	 * this callback: a locked-out credential never reaches the back end.
	 */
	uint32_t (*auth_hold)(void *ctx, const char *name, bool *refuse);
	/*
	 * Server, optional: the credential of user `name` was refused (the
	 * peer gets a Failure and the link goes down with
	 * PPP_DOWN_AUTH_FAILED), locally or by the back end. why: "unknown
	 * user", "wrong password", "locked out", or the back end's reason
	 * (its Reply-Message: escape it too). name is as the peer sent it:
	 * escape it to print it.
	 */
	void (*auth_failed)(void *ctx, enum ppp_auth method, const char *name,
			    const char *why);
	/*
	 * Called exactly once, when authentication has succeeded (or was not
	 * negotiated: method PPP_AUTH_NONE), before any NCP starts. Return 0
	 * to go on, or a negative errno to refuse the peer (server: the peer
	 * gets an auth Failure; both: link down with PPP_DOWN_REJECTED).
	 * The server may call ppp_set_ipv4() from here.
	 */
	int (*auth)(void *ctx, const struct ppp_auth_info *info);
	/* IPCP / IPV6CP reached Opened: the network layer may carry data. */
	void (*ipv4_up)(void *ctx, const struct ppp_ipv4_info *info);
	void (*ipv6_up)(void *ctx, const struct ppp_ipv6_info *info);
	/*
	 * An NCP left Opened (RFC 1661 This-Layer-Down): the peer sent a
	 * Terminate-Request or a new Configure-Request for it, ppp_ncp_close()
	 * was called, or LCP is going down (then ppp_phase() is already
	 * PPP_PHASE_TERMINATE). proto is PPP_PROTO_IPCP or PPP_PROTO_IPV6CP;
	 * from now on that family's packets are dropped both ways until its
	 * ipv4_up / ipv6_up comes again. Optional.
	 */
	void (*ncp_down)(void *ctx, uint16_t proto);
	/* An IPv4 (0x0021) or IPv6 (0x0057) packet arrived while its NCP is
	 * up. pkt is the bare IP packet. */
	void (*data)(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len);
	/* Required. The last callback: the link is down, the engine is dead.
	 * text is a human-readable detail (never NULL). */
	void (*link_down)(void *ctx, enum ppp_down_reason reason,
			  const char *text);
	/* Optional. Diagnostics; prio is a syslog LOG_* level. */
	void (*log)(void *ctx, int prio, const char *msg);
	/* Optional. Fill buf with random bytes, 0 or -errno; default
	 * OpenSSL RAND_bytes. Tests use it for determinism. */
	int (*random)(void *ctx, void *buf, size_t len);
};

struct ppp;

/*
 * Create an engine. cfg and its strings are copied. Returns 0 or -errno
 * (-EINVAL: bad config, e.g. a client without name/password, a server with
 * auth but no get_secret, a server IPCP without ipv4_local).
 */
int ppp_new(const struct ppp_config *cfg, const struct ppp_callbacks *cb,
	    void *ctx, struct ppp **out);
/* Free an engine in any state. No callback is made, nothing is sent. */
void ppp_free(struct ppp *ppp);

/*
 * The lower layer is up: start LCP. The client sends its Configure-Request
 * at once. The server waits for the peer's first LCP frame (up to
 * lcp_wait_ms) and sends its own request only then: Windows' PPP drops
 * what arrives before it has sent its own first request, and a request
 * lost that way would cost a whole restart interval (3 s). If the wait
 * runs out, the server sends anyway; when the peer's first Configure-
 * Request then shows that it was not listening (nothing answered ours),
 * ours goes out again at once, with a new identifier.
 */
void ppp_start(struct ppp *ppp, uint64_t now);

/*
 * One received PPP frame. Returns 0, or -EINVAL when the frame was
 * malformed and dropped (the session goes on; the caller may count it).
 * Frames before ppp_start() or after link_down are ignored.
 */
int ppp_input(struct ppp *ppp, const uint8_t *frame, size_t len, uint64_t now);

/* Absolute time (ms) at which ppp_timer() must be called, or
 * PPP_NO_DEADLINE. Changes after every engine call. */
uint64_t ppp_deadline(const struct ppp *ppp);
/* Run the expired timers. Harmless if called early. */
void ppp_timer(struct ppp *ppp, uint64_t now);

/*
 * Close the link gracefully: LCP Terminate-Request, then link_down with
 * PPP_DOWN_CLOSED on Terminate-Ack or after max_terminate restarts.
 * If the link is not up yet, link_down follows at once. text is logged.
 */
void ppp_close(struct ppp *ppp, const char *text, uint64_t now);

/*
 * Server: set/replace the IPv4 addresses for IPCP. Call it before the
 * network phase starts (at the latest from the auth callback): IPCP reads
 * the local address when it starts, the peer's whenever it answers one of
 * the peer's requests.
 */
void ppp_set_ipv4(struct ppp *ppp, struct in_addr local, struct in_addr peer);

/*
 * Administratively close one NCP (PPP_PROTO_IPCP or PPP_PROTO_IPV6CP) while
 * LCP and the other NCP stay up: Terminate-Request, ncp_down at once. Once
 * no NCP is left the link is closed, as when the peer rejects them all.
 * ppp_ncp_open() negotiates it again (also after the peer terminated it).
 * Returns 0, -EINVAL (not an NCP protocol), -EOPNOTSUPP (that NCP is not
 * enabled in the config) or -ENOTCONN (not in the network phase).
 */
int ppp_ncp_close(struct ppp *ppp, uint16_t proto, uint64_t now);
int ppp_ncp_open(struct ppp *ppp, uint16_t proto, uint64_t now);

/*
 * Server: the verify callback's answer. Accepted: the auth callback runs
 * and the peer gets Success; refused: the peer gets Failure and the link
 * goes down with PPP_DOWN_AUTH_FAILED. Returns -EALREADY when no answer is
 * awaited (the link went down meanwhile, or a second answer).
 */
int ppp_auth_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v,
		     uint64_t now);

enum ppp_phase ppp_phase(const struct ppp *ppp);
/* The peer's MRU (what we may send), 1500 until LCP says otherwise. */
uint16_t ppp_peer_mru(const struct ppp *ppp);
bool ppp_ipv4_is_up(const struct ppp *ppp);
bool ppp_ipv6_is_up(const struct ppp *ppp);

/*
 * Frame an outgoing IP packet: write the PPP_IP_HDR_LEN bytes that go in
 * front of pkt (FF 03 00 21 for IPv4, FF 03 00 57 for IPv6, chosen by the
 * IP version nibble) into hdr. Lets the caller read the packet into a buffer
 * at offset PPP_IP_HDR_LEN (+ the SSTP header) and frame it without a copy.
 * Returns PPP_IP_HDR_LEN, or -EINVAL if pkt is neither IPv4 nor IPv6.
 * It does not check that the NCP is up: see ppp_ipv4_is_up().
 */
int ppp_ip_header(uint8_t hdr[PPP_IP_HDR_LEN], const uint8_t *pkt, size_t len);

const char *ppp_down_reason_str(enum ppp_down_reason reason);
const char *ppp_auth_str(enum ppp_auth method);

#endif /* SSTP_PPP_H */
