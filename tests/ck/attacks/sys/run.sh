#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run.sh [--ck-dir DIR] [--only PATTERN]
#
# Runs the syscall- and memory-level attacks on ck (tests/ck/attacks/sys/,
# built by its Makefile) INSIDE the test VM, each twice: under the real ck
# (DIR/ck, default shim/guest/build) it must be blocked, and under its
# mutant (DIR/mutants/NAME/ck, which lacks the one matching check) it must
# get through. Success is judged by an oracle, never by a return code:
#   out    the program printed "ORACLE: ..." (ck_canary's value seen, ck's
#          memory or fds changed, a host object answering, a mapping in
#          /proc/self/maps), or ck printed "canary CLOBBERED" at exit;
#   stats  ck --stats counted fewer program syscalls than the program made
#          (the program zeroed ck_stats);
#   load   blocked = ck refused to load the program, naming the file and
#          an offset that holds the pattern, exit 126; through = "ORACLE:".
#   emul   blocked = the program ran with its kind-1 site rewritten and
#          emulated, and its read of ck_canary faulted (exit 139);
#          through = "ORACLE:".
#   lib    blocked = ck refused a library (the row's last argument, mapped
#          by the program or by ld.so for LD_PRELOAD), naming it and an
#          offset that holds the pattern, and the program exited 0;
#          through = "ORACLE:".
#   over   blocked = ck refused to load the program, naming the file and
#          a segment over its own memory, exit 126; through = "ORACLE:";
#   bounds the same for a segment whose size or offset is out of range.
#   exec   blocked = ck refused to run the program ("cannot run:
#          Permission denied", exit 126); through = "ORACLE:".
# Blocked also needs the program to say every step was refused (exit 0),
# or to have been killed, with no oracle met.
# TAP, two lines per attack; rows with a todo are known problems in ck
# (reported; "# TODO" until ck is fixed). Exit 1 on any other not ok.
# Addresses inside ck (ck_canary, ck_tblk, ck_stats, .rodata, ck_proc) are
# taken from the exact binary under test with readelf (ck_proc.lock's
# offset from the real ck's debug information with gdb).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
ck_dir=$repo/shim/guest/build
only=
while [ $# -gt 0 ]; do
	case $1 in
	--ck-dir) ck_dir=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	*) echo "usage: run.sh [--ck-dir DIR] [--only PATTERN]" >&2; exit 2 ;;
	esac
