#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the guest's initramfs for one kernel: busybox-static, /init, and just
# the modules needed to mount the host's /usr and the project over virtio-9p
# (plus overlayfs, used to add sstp.ko to the module tree). Everything else
# (bash, ip, iperf3, pppd, the kernel's own modules, our test tools) comes
# from the host's /usr, shared read-only, so the image depends only on the
# kernel and is built once.
#
# Usage: mkinitramfs.sh KVER INIT OUT [KROOT]
# (KROOT: a kernel unpacked under that root, not installed.)
set -euo pipefail
KVER=$1 INIT=$2 OUT=$3 KROOT=${4:-}

ST=$(mktemp -d)
trap 'rm -rf "$ST"' EXIT
mkdir -p "$ST"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,mnt,root,var}
cp /bin/busybox "$ST/bin/busybox"
for a in $("$ST/bin/busybox" --list-full); do
	[ -e "$ST/$a" ] || ln -s /bin/busybox "$ST/$a"
done
# Host binaries use /etc/alternatives links (awk -> mawk, ...).
cp -a /etc/alternatives "$ST/etc/"
install -m 0755 "$INIT" "$ST/init"

# The 9p stack and overlayfs, with their dependencies, uncompressed so that
# busybox insmod can load them before /usr is there.
MODS="virtio_pci 9p 9pnet_virtio overlay"
# A kernel that has them built in needs none of them.
mkdir -p "$ST/lib/modules"
: >"$ST/lib/modules/load-order"
modprobe ${KROOT:+-d "$KROOT"} -S "$KVER" --show-depends -a $MODS | while read -r cmd path _; do
	[ "$cmd" = insmod ] || continue
	name=$(basename "${path%.xz}")
	[ -e "$ST/lib/modules/$name" ] && continue
	case $path in
	*.xz) xz -dc "$path" >"$ST/lib/modules/$name" ;;
	*) cp "$path" "$ST/lib/modules/$name" ;;
	esac
	echo "$name" >>"$ST/lib/modules/load-order"
done

mkdir -p "$(dirname "$OUT")"
(cd "$ST" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
