// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstpd: SSTP server or client (docs/sstpd.md). Main only: configuration,
 * the shared objects every session uses, the listening socket, signals and
 * the shutdown sequence.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>

#include "daemon/config.h"
#include "daemon/ctl.h"
#include "daemon/dae.h"
#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/pool.h"
#include "daemon/radius.h"
#include "daemon/session.h"
#include "daemon/throttle.h"
#include "link/bpf_guard.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "ppp/ppp.h"
#include "ppp/secrets.h"
#include "tls/ktls_offload.h"
#include "tls/tls.h"
#include "version.h"

#define SSTPD_DEFAULT_CONF	"/etc/sstpd/sstpd.conf"
/* How long a shutdown waits for peers to acknowledge CALL_DISCONNECT. */
#define SSTPD_SHUTDOWN_MS	7000
/* Out of file descriptors: how long the listener rests before it tries
 * again (unless a session ends first). */
#define SSTPD_EMFILE_MS		1000
/* File descriptors: the daemon's own (epoll, signalfd, listener, control
 * socket and its clients, rtnetlink, the BPF guard, stdio, libraries),
 * one per unauthenticated connection (its socket; one more for a control
 * client in flight), and at most three per session (socket, then tun or
 * sstp.ko's netlink socket and the daemon's own reference to the
 * socket), with one to spare. */
#define SSTPD_FDS_BASE		64
#define SSTPD_FDS_PREAUTH	2
#define SSTPD_FDS_SESSION	4

struct sstpd {
	struct config cfg;
	struct loop loop;
	struct rtnl rtnl;
	struct pool pool;
	struct session_env env;
	struct ctl ctl;
	struct dae *dae;
	struct loop_fd listen_lfd, sig_lfd;
	struct loop_timer shutdown_timer, exit_timer;
	/* The listener rests (out of epoll) while every slot is taken or
	 * the fd limit is reached; emfile retries after the latter. */
	bool accept_paused;
	struct loop_timer emfile_timer;
	struct log_limit full_log, source_log, emfile_log;
	struct loop_timer log_timer;	/* says what the limits left out */
	bool stopping;
	int exit_code;
	unsigned int sessions_run;	/* client: [test] sessions */
};

static struct sstpd D;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sstpd [-c FILE] [-o SECTION.KEY=VALUE]... [--dump-config]\n"
		"  -c, --config FILE   configuration file (default " SSTPD_DEFAULT_CONF
		" if it exists)\n"
		"  -o, --set S.K=V     override one key (after the file)\n"
		"  --dump-config       print the effective configuration and exit\n"
		"See docs/sstpd.md for every key.\n");
}

/* ------------------------------------------------------------ admission */

static struct log_limit *const sstpd_limits[] = { &D.full_log, &D.source_log, &D.emfile_log };

static void sstpd_log_arm(void);

static void sstpd_log_flush(struct loop_timer *t)
{
	size_t i;

	for (i = 0; i < sizeof(sstpd_limits) / sizeof(sstpd_limits[0]); i++)
		log_limited_flush(sstpd_limits[i], loop_now());
	sstpd_log_arm();
}

/* After a rate-limited message: the count of those it left out comes
 * when their interval ends, even if no more follow. */
static void sstpd_log_arm(void)
{
	uint64_t when = UINT64_MAX;
	size_t i;

	for (i = 0; i < sizeof(sstpd_limits) / sizeof(sstpd_limits[0]); i++)
		if (sstpd_limits[i]->suppressed && sstpd_limits[i]->next < when)
			when = sstpd_limits[i]->next;
	if (when != UINT64_MAX &&
	    (!loop_timer_armed(&D.log_timer) || D.log_timer.when > when))
		loop_timer_set(&D.loop, &D.log_timer, when, sstpd_log_flush);
}

/* Take the listener out of epoll: connections wait in the kernel's accept
 * queue (and then SYNs are dropped), costing us nothing. */
static void sstpd_accept_pause(void)
{
	if (D.accept_paused || D.listen_lfd.fd < 0)
		return;
	D.accept_paused = true;
	loop_fd_mod(&D.loop, &D.listen_lfd, 0);
}

