# t0111-net: the computer's network checks against local HTTP servers
# (127.0.0.1 only): reachable and unreachable endpoints, a proxy, a status
# feed reporting an outage, and a throttled upload whose measured speed is
# within 20% of the throttle, with the backlog estimate that follows.
. ./lib.sh
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# web NAME [options]: a net_server.py on a free port; $NAME_port
web() {
	n=$1
	shift
	python3 "$SRCDIR/tests/e2e/net_server.py" --port-file "$tmp/$n.port" "$@" >"$tmp/$n.log" 2>&1 &
	eval "${n}_pid=$!"
	i=0
	while [ ! -s "$tmp/$n.port" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
	eval "${n}_port=$(cat "$tmp/$n.port")"
}
web_stop() { kill "$web_pid" "$proxy_pid" 2>/dev/null; wait "$web_pid" "$proxy_pid" 2>/dev/null; }
trap 'web_stop; sim_stop; rm -rf "$tmp"' EXIT

# 2 Mbit/s: 250000 bytes a second
web web --rate 250000
web proxy --log "$tmp/proxy.requests"
# a port nothing listens on: the one a closed server had
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' >"$tmp/dead.port"
dead=$(cat "$tmp/dead.port")
W=http://127.0.0.1:$web_port

cat >"$tmp/ep.txt" <<EOT
timeout 3
upload_bytes 1000000
google_photos upload $W/ok
dropbox       upload http://127.0.0.1:$dead/
google_photos status $W/status/major statuspage
dropbox       status $W/status/none statuspage
EOT

# no network unless asked: a plain scan makes no request
sim_android --scenario "$SCEN/healthy-a14"
run "$BD" scan --format json
assert_equals "False" "$(json_get 'any(k.startswith("host.") for k in j["facts"])')" "scan without --net: no host facts"
sim_stop

run "$BD" net --endpoints "$tmp/ep.txt" --format json
expect_status 1 "net: something is wrong"
assert_equals "['google_photos $W/ok']" "$(json_get 'j["facts"]["host.reachable"]["value"].split(", ") if False else [x for x in [j["facts"]["host.reachable"]["value"]]]')" "net: reachable"
assert_equals "dropbox http://127.0.0.1:$dead/" "$(json_get 'j["facts"]["host.unreachable"]["value"]')" "net: unreachable"
assert_equals "none" "$(json_get 'j["facts"]["host.proxy"]["value"]')" "net: no proxy"
assert_equals "outage ok" "$(json_get 'j["facts"]["app.google_photos.service_status"]["value"] + " " + j["facts"]["app.dropbox.service_status"]["value"]')" "net: status feeds"

# a proxy: detected, and the requests go through it
cat >"$tmp/ep-proxy.txt" <<EOT
timeout 3
google_photos upload http://photos.example.invalid/
EOT
export http_proxy=http://127.0.0.1:$proxy_port
run "$BD" net --endpoints "$tmp/ep-proxy.txt" --format json
unset http_proxy
expect_status 0 "proxy: reachable through it"
assert_equals "http://127.0.0.1:$proxy_port" "$(json_get 'j["facts"]["host.proxy"]["value"]')" "proxy: detected"
grep -q "^HEAD http://photos.example.invalid/" "$tmp/proxy.requests" && ok || fail "proxy: the request went through the proxy"

# a bad endpoints file names the line
printf 'google_photos sideways http://x/\n' >"$tmp/bad.txt"
run "$BD" net --endpoints "$tmp/bad.txt"
expect_status 2 "bad endpoints file"
expect_err_line "backupdoctor: $tmp/bad.txt: line 1: expected 'APP upload URL' or 'APP status URL statuspage|text'" "bad endpoints: the line"

# scan --net: the outage and the throttled upload, on a phone in use with Google Photos
sim_android --scenario "$SCEN/healthy-a14"
run "$BD" scan --net --endpoints "$tmp/ep.txt" --upload-test "$W/upload" --format json
expect_status 1 "scan --net: findings"
cp "$tmp/out" "$tmp/scan.json"
python3 - "$tmp/out" <<'EOT' && ok || fail "upload: measured speed not within 20% of 2 Mbit/s: $(json_get 'j["facts"].get("host.upload_rate")')"
import json, sys
j = json.load(open(sys.argv[1]))
f = dict(p.split("=") for p in j["facts"]["host.upload_rate"]["raw"].split())
r = float(f["bytes"]) * 8 / float(f["seconds"])
sys.exit(0 if abs(r - 2e6) <= 0.2 * 2e6 else 1)
EOT
assert_equals "service-outage confirmed" \
	"$(json_get '" ".join(next((f["id"], f["status"]) for f in j["findings"] if f["id"] == "service-outage"))')" \
	"scan --net: service-outage from the status feed"
sim_stop

# the backlog estimate that follows: the measured rate on a phone with 14 GB waiting
python3 - "$SRCDIR/tests/cases/large-backlog.json" "$tmp/scan.json" "$tmp/backlog.json" <<'EOT'
import json, sys
case = json.load(open(sys.argv[1]))
scan = json.load(open(sys.argv[2]))
case["facts"]["media.pending_bytes"]["value"] = 14e9
case["facts"]["host.upload_rate"] = scan["facts"]["host.upload_rate"]
f = dict(p.split("=") for p in scan["facts"]["host.upload_rate"]["raw"].split())
case["facts"]["host.upload_rate"]["value"] = float(f["bytes"]) * 8 / float(f["seconds"])
json.dump(case, open(sys.argv[3], "w"))
EOT
run "$BD" analyze --format json "$tmp/backlog.json"
ids=$(json_get '" ".join(sorted(f["id"] for f in j["findings"]))')
case " $ids " in *" slow-upload "*) ok ;; *) fail "backlog: no slow-upload in: $ids" ;; esac
case " $ids " in *" large-backlog "*) ok ;; *) fail "backlog: no large-backlog in: $ids" ;; esac
est=$(json_get '[e["text"] for f in j["findings"] if f["id"] == "slow-upload" for e in f["evidence"] if e["text"].startswith("Waiting")][0]')
echo "$name: $est" >&2
# 14 GB at 2 Mbit/s +-20%: 13 to 19.5 hours
python3 -c 'import re,sys; m=re.search(r"about ([0-9.]+) hours", sys.argv[1]); sys.exit(0 if m and 12.9 <= float(m.group(1)) <= 19.5 else 1)' "$est" &&
	ok || fail "backlog estimate: $est"
