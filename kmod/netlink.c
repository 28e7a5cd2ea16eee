// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "sstp" generic netlink family: the contract with the daemon. The spec
 * is docs/netlink/sstp.yaml; the UAPI header, the attribute policies and
 * the op table (netlink-gen.c) are generated from it.
 *
 * Ops run in parallel (no genl_mutex): sessions are found by id under RCU
 * with a reference, and everything an op changes has its own lock or is
 * set once. That also lets session-del wait for the teardown without
 * holding a global lock. Notifications go unicast to the port that created
 * the session.
 */

#include <linux/file.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "netlink-gen.h"
#include "session.h"

static struct genl_family sstp_nl_family;

static int sstp_nl_put_stats(struct sk_buff *msg,
			     const struct sstp_stats_snap *snap)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, SSTP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = SSTP_STATS_A_PAD + 1; i <= SSTP_STATS_A_MAX; i++) {
		if (nla_put_u64_64bit(msg, i, snap->v[i], SSTP_STATS_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* One session as session-get (do and dump) reports it. */
static int sstp_nl_fill_session(struct sk_buff *msg, struct sstp_session *sess,
				u32 portid, u32 seq, int flags)
{
	bool dying = test_bit(SSTP_SESSION_DYING, &sess->flags);
	struct sstp_stats_snap snap;
	void *hdr;

	sstp_session_stats(sess, &snap);

	hdr = genlmsg_put(msg, portid, seq, &sstp_nl_family, flags,
			  SSTP_CMD_SESSION_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, SSTP_A_SESSION_ID, sess->id) ||
	    nla_put_u32(msg, SSTP_A_IFINDEX, sess->ifindex) ||
	    nla_put_u32(msg, SSTP_A_STATE,
			dying ? SSTP_STATE_DYING : SSTP_STATE_UP) ||
	    nla_put_u32(msg, SSTP_A_ROLE, sess->role) ||
	    nla_put_u32(msg, SSTP_A_HELLO_INTERVAL, sess->hello_jiffies / HZ) ||
	    nla_put_u32(msg, SSTP_A_PASS, READ_ONCE(sess->pass)) ||
	    sstp_nl_put_stats(msg, &snap)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

int sstp_nl_session_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_session_config cfg = { .mtu = SSTP_MTU_DEFAULT };
	struct nlattr **attrs = info->attrs;
	struct sstp_session *sess;
	struct socket *sock;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSTP_A_SOCKET)) {
		NL_SET_ERR_MSG(info->extack, "missing socket file descriptor");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, SSTP_A_ROLE)) {
		NL_SET_ERR_MSG(info->extack, "missing role");
		return -EINVAL;
	}
	cfg.role = nla_get_u32(attrs[SSTP_A_ROLE]);
	if (attrs[SSTP_A_HELLO_INTERVAL])
		cfg.hello_interval = nla_get_u32(attrs[SSTP_A_HELLO_INTERVAL]);
	if (attrs[SSTP_A_MTU])
		cfg.mtu = nla_get_u32(attrs[SSTP_A_MTU]);
	if (attrs[SSTP_A_IFNAME])
		cfg.ifname = nla_data(attrs[SSTP_A_IFNAME]);
	if (attrs[SSTP_A_PENDING]) {
		if (nla_len(attrs[SSTP_A_PENDING]) > SSTP_PENDING_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[SSTP_A_PENDING],
					    "more pending bytes than two SSTP packets");
			return -EINVAL;
		}
		cfg.pending = nla_data(attrs[SSTP_A_PENDING]);
		cfg.pending_len = nla_len(attrs[SSTP_A_PENDING]);
	}
	cfg.owner_portid = info->snd_portid;

	sock = sockfd_lookup(nla_get_u32(attrs[SSTP_A_SOCKET]), &err);
	if (!sock) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[SSTP_A_SOCKET],
				    "not a socket file descriptor");
		return err;
	}
	cfg.sock = sock;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto err_put_sock;
	}

	sess = sstp_session_new(genl_info_net(info), &cfg, info->extack);
	if (IS_ERR(sess)) {
		err = PTR_ERR(sess);
		if (!info->extack->bad_attr)
			NL_SET_BAD_ATTR(info->extack, attrs[SSTP_A_SOCKET]);
		goto err_free_msg;
	}

	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &sstp_nl_family, 0, SSTP_CMD_SESSION_NEW);
	if (!hdr || nla_put_u32(msg, SSTP_A_SESSION_ID, sess->id) ||
	    nla_put_u32(msg, SSTP_A_IFINDEX, sess->ifindex) ||
	    nla_put_string(msg, SSTP_A_IFNAME, sess->ifname)) {
		nlmsg_free(msg);
		err = -EMSGSIZE;
		goto err_down;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
	if (err)
		goto err_down;
	sstp_session_put(sess);
	return 0;

err_down:
	/* the owner never learnt the id: end it quietly */
	set_bit(SSTP_SESSION_OWNER_GONE, &sess->flags);
	sstp_session_down(sess, SSTP_DOWN_OWNER_GONE);
	sstp_session_put(sess);
	return err;
err_free_msg:
	nlmsg_free(msg);
err_put_sock:
	sockfd_put(sock);
	return err;
}

