# t0007-completion: the bash completion, driven as readline would drive it,
# against the real binary (it asks `backupdoctor __complete …`, and
# `backupdoctor devices` for phone ids, here from the adb simulator); the
# fish completion too where fish is installed.  Completing a phone id must
# never start an adb server.
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
# Phones for the device ids: two simulated Android phones behind the adb
# server protocol, and no usbmuxd.
sim_android --scenario "$SCEN/battery-saver" --scenario "$SCEN/adb-unauthorized"
export USBMUXD_SOCKET_ADDRESS="UNIX:$tmp/no-usbmuxd"
cat >"$tmp/cases" <<'EOF2'
backupdoctor |analyze capture check devices info log net rules scan
backupdoctor a|analyze
backupdoctor rules |list show lint
backupdoctor rules show battery-s|battery-saver
backupdoctor rules show device-|device-not-trusted device-locked device-storage-full
backupdoctor analyze --format |text json md html
backupdoctor analyze --fail-on c|confirmed
backupdoctor analyze --answer app.google_photos.cloud_f|app.google_photos.cloud_free= app.google_photos.cloud_full=
backupdoctor analyze p|pixel7.json
backupdoctor analyze --answers n|notes.txt
backupdoctor devices --|--format --help
backupdoctor devices --format |text json
backupdoctor devices -f j|json
backupdoctor scan --f|--format --fail-on --fix
backupdoctor scan --format |text json md html
backupdoctor scan -d |R5CW20ABCDE 28161FDH2000AB
backupdoctor scan --device R|R5CW20ABCDE
backupdoctor scan --device=2|28161FDH2000AB
backupdoctor scan --timeout 5 --fail-on n|never
backupdoctor scan -t 5 -v |
backupdoctor scan --answer net.unst|net.unstable=
backupdoctor scan -o p|pixel7.json
backupdoctor capture --|--device --output --timeout --rules --help
backupdoctor capture -o c|captures
backupdoctor capture -d R5CW20ABCDE -o p|pixel7.json
backupdoctor capture -o x.json -d 2|28161FDH2000AB
backupdoctor capture -o x.json |
backupdoctor info --format |text json csv
backupdoctor info --capture p|pixel7.json
backupdoctor info -d R|R5CW20ABCDE
backupdoctor info |
backupdoctor net --|--endpoints --upload-test --format --rules --help
backupdoctor net --format |text json
backupdoctor net --endpoints n|notes.txt
backupdoctor log |list show search export resend
backupdoctor log --db notes.txt e|export
backupdoctor log list --format |text json csv
backupdoctor log export --format |csv json
backupdoctor log search --cause battery-s|battery-saver
backupdoctor log resend --cacert n|notes.txt
backupdoctor log show |
backupdoctor scan --log-seconds |5 10 20 30 60
backupdoctor scan --db p|pixel7.json
backupdoctor scan --ticket T-1 -d R|R5CW20ABCDE
backupdoctor scan --ca|--cacert
backupdoctor capture --log-seconds 1|10
EOF2
PATH="$tmp/bin:$PATH" bash "$tmp/drive.bash" "$tmp/work" "$SRCDIR/completions/backupdoctor.bash" \
	<"$tmp/cases" >"$tmp/results" 2>&1

# The fish completion, where fish is installed, on the cases of the new
# commands.  fish prints a candidate, a tab and its description; it
# completes "--device=ID" as one word, and directories with their "/".
if command -v fish >/dev/null; then
	grep -E '^backupdoctor (devices|scan|capture|info|net|log) ' "$tmp/cases" >"$tmp/fish-cases"
	while IFS='|' read -r line want; do
		got=$(cd "$tmp/work" && PATH="$tmp/bin:$PATH" fish -c \
			'source $argv[1]; complete -C $argv[2]' "$SRCDIR/completions/backupdoctor.fish" "$line" |
			cut -f1 | sed 's/^--[a-z-]*=//; s,/$,,' | sort | tr '\n' ' ')
		want=$(printf '%s\n' $want | sort | tr '\n' ' ')
		if [ "${got% }" = "${want% }" ]; then ok; else fail "fish [$line] got [$got] want [$want]"; fi
	done <"$tmp/fish-cases"
fi
sim_stop

# No adb server: completing a phone id must not start one.  An adb on the
# PATH records being run; the completion offers nothing and leaves it alone.
cat >"$tmp/bin/adb" <<EOF2
#!/bin/sh
touch "$tmp/adb-was-run"
exit 1
EOF2
chmod +x "$tmp/bin/adb"
printf '%s\n' 'backupdoctor scan -d |' 'backupdoctor capture --device=|' >>"$tmp/cases"
tail -n 2 "$tmp/cases" | PATH="$tmp/bin:$PATH" ADB_SERVER_SOCKET=tcp:127.0.0.1:1 \
	bash "$tmp/drive.bash" "$tmp/work" "$SRCDIR/completions/backupdoctor.bash" >>"$tmp/results" 2>&1
if command -v fish >/dev/null; then
	PATH="$tmp/bin:$PATH" ADB_SERVER_SOCKET=tcp:127.0.0.1:1 fish -c 'source $argv[1]; complete -C $argv[2]' \
		"$SRCDIR/completions/backupdoctor.fish" 'backupdoctor scan -d ' >"$tmp/fish-out" 2>&1
	assert_equals "" "$(cat "$tmp/fish-out")" "fish: no phone id without an adb server"
fi
if [ -e "$tmp/adb-was-run" ]; then fail "completing a phone id ran adb (it would start an adb server)"; else ok; fi
# and that adb is indeed what the program itself runs when no server answers
PATH="$tmp/bin:$PATH" ADB_SERVER_SOCKET=tcp:127.0.0.1:1 "$BD" devices >/dev/null 2>&1
if [ -e "$tmp/adb-was-run" ]; then ok; else fail "devices did not run the adb of the PATH"; fi

while read -r r; do
	case $r in
	ok) ok ;;
	*) fail "$r" ;;
	esac
done <"$tmp/results"
assert_equals "$(wc -l <"$tmp/cases" | tr -d ' ')" "$(wc -l <"$tmp/results" | tr -d ' ')" \
	"every completion case ran"

finish
