#!/usr/bin/env python3
# adb_sim.py - an adb server simulator: simulated Android phones behind the
# host smart-socket protocol that the real `adb` client and backupdoctor speak.
#
# A client connects over TCP loopback and sends requests framed as four hex
# digits of length and the payload; the server answers OKAY or FAIL + four hex
# digits + message, exactly as Debian's adb server (platform-tools 29.0.6,
# ADB_SERVER_VERSION 41) does.  Host services: host:version, host:kill,
# host:devices, host:devices-l, host:track-devices[-l], host:host-features,
# [host|host-serial:S|host-usb|host-local|host-transport-id:N]:features,
# :get-state, :get-serialno, :get-devpath, and the transport switches
# host:transport:S, host:transport-any/-usb/-local, host:transport-id:N,
# host:tport:serial:S / :any / :usb / :local (OKAY + 8-byte transport id).
# After a transport, a device service: shell:CMD and exec:CMD (raw, stdout and
# stderr merged, connection closed at the end) or shell,v2[,...]:CMD (shell
# protocol v2 packets: 1-byte id, 4-byte little-endian length, payload; 1
# stdout, 2 stderr, 3 exit with one status byte; the client's stdin (0),
# close-stdin (4) and window-size (5) packets are taken).
#
# Each phone is a scenario directory (see README.md): a `scenario` file of
# key=value lines naming a profile (tests/sim/android/profiles/NAME) whose
# recorded answers the scenario's own files override, the serial, the state
# (device, unauthorized, offline ...) and faults.  At start the files are
# copied into a private state directory per phone, so commands that change the
# phone (settings put ...) change only this run.  A command line is answered
# from the file named after it if there is one, else by the stubs in
# tests/sim/android/stubs (in this process for a simple command, under a real
# /bin/sh with the stubs first on PATH for anything else).
#
# Python 3 standard library only.  Usage: adb_sim.py --help, and README.md.

import argparse
import os
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "android", "stubs")
PROFILES = os.path.join(HERE, "android", "profiles")
sys.path.insert(0, STUBS)
import stub  # noqa: E402

# What Debian's adb 1:29.0.6 client expects: a different number makes it kill
# the server and start its own.
ADB_SERVER_VERSION = 41

# host:host-features of Debian's adb server, as it answers it.
HOST_FEATURES = ("push_sync,remount_shell,abb_exec,abb,apex,fixed_push_mkdir,ls_v2,"
                 "stat_v2,fixed_push_symlink_timestamp,cmd,shell_v2")
# What an Android 10+ adbd offers in its CNXN banner.
DEVICE_FEATURES = ("shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,"
                   "fixed_push_symlink_timestamp,abb_exec,remount_shell")


def default_features(sdk):
    """The features an adbd of that API level offers: shell_v2 and cmd came
    with Android 7 (API 24); before it clients fall back to shell:."""
    try:
        level = int(sdk)
    except ValueError:
        return DEVICE_FEATURES
    if level >= 29:
        return DEVICE_FEATURES
    return "shell_v2,cmd" if level >= 24 else ""

UNAUTHORIZED = ("device unauthorized.\n"
                "This adb server's $ADB_VENDOR_KEYS is %s\n"
                "Try 'adb kill-server' if that seems wrong.\n"
                "Otherwise check for a confirmation dialog on your device.")

# Connection states and the error a transport request gets in each.
STATE_ERRORS = {
    "offline": "device offline",
    "authorizing": "device still authorizing",
    "connecting": "device still connecting",
}
STATES = ("device", "unauthorized", "offline", "authorizing", "connecting",
          "recovery", "sideload", "bootloader", "rescue")

# The host requests about one device.
DEVICE_QUERIES = ("features", "get-state", "get-serialno", "get-devpath")

FAULTS = ("hang", "unplug", "drop", "badframe", "garbage", "huge")

