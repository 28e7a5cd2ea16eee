#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The debug guest kernel (KASAN, lockdep, kmemleak, debug objects, netdev
# and netns reference trackers, UBSAN) for the vm-debug layer of make check.
#
#   debug-kernel.sh unpack [DEBS]   verify the two packages in DEBS (default
#                                   ../shared/debug-kernel next to this
#                                   tree) against their SHA256SUMS, unpack
#                                   them under build/debug-kernel/ (once),
#                                   and print "KVER ROOT"; exit 3 when DEBS
#                                   holds no packages
#   debug-kernel.sh build OUTDIR    make the two packages from Debian's
#                                   linux-source-6.12 with debug.config (next
#                                   to this script): about an hour on two
#                                   cores
#
# Unpacked, not installed: the kernel never goes to /boot, so the regular
# vm layer (scripts/kernels.sh) never boots it, and nothing on the host
# changes. tests/vm/run-vm.sh boots it from ROOT (VM_KROOT) and the module
# builds against ROOT/usr/src/linux-headers-KVER.
set -euo pipefail
HERE=$(dirname "$(realpath "$0")")
TOP=$(realpath "$HERE/../..")

unpack() {
	local debs=${1:-$TOP/../shared/debug-kernel} img hdr kver root sums
	img=$(ls "$debs"/linux-image-*-sstp-debug_*.deb 2>/dev/null | sort -V | tail -n1 || true)
	hdr=$(ls "$debs"/linux-headers-*-sstp-debug_*.deb 2>/dev/null | sort -V | tail -n1 || true)
	if [ -z "$img" ] || [ -z "$hdr" ]; then
		echo "debug-kernel: no linux-image/linux-headers *-sstp-debug packages in $debs" >&2
		exit 3
	fi
	if [ -e "$debs/SHA256SUMS" ]; then
		(cd "$debs" && sha256sum --quiet -c SHA256SUMS) >&2 ||
			{ echo "debug-kernel: $debs: checksums do not match" >&2; exit 1; }
	fi
	kver=$(dpkg-deb -f "$img" Package | sed 's/^linux-image-//')
	sums=$(cat "$img" "$hdr" | sha256sum | cut -c1-12)
	root=$TOP/build/debug-kernel/$kver-$sums
	if [ ! -e "$root/.done" ]; then
		rm -rf "$TOP/build/debug-kernel" && mkdir -p "$root"
		dpkg-deb -x "$img" "$root"
		dpkg-deb -x "$hdr" "$root"
		[ -r "$root/boot/vmlinuz-$kver" ] && [ -e "$root/usr/src/linux-headers-$kver/Makefile" ] ||
			{ echo "debug-kernel: $img, $hdr: no kernel or headers inside" >&2; exit 1; }
		touch "$root/.done"
	fi
	echo "$kver $root"
}

build() {
	local out
	out=$(realpath -m "${1:?usage: debug-kernel.sh build OUTDIR}")
	apt-get install -y --no-install-recommends linux-source-6.12 bc bison flex libelf-dev \
		libssl-dev dwarves rsync cpio dpkg-dev debhelper kmod gcc make >/dev/null
	W=$(mktemp -d -t kdebug.XXXXXX)
	tar -C "$W" -xf /usr/src/linux-source-6.12.tar.xz
	cd "$W"/linux-source-6.12
	make -s x86_64_defconfig kvm_guest.config
	scripts/kconfig/merge_config.sh -m .config "$HERE/debug.config" >/dev/null
	make -s olddefconfig
	for o in KASAN PROVE_LOCKING DEBUG_KMEMLEAK TLS PPP DEBUG_INFO_BTF OVERLAY_FS NET_9P_VIRTIO; do
		grep -q "^CONFIG_$o=y" .config || { echo "debug-kernel: CONFIG_$o did not stick" >&2; exit 1; }
	done
	make -j"$(nproc)" all >build.log 2>&1 || { tail -30 build.log; exit 1; }
	DEB_BUILD_PROFILES=pkg.linux-upstream.nokerneldbg \
		make -j"$(nproc)" KDEB_PKGVERSION=1 DPKG_FLAGS=-d INSTALL_MOD_STRIP=1 bindeb-pkg \
		>>build.log 2>&1 || { tail -30 build.log; exit 1; }
	mkdir -p "$out"
	cp ../linux-image-*-sstp-debug_*.deb ../linux-headers-*-sstp-debug_*.deb "$out"/
	cp .config "$out/config-$(make -s kernelrelease)"
	(cd "$out" && sha256sum linux-*.deb >SHA256SUMS)
	rm -rf "$W"
	ls -la "$out"
}

case ${1:-} in
unpack) shift; unpack "$@" ;;
build) shift; build "$@" ;;
*) echo "usage: debug-kernel.sh unpack [DEBS] | build OUTDIR" >&2; exit 2 ;;
esac
