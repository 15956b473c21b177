#!/bin/sh
# kcmdline (the command-line editor) against tests/unit/grub-corpus/.  A
# case is a directory: "input" (the file before), "args" (one line of
# kcmdline arguments in shell syntax; "$F" is the file), "expected" (the
# file after; absent: unchanged), and optionally "status" (the exit status,
# default 0), "stderr" (a string the messages must contain), "var" (the
# variable, default GRUB_CMDLINE_LINUX_DEFAULT), "adds-final-newline".
# Every case checks: exit status, golden file, no temporaries left, owner
# and mode kept, only the variable's line changed, that sh reads the value
# kcmdline shows, idempotence, --dry-run (its diff applies with patch) and
# --backup; refusals leave the file alone, with --dry-run too.  Then bad
# input, get/show, /proc, the grub.d warning, symlinks, stale temporaries,
# concurrent runs, the man page, and crash safety: the writer is SIGKILLed
# (strace -e inject) at each of its syscalls in turn.
# usage: tests/unit/kcmdline-tool.sh KCMDLINE-BINARY
set -u

if [ "$#" -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 KCMDLINE-BINARY" >&2
	exit 2
fi
K=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$(cd "$(dirname "$0")" && pwd)/grub-corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kcmdline-tool.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/stdout
err=$tmp/stderr
passed=0
failed=0
ndir=0
master_of=
dir='' bdir='' d=''	# set by fresh
OWNER=1234:4321	# root can give files away: a foreign owner shows it is kept
[ "$(id -u)" -eq 0 ] || OWNER=$(id -u):$(id -g)
MODE=640
root=$(cd "$(dirname "$0")/../.." && pwd)

# result STATUS DESCRIPTION: one "ok"/"not ok" line.
result() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $((passed + failed)) - $2"
	else
		failed=$((failed + 1))
		echo "not ok $((passed + failed)) - $2"
		sed 's/^/#   stderr: /' "$err" 2>/dev/null | head -n 5
	fi
}

same() {
	cmp -s "$1" "$2"
}

# DIR/target, a fresh copy of SRC with an unusual owner and mode; DIR is
# a new directory each time (forks are slow on a busy machine: few here).
fresh() {
	if [ "$1" != "$master_of" ]; then
		cp "$1" "$tmp/master"
		chown "$OWNER" "$tmp/master"
		chmod "$MODE" "$tmp/master"
		master_of=$1
	fi
	ndir=$((ndir + 1))
	eval "$2=\$tmp/\$ndir"
	mkdir "$tmp/$ndir" && cp -p "$tmp/master" "$tmp/$ndir/target"
}

# run_args CASE FILE [EXTRA...]: kcmdline with the case's arguments, F=FILE.
run_args() {
	IFS= read -r args <"$1/args"
	# shellcheck disable=SC2034 # F is used by the eval'd arguments
	F=$2
	shift 2
	eval "set -- $args \"\$@\""
	"$K" "$@" >"$out" 2>"$err"
	rc=$?
}

# only_files DIR NAME...: DIR holds exactly these (no temporaries).
only_files() {
	d=$1
	shift
	for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		case " $* " in
		*" ${f##*/} "*) ;;
		*) return 1 ;;
		esac
	done
	for f in "$@"; do
		[ -e "$d/$f" ] || return 1
	done
}

owner_mode_kept() {
	[ "$(stat -c '%u:%g %a' "$1")" = "$OWNER $MODE" ]
}

# Lines that differ and do not assign the variable.
other_lines_changed() {
	diff "$1" "$2" | grep '^[<>]' | grep -v "^[<>][[:space:]]*$3="
}

check_status() {
	[ "$rc" -eq "$want" ]
	result $? "$name: exit status $rc (want $want)"
	if [ -f "$tc/stderr" ]; then
		IFS= read -r says <"$tc/stderr"
		grep -qF "$says" "$err"
		result $? "$name: says '$says'"
	fi
}

check_result() {
	same "$dir/target" "$expected"
	result $? "$name: result is the golden file"
	only_files "$dir" target
	result $? "$name: no temporary or backup file left"
}

check_refusal_dry_run() {
	fresh "$tc/input" dir
	run_args "$tc" "$dir/target" --dry-run
	[ "$rc" -eq "$want" ] && [ ! -s "$out" ] && same "$dir/target" "$tc/input"
	result $? "$name: --dry-run refuses too, prints no diff"
}

check_success_extras() {
	owner_mode_kept "$dir/target"
	result $? "$name: owner and mode kept"
	var=GRUB_CMDLINE_LINUX_DEFAULT
	[ ! -f "$tc/var" ] || IFS= read -r var <"$tc/var"
	if [ -f "$tc/adds-final-newline" ]; then
		{ cat "$tc/input"; echo; } | cmp -s -n \
			"$(($(wc -c <"$tc/input") + 1))" - "$dir/target"
		result $? "$name: the old last line only got its missing newline"
	else
		case $args in
		*--grub*)
			! other_lines_changed "$tc/input" "$dir/target" "$var" >/dev/null
			result $? "$name: no other line changed"
			check_shell_agrees ;;
		esac
	fi
	run_args "$tc" "$dir/target"
	[ "$rc" -eq 0 ] && same "$dir/target" "$expected"
	result $? "$name: running it again changes nothing"
}

# The variable once a real shell has sourced FILE.
shell_value() {
	sh -c '. "$1" >/dev/null 2>&1; eval "printf %s \"\${$2}\""' sh "$1" "$2"
}

check_shell_agrees() {
	[ "$(shell_value "$dir/target" "$var" | sed 's/[[:space:]]*$//')" = \
		"$("$K" --grub "$dir/target" --var "$var" show)" ]
	result $? "$name: sh reads the value that kcmdline shows"
}

check_dry_run() {
	fresh "$tc/input" dir
	run_args "$tc" "$dir/target" --dry-run
	[ "$rc" -eq 0 ] && same "$dir/target" "$tc/input" &&
		only_files "$dir" target
	result $? "$name: --dry-run leaves the file alone"
	cp "$tc/input" "$tmp/patched"
	if same "$tc/input" "$expected"; then
		[ ! -s "$out" ]
	else
		patch -s --binary "$tmp/patched" <"$out" >/dev/null 2>&1 &&
			same "$tmp/patched" "$expected"
	fi
	result $? "$name: --dry-run diff applies with patch"
}

