// SPDX-License-Identifier: GPL-2.0-only
/*
 * sstp: the SSTP data path in the kernel, over a kTLS socket handed in by
 * the daemon. This file is only the init/exit ladder and module globals.
 */

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "session.h"

struct workqueue_struct *sstp_tx_wq;
struct workqueue_struct *sstp_rx_wq;
struct workqueue_struct *sstp_ctl_wq;
unsigned int sstp_net_id;

/* Object counts for leak checks (debugfs sstp/sessions_*): must match. */
atomic64_t sstp_sessions_created = ATOMIC64_INIT(0);
atomic64_t sstp_sessions_destroyed = ATOMIC64_INIT(0);
static struct dentry *sstp_debugfs;

/* Knobs for measuring what each technique is worth (make bench's A/B
 * rows); debugfs, root only, read when a session is created or a batch is
 * sent. Not configuration: the defaults are the data path.
 */
bool sstp_tx_splice = true;
u32 sstp_tcp_notsent_lowat = SSTP_TCP_NOTSENT_LOWAT;

static int sstp_counter_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(sstp_counter_fops, sstp_counter_get, NULL, "%llu\n");

static int __net_init sstp_net_init(struct net *net)
{
	struct sstp_net *sn = sstp_net(net);

	xa_init_flags(&sn->sessions, XA_FLAGS_ALLOC1);
	atomic_set(&sn->live, 0);
	init_waitqueue_head(&sn->gone);
	return 0;
}

/*
 * Sessions keep no reference on their netns, so it can start to go while
 * they live; then, and on module unload, every session ends and this waits
 * for this netns's teardowns (not for the whole workqueue). It is a pernet
 * *device* op, so it runs before the core moves or unregisters the
 * devices that are left.
 */
static void __net_exit sstp_net_exit(struct net *net)
{
	struct sstp_net *sn = sstp_net(net);

	sstp_session_down_all(net);
	WARN_ON_ONCE(!xa_empty(&sn->sessions));
	xa_destroy(&sn->sessions);
}

static struct pernet_operations sstp_net_ops = {
	.init = sstp_net_init,
	.exit = sstp_net_exit,
	.id = &sstp_net_id,
	.size = sizeof(struct sstp_net),
};

static int __init sstp_init(void)
{
	int err;

	/* TX: per CPU, so that the work runs on the CPU whose softirq queued
	 * a burst, after it, and sends it as one batch.
	 */
	sstp_tx_wq = alloc_workqueue("sstp_tx", 0, 0);
	if (!sstp_tx_wq)
		return -ENOMEM;
	/* RX: unbound. Data ready fires on the CPU that ran the sending
	 * side's softirq, often the one busy with our own TX; decrypting
	 * there serialised both ends of the pipeline on one CPU.
	 */
	sstp_rx_wq = alloc_workqueue("sstp_rx", WQ_UNBOUND, 0);
	if (!sstp_rx_wq) {
		err = -ENOMEM;
		goto err_destroy_tx_wq;
	}
	/* Teardowns: they take RTNL and wait for the other works. */
	sstp_ctl_wq = alloc_workqueue("sstp_ctl", WQ_UNBOUND, 0);
	if (!sstp_ctl_wq) {
		err = -ENOMEM;
		goto err_destroy_rx_wq;
	}
	err = sstp_dev_register();
	if (err)
		goto err_destroy_ctl_wq;
	err = register_pernet_device(&sstp_net_ops);
	if (err)
		goto err_unregister_dev;
	err = sstp_nl_register();
	if (err)
		goto err_unregister_pernet;

	sstp_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file_unsafe("sessions_created", 0444, sstp_debugfs,
				   &sstp_sessions_created, &sstp_counter_fops);
	debugfs_create_file_unsafe("sessions_destroyed", 0444, sstp_debugfs,
				   &sstp_sessions_destroyed, &sstp_counter_fops);
	debugfs_create_bool("tx_splice", 0600, sstp_debugfs, &sstp_tx_splice);
	debugfs_create_u32("tcp_notsent_lowat", 0600, sstp_debugfs,
			   &sstp_tcp_notsent_lowat);
	pr_info("SSTP data path over kTLS loaded\n");
	return 0;

err_unregister_pernet:
	unregister_pernet_device(&sstp_net_ops);
err_unregister_dev:
	sstp_dev_unregister();
err_destroy_ctl_wq:
	destroy_workqueue(sstp_ctl_wq);
err_destroy_rx_wq:
	destroy_workqueue(sstp_rx_wq);
err_destroy_tx_wq:
	destroy_workqueue(sstp_tx_wq);
	return err;
}

static void __exit sstp_exit(void)
{
	debugfs_remove_recursive(sstp_debugfs);
	/* No new sessions, no more owners; then end the live ones. */
	sstp_nl_unregister();
	unregister_pernet_device(&sstp_net_ops);
	sstp_dev_unregister();
	/* sessions are freed by RCU callbacks that live in this module */
	rcu_barrier();
	destroy_workqueue(sstp_ctl_wq);
	destroy_workqueue(sstp_rx_wq);
	destroy_workqueue(sstp_tx_wq);
	pr_debug("unloaded, sessions created %lld destroyed %lld\n",
		 (long long)atomic64_read(&sstp_sessions_created),
		 (long long)atomic64_read(&sstp_sessions_destroyed));
}

module_init(sstp_init);
module_exit(sstp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SSTP data path over kernel TLS");
MODULE_AUTHOR("sstp project");
MODULE_ALIAS_GENL_FAMILY(SSTP_GENL_NAME);
MODULE_ALIAS_RTNL_LINK("sstp");
