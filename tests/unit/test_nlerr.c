// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlerr_parse() against NLMSG_ERROR messages built by hand, each copied into
 * a buffer of exactly its nlmsg_len bytes so that ASan and valgrind catch a
 * read past the message.
 */
#include <errno.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "link/nlerr.h"
#include "test.h"

/*
 * An NLMSG_ERROR answering a request of req_len bytes (header included).
 * Without NLM_F_CAPPED the request is echoed whole (its payload zeroed),
 * with it only its header, as the kernel does.
 */
static struct nlmsghdr *err_msg(char *buf, int error, uint16_t flags, uint32_t req_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	size_t echo = flags & NLM_F_CAPPED ? 0 : req_len - sizeof(struct nlmsghdr);

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = 7;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + echo);
	e->error = error;
	e->msg.nlmsg_len = req_len;
	e->msg.nlmsg_type = 0x20;
	e->msg.nlmsg_seq = 7;
	return nlh;
}

/* A heap copy of exactly nlmsg_len bytes (free() it). */
static struct nlmsghdr *exact(const struct nlmsghdr *nlh)
{
	struct nlmsghdr *p = malloc(nlh->nlmsg_len);

	if (p)
		memcpy(p, nlh, nlh->nlmsg_len);
	return p;
}

/* Parse a heap copy of nlh; *err gets the result, msg the text. */
static void parse(const struct nlmsghdr *nlh, int *err, char *msg, size_t size)
{
	struct nlmsghdr *p = exact(nlh);

	*err = p ? nlerr_parse(p, msg, size) : -ENOMEM;
	free(p);
}

/* nlh must parse to want_err with the text want_msg. */
#define CHECK_PARSE(nlh, want_err, want_msg)                              \
	do {                                                              \
		char _msg[64] = "stale";                                  \
		int _err;                                                 \
		parse((nlh), &_err, _msg, sizeof(_msg));                  \
		CHECK_INT(_err, (want_err));                              \
		CHECK_STR(_msg, (want_msg));                              \
	} while (0)

TEST(ack)
{
	char buf[256];

	CHECK_PARSE(err_msg(buf, 0, NLM_F_CAPPED, 36), 0, "");
}

TEST(error_without_extack)
{
	char buf[256];

	/* uncapped: the 36-byte request comes back after the error */
	CHECK_PARSE(err_msg(buf, -ENOENT, 0, 36), -ENOENT, "");
	/* TLVs announced but none there */
	CHECK_PARSE(err_msg(buf, -ENOENT, NLM_F_ACK_TLVS | NLM_F_CAPPED, 36), -ENOENT, "");
}

TEST(extack_capped)
{
	char buf[256];
	struct nlmsghdr *nlh;

	/* msg.nlmsg_len is the request's full length even though only its
	 * header came back: it must not move the TLVs */
	nlh = err_msg(buf, -EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 200);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "missing role");
	CHECK_PARSE(nlh, -EINVAL, "missing role");
}

TEST(extack_uncapped)
{
	char buf[512];
	struct nlmsghdr *nlh;

	nlh = err_msg(buf, -ERANGE, NLM_F_ACK_TLVS, 48);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "integer out of range");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 28);
	CHECK_PARSE(nlh, -ERANGE, "integer out of range");
	/* a 23-byte request: the TLVs start at the next 4-byte boundary */
	nlh = err_msg(buf, -EINVAL, NLM_F_ACK_TLVS, 23);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "aligned");
	CHECK_PARSE(nlh, -EINVAL, "aligned");
}

TEST(message_cut_short)
{
	char buf[256];
	struct nlmsghdr *nlh;

	/* not even a whole struct nlmsgerr */
	nlh = err_msg(buf, -EINVAL, 0, 16);
	nlh->nlmsg_len = sizeof(*nlh) + 8;
	CHECK_PARSE(nlh, -EBADMSG, "");
	nlh->nlmsg_len = sizeof(*nlh);
	CHECK_PARSE(nlh, -EBADMSG, "");
}

TEST(echoed_request_overruns)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	/* the echoed header claims more than the message holds */
	nlh = err_msg(buf, -EPERM, NLM_F_ACK_TLVS, 16);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "x");
	e = mnl_nlmsg_get_payload(nlh);
	e->msg.nlmsg_len = 4000;
	CHECK_PARSE(nlh, -EPERM, "");
	/* or less than a header */
	e->msg.nlmsg_len = 3;
	CHECK_PARSE(nlh, -EPERM, "");
}

TEST(extack_malformed)
{
	char buf[256];
	struct nlmsghdr *nlh;

	/* the message ends inside the text attribute */
	nlh = err_msg(buf, -EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 36);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "a long explanation");
	nlh->nlmsg_len -= 8;
	CHECK_PARSE(nlh, -EINVAL, "");
	/* a text without its terminating NUL */
	nlh = err_msg(buf, -EINVAL, NLM_F_ACK_TLVS | NLM_F_CAPPED, 36);
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 4, "abcd");
	CHECK_PARSE(nlh, -EINVAL, "");
}

TEST(small_buffer_and_none)
{
	char buf[256], msg[5];
	struct nlmsghdr *nlh;
	int err;

	nlh = err_msg(buf, -EBUSY, NLM_F_ACK_TLVS | NLM_F_CAPPED, 36);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "socket is already owned");
	parse(nlh, &err, msg, sizeof(msg));
	CHECK_INT(err, -EBUSY);
	CHECK_STR(msg, "sock");
	/* only the errno wanted */
	parse(nlh, &err, NULL, 0);
	CHECK_INT(err, -EBUSY);
}

TEST(positive_error)
{
	char buf[256];

	CHECK_PARSE(err_msg(buf, 5, NLM_F_CAPPED, 36), -EPROTO, "");
}