check_backup() {
	fresh "$tc/input" dir
	run_args "$tc" "$dir/target" --backup
	if same "$tc/input" "$expected"; then
		[ "$rc" -eq 0 ] && only_files "$dir" target
	else
		[ "$rc" -eq 0 ] && same "$dir/target" "$expected" &&
			same "$dir/target.bak" "$tc/input" &&
			owner_mode_kept "$dir/target.bak" &&
			only_files "$dir" target target.bak
	fi
	result $? "$name: --backup keeps the old file as target.bak"
}

run_corpus_case() {
	tc=$1
	name=${tc##*/}
	want=0
	[ ! -f "$tc/status" ] || read -r want <"$tc/status"
	expected=$tc/expected
	[ -f "$expected" ] || expected=$tc/input
	fresh "$tc/input" dir
	run_args "$tc" "$dir/target"
	check_status
	check_result
	if [ "$want" -ne 0 ]; then
		check_refusal_dry_run
		return
	fi
	check_success_extras
	check_dry_run
	check_backup
}

# bad DESCRIPTION ARGS...: exit 2, a message, the file untouched.
bad() {
	what=$1
	shift
	cp -p "$tmp/master" "$bdir/target"
	"$K" "$@" >"$out" 2>"$err"
	rc=$?
	[ "$rc" -eq 2 ] && [ -s "$err" ] &&
		same "$bdir/target" "$corpus/debian-stock-add/input" &&
		only_files "$bdir" target
	result $? "bad input ($what): exit 2 with a message, nothing changed"
}

bad_input() {
	fresh "$corpus/debian-stock-add/input" bdir
	f=$bdir/target
	bad "unknown command" --grub "$f" frobnicate x
	bad "no command" --grub "$f"
	bad "empty name" --grub "$f" add =x
	bad "empty argument" --grub "$f" add ''
	bad "key with a space" --grub "$f" add 'a b'
	bad "value with a space, unquoted" --grub "$f" add 'foo=a b'
	bad "key with quotes" --grub "$f" add '"x"=y'
	bad "bare --" --grub "$f" remove -- --
	bad "control character" --grub "$f" add "$(printf 'a\tb=1')"
	bad "nothing to add" --grub "$f" add
	bad "get with a value" --grub "$f" get quiet=1
	bad "get without a key" --grub "$f" get
	bad "show with an argument" --grub "$f" show x
	bad "merge without a value" --grub "$f" --merge add vfio.ids
	bad "unknown option" --grub "$f" --frobnicate add x
	bad "bad --var" --grub "$f" --var '1X' add x
	bad "--file with --grub" --grub "$f" --file "$f" add x
	bad "--proc is read only" --proc add x
	bad "missing grub file" --grub "$bdir/missing" add x
	bad "missing plain file" --file "$bdir/missing" show
	bad "not a regular file" --file /dev/null add x
	bad "merge with no items" --grub "$f" --merge add vfio.ids=
	bad "merge with only empty items" --grub "$f" --merge add 'vfio.ids=,,'
	bad "remove --merge with no items" --grub "$f" --merge remove vfio.ids=,
	bad "--apply with a target" --grub "$f" --apply add x=1
	bad "--apply with --root" --root "$bdir" --apply add x=1
	bad "--apply with --dry-run" --apply --dry-run add x=1
	bad "--apply for show" --apply show
}

# quick DESCRIPTION ARGS...: exit 2 within 10 s, saying why, nothing written:
# a FIFO, a device node, a directory or a huge file is refused before any
# read, never blocks and never fills memory.
quick() {
	what=$1
	shift
	cp -p "$tmp/master" "$bdir/target"
	timeout 10 "$K" "$@" >"$out" 2>"$err"
	rc=$?
	[ "$rc" -eq 2 ] && grep -q 'not a regular file\|larger than' "$err" &&
		same "$bdir/target" "$corpus/debian-stock-add/input"
	result $? "bounded read ($what): exit 2 at once, said why, nothing changed"
}

bounded_reads() {
	fresh "$corpus/debian-stock-add/input" bdir
	mkfifo "$bdir/fifo" && mkdir "$bdir/dir"
	quick "FIFO as --grub" --grub "$bdir/fifo" add x=1
	quick "FIFO as --file" --file "$bdir/fifo" add x=1
	quick "FIFO for show" --file "$bdir/fifo" show
	quick "/dev/zero as --file" --file /dev/zero add x=1
	quick "/dev/zero as --grub" --grub /dev/zero show
	quick "a directory as --grub" --grub "$bdir/dir" add x=1
	{ cat "$corpus/debian-stock-add/input"; head -c 5000000 /dev/zero | tr '\0' '#'; } \
		>"$bdir/huge"
	quick "a 5 MB file" --grub "$bdir/huge" add x=1
	mkdir "$bdir/target.d"
	mkfifo "$bdir/target.d/10-fifo.cfg"
	quick "FIFO as grub.d/*.cfg" --grub "$bdir/target" add x=1
	rm "$bdir/target.d/10-fifo.cfg"
	ln -s /dev/zero "$bdir/target.d/10-zero.cfg"
	quick "/dev/zero as grub.d/*.cfg" --grub "$bdir/target" add x=1
	rm "$bdir/target.d/10-zero.cfg"
	mkdir "$bdir/target.d/10-dir.cfg"
	quick "a directory as grub.d/*.cfg" --grub "$bdir/target" add x=1
	rm -r "$bdir/target.d"
	printf 'GRUB_CMDLINE_LINUX="ro --"\n' >"$bdir/target.d.cfg"
	mkdir "$bdir/target.d" && mv "$bdir/target.d.cfg" "$bdir/target.d/50-init.cfg"
	"$K" --grub "$bdir/target" add x=1 >"$out" 2>"$err"
	[ $? -eq 3 ] && grep -q "bare '--'" "$err"
	result $? "grub.d: a '--' in GRUB_CMDLINE_LINUX of a drop-in refuses an add to the default"
}

# plan and kcmdline read /etc/default/grub with one parser: they refuse
# the same shapes with the same words.
same_refusals() {
	v=$root/build/vfio-early
	if [ ! -x "$v" ]; then
		echo "# SKIP same refusals: build/vfio-early is not built"
		return
	fi
	for shape in 'cat <<EOF\nEOF' 'f() {\n:\n}' 'if true; then\n:\nfi' \
		'[ -e /x ] || X=1' 'case x in x) ;; esac' 'GRUB_X="a\nb'; do
		printf 'X=1\n%b\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' "$shape" >"$tmp/shape"
		"$K" --grub "$tmp/shape" add x=1 >"$out" 2>"$err"
		kc=$?
		k=$(sed -n 's/^kcmdline: //p' "$err" | grep 'cannot evaluate')
		p=$("$v" plan --grub "$tmp/shape" 2>&1 |
			sed -n 's/^vfio-early: error: //p' | grep 'cannot evaluate')
		[ "$kc" -eq 3 ] && [ -n "$k" ] && [ "$k" = "$p" ]
		result $? "same refusal from kcmdline and plan: $k"
	done
}

# get/show on a file and on /proc/cmdline.
queries() {
	fresh "$corpus/merge-folds-repeats/input" d
	f=$d/target
	"$K" --grub "$f" get vfio-ids >"$out" 2>"$err"
	st=$?
	ok=1
	[ "$st" -eq 1 ] && [ ! -s "$out" ] && ok=0
	result "$ok" "get: an absent key exits 1 and prints nothing"
	"$K" --grub "$f" get vfio.ids >"$out" 2>"$err" &&
		[ "$(cat "$out")" = "10de:11bf
10de:0e0a,10de:11bf" ]
	result $? "get: one line per occurrence, in order"
	"$K" --grub "$f" get quiet >"$out" 2>"$err" && [ "$(cat "$out")" = "" ]
	result $? "get: a flag prints an empty line, exits 0"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="vfio_pci.ids=1 x=\\"a b\\""\n' >"$f"
	"$K" --grub "$f" get vfio-pci.ids >"$out" 2>"$err" &&
		[ "$(cat "$out")" = 1 ]
	result $? "get: '-' and '_' are the same"
	"$K" --grub "$f" get x >"$out" 2>"$err" && [ "$(cat "$out")" = "a b" ]
	result $? "get: the value as the kernel sees it (quotes dropped)"
	"$K" --grub "$f" show >"$out" 2>"$err" &&
		[ "$(cat "$out")" = 'vfio_pci.ids=1 x="a b"' ]
	result $? "show: the value as the shell reads it"
	printf 'ro  quiet\n\n' >"$f"
	"$K" --file "$f" show >"$out" 2>"$err" && [ "$(cat "$out")" = 'ro  quiet' ]
	result $? "show: a plain file, trailing whitespace trimmed"
	"$K" show >"$out" 2>"$err" &&
		[ "$(cat "$out")" = "$(sed 's/[[:space:]]*$//' /proc/cmdline)" ]
	result $? "show: /proc/cmdline by default"
	key=$(sed 's/^[[:space:]]*//; s/[=[:space:]].*//' /proc/cmdline)
	[ -z "$key" ] || "$K" get "$key" >"$out" 2>"$err"
	result $? "get: reads /proc/cmdline by default ($key)"
}

# Further behaviour of the writer.
writer() {
	fresh "$corpus/debian-stock-add/input" d
	mkdir "$d/target.d"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0"\n' >"$d/target.d/50-cloudimg.cfg"
	"$K" --grub "$d/target" add iommu=pt >"$out" 2>"$err"
	[ $? -eq 0 ] && grep -q '50-cloudimg.cfg also sets' "$err"
	result $? "grub.d: a drop-in that overrides the variable is named"

	fresh "$corpus/debian-stock-add/input" d
	ln -s target "$d/link"
	"$K" --grub "$d/link" add vfio.ids=10de:11bf intel_iommu=on >"$out" 2>"$err"
	[ $? -eq 0 ] && [ -L "$d/link" ] &&
		same "$d/target" "$corpus/debian-stock-add/expected"
	result $? "symlink: the file it points to is edited, the link stays"

	fresh "$corpus/debian-stock-add/input" d
	echo torn >"$d/.target.kcmdline-Ab12Cd"
	echo torn >"$d/.target.kcmdline-bak"
	"$K" --grub "$d/target" add vfio.ids=10de:11bf intel_iommu=on >"$out" 2>"$err"
	[ $? -eq 0 ] && only_files "$d" target &&
		same "$d/target" "$corpus/debian-stock-add/expected"
	result $? "stale temporaries of a killed run are removed"

	fresh "$corpus/debian-stock-add/input" d
	echo older >"$d/target.bak"
	"$K" --grub "$d/target" --backup add quiet2 >"$out" 2>"$err"
	[ $? -eq 0 ] && same "$d/target.bak" "$corpus/debian-stock-add/input"
	result $? "--backup replaces an older target.bak"

	fresh "$corpus/debian-stock-add/input" d
	"$K" --grub "$d/target" add iommu=pt >"$out" 2>"$err"
	grep -q '^next: ' "$out"
	result $? "after a change it says what to run next"

	fresh "$corpus/debian-stock-add/input" d
	"$K" -q --grub "$d/target" add iommu=pt >"$out" 2>"$err"
	st=$?
	ok=1
	[ "$st" -eq 0 ] && [ ! -s "$out" ] && [ ! -s "$err" ] && ok=0
	result "$ok" "--quiet prints nothing"

	fresh "$corpus/debian-stock-add/input" d
	for i in 1 2 3 4 5 6 7 8; do
		"$K" -q --grub "$d/target" add "p$i=1" >/dev/null 2>&1 &
	done
	wait
	[ "$("$K" --grub "$d/target" show | tr ' ' '\n' | grep -c '^p[1-8]=1$')" -eq 8 ]
	result $? "8 concurrent runs on one file: no update is lost (lock)"

	fresh "$corpus/debian-stock-add/input" d
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\0\n' >"$d/target"
	"$K" --grub "$d/target" add iommu=pt >"$out" 2>"$err"
	[ $? -eq 3 ] && [ "$(od -An -c "$d/target" | tr -d ' \n')" = \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\0\n' ]
	result $? "a file with a NUL byte is refused and left alone"
}

# The writer's syscalls worth killing at, as "NAME N" (the Nth call of
# NAME, as strace counts): from the first that names the directory to the
# one after the last fsync (not the execve that names it in argv). Not
# getrandom: glibc's mkstemp draws again at random (tempname.c keeps its
# draws fair), so its Nth call may not come in the killed run at all; it
# touches no file, and the calls around it are kill points of their own.
kill_points() {
	awk -v dir="$1" '
		{ sc = $0; sub(/\(.*/, "", sc); name[NR] = sc; nth[NR] = ++seen[sc] }
		NR > 1 && index($0, dir) && !first { first = NR }
		/^fsync\(/ { last = NR + 1 }
		END {
			for (i = first; i <= last && first; i++)
				if (name[i] != "getrandom")
					print name[i], nth[i]
		}'
}

crash_edit() {
	edit="--grub $d/target --backup add vfio.ids=10de:11bf intel_iommu=on"
}

crash_one() {
	fresh "$old" d
	crash_edit
	# shellcheck disable=SC2086 # $edit is a list of words
	ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null \
		-e inject="$1:signal=KILL:when=$2" "$K" $edit >/dev/null 2>&1
	killed=$?
	if same "$d/target" "$old"; then
		left=old
	elif same "$d/target" "$new"; then
		left=new
	else
		left=torn
	fi
	# shellcheck disable=SC2086
	"$K" $edit >"$out" 2>"$err"
	rc=$?
	[ "$killed" -eq 137 ] && [ "$left" != torn ] && [ "$rc" -eq 0 ] &&
		same "$d/target" "$new" && same "$d/target.bak" "$old" &&
		owner_mode_kept "$d/target" &&
		only_files "$d" target target.bak
	result $? "crash: SIGKILL at $1 #$2 left the $left file; a rerun completes cleanly"
}

crash_safety() {
	if ! command -v strace >/dev/null 2>&1; then
		echo "# strace is needed for the crash test"
		result 1 "crash: strace is installed"
		return
	fi
	old=$corpus/debian-stock-add/input
	new=$corpus/debian-stock-add/expected
	fresh "$old" d
	crash_edit
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=0 strace -o "$tmp/trace" "$K" $edit >/dev/null 2>&1
	kill_points "$d" <"$tmp/trace" >"$tmp/points"
	npoints=$(wc -l <"$tmp/points")
	[ "$npoints" -gt 0 ]
	result $? "crash: $npoints kill points found in a traced run"
	n_old=0
	n_new=0
	while read -r sc nth; do
		crash_one "$sc" "$nth"
		case $left in
		old) n_old=$((n_old + 1)) ;;
		new) n_new=$((n_new + 1)) ;;
		esac
	done <"$tmp/points"
	echo "# crash: $n_old kill points left the old file, $n_new the new one"
	[ "$n_old" -gt 0 ] && [ "$n_new" -gt 0 ]
	result $? "crash: kills landed both before and after the rename"
}

# The man page renders without a warning (needs man-db and groff-base).
man_page() {
	if ! command -v man >/dev/null 2>&1; then
		echo "# SKIP man page check: man (man-db, groff-base) is not installed"
		return
	fi
	MANWIDTH=80 man --warnings -l "$root/doc/kcmdline.8" >"$out" 2>"$err"
	[ $? -eq 0 ] && [ ! -s "$err" ] && grep -q 'kcmdline' "$out"
	result $? "man page: doc/kcmdline.8 renders without warnings"
}

# A fake host for the boot-loader families: fake_host DIR FAMILY.
fake_host() {
	h=$1
	rm -rf "$h"
	mkdir -p "$h/etc/default" "$h/etc/kernel" "$h/boot"
	case $2 in
	grub)
		printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX=""\n' \
			>"$h/etc/default/grub" ;;
	bls | bls-env)
		printf 'GRUB_TIMEOUT=5\nGRUB_DEFAULT=saved\nGRUB_CMDLINE_LINUX="rhgb quiet"\nGRUB_ENABLE_BLSCFG=true\n' \
			>"$h/etc/default/grub"
		mkdir -p "$h/boot/loader/entries" "$h/boot/grub2"
		opts='root=UUID=1234 ro rhgb quiet'
		[ "$2" = bls ] || opts='$kernelopts $tuned_params'
		for v in 6.8.5-301.fc40.x86_64 6.11.4-301.fc40.x86_64; do
			printf 'title Fedora Linux (%s) 40\nversion %s\nlinux /vmlinuz-%s\noptions %s\ngrub_class fedora\n' \
				"$v" "$v" "$v" "$opts" >"$h/boot/loader/entries/0123abc-$v.conf"
		done
		printf 'title Fedora Linux (0-rescue-0123abc) 40\nversion 0-rescue-0123abc\noptions root=UUID=1234 ro\n' \
			>"$h/boot/loader/entries/0123abc-0-rescue.conf"
		{
			# grub2-editenv (Fedora's) writes the warning line
			printf '# GRUB Environment Block\n# WARNING: Do not edit this file by tools other than grub-editenv!!!\n'
			printf 'saved_entry=0123abc-6.8.5-301.fc40.x86_64\n'
			[ "$2" = bls ] || printf 'kernelopts=root=UUID=1234 ro rhgb quiet\n'
		} >"$tmp/env"
		{ cat "$tmp/env"; head -c $((1024 - $(wc -c <"$tmp/env"))) /dev/zero | tr '\0' '#'; } \
			>"$h/boot/grub2/grubenv" ;;
	sdboot)
		printf 'layout=bls\n' >"$h/etc/kernel/install.conf"
		printf 'root=UUID=1234 ro quiet\n' >"$h/etc/kernel/cmdline"
		: >"$h/boot/vmlinuz-6.12.9-amd64" ;;
	uki)
		printf 'layout=uki\n' >"$h/etc/kernel/install.conf"
		printf 'root=UUID=1234 ro quiet\n' >"$h/etc/kernel/cmdline"
		: >"$h/boot/vmlinuz-6.12.9-amd64" ;;
	uki-esp)
		mkdir -p "$h/boot/efi/EFI/Linux"
		: >"$h/boot/efi/EFI/Linux/debian-6.12.9-amd64.efi"
		printf 'root=UUID=1234 ro quiet\n' >"$h/etc/kernel/cmdline" ;;
	rhel9 | rhel9-stale)
		rhel9_host "$h" "$2" ;;
	proxmox | proxmox-bios | proxmox-sb)
		# pve-docs "Host Bootloader": systemd-boot on EFI without
		# Secure Boot, GRUB otherwise; the installer writes both files
		mkdir -p "$h/usr/sbin" "$h/etc/default/grub.d"
		printf '#!/bin/sh\n' >"$h/usr/sbin/proxmox-boot-tool"
		printf 'ABCD-1234\n' >"$h/etc/kernel/proxmox-boot-uuids"
		printf 'root=ZFS=rpool/ROOT/pve-1 boot=zfs\n' >"$h/etc/kernel/cmdline"
		printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_DISTRIBUTOR="Proxmox VE"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX="root=ZFS=rpool/ROOT/pve-1 boot=zfs"\n' \
			>"$h/etc/default/grub"
		[ "$2" = proxmox-bios ] || mkdir -p "$h/sys/firmware/efi/efivars"
		[ "$2" != proxmox-sb ] ||
			printf '\006\000\000\000\001' \
				>"$h/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0ec79ec4f71" ;;
	esac
}

