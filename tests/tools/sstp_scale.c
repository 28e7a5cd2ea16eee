// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp_scale: how many kernel-path sessions fit, how fast they are set up,
 * and what each one costs in memory (make bench, in the VM).
 *
 *   sstp_scale N
 *
 * Two phases, each timed and each measured from /proc/meminfo:
 *   1. N loopback TCP pairs with static-key kTLS (TLS 1.2 AES-128-GCM, or
 *      SSTP_TEST_TLS / SSTP_TEST_CIPHER) on both ends: what any TLS VPN
 *      pays before SSTP, counted twice (the client's end lives here too);
 *   2. session-new for the N server ends: sstp.ko takes the socket over and
 *      creates the session's network device.
 * Teardown is the "owner gone" path (the netlink socket that created the
 * sessions is closed), then every fd; the tool waits until the module's
 * sessions_destroyed counter (debugfs) has caught up with sessions_created.
 *
 * Output: "key value" lines (rates in sessions/s, memory in KiB), then
 * "PASS" or "FAIL: why". The peer ends are never read, and no hello
 * interval is set, so nothing moves during the measurement.
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>

#include "ktls.h"
#include "link/sstp_genl.h"

#define DIE(...) do { printf("FAIL: " __VA_ARGS__); printf("\n"); exit(1); } while (0)

struct mem {
	long free_kb, avail_kb, slab_kb, sunreclaim_kb, percpu_kb;
};

static void mem_read(struct mem *m)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	memset(m, 0, sizeof(*m));
	if (!f)
		DIE("/proc/meminfo: %m");
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemFree: %ld", &m->free_kb);
		sscanf(line, "MemAvailable: %ld", &m->avail_kb);
		sscanf(line, "Slab: %ld", &m->slab_kb);
		sscanf(line, "SUnreclaim: %ld", &m->sunreclaim_kb);
		sscanf(line, "Percpu: %ld", &m->percpu_kb);
	}
	fclose(f);
}

