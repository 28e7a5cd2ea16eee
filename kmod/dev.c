// SPDX-License-Identifier: GPL-2.0-only
/*
 * The session's network device: point-to-point, no link-layer header, no
 * ARP, lockless TX. It takes GSO packets (SG and software GSO), hands them
 * to TX which segments them once, and feeds received IP packets to GRO
 * through gro_cells. Data counters are per CPU (tstats), so `ip -s link`
 * and session-get read the same numbers.
 *
 * The device keeps its queue (and gets the system's default qdisc): TX
 * reports the bytes it holds to BQL, which stops the queue at the limit it
 * learns from how fast the socket takes them, so a backlog waits in the
 * qdisc (where fq_codel or similar can manage it) instead of in front of
 * the TLS socket. The type is ARPHRD_PPP, as for pppN: tools treat it as
 * a PPP link, and IPv6 makes no link-local address of its own (the daemon
 * sets the one IPV6CP negotiated).
 *
 * An "sstp" rtnl link kind exists so that `ip -d link` names the device
 * and `ip link del` works (it ends the session); devices of this mode are
 * only created by session-new. As with WireGuard, the device may be moved
 * to another netns; the session stays where its socket and owner are, and
 * whichever netns goes first ends it.
 */

#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/pkt_sched.h>
#include <net/rtnetlink.h>

#include "session.h"

static struct rtnl_link_ops sstp_link_ops;

static int sstp_dev_init(struct net_device *dev)
{
	struct sstp_dev *sd = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = gro_cells_init(&sd->gro, dev);
	if (err) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
	}
	return err;
}

static void sstp_dev_uninit(struct net_device *dev)
{
	struct sstp_dev *sd = netdev_priv(dev);

	gro_cells_destroy(&sd->gro);
}

static void sstp_dev_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static netdev_tx_t sstp_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct sstp_dev *sd = netdev_priv(dev);
	struct sstp_session *sess;

	/* ndo_start_xmit runs under rcu_read_lock_bh() */
	sess = rcu_dereference_bh(sd->sess);
	if (unlikely(!sess)) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	return sstp_tx_xmit(sess, skb, dev);
}

static const struct net_device_ops sstp_dev_ops = {
	.ndo_init = sstp_dev_init,
	.ndo_uninit = sstp_dev_uninit,
	.ndo_start_xmit = sstp_dev_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void sstp_dev_get_drvinfo(struct net_device *dev,
				 struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->bus_info, "sstp", sizeof(info->bus_info));
}

static const struct ethtool_ops sstp_ethtool_ops = {
	.get_drvinfo = sstp_dev_get_drvinfo,
	.get_link = ethtool_op_get_link,
};

static void sstp_dev_setup(struct net_device *dev)
{
	netdev_features_t feat = NETIF_F_SG | NETIF_F_HW_CSUM |
				 NETIF_F_HIGHDMA | NETIF_F_GSO_SOFTWARE;

	dev->netdev_ops = &sstp_dev_ops;
	dev->ethtool_ops = &sstp_ethtool_ops;
	dev->rtnl_link_ops = &sstp_link_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = sstp_dev_free;

	dev->type = ARPHRD_PPP;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->mtu = SSTP_MTU_DEFAULT;
	dev->min_mtu = SSTP_MTU_MIN;
	dev->max_mtu = SSTP_MTU_MAX;

	sstp_dev_set_lltx(dev);
	dev->features |= feat;
	dev->hw_features |= feat;
}

/**
 * sstp_dev_new() - create and register a session's device
 * @sess: the session, not yet published
 * @name: "sstp%d" style template, or NULL for that default
 * @mtu: initial MTU
 * @extack: why it failed
 *
 * Process context; takes RTNL. The session gets a tracked reference on the
 * device (dropped by sstp_dev_unlink()).
 *
 * Return: the device or an ERR_PTR.
 */
