// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading NLMSG_ERROR messages. See nlerr.h.
 */
#include <errno.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "link/nlerr.h"

int nlerr_parse(const struct nlmsghdr *nlh, char *msg, size_t size)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e), len;

	if (size)
		msg[0] = 0;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	/* Errors are negative errnos; anything else is not the kernel's. */
	if (e->error > 0)
		return -EPROTO;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !size)
		return e->error;
	/*
	 * Without NETLINK_CAP_ACK the whole request is echoed back in e->msg,
	 * and the TLVs follow it, aligned; with it only the header is.
	 */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg))
			return e->error;
		off += e->msg.nlmsg_len - sizeof(e->msg);
	}
	off = MNL_ALIGN(off);
	len = mnl_nlmsg_get_payload_len(nlh);
	if (off >= len)
		return e->error;
	/* mnl_attr_for_each_payload() stops at an attribute that overruns. */
	mnl_attr_for_each_payload((const void *)((const char *)e + off), len - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(msg, size, "%s", mnl_attr_get_str(attr));
			break;
		}
	}
	return e->error;
}
