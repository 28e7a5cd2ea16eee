/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A client of sstp.ko's generic netlink family "sstp" (libmnl), for the
 * daemon's kernel link backend. One socket per kernel session: the socket
 * that sends session-new owns the session (its notifications come to it,
 * and closing it ends the session), so one socket per session gives every
 * session its own, independent lifetime.
 *
 * Requests are synchronous (the kernel answers at once). Notifications
 * (ctrl-recv, ppp-recv, session-down) can arrive while a request waits for its
 * answer; they are queued, like those sstp_genl_read() reads from the event
 * loop, and the caller pops them when it is ready. No callback ever runs
 * from inside this module, so the caller may free its session (and this
 * socket) while handling any event.
 */
#ifndef SSTP_SSTP_GENL_H
#define SSTP_SSTP_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sstp.h>

struct mnl_socket;
struct nlmsghdr;

/* One parsed message of the family: a reply or a notification. */
struct sstp_genl_msg {
	uint8_t cmd;			/* SSTP_CMD_* */
	uint32_t id, ifindex, state, reason, role, hello, pass;
	char ifname[16];		/* session-new's answer */
	uint64_t stats[SSTP_STATS_A_MAX + 1];
	/* ctrl-recv: an SSTP control packet; ppp-recv: a PPP frame from
	 * its two-byte protocol on */
	size_t data_len;
	uint8_t data[SSTP_PACKET_MAX];
};

struct sstp_genl_event {
	struct sstp_genl_event *next;
	struct sstp_genl_msg m;
};

struct sstp_genl {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t portid, seq;
	struct sstp_genl_event *head, **tail;	/* queued notifications */
	char err[160];			/* extack text of the last failure */
	bool extack;			/* err is the kernel's own text */
};

struct sstp_genl_new {
	int fd;				/* the kTLS socket */
	bool server;
	unsigned int hello;		/* seconds, 0 = no hello timer */
	unsigned int mtu;		/* the device's first MTU */
	const char *ifname;		/* device name or "x%d" template, NULL: sstp%d */
	const uint8_t *pending;		/* SSTP bytes already read */
	size_t pending_len;
};

/* What session-new answers. */
struct sstp_genl_created {
	uint32_t id;
	uint32_t ifindex;
	char ifname[16];
};

/* Open a socket and resolve the family: -ENOENT when sstp.ko is not loaded. */
int sstp_genl_open(struct sstp_genl *g);
void sstp_genl_close(struct sstp_genl *g);
int sstp_genl_fd(const struct sstp_genl *g);

int sstp_genl_session_new(struct sstp_genl *g, const struct sstp_genl_new *req,
			  struct sstp_genl_created *out);
/* Open the data gate of these families (SSTP_PASS_* bits), close the rest. */
int sstp_genl_session_set(struct sstp_genl *g, uint32_t id, uint32_t pass);
int sstp_genl_session_get(struct sstp_genl *g, uint32_t id, struct sstp_genl_msg *out);
int sstp_genl_session_del(struct sstp_genl *g, uint32_t id);
int sstp_genl_ctrl_send(struct sstp_genl *g, uint32_t id, const uint8_t *pkt,
			size_t len);
/* A PPP frame that is not IP, from its two-byte protocol on. */
int sstp_genl_ppp_send(struct sstp_genl *g, uint32_t id, const uint8_t *frame,
		       size_t len);
/* Every session of the netns: *out (free() it) gets *n answers. */
int sstp_genl_session_dump(struct sstp_genl *g, struct sstp_genl_msg **out, size_t *n);

/*
 * A request built by the caller, for what the calls above do not send (the
 * tests' malformed requests): sstp_genl_request_new() starts a do request of
 * cmd in buf (SSTP_GENL_REQ_MAX bytes), the caller adds attributes with
 * libmnl, sstp_genl_request() sends it and waits for the answer; reply, if
 * not NULL, gets a do reply. g->err and g->extack as for the calls above.
 */
#define SSTP_GENL_REQ_MAX	16384
struct nlmsghdr *sstp_genl_request_new(struct sstp_genl *g, void *buf, uint8_t cmd);
int sstp_genl_request(struct sstp_genl *g, struct nlmsghdr *nlh, struct sstp_genl_msg *reply);

/* Read what the socket has now (non-blocking) and queue notifications.
 * Returns 0 or -errno. */
int sstp_genl_read(struct sstp_genl *g);
/* The oldest queued notification (free() it), or NULL. */
struct sstp_genl_event *sstp_genl_pop(struct sstp_genl *g);
/* The oldest queued notification of this command (free() it), or NULL;
 * the others stay queued. */
struct sstp_genl_event *sstp_genl_pop_cmd(struct sstp_genl *g, uint8_t cmd);

#endif /* SSTP_SSTP_GENL_H */
