/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/sstp.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SSTP_GEN_H
#define _LINUX_SSTP_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/sstp.h>

extern const struct nla_policy sstp_session_new_nl_policy[SSTP_A_IFNAME + 1];

extern const struct nla_policy sstp_session_set_nl_policy[SSTP_A_PASS + 1];

extern const struct nla_policy sstp_session_get_nl_policy[SSTP_A_SESSION_ID + 1];

extern const struct nla_policy sstp_session_del_nl_policy[SSTP_A_SESSION_ID + 1];

extern const struct nla_policy sstp_ctrl_send_nl_policy[SSTP_A_CTRL_PACKET + 1];

extern const struct nla_policy sstp_ppp_send_nl_policy[SSTP_A_PPP_FRAME + 1];

/* Ops table for sstp */
extern const struct genl_ops sstp_nl_ops[6];

int sstp_nl_session_new_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_session_set_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_session_get_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_session_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int sstp_nl_session_del_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_ctrl_send_doit(struct sk_buff *skb, struct genl_info *info);
int sstp_nl_ppp_send_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _LINUX_SSTP_GEN_H */