/* The listener follows the slots: out of epoll the moment they are all
 * taken (so that not even a wakeup is spent on what cannot be taken),
 * back when one frees, unless it rests after EMFILE. */
static void sstpd_admission(void)
{
	if (D.listen_lfd.fd < 0 || D.stopping)
		return;
	if (session_env_full(&D.env)) {
		if (!D.accept_paused) {
			log_limited(&D.full_log, loop_now(), LOG_WARNING,
				    "not accepting connections: %u unauthenticated (max_preauth %u), "
				    "%u sessions (max_sessions %u)", D.env.n_preauth,
				    D.cfg.max_preauth, D.env.n_auth, D.cfg.max_sessions);
			sstpd_log_arm();
		}
		sstpd_accept_pause();
		return;
	}
	if (!D.accept_paused || loop_timer_armed(&D.emfile_timer))
		return;
	D.accept_paused = false;
	loop_fd_mod(&D.loop, &D.listen_lfd, EPOLLIN);
}

static void sstpd_emfile_over(struct loop_timer *t)
{
	sstpd_admission();
}

/* A session authenticated or ended: the slots changed. A session ending
 * also gives back descriptors, so an EMFILE rest ends early. */
static void sstpd_admit(struct session_env *env)
{
	loop_timer_cancel(&D.loop, &D.emfile_timer);
	sstpd_admission();
}

static void sstpd_accept(struct loop_fd *lfd, uint32_t events)
{
	struct sockaddr_storage ss;
	struct endpoint_source src;
	socklen_t len;
	int fd, i, err;

	for (i = 0; i < 32 && !D.accept_paused; i++) {
		len = sizeof(ss);
		fd = accept4(lfd->fd, (struct sockaddr *)&ss, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			/* Level-triggered: without a pause this spins. */
			log_limited(&D.emfile_log, loop_now(), LOG_ERR,
				    "not accepting connections for %u ms: %s", SSTPD_EMFILE_MS,
				    strerror(errno));
			sstpd_log_arm();
			sstpd_accept_pause();
			loop_timer_set(&D.loop, &D.emfile_timer, loop_now() + SSTPD_EMFILE_MS,
				       sstpd_emfile_over);
			return;
		}
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		err = session_accept(&D.env, fd, (struct sockaddr *)&ss, len);
		if (err == -EDQUOT) {
			endpoint_source((struct sockaddr *)&ss, &src);
			log_limited(&D.source_log, loop_now(), LOG_WARNING,
				    "refused a connection from %s: max_preauth_per_source (%u) "
				    "unauthenticated connections from there", src.text,
				    D.cfg.max_preauth_per_source);
			sstpd_log_arm();
		}
		sstpd_admission();
	}
}

/*
 * The descriptors the configured caps need (SSTPD_FDS_*), as the soft
 * limit, and the hard one too when it is lower and we may raise it. If
 * the system does not allow that much, max_sessions (then max_preauth)
 * shrink to what fits, and the log says so: an accept that fails for
 * want of descriptors is handled, but a configuration that cannot be met
 * should not look as if it could.
 */