# RHEL 9 / Alma 9: tuned's bootloader plugin puts $tuned_params on every
# entry's options line and tuned_params in grubenv; "-stale" keeps a RHEL 8
# kernelopts in grubenv that no entry names any more.
rhel9_host() {
	mid=0123abc
	cat >"$1/etc/default/grub" <<-'EOF'
	GRUB_TIMEOUT=5
	GRUB_DISTRIBUTOR="$(sed 's, release .*$,,g' /etc/system-release)"
	GRUB_DEFAULT=saved
	GRUB_DISABLE_SUBMENU=true
	GRUB_TERMINAL_OUTPUT="console"
	GRUB_CMDLINE_LINUX="crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/almalinux-swap rd.lvm.lv=almalinux/root rd.lvm.lv=almalinux/swap"
	GRUB_DISABLE_RECOVERY="true"
	GRUB_ENABLE_BLSCFG=true
	EOF
	mkdir -p "$1/boot/loader/entries" "$1/boot/grub2"
	for v in 5.14.0-427.13.1.el9_4.x86_64 5.14.0-503.14.1.el9_5.x86_64; do
		printf '%s\n' "title AlmaLinux ($v) 9.5 (Teal Serval)" "version $v" \
			"linux /vmlinuz-$v" "initrd /initramfs-$v.img \$tuned_initrd" \
			"options root=/dev/mapper/almalinux-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/almalinux-swap rd.lvm.lv=almalinux/root rd.lvm.lv=almalinux/swap \$tuned_params" \
			'grub_users $grub_users' 'grub_arg --unrestricted' 'grub_class almalinux' \
			>"$1/boot/loader/entries/$mid-$v.conf"
	done
	{
		printf '# GRUB Environment Block\n# WARNING: Do not edit this file by tools other than grub-editenv!!!\n'
		printf 'saved_entry=%s-5.14.0-503.14.1.el9_5.x86_64\nmenu_auto_hide=1\n' "$mid"
		[ "$2" = rhel9 ] || printf 'kernelopts=root=/dev/mapper/almalinux-root ro crashkernel=auto\n'
		printf 'tuned_params=skew_tick=1\ntuned_initrd=\nboot_success=0\n'
	} >"$tmp/env"
	{ cat "$tmp/env"; head -c $((1024 - $(wc -c <"$tmp/env"))) /dev/zero | tr '\0' '#'; } \
		>"$1/boot/grub2/grubenv"
}

