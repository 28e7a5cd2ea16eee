// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_ppp.h>
#include <linux/ppp_defs.h>

#include "link/ppp_dev.h"

static int ppp_dev_open(void)
{
	int fd = open("/dev/ppp", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int ppp_dev_attach_channel(unsigned int index)
{
	int idx = (int)index, fd, err;

	fd = ppp_dev_open();
	if (fd < 0)
		return fd;
	if (ioctl(fd, PPPIOCATTCHAN, &idx) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int ppp_dev_set_pass(int unit_fd, uint16_t ppp_proto, bool pass)
{
	struct npioctl npi = {
		.protocol = ppp_proto,
		.mode = pass ? NPMODE_PASS : NPMODE_DROP,
	};

	return ioctl(unit_fd, PPPIOCSNPMODE, &npi) < 0 ? -errno : 0;
}

int ppp_dev_new_unit(int *unit)
{
	int fd, err;

	fd = ppp_dev_open();
	if (fd < 0)
		return fd;
	*unit = -1;
	if (ioctl(fd, PPPIOCNEWUNIT, unit) < 0) {
		err = -errno;
		goto err;
	}
	/* ppp_generic starts every protocol at NPMODE_PASS. */
	err = ppp_dev_set_pass(fd, PPP_IP, false);
	if (!err)
		err = ppp_dev_set_pass(fd, PPP_IPV6, false);
	if (err)
		goto err;
	return fd;
err:
	close(fd);
	return err;
}

int ppp_dev_connect(int chan_fd, int unit)
{
	return ioctl(chan_fd, PPPIOCCONNECT, &unit) < 0 ? -errno : 0;
}