done
bin=$here/build
timeout_s=${CK_RUN_TIMEOUT:-60}
for f in "$ck_dir/ck" "$bin/sysatk" "$bin/mtatk"; do
	[ -x "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

work=$(mktemp -d /tmp/ck-sysatk.XXXXXX)
tracee=
proc2=$work/proc2
noexec=$work/noexec
cleanup() {
	[ -z "$tracee" ] || kill "$tracee" 2>/dev/null || true
	umount "$proc2" 2>/dev/null || true
	umount "$noexec" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
sleep 3600 &
tracee=$!
# procfs a second time, elsewhere (a container could see it that way).
mkdir "$proc2" && mount -t proc proc "$proc2" ||
	{ echo "Bail out! cannot mount procfs at $proc2"; exit 1; }
# A noexec mount holding a copy of sysatk, and a copy without x bits.
mkdir "$noexec" && mount -t tmpfs -o noexec tmpfs "$noexec" &&
	cp "$bin/sysatk" "$noexec/sysatk" &&
	cp "$bin/sysatk" "$work/sysatk-nox" && chmod 0644 "$work/sysatk-nox" ||
	{ echo "Bail out! cannot set up the noexec mount at $noexec"; exit 1; }

# name | mutant | oracle | todo | program and arguments
# (program "sysatk" is build/sysatk, "mtatk" build/mtatk; "pat-X" is
# build/pat-X; "@WORK@/X" is X in the work directory; an argument
# "@BIN@/X" is build/X)
rows='
write-pipe-from-canary|USER_PKRU|out||sysatk write-leak
read-pipe-into-canary|USER_PKRU|out||sysatk read-clobber
read-pipe-into-K2-tblk|USER_PKRU|out||sysatk read-k2
clock_gettime-into-canary|USER_PKRU|out||sysatk into-canary clock_gettime
getrandom-into-canary|USER_PKRU|out||sysatk into-canary getrandom
uname-into-canary|USER_PKRU|out||sysatk into-canary uname
fstat-into-canary|USER_PKRU|out||sysatk into-canary fstat
pread-into-canary|USER_PKRU|out||sysatk into-canary pread
rt_sigaction-oldact-into-canary|USER_PKRU|out||sysatk into-canary rt_sigaction
rt_sigprocmask-oldset-into-canary|USER_PKRU|out||sysatk into-canary rt_sigprocmask
ioctl-fd-1021|FD_HIDE|out||sysatk fd ioctl
close-fd-1022|FD_HIDE|out||sysatk fd close
dup3-onto-fd-1022|FD_HIDE|out||sysatk fd dup3-onto
dup2-onto-fd-1022|FD_HIDE|out||sysatk fd dup2-onto
dup2-from-fd-1021|FD_HIDE|out||sysatk fd dup2-from
dup-fd-1021|FD_HIDE|out||sysatk fd dup
fcntl-dupfd-fd-1021|FD_HIDE|out||sysatk fd fcntl
mmap-fd-1022|FD_HIDE|none||sysatk fd mmap
close_range-over-ck-fds|CLOSE_RANGE|out||sysatk fd close_range
close_range-high-bits-over-ck-fds|CLOSE_RANGE|out||sysatk fd close_range-hi
pidfd_getfd-fd-1021|DENYLIST|out||sysatk fd pidfd_getfd
scm_rights-fd-1021|SCM_RIGHTS|out||sysatk fd scm_rights
open-proc-self-fd-1021|PROC_MEM|out||sysatk fd procfd
open-proc-self-fd-1023-new-slot-memfd|PROC_MEM|out||sysatk fd procfd-slot
getdents64-proc-self-fd-names-left-in-K2|K2_READS|out||sysatk k2names
fork-child-raw-syscall-first|FORK_SUD|out||sysatk fork raw
fork-child-on-parents-cell|FORK_CELL|out||sysatk fork cell
utimensat-proc-self-fd-1021|FD_HIDE|out||sysatk fd utimes
linkat-proc-self-fd-1021-into-dev|FD_HIDE|out||sysatk fd link
open-dev-paracell|PROC_MEM|out||sysatk fd devnode
mmap-fixed-over-canary|CK_RANGES|out||sysatk mem mmap-fixed
mprotect-ck-rodata-rw|CK_RANGES|out||sysatk mem mprotect-rodata
munmap-canary|CK_RANGES|out||sysatk mem munmap
madvise-dontneed-ck_stats|CK_RANGES|stats||sysatk mem madvise
mremap-dest-over-canary|CK_RANGES|out||sysatk mem mremap-dst
mremap-source-canary|CK_RANGES|out||sysatk mem mremap-src
pkey_mprotect-canary|DENYLIST|out||sysatk mem pkey_mprotect
shmat-remap-over-canary|DENYLIST|out||sysatk mem shmat
arch_prctl-map-vdso|DENYLIST|out||sysatk vdso
open-proc-self-mem|PROC_MEM|out||sysatk procmem self
open-proc-thread-self-mem|PROC_MEM|out||sysatk procmem thread-self
open-proc-pid-mem|PROC_MEM|out||sysatk procmem pid
openat-proc-self-dirfd-mem|PROC_MEM|out||sysatk procmem dirfd
open-tmp-symlink-to-mem|PROC_MEM|out||sysatk procmem symlink
open-mem-opath-then-reopen|PROC_MEM|out||sysatk procmem opath
open-mem-on-second-procfs-mount|PROC_MEM|out||sysatk procmem proc2
process_vm_writev-canary|DENYLIST|out||sysatk denied pvm_writev
process_vm_readv-canary|DENYLIST|out||sysatk denied pvm_readv
ptrace-seize|DENYLIST|out||sysatk denied ptrace
rseq-register|DENYLIST|out||sysatk denied rseq
rseq-over-ck-text|DENYLIST|none||sysatk denied rseq-cktext
io_uring_setup|DENYLIST|out||sysatk denied io_uring_setup
userfaultfd|DENYLIST|out||sysatk denied userfaultfd
userfaultfd-dev-over-K2|IOCTL|out||sysatk uffd
fcntl-setsig-sigsys|SIGNALS|out||sysatk sigsys setsig
fcntl-setsig-sigsys-high-bits|SIGNALS|out||sysatk sigsys setsig-hi
timer_create-sigsys|SIGNALS|out||sysatk sigsys timer
rt_sigqueueinfo-segv-fault-code-to-itself|QUEUE_CODE|out||sysatk fakefault pid
sigaltstack-on-canary|CK_RANGES|out||sysatk altstack canary
sigaltstack-on-K2-tblk|CK_RANGES|out||sysatk altstack tblk
sigaltstack-ending-in-canary|CK_RANGES|out||sysatk altstack overlap
mmap-anon-rwx|WX|out||sysatk wx mmap-rwx
mmap-anon-rx-is-a-seal|WX|out||sysatk wx mmap-rx
mprotect-rw-to-rwx|WX|out||sysatk wx mprotect-rwx
mprotect-rw-to-rx-jit-page-with-wrpkru|WX|out||sysatk wx mprotect-rx
jit-page-with-wrpkru-sealed-unscanned|JIT_SCAN|out||sysatk wx mprotect-rx
mmap-exec-file-with-wrpkru|LOAD_SCAN|out||sysatk exec-file
load-text-with-wrpkru|LOAD_SCAN|emul||pat-wrpkru
load-text-with-xrstor|LOAD_SCAN|emul||pat-xrstor
load-text-with-wrfsbase|LOAD_SCAN|load||pat-wrfsbase
load-text-with-wrgsbase|LOAD_SCAN|load||pat-wrgsbase
load-segment-over-ck-text|CK_RANGES|over||overlay
load-segment-size-wraps|LOAD_BOUNDS|bounds||wrapload
mmap-exec-file-on-noexec-mount|NOEXEC|out||sysatk noexec mmap
run-program-from-noexec-mount|NOEXEC|exec||@WORK@/noexec/sysatk noexec run
thr-clone-child-cleartid-at-canary|TID_ADDR+USER_PKRU|out||sysatk thr cleartid
thr-set_tid_address-canary-at-thread-exit|CK_RANGES+USER_PKRU|out||sysatk thr tidaddr
thr-raw-clone-first-raw-syscall|THREAD_SUD|out||sysatk thr rawfirst
run-program-without-x-bit|NOEXEC|exec||@WORK@/sysatk-nox noexec run
execve-from-noexec-mount|NOEXEC|out||sysatk exec noexec
execve-without-x-bit|NOEXEC|out||sysatk exec nox
execve-then-raw-syscall-first|EXEC_SUD|out||sysatk exec raw
execveat-ck-self-fd-1020-forged-options|FD_HIDE|out||sysatk exec selffd
sig-handler-frame-on-canary-page|SIGFRAME|out||sigatk frame-k
sig-handler-returns-pkru0-in-ucontext|SIGRETURN_HOST|out||sigatk sigret-pkru
sig-handler-returns-rip-in-ck-text|SIGRETURN_HOST|none||sigatk sigret-rip
sig-handler-returns-tf-set|SIGRETURN_HOST|none||sigatk sigret-tf
sig-handler-returns-iopl-vm-nt-and-sigsys-mask|SIGRETURN_HOST|none||sigatk sigret-flags
sig-storm-while-a-thread-is-in-ck|SIGMASK|out||sigatk storm
intr-copy-window-fault-is-efault|COPY_FAULT|out||intratk copyfault
intr-nested-frame-rewritten-on-altstack|INTR_SIGRETURN|out||intratk altstack
intr-sent-segv-unarmed-frame-rewritten|UNARMED_SIGRETURN|out||intratk unarmed
intr-sent-segv-deferred-beside-other-threads|UNARMED_DEFER_MT|out||intratk unarmed
sig-handler-installed-while-threads-are-in-ck|SIG_INSTALL|out||sigatk install
site-jump-kind2-wrpkru-in-a-library|LOAD_SCAN|lib||siteatk k2 @BIN@/libk2.so
site-jump-kind3-wrpkru-in-a-data-page|LOAD_SCAN|out||siteatk k3 @BIN@/libk3.so
site-wrpkru-across-two-code-mappings|LOAD_SCAN|out||siteatk junction @BIN@/junction.bin
site-ld_preload-of-a-kind2-library|LOAD_SCAN|lib||siteatk preload @BIN@/libk2pre.so
site-xrstor-emulation-asked-pkru-0|XRSTOR_PKRU|none||xrpk
detour-step-into-libnettle-kind2-wrpkrus|DETOUR_KEEP|out||siteatk step /usr/lib/x86_64-linux-gnu/libnettle.so.8
detour-step-into-node-kind2-xrstor|DETOUR_KEEP|out||siteatk step /usr/bin/node
detour-step-into-the-middle-of-a-trampoline|DETOUR_KEEP|none||siteatk tramp @BIN@/libk2r.so
detour-fault-in-a-trampoline-seen-at-its-site|DETOUR_RIP|out||siteatk fault @BIN@/libk2r.so
site-jump-wrgsbase-core-without-f3-in-git|LOAD_SCAN|none||siteatk core /usr/bin/git
site-jump-wrgsbase-core-without-f3-in-libcrypto|LOAD_SCAN|none||siteatk core /usr/lib/x86_64-linux-gnu/libcrypto.so.3
vfork-child-writes-parent-robust-list-into-K2-then-exec|VFORK_EXEC|out||mtatk vfork robust
futex-requeue-program-waiter-onto-ck-lock|FUTEX_ADDR|out||mtatk futex requeue
futex-wait-on-canary|FUTEX_ADDR+USER_PKRU|out||mtatk futex wait-canary
futex-wake_op-uaddr2-canary|FUTEX_ADDR+USER_PKRU|out||mtatk futex wake_op-canary
futex_waitv-on-canary|FUTEX_ADDR+USER_PKRU|out||mtatk futex waitv-canary
toctou-sendmsg-scm-rights-fd-flipped-to-1021|TOCTOU|out||mtatk toctou sendmsg
toctou-file-rewritten-while-ck-seals-it|SEAL_REREAD|out||mtatk toctou seal-file
seal-found-after-its-file-was-rewritten|SEAL_VARIANT|none||siteatk stale -
seal-found-for-other-bytes-than-the-file-holds|SEAL_VARIANT|out||siteatk-nosep variant @BIN@/siteatk-nosep
thr-set_tid_address-K2-selector-at-thread-exit|CK_RANGES+USER_PKRU|out||mtatk tid selector
thr-robust-list-entry-in-K2-at-thread-exit|USER_PKRU|out||mtatk tid robust
'

# Known problems in ck, reported to its author (rows marked real: the real
# ck lets the attack through; mutant: the mutant cannot show it).
why_todo() {
	case $1 in
	*) echo "" ;;	# none open now
	esac
}

# Why some rows have no mutant oracle (oracle "none"): printed as SKIP.
why_none() {
	case $1 in
	mmap-fd-1022) echo "neither /dev/paracell nor a cell fd implements mmap: the host call fails whatever ck does, so no effect can show" ;;
	rseq-over-ck-text) echo "the host refuses it too (EFAULT: ck's text is not writable), so no effect can show; rseq-register shows rseq getting through DENYLIST" ;;
	sig-handler-returns-rip-in-ck-text) echo "any RIP is restored, as Linux does; it runs under the user PKRU with the selector BLOCK like a jump there (the gate suite's jump rows); the host's own rt_sigreturn gives the same" ;;
	sig-handler-returns-tf-set) echo "TF is the program's to set (Linux's FIX_EFLAGS); the row shows the single step never reports ck's trampoline; no check to remove makes it do so" ;;
	sig-handler-returns-iopl-vm-nt-and-sigsys-mask) echo "the host's rt_sigreturn filters the same flags and the exit drops SIGSYS from the mask: a second wall no mutant removes" ;;
	detour-step-into-the-middle-of-a-trampoline)
		echo "a trampoline's bytes are the seal's scan's to check, as any code's: a mutant leaving a pattern there is LOAD_SCAN; DETOUR_KEEP leaves the site unpatched, so there is no trampoline to reach (the step rows show it getting through)" ;;
	site-xrstor-emulation-asked-pkru-0)
		echo "XRSTOR_PKRU drops the emulation's PKRU mask and the row still sees the program's PKRU: every return to the program writes ck's PKRU into the frame (set_frame_pkru) and the exit trampoline's WRPKRU loads the program's, two walls behind the mask" ;;
	seal-found-after-its-file-was-rewritten)
		echo "the key's file part is the module's (the inode it holds and its stat), no check of ck's: module mutant SEAL_LOOKUP_STAMP ignores the stat, and tests/kselftest/mutants.sh requires the seal_lookup rows of a written file to fail against it" ;;
	site-jump-wrgsbase-core-without-f3-*)
		echo "ck maps the file (the core is no pattern) and no check of ck's is involved: the jump runs the core without its F3, #UD (SIGILL) under any ck" ;;
	esac
}