# An EFI variable in efivarfs: 4 bytes of attributes, then UTF-16LE.
# efivar ROOT NAME VALUE (systemd-boot's vendor GUID).
efivar() {
	mkdir -p "$1/sys/firmware/efi/efivars"
	# shellcheck disable=SC2059 # the format is built: \000 after each byte
	printf "\\007\\000\\000\\000$(printf '%s' "$3" | sed 's/./&\\000/g')\\000\\000" \
		>"$1/sys/firmware/efi/efivars/$2-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
}

# Every file under a fake host, with its contents: what an edit changed.
snapshot() {
	(cd "$1" && find . -type f | sort | while read -r f; do echo "== $f"; cat "$f"; done)
}

# kcmdline where, and the default target of add/remove, per family.
families() {
	h=$tmp/host
	for fam in grub:grub bls:grub-bls bls-env:grub-bls sdboot:systemd-boot uki:uki \
		uki-esp:uki proxmox:proxmox proxmox-bios:grub proxmox-sb:grub rhel9:grub-bls; do
		fake_host "$h" "${fam%%:*}"
		"$K" --root "$h" where >"$out" 2>"$err"
		[ $? -eq 0 ] && grep -q "^family: ${fam#*:}\$" "$out"
		result $? "where: a ${fam%%:*} host is ${fam#*:}"
	done
	fake_host "$h" bls-env
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "^next boot: $h/boot/loader/entries/0123abc-6.8.5-301.fc40.x86_64.conf (grubenv's saved_entry)\$" "$out" &&
		grep -q "^edits: $h/boot/grub2/grubenv kernelopts\$" "$out"
	result $? "where: names the entry the next boot uses and grubenv as edited"
	fake_host "$h" none
	"$K" --root "$h" where >"$out" 2>"$err"
	[ $? -eq 2 ] && grep -q 'cannot tell which boot loader' "$err"
	result $? "where: a host with none of the files: exit 2, says so"
	"$K" --root "$h" add x=1 >"$out" 2>"$err"
	[ $? -eq 2 ] && grep -q 'cannot tell which boot loader' "$err" &&
		[ -z "$(find "$h" -type f)" ]
	result $? "add on a host with no boot loader files: exit 2, nothing written"

	fake_host "$h" grub
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
		grep -q '^GRUB_CMDLINE_LINUX_DEFAULT="quiet vfio.ids=10de:11bf"$' "$h/etc/default/grub" &&
		grep -q '^next: ' "$out"
	result $? "grub: add edits GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub"

	fake_host "$h" bls
	snapshot "$h" >"$tmp/before"
	"$K" --root "$h" --dry-run add vfio.ids=10de:11bf >"$out" 2>"$err"
	[ $? -eq 0 ] && [ "$(grep -c '^+++ ' "$out")" -eq 3 ] &&
		snapshot "$h" | cmp -s - "$tmp/before"
	result $? "grub-bls: --dry-run shows the 3 files it would change, writes none"
	rm -rf "$tmp/hostcopy" && cp -a "$h" "$tmp/hostcopy"
	(cd / && patch -s -p0 --binary <"$out") >/dev/null 2>&1
	st=$?
	snapshot "$h" >"$tmp/dry"
	rm -rf "$h" && mv "$tmp/hostcopy" "$h"
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err"
	[ $? -eq 0 ] && [ "$st" -eq 0 ] && snapshot "$h" | cmp -s - "$tmp/dry"
	result $? "grub-bls: the edit writes what --dry-run showed (its diffs apply with patch)"
	for v in 6.8.5-301 6.11.4-301; do
		grep -qx "options root=UUID=1234 ro rhgb quiet vfio.ids=10de:11bf" \
			"$h/boot/loader/entries/0123abc-$v.fc40.x86_64.conf"
		result $? "grub-bls: entry $v has the parameter on its options line"
	done
	grep -qx 'options root=UUID=1234 ro' "$h/boot/loader/entries/0123abc-0-rescue.conf" &&
		grep -q 'leaving the rescue entry' "$err"
	result $? "grub-bls: the rescue entry is left alone, and said so"
	grep -qx 'GRUB_CMDLINE_LINUX="rhgb quiet vfio.ids=10de:11bf"' "$h/etc/default/grub"
	result $? "grub-bls: GRUB_CMDLINE_LINUX (Fedora has no _DEFAULT) carries it too"
	grep -q '^next: nothing to run' "$out" && ! grep -q 'update-grub' "$out"
	result $? "grub-bls: no update-grub advice: the entries are already edited"
	snapshot "$h" >"$tmp/before"
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err"
	[ $? -eq 0 ] && snapshot "$h" | cmp -s - "$tmp/before"
	result $? "grub-bls: the same add again changes nothing"
	"$K" --root "$h" add 'x=$y' >"$out" 2>"$err"
	[ $? -eq 3 ] && snapshot "$h" | cmp -s - "$tmp/before"
	result $? "grub-bls: a \$ (GRUB would expand it) is refused, nothing changed"
	printf 'options a\noptions b\n' >>"$h/boot/loader/entries/0123abc-6.8.5-301.fc40.x86_64.conf"
	snapshot "$h" >"$tmp/before"
	"$K" --root "$h" add iommu=pt >"$out" 2>"$err"
	[ $? -eq 3 ] && grep -q 'options lines' "$err" && snapshot "$h" | cmp -s - "$tmp/before"
	result $? "grub-bls: one entry it cannot edit: refused, no file changed"
	fake_host "$h" bls
	"$K" --root "$h" remove quiet >"$out" 2>"$err" &&
		! grep -q 'quiet' "$h"/boot/loader/entries/0123abc-6.*.conf "$h/etc/default/grub"
	result $? "grub-bls: remove takes it out of every entry and the grub file"

	fake_host "$h" bls-env
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
		grep -qx 'kernelopts=root=UUID=1234 ro rhgb quiet vfio.ids=10de:11bf' \
			"$h/boot/grub2/grubenv" &&
		[ "$(wc -c <"$h/boot/grub2/grubenv")" -eq 1024 ] &&
		grep -qx 'options $kernelopts $tuned_params' \
			"$h/boot/loader/entries/0123abc-6.11.4-301.fc40.x86_64.conf"
	result $? "grub-bls with \$kernelopts: grubenv's kernelopts edited, still 1024 bytes; entries kept"
	"$K" --root "$h" remove vfio.ids >"$out" 2>"$err" &&
		grep -qx 'kernelopts=root=UUID=1234 ro rhgb quiet' "$h/boot/grub2/grubenv" &&
		[ "$(wc -c <"$h/boot/grub2/grubenv")" -eq 1024 ]
	result $? "grub-bls with \$kernelopts: remove takes it out of grubenv"
	snapshot "$h" >"$tmp/before"
	"$K" --root "$h" add "x=$(head -c 1100 /dev/zero | tr '\0' a)" >"$out" 2>"$err"
	[ $? -eq 3 ] && grep -q 'does not fit' "$err" && snapshot "$h" | cmp -s - "$tmp/before"
	result $? "grub-bls with \$kernelopts: a value grubenv cannot hold is refused, nothing changed"

	fake_host "$h" sdboot
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
		grep -qx 'root=UUID=1234 ro quiet vfio.ids=10de:11bf' "$h/etc/kernel/cmdline" &&
		grep -q '^  kernel-install add 6.12.9-amd64 /boot/vmlinuz-6.12.9-amd64$' "$out"
	result $? "systemd-boot: /etc/kernel/cmdline edited; next: kernel-install add for the kernel there"
	printf '# comment\nro quiet\n' >"$h/etc/kernel/cmdline"
	"$K" --root "$h" add x=1 >"$out" 2>"$err"
	[ $? -eq 3 ] && grep -q 'comment lines' "$err"
	result $? "systemd-boot: /etc/kernel/cmdline with a comment line is refused"
	rm "$h/etc/kernel/cmdline"
	"$K" --root "$h" add x=1 >"$out" 2>"$err"
	[ $? -eq 2 ] && grep -q 'no such file' "$err" && [ ! -e "$h/etc/kernel/cmdline" ]
	result $? "systemd-boot: no /etc/kernel/cmdline: exit 2, said, nothing made"

	fake_host "$h" uki
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
		grep -q 'kernel-install add 6.12.9-amd64 /boot/vmlinuz-6.12.9-amd64' "$out" &&
		grep -q 'Secure Boot' "$out"
	result $? "uki (layout=uki): next: kernel-install add, and the Secure Boot note"
	: >"$h/boot/initrd.img-6.12.9-amd64"
	echo 0123abc >"$h/etc/kernel/entry-token"
	"$K" --root "$h" add vfio.ids=10de:11be >"$out" 2>"$err" &&
		grep -q '^note: kernel-install also puts /boot/initrd.img-6.12.9-amd64 into it: .*binder' "$out" &&
		grep -qx "    ukify build --linux=/boot/vmlinuz-6.12.9-amd64 --initrd=/boot/initrd.img-6.12.9-amd64 --cmdline=\"\$(tr -s '\\\\n' ' ' </etc/kernel/cmdline) rd.vfio=0\" --output=ESP/EFI/Linux/0123abc-6.12.9-amd64-novfio.efi" "$out"
	result $? "uki: notes a /boot/initrd.img kernel-install adds, and gives the rd.vfio=0 image's ukify command"
	fake_host "$h" uki-esp
	"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
		grep -q 'dracut -f --uefi' "$out" &&
		grep -qx 'root=UUID=1234 ro quiet vfio.ids=10de:11bf' "$h/etc/kernel/cmdline"
	result $? "uki (an image in EFI/Linux): /etc/kernel/cmdline edited; next: dracut --uefi"
	fake_host "$h" proxmox
	"$K" --root "$h" add intel_iommu=on >"$out" 2>"$err" &&
		grep -q "proxmox-boot-tool refresh" "$out" &&
		grep -qx 'root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on' "$h/etc/kernel/cmdline"
	result $? "proxmox: /etc/kernel/cmdline edited; next: proxmox-boot-tool refresh"
	"$K" --root "$h" --grub "$h/x" add x=1 >"$out" 2>"$err"
	[ $? -eq 2 ]
	result $? "--root with --grub: a usage error"
	families_field
}

