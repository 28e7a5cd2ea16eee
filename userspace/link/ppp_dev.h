/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /dev/ppp: the two file descriptors a kernel PPP session needs, as pppd
 * uses them. The channel fd (PPPIOCATTCHAN) sends and receives the link
 * protocols (LCP, authentication); the unit fd (PPPIOCNEWUNIT) owns the
 * pppN network interface and receives the network control protocols
 * (IPCP, IPV6CP) once the channel is connected to it. Frames read from
 * either start with the 2-byte PPP protocol (no FF 03); frames written to
 * the channel fd go to the peer as they are, whatever their protocol.
 */
#ifndef SSTP_PPP_DEV_H
#define SSTP_PPP_DEV_H

#include <stdbool.h>
#include <stdint.h>

/* Attach to channel `index`: an fd, or -errno. */
int ppp_dev_attach_channel(unsigned int index);
/* A new unit (interface "pppN") with IPv4 and IPv6 at NPMODE_DROP, so
 * that no data moves until ppp_dev_set_pass() says so: an fd or -errno;
 * *unit gets N. */
int ppp_dev_new_unit(int *unit);
/* Connect the attached channel to the unit. */
int ppp_dev_connect(int chan_fd, int unit);
/* Let IPv4 / IPv6 through the unit (true) or drop it (false). */
int ppp_dev_set_pass(int unit_fd, uint16_t ppp_proto, bool pass);

#endif /* SSTP_PPP_DEV_H */