static struct sstp_session *sstp_nl_session_lookup(struct genl_info *info)
{
	struct sstp_session *sess;

	if (GENL_REQ_ATTR_CHECK(info, SSTP_A_SESSION_ID)) {
		NL_SET_ERR_MSG(info->extack, "missing session id");
		return ERR_PTR(-EINVAL);
	}
	sess = sstp_session_get(genl_info_net(info),
				nla_get_u32(info->attrs[SSTP_A_SESSION_ID]));
	if (!sess) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SSTP_A_SESSION_ID],
				    "no such session");
		return ERR_PTR(-ENOENT);
	}
	return sess;
}

int sstp_nl_session_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_session *sess;

	sess = sstp_nl_session_lookup(info);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	if (info->attrs[SSTP_A_PASS])
		WRITE_ONCE(sess->pass, nla_get_u32(info->attrs[SSTP_A_PASS]));
	sstp_session_put(sess);
	return 0;
}

int sstp_nl_session_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_session *sess;
	struct sk_buff *msg;
	int err;

	sess = sstp_nl_session_lookup(info);
	if (IS_ERR(sess))
		return PTR_ERR(sess);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = sstp_nl_fill_session(msg, sess, info->snd_portid, info->snd_seq,
				   0);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	err = genlmsg_reply(msg, info);
out_put:
	sstp_session_put(sess);
	return err;
}

int sstp_nl_session_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct sstp_net *sn = sstp_net(sock_net(skb->sk));
	unsigned long id = cb->args[0];
	struct sstp_session *sess;
	int err;

	for (;; id++) {
		rcu_read_lock();
		sess = xa_find(&sn->sessions, &id, ULONG_MAX, XA_PRESENT);
		if (sess && !refcount_inc_not_zero(&sess->refcount)) {
			rcu_read_unlock();
			continue;
		}
		rcu_read_unlock();
		if (!sess)
			break;
		err = sstp_nl_fill_session(skb, sess,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI);
		sstp_session_put(sess);
		if (err)
			break;
	}
	cb->args[0] = id;
	return skb->len;
}

int sstp_nl_session_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sstp_session *sess;

	sess = sstp_nl_session_lookup(info);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	sstp_session_down(sess, SSTP_DOWN_DELETED);
	/* reply only once the socket is back in the daemon's hands; no
	 * global lock is held here (parallel_ops)
	 */
	flush_work(&sess->destroy_work);
	sstp_session_put(sess);
	return 0;
}

static int sstp_nl_queue_err(struct genl_info *info, int err)
{
	if (err == -ENOBUFS)
		NL_SET_ERR_MSG(info->extack, "session control queue is full");
	else if (err == -ENOTCONN)
		NL_SET_ERR_MSG(info->extack, "session is going down");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "cannot queue the packet");
	return err;
}

int sstp_nl_ctrl_send_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SSTP_A_CTRL_PACKET];
	struct sstp_session *sess;
	u16 type;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSTP_A_CTRL_PACKET)) {
		NL_SET_ERR_MSG(info->extack, "missing control packet");
		return -EINVAL;
	}
	if (sstp_proto_ctrl_check(nla_data(attr), nla_len(attr), &type)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not a well-formed SSTP control packet");
		return -EINVAL;
	}
	sess = sstp_nl_session_lookup(info);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	err = sstp_tx_ctrl(sess, nla_data(attr), nla_len(attr), GFP_KERNEL);
	sstp_session_put(sess);
	return sstp_nl_queue_err(info, err);
}