static void sstpd_fd_limit(void)
{
	unsigned long need = SSTPD_FDS_BASE +
			     (unsigned long)D.cfg.max_preauth * SSTPD_FDS_PREAUTH +
			     (unsigned long)D.cfg.max_sessions * SSTPD_FDS_SESSION;
	struct rlimit rl;
	unsigned long have, room;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		struct rlimit want = {
			.rlim_cur = need,
			.rlim_max = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need ?
				    need : rl.rlim_max,
		};

		if (setrlimit(RLIMIT_NOFILE, &want)) {
			/* Not allowed to raise the hard limit: up to it. */
			want.rlim_cur = rl.rlim_max;
			want.rlim_max = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &want);
		}
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	have = rl.rlim_cur == RLIM_INFINITY ? need : rl.rlim_cur;
	if (have >= need) {
		log_debug("file descriptors: limit %lu, the caps need %lu", have, need);
		return;
	}
	room = have > SSTPD_FDS_BASE ? have - SSTPD_FDS_BASE : 0;
	if (room < (unsigned long)D.cfg.max_preauth * SSTPD_FDS_PREAUTH + SSTPD_FDS_SESSION) {
		unsigned int p = (unsigned int)((room / 2) / SSTPD_FDS_PREAUTH);

		log_err("file descriptors: limit %lu, %lu needed: max_preauth lowered from %u to %u",
			have, need, D.cfg.max_preauth, p ? p : 1);
		D.cfg.max_preauth = p ? p : 1;
	}
	room -= (unsigned long)D.cfg.max_preauth * SSTPD_FDS_PREAUTH;
	if (room / SSTPD_FDS_SESSION < D.cfg.max_sessions) {
		unsigned int n = (unsigned int)(room / SSTPD_FDS_SESSION);

		log_err("file descriptors: limit %lu, %lu needed: max_sessions lowered from %u to %u",
			have, need, D.cfg.max_sessions, n ? n : 1);
		D.cfg.max_sessions = n ? n : 1;
	}
}

/* ------------------------------------------------------------ listening */

static int sstpd_listen(void)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, err;

	if (endpoint_sockaddr(D.cfg.listen, &ss, &len)) {
		log_err("[server] listen = %s: not addr:port or [v6]:port", D.cfg.listen);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		err = -errno;
		log_err("listen on %s: %s", D.cfg.listen, strerror(errno));
		close(fd);
		return err;
	}
	err = loop_fd_add(&D.loop, &D.listen_lfd, fd, EPOLLIN, sstpd_accept);
	if (err) {
		close(fd);
		return err;
	}
	log_info("listening on %s", D.cfg.listen);
	return 0;
}

static void sstpd_unlisten(void)
{
	int fd = D.listen_lfd.fd;

	loop_timer_cancel(&D.loop, &D.emfile_timer);
	loop_timer_cancel(&D.loop, &D.log_timer);
	if (fd < 0)
		return;
	loop_fd_del(&D.loop, &D.listen_lfd);
	close(fd);
}

static void sstpd_shutdown_expired(struct loop_timer *t)
{
	if (!D.env.n_sessions) {
		log_warn("shutdown: %u RADIUS request(s) unanswered",
			 radius_in_flight(D.env.radius));
		loop_timer_cancel(&D.loop, &D.exit_timer);
		loop_stop(&D.loop);
		return;
	}
	log_warn("shutdown: %u session(s) did not finish in time", D.env.n_sessions);
	session_kill_all(&D.env, "daemon shutdown");
}

static void sstpd_stop(const char *why)
{
	if (D.stopping)
		return;
	D.stopping = true;
	log_info("%s: shutting down", why);
	sstpd_unlisten();
	if (!D.env.n_sessions) {
		loop_stop(&D.loop);
		return;
	}
	loop_timer_set(&D.loop, &D.shutdown_timer, loop_now() + SSTPD_SHUTDOWN_MS,
		       sstpd_shutdown_expired);
	session_disconnect_all(&D.env, why);
}

/* offload = auto|yes: is the kernel data path there? yes insists. */
static int sstpd_offload_init(void)
{
	char why[256] = "";
	int err;

	if (!strcmp(D.cfg.offload, "no"))
		return 0;
	err = link_kernel_probe(why, sizeof(why));
	if (!err)
		err = ktls_ctx_prepare(D.env.ssl);
	if (err && !why[0])
		snprintf(why, sizeof(why), "kTLS: %s", strerror(-err));
	if (err && !strcmp(D.cfg.offload, "yes")) {
		log_err("offload = yes: %s", why);
		return err;
	}
	if (err) {
		log_warn("offload = auto: %s; using the userspace data path", why);
		return 0;
	}
	D.env.offload = true;
	return 0;
}

/* Stopping, no session left: leave once the last accounting requests
 * (the sessions' Stops) are answered or given up, within the shutdown
 * deadline. */
