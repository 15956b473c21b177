# shellcheck shell=sh
# Helpers for tests/pkg/run: TAP-style result lines and the state of the
# machine that installing the package may change.

PKG_PASSED=0
PKG_FAILED=0

pass() {
	echo "ok - $*"
	PKG_PASSED=$((PKG_PASSED + 1))
}

# fail DESCRIPTION [LOG]: the result line, then the end of LOG as comments.
fail() {
	echo "not ok - $1"
	PKG_FAILED=$((PKG_FAILED + 1))
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		echo "#   last lines of $2:"
		tail -n 15 "$2" | comment
	fi
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	check_what=$1
	shift
	if "$@"; then pass "$check_what"; else fail "$check_what"; fi
}

comment() {
	sed 's/^/#   /'
}

# Whole seconds since the epoch time given.
since() {
	echo $(($(date +%s) - $1))
}

apt_quiet() {
	DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"
}

# The packages an apt-get install log lists as NEW, on one line.
apt_new_packages() {
	sed -n '/^The following NEW packages will be installed:/,/^[^ ]/s/^  //p' "$1" |
		tr -s ' \n' '  ' | sed 's/^ *//;s/ *$//'
}

# dpkg has the package in some state other than purged.
dpkg_has() {
	dpkg-query -W -f '${Status}\n' "$1" 2>/dev/null | grep -Evq ' not-installed$|^$'
}

# Every file or directory of ours where a package could leave one.
files_named_like_us() {
	find /etc /usr /var /boot /opt -xdev -name '*vfio-early*' 2>/dev/null | sort
}
