# t0005-reports: the JSON contract, colour rules, Markdown and HTML shape,
# the summary over several phones, and --fail-on.
. ./lib.sh

saver="$CASES/battery-saver.json"
healthy="$CASES/healthy-android.json"

run "$BD" analyze --format json "$saver"
expect_status 1 "a finding: exit 1"
assert_equals "backupdoctor.report/1" "$(json_get 'j["schema"]')" "schema"
assert_equals "True" "$(json_get 'set(j) >= {"schema","device","facts","findings","questions","ruled_out"}')" "top-level keys"
assert_equals "True" "$(json_get 'set(j["device"]) >= {"platform","model","os_version"}')" "device keys"
assert_equals "True" "$(json_get 'all(set(f) >= {"id","status","score","title","evidence","fixes"} for f in j["findings"])')" "finding keys"
assert_equals "True" "$(json_get 'all(f["status"] in ("confirmed","possible") for f in j["findings"])')" "finding status values"
assert_equals "True" "$(json_get 'all("source" in v and "state" in v for v in j["facts"].values() if v["state"] != "unknown")')" "facts carry provenance"
assert_equals "True" "$(json_get '[f["score"] for f in j["findings"] if f["status"]=="confirmed"] == sorted([f["score"] for f in j["findings"] if f["status"]=="confirmed"], reverse=True)')" "confirmed findings best first"
expect_no_stderr "json report"

# text: never colour into a pipe; colour on a terminal unless NO_COLOR
run "$BD" analyze "$saver"
if grep -q "$(printf '\033')" "$tmp/out"; then fail "colour escape in a pipe"; else ok; fi
pty() {
	python3 - "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write("ESC" if b"\x1b[" in out else "PLAIN")
PY
}
assert_equals "ESC" "$(pty "$BD" analyze "$saver")" "colour on a terminal"
assert_equals "PLAIN" "$(NO_COLOR=1 pty "$BD" analyze "$saver")" "NO_COLOR on a terminal"
assert_equals "PLAIN" "$(NO_COLOR= pty "$BD" --no-color analyze "$saver")" "--no-color on a terminal"

run "$BD" analyze --format md "$saver"
expect_status 1 "md"
head -n 1 "$tmp/out" | grep -q '^# ' && ok || fail "md starts with a heading"
grep -q 'battery' "$tmp/out" && ok || fail "md mentions the finding"

run "$BD" analyze --format html "$saver"
expect_status 1 "html"
head -n 1 "$tmp/out" | grep -qi '^<!DOCTYPE html>' && ok || fail "html is a document"
if grep -Eiq '<script|<link|src="http|href="http|@import|url\(' "$tmp/out"; then
	fail "html refers to outside assets"
else ok; fi
run "$BD" analyze --format html "$saver" "$healthy"
expect_status 2 "html takes one phone"

# several phones: a report each, then how often each cause was found
run "$BD" analyze "$saver" "$healthy" "$saver"
expect_status 1 "summary over three"
expect_out_contains "==== Summary: 2 of 3 phones with a finding" "text summary"
run "$BD" analyze --format json "$saver" "$healthy" "$saver"
assert_equals "backupdoctor.summary/1 3 2" "$(json_get 'j["schema"] + " " + str(len(j["reports"])) + " " + str(j["causes"]["battery-saver"])')" "json summary"

# --fail-on: scripts choose what fails
run "$BD" analyze --fail-on never "$saver"
expect_status 0 "--fail-on never"
run "$BD" analyze --fail-on confirmed "$healthy"
expect_status 0 "--fail-on confirmed, nothing confirmed"
run "$BD" analyze --fail-on confirmed "$saver"
expect_status 1 "--fail-on confirmed, a confirmed finding"

# -o writes the report to a file, nothing on stdout
run "$BD" analyze --format json -o "$tmp/r.json" "$saver"
expect_status 1 "-o"
[ -s "$tmp/r.json" ] && [ ! -s "$tmp/out" ] && ok || fail "-o writes the file only"

finish
