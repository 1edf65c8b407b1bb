#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-debian.sh --ck PATH [--quick]
#
# The Debian userland differential (#14): programs of the host's own root
# (the test VM's), each run natively and under ck in a fresh copy of the
# same directory at the same path, with the same clean environment: ok
# when stdout, stderr and the exit code are the same. Under ck every
# program the first one starts (bash's pipelines, tar's gzip, gcc's cc1,
# as and ld, make's recipes, git's helpers, python's subprocesses) runs
# under ck too, through ck's execve. --quick runs a representative subset
# (the fallback boot of make check). A program that still differs for a
# reason written down below is `ok ... # TODO reason` (TAP: not a
# failure); any other difference is not ok and the exit status 1.
# CK_DEBIAN_ONLY="GLOB..." runs only the programs whose names match one.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
if [ "${3:-}" = --quick ]; then
	# One row per mechanism: exec chains and job control, a pipe
	# between two programs under ck, threads with libcrypto, git's
	# helpers, static glibc re-executing itself through /proc/self/exe.
	CK_DEBIAN_ONLY=${CK_DEBIAN_ONLY:-bash-script tar-gzip python3-ssl git busybox-static}
	set -- "$1" "$2"
fi
ck_arg "$@"
ck=$(cd "$(dirname "$ck")" && pwd)/$(basename "$ck")	# run from $d
ck_work ck-debian
fx=$work/fixture
d=$work/d

# The fixture every program starts from (copied fresh for each side).
mkdir -p "$fx/sub/deep"
printf 'pear 3\napple 10\nfig 2\napple 1\n' >"$fx/f1"
printf 'x\n' >"$fx/sub/f2"
seq 1 2000 >"$fx/sub/deep/n"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "line %d %x\n", i, i * 7919 }' \
	>"$fx/big"
cat >"$fx/hello.c" <<'EOF'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static void *run(void *a) { return (void *)((long)a * 2); }
int main(int argc, char **argv)
{
	pthread_t t;
	void *r;
	pthread_create(&t, 0, run, (void *)21L);
	pthread_join(t, &r);
	printf("hello from %s: %ld, %s\n", argv[0], (long)r,
	       argc > 1 ? argv[1] : "-");
	return 3;
}
EOF
cat >"$fx/Makefile" <<'EOF'
all: out
a b c d:
	@sleep 0.$(words $@ $@) && echo $@ > $@
out: a b c d
	@cat $^ > $@ && cat $@
EOF
# LD_PRELOAD and LD_LIBRARY_PATH: a library whose constructor speaks, and
# a program linked against it without an rpath.
printf '%s\n' '#include <stdio.h>' \
	'__attribute__((constructor)) static void hi(void) { puts("preloaded"); }' \
	'int hi_value(void) { return 42; }' >"$work/hi.c"
printf '%s\n' '#include <stdio.h>' 'int hi_value(void);' \
	'int main(void) { printf("value %d\n", hi_value()); return 0; }' >"$work/usehi.c"
gcc -shared -fPIC -o "$fx/libhi.so" "$work/hi.c"
gcc -o "$fx/usehi" "$work/usehi.c" -L"$fx" -lhi
# A container's entrypoint is often a script: given to ck itself.
printf '%s\n' '#!/bin/sh -e' 'echo "$0 [$*]"' 'exec readlink /proc/self/exe' \
	>"$fx/entry.sh"
chmod +x "$fx/entry.sh"
# libnettle's hashes, through its own table (no headers needed).
cat >"$fx/nh.c" <<'EOF'
#include <stdio.h>
#include <string.h>
struct nettle_hash {
	const char *name;
	unsigned context_size, digest_size, block_size;
	void (*init)(void *);
	void (*update)(void *, size_t, const unsigned char *);
	void (*digest)(void *, size_t, unsigned char *);
};
const struct nettle_hash *const *nettle_get_hashes(void);
int main(void)
{
	static unsigned char ctx[4096], d[64], msg[1000];
	const struct nettle_hash *const *hs = nettle_get_hashes();
	unsigned i, j;

	memset(msg, 'p', sizeof(msg));
	for (i = 0; hs[i]; i++) {
		hs[i]->init(ctx);
		hs[i]->update(ctx, sizeof(msg), msg);
		hs[i]->digest(ctx, hs[i]->digest_size, d);
		printf("%s ", hs[i]->name);
		for (j = 0; j < hs[i]->digest_size; j++)
			printf("%02x", d[j]);
		printf("\n");
	}
	return 0;
}
EOF
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
	-keyout "$fx/key.pem" -out "$fx/cert.pem" 2>/dev/null

