#!/bin/sh
# Every man page in doc/ renders with man -l and groff says nothing.
cd "$(dirname "$0")/.." || exit 2
passed=0; failed=0
for page in doc/*.[1-8]; do
	warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	lines=$(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
	if [ -z "$warn" ] && [ "$lines" -gt 20 ]; then
		echo "ok - man -l $page renders ($lines lines, no warnings)"; passed=$((passed + 1))
	else
		echo "not ok - man -l $page ($lines lines)"; printf '%s\n' "$warn" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
