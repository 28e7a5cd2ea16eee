// SPDX-License-Identifier: GPL-2.0-only
/*
 * Session lifetime: creation, lookup, the hello timer and the single
 * teardown path every ending goes through.
 */

#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/net.h>
#include <linux/slab.h>

#include "session.h"

static void sstp_session_free(struct sstp_session *sess)
{
	free_percpu(sess->stats.pcpu);
	kfree(sess->pending);
	kfree(sess);
}

static void sstp_session_free_rcu(struct rcu_head *rcu)
{
	sstp_session_free(container_of(rcu, struct sstp_session, rcu));
}

void sstp_session_put(struct sstp_session *sess)
{
	if (refcount_dec_and_test(&sess->refcount))
		call_rcu(&sess->rcu, sstp_session_free_rcu);
}

/**
 * sstp_session_get() - find a session by id and take a reference
 * @net: the caller's netns
 * @id: session id
 *
 * Return: the session (release with sstp_session_put()) or NULL.
 */
struct sstp_session *sstp_session_get(struct net *net, u32 id)
{
	struct sstp_session *sess;

	rcu_read_lock();
	sess = xa_load(&sstp_net(net)->sessions, id);
	if (sess && !refcount_inc_not_zero(&sess->refcount))
		sess = NULL;
	rcu_read_unlock();
	return sess;
}

/* Any packet from the peer proves it alive: restart the hello interval. */
void sstp_session_rx_activity(struct sstp_session *sess)
{
	WRITE_ONCE(sess->last_rx, jiffies);
	WRITE_ONCE(sess->echo_outstanding, false);
}

/*
 * MS-SSTP 3.1.2.1: after one silent hello interval send ECHO_REQUEST, after
 * another one give up on the peer. The same interval bounds how long output
 * may wait for a socket that takes nothing: a peer that stops reading
 * (while it may well keep sending) is cut off. Softirq context; re-arms
 * itself only while the session is live, so teardown's
 * timer_shutdown_sync() sticks.
 */
static void sstp_session_hello(struct timer_list *t)
{
	struct sstp_session *sess = timer_container_of(sess, t, hello_timer);
	unsigned long deadline = READ_ONCE(sess->last_rx) + sess->hello_jiffies;
	u8 echo[SSTP_CTRL_HDR_LEN];

	if (!sstp_session_live(sess))
		return;
	if (sstp_tx_stalled(sess, sess->hello_jiffies)) {
		net_info_ratelimited("session %u: the peer takes no data, closing\n",
				     sess->id);
		sstp_session_down(sess, SSTP_DOWN_TX_STALLED);
		return;
	}
	if (time_before(jiffies, deadline)) {
		/* look at TX again within an interval, whatever RX does */
		mod_timer(&sess->hello_timer,
			  min(deadline, jiffies + sess->hello_jiffies));
		return;
	}
	if (!READ_ONCE(sess->echo_outstanding)) {
		WRITE_ONCE(sess->echo_outstanding, true);
		sstp_proto_ctrl_put_bare(echo, SSTP_MSG_ECHO_REQUEST);
		if (!sstp_tx_ctrl(sess, echo, sizeof(echo), GFP_ATOMIC))
			atomic64_inc(&sess->stats.echo_sent);
		mod_timer(&sess->hello_timer, jiffies + sess->hello_jiffies);
		return;
	}
	atomic64_inc(&sess->stats.hello_timeouts);
	sstp_session_down(sess, SSTP_DOWN_HELLO_TIMEOUT);
}

/**
 * sstp_session_stats() - the session's counters as netlink reports them
 * @sess: the session
 * @snap: filled in; the data counters come from the device's per-CPU
 *	counters while it exists, else from the last look at them
 */
void sstp_session_stats(struct sstp_session *sess,
			struct sstp_stats_snap *snap)
{
	static const struct {
		int attr;
		size_t off;
	} plain[] = {
#define SSTP_STAT(a, f) { SSTP_STATS_A_##a, offsetof(struct sstp_stats, f) }
		SSTP_STAT(RX_CTRL, rx_ctrl),
		SSTP_STAT(RX_PPP, rx_ppp),
		SSTP_STAT(RX_MALFORMED, rx_malformed),
		SSTP_STAT(RX_ERRORS, rx_errors),
		SSTP_STAT(RX_GATED, rx_gated),
		SSTP_STAT(RX_COPIED, rx_copied),
		SSTP_STAT(CTRL_DROPPED, ctrl_dropped),
		SSTP_STAT(ECHO_ANSWERED, echo_answered),
		SSTP_STAT(TX_CTRL, tx_ctrl),
		SSTP_STAT(TX_PPP, tx_ppp),
		SSTP_STAT(TX_RECORDS, tx_records),
	}, atomic[] = {
		SSTP_STAT(TX_CTRL_DROPPED, tx_ctrl_dropped),
		SSTP_STAT(ECHO_SENT, echo_sent),
		SSTP_STAT(HELLO_TIMEOUTS, hello_timeouts),
#undef SSTP_STAT
	};
	static const int pcpu_attr[SSTP_PCPU_MAX] = {
		[SSTP_PCPU_TX_GATED] = SSTP_STATS_A_TX_GATED,
		[SSTP_PCPU_TX_DROPPED] = SSTP_STATS_A_TX_DROPPED,
		[SSTP_PCPU_TX_GSO] = SSTP_STATS_A_TX_GSO,
		[SSTP_PCPU_TX_STOPPED] = SSTP_STATS_A_TX_STOPPED,
	};
	struct rtnl_link_stats64 dst = {};
	const void *st = &sess->stats;
	u64 v[SSTP_PCPU_MAX];
	struct net_device *dev;
	unsigned int start;
	size_t i;
	int cpu;