# The shapes of real hosts: RHEL 9's $tuned_params, Proxmox in GRUB mode,
# GRUB's next_entry and GRUB_DEFAULT, systemd-boot's EFI variables.
families_field() {
	h=$tmp/host
	e=$h/boot/loader/entries/0123abc
	opts='root=/dev/mapper/almalinux-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/almalinux-swap rd.lvm.lv=almalinux/root rd.lvm.lv=almalinux/swap'
	for fam in rhel9 rhel9-stale; do
		fake_host "$h" $fam
		cp "$h/boot/grub2/grubenv" "$tmp/grubenv"
		"$K" --root "$h" add vfio.ids=10de:11bf >"$out" 2>"$err" &&
			grep -qx "options $opts \$tuned_params vfio.ids=10de:11bf" "$e-5.14.0-503.14.1.el9_5.x86_64.conf" &&
			grep -qx "options $opts \$tuned_params vfio.ids=10de:11bf" "$e-5.14.0-427.13.1.el9_4.x86_64.conf" &&
			cmp -s "$h/boot/grub2/grubenv" "$tmp/grubenv" && ! grep -q "^updated .*grubenv" "$out"
		result $? "$fam: \$tuned_params entries get the parameter on their options line, \$tuned_params kept, grubenv untouched"
		"$K" --root "$h" remove vfio.ids >"$out" 2>"$err" &&
			grep -qx "options $opts \$tuned_params" "$e-5.14.0-503.14.1.el9_5.x86_64.conf"
		result $? "$fam: remove takes it out again"
	done
	"$K" --root "$h" where >"$out" 2>"$err" && ! grep -q '^edits: .*grubenv' "$out" &&
		grep -q "^next boot: $e-5.14.0-503.14.1.el9_5.x86_64.conf (grubenv's saved_entry)\$" "$out"
	result $? "rhel9-stale: where does not list grubenv among the edited files"

	fake_host "$h" proxmox-bios
	"$K" --root "$h" add intel_iommu=on >"$out" 2>"$err" &&
		grep -qx 'GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on"' "$h/etc/default/grub" &&
		grep -qx 'root=ZFS=rpool/ROOT/pve-1 boot=zfs' "$h/etc/kernel/cmdline" &&
		grep -q "^next: run 'proxmox-boot-tool refresh'" "$out" && grep -q 'legacy BIOS' "$err"
	result $? "proxmox, legacy BIOS: GRUB mode: /etc/default/grub edited, not /etc/kernel/cmdline; next: proxmox-boot-tool refresh"
	fake_host "$h" proxmox-sb
	"$K" --root "$h" where >"$out" 2>"$err" && grep -q 'Secure Boot' "$out" &&
		grep -q "^edits: $h/etc/default/grub GRUB_CMDLINE_LINUX_DEFAULT\$" "$out"
	result $? "proxmox, Secure Boot: GRUB mode, /etc/default/grub edited"
	fake_host "$h" proxmox
	mkdir -p "$h/boot/efi/EFI/proxmox" && : >"$h/boot/efi/EFI/proxmox/grubx64.efi"
	"$K" --root "$h" where >"$out" 2>"$err" && grep -q '^family: grub$' "$out" &&
		grep -q 'grubx64.efi' "$out"
	result $? "proxmox, EFI: an ESP with EFI/proxmox/grubx64.efi is GRUB mode"
	fake_host "$h" proxmox-bios
	printf 'GRUB_DEFAULT="gnulinux-advanced-8d3ba4a5>gnulinux-6.8.12-4-pve-advanced-8d3ba4a5"\n' \
		>"$h/etc/default/grub.d/proxmox-kernel-pin.cfg"
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "^next boot: GRUB's entry 'gnulinux-advanced-8d3ba4a5>gnulinux-6.8.12-4-pve-advanced-8d3ba4a5' (GRUB_DEFAULT)" "$out"
	result $? "grub: where names the entry a grub.d GRUB_DEFAULT pins (proxmox-boot-tool kernel pin)"

	fake_host "$h" bls
	sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=0/' "$h/etc/default/grub"
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "^next boot: $h/boot/loader/entries/0123abc-6.11.4-301.fc40.x86_64.conf (GRUB_DEFAULT)\$" "$out"
	result $? "grub-bls: GRUB_DEFAULT=0 is the first menu entry; saved_entry is not read"
	sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT="Fedora Linux (6.8.5-301.fc40.x86_64) 40"/' "$h/etc/default/grub"
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "^next boot: .*0123abc-6.8.5-301.fc40.x86_64.conf (GRUB_DEFAULT)\$" "$out"
	result $? "grub-bls: GRUB_DEFAULT names an entry by its title"
	sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' "$h/etc/default/grub"
	{
		printf '# GRUB Environment Block\nsaved_entry=0123abc-6.8.5-301.fc40.x86_64\n'
		printf 'next_entry=0123abc-6.11.4-301.fc40.x86_64\n'
	} >"$tmp/env"
	{ cat "$tmp/env"; head -c $((1024 - $(wc -c <"$tmp/env"))) /dev/zero | tr '\0' '#'; } \
		>"$h/boot/grub2/grubenv"
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "^next boot: .*0123abc-6.11.4-301.fc40.x86_64.conf (grubenv's next_entry (grub-reboot))\$" "$out"
	result $? "grub-bls: grub-reboot's next_entry wins over saved_entry"

	fake_host "$h" sdboot
	mkdir -p "$h/boot/efi/loader/entries"
	for v in 6.12.9-amd64 6.1.0-28-amd64; do
		printf 'title Debian GNU/Linux 13 (trixie)\nversion %s\nsort-key debian\noptions root=UUID=1234 ro\nlinux /0123abc/%s/linux\n' \
			"$v" "$v" >"$h/boot/efi/loader/entries/0123abc-$v.conf"
	done
	printf 'timeout 3\ndefault 0123abc-6.12.*\n' >"$h/boot/efi/loader/loader.conf"
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "entries/0123abc-6.12.9-amd64.conf (loader.conf's default)\$" "$out"
	result $? "systemd-boot: loader.conf's default without EFI variables"
	efivar "$h" LoaderEntryDefault 0123abc-6.1.0-28-amd64.conf
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "entries/0123abc-6.1.0-28-amd64.conf (the EFI variable LoaderEntryDefault" "$out"
	result $? "systemd-boot: LoaderEntryDefault (bootctl set-default) wins over loader.conf"
	efivar "$h" LoaderEntryOneShot 0123abc-6.12.9-amd64.conf
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "entries/0123abc-6.12.9-amd64.conf (the EFI variable LoaderEntryOneShot" "$out"
	result $? "systemd-boot: LoaderEntryOneShot (bootctl set-oneshot) wins over both"
	efivar "$h" LoaderEntryOneShot gone.conf
	"$K" --root "$h" where >"$out" 2>"$err" &&
		grep -q "entries/0123abc-6.1.0-28-amd64.conf (the EFI variable LoaderEntryDefault" "$out"
	result $? "systemd-boot: a one-shot that names no entry is passed over"
}

