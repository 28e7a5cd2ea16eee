// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/sstp.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/sstp.h>

/* SSTP_CMD_SESSION_NEW - do */
const struct nla_policy sstp_session_new_nl_policy[SSTP_A_IFNAME + 1] = {
	[SSTP_A_SOCKET] = { .type = NLA_U32, },
	[SSTP_A_ROLE] = NLA_POLICY_MAX(NLA_U32, 1),
	[SSTP_A_HELLO_INTERVAL] = NLA_POLICY_MAX(NLA_U32, SSTP_HELLO_MAX),
	[SSTP_A_MTU] = NLA_POLICY_RANGE(NLA_U32, SSTP_MTU_MIN, SSTP_MTU_MAX),
	[SSTP_A_PENDING] = { .type = NLA_BINARY, },
	[SSTP_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* SSTP_CMD_SESSION_SET - do */
const struct nla_policy sstp_session_set_nl_policy[SSTP_A_PASS + 1] = {
	[SSTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SSTP_A_PASS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* SSTP_CMD_SESSION_GET - do */
const struct nla_policy sstp_session_get_nl_policy[SSTP_A_SESSION_ID + 1] = {
	[SSTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* SSTP_CMD_SESSION_DEL - do */
const struct nla_policy sstp_session_del_nl_policy[SSTP_A_SESSION_ID + 1] = {
	[SSTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* SSTP_CMD_CTRL_SEND - do */
const struct nla_policy sstp_ctrl_send_nl_policy[SSTP_A_CTRL_PACKET + 1] = {
	[SSTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SSTP_A_CTRL_PACKET] = { .type = NLA_BINARY, },
};

/* SSTP_CMD_PPP_SEND - do */
const struct nla_policy sstp_ppp_send_nl_policy[SSTP_A_PPP_FRAME + 1] = {
	[SSTP_A_SESSION_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[SSTP_A_PPP_FRAME] = { .type = NLA_BINARY, },
};

/* Ops table for sstp */
const struct genl_ops sstp_nl_ops[6] = {
	{
		.cmd		= SSTP_CMD_SESSION_NEW,
		.doit		= sstp_nl_session_new_doit,
		.policy		= sstp_session_new_nl_policy,
		.maxattr	= SSTP_A_IFNAME,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SSTP_CMD_SESSION_SET,
		.doit		= sstp_nl_session_set_doit,
		.policy		= sstp_session_set_nl_policy,
		.maxattr	= SSTP_A_PASS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SSTP_CMD_SESSION_GET,
		.doit		= sstp_nl_session_get_doit,
		.dumpit		= sstp_nl_session_get_dumpit,
		.policy		= sstp_session_get_nl_policy,
		.maxattr	= SSTP_A_SESSION_ID,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SSTP_CMD_SESSION_DEL,
		.doit		= sstp_nl_session_del_doit,
		.policy		= sstp_session_del_nl_policy,
		.maxattr	= SSTP_A_SESSION_ID,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SSTP_CMD_CTRL_SEND,
		.doit		= sstp_nl_ctrl_send_doit,
		.policy		= sstp_ctrl_send_nl_policy,
		.maxattr	= SSTP_A_CTRL_PACKET,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= SSTP_CMD_PPP_SEND,
		.doit		= sstp_nl_ppp_send_doit,
		.policy		= sstp_ppp_send_nl_policy,
		.maxattr	= SSTP_A_PPP_FRAME,
		.flags		= GENL_ADMIN_PERM,
	},
};