# The host tools a phone's shell may use besides the stubs (toybox has them).
TOYBOX = ("cat", "echo", "printf", "wc", "grep", "egrep", "sed", "awk", "head",
          "tail", "sort", "uniq", "cut", "tr", "sleep", "true", "false", "test",
          "[", "ls", "date", "id", "expr", "basename", "dirname", "tee", "xargs",
          "env", "seq", "stat", "touch", "mkdir", "rm", "mv", "cp", "ln", "od",
          "base64", "md5sum", "sha1sum", "find", "uptime", "which", "yes",
          "paste", "nproc", "timeout", "kill", "ps", "uname", "whoami")

SHELL = "/bin/sh"
SHELL_ARGV0 = "/system/bin/sh"
DASH_NOT_FOUND = re.compile(rb"^/system/bin/sh: \d+: (.*): not found$")

SIMPLE = re.compile(r"[A-Za-z0-9_./:,@+%=-]+( +[A-Za-z0-9_./:,@+%=-]+)*")

CHUNK = 64 * 1024


def log(msg):
    sys.stderr.write("adb_sim: %s\n" % msg)
    sys.stderr.flush()


class Closed(Exception):
    """The client went away."""


# ------------------------------------------------------------------ devices

class Device:
    """One simulated phone: its scenario, its state directory, its faults."""

    def __init__(self, sim, scenario_dir, index):
        self.sim = sim
        self.dir = os.path.abspath(scenario_dir)
        self.index = index
        self.transport_id = index + 1
        self.attached = True
        self.lock = threading.Lock()
        keys = self._read_scenario()
        self.serial = keys.get("serial", [os.path.basename(self.dir.rstrip("/"))])[-1]
        self.state = keys.get("state", ["device"])[-1]
        if self.state not in STATES:
            raise SystemExit("adb_sim: %s: unknown state '%s'" % (self.dir, self.state))
        self.transport = keys.get("transport", ["usb"])[-1]
        default_devpath = "usb:1-%d" % (index + 1) if self.transport == "usb" else ""
        self.devpath = keys.get("devpath", [default_devpath])[-1]
        features = keys.get("features")
        self.faults = []
        for kind in FAULTS:
            for prefix in keys.get(kind, []):
                self.faults.append((kind, prefix))
        self.latency = {}
        for key, values in keys.items():
            if key.startswith("latency."):
                self.latency[key[len("latency."):]] = int(values[-1])
        self.base_latency = int(keys.get("latency", ["0"])[-1])
        self.huge_size = int(keys.get("huge.size", [str(sim.huge_size)])[-1])

        root = os.path.join(sim.state_root, "%d-%s" % (index + 1,
                                                      re.sub(r"[^A-Za-z0-9._-]", "_",
                                                             self.serial)))
        self.state_dir = os.path.join(root, "state")
        self.bin_dir = os.path.join(root, "bin")
        os.makedirs(self.state_dir)
        os.makedirs(self.bin_dir)
        profile = keys.get("profile", [None])[-1]
        if profile:
            pdir = profile if "/" in profile else os.path.join(sim.profiles, profile)
            pdir = os.path.join(self.dir, pdir) if not os.path.isabs(pdir) else pdir
            if not os.path.isdir(pdir):
                raise SystemExit("adb_sim: %s: no profile directory %s" % (self.dir, pdir))
            self._copy(pdir)
        self._copy(self.dir, skip_meta=True)
        for name in keys.get("remove", []):
            for n in (name, name + ".err", name + ".exit"):
                p = os.path.join(self.state_dir, n)
                if os.path.isfile(p):
                    os.unlink(p)
        self.st = stub.State(self.state_dir)
        props = stub.getprops(self.st.text("getprop", ""))
        self.product = keys.get("product", [props.get("ro.product.name", "")])[-1]
        self.model = keys.get("model", [props.get("ro.product.model", "")])[-1]
        self.device = keys.get("device", [props.get("ro.product.device", "")])[-1]
        self.features = features[-1] if features else default_features(
            props.get("ro.build.version.sdk", ""))
        self._make_bin()

    def _read_scenario(self):
        keys = {}
        path = os.path.join(self.dir, "scenario")
        if not os.path.isfile(path):
            raise SystemExit("adb_sim: %s: no scenario file" % self.dir)
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if "=" not in line:
                    raise SystemExit("adb_sim: %s:%d: expected key=value" % (path, n))
                key, value = line.split("=", 1)
                keys.setdefault(key.strip(), []).append(value)
        return keys

    def _copy(self, src, skip_meta=False):
        for name in sorted(os.listdir(src)):
            path = os.path.join(src, name)
            if not os.path.isfile(path) or name.startswith("."):
                continue
            if skip_meta and (name == "scenario" or name.startswith("README")
                              or name.endswith(".md") or name.startswith("SOURCES")):
                continue
            shutil.copyfile(path, os.path.join(self.state_dir, name))

    def _make_bin(self):
        """Wrappers on the phone's PATH: every stub, and every other command
        the recorded files answer (logcat_-d -> logcat)."""
        names = set(stub.HANDLERS)
        for n in os.listdir(self.state_dir):
            first = n.split("_", 1)[0]
            if first.endswith((".err", ".exit")):
                first = first.rsplit(".", 1)[0]
            if re.fullmatch(r"[A-Za-z0-9.+-]+", first) and "|" not in n:
                names.add(first)
        stub_py = os.path.join(STUBS, "stub.py")
        for name in names:
            path = os.path.join(self.bin_dir, name)
            with open(path, "w") as f:
                f.write("#!/bin/sh\nexec '%s' -S '%s' '%s' \"$@\"\n"
                        % (sys.executable, stub_py, name))
            os.chmod(path, 0o755)

    # -- listing --
    def short_row(self):
        return "%s\t%s\n" % (self.serial, self.state)

    def long_row(self):
        row = "%-22s %s" % (self.serial, self.state)
        if self.devpath:
            row += " " + self.devpath
        if self.state == "device":
            # The banner values are known only once adbd has connected.
            if self.product:
                row += " product:" + self.product.replace("\n", "_")
            if self.model:
                row += " model:" + re.sub(r"[^A-Za-z0-9]", "_", self.model)
            if self.device:
                row += " device:" + self.device.replace("\n", "_")
        return row + " transport_id:%d\n" % self.transport_id

    def matches(self, target):
        if target == self.serial or (self.devpath and target == self.devpath):
            return True
        if self.state != "device":
            return False
        for prefix, value in (("product:", self.product), ("device:", self.device)):
            if value and target == prefix + value:
                return True
        return bool(self.model) and target == "model:" + re.sub(r"[^A-Za-z0-9]", "_",
                                                                self.model)

    def fault_for(self, cmd):
        for kind in FAULTS:
            for k, prefix in self.faults + self.sim.faults:
                if k == kind and cmd.startswith(prefix):
                    return kind
        return None

    def latency_for(self, cmd):
        ms = self.sim.latency_ms + self.base_latency
        best = None
        for table in (self.sim.latency, self.latency):
            for prefix, value in table.items():
                if cmd.startswith(prefix) and (best is None or len(prefix) >= len(best[0])):
                    best = (prefix, value)
        if best is not None:
            ms += best[1]
        return ms / 1000.0