# show --next: the line the next boot's kernel gets on each family, the
# same line vfio-early plan plans (one composition of the same readers).
show_next() {
	h=$tmp/host
	vfe=$root/build/vfio-early
	for fam in 'grub:quiet' 'bls:root=UUID=1234 ro rhgb quiet' \
		'bls-env:root=UUID=1234 ro rhgb quiet' 'sdboot:root=UUID=1234 ro quiet' \
		'uki:root=UUID=1234 ro quiet' 'uki-esp:root=UUID=1234 ro quiet' \
		'proxmox:root=ZFS=rpool/ROOT/pve-1 boot=zfs'; do
		fake_host "$h" "${fam%%:*}"
		"$K" --root "$h" show --next >"$out" 2>"$err" &&
			[ "$(cat "$out")" = "${fam#*:}" ] && grep -q "the next boot's line" "$err"
		result $? "show --next: a ${fam%%:*} host's next line, and where it comes from"
		[ -x "$vfe" ] || continue
		"$vfe" plan --root "$h" 2>/dev/null | sed -n '2{s/^  //;s/[[:space:]]*$//;p;}' >"$tmp/plan-line"
		[ "$(cat "$tmp/plan-line")" = "$(cat "$out")" ]
		result $? "show --next: the line plan plans on a ${fam%%:*} host"
	done
	fake_host "$h" grub
	mkdir -p "$h/etc/default/grub.d"
	printf 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT iommu=pt"\n' \
		>"$h/etc/default/grub.d/50-iommu.cfg"
	printf 'GRUB_CMDLINE_LINUX="ro"\n' >>"$h/etc/default/grub"
	"$K" --root "$h" add vfio.ids=10de:11bf >/dev/null 2>&1
	"$K" --root "$h" show --next >"$out" 2>"$err" &&
		[ "$(cat "$out")" = "ro quiet vfio.ids=10de:11bf iommu=pt" ]
	result $? "show --next: GRUB's LINUX then LINUX_DEFAULT, grub.d after, with the edit"
	fake_host "$h" sdboot
	rm "$h/etc/kernel/cmdline"
	"$K" --root "$h" show --next >"$out" 2>"$err"
	[ $? -eq 3 ] && grep -q 'etc/kernel/cmdline' "$err" && [ ! -s "$out" ]
	result $? "show --next: no /etc/kernel/cmdline on systemd-boot: exit 3, says so"
	fake_host "$h" none
	"$K" --root "$h" show --next >"$out" 2>"$err"
	[ $? -eq 2 ] && grep -q 'cannot tell which boot loader' "$err"
	result $? "show --next: no family: exit 2, says so"
	"$K" --file "$h/x" show --next >"$out" 2>"$err"
	[ $? -eq 2 ]
	result $? "show --next with a TARGET: a usage error"
	"$K" --next get quiet >"$out" 2>"$err"
	[ $? -eq 2 ]
	result $? "--next for get: a usage error"
}

for c in "$corpus"/*/; do
	run_corpus_case "${c%/}"
done
bad_input
bounded_reads
same_refusals
queries
writer
families
show_next
man_page
crash_safety

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
