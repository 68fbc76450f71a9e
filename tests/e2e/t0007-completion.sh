# t0007-completion: the bash completion, driven as readline would drive it,
# against the real binary (it asks `backupdoctor __complete …`).
. ./lib.sh

command -v bash >/dev/null || { echo "$name: bash not installed, skipped"; finish; exit; }
mkdir -p "$tmp/bin" "$tmp/work/captures" "$tmp/work/my rules"
ln -s "$BD" "$tmp/bin/backupdoctor"
touch "$tmp/work/pixel7.json" "$tmp/work/notes.txt"
cat >"$tmp/drive.bash" <<'BASH'
cd "$1" || exit 1
. "$2"
split() { # words as readline splits them ('=' is a word of its own)
	local line=$1 c word= i
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		if [[ $c == ' ' ]]; then [[ -n $word ]] && COMP_WORDS+=("$word"); word=
		elif [[ $c == '=' ]]; then [[ -n $word ]] && COMP_WORDS+=("$word"); COMP_WORDS+=("="); word=
		else word+=$c; fi
	done
	COMP_WORDS+=("$word")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
}
while IFS='|' read -r line want; do
	COMP_LINE=$line COMP_POINT=${#line}
	split "$line"
	COMPREPLY=()
	_backupdoctor backupdoctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	want=$(printf '%s\n' $want | sort | tr '\n' ' ')
	if [[ $got == "$want" ]]; then echo "ok"; else echo "FAIL [$line] got [$got] want [$want]"; fi
done
BASH
cat >"$tmp/cases" <<'EOF2'
backupdoctor |analyze capture devices rules scan
backupdoctor a|analyze
backupdoctor rules |list show lint
backupdoctor rules show battery-s|battery-saver
backupdoctor rules show device-|device-not-trusted device-locked device-storage-full
backupdoctor analyze --format |text json md html
backupdoctor analyze --fail-on c|confirmed
backupdoctor analyze --answer app.google_photos.cloud_f|app.google_photos.cloud_free= app.google_photos.cloud_full=
backupdoctor analyze p|pixel7.json
backupdoctor analyze --answers n|notes.txt
EOF2
PATH="$tmp/bin:$PATH" bash "$tmp/drive.bash" "$tmp/work" "$SRCDIR/completions/backupdoctor.bash" \
	<"$tmp/cases" >"$tmp/results" 2>&1
while read -r r; do
	case $r in
	ok) ok ;;
	*) fail "$r" ;;
	esac
done <"$tmp/results"
assert_equals "10" "$(wc -l <"$tmp/results" | tr -d ' ')" "every completion case ran"

finish