n=0
bad=0
tmo=600	# seconds a program may take (-k: a program stuck in a forwarded call)
wanted() {
	[ -z "${CK_DEBIAN_ONLY:-}" ] && return 0
	(
		set -f
		for g in $CK_DEBIAN_ONLY; do
			case $1 in $g) exit 0 ;; esac
		done
		exit 1
	)
}

# same NAME CMD...: CMD natively and under ck, each in a fresh $d.
same() {
	name=$1
	shift
	wanted "$name" || return 0
	n=$((n + 1))
	for side in a b; do
		rm -rf "$d"
		cp -a "$fx" "$d"
		rc=0
		if [ $side = a ]; then
			(cd "$d" && env -i PATH=/usr/bin:/bin LC_ALL=C HOME="$d" \
				timeout -k 10 "$tmo" "$@") \
				>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		else
			(cd "$d" && env -i PATH=/usr/bin:/bin LC_ALL=C HOME="$d" \
				timeout -k 10 "$tmo" "$ck" -- "$@") \
				>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		fi
		echo $rc >"$work/$side.rc"
	done
	ck_same "$name"
}

# todo NAME REASON CMD...: as same, but a difference is a written
# limitation (TAP TODO); the same output is reported as such.
todo() {
	tname=$1
	reason=$2
	shift 2
	ob=$bad
	same "$tname" "$@" >"$work/todo.tap"
	bad=$ob
	sed "1s|\$| # TODO $reason|" "$work/todo.tap"
}

bash_script='
set -m
trap "echo trapped USR1" USR1
trap "echo bye" EXIT
echo "$(sort f1 | head -n 2 | tr "\n" " ")"
( cd sub && echo "in ${PWD##*/}"; exit 4 ); echo "subshell=$?"
kill -USR1 $BASHPID
sleep 0.2 & wait $!; echo "wait=$?"
started() { c=; until [ "$c" = sleep ]; do read -r c < /proc/$1/comm; done; }
sleep 30 & started $!; kill %1; wait; echo killed
sleep 30 & started $!; kill -STOP %1; kill -CONT %1; kill %1; wait; echo stopped
{ echo a; echo b >&2; } 2>&1 | wc -l
x=0; while read -r w c; do x=$((x + c)); done < f1; echo "sum=$x"
f() { local v=$1; echo "f $v" | sed s/f/g/; return 7; }; f 9; echo "f=$?"
echo $(( $(wc -l < big) + 1 ))'

# Job notifications name pids, which differ run to run: stderr's numbers
# are masked.
same bash-script /bin/bash -c "( $bash_script
) 2>err; sed -E 's/[0-9]{3,}/PID/g' err >&2"
same ls /bin/ls -lan --time-style=+X . sub
same sort /usr/bin/sort -k2,2n -k1,1 f1
same find /usr/bin/find . -name 'f*' -newer Makefile -o -type d -print
same sha256sum /usr/bin/sha256sum f1 sub/f2 big
same xargs /bin/sh -c 'find . -type f -name "*[0-9]" -print0 | sort -z |
	xargs -0 -n1 -P2 wc -l | sort'
same tar-gzip /bin/sh -c 'tar --mtime=@0 --owner=0 --group=0 --sort=name \
	-czf t.tgz sub && tar -tvzf t.tgz && gzip -dc t.tgz | sha256sum'
same xz /bin/sh -c 'xz -T2 -6 -k big && xz -l big.xz | tail -n 1 &&
	xz -dc big.xz | sha256sum'
