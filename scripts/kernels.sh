#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernels the VM tests can boot: a readable /boot/vmlinuz and headers to
# build the module against. Oldest first, one per line.
for k in $(ls /lib/modules 2>/dev/null | sort -V); do
	[ -r "/boot/vmlinuz-$k" ] && [ -e "/lib/modules/$k/build/Makefile" ] && echo "$k"
done
exit 0
