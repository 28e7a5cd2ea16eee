#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot a Debian kernel under QEMU (TCG) with the project shared over 9p and
# run a command in the guest; by default, the VM test cases.
#
#   run-vm.sh -k KVER [-c CMD] [-t SECONDS] [-m MEM] [-v]
#
# Environment: VM_OUT (own output directory instead of build/vm/KVER),
# VM_TIMEOUT, VM_MEM, VM_TCG_THREAD, VM_DEBUG, VMTESTS, VM_CASE_TIMEOUT,
# VM_MODULES (build: the default, sstp.ko from build/kmod/KVER over the
# guest's module tree; host: the host's module tree as it is, with what
# make install, DKMS or a package put there and its own depmod index).
# VM_KROOT (a kernel unpacked under that root rather than installed:
# ROOT/boot/vmlinuz-KVER and ROOT/lib/modules/KVER; the vm-debug layer's).
#
# The exit status is the guest command's, 124 on a host timeout, and 125 when
# the guest never reported a result (panic, oops=panic, hang at boot): never
# a pass. The console log is $OUT/console.log; on failure its tail
# is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD

KVER= CMD= TMO=${VM_TIMEOUT:-2400} MEM=${VM_MEM:-1536M} SHOW='^(PASS|FAIL|SKIP|vm\[|    )'
while getopts k:c:t:m:v o; do
	case $o in
	k) KVER=$OPTARG ;;
	c) CMD=$OPTARG ;;
	t) TMO=$OPTARG ;;
	m) MEM=$OPTARG ;;
	v) SHOW= ;;	# all guest output but kernel log lines
	*) echo "usage: $0 -k KVER [-c CMD] [-t SECONDS] [-m MEM] [-v]" >&2; exit 2 ;;
	esac
done
[ -n "$KVER" ] || { echo "run-vm: -k KVER is required" >&2; exit 2; }
KROOT=${VM_KROOT:-}
KIMG=$KROOT/boot/vmlinuz-$KVER
MODDIR=$KROOT/lib/modules/$KVER
[ -r "$KIMG" ] || { echo "run-vm: no $KIMG (make deps)" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "run-vm: no qemu (make deps)" >&2; exit 2; }

# VM_OUT gives a run its own directory, so that it need not queue behind
# the test runs (make bench uses that).
OUT=${VM_OUT:-build/vm/$KVER}
mkdir -p "$OUT"
# One guest per directory at a time: runs share build/vm/KVER (the command,
# the module stage, the console log and the case logs).
exec 9>"$OUT/lock"
if ! flock -n 9; then
	echo "run-vm[$KVER]: waiting for another run on this kernel to finish"
	flock 9
fi
CMD=${CMD:-tests/vm/run-cases.sh}

# 1. The initramfs, rebuilt only when its inputs change.
INITRD=$OUT/initramfs.cpio.gz
if [ ! -e "$INITRD" ] || [ tests/vm/init.sh -nt "$INITRD" ] ||
   [ tests/vm/mkinitramfs.sh -nt "$INITRD" ]; then
	tests/vm/mkinitramfs.sh "$KVER" tests/vm/init.sh "$INITRD" "$KROOT"
fi

# 2. sstp.ko plus a depmod index that knows it, laid out as the guest's
# /usr/lib/modules/KVER (which the guest overlays with it; for a kernel
# from VM_KROOT, which the host's /usr does not have, the stage carries its
# whole module tree). depmod over a whole Debian module tree takes seconds,
# and its output depends only on the module's name, dependencies and
# aliases, so it is cached on those.
STAGE=$OUT/modstage/$KVER
KO=$(ls build/kmod/"$KVER"/sstp.ko 2>/dev/null || true)
case ${VM_MODULES:-build} in
build) ;;
host) KO= ;;
*) echo "run-vm: VM_MODULES=$VM_MODULES: build or host" >&2; exit 2 ;;
esac
rm -rf "$OUT/modstage"
mkdir -p "$STAGE"
[ -n "$KROOT" ] && cp -a "$MODDIR"/. "$STAGE"/ && rm -f "$STAGE/build" "$STAGE/source"
if [ -n "$KO" ]; then
	mkdir -p "$STAGE/extra"
	cp "$KO" "$STAGE/extra/sstp.ko"
	key=$(modinfo -F depends "$KO"; modinfo -F alias "$KO"; echo "$KVER")
	key=$(printf '%s' "$key" | sha1sum | cut -c1-16)
	DM=$OUT/depmod-$key
	if [ ! -e "$DM/done" ]; then
		rm -rf "$OUT"/depmod-*
		R=$DM/root/lib/modules/$KVER
		mkdir -p "$R/extra"
		ln -s "$(realpath "$MODDIR/kernel")" "$R/kernel"
		for f in modules.order modules.builtin modules.builtin.modinfo; do
			ln -s "$(realpath "$MODDIR/$f")" "$R/$f"
		done
		cp "$KO" "$R/extra/sstp.ko"
		depmod -b "$DM/root" "$KVER"
		touch "$DM/done"
	fi
	# The symlinked inputs must not shadow the guest's own copies.
	for f in "$DM/root/lib/modules/$KVER"/modules.*; do
		[ -L "$f" ] || cp "$f" "$STAGE/"
	done
