#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the test guest (busybox sh). Mounts the host's /usr read-only and
# the project read-write at its host path (both virtio-9p), makes the guest
# merged-/usr so host binaries run unchanged, adds our sstp.ko to the module
# tree through an overlay, runs $VMTEST_CMD and reports its exit status three
# ways: a console marker, a file in the share, and the isa-debug-exit port.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
# The initramfs root comes from a mktemp -d (0700): daemons that drop to
# a user of their own must be able to walk the tree.
chmod 755 /
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
# devtmpfs has no /dev/fd: bash process substitution needs it.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/netns /var/run /var/log /var/lock /var/tmp /sys/fs/bpf
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
echo "VMTEST-BOOT uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"

for m in $(cat /lib/modules/load-order); do
	insmod /lib/modules/$m 2>/dev/null
done

OPTS=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $OPTS,ro,cache=loose hostusr /usr || echo "VMTEST-ERROR no hostusr"
mkdir -p /.initramfs
for d in bin sbin lib lib64; do
	[ -L /$d ] && continue
	[ -e /$d ] && mv /$d /.initramfs/$d
	ln -s usr/$d /$d
done
export PATH=$PATH:/.initramfs/bin:/.initramfs/sbin
SHARE=${VMTEST_DIR:-/mnt}
mkdir -p "$SHARE"
mount -t 9p -o $OPTS,cache=none host0 "$SHARE" || { echo "VMTEST-ERROR no share"; SHARE=; }
ip link set lo up
hostname vmtest

# sstp.ko: the host staged it with a ready depmod index under
# $VMTEST_MODSTAGE/<release>/; overlay that on the host's read-only module
# trees so that plain "modprobe sstp" resolves it. (A kernel the host has
# not installed brings its whole module tree in the stage.)
if [ -n "$VMTEST_MODSTAGE" ] && [ -d "$VMTEST_MODSTAGE" ]; then
	mkdir -p /run/mod/upper /run/mod/work
	cp -r "$VMTEST_MODSTAGE"/. /run/mod/upper/
	mount -t overlay overlay \
		-o lowerdir=/usr/lib/modules,upperdir=/run/mod/upper,workdir=/run/mod/work \
		/usr/lib/modules || echo "VMTEST-ERROR module overlay failed"
fi

echo "VMTEST-START cmd=${VMTEST_CMD:-none} share=${SHARE:-none}"
rc=127
if [ -n "$SHARE" ] && [ -n "$VMTEST_CMD" ]; then
	cd "$SHARE" || exit 1
	export SHARE
	/usr/bin/bash "$VMTEST_CMD" </dev/console
	rc=$?
fi
echo "VMTEST-RESULT rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
[ -n "$SHARE" ] && [ -n "$VMTEST_RCFILE" ] && { echo $rc >"$VMTEST_RCFILE"; sync; }
[ -c /dev/port ] || mknod /dev/port c 1 4
printf "$(printf '\\%03o' $((rc & 127)))" |
	dd of=/dev/port bs=1 seek=244 count=1 conv=notrunc 2>/dev/null
poweroff -f
