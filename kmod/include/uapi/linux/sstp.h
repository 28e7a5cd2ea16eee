/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sstp: generic netlink interface of the SSTP data path module.
 *
 * The daemon does TCP, TLS and the HTTP exchange itself, turns on kTLS in both
 * directions and then hands the socket to the kernel with SSTP_CMD_SESSION_NEW.
 * From then on every byte on that socket belongs to the module: SSTP data
 * packets travel between the socket and a PPP channel (attach to it on
 * /dev/ppp with PPPIOCATTCHAN, index in SSTP_A_CHANNEL), ECHO_REQUEST is
 * answered and the hello timer run in the kernel, and every other control
 * packet is sent to the netlink socket that created the session as
 * SSTP_CMD_CTRL_RECV. The daemon sends control packets with
 * SSTP_CMD_CTRL_SEND. When a session ends for any reason its creator gets
 * one SSTP_CMD_SESSION_DOWN with the reason and the final counters; when
 * the creating netlink socket is closed, its sessions end.
 *
 * Every command needs CAP_NET_ADMIN in the user namespace of the caller's
 * network namespace; sessions live in the network namespace of the netlink
 * socket that created them. Control packets are whole SSTP packets, header
 * included, exactly as on the wire.
 *
 * The machine-readable description is docs/netlink/sstp.yaml.
 */
#ifndef _UAPI_LINUX_SSTP_H
#define _UAPI_LINUX_SSTP_H

#define SSTP_GENL_NAME		"sstp"
#define SSTP_GENL_VERSION	1

/* Largest SSTP packet (12-bit length field) and PPP MTU bounds. */
#define SSTP_PACKET_MAX		4095
#define SSTP_MTU_MIN		68
#define SSTP_MTU_MAX		4087	/* 4095 - SSTP header - FF 03 - protocol */
#define SSTP_MTU_DEFAULT	1400
#define SSTP_HELLO_MAX		3600	/* seconds */
#define SSTP_PENDING_MAX	(2 * SSTP_PACKET_MAX)

enum sstp_role {
	SSTP_ROLE_CLIENT,
	SSTP_ROLE_SERVER,
};

enum sstp_state {
	SSTP_STATE_UP = 1,	/* owns the socket, carries traffic */
	SSTP_STATE_DYING,	/* teardown has started */
};

enum sstp_down_reason {
	SSTP_DOWN_PEER_CLOSED = 1,	/* FIN, RST or a socket error */
	SSTP_DOWN_TLS_ALERT,		/* the peer sent a TLS alert */
	SSTP_DOWN_PROTOCOL_ERROR,	/* malformed SSTP or TLS input */
	SSTP_DOWN_HELLO_TIMEOUT,	/* no answer to ECHO_REQUEST */
	SSTP_DOWN_OWNER_GONE,		/* creating netlink socket closed */
	SSTP_DOWN_DELETED,		/* SSTP_CMD_SESSION_DEL */
	SSTP_DOWN_TLS_KEY_UPDATE,	/* TLS 1.3 KeyUpdate: kTLS cannot rekey */
	SSTP_DOWN_SHUTDOWN,		/* netns exit or module unload */
};

enum {
	SSTP_CMD_UNSPEC,
	SSTP_CMD_SESSION_NEW,	/* do: SOCKET ROLE [HELLO_INTERVAL MTU PENDING] */
	SSTP_CMD_SESSION_GET,	/* do: SESSION_ID; dump: all in the netns */
	SSTP_CMD_SESSION_DEL,	/* do: SESSION_ID */
	SSTP_CMD_CTRL_SEND,	/* do: SESSION_ID CTRL_PACKET */
	SSTP_CMD_CTRL_RECV,	/* notification: SESSION_ID CTRL_PACKET */
	SSTP_CMD_SESSION_DOWN,	/* notification: SESSION_ID REASON STATS */

	__SSTP_CMD_MAX,
	SSTP_CMD_MAX = __SSTP_CMD_MAX - 1
};

enum {
	SSTP_A_UNSPEC,
	SSTP_A_SESSION_ID,	/* u32 */
	SSTP_A_SOCKET,		/* u32: file descriptor of the kTLS socket */
	SSTP_A_ROLE,		/* u32: enum sstp_role */
	SSTP_A_HELLO_INTERVAL,	/* u32: seconds, 0 = no hello timer */
	SSTP_A_MTU,		/* u32: PPP channel MTU */
	SSTP_A_PENDING,		/* binary: stream bytes the daemon already read */
	SSTP_A_CHANNEL,		/* u32: PPP channel index */
	SSTP_A_UNIT,		/* s32: ppp unit the channel is connected to, or -1 */
	SSTP_A_STATE,		/* u32: enum sstp_state */
	SSTP_A_REASON,		/* u32: enum sstp_down_reason */
	SSTP_A_CTRL_PACKET,	/* binary: one whole SSTP control packet */
	SSTP_A_STATS,		/* nest: SSTP_STATS_A_* */

	__SSTP_A_MAX,
	SSTP_A_MAX = __SSTP_A_MAX - 1
};

/* Session counters, all u64. */
enum {
	SSTP_STATS_A_UNSPEC,
	SSTP_STATS_A_PAD,
	SSTP_STATS_A_RX_PACKETS,	/* data packets to PPP */
	SSTP_STATS_A_RX_BYTES,		/* their PPP frame bytes */
	SSTP_STATS_A_TX_PACKETS,	/* data packets sent */
	SSTP_STATS_A_TX_BYTES,
	SSTP_STATS_A_RX_CTRL,		/* control packets received */
	SSTP_STATS_A_TX_CTRL,		/* control packets sent */
	SSTP_STATS_A_RX_MALFORMED,	/* invalid SSTP packets or stream */
	SSTP_STATS_A_RX_ERRORS,		/* dropped: no memory, empty frame */
	SSTP_STATS_A_TX_DROPPED,	/* dropped: oversize, no memory */
	SSTP_STATS_A_CTRL_DROPPED,	/* CTRL_RECV the owner could not take */
	SSTP_STATS_A_ECHO_ANSWERED,	/* ECHO_REQUEST answered by the kernel */
	SSTP_STATS_A_ECHO_SENT,		/* ECHO_REQUEST sent by the hello timer */
	SSTP_STATS_A_HELLO_TIMEOUTS,
	SSTP_STATS_A_TX_BLOCKED,	/* times start_xmit pushed back on PPP */

	__SSTP_STATS_A_MAX,
	SSTP_STATS_A_MAX = __SSTP_STATS_A_MAX - 1
};

#endif /* _UAPI_LINUX_SSTP_H */
