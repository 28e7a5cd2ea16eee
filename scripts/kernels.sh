#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernels the VM tests can boot: a readable /boot/vmlinuz and headers to
# build the module against. Oldest first, one per line. A debug kernel
# (KASAN) someone installed is not one of them: it is several times slower
# and has a layer of its own (vm-debug, scripts/debug-kernel/).
for k in $(ls /lib/modules 2>/dev/null | sort -V); do
	[ -r "/boot/vmlinuz-$k" ] && [ -e "/lib/modules/$k/build/Makefile" ] || continue
	grep -qs '^CONFIG_KASAN=y' "/boot/config-$k" "/lib/modules/$k/build/.config" && continue
	echo "$k"
done
exit 0
