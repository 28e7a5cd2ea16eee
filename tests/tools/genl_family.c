// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * genl_family: look a generic netlink family up with CTRL_CMD_GETFAMILY and
 * print what the kernel says about it:
 *
 *   family sstp id 34 version 1 hdrsize 0 maxattr 9 ops 5 mcgrps 0
 *
 * Exit status: 0 found, 3 no such family (ENOENT), 1 any other error (the
 * kernel's extack message is printed when there is one).
 *
 * usage: genl_family NAME
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "link/nlerr.h"

struct family {
	unsigned int id, version, hdrsize, maxattr, ops, mcgrps;
	char name[GENL_NAMSIZ];
};

static int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest)
		n++;
	return n;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct family *f = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		f->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_FAMILY_NAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		snprintf(f->name, sizeof(f->name), "%s", mnl_attr_get_str(attr));
		break;
	case CTRL_ATTR_VERSION:
		f->version = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_HDRSIZE:
		f->hdrsize = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_MAXATTR:
		f->maxattr = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_OPS:
		f->ops = count_nested(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		f->mcgrps = count_nested(attr);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], msg[256];
	struct family f = { 0 };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int one = 1, ret, err;

	if (argc != 2) {
		fprintf(stderr, "usage: genl_family NAME\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("genl_family: netlink socket");
		return 1;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(nl);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, argv[1]);

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("genl_family: send");
		return 1;
	}
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret <= 0)
			break;
		nlh = (struct nlmsghdr *)buf;
		if (nlh->nlmsg_type == NLMSG_ERROR &&
		    (err = -nlerr_parse(nlh, msg, sizeof(msg)))) {
			fprintf(stderr, "genl_family: %s: %s%s%s\n", argv[1], strerror(err),
				msg[0] ? ": " : "", msg);
			mnl_socket_close(nl);
			return err == ENOENT ? 3 : 1;
		}
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, family_cb, &f);
		if (ret <= MNL_CB_STOP)
			break;
	}
	mnl_socket_close(nl);
	if (ret < 0 || !f.id) {
		fprintf(stderr, "genl_family: %s: no answer\n", argv[1]);
		return 1;
	}
	printf("family %s id %u version %u hdrsize %u maxattr %u ops %u mcgrps %u\n",
	       f.name, f.id, f.version, f.hdrsize, f.maxattr, f.ops, f.mcgrps);
	return 0;
}