# --------------------------------------------------------------- the server

class Sim:
    def __init__(self, opts):
        self.opts = opts
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.generation = 0
        self.conns = set()
        self.procs = set()
        self.slots = threading.BoundedSemaphore(opts.max_connections)
        self.latency_ms = opts.latency_ms
        self.huge_size = opts.huge_size
        self.profiles = opts.profiles
        self.vendor_keys = os.environ.get("ADB_VENDOR_KEYS") or "not set"
        self.faults = []
        for kind in FAULTS:
            for prefix in getattr(opts, kind) or []:
                self.faults.append((kind, prefix))
        self.latency = {}
        for spec in opts.latency or []:
            prefix, _, ms = spec.rpartition("=")
            self.latency[prefix] = int(ms)
        self.own_state_root = opts.state_dir is None
        if opts.state_dir and os.path.isdir(opts.state_dir) and os.listdir(opts.state_dir):
            raise SystemExit("adb_sim: --state-dir %s is not empty" % opts.state_dir)
        self.state_root = opts.state_dir or tempfile.mkdtemp(prefix="adb-sim.")
        os.makedirs(self.state_root, exist_ok=True)
        self.toybox = os.path.join(self.state_root, "toybox")
        os.makedirs(self.toybox, exist_ok=True)
        for name in TOYBOX:
            path = shutil.which(name, path="/usr/bin:/bin")
            if path:
                os.symlink(path, os.path.join(self.toybox, name))
        self.devices = []
        serials = set()
        try:
            for i, d in enumerate(opts.scenario or []):
                dev = Device(self, d, i)
                if dev.serial in serials:
                    raise SystemExit("adb_sim: two scenarios have serial %s" % dev.serial)
                serials.add(dev.serial)
                self.devices.append(dev)
        except BaseException:
            if self.own_state_root:
                shutil.rmtree(self.state_root, ignore_errors=True)
            raise

    # -- lifecycle --
    def listen(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((self.opts.host, self.opts.port))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]

    def serve(self):
        # At most --max-connections at once: past that, new connections wait
        # in the listen backlog until one ends (none is refused).
        while not self.stop.is_set():
            if not self.slots.acquire(timeout=0.2):
                continue
            conn = None
            try:
                r, _, _ = select.select([self.sock], [], [], 0.2)
                if r:
                    conn, _ = self.sock.accept()
            except (OSError, ValueError):
                conn = None
            if conn is None:
                self.slots.release()
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.conns.add(conn)
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        self.shutdown()

    def shutdown(self):
        self.stop.set()
        sock = getattr(self, "sock", None)
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        with self.lock:
            conns, procs = list(self.conns), list(self.procs)
            self.changed.notify_all()
        for p in procs:
            kill_group(p)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self.own_state_root and not self.opts.keep_state:
            shutil.rmtree(self.state_root, ignore_errors=True)

    def notify(self):
        with self.lock:
            self.generation += 1
            self.changed.notify_all()

    # -- the connection --
    def handle(self, conn):
        try:
            self.converse(conn)
        except (Closed, OSError):
            pass
        except Exception as e:  # a bug here must not take the server down
            log("internal error: %r" % (e,))
        finally:
            with self.lock:
                self.conns.discard(conn)
            try:
                conn.close()
            except OSError:
                pass
            self.slots.release()

    def converse(self, conn):
        dev = None
        while True:
            req = read_request(conn)
            if self.opts.verbose:
                log("request %r" % req)
            if dev is not None:
                return self.device_service(conn, dev, req)
            if not req.startswith("host"):
                return fail(conn, "device offline (no transport)")
            dev, again = self.host_service(conn, req)
            if not again:
                return

    # -- host services --
    def host_service(self, conn, req):
        """Answer a host request.  Returns (device, True) when the connection
        now talks to a device, (None, False) when it is done."""
        if req == "host:version":
            okay(conn, "%04x" % ADB_SERVER_VERSION)
            return None, False
        if req == "host:kill":
            send(conn, b"OKAY")
            close(conn)
            self.stop.set()
            return None, False
        if req in ("host:devices", "host:devices-l"):
            okay(conn, self.listing(req.endswith("-l")))
            return None, False
        if req in ("host:track-devices", "host:track-devices-l"):
            self.track(conn, req.endswith("-l"))
            return None, False
        if req == "host:host-features":
            okay(conn, HOST_FEATURES)
            return None, False

        # Transport switches.
        m = re.fullmatch(r"host:(transport|tport):(.*)", req)
        if m or req in ("host:transport-any", "host:transport-usb", "host:transport-local") \
                or req.startswith("host:transport-id:"):
            tport = bool(m) and m.group(1) == "tport"
            if m and m.group(1) == "transport":
                how, what = "serial", m.group(2)
            elif m:
                spec = m.group(2)
                if spec.startswith("serial:"):
                    how, what = "serial", spec[len("serial:"):]
                elif spec in ("any", "usb", "local"):
                    how, what = spec, None
                else:
                    fail(conn, "unknown host service")
                    return None, False
            elif req.startswith("host:transport-id:"):
                how, what = "id", req[len("host:transport-id:"):]
            else:
                how, what = req[len("host:transport-"):], None
            dev, err = self.acquire(how, what)
            if dev is None:
                fail(conn, err)
                return None, False
            if tport:
                send(conn, b"OKAY" + struct.pack("<Q", dev.transport_id))
            else:
                send(conn, b"OKAY")
            return dev, True

        # Queries about one device: <prefix>:<request>.
        how, what, rest = self.split_prefix(req)
        if rest in DEVICE_QUERIES:
            dev, err = self.acquire(how, what)
            if dev is None:
                fail(conn, err)
            elif rest == "features":
                okay(conn, dev.features)
            elif rest == "get-state":
                okay(conn, dev.state)
            elif rest == "get-serialno":
                okay(conn, dev.serial)
            else:
                okay(conn, dev.devpath or "unknown")
            return None, False
        fail(conn, "unknown host service")
        return None, False

    def split_prefix(self, req):
        if req.startswith("host-serial:"):
            rest = req[len("host-serial:"):]
            # Serials and -s targets may hold colons (usb:1-1, model:X,
            # host:port): the request is the known word at the end.
            for cmd in DEVICE_QUERIES:
                if rest.endswith(":" + cmd) and len(rest) > len(cmd) + 1:
                    return "serial", rest[:-len(cmd) - 1], cmd
            for dev in sorted(self.devices, key=lambda d: -len(d.serial)):
                if rest.startswith(dev.serial + ":"):
                    return "serial", dev.serial, rest[len(dev.serial) + 1:]
            # host:port serials keep their port.
            m = re.match(r"^([^:]*:\d+):(.*)$", rest)
            if m and m.group(2) in DEVICE_QUERIES:
                return "serial", m.group(1), m.group(2)
            serial, _, cmd = rest.partition(":")
            return "serial", serial, cmd
        if req.startswith("host-transport-id:"):
            tid, _, cmd = req[len("host-transport-id:"):].partition(":")
            return "id", tid, cmd
        if req.startswith("host-usb:"):
            return "usb", None, req[len("host-usb:"):]
        if req.startswith("host-local:"):
            return "local", None, req[len("host-local:"):]
        return "any", None, req.partition(":")[2]

    def attached(self):
        with self.lock:
            devs = [d for d in self.devices if d.attached]
        # adb sorts by transport type (USB first), then serial.
        return sorted(devs, key=lambda d: (d.transport != "usb", d.serial.encode()))

    def listing(self, long_form):
        return "".join(d.long_row() if long_form else d.short_row() for d in self.attached())

    def acquire(self, how, what):
        """Pick a device as adb's acquire_one_transport() does; returns
        (device, None) or (None, the server's error message)."""
        if how == "id":
            err = "no device with transport id '%s'" % what
        elif how == "serial":
            err = "device '%s' not found" % what
        elif how == "local":
            err = "no emulators found"
        elif how == "any":
            err = "no devices/emulators found"
        else:
            err = "no devices found"
        result = None
        for d in self.attached():
            if how == "id":
                if str(d.transport_id) == what:
                    result = d
                    break
                continue
            if how == "serial":
                hit = d.matches(what)
                ambiguous = "more than one device"
            elif how == "usb":
                hit = d.transport == "usb"
                ambiguous = "more than one device"
            elif how == "local":
                hit = d.transport == "local"
                ambiguous = "more than one emulator"
            else:
                hit = True
                ambiguous = "more than one device/emulator"
            if hit:
                if result is not None:
                    return None, ambiguous
                result = d
        if result is None:
            return None, err
        if result.state == "unauthorized":
            return None, UNAUTHORIZED % self.vendor_keys
        if result.state in STATE_ERRORS:
            return None, STATE_ERRORS[result.state]
        return result, None

    def track(self, conn, long_form):
        seen = None
        conn.setblocking(True)
        while not self.stop.is_set():
            with self.lock:
                gen = self.generation
            text = self.listing(long_form)
            if text != seen:
                if seen is None:
                    send(conn, b"OKAY")
                send(conn, ("%04x" % len(text.encode())).encode() + text.encode())
                seen = text
            with self.lock:
                if self.generation == gen and not self.stop.is_set():
                    self.changed.wait(0.2)
            r, _, _ = select.select([conn], [], [], 0)
            if r:
                try:
                    if not conn.recv(4096):
                        return
                except OSError:
                    return

    # -- device services --
    def device_service(self, conn, dev, req):
        m = re.match(r"^(shell|exec)(,[^:]*)?:(.*)$", req, re.S)
        if not m:
            return fail(conn, "closed")
        args = (m.group(2) or "").split(",")
        v2 = m.group(1) == "shell" and "v2" in args
        cmd = m.group(3)
        send(conn, b"OKAY")
        Session(self, conn, dev, cmd, v2).run()