# ck_canary, ck_tblk, ck_stats and .rodata of a ck binary (key: a name
# for it), computed once per binary into addr_KEY. Process starts are slow
# in the VM (TCG, 9p): everything per run below is shell builtins.
addrs() {	# key binary (a combined mutant's + becomes _)
	set -- "$(echo "$1" | tr + _)" "$2"
	eval "v=\${addr_$1:-}"
	if [ -z "$v" ]; then
		v=$(readelf -sSW "$2" | awk '
			$8 == "ck_canary" { c = $2 } $8 == "ck_tblk" { t = $2 }
			$8 == "ck_stats" { s = $2 } $8 == "ck_proc" { p = $2 }
			$8 == "ck_gate_site_fwd_ck" { g = $2 }
			$2 == ".rodata" { r = $4 } $3 == ".rodata" { r = $5 }
			END { print c, t, s, r, g, p }')
		eval "addr_$1=\$v"
	fi
	set -- $v
	a_canary=$1 a_tblk=$2 a_stats=$3 a_rodata=$4 a_site=$5
	a_lock=$(printf '%x' $((0x$6 + lock_off)))
}
# ck_proc.lock's offset in ck_proc (the same in every build of a tree).
lock_off=$(gdb -batch -ex 'print (long)&ck_proc.lock - (long)&ck_proc' \
	"$ck_dir/ck" 2>/dev/null | sed -n 's/^\$1 = //p')
[ -n "$lock_off" ] || { echo "Bail out! gdb cannot find ck_proc.lock in $ck_dir/ck"; exit 1; }

n=0
ok() {	# result text [todo]
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2${3:+ # TODO $3}"
	else
		echo "not ok $n - $2${3:+ # TODO $3}"
		[ -n "${3:-}" ] || : >"$work/failed"
	fi
	echo "$n" >"$work/count"
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
	echo "$n" >"$work/count"
}

diag() {	# file: its lines as TAP diagnostics
	sed 's/^/#   /' "$1" | head -20
}

# run KEY CK PROG ARGS...: sets rc and, from the output (builtins only):
# oracles, blocked ("; "-joined lines), clobbered, handled, loadline.
run() {
	addrs "$1" "$2"
	ckbin=$2
	prog=$3
	shift 3
	rc=0
	# The trap path (--no-direct): the programs' raw syscalls must stay
	# raw, which ck would rewrite from their .eh_frame (docs/xgate.md);
	# the direct gate's attacks are tests/ck/attacks/direct.
	CK_CANARY=$a_canary CK_TBLK=$a_tblk CK_STATS=$a_stats \
	CK_RODATA=$a_rodata CK_SITE=$a_site CK_LOCK=$a_lock TRACEE=$tracee PROC2=$proc2 NOEXEC=$noexec \
		timeout -k 5 "$timeout_s" "$ckbin" --stats --no-direct -- "$prog" "$@" \
		>"$work/out" 2>"$work/err" </dev/null || rc=$?
	oracles= blocked= clobbered= handled= loadline= overline= execline=
	while IFS= read -r l; do
		case $l in
		"ORACLE: "*) oracles="${oracles:+$oracles; }${l#ORACLE: }" ;;
		"blocked: "*) blocked="${blocked:+$blocked; }${l#blocked: }" ;;
		esac
	done <"$work/out"
	while IFS= read -r l; do
		case $l in
		*"canary CLOBBERED"*) clobbered=1 ;;
		"ck: stats: handled="*)
			handled=${l#ck: stats: handled=}
			handled=${handled%% *} ;;
		*"forbidden instruction"*) loadline=${loadline:-$l} ;;
		*"lies over the container kernel's memory"* | \
		*"address, size or offset is out of range"*)
			overline=${overline:-$l} ;;
		*": cannot run: Permission denied") execline=${execline:-$l} ;;
		esac
	done <"$work/err"
}

