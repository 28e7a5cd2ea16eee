// SPDX-License-Identifier: GPL-2.0-only
/*
 * sstp: the SSTP data path in the kernel, over a kTLS socket handed in by
 * the daemon. This file is only the init/exit ladder and module globals.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "session.h"

struct workqueue_struct *sstp_wq;
struct workqueue_struct *sstp_rx_wq;
unsigned int sstp_net_id;

/* Read by the tests through /sys/module/sstp/parameters: they must match. */
atomic64_t sstp_sessions_created = ATOMIC64_INIT(0);
atomic64_t sstp_sessions_destroyed = ATOMIC64_INIT(0);

static int sstp_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(kp->arg));
}

static int sstp_counter_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops sstp_counter_ops = {
	.set = sstp_counter_set,
	.get = sstp_counter_get,
};

module_param_cb(sessions_created, &sstp_counter_ops, &sstp_sessions_created,
		0444);
MODULE_PARM_DESC(sessions_created, "sessions created since load (read-only)");
module_param_cb(sessions_destroyed, &sstp_counter_ops,
		&sstp_sessions_destroyed, 0444);
MODULE_PARM_DESC(sessions_destroyed,
		 "sessions destroyed since load (read-only)");

static int __net_init sstp_net_init(struct net *net)
{
	xa_init_flags(&sstp_net(net)->sessions, XA_FLAGS_ALLOC1);
	return 0;
}

/*
 * Sessions pin their netns through the PPP channel, so this finds any only
 * on module unload; both cases end every session and wait for it.
 */
static void __net_exit sstp_net_exit(struct net *net)
{
	struct sstp_net *sn = sstp_net(net);

	sstp_session_down_all(net);
	flush_workqueue(sstp_wq);
	WARN_ON_ONCE(!xa_empty(&sn->sessions));
	xa_destroy(&sn->sessions);
}

/*
 * A pernet *device*, registered after ppp_generic's (we depend on it), so
 * that our exit runs before ppp_generic checks that no channel is left.
 */
static struct pernet_operations sstp_net_ops = {
	.init = sstp_net_init,
	.exit = sstp_net_exit,
	.id = &sstp_net_id,
	.size = sizeof(struct sstp_net),
};

static int __init sstp_init(void)
{
	int err;

	/* TX and teardown: per CPU, so that TX work runs on the CPU whose
	 * softirq queued the frames, after that burst, and sends it in one
	 * batch; unbound, it ran beside the producer and sent frame by frame.
	 */
	sstp_wq = alloc_workqueue("sstp", WQ_MEM_RECLAIM, 0);
	if (!sstp_wq)
		return -ENOMEM;
	/* RX: unbound. Data ready fires on the CPU that ran the sending
	 * side's softirq, often the one busy with our own TX; decrypting
	 * there serialised both ends of the pipeline on one CPU.
	 */
	sstp_rx_wq = alloc_workqueue("sstp_rx", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!sstp_rx_wq) {
		err = -ENOMEM;
		goto err_destroy_wq;
	}
	err = register_pernet_device(&sstp_net_ops);
	if (err)
		goto err_destroy_rx_wq;
	err = sstp_nl_register();
	if (err)
		goto err_unregister_pernet;
	pr_info("SSTP data path over kTLS loaded\n");
	return 0;

err_unregister_pernet:
	unregister_pernet_device(&sstp_net_ops);
err_destroy_rx_wq:
	destroy_workqueue(sstp_rx_wq);
err_destroy_wq:
	destroy_workqueue(sstp_wq);
	return err;
}

static void __exit sstp_exit(void)
{
	/* No new sessions, no more owners; then end the live ones. */
	sstp_nl_unregister();
	unregister_pernet_device(&sstp_net_ops);
	/* sessions are freed by RCU callbacks that live in this module */
	rcu_barrier();
	destroy_workqueue(sstp_rx_wq);
	destroy_workqueue(sstp_wq);
	pr_debug("unloaded, sessions created %lld destroyed %lld\n",
		 (long long)atomic64_read(&sstp_sessions_created),
		 (long long)atomic64_read(&sstp_sessions_destroyed));
}

module_init(sstp_init);
module_exit(sstp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SSTP data path over kernel TLS");
MODULE_AUTHOR("sstp project");
