// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpf_guard_check: the tunnel-interface guard (bpf/sstp_guard.bpf.c through
 * userspace/link/bpf_guard.c) on a real tun device, the userspace data path's
 * interface. Packets written to the tun fd are what the kernel receives
 * from the VPN client, so they pass the guard's tc ingress hook:
 *
 *   - IPv4 from the session's address passes, from any other is dropped;
 *   - IPv6 from fe80::<session iid> passes, other identifiers are dropped;
 *   - sources in a prefix routed to the session (IPv4 and IPv6) pass, and
 *     only on that session's interface; an update that drops the prefix
 *     drops its packets too;
 *   - with a rate limit, a burst beyond the bucket is policed;
 *   - detach removes the filter (traffic no longer counted).
 *
 * Run it as root in a fresh network namespace. Exit 0 if every check holds.
 *
 * "bpf_guard_check watch IFNAME IPV4" instead guards an existing interface
 * (a pppN of the kernel data path, say) with that one allowed IPv4 source,
 * prints "guarding IFNAME", and on SIGTERM/SIGINT prints
 * "pass P spoofed S policed Q other O", detaches and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "link/bpf_guard.h"

static int failed;

/* Evaluates cond once: it may be the call under test. */
#define EXPECT(cond, ...)                                               \
	do {                                                            \
		int _ok = !!(cond);                                     \
		printf("%s: ", _ok ? "ok" : "FAIL");                    \
		printf(__VA_ARGS__);                                    \
		printf("\n");                                           \
		if (!_ok)                                               \
			failed = 1;                                     \
	} while (0)

static int tun_open(char *name, int *ifindex)
{
	struct ifreq ifr = { 0 };
	int fd, s;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strncpy(ifr.ifr_name, "sstpguard%d", IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr))
		return -errno;
	strncpy(name, ifr.ifr_name, IFNAMSIZ);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		return -errno;
	close(s);
	*ifindex = (int)if_nametoindex(name);
	return fd;
}

static uint16_t csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4 UDP packet of len bytes from src to 192.0.2.1 (TEST-NET-1). */
static void send4(int fd, const char *src, size_t len)
{
	unsigned char pkt[1500] = { 0 };
	struct iphdr *ip = (struct iphdr *)pkt;

	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 1;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)len);
	inet_pton(AF_INET, src, &ip->saddr);
	inet_pton(AF_INET, "192.0.2.1", &ip->daddr);
	ip->check = csum(ip, sizeof(*ip));
	if (write(fd, pkt, len) != (ssize_t)len)
		perror("bpf_guard_check: write");
}