	*snap = sess->final;
	for (i = 0; i < ARRAY_SIZE(plain); i++)
		snap->v[plain[i].attr] = READ_ONCE(*(const u64 *)(st + plain[i].off));
	for (i = 0; i < ARRAY_SIZE(atomic); i++)
		snap->v[atomic[i].attr] = atomic64_read(st + atomic[i].off);
	for (i = 0; i < SSTP_PCPU_MAX; i++)
		snap->v[pcpu_attr[i]] = 0;
	for_each_possible_cpu(cpu) {
		const struct sstp_pcpu_stats *p = per_cpu_ptr(sess->stats.pcpu, cpu);

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			for (i = 0; i < SSTP_PCPU_MAX; i++)
				v[i] = u64_stats_read(&p->v[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		for (i = 0; i < SSTP_PCPU_MAX; i++)
			snap->v[pcpu_attr[i]] += v[i];
	}
	rcu_read_lock();
	dev = READ_ONCE(sess->dev);
	if (dev) {
		dev_fetch_sw_netstats(&dst, dev->tstats);
		snap->v[SSTP_STATS_A_RX_PACKETS] = dst.rx_packets;
		snap->v[SSTP_STATS_A_RX_BYTES] = dst.rx_bytes;
		snap->v[SSTP_STATS_A_TX_PACKETS] = dst.tx_packets;
		snap->v[SSTP_STATS_A_TX_BYTES] = dst.tx_bytes;
	}
	rcu_read_unlock();
}

/**
 * sstp_session_pcpu_inc() - count one event of the TX side on this CPU
 * @sess: the session
 * @which: SSTP_PCPU_*
 *
 * Any context: xmit (softirq, several CPUs at once), the TX work.
 */
void sstp_session_pcpu_inc(struct sstp_session *sess, unsigned int which)
{
	struct sstp_pcpu_stats *p = get_cpu_ptr(sess->stats.pcpu);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&p->syncp);
	u64_stats_inc(&p->v[which]);
	u64_stats_update_end_irqrestore(&p->syncp, flags);
	put_cpu_ptr(sess->stats.pcpu);
}

/**
 * sstp_session_destroy() - the one teardown of a session
 * @work: &sstp_session.destroy_work
 *
 * Runs exactly once per session, in process context, queued by
 * sstp_session_down(). The order matters: first stop everything that can
 * queue work (socket callbacks, then the RX work and the timer, which may
 * queue TX), then close TX (xmit drops from then on), and only then let
 * the device go, once nothing of ours uses it.
 */
static void sstp_session_destroy(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 destroy_work);
	struct sstp_net *sn = sstp_net(sess->net);

	might_sleep();
	sstp_sock_detach(sess);
	cancel_work_sync(&sess->rx_work);
	timer_shutdown_sync(&sess->hello_timer);
	/* A deliberate delete lets the last control packets (say CALL_ABORT
	 * from the daemon) leave first; the send does not block.
	 */
	if (sess->reason == SSTP_DOWN_DELETED)
		flush_work(&sess->tx_work);
	sstp_tx_close(sess);
	sstp_rx_release(sess);
	sstp_session_stats(sess, &sess->final);
	sstp_dev_unlink(sess);

	xa_erase(&sn->sessions, sess->id);
	sstp_nl_session_down(sess);
	sockfd_put(sess->sock);
	sess->sock = NULL;

	atomic64_inc(&sstp_sessions_destroyed);
	pr_debug("session %u destroyed, reason %u\n", sess->id, sess->reason);
	sstp_session_put(sess);
	if (atomic_dec_and_test(&sn->live))
		wake_up(&sn->gone);
}

/**
 * sstp_session_down() - start tearing a session down
 * @sess: the session
 * @reason: enum sstp_down_reason; the first caller's reason wins
 *
 * Any context. Idempotent: only the first call queues the teardown.
 */
void sstp_session_down(struct sstp_session *sess, u32 reason)
{
	if (test_and_set_bit(SSTP_SESSION_DYING, &sess->flags))
		return;
	sess->reason = reason;
	queue_work(sstp_ctl_wq, &sess->destroy_work);
}

/* NETLINK_URELEASE: the creating socket is gone, and its sessions with it. */
void sstp_session_down_owner(struct net *net, u32 portid)
{
	struct sstp_session *sess;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&sstp_net(net)->sessions, id, sess) {
		if (sess->owner_portid != portid)
			continue;
		set_bit(SSTP_SESSION_OWNER_GONE, &sess->flags);
		sstp_session_down(sess, SSTP_DOWN_OWNER_GONE);
	}
	rcu_read_unlock();
}

