// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "daemon/privileges.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT			47
#define PR_CAP_AMBIENT_CLEAR_ALL	4
#endif

/* The capabilities sstpd keeps: tun devices, rtnetlink, sstp.ko. */
#define PRIVILEGES_KEEP		CAP_NET_ADMIN

int privileges_resolve(const char *run_as, struct privileges *p, char *err,
		       size_t errlen)
{
	const char *name = run_as;
	struct passwd *pw;

	memset(p, 0, sizeof(*p));
	if (!strcmp(run_as, "root"))
		return 0;
	if (!strcmp(run_as, "auto"))
		name = PRIVILEGES_DEFAULT_USER;
	errno = 0;
	pw = getpwnam(name);
	if (!pw) {
		if (!strcmp(run_as, "auto")) {
			snprintf(p->note, sizeof(p->note), "run_as = auto: no user '%s', "
				 "staying root (create it, or set run_as)", name);
			return 0;
		}
		snprintf(err, errlen, "run_as = %s: %s", run_as,
			 errno ? strerror(errno) : "no such user");
		return -ENOENT;
	}
	if (!pw->pw_uid) {
		snprintf(err, errlen, "run_as = %s: that is root (say run_as = root)", run_as);
		return -EINVAL;
	}
	p->drop = true;
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	snprintf(p->user, sizeof(p->user), "%s", name);
	return 0;
}

static int privileges_capset(uint32_t keep)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	data[0].effective = data[0].permitted = keep;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int privileges_drop(const struct privileges *p, char *err, size_t errlen)
{
	int cap, ret;
	bool root = !geteuid();

	/* The bounding set first: CAP_SETPCAP goes last, with the rest. */
	for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (cap == PRIVILEGES_KEEP || !prctl(PR_CAPBSET_READ, cap, 0, 0, 0))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
			/* Without CAP_SETPCAP (a supervisor took it) the
			 * bounding set is the supervisor's business. */
			if (errno == EPERM)
				break;
			snprintf(err, errlen, "bounding set: %s", strerror(errno));
			return -errno;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL) {
		snprintf(err, errlen, "ambient capabilities: %s", strerror(errno));
		return -errno;
	}
	if (p->drop && root) {
		/* Keep the permitted set across setuid(); the effective set
		 * is cleared by it and put back below. */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    setgroups(1, &p->gid) || setresgid(p->gid, p->gid, p->gid) ||
		    setresuid(p->uid, p->uid, p->uid)) {
			ret = -errno;
			snprintf(err, errlen, "becoming %s (uid %u): %s", p->user,
				 (unsigned int)p->uid, strerror(errno));
			return ret;
		}
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
	ret = privileges_capset(1u << PRIVILEGES_KEEP);
	if (ret) {
		snprintf(err, errlen, "capabilities: %s", strerror(-ret));
		return ret;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