static void sstpd_exit_when_idle(struct loop_timer *t)
{
	if (radius_in_flight(D.env.radius) && loop_timer_armed(&D.shutdown_timer)) {
		loop_timer_set(&D.loop, t, loop_now() + 50, sstpd_exit_when_idle);
		return;
	}
	loop_timer_cancel(&D.loop, &D.shutdown_timer);
	loop_stop(&D.loop);
}

static void sstpd_session_gone(struct session_env *env, unsigned int id, bool failed)
{
	if (D.cfg.mode == CONFIG_MODE_CLIENT) {
		/* The client runs one session; its end is the daemon's end.
		 * ([test] sessions: that many, one after another, while they
		 * succeed; test-churn.) */
		D.exit_code = failed ? 1 : 0;
		if (!failed && !D.stopping && ++D.sessions_run < D.cfg.test_sessions &&
		    !session_connect(env))
			return;
		D.stopping = true;
	}
	if (D.stopping && !env->n_sessions)
		sstpd_exit_when_idle(&D.exit_timer);
}

/* SIGHUP: re-read chap-secrets; running sessions keep their addresses.
 * A file with an error is refused and the old secrets stay. */
static void sstpd_reload(void)
{
	struct ppp_secrets *n;
	char err[256];

	if (D.cfg.mode != CONFIG_MODE_SERVER)
		return;
	if (ppp_secrets_load(D.cfg.chap_secrets, &n, err, sizeof(err))) {
		log_err("SIGHUP: %s (keeping the previous secrets)", err);
		return;
	}
	ppp_secrets_free(D.env.secrets);
	D.env.secrets = n;
	log_info("SIGHUP: %s reloaded, %zu secrets", D.cfg.chap_secrets,
		 ppp_secrets_count(n));
}