/**
 * sstp_session_down_all() - end every session of a netns and wait for it
 * @net: a netns on its way out, or any netns at module unload
 *
 * Nobody is left to notify: a netns only dies without netlink sockets in
 * it, and on unload the family is already gone. Waits for this netns's
 * teardowns only.
 */
void sstp_session_down_all(struct net *net)
{
	struct sstp_net *sn = sstp_net(net);
	struct sstp_session *sess;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&sn->sessions, id, sess) {
		set_bit(SSTP_SESSION_OWNER_GONE, &sess->flags);
		sstp_session_down(sess, SSTP_DOWN_SHUTDOWN);
	}
	rcu_read_unlock();
	wait_event(sn->gone, !atomic_read(&sn->live));
}

static struct sstp_session *sstp_session_alloc(struct net *net,
					       const struct sstp_session_config *cfg)
{
	struct sstp_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	sess->stats.pcpu = netdev_alloc_pcpu_stats(struct sstp_pcpu_stats);
	if (!sess->stats.pcpu)
		goto err_free;
	if (cfg->pending_len) {
		sess->pending = kmemdup(cfg->pending, cfg->pending_len,
					GFP_KERNEL);
		if (!sess->pending)
			goto err_free;
		sess->pending_len = cfg->pending_len;
	}

	refcount_set(&sess->refcount, 1);
	sess->net = net;
	sess->owner_portid = cfg->owner_portid;
	sess->role = cfg->role;
	INIT_WORK(&sess->rx_work, sstp_rx_work);
	INIT_WORK(&sess->tx_work, sstp_tx_work);
	INIT_WORK(&sess->destroy_work, sstp_session_destroy);
	spin_lock_init(&sess->tx_lock);
	__skb_queue_head_init(&sess->tx_ctrl);
	__skb_queue_head_init(&sess->tx_data);
	__skb_queue_head_init(&sess->tx_batch);
	__skb_queue_head_init(&sess->rx_ip);
	__skb_queue_head_init(&sess->rx_up);
	sess->tx_closed = true;	/* opened once the session is published */
	timer_setup(&sess->hello_timer, sstp_session_hello, 0);
	sess->hello_jiffies = (unsigned long)cfg->hello_interval * HZ;
	return sess;

err_free:
	sstp_session_free(sess);
	return NULL;
}

/**
 * sstp_session_new() - take over a kTLS socket and start a session
 * @net: netns of the creating netlink socket
 * @cfg: parameters; on success the session owns @cfg->sock's reference
 * @extack: for the reason of a refusal
 *
 * Process context; takes RTNL (the device).
 *
 * Return: the session with two references, the table's and one for the
 * caller, or an ERR_PTR.
 */
struct sstp_session *sstp_session_new(struct net *net,
				      const struct sstp_session_config *cfg,
				      struct netlink_ext_ack *extack)
{
	struct sstp_net *sn = sstp_net(net);
	struct sstp_session *sess;
	struct net_device *dev;
	int err;

	might_sleep();
	sess = sstp_session_alloc(net, cfg);
	if (!sess) {
		NL_SET_ERR_MSG(extack, "out of memory");
		return ERR_PTR(-ENOMEM);
	}

	dev = sstp_dev_new(sess, cfg->ifname, cfg->mtu, extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_free;
	}
	sess->dev = dev;
	sess->ifindex = dev->ifindex;
	strscpy(sess->ifname, dev->name, sizeof(sess->ifname));

	err = sstp_sock_attach(sess, cfg->sock, extack);
	if (err)
		goto err_unlink_dev;

	err = xa_alloc_cyclic(&sn->sessions, &sess->id, sess, xa_limit_32b,
			      &sn->next_id, GFP_KERNEL);
	if (err < 0) {
		NL_SET_ERR_MSG(extack, "no free session id");
		goto err_detach;
	}

	/* Published: from here on only sstp_session_down() ends it. */
	refcount_inc(&sess->refcount);
	atomic_inc(&sn->live);
	atomic64_inc(&sstp_sessions_created);
	sess->last_rx = jiffies;
	spin_lock_bh(&sess->tx_lock);
	sess->tx_closed = false;
	spin_unlock_bh(&sess->tx_lock);
	set_bit(SSTP_SESSION_LIVE, &sess->flags);
	if (sess->hello_jiffies)
		mod_timer(&sess->hello_timer, jiffies + sess->hello_jiffies);
	/* Records may have arrived before our callbacks were installed. */
	queue_work(sstp_rx_wq, &sess->rx_work);
	pr_debug("session %u created, device %s\n", sess->id, dev->name);
	return sess;

err_detach:
	sstp_sock_detach(sess);
err_unlink_dev:
	sstp_tx_close(sess);
	sstp_dev_unlink(sess);
err_free:
	sstp_session_free(sess);
	return ERR_PTR(err);
}
