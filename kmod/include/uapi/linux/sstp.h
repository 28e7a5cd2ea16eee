/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/sstp.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_SSTP_H
#define _UAPI_LINUX_SSTP_H

#define SSTP_GENL_NAME		"sstp"
#define SSTP_GENL_VERSION	2

#define SSTP_PACKET_MAX		4095
#define SSTP_MTU_MIN		68
#define SSTP_MTU_MAX		4087
#define SSTP_MTU_DEFAULT	1400
#define SSTP_HELLO_MAX		3600
#define SSTP_PENDING_MAX	8190
#define SSTP_PPP_FRAME_MAX	4089

enum sstp_role {
	SSTP_ROLE_CLIENT,
	SSTP_ROLE_SERVER,
};

/**
 * enum sstp_state
 * @SSTP_STATE_UP: owns the socket and carries traffic
 * @SSTP_STATE_DYING: teardown has started
 */
enum sstp_state {
	SSTP_STATE_UP = 1,
	SSTP_STATE_DYING,
};

/**
 * enum sstp_pass - which families of IP the session lets through its device
 */
enum sstp_pass {
	SSTP_PASS_IPV4 = 1,
	SSTP_PASS_IPV6 = 2,
};

/**
 * enum sstp_down_reason
 * @SSTP_DOWN_PEER_CLOSED: FIN, RST or a socket error
 * @SSTP_DOWN_TLS_ALERT: the peer sent a TLS alert
 * @SSTP_DOWN_PROTOCOL_ERROR: malformed SSTP or TLS input (counted in
 *   rx-malformed)
 * @SSTP_DOWN_HELLO_TIMEOUT: no answer to the kernel's ECHO_REQUEST
 * @SSTP_DOWN_OWNER_GONE: the creating netlink socket was closed
 * @SSTP_DOWN_DELETED: session-del
 * @SSTP_DOWN_TLS_KEY_UPDATE: a TLS 1.3 KeyUpdate; kTLS on these kernels cannot
 *   rekey
 * @SSTP_DOWN_SHUTDOWN: netns exit or module unload (not notified)
 * @SSTP_DOWN_TX_STALLED: output waited a whole hello interval without the
 *   socket taking a byte: the peer stopped reading
 * @SSTP_DOWN_DEV_DELETED: the session's network device was deleted (ip link
 *   del)
 */
enum sstp_down_reason {
	SSTP_DOWN_PEER_CLOSED = 1,
	SSTP_DOWN_TLS_ALERT,
	SSTP_DOWN_PROTOCOL_ERROR,
	SSTP_DOWN_HELLO_TIMEOUT,
	SSTP_DOWN_OWNER_GONE,
	SSTP_DOWN_DELETED,
	SSTP_DOWN_TLS_KEY_UPDATE,
	SSTP_DOWN_SHUTDOWN,
	SSTP_DOWN_TX_STALLED,
	SSTP_DOWN_DEV_DELETED,
};

enum {
	SSTP_STATS_A_PAD = 1,
	SSTP_STATS_A_RX_PACKETS,
	SSTP_STATS_A_RX_BYTES,
	SSTP_STATS_A_TX_PACKETS,
	SSTP_STATS_A_TX_BYTES,
	SSTP_STATS_A_RX_CTRL,
	SSTP_STATS_A_TX_CTRL,
	SSTP_STATS_A_RX_PPP,
	SSTP_STATS_A_TX_PPP,
	SSTP_STATS_A_RX_MALFORMED,
	SSTP_STATS_A_RX_ERRORS,
	SSTP_STATS_A_RX_GATED,
	SSTP_STATS_A_TX_GATED,
	SSTP_STATS_A_TX_DROPPED,
	SSTP_STATS_A_CTRL_DROPPED,
	SSTP_STATS_A_TX_CTRL_DROPPED,
	SSTP_STATS_A_ECHO_ANSWERED,
	SSTP_STATS_A_ECHO_SENT,
	SSTP_STATS_A_HELLO_TIMEOUTS,
	SSTP_STATS_A_TX_STOPPED,
	SSTP_STATS_A_TX_GSO,
	SSTP_STATS_A_RX_COPIED,
	SSTP_STATS_A_TX_RECORDS,

	__SSTP_STATS_A_MAX
};
#define SSTP_STATS_A_MAX (__SSTP_STATS_A_MAX - 1)

enum {
	SSTP_A_SESSION_ID = 1,
	SSTP_A_SOCKET,
	SSTP_A_ROLE,
	SSTP_A_HELLO_INTERVAL,
	SSTP_A_MTU,
	SSTP_A_PENDING,
	SSTP_A_IFNAME,
	SSTP_A_IFINDEX,
	SSTP_A_STATE,
	SSTP_A_REASON,
	SSTP_A_CTRL_PACKET,
	SSTP_A_PPP_FRAME,
	SSTP_A_PASS,
	SSTP_A_STATS,

	__SSTP_A_MAX
};
#define SSTP_A_MAX (__SSTP_A_MAX - 1)

enum {
	SSTP_CMD_SESSION_NEW = 1,
	SSTP_CMD_SESSION_SET,
	SSTP_CMD_SESSION_GET,
	SSTP_CMD_SESSION_DEL,
	SSTP_CMD_CTRL_SEND,
	SSTP_CMD_PPP_SEND,
	SSTP_CMD_CTRL_RECV,
	SSTP_CMD_PPP_RECV,
	SSTP_CMD_SESSION_DOWN,

	__SSTP_CMD_MAX
};
#define SSTP_CMD_MAX (__SSTP_CMD_MAX - 1)

#endif /* _UAPI_LINUX_SSTP_H */
