// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstpd: SSTP server or client (docs/sstpd.md). Main only: configuration
 * (and its reload), the shared objects every session uses (settings.c),
 * the listening sockets, the privilege drop, signals and the shutdown
 * sequence.
 */
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

#include "daemon/config.h"
#include "daemon/ctl.h"
#include "daemon/dae.h"
#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/pool.h"
#include "daemon/privileges.h"
#include "daemon/progopts.h"
#include "daemon/radius.h"
#include "daemon/session.h"
#include "daemon/settings.h"
#include "daemon/throttle.h"
#include "link/bpf_guard.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "ppp/secrets.h"
#include "tls/ktls_offload.h"
#include "tls/tls.h"
#include "version.h"

#define SSTPD_DEFAULT_CONF	"/etc/sstpd/sstpd.conf"
/* How long a shutdown waits for peers to acknowledge CALL_DISCONNECT. */
#define SSTPD_SHUTDOWN_MS	7000
#define SSTPD_MAX_SETS		64

/* A listening socket: TLS (listen) or plain HTTP (listen_plain). */
struct sstpd_listener {
	struct loop_fd lfd;
	bool plain;
};
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
	/* What the configuration came from, for a reload. */
	const char *conf;
	const char *sets[SSTPD_MAX_SETS];
	int nsets;

	struct config cfg;
	struct loop loop;
	struct rtnl rtnl;
	struct pool pool;
	struct session_env env;
	struct ctl ctl, metrics;
	struct dae *dae;
	struct sstpd_listener tls_listener, plain_listener;
	struct loop_fd sig_lfd;
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

/* log_level from enum config_log. */
static const int sstpd_levels[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: sstpd [-c FILE] [-o SECTION.KEY=VALUE]... [--check | --dump-config]\n"
		"  -c, --config FILE   configuration file (default " SSTPD_DEFAULT_CONF
		" if it exists)\n"
		"  -o, --set S.K=V     override one key (after the file)\n"
		"  -t, --check         check the configuration and what it names, then exit\n"
		"  --dump-config       print the effective configuration and exit\n"
		"  -V, --version       print the version and exit\n"
		"See sstpd(8), sstpd.conf(5) and docs/sstpd.md for every key.\n");
}

/* The file, then every -o. */
static int sstpd_config_read(struct config *c, char *err, size_t errlen)
{
	int i;

	config_init(c);
	if (D.conf && config_load(c, D.conf, err, errlen))
		return -EINVAL;
	for (i = 0; i < D.nsets; i++)
		if (config_set(c, D.sets[i], err, errlen))
			return -EINVAL;
	return 0;
}

