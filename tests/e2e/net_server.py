#!/usr/bin/env python3
"""net_server.py - a local HTTP server for t0111-net.sh, on 127.0.0.1 only.

  HEAD/GET /ok                 200
  GET /status/NONE|MINOR|MAJOR Statuspage status.json with that indicator
  POST /upload                 reads the body at --rate bytes per second, then 200
  anything with an absolute URL (a proxy request): 200, logged to --log
"""
import argparse, http.server, json, time

class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def common(self):
        if self.path.startswith("http://"):
            with open(self.server.args.log, "a") as f:
                f.write("%s %s\n" % (self.command, self.path))
            return self.reply(200, b"via proxy\n")
        if self.path == "/ok":
            return self.reply(200, b"ok\n")
        if self.path.startswith("/status/"):
            ind = self.path.rsplit("/", 1)[1].lower()
            return self.reply(200, json.dumps({"status": {"indicator": ind}}).encode())
        self.reply(404)

    do_GET = do_HEAD = common

    def do_POST(self):
        if self.path.startswith("http://"):
            return self.common()
        left = int(self.headers.get("Content-Length", "0"))
        rate = self.server.args.rate
        start = time.monotonic()
        got = 0
        while left > 0:
            chunk = self.rfile.read(min(left, 8192))
            if not chunk:
                break
            left -= len(chunk)
            got += len(chunk)
            # throttle: never ahead of rate bytes per second
            ahead = got / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
        self.reply(200, b"stored\n")

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--rate", type=float, default=250000)
ap.add_argument("--log", default="/dev/null")
args = ap.parse_args()
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.args = args
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(args.port_file + ".tmp", args.port_file)
srv.serve_forever()