static void sstpd_signal(struct loop_fd *lfd, uint32_t events)
{
	struct signalfd_siginfo si;

	while (read(lfd->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			sstpd_reload();
		else
			sstpd_stop(si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
	}
}

static int sstpd_signals(void)
{
	sigset_t set;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return loop_fd_add(&D.loop, &D.sig_lfd, fd, EPOLLIN, sstpd_signal);
}

/*
 * "auth = eap-mschapv2 mschapv2 ...": the methods in order of preference,
 * as the PPP engine takes them (a mask, the order, the EAP methods' order).
 */
static int sstpd_parse_auth(const char *s, struct session_env *env)
{
	static const struct { const char *name; enum ppp_auth m; enum ppp_eap_type e; } t[] = {
		{ "eap-mschapv2", PPP_AUTH_EAP, PPP_EAP_MSCHAPV2 },
		{ "peap", PPP_AUTH_EAP, PPP_EAP_PEAP },
		{ "eap-tls", PPP_AUTH_EAP, PPP_EAP_TLS },
		{ "mschapv2", PPP_AUTH_MSCHAPV2, PPP_EAP_NONE },
		{ "chap-md5", PPP_AUTH_CHAP_MD5, PPP_EAP_NONE },
		{ "pap", PPP_AUTH_PAP, PPP_EAP_NONE },
	};
	char buf[CONFIG_STR], *tok, *save = NULL;
	unsigned int na = 0, ne = 0;
	size_t i;

	env->auth = 0;
	memset(env->auth_order, 0, sizeof(env->auth_order));
	memset(env->eap_order, 0, sizeof(env->eap_order));
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		for (i = 0; i < sizeof(t) / sizeof(t[0]) && strcmp(tok, t[i].name); i++)
			;
		if (i == sizeof(t) / sizeof(t[0]))
			return -EINVAL;
		if (t[i].e && ne < 3)
			env->eap_order[ne++] = t[i].e;
		if (!(env->auth & t[i].m) && na < 4)
			env->auth_order[na++] = t[i].m;
		env->auth |= t[i].m;
	}
	return env->auth ? 0 : -EINVAL;
}

/* PEAP or EAP-TLS in the auth list: the TLS context they run inside EAP
 * (the server's own certificate; EAP-TLS client certificates checked
 * against [server] eap_ca; a client's [client] eap_cert for EAP-TLS). */
static int sstpd_eap_tls_init(void)
{
	bool server = D.cfg.mode == CONFIG_MODE_SERVER, tls = false;
	struct tls_opts o = { .server = server, .eap = true };
	char err[256];

	for (int i = 0; i < 4 && D.env.eap_order[i]; i++) {
		if (D.env.eap_order[i] == PPP_EAP_TLS)
			tls = true;
		if (D.env.eap_order[i] != PPP_EAP_TLS && D.env.eap_order[i] != PPP_EAP_PEAP)
			continue;
		o.cert = D.cfg.cert;
		o.key = D.cfg.key;
	}
	if (!o.cert)
		return 0;		/* neither */
	if (server && D.env.radius)
		return 0;		/* relayed: the RADIUS server runs them */
	if (server && tls && !D.cfg.eap_ca[0]) {
		log_err("[server] auth = %s: eap-tls needs [server] eap_ca", D.cfg.auth);
		return -EINVAL;
	}
	if (!server && tls && !D.cfg.eap_cert[0]) {
		log_err("[client] auth = %s: eap-tls needs [client] eap_cert and eap_key",
			D.cfg.client_auth);
		return -EINVAL;
	}
	o.ca = server ? D.cfg.eap_ca : D.cfg.client_eap_ca[0] ? D.cfg.client_eap_ca : D.cfg.ca;
	o.client_cert = D.cfg.eap_cert;
	o.client_key = D.cfg.eap_key[0] ? D.cfg.eap_key : D.cfg.eap_cert;
	D.env.eap_ssl = tls_ctx_new(&o, err, sizeof(err));
	if (!D.env.eap_ssl) {
		log_err("EAP TLS: %s", err);
		return -EINVAL;
	}
	return 0;
}

static int sstpd_ip4(const char *key, const char *s, uint32_t *out, bool optional)
{
	struct in_addr a;

	*out = 0;
	if (optional && !*s)
		return 0;
	if (inet_pton(AF_INET, s, &a) != 1) {
		log_err("[server] %s = %s: not an IPv4 address", key, s);
		return -EINVAL;
	}
	*out = ntohl(a.s_addr);
	return 0;
}

/* [radius]: the client, and who we say we are in every request. */
static int sstpd_radius_init(void)
{
	struct radius_config rc = {
		.auth_servers = D.cfg.radius_auth_servers,
		.acct_servers = D.cfg.radius_acct_servers,
		.secret = D.cfg.radius_secret,
		.timeout_ms = D.cfg.radius_timeout * 1000,
		.retries = D.cfg.radius_retries,
		.deadtime_ms = D.cfg.radius_deadtime * 1000,
		.require_ma = (enum radius_require_ma)D.cfg.radius_require_ma,
	};
	char err[256];
	int ret;

	if (!D.cfg.radius_auth_servers[0])
		return 0;
	if (D.cfg.radius_nas_ip_address[0] &&
	    sstpd_ip4("nas_ip_address", D.cfg.radius_nas_ip_address, &D.env.nas_ip, false))
		return -EINVAL;
	if (D.cfg.radius_nas_identifier[0])
		snprintf(D.env.nas_id, sizeof(D.env.nas_id), "%.63s",
			 D.cfg.radius_nas_identifier);
	else if (gethostname(D.env.nas_id, sizeof(D.env.nas_id) - 1))
		snprintf(D.env.nas_id, sizeof(D.env.nas_id), "sstpd");
	D.env.acct_base = (uint32_t)time(NULL);
	ret = radius_new(&D.loop, &rc, &D.env.radius, err, sizeof(err));
	if (ret) {
		log_err("[radius] %s", err);
		return ret;
	}
	log_info("RADIUS: authentication by %s, accounting %s, NAS-Identifier %s",
		 D.cfg.radius_auth_servers, D.cfg.radius_accounting ? "on" : "off",
		 D.env.nas_id);
	if (D.cfg.radius_dae_listen[0]) {
		struct dae_config dc = {
			.listen = D.cfg.radius_dae_listen,
			.secret = D.cfg.radius_dae_secret[0] ? D.cfg.radius_dae_secret :
							       D.cfg.radius_secret,
			.clients = D.cfg.radius_dae_clients[0] ? D.cfg.radius_dae_clients :
								 D.cfg.radius_auth_servers,
		};

		ret = dae_new(&D.loop, &D.env, &dc, &D.dae, err, sizeof(err));
		if (ret) {
			log_err("[radius] %s", err);
			return ret;
		}
		log_info("RADIUS: dynamic authorization on %s from %s",
			 D.cfg.radius_dae_listen, dc.clients);
	}
	return 0;
}

static int sstpd_server_init(void)
{
	struct throttle_config tcfg = {
		.delay_ms = D.cfg.auth_delay * 1000,
		.delay_max_ms = D.cfg.auth_delay_max * 1000,
		.lockout = D.cfg.auth_lockout,
		.lockout_ms = D.cfg.auth_lockout_time * 1000,
	};
	char err[256];
	int ret;

	if (sstpd_ip4("local_ip", D.cfg.local_ip, &D.env.local_ip, false) ||
	    sstpd_ip4("dns1", D.cfg.dns1, &D.env.dns[0], true) ||
	    sstpd_ip4("dns2", D.cfg.dns2, &D.env.dns[1], true))
		return -EINVAL;
	if (sstpd_parse_auth(D.cfg.auth, &D.env)) {
		log_err("[server] auth = %s: use eap-mschapv2, peap, eap-tls, mschapv2, chap-md5, pap",
			D.cfg.auth);
		return -EINVAL;
	}
	ret = pool_init(&D.pool, D.cfg.pool, D.env.local_ip);
	if (ret) {
		log_err("[server] pool = %s: %s", D.cfg.pool, strerror(-ret));
		return ret;
	}
	D.env.pool = &D.pool;
	ret = sstpd_radius_init();
	if (!ret)
		ret = sstpd_eap_tls_init();
	if (ret)
		return ret;
	ret = ppp_secrets_load(D.cfg.chap_secrets, &D.env.secrets, err, sizeof(err));
	if (ret) {
		log_err("%s", err);
		return ret;
	}
	ret = throttle_new(&tcfg, &D.env.throttle);
	if (ret) {
		log_err("authentication throttling: %s", strerror(-ret));
		return ret;
	}
	if (D.cfg.source_validation) {
		ret = bpf_guard_open(&D.env.guard);
		if (ret) {
			log_err("source_validation = yes: cannot load the BPF guard (%s); "
				"it needs CAP_BPF and CAP_NET_ADMIN", strerror(-ret));
			return ret;
		}
	}
	sstpd_fd_limit();
	session_env_init(&D.env);
	D.env.admit = sstpd_admit;
	return sstpd_listen();
}

/* Run the reapers of sessions that just went down (zero timers); bounded,
 * in case something left a timer for later. */
static void sstpd_drain(void)
{
	int i;

	loop_timer_cancel(&D.loop, &D.shutdown_timer);
	loop_timer_cancel(&D.loop, &D.exit_timer);
	for (i = 0; i < 16 && D.loop.timers; i++)
		if (loop_once(&D.loop, 0))
			break;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 'o' },
		{ "dump-config", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const int levels[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	const char *conf = NULL, *sets[64];
	struct tls_opts topts = { 0 };
	int c, nsets = 0, i, ret = 1;
	bool dump = false;
	char err[512];

	while ((c = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf = optarg;
			break;
		case 'o':
			if (nsets == (int)(sizeof(sets) / sizeof(sets[0]))) {
				fprintf(stderr, "sstpd: too many -o\n");
				return 2;
			}
			sets[nsets++] = optarg;
			break;
		case 'D':
			dump = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	config_init(&D.cfg);
	if (!conf && access(SSTPD_DEFAULT_CONF, F_OK) == 0)
		conf = SSTPD_DEFAULT_CONF;
	if (conf && config_load(&D.cfg, conf, err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		return 2;
	}
	for (i = 0; i < nsets; i++) {
		if (config_set(&D.cfg, sets[i], err, sizeof(err))) {
			fprintf(stderr, "sstpd: %s\n", err);
			return 2;
		}
	}
	if (dump) {
		config_dump(&D.cfg, STDOUT_FILENO);
		return 0;
	}
	if (config_check(&D.cfg, err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		return 2;
	}
	log_level = levels[D.cfg.log_level];

	D.listen_lfd.fd = D.sig_lfd.fd = -1;
	if (loop_init(&D.loop)) {
		log_err("epoll: %s", strerror(errno));
		return 1;
	}
	ret = rtnl_open(&D.rtnl);
	if (ret) {
		log_err("rtnetlink: %s", strerror(-ret));
		ret = 1;
		goto err_loop;
	}
	ret = 1;	/* until the loop has run */
	topts.server = D.cfg.mode == CONFIG_MODE_SERVER;
	topts.cert = D.cfg.cert;
	topts.key = D.cfg.key;
	topts.ca = D.cfg.ca;
	topts.insecure = D.cfg.insecure;
	topts.min_version = D.cfg.tls_min_version == CONFIG_TLS_1_3 ? TLS1_3_VERSION
								    : TLS1_2_VERSION;
	topts.max_version = D.cfg.tls_max_version == CONFIG_TLS_1_3 ? TLS1_3_VERSION
								    : TLS1_2_VERSION;
	topts.ciphers = D.cfg.tls_ciphers;
	topts.ciphersuites = D.cfg.tls_ciphersuites;
	if (!topts.server && topts.insecure)
		log_warn("[client] insecure = yes: the server's certificate is NOT verified");
	D.env.ssl = tls_ctx_new(&topts, err, sizeof(err));
	if (!D.env.ssl) {
		log_err("TLS: %s", err);
		goto err_rtnl;
	}
	if (sstpd_offload_init())
		goto err_ssl;
	D.env.loop = &D.loop;
	D.env.cfg = &D.cfg;
	D.env.rtnl = &D.rtnl;
	D.env.gone = sstpd_session_gone;
	if (sstpd_signals()) {
		log_err("signals: %s", strerror(errno));
		goto err_ssl;
	}
	if (ctl_open(&D.ctl, &D.loop, &D.env, D.cfg.ctl_socket, err, sizeof(err))) {
		log_err("control socket: %s", err);
		goto err_ssl;
	}
	if (D.cfg.mode == CONFIG_MODE_SERVER) {
		if (sstpd_server_init())
			goto err_ctl;
	} else if (sstpd_parse_auth(D.cfg.client_auth, &D.env)) {
		log_err("[client] auth = %s: use eap-mschapv2, peap, eap-tls, mschapv2, chap-md5, pap",
			D.cfg.client_auth);
		goto err_ctl;
	} else if (sstpd_eap_tls_init() || session_connect(&D.env)) {
		goto err_ctl;
	}
	log_info("sstpd %s %s running (%s data path), control socket %s", SSTPD_VERSION,
		 D.cfg.mode == CONFIG_MODE_SERVER ? "server" : "client",
		 D.env.offload ? "kernel" : "userspace", D.cfg.ctl_socket);
	ret = loop_run(&D.loop);
	if (ret)
		log_err("event loop: %s", strerror(-ret));
	sstpd_drain();
	ret = ret ? 1 : D.exit_code;
	log_info("exit %d", ret);
	goto out;

err_ctl:
	ret = 1;
	sstpd_drain();
out:
	session_kill_all(&D.env, "exit");
	sstpd_drain();
	ctl_close(&D.ctl);
	sstpd_unlisten();
	if (D.env.secrets)
		ppp_secrets_free(D.env.secrets);
	throttle_free(D.env.throttle);
	bpf_guard_close(D.env.guard);
	dae_free(D.dae);
	radius_free(D.env.radius);
	if (D.env.pool)
		pool_uninit(&D.pool);
	if (D.sig_lfd.fd >= 0)
		close(D.sig_lfd.fd);
err_ssl:
	tls_ctx_free(D.env.eap_ssl);
	tls_ctx_free(D.env.ssl);
err_rtnl:
	rtnl_close(&D.rtnl);
err_loop:
	loop_uninit(&D.loop);
	return ret;
}
