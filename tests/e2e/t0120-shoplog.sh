# t0120-shoplog: the shop log in a real SQLite file: info --log and
# scan --log add visits; list, show, search, export; the default place is
# owner-only; a version 1 log is migrated; two writers at once lose nothing.
. ./lib.sh

db="$tmp/shop.db"
sim_android --scenario "$SCEN/beta-software"
run "$BD" info --format json
expect_status 0 "info"
assert_equals "Google Pixel 7 28161FDH2000AB AP31.240517.015" \
	"$(json_get 'j["model_name"] + " " + j["serial"] + " " + j["build"]')" "info: model name, serial, build"
run "$BD" info --format csv
assert_equals "platform,manufacturer,model,model_name" "$(head -n 1 "$tmp/out" | cut -d, -f1-4)" "info csv header"
run "$BD" info --log --db "$db" --ticket T-100 --note "cracked screen"
expect_status 0 "info --log"
expect_out_contains "Serial number    28161FDH2000AB" "info text shows the serial"
assert_equals "-rw-------" "$(ls -l "$db" | cut -c1-10)" "the shop log is owner-only"
run "$BD" capture -o "$tmp/cap.json"
sim_stop
sim_android --scenario "$SCEN/battery-saver"
run "$BD" scan --log --db "$db" --ticket T-101 --format json
expect_status 1 "scan --log"
sim_stop

# the default place: $XDG_DATA_HOME/backupdoctor, owner-only
XDG_DATA_HOME="$tmp/xdg" run "$BD" info --capture "$tmp/cap.json" --log
expect_status 0 "info --log to the default place"
assert_equals "drwx------ -rw-------" \
	"$(ls -ld "$tmp/xdg/backupdoctor" | cut -c1-10) $(ls -l "$tmp/xdg/backupdoctor/shop.db" | cut -c1-10)" \
	"the default directory and file are owner-only"

run "$BD" log --db "$db" list --format json
assert_equals "2 T-100 T-101" "$(json_get 'str(len(j)) + " " + " ".join(v["ticket"] for v in j)')" "list, by date"
run "$BD" log --db "$db" list
expect_out_contains "28161FDH2000AB" "list as text"
run "$BD" log --db "$db" show 1
expect_status 0 "show"
expect_out_contains "Note             cracked screen" "show: the note"
run "$BD" log --db "$db" show 2 --format json
assert_equals "battery-saver" "$(json_get 'j["findings"][0]["id"]')" "show: the findings with their ids"
run "$BD" log --db "$db" show 99
expect_status 2 "show of no such visit"
run "$BD" log --db "$db" search --serial 28161FDH2000AB --format json
assert_equals "1" "$(json_get 'len(j)')" "search by serial"
run "$BD" log --db "$db" search --ticket T-101 --format json
assert_equals "2" "$(json_get 'j[0]["id"]')" "search by ticket"
run "$BD" log --db "$db" search --cause battery-saver --format json
assert_equals "T-101" "$(json_get 'j[0]["ticket"] if len(j) == 1 else len(j)')" "search by cause"
run "$BD" log --db "$db" search
expect_status 2 "search needs a filter"

# exports leave the bench: redacted unless asked
run "$BD" log --db "$db" export --format csv
expect_status 0 "export csv"
assert_equals "3" "$(wc -l <"$tmp/out" | tr -d ' ')" "export csv: header and two rows"
grep -q "28161FDH2000AB" "$tmp/out" && fail "export csv holds the serial" || ok
grep -q "redacted-" "$tmp/out" && ok || fail "export csv: a stable tag instead"
run "$BD" log --db "$db" export --format json
grep -q "28161FDH2000AB" "$tmp/out" && fail "export json holds the serial" || ok
assert_equals "T-100" "$(json_get 'j[0]["ticket"]')" "export json"
run "$BD" log --db "$db" export --format json --include-personal
assert_equals "28161FDH2000AB" "$(json_get 'j[0]["device"]["serial"]')" "export --include-personal"

