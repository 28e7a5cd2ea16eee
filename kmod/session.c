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

static void sstp_session_free_rcu(struct rcu_head *rcu)
{
	struct sstp_session *sess = container_of(rcu, struct sstp_session, rcu);

	kfree(sess->pending);
	kfree(sess->rx_buf);
	kfree(sess);
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
 * another one give up on the peer. Softirq context; re-arms itself only
 * while the session is live, so teardown's timer_shutdown_sync() sticks.
 */
static void sstp_session_hello(struct timer_list *t)
{
	struct sstp_session *sess = timer_container_of(sess, t, hello_timer);
	unsigned long deadline = READ_ONCE(sess->last_rx) + sess->hello_jiffies;
	u8 echo[SSTP_CTRL_HDR_LEN];

	if (!sstp_session_live(sess))
		return;
	if (time_before(jiffies, deadline)) {
		mod_timer(&sess->hello_timer, deadline);
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
 * sstp_session_destroy() - the one teardown of a session
 * @work: &sstp_session.destroy_work
 *
 * Runs exactly once per session, in process context, queued by
 * sstp_session_down(). The order matters: first stop everything that can
 * queue work (socket callbacks, then the RX work and the timer, which may
 * queue TX), then close TX, and only then unregister the PPP channel, so
 * that nothing calls into ppp_generic for a channel that is going away.
 */
static void sstp_session_destroy(struct work_struct *work)
{
	struct sstp_session *sess = container_of(work, struct sstp_session,
						 destroy_work);

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
	sstp_ppp_unregister(sess);

	xa_erase(&sstp_net(sess->net)->sessions, sess->id);
	sstp_nl_session_down(sess);
	sockfd_put(sess->sock);
	sess->sock = NULL;

	atomic64_inc(&sstp_sessions_destroyed);
	pr_debug("session %u destroyed, reason %u\n", sess->id, sess->reason);
	sstp_session_put(sess);
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
	queue_work(sstp_wq, &sess->destroy_work);
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

/*
 * Netns exit or module unload. Nobody is left to notify: a netns only dies
 * without netlink sockets in it, and on unload the family is already gone.
 * The caller flushes sstp_wq to wait for the teardowns.
 */
void sstp_session_down_all(struct net *net)
{
	struct sstp_session *sess;
	unsigned long id;

	rcu_read_lock();
	xa_for_each(&sstp_net(net)->sessions, id, sess) {
		set_bit(SSTP_SESSION_OWNER_GONE, &sess->flags);
		sstp_session_down(sess, SSTP_DOWN_SHUTDOWN);
	}
	rcu_read_unlock();
}

static struct sstp_session *sstp_session_alloc(struct net *net,
					       const struct sstp_session_config *cfg)
{
	struct sstp_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	sess->rx_buf = kmalloc(SSTP_RX_READ_SIZE, GFP_KERNEL);
	if (!sess->rx_buf)
		goto err_free_sess;
	if (cfg->pending_len) {
		sess->pending = kmemdup(cfg->pending, cfg->pending_len,
					GFP_KERNEL);
		if (!sess->pending)
			goto err_free_buf;
		sess->pending_len = cfg->pending_len;
	}

	refcount_set(&sess->refcount, 1);
	sess->net = net;
	sess->owner_portid = cfg->owner_portid;
	sess->role = cfg->role;
	mutex_init(&sess->chan_lock);
	INIT_WORK(&sess->rx_work, sstp_rx_work);
	INIT_WORK(&sess->tx_work, sstp_tx_work);
	INIT_WORK(&sess->destroy_work, sstp_session_destroy);
	spin_lock_init(&sess->tx_lock);
	__skb_queue_head_init(&sess->tx_queue);
	__skb_queue_head_init(&sess->tx_batch);
	__skb_queue_head_init(&sess->rx_deliver);
	sess->tx_closed = true;	/* opened once the session is published */
	timer_setup(&sess->hello_timer, sstp_session_hello, 0);
	sess->hello_jiffies = (unsigned long)cfg->hello_interval * HZ;
	return sess;

err_free_buf:
	kfree(sess->rx_buf);
err_free_sess:
	kfree(sess);
	return NULL;
}

/**
 * sstp_session_new() - take over a kTLS socket and start a session
 * @net: netns of the creating netlink socket
 * @cfg: parameters; on success the session owns @cfg->sock's reference
 * @extack: for the reason of a refusal
 *
 * Process context.
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
	int err;

	might_sleep();
	sess = sstp_session_alloc(net, cfg);
	if (!sess) {
		NL_SET_ERR_MSG(extack, "out of memory");
		return ERR_PTR(-ENOMEM);
	}

	err = sstp_sock_attach(sess, cfg->sock, extack);
	if (err)
		goto err_free;

	err = sstp_ppp_register(sess, cfg->mtu);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot register the PPP channel");
		goto err_detach;
	}

	err = xa_alloc_cyclic(&sn->sessions, &sess->id, sess, xa_limit_32b,
			      &sn->next_id, GFP_KERNEL);
	if (err < 0) {
		NL_SET_ERR_MSG(extack, "no free session id");
		goto err_unregister;
	}

	/* Published: from here on only sstp_session_down() ends it. */
	refcount_inc(&sess->refcount);
	atomic64_inc(&sstp_sessions_created);
	sess->last_rx = jiffies;
	spin_lock_irq(&sess->tx_lock);
	sess->tx_closed = false;
	spin_unlock_irq(&sess->tx_lock);
	set_bit(SSTP_SESSION_LIVE, &sess->flags);
	if (sess->hello_jiffies)
		mod_timer(&sess->hello_timer, jiffies + sess->hello_jiffies);
	/* Records may have arrived before our callbacks were installed. */
	queue_work(sstp_rx_wq, &sess->rx_work);
	pr_debug("session %u created, channel %d\n", sess->id, sess->chan_index);
	return sess;

err_unregister:
	sstp_ppp_unregister(sess);
err_detach:
	sstp_sock_detach(sess);
err_free:
	kfree(sess->pending);
	kfree(sess->rx_buf);
	kfree(sess);
	return ERR_PTR(err);
}
