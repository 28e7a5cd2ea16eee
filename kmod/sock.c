// SPDX-License-Identifier: GPL-2.0-only
/*
 * Taking over the daemon's kTLS socket: the checks, and the socket callbacks
 * that turn socket events into RX and TX work.
 *
 * kTLS already sits in sk_data_ready and sk_write_space (its strparser and
 * its pending-record push), so ours wrap the saved ones instead of replacing
 * them, and sk_prot is never touched. sk_user_data marks the owner; it and
 * the callbacks change together under sk_callback_lock, and the callbacks
 * read it under the same lock, so a callback either sees the session with
 * our callbacks installed or neither.
 */

#include <linux/net.h>
#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/tls.h>

#include "session.h"

static void sstp_sock_data_ready(struct sock *sk)
{
	struct sstp_session *sess;

	read_lock_bh(&sk->sk_callback_lock);
	sess = sk->sk_user_data;
	if (sess) {
		sess->saved_data_ready(sk);
		if (sstp_session_live(sess))
			queue_work(sstp_rx_wq, &sess->rx_work);
	} else {
		sk->sk_data_ready(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void sstp_sock_write_space(struct sock *sk)
{
	struct sstp_session *sess;

	read_lock_bh(&sk->sk_callback_lock);
	sess = sk->sk_user_data;
	if (sess) {
		sess->saved_write_space(sk);
		if (sstp_session_live(sess))
			queue_work(sstp_tx_wq, &sess->tx_work);
	} else {
		sk->sk_write_space(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* FIN, RST, errors: let the RX work find out what recvmsg says. */
static void sstp_sock_state_change(struct sock *sk)
{
	struct sstp_session *sess;

	read_lock_bh(&sk->sk_callback_lock);
	sess = sk->sk_user_data;
	if (sess) {
		sess->saved_state_change(sk);
		if (sstp_session_live(sess))
			queue_work(sstp_rx_wq, &sess->rx_work);
	} else {
		sk->sk_state_change(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Is this a kTLS socket with keys installed in both directions? */
static bool sstp_sock_has_ktls(struct sock *sk)
{
	const struct inet_connection_sock *icsk = inet_csk(sk);
	const struct tls_context *tls;

	if (!icsk->icsk_ulp_ops || strcmp(icsk->icsk_ulp_ops->name, "tls"))
		return false;
	tls = tls_get_ctx(sk);
	return tls && tls->tx_conf != TLS_BASE && tls->rx_conf != TLS_BASE;
}

/**
 * sstp_sock_attach() - check a socket and take it over for a session
 * @sess: the new session
 * @sock: from sockfd_lookup(); the session keeps this reference on success
 * @extack: why the socket was refused
 *
 * The socket must be TCP, in the session's (the caller's) netns,
 * established, have kTLS TX and RX installed and have no owner yet.
 * Process context.
 *
 * Return: 0 or -errno.
 */
int sstp_sock_attach(struct sstp_session *sess, struct socket *sock,
		     struct netlink_ext_ack *extack)
{
	struct sock *sk = sock->sk;
	int err = 0;

	if (sock->type != SOCK_STREAM || sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)) {
		NL_SET_ERR_MSG(extack, "socket is not a TCP socket");
		return -EPROTONOSUPPORT;
	}
	/* the session, its device and its owner live in one netns */
	if (!net_eq(sock_net(sk), sess->net)) {
		NL_SET_ERR_MSG(extack,
			       "socket belongs to another network namespace");
		return -EINVAL;
	}

	lock_sock(sk);
	if (sk->sk_state != TCP_ESTABLISHED) {
		NL_SET_ERR_MSG(extack, "TCP socket is not established");
		err = -ENOTCONN;
		goto out_release;
	}
	if (!sstp_sock_has_ktls(sk)) {
		NL_SET_ERR_MSG(extack,
			       "socket needs kTLS with both TX and RX installed");
		err = -EOPNOTSUPP;
		goto out_release;
	}

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data) {
		NL_SET_ERR_MSG(extack, "socket is already owned");
		err = -EBUSY;
	} else {
		sess->sock = sock;
		/* bound what waits unsent in the socket (latency under load,
		 * and memory when the peer stops reading), unless the daemon
		 * chose a bound itself
		 */
		sess->saved_notsent_lowat = tcp_sk(sk)->notsent_lowat;
		if (!sess->saved_notsent_lowat)
			WRITE_ONCE(tcp_sk(sk)->notsent_lowat,
				   READ_ONCE(sstp_tcp_notsent_lowat));
		sess->saved_data_ready = sk->sk_data_ready;
		sess->saved_write_space = sk->sk_write_space;
		sess->saved_state_change = sk->sk_state_change;
		sk->sk_data_ready = sstp_sock_data_ready;
		sk->sk_write_space = sstp_sock_write_space;
		sk->sk_state_change = sstp_sock_state_change;
		rcu_assign_sk_user_data(sk, sess);
	}
	write_unlock_bh(&sk->sk_callback_lock);
out_release:
	release_sock(sk);
	return err;
}

/**
 * sstp_sock_detach() - give the socket its callbacks back
 * @sess: a session whose sstp_sock_attach() succeeded
 *
 * After this returns no callback of ours runs or will run for the socket.
 */
void sstp_sock_detach(struct sstp_session *sess)
{
	struct sock *sk = sess->sock->sk;

	lock_sock(sk);
	WRITE_ONCE(tcp_sk(sk)->notsent_lowat, sess->saved_notsent_lowat);
	release_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = sess->saved_data_ready;
	sk->sk_write_space = sess->saved_write_space;
	sk->sk_state_change = sess->saved_state_change;
	rcu_assign_sk_user_data(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
}