same grep-sed-awk /bin/sh -c 'grep -n "apple" f1 | sed -E "s/([0-9]+):/<\1>/" |
	awk "{ s += \$3; print } END { print s }"'
same cp /bin/sh -c 'cp -a sub copy && cp f1 copy/ && ls -R copy |
	md5sum && cmp sub/deep/n copy/deep/n'
same grep-r /usr/bin/grep -rn -E '^(apple|x)' .
same sed /bin/sed -n '/apple/{s/apple/APPLE/;p}' f1
same awk /usr/bin/awk '$2 > 2 { n++; t += $2 } END { printf "%d %d\n", n, t }' f1
same gzip /bin/sh -c 'gzip -9n < big > big.gz && gzip -l big.gz &&
	gzip -dc big.gz | cmp - big && echo same'
same perl /usr/bin/perl -e '
my %h; open(my $f, "<", "f1") or die; while (<$f>) { my ($k, $v) = split; $h{$k} += $v }
print join(",", map { "$_=$h{$_}" } sort keys %h), "\n";
my $pid = fork(); if (!$pid) { exit 5 } waitpid($pid, 0); print "child ", $? >> 8, "\n";
open(my $p, "-|", "sort", "-r", "f1") or die; print scalar(<$p>); close $p;
printf "%.3f %s\n", atan2(1, 1) * 4, scalar reverse "ck";'

py() {
	same "python3-$1" /usr/bin/python3 -c "$2"
}
py threading '
import threading
lock = threading.Lock(); total = [0]
def work(k):
    for i in range(20000):
        with lock: total[0] += k
ts = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]
[t.start() for t in ts]; [t.join() for t in ts]
print(total[0], threading.active_count())'
py subprocess '
import subprocess
r = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True)
print(r.returncode, repr(r.stdout), repr(r.stderr))
p = subprocess.Popen(["sort", "-r"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
print(p.communicate(b"a\nc\nb\n")[0].decode().split())'
py hashlib '
import hashlib
d = b"paracell" * 1000
for a in ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b"):
    print(a, hashlib.new(a, d).hexdigest()[:32])
print(hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000).hex())'
py sqlite3 '
import sqlite3
db = sqlite3.connect("t.db")
db.execute("create table t (k text, v integer)")
db.executemany("insert into t values (?, ?)", [("k%d" % (i % 7), i) for i in range(1000)])
db.commit()
print(db.execute("select k, count(*), sum(v) from t group by k order by k").fetchall())'
py ssl '
import socket, ssl, threading
srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); srv.load_cert_chain("cert.pem", "key.pem")
cli = ssl.create_default_context(cafile="cert.pem")
a, b = socket.socketpair()
def serve():
    s = srv.wrap_socket(a, server_side=True); s.sendall(s.recv(100).upper()); s.close()
t = threading.Thread(target=serve); t.start()
c = cli.wrap_socket(b, server_hostname="localhost")
c.sendall(b"hello tls"); print(c.recv(100), c.version()); c.close(); t.join()'
py multiprocessing '
import multiprocessing as mp
def sq(x): return x * x
if __name__ == "__main__":
    with mp.Pool(2) as p: print(p.map(sq, range(10)))
    q = mp.Queue(); pr = mp.Process(target=q.put, args=("from child",)); pr.start()
    print(q.get()); pr.join(); print(pr.exitcode)'
py asyncio '
import asyncio
async def handle(r, w):
    w.write((await r.readline()).upper()); await w.drain(); w.close()
async def main():
    s = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = s.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"ping\n"); print(await r.readline()); w.close()
    p = await asyncio.create_subprocess_exec("echo", "sub", stdout=asyncio.subprocess.PIPE)
    print((await p.communicate())[0], p.returncode)
    print(await asyncio.gather(*(asyncio.sleep(0.01 * i, i) for i in range(5))))
    s.close(); await s.wait_closed()
asyncio.run(main())'

