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
	bool stopping;
	int exit_code;
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

/* ------------------------------------------------------------ listening */

static void sstpd_accept(struct loop_fd *lfd, uint32_t events)
{
	struct sstpd_listener *l = container_of(lfd, struct sstpd_listener, lfd);
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, i;

	for (i = 0; i < 32; i++) {
		len = sizeof(ss);
		fd = accept4(lfd->fd, (struct sockaddr *)&ss, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		if (session_accept(&D.env, fd, (struct sockaddr *)&ss, len, l->plain) == -EBUSY)
			log_warn("max_sessions (%u) reached: connection refused",
				 D.cfg.max_sessions);
	}
}

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
		/* The client runs one session; its end is the daemon's end. */
		D.exit_code = failed ? 1 : 0;
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
 * of Router Advertisements, the pool. */
static int sstpd_server_init(void)
{
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
