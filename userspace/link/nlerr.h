/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The answer in a netlink NLMSG_ERROR message: the errno and, when the
 * kernel attached one (NETLINK_EXT_ACK), its extended-ACK text. One reader
 * for every netlink client here (rtnetlink, the sstp genetlink family, the
 * test tools), so the offset arithmetic around the echoed request lives in
 * one place.
 */
#ifndef SSTP_NLERR_H
#define SSTP_NLERR_H

#include <stddef.h>

struct nlmsghdr;

/*
 * nlh is an NLMSG_ERROR message whose nlmsg_len bytes are all readable (as
 * mnl_nlmsg_ok() guarantees). Returns its error: 0 for an ACK, else
 * -errno; -EBADMSG when the message is too short to hold a struct nlmsgerr.
 * msg (size bytes, may be NULL with size 0) gets the NLMSGERR_ATTR_MSG text,
 * or "" when there is none or it is malformed (cut short, not terminated).
 */
int nlerr_parse(const struct nlmsghdr *nlh, char *msg, size_t size);

#endif /* SSTP_NLERR_H */