fi

# 3. Boot. The guest's environment comes from unknown kernel parameters.
LOG=$OUT/console.log
RCFILE=$OUT/vmtest.rc
rm -f "$RCFILE"
APPEND="console=ttyS0 panic=-1 oops=panic panic_on_warn=0 loglevel=4"
APPEND+=" mitigations=off nokaslr tsc=reliable"
# The 8254 timer check fails now and then under TCG on a loaded host
# ("IO-APIC + timer doesn't work", a panic at 0.016 s): skip it.
APPEND+=" no_timer_check"
[ "${VM_DEBUG:-0}" = 1 ] && APPEND+=" slub_debug=FZPU kfence.sample_interval=10 init_on_free=1"
# The command goes through a file: the kernel command line splits at spaces.
printf '%s\n' "$CMD" >"$OUT/cmd.sh"
APPEND+=" VMTEST_DIR=$TOP VMTEST_CMD=$TOP/$OUT/cmd.sh VMTEST_KVER=$KVER"
APPEND+=" VMTEST_MODSTAGE=$TOP/$OUT/modstage VMTEST_RCFILE=$TOP/$RCFILE"
[ -n "${VMTESTS:-}" ] && APPEND+=" VMTESTS=${VMTESTS// /,}"
[ -n "${VM_CASE_TIMEOUT:-}" ] && APPEND+=" VM_CASE_TIMEOUT=$VM_CASE_TIMEOUT"

# Single-threaded TCG by default: with thread=multi, a vCPU can still run a
# stale translation of kernel text that another vCPU just live-patched
# (static keys, text_poke_bp), and the guest dies of an "int3" oops, e.g.
# in __netif_receive_skb_core when a tc filter is attached (seen in CI).
# Two vCPUs interleaved on one host thread keep SMP coverage without that.
# VM_TCG_THREAD=multi for throughput runs (make bench).
set +e
timeout --foreground -k 5 "$TMO" qemu-system-x86_64 \
	-accel tcg,thread=${VM_TCG_THREAD:-single} -cpu max -smp 2 -m "$MEM" \
	-nographic -no-reboot -nodefaults -serial stdio -display none \
	-kernel "$KIMG" -initrd "$INITRD" -append "$APPEND" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-fsdev local,id=fs0,path="$TOP",security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=fs0,mount_tag=host0 \
	-fsdev local,id=fs1,path=/usr,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=fs1,mount_tag=hostusr \
	</dev/null >"$LOG" 2>&1 &
qpid=$!
# Show the guest's per-case lines as they come.
if [ -n "$SHOW" ]; then
	tail -n +1 -F --pid=$qpid "$LOG" 2>/dev/null | grep --line-buffered -aE "$SHOW" &
else
	tail -n +1 -F --pid=$qpid "$LOG" 2>/dev/null |
		grep --line-buffered -avE '^(VMTEST-|\[ *[0-9]+\.[0-9]+\]|.*(SeaBIOS|Booting from|Probing EDD))' &
fi
tpid=$!
wait $qpid
qrc=$?
wait $tpid 2>/dev/null
set -e

rc=$(sed -n 's/.*VMTEST-RESULT rc=\([0-9]*\).*/\1/p' "$LOG" | tail -n1)
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "run-vm[$KVER]: host timeout after ${TMO}s; console tail:"
	tail -n 40 "$LOG" | sed 's/^/    /'
	exit 124
fi
if [ -z "$rc" ]; then
	echo "run-vm[$KVER]: the guest reported no result (panic or hang); console tail:"
	tail -n 60 "$LOG" | sed 's/^/    /'
	exit 125
fi
# The three channels must agree: QEMU exits (rc << 1) | 1 via isa-debug-exit.
if [ "$qrc" != $(( ((rc & 127) << 1) | 1 )) ] ||
   [ "$(cat "$RCFILE" 2>/dev/null)" != "$rc" ]; then
	echo "run-vm[$KVER]: inconsistent result (console rc=$rc, qemu $qrc," \
		"file $(cat "$RCFILE" 2>/dev/null))"
	tail -n 40 "$LOG" | sed 's/^/    /'
	exit 125
fi
if grep -qE 'Kernel panic|BUG:|Oops|WARNING:|KASAN|UBSAN|ref_tracker|unregister_netdevice: waiting|suspected memory leak' "$LOG"; then
	echo "run-vm[$KVER]: kernel problem in the console log:"
	grep -m5 -A20 -E 'Kernel panic|BUG:|Oops|WARNING:|KASAN|UBSAN|ref_tracker|unregister_netdevice: waiting|suspected memory leak' "$LOG" | sed 's/^/    /'
	[ "$rc" = 0 ] && rc=1
fi
exit "$rc"