# a version 1 log, as the first release wrote it, is migrated forward
python3 - "$tmp/v1.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT, logged_at TEXT NOT NULL, platform TEXT,
  model TEXT, serial TEXT, imei TEXT, ticket TEXT, note TEXT, findings TEXT);
INSERT INTO visits(logged_at, platform, model, serial, imei, ticket, note, findings)
  VALUES('2024-01-02T10:00:00Z', 'ios', 'iPhone 12', 'OLDSERIAL1', '350000000000001', 'OLD-1',
         'from v1', 'battery-saver low-battery');
PRAGMA user_version = 1;
""")
c.commit()
PY
run "$BD" log --db "$tmp/v1.db" search --cause low-battery --format json
expect_status 0 "a version 1 log opens"
assert_equals "OLD-1 OLDSERIAL1 2" \
	"$(json_get 'j[0]["ticket"] + " " + j[0]["device"]["serial"] + " " + str(len(j[0]["findings"]))')" \
	"version 1 visits keep their findings"
assert_equals "2" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("pragma user_version").fetchone()[0])' "$tmp/v1.db")" \
	"migrated to version 2"
run "$BD" info --capture "$tmp/cap.json" --log --db "$tmp/v1.db"
run "$BD" log --db "$tmp/v1.db" list --format json
assert_equals "2" "$(json_get 'len(j)')" "a migrated log takes new visits"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma user_version=9"); c.commit()' "$tmp/v1.db"
run "$BD" log --db "$tmp/v1.db" list
expect_status 4 "a log from a newer release is refused"

# the customer's page names the shop when its config file says who it is
# (and not otherwise); the texts are HTML-escaped
run "$BD" analyze --format html "$tmp/cap.json"
grep -q "Checked by" "$tmp/out" && fail "html: a shop name without a config file" || ok
mkdir -p "$tmp/cfg/backupdoctor"
printf '# the shop\nshop_name = "Fix & Go <Berlin>"\nshop_contact = 030 1234567\n' >"$tmp/cfg/backupdoctor/config"
XDG_CONFIG_HOME="$tmp/cfg" run "$BD" analyze --format html "$tmp/cap.json"
expect_out_contains "Checked by Fix &amp; Go &lt;Berlin&gt;</p>" "html: the shop's name from the config"
expect_out_contains "Questions? Ask Fix &amp; Go &lt;Berlin&gt;: 030 1234567." "html: the shop's contact in the footer"
mkdir -p "$HOME/.config/backupdoctor"
cp "$tmp/cfg/backupdoctor/config" "$HOME/.config/backupdoctor/config"
sim_android --scenario "$SCEN/battery-saver"
run "$BD" scan --format html
sim_stop
expect_out_contains "Checked by Fix &amp; Go &lt;Berlin&gt;</p>" "scan html: the shop's name from ~/.config"
rm -r "$HOME/.config/backupdoctor"

# two benches at once: 200 visits each, none lost
writer() {
	i=0
	while [ $i -lt 200 ]; do
		"$BD" info --capture "$tmp/cap.json" --log --db "$tmp/busy.db" --ticket "$1-$i" \
			>/dev/null 2>>"$tmp/busy.err" || echo "$1-$i failed" >>"$tmp/busy.fail"
		i=$((i + 1))
	done
}
writer A &
pa=$!
writer B &
pb=$!
wait $pa $pb
[ -s "$tmp/busy.fail" ] && fail "writers failed: $(head -n 3 "$tmp/busy.fail") $(grep -v logged "$tmp/busy.err" | head -n 3)" || ok
assert_equals "400 400" "$(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select count(*) from visits").fetchone()[0], c.execute("select count(distinct ticket) from visits").fetchone()[0])' "$tmp/busy.db")" \
	"two writers, 200 each: 400 visits"

finish