oracle_met() {	# kind -> 0 if the oracle is met in the last run
	case $1 in
	out|lib) [ -n "$oracles" ] || [ -n "$clobbered" ] ;;
	stats) [ -n "$handled" ] && [ "$handled" -lt 300 ] ;;
	load|emul|over|bounds|exec) [ -n "$oracles" ] ;;
	*) return 1 ;;
	esac
}

oracle_text() {
	t=$oracles
	[ -z "$clobbered" ] || t="${t:+$t; }ck: canary CLOBBERED"
	[ "$kind" != stats ] || [ -z "$handled" ] ||
		t="${t:+$t; }ck --stats: handled=$handled after 300+ program syscalls"
	echo "$t"
}

# ck's refusal line names FILE and an offset of FILE holding a pattern.
names_pattern() {	# file
	case $loadline in
	"ck: $1: forbidden instruction ("*") at file offset 0x"*) ;;
	*) return 1 ;;
	esac
	off=${loadline##*at file offset 0x}
	off=${off%%:*}
	bytes=$(od -An -tx1 -j "$((0x$off))" -N 5 "$1")
	set -- $bytes
	case $1$2$3$4$5 in
	0f01ef*|0fae*|f3??0fae*|f30fae*) return 0 ;;
	esac
	return 1
}
# For "load" rows: ck refused, named the file and an offset holding the
# pattern, exit 126.
load_refused() {	# prog
	[ "$rc" = 126 ] && names_pattern "$1"
}