# the config file (~/.config/backupdoctor/config here) names another
# endpoints file and overrides its thresholds: no new build for a shop
cfg="$HOME/.config/backupdoctor"
mkdir -p "$cfg"
cp "$tmp/ep.txt" "$cfg/shop-endpoints.txt"
printf '# a shop on its own network\nnet_endpoints = shop-endpoints.txt\n' >"$cfg/config"
run "$BD" net --format json
expect_status 1 "config net_endpoints: used (relative to the config directory)"
assert_equals "dropbox http://127.0.0.1:$dead/" "$(json_get 'j["facts"]["host.unreachable"]["value"]')" \
	"config net_endpoints: its endpoints are checked"
# --endpoints on the command line wins over the config
run "$BD" net --endpoints "$tmp/ep-proxy.txt" --format json
assert_equals "photos.example.invalid" "$(json_get 'j["facts"]["host.unreachable"]["value"].split("/")[2]')" \
	"--endpoints wins over the config"
printf 'net_endpoints = %s/missing.txt\n' "$tmp" >"$cfg/config"
run "$BD" net
expect_status 2 "config net_endpoints: a missing file"
grep -q "^backupdoctor: $tmp/missing.txt: " "$tmp/err" && ok || fail "config net_endpoints: the error names the file: $(cat "$tmp/err")"
# upload_bytes: the size of the test POST (the endpoints file says 1000000)
printf 'net_endpoints = %s/ep.txt\nupload_bytes = 300000\n' "$tmp" >"$cfg/config"
run "$BD" net --upload-test "$W/upload" --format json
assert_equals "300000" "$(json_get 'j["facts"]["host.upload_rate"]["raw"].split("bytes=")[1].split()[0]')" \
	"config upload_bytes: the POST size"
# net_timeout: 0.05 s (the file says 3) gives the upload 0.6 s, too short for 4 s at 2 Mbit/s
printf 'net_endpoints = %s/ep.txt\nnet_timeout = 0.05\n' "$tmp" >"$cfg/config"
run "$BD" net --upload-test "$W/upload" --format json
assert_equals "unknown True" \
	"$(json_get 'j["facts"]["host.upload_rate"]["state"] + " " + str("failed" in j["facts"]["host.upload_rate"]["note"])')" \
	"config net_timeout: the upload test times out"
printf 'net_timeout = fast\n' >"$cfg/config"
run "$BD" net --endpoints "$tmp/ep.txt"
expect_status 2 "config net_timeout: not a number"
expect_err_line "backupdoctor: config: net_timeout = 'fast' is not a positive number" "config net_timeout: the message"
rm -r "$cfg"
finish
