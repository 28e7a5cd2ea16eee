/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Least privilege: sstpd starts as root, does what only root may (bind
 * port 443, open the control socket, load sstp.ko, read its keys), then
 * becomes [global] run_as with CAP_NET_ADMIN alone: what tun devices,
 * rtnetlink and sstp.ko's genetlink family ask for. docs/sstpd.md says
 * why each of the others goes.
 */
#ifndef SSTP_PRIVILEGES_H
#define SSTP_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRIVILEGES_DEFAULT_USER	"sstpd"

struct privileges {
	bool drop;			/* become uid/gid */
	uid_t uid;
	gid_t gid;
	char user[64];
	/* run_as = auto without that user: why the daemon stays root */
	char note[128];
};

/* run_as: "auto" (PRIVILEGES_DEFAULT_USER if it exists, else root with a
 * note), "root", or a user that must exist. 0, or -errno and err. */
int privileges_resolve(const char *run_as, struct privileges *p, char *err,
		       size_t errlen);
/*
 * Become p's user (when p->drop and we are root) keeping CAP_NET_ADMIN
 * and nothing else, in every set (effective, permitted, bounding; none
 * inheritable or ambient), with no_new_privs. A daemon that is not root
 * (started by a supervisor as its user) only sheds every other capability.
 * 0, or -errno and err.
 */
int privileges_drop(const struct privileges *p, char *err, size_t errlen);

#endif /* SSTP_PRIVILEGES_H */