echo "TAP version 13"
start=$(date +%s)
echo "$rows" | while IFS='|' read -r name mutant kind todo cmd; do
	[ -n "$name" ] || continue
	case $name in ${only:-*}) ;; *) continue ;; esac
	set -- $cmd
	case $1 in
	@WORK@/*) prog=$work/${1#@WORK@/} ;;
	*) prog=$bin/$1 ;;
	esac
	shift
	args=
	for a in "$@"; do
		case $a in @BIN@/*) a=$bin/${a#@BIN@/} ;; esac
		args="$args $a"
	done
	set -- $args
	todo_text= mtodo_text=
	[ "$todo" != real ] || todo_text=$(why_todo "$name")
	[ "$todo" != mutant ] || mtodo_text=$(why_todo "$name")

	# 1. the real ck: blocked
	run real "$ck_dir/ck" "$prog" "$@"
	if [ "$kind" = emul ]; then
		# a kind-1 site in a program ck can classify (its .eh_frame):
		# rewritten and emulated, so the program runs on and its read
		# of ck_canary faults under its own PKRU
		if [ "$rc" = 139 ] && grep -q '^loaded: pattern' "$work/out" && ! oracle_met emul; then
			ok ok "$name: blocked by ck (rewritten and emulated: the canary read faults, SIGSEGV)"
		else
			ok "not ok" "$name: blocked by ck (exit $rc)"
			diag "$work/out"; diag "$work/err"
		fi
	elif [ "$kind" = load ]; then
		if load_refused "$prog" && ! oracle_met load; then
			ok ok "$name: blocked by ck (${loadline#ck: $repo/})"
		else
			ok "not ok" "$name: blocked by ck (exit $rc)"
			diag "$work/out"; diag "$work/err"
		fi
	elif [ "$kind" = exec ]; then
		if [ "$rc" = 126 ] && [ -n "$execline" ] && ! oracle_met exec; then
			ok ok "$name: blocked by ck (${execline#ck: $work/})"
		else
			ok "not ok" "$name: blocked by ck (exit $rc)"
			diag "$work/out"; diag "$work/err"
		fi
	elif [ "$kind" = over ] || [ "$kind" = bounds ]; then
		case $kind:$overline in
		"over:ck: $prog: segment at 0x"*" lies over "*) ;;
		"bounds:ck: $prog: a segment's "*" out of range") ;;
		*) overline= ;;
		esac
		if [ "$rc" = 126 ] && [ -n "$overline" ] && ! oracle_met over; then
			ok ok "$name: blocked by ck (${overline#ck: $repo/})"
		else
			ok "not ok" "$name: blocked by ck (exit $rc)"
			diag "$work/out"; diag "$work/err"
		fi
	elif [ "$kind" = lib ]; then
		for lib; do :; done	# the row's last argument
		if [ "$rc" = 0 ] && names_pattern "$lib" && ! oracle_met lib; then
			ok ok "$name: blocked by ck (${blocked:+$blocked; }${loadline#ck: $repo/})"
		else
			ok "not ok" "$name: blocked by ck (exit $rc; no refusal naming $lib and an offset)"
			diag "$work/out"; diag "$work/err"
		fi
	elif ! oracle_met "$kind" && ! oracle_met out &&
	     { [ "$rc" = 0 ] || [ "$rc" -gt 128 ]; }; then
		how=$blocked
		case $rc in
		0) ;;
		132) how="${how:+$how; }killed by SIGILL (ck_abort)" ;;
		139) how="${how:+$how; }killed by SIGSEGV" ;;
		159) how="${how:+$how; }killed by SIGSYS (the host filter)" ;;
		*) how="${how:+$how; }killed, exit $rc" ;;
		esac
		ok ok "$name: blocked by ck ($how)" "$todo_text"
	else
		ok "not ok" "$name: blocked by ck (exit $rc; oracle: $(oracle_text))" "$todo_text"
		diag "$work/out"; diag "$work/err"
	fi

	# 2. its mutant: gets through
	mck=$ck_dir/mutants/$mutant/ck
	if [ "$kind" = none ]; then
		skip "$name: gets through mutant $mutant" "$(why_none "$name")"
		continue
	fi
	if [ ! -x "$mck" ]; then
		ok "not ok" "$name: gets through mutant $mutant ($mck is not built)"
		continue
	fi
	run "$mutant" "$mck" "$prog" "$@"
	if oracle_met "$kind"; then
		ok ok "$name: gets through mutant $mutant ($(oracle_text))" "$mtodo_text"
	else
		ok "not ok" "$name: gets through mutant $mutant (no oracle, exit $rc)" "$mtodo_text"
		diag "$work/out"; diag "$work/err"
	fi
done

# The second wall: ck's own copies of program memory run under the user
# PKRU (ck_user_copy), so a pointer into K that passed the range check
# (mutant USER_OK lacks it) faults there, which is the call's EFAULT
# (intr.c), instead of reaching ck's memory. Under the real ck the range check refuses first.
wall() {	# verdict text detail
	if [ "$1" = ok ]; then
		ok ok "$2 ($3)"
	else
		ok "not ok" "$2 (exit $rc; oracle: $(oracle_text); said: $blocked)"
		diag "$work/out"; diag "$work/err"
	fi
}
n=$(cat "$work/count" 2>/dev/null || echo 0)
for call in rt_sigprocmask sendmsg; do
	case "second-wall-$call" in ${only:-*}) ;; *) continue ;; esac
	name="$call with a pointer into ck_canary (ck copies it)"
	run real "$ck_dir/ck" "$bin/sysatk" into-canary "$call"
	v="not ok"
	[ "$rc" = 0 ] && ! oracle_met out && [ -n "$blocked" ] && v=ok
	wall "$v" "$name: the range check refuses it" "$blocked"
	run USER_OK "$ck_dir/mutants/USER_OK/ck" "$bin/sysatk" into-canary "$call"
	v="not ok"
	case $blocked in *"Bad address"*) [ "$rc" = 0 ] && ! oracle_met out && v=ok ;; esac
	wall "$v" "$name: without the range check (USER_OK), the copy under the user PKRU faults" \
		"the call's EFAULT (intr.c): $blocked"
done
count=$(cat "$work/count" 2>/dev/null || echo 0)
echo "1..$count"
echo "# $(( $(date +%s) - start )) s"
[ ! -e "$work/failed" ]