class Session:
    """One shell command on one phone, from OKAY to close."""

    def __init__(self, sim, conn, dev, cmd, v2):
        self.sim, self.conn, self.dev, self.cmd, self.v2 = sim, conn, dev, cmd, v2
        self.proc = None
        self.stdin_lock = threading.Lock()
        self.stdin_closed = False
        self.early_stdin = []
        self.client_gone = threading.Event()
        self.reader = threading.Thread(target=self.read_client, daemon=True)

    # The client's side: stdin packets (v2) or raw stdin (v1), until it closes.
    def read_client(self):
        buf = b""
        try:
            while True:
                data = self.conn.recv(CHUNK)
                if not data:
                    break
                if not self.v2:
                    self.to_stdin(data)
                    continue
                buf += data
                while len(buf) >= 5:
                    pid, n = buf[0], struct.unpack("<I", buf[1:5])[0]
                    if len(buf) < 5 + n:
                        break
                    payload, buf = buf[5:5 + n], buf[5 + n:]
                    if pid == 0:
                        self.to_stdin(payload)
                    elif pid == 4:
                        self.close_stdin()
        except OSError:
            pass
        self.close_stdin()
        self.client_gone.set()
        if self.v2:
            # A v2 client never half-closes: it has gone.
            p = self.proc
            if p is not None:
                kill_group(p)

    def to_stdin(self, data):
        with self.stdin_lock:
            p = self.proc
            if self.stdin_closed:
                return
            if p is None:
                # Before the command starts (latency, or answered without a
                # process): kept for the shell, if it comes to one.
                # (No more than a pipe holds, so that writing it cannot block.)
                if sum(map(len, self.early_stdin)) + len(data) <= 60 * 1024:
                    self.early_stdin.append(data)
                return
            try:
                p.stdin.write(data)
                p.stdin.flush()
            except (OSError, ValueError):
                pass

    def close_stdin(self):
        with self.stdin_lock:
            self.stdin_closed = True
            p = self.proc
            if p is not None:
                try:
                    p.stdin.close()
                except (OSError, ValueError):
                    pass

    # Sending.
    def packet(self, pid, data):
        if not self.v2:
            if pid in (1, 2):
                send(self.conn, data)
            return
        for i in range(0, max(len(data), 1), CHUNK):
            part = data[i:i + CHUNK]
            if part or pid == 3:
                send(self.conn, struct.pack("<BI", pid, len(part)) + part)

    def exit(self, code):
        if self.v2:
            send(self.conn, struct.pack("<BIB", 3, 1, code & 0xFF))

    def finish(self):
        """Close our side and wait (briefly) for the client to close its side,
        so that nothing it sent is left unread (which would reset the
        connection and could lose our last bytes)."""
        try:
            self.conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self.client_gone.wait(2.0)

    def run(self):
        self.reader.start()
        cmd = self.cmd.strip()
        fault = self.dev.fault_for(cmd)
        delay = self.dev.latency_for(cmd)
        if delay > 0 and self.sim.stop.wait(delay):
            return
        if fault == "hang":
            # Never answer; wait for the client to give up or the server to stop.
            while not self.client_gone.is_set() and not self.sim.stop.is_set():
                self.client_gone.wait(0.2)
            return
        if fault == "badframe":
            junk = junk_bytes(cmd, 4096)
            send(self.conn, b"\x07\xff\xff\xff\x7f" + junk if self.v2 else junk)
            return self.finish()
        if fault in ("drop", "unplug"):
            out, err, _ = self.collect()
            if fault == "unplug":
                self.dev.attached = False
                self.sim.notify()
            if err:
                self.packet(2, err)
            if out:
                self.packet(1, out[:max(1, len(out) // 2)])
            try:
                self.conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if fault == "garbage":
            self.packet(1, junk_bytes(cmd, 8192))
            self.exit(0)
            return self.finish()
        if fault == "huge":
            out, err, code = self.collect()
            self.packet(2, err)
            sent = 0
            seed = out or b"x" * 79 + b"\n"
            block = seed * max(1, CHUNK // len(seed))
            while sent < self.dev.huge_size:
                part = block[:self.dev.huge_size - sent]
                self.packet(1, part)
                sent += len(part)
            self.exit(code)
            return self.finish()
        code = self.stream()
        if code is not None:
            self.exit(code)
        self.finish()

    # Running the command.
    def answer(self):
        """A recorded or in-process answer: (out, err, code), or None when
        the command line needs the shell."""
        cmd = self.cmd.strip()
        if not cmd:
            return b"", b"", 0
        # A simple command line naming a stub is answered in this process
        # (no shell, no Python start-up); everything else goes to the shell.
        argv = cmd.split() if SIMPLE.fullmatch(cmd) else None
        if argv and argv[0] not in stub.HANDLERS:
            argv = None
        if not (argv and stub.mutates(argv)):
            name = cmd.replace(" ", "_").replace("/", "%")
            rec = self.dev.st.recorded_name(name) if len(name) < 250 else None
            if rec is not None:
                return rec.out, rec.err, rec.code
        if argv:
            r = stub.run(self.dev.state_dir, argv)
            return r.out, r.err, r.code
        return None

    def collect(self):
        """The whole answer, for the faults that cut or repeat it."""
        a = self.answer()
        if a is not None:
            return a
        out, err = [], []
        code = self.run_shell(lambda d: out.append(d), lambda d: err.append(d))
        return b"".join(out), b"".join(err), code or 0

    def stream(self):
        a = self.answer()
        if a is not None:
            out, err, code = a
            if self.v2:
                self.packet(2, err)
                self.packet(1, out)
            else:
                self.packet(1, out + err)
            return code
        return self.run_shell(lambda d: self.packet(1, d), lambda d: self.packet(2, d))

    def run_shell(self, on_out, on_err):
        env = {
            "PATH": "%s:%s" % (self.dev.bin_dir, self.sim.toybox),
            "ADB_SIM_STATE": self.dev.state_dir,
            "HOME": "/",
            "LC_ALL": "C",
            "TMPDIR": "/tmp",
            "ANDROID_ROOT": "/system",
            "ANDROID_DATA": "/data",
        }
        with self.stdin_lock:
            if self.sim.stop.is_set() or (self.v2 and self.client_gone.is_set()):
                return None
            self.proc = subprocess.Popen(
                [SHELL_ARGV0, "-c", self.cmd], executable=SHELL, env=env, cwd="/",
                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE if self.v2 else subprocess.STDOUT,
                start_new_session=True)
            try:
                for data in self.early_stdin:
                    self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except OSError:
                pass
            self.early_stdin = []
            if self.stdin_closed:
                self.proc.stdin.close()
        p = self.proc
        with self.sim.lock:
            self.sim.procs.add(p)
        try:
            streams = {p.stdout.fileno(): (LineFix(), on_out)}
            if self.v2:
                streams[p.stderr.fileno()] = (LineFix(), on_err)
            while streams:
                r, _, _ = select.select(list(streams), [], [], 0.5)
                for fd in r:
                    data = os.read(fd, CHUNK)
                    fix, emit = streams[fd]
                    if not data:
                        rest = fix.flush()
                        if rest:
                            emit(rest)
                        del streams[fd]
                        continue
                    fixed = fix.feed(data)
                    if fixed:
                        emit(fixed)
            code = p.wait()
        except (Closed, OSError):
            kill_group(p)
            raise
        finally:
            with self.sim.lock:
                self.sim.procs.discard(p)
            for f in (p.stdout, p.stderr):
                if f:
                    f.close()
        return 128 - code if code < 0 else code


class LineFix:
    """Rewrite dash's "not found" lines into what Android's shell prints."""

    def __init__(self):
        self.pending = b""

    def feed(self, data):
        data = self.pending + data
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) < 4096:
            self.pending = data
            return b""
        if cut == 0:
            self.pending = b""
            return data
        self.pending = data[cut:]
        return self.fix(data[:cut])

    def flush(self):
        data, self.pending = self.pending, b""
        return self.fix(data)

    @staticmethod
    def fix(data):
        if b"not found" not in data:
            return data
        lines = data.split(b"\n")
        for i, line in enumerate(lines):
            m = DASH_NOT_FOUND.match(line)
            if m:
                lines[i] = b"/system/bin/sh: " + m.group(1) + b": inaccessible or not found"
        return b"\n".join(lines)


# ------------------------------------------------------------------ helpers

def read_exactly(conn, n):
    buf = b""
    while len(buf) < n:
        data = conn.recv(n - len(buf))
        if not data:
            raise Closed()
        buf += data
    return buf


def read_request(conn):
    head = read_exactly(conn, 4)
    try:
        n = int(head, 16)
    except ValueError:
        raise Closed()
    if n <= 0 or n > 1024 * 1024:
        raise Closed()
    return read_exactly(conn, n).decode("utf-8", "replace")


def send(conn, data):
    try:
        conn.sendall(data)
    except OSError:
        raise Closed()


def okay(conn, text):
    data = text.encode()
    send(conn, b"OKAY" + ("%04x" % len(data)).encode() + data)


def fail(conn, text):
    data = text.encode()
    send(conn, b"FAIL" + ("%04x" % len(data)).encode() + data)


def close(conn):
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


def junk_bytes(seed, n):
    rnd = random.Random(zlib.crc32(seed.encode()))
    return bytes(rnd.getrandbits(8) for _ in range(n))


def main():
    ap = argparse.ArgumentParser(
        description="adb server simulator: simulated phones behind adb's host protocol")
    ap.add_argument("--scenario", action="append", metavar="DIR",
                    help="a scenario directory (repeatable; one phone each)")
    ap.add_argument("--profiles", default=PROFILES, metavar="DIR",
                    help="where profile=NAME is looked up (default: %(default)s)")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on")
    ap.add_argument("--port", type=int, default=0,
                    help="TCP port (default 0: a free port; see --print-port)")
    ap.add_argument("--print-port", action="store_true",
                    help="print the port on stdout once listening")
    ap.add_argument("--port-file", metavar="FILE",
                    help="write the port to FILE once listening")
    ap.add_argument("--latency-ms", type=int, default=0,
                    help="added to every shell command")
    ap.add_argument("--latency", action="append", metavar="PREFIX=MS",
                    help="added to commands starting with PREFIX (repeatable)")
    for kind, what in (("hang", "never answer"), ("drop", "close mid-output, no exit"),
                       ("unplug", "as drop, and the phone leaves the device list"),
                       ("garbage", "answer binary junk"),
                       ("badframe", "answer junk instead of shell packets"),
                       ("huge", "answer --huge-size bytes")):
        ap.add_argument("--" + kind, action="append", metavar="PREFIX",
                        help="%s for commands starting with PREFIX, on every phone" % what)
    ap.add_argument("--huge-size", type=int, default=20 * 1024 * 1024, metavar="BYTES")
    ap.add_argument("--max-connections", type=int, default=64,
                    help="connections served at once; more wait (default %(default)s)")
    ap.add_argument("--state-dir", metavar="DIR",
                    help="where the phones' private state goes (default: a temporary "
                         "directory removed at exit)")
    ap.add_argument("--keep-state", action="store_true",
                    help="leave the temporary state directory at exit")
    ap.add_argument("-v", "--verbose", action="store_true", help="log requests on stderr")
    opts = ap.parse_args()

    sim = Sim(opts)
    try:
        sim.listen()
    except OSError as e:
        sim.shutdown()
        raise SystemExit("adb_sim: cannot listen on %s:%d: %s"
                         % (opts.host, opts.port, e.strerror))

    def on_signal(signum, frame):
        sim.stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)

    if opts.port_file:
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % sim.port)
        os.replace(tmp, opts.port_file)
    if opts.print_port:
        sys.stdout.write("%d\n" % sim.port)
        sys.stdout.flush()
    if opts.verbose:
        log("listening on %s:%d with %d phone(s); state in %s"
            % (opts.host, sim.port, len(sim.devices), sim.state_root))
    sim.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