/* Per-session cost of a phase: used memory (MemTotal - MemFree) and slab. */
static void mem_report(const char *phase, const struct mem *a, const struct mem *b, int n)
{
	printf("%s_used_kb_per_session %.2f\n", phase, (double)(a->free_kb - b->free_kb) / n);
	printf("%s_avail_kb_per_session %.2f\n", phase, (double)(a->avail_kb - b->avail_kb) / n);
	printf("%s_slab_kb_per_session %.2f\n", phase, (double)(b->slab_kb - a->slab_kb) / n);
	printf("%s_sunreclaim_kb_per_session %.2f\n", phase,
	       (double)(b->sunreclaim_kb - a->sunreclaim_kb) / n);
	printf("%s_percpu_kb_per_session %.2f\n", phase, (double)(b->percpu_kb - a->percpu_kb) / n);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long counter(const char *name)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/sstp/%s", name);
	f = fopen(path, "r");
	if (!f)
		DIE("%s: %m (is sstp.ko loaded?)", path);
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Let the memory counters settle (RCU frees, per-cpu slab caches). */
static void settle(void)
{
	sync();
	usleep(300000);
}

int main(int argc, char **argv)
{
	struct ktls_params tp = KTLS_PARAMS_DEFAULT;
	struct mem m0, m1, m2;
	struct rlimit rl;
	struct sstp_genl nl;
	int *kern, *peer, n, lfd, i, err;
	long long created0, destroyed0;
	double t0, t1, t2, t3;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: sstp_scale N\n");
		return 2;
	}
	if (ktls_parse_params(&tp, getenv("SSTP_TEST_TLS"), getenv("SSTP_TEST_CIPHER")))
		DIE("bad SSTP_TEST_TLS or SSTP_TEST_CIPHER");
	/* 2 sockets per pair */
	rl.rlim_cur = rl.rlim_max = (rlim_t)n * 2 + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		DIE("RLIMIT_NOFILE %d: %m", n * 2 + 64);
	kern = calloc((size_t)n, sizeof(int));
	peer = calloc((size_t)n, sizeof(int));
	if (!kern || !peer)
		DIE("out of memory");

	err = sstp_genl_open(&nl);
	if (err)
		DIE("genetlink family sstp: %s", strerror(-err));
	created0 = counter("sessions_created");
	destroyed0 = counter("sessions_destroyed");
	lfd = tcp_listen4("127.0.0.1", 0);
	if (lfd < 0)
		DIE("listen: %s", strerror(-lfd));
	getsockname(lfd, (struct sockaddr *)&sa, &salen);

	/*
	 * One pair first, thrown away: the first kTLS key of a cipher makes the
	 * kernel instantiate and self-test the AEAD (about a second under TCG),
	 * which is not a per-session cost.
	 */
	kern[0] = tcp_connect4("127.0.0.1", ntohs(sa.sin_port));
	peer[0] = kern[0] < 0 ? -1 : accept(lfd, NULL, NULL);
	if (peer[0] < 0 || ktls_attach(kern[0], false, &tp, true, true) ||
	    ktls_attach(peer[0], true, &tp, true, true))
		DIE("warm-up kTLS pair failed");
	close(kern[0]);
	close(peer[0]);

	settle();
	mem_read(&m0);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		peer[i] = tcp_connect4("127.0.0.1", ntohs(sa.sin_port));
		if (peer[i] < 0)
			DIE("connect %d: %s", i, strerror(-peer[i]));
		kern[i] = accept(lfd, NULL, NULL);
		if (kern[i] < 0)
			DIE("accept %d: %m", i);
		err = ktls_attach(kern[i], true, &tp, true, true);
		if (!err)
			err = ktls_attach(peer[i], false, &tp, true, true);
		if (err)
			DIE("kTLS %d: %s", i, strerror(-err));
	}
	t1 = now_s();
	settle();
	mem_read(&m1);

	t2 = now_s();
	for (i = 0; i < n; i++) {
		struct sstp_genl_new req = {
			.fd = kern[i], .server = true, .mtu = 1400, .ifname = "scale%d",
		};
		struct sstp_genl_created cr;

		err = sstp_genl_session_new(&nl, &req, &cr);
		if (err)
			DIE("session-new %d: %s (%s)", i, strerror(-err), nl.err);
	}
	t3 = now_s();
	settle();
	mem_read(&m2);
	if (counter("sessions_created") - created0 != n)
		DIE("sessions_created grew by %lld, not %d",
		    counter("sessions_created") - created0, n);

	printf("sessions %d\n", n);
	printf("ktls_pair_rate %.1f\n", n / (t1 - t0));
	printf("session_new_rate %.1f\n", n / (t3 - t2));
	printf("setup_rate %.1f\n", n / ((t1 - t0) + (t3 - t2)));
	mem_report("ktls_pair", &m0, &m1, n);
	mem_report("session", &m1, &m2, n);
	/* what a server holds per client: one kTLS socket (half a pair) + the rest */
	printf("server_kb_per_session %.2f\n",
	       ((double)(m0.free_kb - m1.free_kb) / 2 + (double)(m1.free_kb - m2.free_kb)) / n);

	/* teardown: owner gone, then the sockets */
	t0 = now_s();
	sstp_genl_close(&nl);
	for (i = 0; i < n; i++) {
		close(kern[i]);
		close(peer[i]);
	}
	for (i = 0; i < 600; i++) {
		if (counter("sessions_destroyed") - destroyed0 == n)
			break;
		usleep(50000);
	}
	t1 = now_s();
	close(lfd);
	printf("sessions_created %lld\n", counter("sessions_created") - created0);
	printf("sessions_destroyed %lld\n", counter("sessions_destroyed") - destroyed0);
	if (counter("sessions_destroyed") - destroyed0 != n)
		DIE("only %lld of %d sessions destroyed after 30 s",
		    counter("sessions_destroyed") - destroyed0, n);
	printf("teardown_rate %.1f\n", n / (t1 - t0));
	printf("PASS\n");
	free(kern);
	free(peer);
	return 0;
}