int sstp_nl_ppp_send_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[SSTP_A_PPP_FRAME];
	struct sstp_session *sess;
	unsigned int len;
	u16 proto;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, SSTP_A_PPP_FRAME)) {
		NL_SET_ERR_MSG(info->extack, "missing PPP frame");
		return -EINVAL;
	}
	len = nla_len(attr);
	if (len < 2 || len > SSTP_PPP_FRAME_MAX ||
	    sstp_proto_ppp_hdr(nla_data(attr), len, &proto) != 2) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not a PPP frame with a two-byte protocol");
		return -EINVAL;
	}
	if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "IP goes through the session's device");
		return -EINVAL;
	}
	sess = sstp_nl_session_lookup(info);
	if (IS_ERR(sess))
		return PTR_ERR(sess);
	err = sstp_tx_ppp(sess, nla_data(attr), len);
	sstp_session_put(sess);
	return sstp_nl_queue_err(info, err);
}

static struct genl_family sstp_nl_family __ro_after_init = {
	.name = SSTP_GENL_NAME,
	.version = SSTP_GENL_VERSION,
	.maxattr = SSTP_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = sstp_nl_ops,
	.n_ops = ARRAY_SIZE(sstp_nl_ops),
	.resv_start_op = SSTP_CMD_PPP_SEND + 1,
};

static struct sk_buff *sstp_nl_notify_new(struct sstp_session *sess, u8 cmd,
					  size_t size, void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &sstp_nl_family, 0, cmd);
	if (!*hdr || nla_put_u32(msg, SSTP_A_SESSION_ID, sess->id)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * sstp_nl_notify_up() - hand a packet from the peer to the owner
 * @sess: the session
 * @cmd: SSTP_CMD_CTRL_RECV (@up is a validated SSTP control packet) or
 *	SSTP_CMD_PPP_RECV (@up is a PPP frame, two-byte protocol first)
 * @up: the bytes; the caller keeps it
 *
 * Process context. What the owner's socket cannot take is counted and
 * lost: nothing queues here, so a peer that floods control traffic costs
 * at most the owner's receive buffer.
 */
void sstp_nl_notify_up(struct sstp_session *sess, u8 cmd, struct sk_buff *up)
{
	int attr = cmd == SSTP_CMD_CTRL_RECV ? SSTP_A_CTRL_PACKET :
					       SSTP_A_PPP_FRAME;
	struct sk_buff *msg;
	void *hdr;

	if (test_bit(SSTP_SESSION_OWNER_GONE, &sess->flags))
		goto drop;
	msg = sstp_nl_notify_new(sess, cmd, nla_total_size(up->len) + 64, &hdr);
	if (!msg)
		goto drop;
	if (nla_put(msg, attr, up->len, up->data)) {
		nlmsg_free(msg);
		goto drop;
	}
	genlmsg_end(msg, hdr);
	if (genlmsg_unicast(sess->net, msg, sess->owner_portid))
		goto drop;
	return;
drop:
	sstp_stat_inc(&sess->stats.ctrl_dropped);
}

/* The last word about a session: why it ended and its final counters. */
void sstp_nl_session_down(struct sstp_session *sess)
{
	struct sk_buff *msg;
	void *hdr;

	if (test_bit(SSTP_SESSION_OWNER_GONE, &sess->flags))
		return;
	msg = sstp_nl_notify_new(sess, SSTP_CMD_SESSION_DOWN, NLMSG_GOODSIZE,
				 &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, SSTP_A_REASON, sess->reason) ||
	    sstp_nl_put_stats(msg, &sess->final)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_unicast(sess->net, msg, sess->owner_portid);
}

static int sstp_nl_notify(struct notifier_block *nb, unsigned long state,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		sstp_session_down_owner(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block sstp_nl_notifier = {
	.notifier_call = sstp_nl_notify,
};

int sstp_nl_register(void)
{
	int err;

	err = netlink_register_notifier(&sstp_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&sstp_nl_family);
	if (err)
		goto err_unregister_notifier;
	return 0;

err_unregister_notifier:
	netlink_unregister_notifier(&sstp_nl_notifier);
	return err;
}

void sstp_nl_unregister(void)
{
	genl_unregister_family(&sstp_nl_family);
	netlink_unregister_notifier(&sstp_nl_notifier);
}
