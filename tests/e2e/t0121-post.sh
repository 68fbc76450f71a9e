# t0121-post: scan --post to a collector over HTTPS (a server on 127.0.0.1
# started here, with a self-signed certificate given by --cacert): the
# payload arrives redacted with the bearer token; a wrong certificate is
# refused; a server that is down leaves the report unsent and 'log resend'
# delivers it.  Then every shareable output is searched for the phones'
# IMEI and serial, which must not be there.
. ./lib.sh

command -v openssl >/dev/null || { echo "t0121-post: 0 passed, 0 failed"; exit 0; }
mkcert() { # NAME: a self-signed certificate for 127.0.0.1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1" -keyout "$tmp/$1.key" -out "$tmp/$1.pem" 2>/dev/null
}
mkcert good
mkcert other
cat >"$tmp/collector.py" <<'PY'
import http.server, ssl, sys, os
cert, key, portfile, outdir = sys.argv[1:5]
port = int(sys.argv[5]) if len(sys.argv) > 5 else 0
n = [0]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        n[0] += 1
        with open(os.path.join(outdir, "post%d.json" % n[0]), "wb") as f:
            f.write(body)
        with open(os.path.join(outdir, "post%d.auth" % n[0]), "w") as f:
            f.write(self.headers.get("Authorization", ""))
        self.send_response(201)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.timeout = 1
with open(portfile + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
for _ in range(120):   # a bounded life: two minutes at most
    s.handle_request()
PY
srv_pid=
collector() { # [PORT]
	rm -f "$tmp/srv.port"
	mkdir -p "$tmp/got"
	python3 "$tmp/collector.py" "$tmp/good.pem" "$tmp/good.key" "$tmp/srv.port" "$tmp/got" "$@" \
		>"$tmp/srv.log" 2>&1 &
	srv_pid=$!
	i=0
	while [ ! -s "$tmp/srv.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(cat "$tmp/srv.port")
}
collector_stop() { [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; wait "$srv_pid" 2>/dev/null; srv_pid=; }
trap 'collector_stop; sim_stop; sim_ios_stop; rm -rf "$tmp"' EXIT

SERIAL=28161FDH2000AB
IOS_SERIAL=G7XK2N9Q4T
IOS_IMEI=356789101234564
db="$tmp/shop.db"
export BACKUPDOCTOR_POST_TOKEN=s3cret-token
collector
sim_android --scenario "$SCEN/beta-software"
run "$BD" scan --post "https://127.0.0.1:$port/reports" --cacert "$tmp/good.pem" --log --db "$db" \
	--ticket T-7 --format md -o "$tmp/share.md"
expect_status 1 "scan --post"
expect_err_line "backupdoctor: report sent to https://127.0.0.1:$port/reports" "sent"
assert_equals "backupdoctor.report/1 T-7" \
	"$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["schema"], j["visit"]["ticket"])' "$tmp/got/post1.json")" \
	"the payload is the JSON report with the visit"
assert_equals "Bearer s3cret-token" "$(cat "$tmp/got/post1.auth")" "the token from the environment"
grep -q "$SERIAL" "$tmp/got/post1.json" && fail "the payload holds the serial" || ok
grep -q "redacted-" "$tmp/got/post1.json" && ok || fail "the payload carries the stable tag"

# a certificate the collector does not have is refused, and the report kept
run "$BD" scan --post "https://127.0.0.1:$port/reports" --cacert "$tmp/other.pem" --db "$db" --format json
grep -q "SSL\|certificate" "$tmp/err" && ok || fail "a wrong certificate is refused: $(cat "$tmp/err")"
[ -e "$tmp/got/post2.json" ] && fail "nothing reached the collector over a refused certificate" || ok
# without --cacert the system store does not know a self-signed certificate either
run "$BD" scan --post "https://127.0.0.1:$port/reports" --db "$db" --format json
[ -e "$tmp/got/post2.json" ] && fail "no verification against the system store" || ok
collector_stop

# a collector that is down: kept as unsent, then 'log resend' delivers
run "$BD" scan --post "https://127.0.0.1:$port/reports" --cacert "$tmp/good.pem" --log --db "$db" \
	--ticket T-8 --format json
expect_err_line "backupdoctor: the report is kept in the shop log as unsent (3); 'backupdoctor log resend' sends it" "kept as unsent"
cp "$tmp/out" "$tmp/share.json"
run "$BD" log --db "$db" search --ticket T-8
expect_out_contains "(report unsent)" "the visit says its report is unsent"
collector "$port"
run "$BD" log --db "$db" resend --cacert "$tmp/good.pem"
expect_status 0 "resend"
expect_err_line "backupdoctor: 3 reports sent, 0 still unsent" "resend delivers every unsent report"
assert_equals "T-8" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["visit"]["ticket"])' "$tmp/got/post3.json" 2>&1)" \
	"the collector got the kept report"
run "$BD" log --db "$db" resend --cacert "$tmp/good.pem"
expect_err_line "backupdoctor: 0 reports sent, 0 still unsent" "nothing is sent twice"
collector_stop

# every shareable output of both phones: no IMEI, no serial
run "$BD" scan --format html -o "$tmp/share.html"
run "$BD" capture -o "$tmp/cap.json"
for f in md html json; do
	"$BD" analyze --format $f "$tmp/cap.json" >"$tmp/share-analyze.$f" 2>/dev/null
done
sim_stop
sim_ios --scenario "$IOS_SCEN/healthy"
noadb="env PATH=/nonexistent"
for f in md html json; do
	$noadb "$BD" scan --format $f >"$tmp/share-ios.$f" 2>/dev/null
done
$noadb "$BD" info --log --db "$db" >/dev/null 2>&1
$noadb "$BD" capture -o "$tmp/ios-cap.json" 2>"$tmp/ios-cap.err" || cat "$tmp/ios-cap.err" >&2
"$BD" analyze --format json "$tmp/ios-cap.json" >"$tmp/share-ios-analyze.json" 2>/dev/null
sim_ios_stop
"$BD" log --db "$db" export --format csv >"$tmp/share-export.csv"
"$BD" log --db "$db" export --format json >"$tmp/share-export.json"
grep -q "$IOS_SERIAL" "$tmp/ios-cap.json" && ok || fail "the iOS scenario does hold the serial"
for f in "$tmp"/share* "$tmp"/got/*.json; do
	if grep -q -e "$SERIAL" -e "$IOS_SERIAL" -e "$IOS_IMEI" "$f"; then
		fail "$(basename "$f") holds an IMEI or serial"
	else
		ok
	fi
done
"$BD" log --db "$db" export --format json --include-personal >"$tmp/personal.json"
grep -q "$SERIAL" "$tmp/personal.json" && ok || fail "--include-personal keeps the serial"

finish
