#!/bin/sh
# Run shellcheck on every tracked shell file (by name or by shebang); one ok/not ok
# line per file and the closing "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
passed=0; failed=0
for f in $(git ls-files); do
	case $f in
	*.sh) ;;
	*) head -c 64 "$f" 2>/dev/null | grep -qE '^#!.*\b(ba|da)?sh\b' || continue ;;
	esac
	if out=$(shellcheck -S warning "$f" 2>&1); then
		echo "ok - shellcheck $f"; passed=$((passed + 1))
	else
		echo "not ok - shellcheck $f"; printf '%s\n' "$out" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
