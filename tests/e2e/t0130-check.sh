# t0130-check.sh - `backupdoctor check`: the real binary in a real terminal
# (tmux), driven by keys; the screen text is what is compared.
. "$SRCDIR/tests/e2e/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "t0130-check: tmux missing (make deps installs it)" >&2
	fail "tmux is needed"
	finish
	exit
fi
unset TMUX
sock=0
T() { tmux -S "$tmp/tmux$sock.sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null; sim_stop; rm -rf "$tmp"' EXIT

# screen [-e]: the pane's text now
screen() { T capture-pane -p "$@" -t bd; }
# wait_for TEXT: until the screen shows it (5 s at most)
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# expect_screen TEXT what
expect_screen() {
	if wait_for "$1"; then ok; else
		fail "$2: the screen lacks: $1"
		screen | sed 's/^/    screen: /' >&2
	fi
}
keys() { T send-keys -t bd "$@"; sleep 0.2; }
# start ENV... -- ARGS: the checklist in a 100x30 terminal; the shell stays to show the summary
start() {
	T kill-server 2>/dev/null
	sock=$((sock + 1)) # a fresh server: the old one may still be going away
	T new-session -d -x 100 -y 30 -s bd \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen HOME='$HOME' BACKUPDOCTOR_RULES='$RULES' $* ; echo \"EXIT=\$?\"; sleep 60"
}
# show NAME: the screen in the test output, a screenshot of it, checked
# against tests/e2e/check-screens/NAME.txt (UPDATE=1 writes that instead)
show() {
	screen | sed "s|$tmp|TMP|g" >"$tmp/screen-$1.txt"
	sed "s/^/    $1| /" "$tmp/screen-$1.txt"
	want="$SRCDIR/tests/e2e/check-screens/$1.txt"
	if [ "${UPDATE:-}" = 1 ]; then
		mkdir -p "$(dirname "$want")"
		cp "$tmp/screen-$1.txt" "$want"
	fi
	if cmp -s "$want" "$tmp/screen-$1.txt"; then ok; else
		fail "screen $1 differs from check-screens/$1.txt"
		diff "$want" "$tmp/screen-$1.txt" | head -n 20 >&2
	fi
}

cp "$CASES/battery-saver.json" "$tmp/phone.json"
start NO_COLOR= "$BD" check --facts "$tmp/phone.json" --save "$tmp/report.md"
expect_screen "Battery Saver / Low Power Mode is on" "the first screen"
show main
grep -qx 'Power  *|.*' "$tmp/screen-main.txt" && ok || fail "the Power group heading"
awk '/^Power /{p=1; next} p{print; exit}' "$tmp/screen-main.txt" | grep -q '^ problem Battery Saver' \
	&& ok || fail "the battery-saver finding in the Power group, as a problem"
expect_screen "power.battery_saver: yes [settings get global" "its evidence on the right"
expect_screen "1 problem," "the count in the title line"
expect_screen "q quit" "the status line with the keys"
# colours are on in a colour terminal without NO_COLOR
screen -e | grep -q "$(printf '\033')\\[[0-9;]*3[1-6]m" && ok || fail "colours without NO_COLOR"

# help
keys '?'
expect_screen "mark the selected fix step done" "the help box"
keys x

# answering a question re-ranks at once: backup switched off becomes a problem
keys / "Backup is switched off" Enter
expect_screen "Question (a to answer): Is the backup switch" "the question of the selected cause"
keys a
expect_screen "[y]es [n]o [d]on't know" "the yes/no prompt"
keys n
expect_screen "Answered app.google_photos.backup_on=no" "the answer is taken"
expect_screen "2 problems," "the count re-ranked"
expect_screen " problem Backup is switched off" "the answered cause now a problem"
show answered

# marking a fix step done
keys / "Battery Saver" Enter Tab Space
expect_screen "[x] Open Settings > Battery > Battery Saver" "the step marked"
expect_screen " done    Battery Saver" "the cause shows done"
keys Tab

# re-scan after the phone changed: what changed and what cleared
sed -i '/"power.battery_saver"/,/}/s/"value": true/"value": false/' "$tmp/phone.json"
keys r
expect_screen "power.battery_saver: yes -> no" "the change shown"
expect_screen "Cleared: Battery Saver / Low Power Mode is on" "the cleared finding"
show rescan
keys x
expect_screen "1 problem," "the count after the re-scan"

# resize: drawn again at the new size
T resize-window -t bd -x 120 -y 40
sleep 0.3
assert_equals 40 "$(screen | wc -l)" "the pane is 40 lines"
screen | sed -n 40p | grep -q 'q quit' && ok || fail "the status line moved to the new last line"
T resize-window -t bd -x 100 -y 30

# q: the terminal restored, the summary printed
keys q
expect_screen "EXIT=1" "the exit status after q"
expect_screen "backupdoctor check: 1 cause found (1 confirmed, 0 possible), 1 fix step done" \
	"the summary"
expect_screen "answered: app.google_photos.backup_on=no" "the answers in the summary"
screen | grep -q 'q quit' && fail "the checklist is still on the screen" || ok
show summary
grep -q '^## Done during the check' "$tmp/report.md" && ok || fail "--save writes the Markdown report"

# NO_COLOR: no colour at all
cp "$CASES/battery-saver.json" "$tmp/phone.json"
start NO_COLOR=1 "$BD" check --facts "$tmp/phone.json"
expect_screen "Battery Saver / Low Power Mode is on" "the screen with NO_COLOR"
screen -e | grep -q "$(printf '\033')\\[[0-9;]*[349][0-7]m" && fail "colour with NO_COLOR" || ok
keys q
expect_screen "EXIT=1" "quit with NO_COLOR"

# --manual: platform, app, then only questions
start NO_COLOR= "$BD" check --manual
expect_screen "Which phone is it?" "the platform chooser"
keys Enter
expect_screen "Which app backs up the photos?" "the app chooser"
keys Enter
expect_screen "to check" "the checklist of questions"
show manual
keys q
expect_screen "EXIT=" "quit from --manual"

# not a terminal: refuse, and point to scan
run "$BD" check --facts "$tmp/phone.json" </dev/null
expect_status 2 "check without a terminal"
expect_err_line "backupdoctor: check needs a terminal; for a report use 'backupdoctor scan' (or 'analyze FILE')" \
	"the message without a terminal"

# live: re-scan a simulated phone after it changed state
sim_android --scenario "$SCEN/battery-saver"
start NO_COLOR= ANDROID_ADB_SERVER_PORT="$ANDROID_ADB_SERVER_PORT" BACKUPDOCTOR_NOW="$BACKUPDOCTOR_NOW" "$BD" check
expect_screen "Battery Saver / Low Power Mode is on" "live: the simulated phone's finding"
# the phone changes behind the checklist's back (as a person in Settings would)
run "$BD" scan --fix --yes --format json
assert_equals "True" "$(json_get 'j["actions"][0]["verified"]')" "live: the simulated phone changed"
keys r
expect_screen "power.battery_saver: yes -> no" "live: the re-scan shows the change"
expect_screen "Cleared: Battery Saver / Low Power Mode is on" "live: and what cleared"
show live-rescan
keys Escape
keys q
expect_screen "EXIT=" "live: quit"
sim_stop

finish