struct net_device *sstp_dev_new(struct sstp_session *sess, const char *name,
				u32 mtu, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct sstp_dev *sd;
	int err;

	dev = alloc_netdev(sizeof(*sd), name ?: "sstp%d", NET_NAME_ENUM,
			   sstp_dev_setup);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "cannot allocate the device");
		return ERR_PTR(-ENOMEM);
	}
	dev_net_set(dev, sess->net);
	dev->mtu = mtu;
	sd = netdev_priv(dev);
	RCU_INIT_POINTER(sd->sess, sess);

	rtnl_lock();
	err = register_netdevice(dev);
	if (err) {
		rtnl_unlock();
		if (err == -EEXIST || err == -ENFILE)
			NL_SET_ERR_MSG(extack,
				       "device name in use or no free number");
		else
			NL_SET_ERR_MSG(extack, "cannot register the device");
		/* not registered: needs_free_netdev does not apply */
		free_netdev(dev);
		return ERR_PTR(err);
	}
	netdev_hold(dev, &sess->dev_tracker, GFP_KERNEL);
	netif_carrier_on(dev);
	rtnl_unlock();
	return dev;
}

/**
 * sstp_dev_unlink() - unregister the session's device and let it go
 * @sess: a dying session whose RX work and TX work are stopped for good
 *
 * Unless rtnetlink already deleted it (dellink), the device stops pointing
 * to the session and is unregistered. Readers of sess->dev (session-get,
 * under RCU) are waited for; then the session's reference goes, and with
 * it the device once the stack is done with it. Takes RTNL.
 */
void sstp_dev_unlink(struct sstp_session *sess)
{
	struct net_device *dev = sess->dev;
	struct sstp_dev *sd = netdev_priv(dev);

	might_sleep();
	rtnl_lock();
	WRITE_ONCE(sess->dev, NULL);
	if (rtnl_dereference(sd->sess) == sess) {
		RCU_INIT_POINTER(sd->sess, NULL);
		/* waits for RCU readers (synchronize_net) */
		unregister_netdevice(dev);
	} else {
		synchronize_net();
	}
	/* before rtnl_unlock(), which waits for the device's last user */
	netdev_put(dev, &sess->dev_tracker);
	rtnl_unlock();
}

/**
 * sstp_dev_deliver() - pass the IP packets of one read to the stack
 * @sess: the session (RX work context)
 *
 * With bottom halves off for the whole batch, gro_cells only queues each
 * packet, and its NAPI poll merges them (GRO) when they are back on.
 */
void sstp_dev_deliver(struct sstp_session *sess)
{
	struct net_device *dev = sess->dev;
	struct sstp_dev *sd = netdev_priv(dev);
	struct sk_buff *skb;
	unsigned int len;

	if (skb_queue_empty(&sess->rx_ip))
		return;
	local_bh_disable();
	while ((skb = __skb_dequeue(&sess->rx_ip))) {
		len = skb->len;
		if (gro_cells_receive(&sd->gro, skb) == NET_RX_SUCCESS)
			dev_sw_netstats_rx_add(dev, len);
	}
	local_bh_enable();
}

static int sstp_link_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "sstp devices are created by the sstp genetlink family (session-new)");
	return -EOPNOTSUPP;
}

/* `ip link del`: the session ends with its device. RTNL held. */
static void sstp_link_dellink(struct net_device *dev, struct list_head *head)
{
	struct sstp_dev *sd = netdev_priv(dev);
	struct sstp_session *sess = rtnl_dereference(sd->sess);

	RCU_INIT_POINTER(sd->sess, NULL);
	if (sess)
		sstp_session_down(sess, SSTP_DOWN_DEV_DELETED);
	unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops sstp_link_ops __read_mostly = {
	.kind = "sstp",
	.priv_size = sizeof(struct sstp_dev),
	.setup = sstp_dev_setup,
	.newlink = sstp_link_newlink,
	.dellink = sstp_link_dellink,
};

int sstp_dev_register(void)
{
	return rtnl_link_register(&sstp_link_ops);
}

void sstp_dev_unregister(void)
{
	rtnl_link_unregister(&sstp_link_ops);
}