/* The same and the cross-key checks. */
static int sstpd_config_load(struct config *c, char *err, size_t errlen)
{
	if (sstpd_config_read(c, err, errlen))
		return -EINVAL;
	return config_check(c, err, errlen) ? -EINVAL : 0;
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
static void sstpd_listeners_events(uint32_t events)
{
	struct sstpd_listener *l[] = { &D.tls_listener, &D.plain_listener };
	size_t i;

	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (l[i]->lfd.fd >= 0)
			loop_fd_mod(&D.loop, &l[i]->lfd, events);
}

static void sstpd_accept_pause(void)
{
	if (D.accept_paused || D.tls_listener.lfd.fd < 0)
		return;
	D.accept_paused = true;
	sstpd_listeners_events(0);
}

/* The listener follows the slots: out of epoll the moment they are all
 * taken (so that not even a wakeup is spent on what cannot be taken),
 * back when one frees, unless it rests after EMFILE. */
static void sstpd_admission(void)
{
	if (D.tls_listener.lfd.fd < 0 || D.stopping)
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
	sstpd_listeners_events(EPOLLIN);
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
	struct sstpd_listener *l = container_of(lfd, struct sstpd_listener, lfd);
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
		err = session_accept(&D.env, fd, (struct sockaddr *)&ss, len, l->plain);
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

static int sstpd_listen(struct sstpd_listener *l, const char *key, const char *addr,
			bool plain)
{
	char err[160];
	int fd, ret;

	l->plain = plain;
	fd = endpoint_listen(addr, 128, err, sizeof(err));
	if (fd < 0) {
		log_err("[server] %s = %s", key, err);
		return fd;
	}
	ret = loop_fd_add(&D.loop, &l->lfd, fd, EPOLLIN, sstpd_accept);
	if (ret) {
		close(fd);
		return ret;
	}
	log_info("listening on %s (%s)", addr, plain ?
		 "plain HTTP from a TLS terminator, userspace data path" : "TLS");
	return 0;
}

static void sstpd_unlisten(struct sstpd_listener *l)
{
	int fd = l->lfd.fd;

	loop_timer_cancel(&D.loop, &D.emfile_timer);
	loop_timer_cancel(&D.loop, &D.log_timer);
	if (fd < 0)
		return;
	loop_fd_del(&D.loop, &l->lfd);
	close(fd);
	l->lfd.fd = -1;
}

/* ------------------------------------------------------------ stopping */

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
	sstpd_unlisten(&D.tls_listener);
	sstpd_unlisten(&D.plain_listener);
	if (!D.env.n_sessions) {
		loop_stop(&D.loop);
		return;
	}
	loop_timer_set(&D.loop, &D.shutdown_timer, loop_now() + SSTPD_SHUTDOWN_MS,
		       sstpd_shutdown_expired);
	session_disconnect_all(&D.env, why);
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

/* ------------------------------------------------------------ offload */

/* offload = auto|yes: is the kernel data path there? yes insists. */
static int sstpd_offload_init(void)
{
	char why[160] = "";
	int err;

	if (!strcmp(D.cfg.offload, "no")) {
		snprintf(D.env.offload_why, sizeof(D.env.offload_why), "offload = no");
		return 0;
	}
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
		snprintf(D.env.offload_why, sizeof(D.env.offload_why), "offload = auto: %s",
			 why);
		log_warn("%s; using the userspace data path", D.env.offload_why);
		return 0;
	}
	D.env.offload = true;
	return 0;
}

/* ------------------------------------------------------------ reload */

/*
 * SIGHUP and sstpctl reload: read the configuration again and build what
 * it names (certificate and key, secrets, ...) beside the running one;
 * only when all of it is good does it replace the running one. Sessions
 * keep what they hold (a session's TLS keeps the certificate it was
 * established with); new ones get the new. Keys that only a restart can
 * change keep their running values, and the answer names them.
 */
static int sstpd_reload_by(const char *by, struct session_env *env, char *msg,
			   size_t size)
{
	static struct config next;
	struct settings st;
	char err[768], kept[256];
	int ret;

	env->stats.reloads++;
	/* The new configuration as written must be one a restart would
	 * take; then the keys only a restart changes keep their values. */
	ret = sstpd_config_load(&next, err, sizeof(err));
	if (!ret)
		ret = settings_build(&st, &next, err, sizeof(err));
	if (!ret) {
		config_keep_restart_keys(&D.cfg, &next, kept, sizeof(kept));
		st.local_ip = env->local_ip;
	}
	if (!ret && env->offload) {
		ret = ktls_ctx_prepare(st.ssl);
		if (ret) {
			snprintf(err, sizeof(err), "kTLS: %s", strerror(-ret));
			settings_free(&st);
		}
	}
	if (ret) {
		env->stats.reloads_refused++;
		snprintf(msg, size, "reload refused, the running configuration stays: %s", err);
		log_err("%s: %s", by, msg);
		return ret;
	}
	settings_install(&st, env);
	settings_free(&st);
	D.cfg = next;
	log_level = sstpd_levels[D.cfg.log_level];
	snprintf(msg, size, "reloaded %s%s%s%s", D.conf ? D.conf : "(no file: defaults)",
		 kept[0] ? "; needs a restart, still as before: " : "", kept,
		 D.cfg.mode == CONFIG_MODE_SERVER ? "" : " (a client's session keeps its own)");
	log_info("%s: %s; %u session(s) carry on", by, msg, env->n_sessions);
	if (env->secrets)
		log_info("%s: %s: %zu secrets", by, D.cfg.chap_secrets,
			 ppp_secrets_count(env->secrets));
	return 0;
}

static int sstpd_reload(struct session_env *env, char *msg, size_t size)
{
	return sstpd_reload_by("sstpctl reload", env, msg, size);
}

/* ------------------------------------------------------------ signals */

static void sstpd_signal(struct loop_fd *lfd, uint32_t events)
{
	struct signalfd_siginfo si;
	char msg[1024];

	while (read(lfd->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			sstpd_reload_by("SIGHUP", &D.env, msg, sizeof(msg));
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

/* [radius] as the RADIUS client takes it. */
static struct radius_config sstpd_radius_config(const struct config *c)
{
	return (struct radius_config){
		.auth_servers = c->radius_auth_servers,
		.acct_servers = c->radius_acct_servers,
		.secret = c->radius_secret,
		.timeout_ms = c->radius_timeout * 1000,
		.retries = c->radius_retries,
		.deadtime_ms = c->radius_deadtime * 1000,
		.require_ma = (enum radius_require_ma)c->radius_require_ma,
	};
}

/* [radius]: the client, and who we say we are in every request. */
static int sstpd_radius_init(void)
{
	struct radius_config rc = sstpd_radius_config(&D.cfg);
	char err[256];
	int ret;

	if (!D.cfg.radius_auth_servers[0])
		return 0;
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

/* ------------------------------------------------------------ start */

/* Everything that needs root, before the privileges go: the listening
 * sockets (port 443), the DHCPINFORM socket (port 67) and the raw socket
 * of Router Advertisements, the BPF guard (CAP_BPF, CAP_PERFMON), the file descriptor
 * limit, the pool. */
static int sstpd_server_init(void)
{
	struct throttle_config tcfg = {
		.delay_ms = D.cfg.auth_delay * 1000,
		.delay_max_ms = D.cfg.auth_delay_max * 1000,
		.lockout = D.cfg.auth_lockout,
		.lockout_ms = D.cfg.auth_lockout_time * 1000,
	};
	int ret;

	ret = pool_init(&D.pool, D.cfg.pool, D.env.local_ip);
	if (ret) {
		log_err("[server] pool = %s: %s", D.cfg.pool, strerror(-ret));
		return ret;
	}
	D.env.pool = &D.pool;
	ret = sstpd_radius_init();
	if (ret)
		return ret;
	session_addrconf_open(&D.env);
	ret = throttle_new(&tcfg, &D.env.throttle);
	if (ret) {
		log_err("authentication throttling: %s", strerror(-ret));
		return ret;
	}
	if (D.cfg.source_validation) {
		ret = bpf_guard_open(&D.env.guard);
		if (ret) {
			log_err("source_validation = yes: cannot load the BPF guard (%s); "
				"it needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN", strerror(-ret));
			return ret;
		}
	}
	sstpd_fd_limit();
	session_env_init(&D.env);
	D.env.admit = sstpd_admit;
	ret = sstpd_listen(&D.tls_listener, "listen", D.cfg.listen, false);
	if (!ret && D.cfg.listen_plain[0])
		ret = sstpd_listen(&D.plain_listener, "listen_plain", D.cfg.listen_plain,
				   true);
	return ret;
}

static int sstpd_drop(const struct privileges *p)
{
	char err[256];

	if (privileges_drop(p, err, sizeof(err))) {
		log_err("dropping privileges: %s", err);
		return -EPERM;
	}
	if (p->note[0])
		log_warn("%s", p->note);
	log_info("running as %s (uid %u) with CAP_NET_ADMIN only",
		 p->drop ? p->user : "root", (unsigned int)getuid());
	return 0;
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

/* --check: the RADIUS client as the start makes it (its sockets are
 * opened and closed, nothing is sent), and the DAE listener's address
 * (not bound: the running daemon holds it). */
static int sstpd_radius_check(char *err, size_t errlen)
{
	struct radius_config rc = sstpd_radius_config(&D.cfg);
	struct sockaddr_storage ss;
	struct radius *r = NULL;
	char where[CONFIG_STR + 64], why[256];
	struct loop loop;
	socklen_t len;
	int ret;

	if (D.cfg.mode != CONFIG_MODE_SERVER || !D.cfg.radius_auth_servers[0])
		return 0;
	if (D.cfg.radius_dae_listen[0] &&
	    endpoint_sockaddr_port(D.cfg.radius_dae_listen, DAE_PORT, &ss, &len)) {
		snprintf(err, errlen, "%s: '%s' is not address[:port]",
			 config_where(&D.cfg, "radius", "dae_listen", where, sizeof(where)),
			 D.cfg.radius_dae_listen);
		return -EINVAL;
	}
	if (loop_init(&loop)) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		return -errno;
	}
	ret = radius_new(&loop, &rc, &r, why, sizeof(why));
	if (ret)
		snprintf(err, errlen, "[radius] %s", why);
	radius_free(r);
	loop_uninit(&loop);
	return ret;
}

/* sstpd --check: what a start would check, without starting. */
static int sstpd_check(void)
{
	struct settings st;
	char err[768];

	if (settings_build(&st, &D.cfg, err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		return 2;
	}
	if (sstpd_radius_check(err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		settings_free(&st);
		return 2;
	}
	if (st.priv.note[0])
		printf("sstpd: note: %s\n", st.priv.note);
	printf("sstpd: %s: configuration is valid\n", D.conf ? D.conf : "(defaults)");
	settings_free(&st);
	return 0;
}

static int sstpd_run(void)
{
	struct settings st;
	char err[768];
	int ret;

	D.tls_listener.lfd.fd = D.plain_listener.lfd.fd = D.sig_lfd.fd = -1;
	D.env.dhcp_lfd.fd = D.env.ra_lfd.fd = -1;
	D.ctl.lfd.fd = D.metrics.lfd.fd = -1;
	if (settings_build(&st, &D.cfg, err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		return 2;
	}
	if (loop_init(&D.loop)) {
		log_err("epoll: %s", strerror(errno));
		settings_free(&st);
		return 1;
	}
	ret = rtnl_open(&D.rtnl);
	if (ret) {
		log_err("rtnetlink: %s", strerror(-ret));
		settings_free(&st);
		ret = 1;
		goto err_loop;
	}
	settings_install(&st, &D.env);
	if (D.cfg.mode == CONFIG_MODE_CLIENT && D.cfg.insecure)
		log_warn("[client] insecure = yes: the server's certificate is NOT verified");
	D.env.loop = &D.loop;
	D.env.cfg = &D.cfg;
	D.env.rtnl = &D.rtnl;
	D.env.gone = sstpd_session_gone;
	D.env.reload = sstpd_reload;
	ret = -1;
	if (sstpd_offload_init())
		goto err_ssl;
	if (sstpd_signals()) {
		log_err("signals: %s", strerror(errno));
		goto err_ssl;
	}
	if (ctl_open(&D.ctl, &D.loop, &D.env, D.cfg.ctl_socket, err, sizeof(err))) {
		log_err("control socket: %s", err);
		goto err_ssl;
	}
	if (D.cfg.metrics_listen[0]) {
		if (ctl_open_http(&D.metrics, &D.loop, &D.env, D.cfg.metrics_listen, err,
				  sizeof(err))) {
			log_err("metrics_listen: %s", err);
			goto err_ctl;
		}
		log_info("metrics at http://%s/metrics", D.cfg.metrics_listen);
	}
	if (D.cfg.mode == CONFIG_MODE_SERVER && sstpd_server_init())
		goto err_ctl;
	if (sstpd_drop(&st.priv))
		goto err_ctl;
	if (D.cfg.mode == CONFIG_MODE_CLIENT && session_connect(&D.env))
		goto err_ctl;
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
	ctl_close(&D.metrics);
	ctl_close(&D.ctl);
	sstpd_unlisten(&D.tls_listener);
	sstpd_unlisten(&D.plain_listener);
	session_addrconf_close_all(&D.env);
	throttle_free(D.env.throttle);
	bpf_guard_close(D.env.guard);
	dae_free(D.dae);
	radius_free(D.env.radius);
	if (D.env.pool)
		pool_uninit(&D.pool);
	if (D.sig_lfd.fd >= 0)
		close(D.sig_lfd.fd);
err_ssl:
	if (ret < 0)
		ret = 1;
	/* What is installed goes back into st to be freed with it. */
	settings_install(&st, &D.env);
	settings_free(&st);
	rtnl_close(&D.rtnl);
err_loop:
	loop_uninit(&D.loop);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 't' },
		{ "dump-config", no_argument, NULL, 'D' },
		VERSION_COMMON_OPTS,
		{ NULL, 0, NULL, 0 },
	};
	bool dump = false, check = false;
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "c:o:tVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			D.conf = optarg;
			break;
		case 'o':
			if (D.nsets == SSTPD_MAX_SETS) {
				fprintf(stderr, "sstpd: too many -o\n");
				return 2;
			}
			D.sets[D.nsets++] = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'D':
			dump = true;
			break;
		default:
			return version_common_opt(c, "sstpd", usage);
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!D.conf && access(SSTPD_DEFAULT_CONF, F_OK) == 0)
		D.conf = SSTPD_DEFAULT_CONF;
	/* --dump-config: what the file and -o say, even when the checks
	 * would refuse it. */
	if (dump ? sstpd_config_read(&D.cfg, err, sizeof(err))
		 : sstpd_config_load(&D.cfg, err, sizeof(err))) {
		fprintf(stderr, "sstpd: %s\n", err);
		return 2;
	}
	if (dump) {
		config_dump(&D.cfg, STDOUT_FILENO);
		return 0;
	}
	if (check)
		return sstpd_check();
	log_level = sstpd_levels[D.cfg.log_level];
	return sstpd_run();
}