same git /bin/sh -c '
export GIT_AUTHOR_NAME=ck GIT_AUTHOR_EMAIL=ck@example.org GIT_AUTHOR_DATE="@1700000000 +0000"
export GIT_COMMITTER_NAME=ck GIT_COMMITTER_EMAIL=ck@example.org GIT_COMMITTER_DATE="@1700000000 +0000"
git init -q -b main r && cp f1 big r/ && cd r && git add . &&
git commit -q -m one && sed -i s/pear/plum/ f1 && git commit -q -am two &&
git log --stat && git diff HEAD~1 && git status --short && git rev-parse HEAD'
same gcc-and-run /bin/sh -c 'gcc -O2 -pthread -o hello hello.c && ./hello arg'
same make /usr/bin/make --no-print-directory
# make -j2 waits for its jobserver token in pselect6 until its SIGCHLD
# handler interrupts it (intr.c: a forwarded blocking call ends with EINTR
# for a caught signal).
same make-j2 /usr/bin/make -j2 --no-print-directory
if command -v node >/dev/null 2>&1; then
	# node's text holds an XRSTOR inside a movsd displacement (kind 2),
	# detoured through a trampoline (detour.c).
	node_js='console.log([3, 1, 2].sort(), JSON.stringify({a: 1}), require("os").EOL === "\n")'
	same node-jitless /usr/bin/node --jitless -e "$node_js"
	# With its JIT, V8 makes its code pages writable and executable at
	# once (v8::base::OS::SetPermissions, mprotect RWX): ck refuses W^X
	# (EACCES, docs/sealed-code.md "JIT code") and V8 aborts.
	todo node "V8's JIT asks mprotect read-write-exec for its code pages: refused (W^X, EACCES)" \
		/usr/bin/node -e "$node_js"
fi
# libnettle's two kind-2 WRPKRUs (rol $15 + add, in sm3's compression),
# each detoured through the kind-1 trap: every hash of its table, sm3
# running both sites; and curl (libnettle mapped, through gnutls) over
# https to a python3 server of the fixture's certificate.
same nettle-hashes /bin/sh -c 'gcc -O2 -o nh nh.c /usr/lib/x86_64-linux-gnu/libnettle.so.8 && ./nh'
same curl-https /bin/sh -c 'python3 -c "
import http.server, ssl, os
s = http.server.HTTPServer((\"127.0.0.1\", 0), http.server.SimpleHTTPRequestHandler)
c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(\"cert.pem\", \"key.pem\")
s.socket = c.wrap_socket(s.socket, server_side=True)
open(\"port.tmp\", \"w\").write(str(s.server_port)); os.rename(\"port.tmp\", \"port\")
s.handle_request()" 2>/dev/null &
until [ -s port ]; do sleep 0.1; done
curl -sS --cacert cert.pem "https://localhost:$(cat port)/f1"; wait'
# ld.so's environment, as natively: a preloaded constructor runs before
# cat, a library found only through LD_LIBRARY_PATH loads, and without it
# ld.so's own error; AT_SECURE 0 (ck never runs a program set-id).
same ld-preload-library-path /bin/sh -c 'LD_PRELOAD=$PWD/libhi.so cat f1;
	LD_LIBRARY_PATH=. ./usehi; ./usehi; LD_SHOW_AUXV=1 /bin/true |
	grep -E "^AT_(SECURE|UID|EUID|GID|EGID):"'
# /proc/self/exe names the program's file, not ck's (selfexe.c): read
# (readlink, perl's $^X), opened (sha256sum of itself) and re-executed
# (dash execs itself through it).
same proc-self-exe /bin/sh -c 'readlink /proc/self/exe; perl -e "print \"\$^X\n\""
	sha256sum /proc/self/exe | cut -c1-16; exec /proc/self/exe -c "echo re-exec \$0"'
# A #! script as ck's own program, as binfmt_script runs it.
same script-start ./entry.sh one 'two words'
same busybox-static /bin/busybox sh -c 'echo $((6 * 7)); busybox ls sub | busybox sort; busybox sha256sum f1'
if [ -x /usr/bin/tini-static ]; then
	same tini-static /usr/bin/tini-static -s -- /bin/sh -c 'echo child; exit 7'
fi

echo "1..$n"
[ "$bad" = 0 ]