static void send6(int fd, const char *src)
{
	unsigned char pkt[80] = { 0 };
	struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt;

	ip6->ip6_flow = htonl(6u << 28);
	ip6->ip6_plen = htons(sizeof(pkt) - sizeof(*ip6));
	ip6->ip6_nxt = 59;	/* no next header */
	ip6->ip6_hlim = 1;
	inet_pton(AF_INET6, src, &ip6->ip6_src);
	inet_pton(AF_INET6, "ff02::1", &ip6->ip6_dst);
	if (write(fd, pkt, sizeof(pkt)) != (ssize_t)sizeof(pkt))
		perror("bpf_guard_check: write");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int watch(const char *ifname, const char *ipv4)
{
	struct bpf_guard_policy pol = { 0 };
	struct bpf_guard_counters c = { 0 };
	int ifindex = (int)if_nametoindex(ifname), err;
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpf_guard *g;

	if (!ifindex || inet_pton(AF_INET, ipv4, &pol.ipv4) != 1) {
		fprintf(stderr, "bpf_guard_check: bad interface or address\n");
		return 2;
	}
	sigset_t block, old;

	/* Blocked until sigsuspend, so a signal cannot slip in before it. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	err = bpf_guard_open(&g);
	if (!err)
		err = bpf_guard_attach(g, ifindex, &pol);
	if (err) {
		fprintf(stderr, "bpf_guard_check: %s: %s\n", ifname, strerror(-err));
		return 1;
	}
	printf("guarding %s\n", ifname);
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	err = bpf_guard_counters(g, ifindex, &c);
	printf("pass %llu spoofed %llu policed %llu other %llu\n",
	       (unsigned long long)c.pass_packets, (unsigned long long)c.spoofed,
	       (unsigned long long)c.policed, (unsigned long long)c.other);
	err = err ? err : bpf_guard_detach(g, ifindex, &pol);
	bpf_guard_close(g);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct bpf_guard_policy pol = { 0 }, routed, other = { 0 };
	struct bpf_guard_counters c, c2;
	struct bpf_guard *g;
	char name[IFNAMSIZ], name2[IFNAMSIZ];
	int fd, fd2, ifindex = 0, ifindex2 = 0, err, i;
	const uint8_t iid[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };

	if (argc == 4 && !strcmp(argv[1], "watch"))
		return watch(argv[2], argv[3]);
	if (argc != 1) {
		fprintf(stderr, "usage: bpf_guard_check [watch IFNAME IPV4]\n");
		return 2;
	}

	fd = tun_open(name, &ifindex);
	if (fd < 0) {
		fprintf(stderr, "bpf_guard_check: tun: %s\n", strerror(-fd));
		return 1;
	}
	err = bpf_guard_open(&g);
	if (err) {
		fprintf(stderr, "bpf_guard_check: load: %s\n", strerror(-err));
		return 1;
	}
	inet_pton(AF_INET, "192.168.99.10", &pol.ipv4);
	memcpy(pol.ipv6_iid, iid, sizeof(iid));
	err = bpf_guard_attach(g, ifindex, &pol);
	EXPECT(!err, "attach to %s (ifindex %d): %s", name, ifindex, strerror(-err));

	for (i = 0; i < 5; i++)
		send4(fd, "192.168.99.10", 100);
	for (i = 0; i < 3; i++)
		send4(fd, "192.168.99.11", 100);
	send6(fd, "fe80::211:22ff:fe33:4455");
	send6(fd, "fe80::1");
	send6(fd, "2001:db8::211:22ff:fe33:4455");
	err = bpf_guard_counters(g, ifindex, &c);
	EXPECT(!err, "read counters");
	EXPECT(c.pass_packets == 6, "passed %llu packets (want 6: 5 IPv4 + 1 IPv6)",
	       (unsigned long long)c.pass_packets);
	EXPECT(c.pass_bytes == 5 * 100 + 80, "passed %llu bytes (want 580)",
	       (unsigned long long)c.pass_bytes);
	EXPECT(c.spoofed == 5, "dropped %llu spoofed (want 5: 3 IPv4 + 2 IPv6)",
	       (unsigned long long)c.spoofed);

	/* Networks behind the client: 10.77.0.0/16 and 2001:db8:77::/48,
	 * on this interface only. */
	routed = pol;
	routed.prefixes[0].family = AF_INET;
	inet_pton(AF_INET, "10.77.0.0", routed.prefixes[0].addr);
	routed.prefixes[0].plen = 16;
	routed.prefixes[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8:77::", routed.prefixes[1].addr);
	routed.prefixes[1].plen = 48;
	routed.n_prefixes = 2;
	err = bpf_guard_update(g, ifindex, &pol, &routed);
	EXPECT(!err, "route 10.77.0.0/16 and 2001:db8:77::/48 to the session: %s", strerror(-err));
	fd2 = tun_open(name2, &ifindex2);
	inet_pton(AF_INET, "192.168.99.11", &other.ipv4);
	EXPECT(fd2 >= 0 && !bpf_guard_attach(g, ifindex2, &other), "a second session on %s", name2);
	send4(fd, "10.77.3.4", 100);
	send4(fd, "10.78.0.1", 100);
	send6(fd, "2001:db8:77:1::5");
	send6(fd, "2001:db8:78::5");
	send4(fd2, "10.77.3.4", 100);
	bpf_guard_counters(g, ifindex, &c);
	bpf_guard_counters(g, ifindex2, &c2);
	EXPECT(c.pass_packets == 6 + 2, "routed sources passed: %llu in total (want 8)",
	       (unsigned long long)c.pass_packets);
	EXPECT(c.spoofed == 5 + 2, "sources outside them dropped: %llu spoofed (want 7)",
	       (unsigned long long)c.spoofed);
	EXPECT(c2.spoofed == 1 && c2.pass_packets == 0,
	       "another session's prefix is spoofed on %s (%llu)", name2,
	       (unsigned long long)c2.spoofed);
	EXPECT(!bpf_guard_detach(g, ifindex2, &other), "detach %s", name2);
	close(fd2);
	err = bpf_guard_update(g, ifindex, &routed, &pol);
	EXPECT(!err, "take the prefixes away again");
	send4(fd, "10.77.3.4", 100);
	bpf_guard_counters(g, ifindex, &c);
	EXPECT(c.spoofed == 8, "a prefix taken away drops again (spoofed %llu, want 8)",
	       (unsigned long long)c.spoofed);

	/* 10 kB/s with a 3000-byte bucket: 20 x 1000 bytes at once. */
	pol.rate_bytes = 10000;
	pol.burst_bytes = 3000;
	err = bpf_guard_update(g, ifindex, &pol, &pol);
	EXPECT(!err, "set a rate of 10000 B/s, burst 3000");
	for (i = 0; i < 20; i++)
		send4(fd, "192.168.99.10", 1000);
	bpf_guard_counters(g, ifindex, &c);
	EXPECT(c.pass_packets >= 8 + 3 && c.pass_packets <= 8 + 5,
	       "passed %llu in total (want 11..13: the bucket's 3, maybe refilled a little)",
	       (unsigned long long)c.pass_packets);
	EXPECT(c.policed >= 15, "policed %llu (want >= 15)", (unsigned long long)c.policed);

	err = bpf_guard_detach(g, ifindex, &pol);
	EXPECT(!err, "detach: %s", strerror(-err));
	err = bpf_guard_counters(g, ifindex, &c);
	EXPECT(err == -ENOENT, "no policy entry after detach (%s)", strerror(-err));
	err = bpf_guard_detach(g, ifindex, &pol);
	EXPECT(!err, "a second detach is harmless");

	/* The daemon detaches after the interface is gone, too; a detach
	 * takes the session's prefixes with it, so that a new interface with
	 * the same index does not inherit them. */
	pol.rate_bytes = 0;
	EXPECT(!bpf_guard_attach(g, ifindex, &routed), "attach again, with the prefixes");
	EXPECT(!bpf_guard_detach(g, ifindex, &routed), "detach with the prefixes");
	EXPECT(!bpf_guard_attach(g, ifindex, &pol), "attach again, without them");
	send4(fd, "10.77.3.4", 100);
	bpf_guard_counters(g, ifindex, &c);
	EXPECT(c.spoofed == 1 && c.pass_packets == 0,
	       "no prefix left over from the earlier attach (spoofed %llu)",
	       (unsigned long long)c.spoofed);
	close(fd);	/* the tun device goes away */
	EXPECT(!bpf_guard_detach(g, ifindex, &pol), "detach after the interface is gone");
	bpf_guard_close(g);
	printf("%s\n", failed ? "bpf_guard_check: FAILED" : "bpf_guard_check: all checks passed");
	return failed;
}
