#!/usr/bin/env python3
"""ios_sim.py - simulated iPhones behind a usbmuxd socket, for tests.

Serves the usbmuxd protocol on a UNIX socket and, behind it, lockdownd
(port 62078) and four lockdown services of one or more simulated phones, so
the real, unmodified libimobiledevice / libusbmuxd / libplist (and the Debian
tools built on them) can be driven without a phone:

  usbmuxd   16-byte little-endian header (length, version, message, tag),
            plist messages ListDevices, Listen (Attached / Detached),
            ReadBUID, ReadPairRecord, SavePairRecord, DeletePairRecord,
            Connect (PortNumber in network byte order) after which the
            connection is a tunnel to the phone's port.
  lockdownd 4-byte big-endian length + plist; QueryType, GetValue,
            StartSession (then TLS on the same connection with the pair
            record's certificates), StopSession (TLS shut down, back to
            plain), StartService, Pair, ValidatePair, Unpair, Goodbye.
  services  com.apple.mobile.diagnostics_relay, installation_proxy,
            com.apple.mobile.MCInstall (plist framing as above) and
            com.apple.syslog_relay (raw lines, each ending in "\\n\\0").

Each phone is a scenario directory (see tests/sim/ios/README.md).  Faults
(not trusted, locked, hangs, disconnects, malformed and huge replies, a
flapping USB link) are selected per scenario in its `faults` file or for
every phone with --fault.  Python 3 standard library only; certificates are
made with the openssl command line into a temporary directory.
"""

import argparse
import copy
import datetime
import os
import plistlib
import random
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings

LOCKDOWN_PORT = 62078

# usbmuxd protocol numbers (usbmuxd-proto.h)
MSG_RESULT = 1
MSG_CONNECT = 2
MSG_LISTEN = 3
MSG_PLIST = 8
RESULT_OK = 0
RESULT_BADCOMMAND = 1
RESULT_BADDEV = 2
RESULT_CONNREFUSED = 3
RESULT_BADVERSION = 6
ENOENT = 2
EINVAL = 22

# What lockdownd gives out before a paired session (notes/libimobiledevice-1.3.md,
# notes/ios-lockdown-catalogue.md).
PUBLIC_ROOT_KEYS = (
    "ActivationState", "BasebandStatus", "BuildVersion", "CPUArchitecture",
    "ChipID", "DeviceClass", "DeviceColor", "DeviceName", "DevicePublicKey",
    "HardwareModel", "HardwarePlatform", "HasSiDP", "HostAttached",
    "HumanReadableProductVersionString", "ProductName", "ProductType",
    "ProductVersion", "ProtocolVersion", "SoftwareBehavior", "TelephonyCapability",
    "TrustedHostAttached", "UniqueChipID", "UniqueDeviceID", "WiFiAddress",
)

SERVICES = {
    "com.apple.mobile.diagnostics_relay": "diagnostics",
    "com.apple.iosdiagnostics.relay": "diagnostics",
    "com.apple.mobile.installation_proxy": "apps",
    "com.apple.mobile.MCInstall": "profiles",
    "com.apple.syslog_relay": "syslog",
}
TARGET_ALIASES = {
    "diagnostics": "diagnostics", "diagnostics_relay": "diagnostics",
    "apps": "apps", "installation_proxy": "apps",
    "profiles": "profiles", "mcinstall": "profiles",
    "syslog": "syslog", "syslog_relay": "syslog",
    "lockdown": "lockdown", "getvalue": "lockdown",
    "session": "session", "usbmuxd": "usbmuxd", "listdevices": "usbmuxd",
    "connect": "connect", "pair": "pair",
}
for _name, _short in list(SERVICES.items()):
    TARGET_ALIASES[_name.lower()] = _short

MAC_EPOCH = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
START = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

STOP = threading.Event()
LOG_LOCK = threading.Lock()
LOG_FILE = None
VERBOSE = False


def log(fmt, *args):
    if LOG_FILE is None and not VERBOSE:
        return
    line = "%s %s\n" % (time.strftime("%H:%M:%S"), (fmt % args) if args else fmt)
    with LOG_LOCK:
        if LOG_FILE is not None:
            LOG_FILE.write(line)
            LOG_FILE.flush()
        if VERBOSE:
            sys.stderr.write("ios_sim: " + line)


class Closed(Exception):
    """The peer went away, or a fault ended the connection on purpose."""


# ---------------------------------------------------------------- scenarios

class Faults:
    """key=value settings of one phone: its `faults` file, then --fault."""

    def __init__(self, items):
        self.d = dict(items)

    def get(self, key, default=None):
        return self.d.get(key, default)

    def flag(self, key):
        return self.d.get(key, "0").lower() in ("1", "yes", "true", "on")

    def int(self, key, default=0):
        try:
            return int(self.d.get(key, default))
        except ValueError:
            return default

    def targets(self, key):
        out = set()
        for t in self.d.get(key, "").split(","):
            t = t.strip().lower()
            if t:
                out.add(TARGET_ALIASES.get(t, t))
        return out


def parse_kv(text, where):
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise SystemExit("ios_sim: %s:%d: expected key=value" % (where, n))
        k, v = line.split("=", 1)
        items.append((k.strip(), v.strip()))
    return items


def load_plist(path):
    with open(path, "rb") as f:
        try:
            return plistlib.load(f)
        except Exception as e:  # plistlib raises several kinds
            raise SystemExit("ios_sim: %s: not a plist: %s" % (path, e))


def scenario_chain(path):
    """The scenario directory followed by the ones it inherits from."""
    chain = []
    seen = set()
    while path:
        real = os.path.realpath(path)
        if real in seen:
            raise SystemExit("ios_sim: %s: inherit loop" % path)
        seen.add(real)
        if not os.path.isdir(path):
            raise SystemExit("ios_sim: %s: no such scenario directory" % path)
        chain.append(path)
        inh = os.path.join(path, "inherit")
        if os.path.exists(inh):
            with open(inh) as f:
                name = f.read().strip()
            path = name if os.path.isabs(name) else os.path.join(os.path.dirname(os.path.abspath(path)), name)
        else:
            path = None
    return chain


def find_file(chain, rel):
    for d in chain:
        p = os.path.join(d, rel)
        if os.path.exists(p):
            return p
    return None


class Device:
    """One simulated phone: its data, faults, pairing state and certificates."""

    def __init__(self, path, extra_faults):
        self.path = path
        chain = scenario_chain(path)
        self.name = os.path.basename(os.path.normpath(path))

        info = {}
        for d in reversed(chain):  # device.plist keys merge, child wins
            p = os.path.join(d, "device.plist")
            if os.path.exists(p):
                info.update(load_plist(p))
        if "UDID" not in info:
            raise SystemExit("ios_sim: %s: device.plist lacks UDID" % path)
        self.info = info
        self.udid = info["UDID"]
        self.product_id = int(info.get("ProductID", 0x12A8))
        self.location_id = int(info.get("LocationID", 0x01120000))
        self.speed = int(info.get("ConnectionSpeed", 480000000))

        # lockdown domains: one plist per domain, inherited file by file
        self.domains = {}
        for d in reversed(chain):
            ld = os.path.join(d, "lockdown")
            if not os.path.isdir(ld):
                continue
            for fn in sorted(os.listdir(ld)):
                if fn.endswith(".plist"):
                    dom = fn[:-len(".plist")]
                    self.domains[None if dom == "root" else dom] = load_plist(os.path.join(ld, fn))
        root = self.domains.setdefault(None, {})
        root["UniqueDeviceID"] = self.udid  # device.plist is the one source of the UDID
        for spec, offset in info.get("RelativeDates", {}).items():
            dom, _, key = spec.rpartition("/")
            dom = None if dom in ("", "root") else dom
            when = START + datetime.timedelta(seconds=int(offset))
            d = self.domains.setdefault(dom, {})
            if isinstance(d.get(key), int) and not isinstance(d.get(key), bool):
                d[key] = int((when - MAC_EPOCH).total_seconds())
            else:
                d[key] = when.replace(tzinfo=None)

        # IORegistry: diagnostics/<Name>.plist; IOPMPowerSource.plist is the battery
        self.ioreg = []  # (name, [classes], props)
        seen = set()
        for d in chain:
            dd = os.path.join(d, "diagnostics")
            if not os.path.isdir(dd):
                continue
            for fn in sorted(os.listdir(dd)):
                if not fn.endswith(".plist") or fn in seen:
                    continue
                seen.add(fn)
                props = load_plist(os.path.join(dd, fn))
                base = fn[:-len(".plist")]
                if base == "IOPMPowerSource":
                    name = info.get("BatteryEntryName", "AppleSmartBattery")
                    self.ioreg.append((name, [name, "IOPMPowerSource", "IOService"], props))
                else:
                    self.ioreg.append((base, [base, "IOService"], props))

        p = find_file(chain, "apps.plist")
        self.apps = load_plist(p) if p else []
        p = find_file(chain, "profiles.plist")
        self.profiles = load_plist(p) if p else {
            "OrderedIdentifiers": [], "ProfileManifest": {}, "ProfileMetadata": {}}
        p = find_file(chain, "cloudconfig.plist")
        self.cloudconfig = load_plist(p) if p else {}
        p = find_file(chain, "syslog.txt")
        self.syslog = []
        if p:
            with open(p, "rb") as f:
                self.syslog = [l for l in f.read().split(b"\n") if l]

        items = []
        fp = os.path.join(path, "faults")  # never inherited
        if os.path.exists(fp):
            with open(fp) as f:
                items = parse_kv(f.read(), fp)
        self.faults = Faults(items + list(extra_faults))

        # usbmuxd-side state
        self.device_id = 0
        self.attached = True
        self.tunnels = set()
        self.dropped_once = False
        self.lock = threading.Lock()
        self.pending_ports = {}  # port -> (service, ssl)
        self.pair_attempts = 0

        # pairing state (what the phone remembers), filled once certs exist
        self.accepted_hosts = set()
        self.trusted_roots = []
        self.host_id = None
        self.certs = None
        self.certs_ready = threading.Event()
        self.cert_lock = threading.Lock()
        self.cert_error = None
        self.make_certs = None  # set by Sim: generates this phone's certificates
        self.tls_cache = {}

    # convenient views
    @property
    def root(self):
        return self.domains[None]

    def product_version(self):
        v = str(self.root.get("ProductVersion", "0"))
        parts = []
        for p in v.split(".")[:3]:
            try:
                parts.append(int(p))
            except ValueError:
                parts.append(0)
        while len(parts) < 3:
            parts.append(0)
        return tuple(parts)

    def pairing(self):
        return self.faults.get("pairing", "paired")

    def locked(self):
        return self.faults.flag("locked")

    def wait_certs(self):
        """This phone's certificates, made now if the background pool has not
        got to them yet (libusbmuxd gives ReadPairRecord only 5 s)."""
        if not self.certs_ready.is_set():
            with self.cert_lock:
                if not self.certs_ready.is_set():
                    self.make_certs(self)
        if self.cert_error:
            raise Closed("certificates unavailable: %s" % self.cert_error)
        return self.certs


# -------------------------------------------------------------- certificates

OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical,CA:TRUE
subjectKeyIdentifier = hash
[v3_leaf]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
keyUsage = critical,digitalSignature,keyEncipherment
"""


def openssl(*args, cwd):
    env = dict(os.environ)
    env["OPENSSL_CONF"] = os.path.join(cwd, "openssl.cnf")
    r = subprocess.run(("openssl",) + args, cwd=cwd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (args[0], r.stderr.decode(errors="replace").strip()))


def make_certs(workdir):
    """Root CA, host and device keys and certificates, as userpref makes them:
    RSA 2048, the root signs the host and the device certificate.  Private
    keys in PKCS#1 PEM ("RSA PRIVATE KEY"), which PEM_read_bio_RSAPrivateKey
    reads; the device public key in PKCS#1 ("RSA PUBLIC KEY")."""
    os.makedirs(workdir, exist_ok=True)
    done = os.path.join(workdir, "done")
    if not os.path.exists(done):
        with open(os.path.join(workdir, "openssl.cnf"), "w") as f:
            f.write(OPENSSL_CNF)
        for k in ("root", "host", "device"):
            openssl("genrsa", "-traditional", "-out", k + ".key", "2048", cwd=workdir)
        openssl("req", "-new", "-x509", "-key", "root.key", "-out", "root.crt",
                "-days", "3650", "-sha256", "-subj", "/CN=Root Certification Authority",
                "-extensions", "v3_root", cwd=workdir)
        for k, serial in (("host", "1"), ("device", "2")):
            openssl("req", "-new", "-key", k + ".key", "-out", k + ".csr",
                    "-subj", "/CN=%s" % ("Host" if k == "host" else "Device"), cwd=workdir)
            openssl("x509", "-req", "-in", k + ".csr", "-CA", "root.crt", "-CAkey", "root.key",
                    "-set_serial", serial, "-days", "3650", "-sha256",
                    "-extfile", "openssl.cnf", "-extensions", "v3_leaf", "-out", k + ".crt",
                    cwd=workdir)
        openssl("rsa", "-in", "device.key", "-RSAPublicKey_out", "-out", "device.pub", cwd=workdir)
        open(done, "w").close()
    out = {"dir": workdir}
    for k in ("root.key", "root.crt", "host.key", "host.crt", "device.key", "device.crt", "device.pub"):
        with open(os.path.join(workdir, k), "rb") as f:
            out[k] = f.read()
    return out


class PairStore:
    """usbmuxd's pair records (it never touches /var/lib/lockdown)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records = {}

    def get(self, udid):
        with self.lock:
            return self.records.get(udid)

    def put(self, udid, data):
        with self.lock:
            self.records[udid] = data

    def delete(self, udid):
        with self.lock:
            return self.records.pop(udid, None) is not None


# ------------------------------------------------------------- the simulator

class Sim:
    def __init__(self, args, devices):
        self.args = args
        self.devices = devices
        self.latency = args.latency_ms / 1000.0
        self.buid = str(uuid.uuid4()).upper()
        self.pairs = PairStore()
        self.listeners = []  # (sock, lock)
        self.listeners_lock = threading.Lock()
        self.next_id = 1
        self.id_lock = threading.Lock()
        self.conn_seq = 0
        for d in devices:
            d.device_id = self.new_device_id()

    def new_device_id(self):
        with self.id_lock:
            n = self.next_id
            self.next_id += 1
            return n

    def delay(self, dev=None):
        t = self.latency
        if dev is not None:
            t += dev.faults.int("latency_ms", 0) / 1000.0
        if t > 0:
            STOP.wait(t)

    # -- certificates and pair records

    def prepare_certs(self, state_dir, cache_dir):
        def work(dev):
            try:
                base = cache_dir or state_dir
                dev.certs = make_certs(os.path.join(base, "certs-" + dev.udid))
                host_id = str(uuid.uuid5(uuid.NAMESPACE_OID, "host:" + dev.udid + self.buid)).upper()
                dev.host_id = host_id
                rec = {
                    "DeviceCertificate": dev.certs["device.crt"],
                    "EscrowBag": os.urandom(32),
                    "HostCertificate": dev.certs["host.crt"],
                    "HostID": host_id,
                    "HostPrivateKey": dev.certs["host.key"],
                    "RootCertificate": dev.certs["root.crt"],
                    "RootPrivateKey": dev.certs["root.key"],
                    "SystemBUID": self.buid,
                    "WiFiMACAddress": dev.root.get("WiFiAddress", "00:00:00:00:00:00"),
                }
                mode = dev.pairing()
                if mode in ("paired", "invalid-host"):
                    self.pairs.put(dev.udid, plistlib.dumps(rec, fmt=plistlib.FMT_XML))
                if mode == "paired":
                    dev.accepted_hosts.add(host_id)
                    dev.trusted_roots.append(dev.certs["root.crt"].decode())
                dev.root.setdefault("DevicePublicKey", dev.certs["device.pub"])
            except Exception as e:  # reported to every request that needs them
                dev.cert_error = str(e)
                sys.stderr.write("ios_sim: %s: %s\n" % (dev.udid, e))
            finally:
                dev.certs_ready.set()

        for dev in self.devices:
            dev.make_certs = work
        todo = list(self.devices)
        lock = threading.Lock()

        def worker():  # pre-warm; a request for a phone generates its own at once
            while True:
                with lock:
                    if not todo:
                        return
                    dev = todo.pop(0)
                if dev.cert_lock.acquire(blocking=False):
                    try:
                        if not dev.certs_ready.is_set():
                            work(dev)
                    finally:
                        dev.cert_lock.release()

        for _ in range(max(1, min(len(todo), os.cpu_count() or 2))):
            threading.Thread(target=worker, daemon=True).start()

    def tls_context(self, dev):
        certs = dev.wait_certs()
        with dev.lock:
            key = tuple(dev.trusted_roots)
            ctx = dev.tls_cache.get(key)
            if ctx is not None:
                return ctx
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(certs["dir"], "device.crt"),
                                os.path.join(certs["dir"], "device.key"))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                if dev.product_version() < (10, 0, 0):
                    # libimobiledevice caps TLS at 1.0 below iOS 10 (and sets
                    # OpenSSL security level 0); old phones spoke TLS 1.0
                    ctx.set_ciphers("ALL:@SECLEVEL=0")
                    ctx.minimum_version = ssl.TLSVersion.TLSv1
                    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
                else:
                    ctx.set_ciphers("DEFAULT:@SECLEVEL=1")
                    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
                    ctx.maximum_version = (ssl.TLSVersion.TLSv1_3
                                           if dev.faults.get("tls_max") == "1.3"
                                           else ssl.TLSVersion.TLSv1_2)
            if key:
                # ask for the host's certificate and accept only the roots this
                # phone paired with (the library presents its RootCertificate)
                ctx.verify_mode = ssl.CERT_OPTIONAL
                ctx.load_verify_locations(cadata="".join(key))
            dev.tls_cache[key] = ctx
            return ctx

    # -- device list, Listen, link drops

    def attached_devices(self):
        return [d for d in self.devices if d.attached]

    def device_props(self, dev):
        return {
            "ConnectionSpeed": dev.speed,
            "ConnectionType": "USB",
            "DeviceID": dev.device_id,
            "LocationID": dev.location_id,
            "ProductID": dev.product_id,
            "SerialNumber": dev.udid,
            "USBSerialNumber": dev.udid.replace("-", ""),
        }

    def attached_msg(self, dev):
        return {"DeviceID": dev.device_id, "MessageType": "Attached",
                "Properties": self.device_props(dev)}

    def notify(self, msg):
        data = mux_frame(0, msg)
        with self.listeners_lock:
            ls = list(self.listeners)
        for s, lk in ls:
            try:
                with lk:
                    s.sendall(data)
            except OSError:
                pass

    def detach(self, dev, why):
        with dev.lock:
            if not dev.attached:
                return
            dev.attached = False
            tunnels = list(dev.tunnels)
            dev.tunnels.clear()
            dev.pending_ports.clear()
        log("%s detached (%s)", dev.udid, why)
        for fd in tunnels:
            # by descriptor: a TLS wrap detaches the original socket object
            try:
                s = socket.fromfd(fd, socket.AF_UNIX, socket.SOCK_STREAM)
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.notify({"DeviceID": dev.device_id, "MessageType": "Detached"})

    def attach(self, dev):
        with dev.lock:
            if dev.attached:
                return
            dev.device_id = self.new_device_id()
            dev.attached = True
        log("%s attached again as DeviceID %d", dev.udid, dev.device_id)
        self.notify(self.attached_msg(dev))

    def maybe_schedule_drop(self, dev):
        after = dev.faults.int("drop_after_ms", 0)
        if after <= 0:
            return
        with dev.lock:
            if dev.dropped_once:
                return
            dev.dropped_once = True

        def run():
            if STOP.wait(after / 1000.0):
                return
            self.detach(dev, "drop_after_ms")
            back = dev.faults.int("drop_for_ms", 500)
            if back >= 0 and not STOP.wait(back / 1000.0):
                self.attach(dev)

        threading.Thread(target=run, daemon=True).start()

    # -- usbmuxd

    def serve(self, sock):
        with self.id_lock:
            self.conn_seq += 1
            cid = self.conn_seq
        try:
            self.usbmuxd(sock, cid)
        except (Closed, OSError, ssl.SSLError) as e:
            log("conn#%d closed: %s", cid, e or type(e).__name__)
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def usbmuxd(self, sock, cid):
        while not STOP.is_set():
            hdr = recv_exact(sock, 16)
            if hdr is None:
                return
            length, version, message, tag = struct.unpack("<IIII", hdr)
            if length < 16 or length > 4 * 1024 * 1024:
                log("conn#%d bad usbmuxd length %d", cid, length)
                return
            payload = recv_exact(sock, length - 16) if length > 16 else b""
            if payload is None:
                return
            if message == MSG_PLIST:
                try:
                    req = plistlib.loads(payload)
                except Exception:
                    log("conn#%d unparsable usbmuxd plist", cid)
                    return
                mt = req.get("MessageType") if isinstance(req, dict) else None
                log("conn#%d usbmuxd %s (%s)", cid, mt, req.get("ProgName", "?") if isinstance(req, dict) else "")
                if self.usbmuxd_plist(sock, cid, tag, mt, req):
                    return  # the connection became a tunnel, or a listener, and is done
            elif message == MSG_LISTEN and version == 0:
                sock.sendall(struct.pack("<IIIII", 20, 0, MSG_RESULT, tag, RESULT_OK))
                return self.listen(sock, cid, binary=True)
            elif message == MSG_CONNECT and version == 0 and len(payload) >= 8:
                dev_id, port = struct.unpack("<IH", payload[:6])
                port = socket.ntohs(port)
                return self.connect(sock, cid, tag, dev_id, port, binary=True)
            else:
                self.result(sock, tag, RESULT_BADCOMMAND, binary=(version == 0))

    def result(self, sock, tag, n, binary=False):
        self.delay()
        if binary:
            sock.sendall(struct.pack("<IIIII", 20, 0, MSG_RESULT, tag, n))
        else:
            sock.sendall(mux_frame(tag, {"MessageType": "Result", "Number": n}))

    def usbmuxd_plist(self, sock, cid, tag, mt, req):
        if mt == "ListDevices":
            devs = self.attached_devices()
            for d in devs:
                if "usbmuxd" in d.faults.targets("hang"):
                    log("conn#%d ListDevices: hang (fault)", cid)
                    wait_eof(sock)
                    return True
            if any("usbmuxd" in d.faults.targets("malformed") for d in devs):
                self.delay()
                junk = b'<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>DeviceList</key><array><dict><key>DeviceID'
                sock.sendall(struct.pack("<IIII", 16 + len(junk), 1, MSG_PLIST, tag) + junk)
                return False
            self.delay()
            sock.sendall(mux_frame(tag, {"DeviceList": [self.attached_msg(d) for d in devs]}))
        elif mt == "Listen":
            self.result(sock, tag, RESULT_OK)
            self.listen(sock, cid)
            return True
        elif mt == "ReadBUID":
            self.delay()
            sock.sendall(mux_frame(tag, {"BUID": self.buid}))
        elif mt == "ReadPairRecord":
            rid = req.get("PairRecordID")
            if not isinstance(rid, str):
                self.result(sock, tag, EINVAL)
                return False
            dev = self.by_udid(rid)
            if dev is not None:
                dev.wait_certs()
            data = self.pairs.get(rid)
            if data is None:
                log("conn#%d ReadPairRecord %s: none", cid, rid)
                self.result(sock, tag, ENOENT)
            else:
                self.delay()
                sock.sendall(mux_frame(tag, {"PairRecordData": data}))
        elif mt == "SavePairRecord":
            rid = req.get("PairRecordID")
            data = req.get("PairRecordData")
            if isinstance(rid, str) and isinstance(data, bytes):
                self.pairs.put(rid, data)
                log("conn#%d SavePairRecord %s (%d bytes)", cid, rid, len(data))
                self.result(sock, tag, RESULT_OK)
            else:
                self.result(sock, tag, EINVAL)
        elif mt == "DeletePairRecord":
            rid = req.get("PairRecordID")
            if not isinstance(rid, str):
                self.result(sock, tag, EINVAL)
            else:
                self.result(sock, tag, RESULT_OK if self.pairs.delete(rid) else ENOENT)
        elif mt == "Connect":
            dev_id = req.get("DeviceID", 0)
            pn = req.get("PortNumber", 0)
            port = ((pn & 0xFF) << 8) | ((pn >> 8) & 0xFF)  # sent as htons(port)
            return self.connect(sock, cid, tag, dev_id, port)
        else:
            self.result(sock, tag, RESULT_BADCOMMAND)
        return False

    def by_udid(self, udid):
        for d in self.devices:
            if d.udid == udid:
                return d
        return None

    def listen(self, sock, cid, binary=False):
        lk = threading.Lock()
        with lk:
            for d in self.attached_devices():
                if binary:
                    rec = struct.pack("<IH256sHI", d.device_id, d.product_id,
                                      d.udid.encode()[:255], 0, d.location_id)
                    sock.sendall(struct.pack("<IIII", 16 + len(rec), 0, 4, 0) + rec)
                else:
                    sock.sendall(mux_frame(0, self.attached_msg(d)))
        if binary:
            wait_eof(sock)  # old binary protocol: the list, no live events
            return
        with self.listeners_lock:
            self.listeners.append((sock, lk))
        try:
            wait_eof(sock)
        finally:
            with self.listeners_lock:
                self.listeners = [x for x in self.listeners if x[0] is not sock]
            log("conn#%d listener gone", cid)

    def connect(self, sock, cid, tag, dev_id, port, binary=False):
        dev = None
        for d in self.attached_devices():
            if d.device_id == dev_id:
                dev = d
        if dev is None:
            log("conn#%d Connect device %s port %d: no such device", cid, dev_id, port)
            self.result(sock, tag, RESULT_BADDEV, binary)
            return binary
        if "connect" in dev.faults.targets("hang"):
            log("conn#%d Connect %s:%d: hang (fault)", cid, dev.udid, port)
            wait_eof(sock)
            return True
        if port == LOCKDOWN_PORT:
            service = None
        else:
            with dev.lock:
                service = dev.pending_ports.pop(port, None)
            if service is None:
                log("conn#%d Connect %s:%d: refused", cid, dev.udid, port)
                self.result(sock, tag, RESULT_CONNREFUSED, binary)
                return binary
        self.result(sock, tag, RESULT_OK, binary)
        log("conn#%d Connect %s:%d -> %s", cid, dev.udid, port, service[0] if service else "lockdownd")
        self.maybe_schedule_drop(dev)
        fd = sock.fileno()
        with dev.lock:
            dev.tunnels.add(fd)
        if service is None:
            handler = Lockdown(self, dev, sock, cid)
        else:
            handler = ServiceConn(self, dev, sock, cid, service[0], service[1])
        try:
            handler.run()
        finally:
            with dev.lock:
                dev.tunnels.discard(fd)
            if handler.io is not sock:
                try:
                    handler.io.close()  # the TLS socket owns the descriptor now
                except OSError:
                    pass
        return True


# ------------------------------------------------------------ wire helpers

def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        try:
            chunk = sock.recv(min(n - len(buf), 1 << 20))
        except (ssl.SSLZeroReturnError, ConnectionResetError, BrokenPipeError):
            return None
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def wait_eof(sock):
    """Keep the connection open, ignore what arrives, return at EOF or stop."""
    sock.settimeout(0.25)
    try:
        while not STOP.is_set():
            try:
                if not sock.recv(65536):
                    return
            except socket.timeout:
                continue
            except (OSError, ssl.SSLError):
                return
    finally:
        try:
            sock.settimeout(None)
        except OSError:
            pass


def mux_frame(tag, obj):
    body = plistlib.dumps(obj, fmt=plistlib.FMT_XML)
    return struct.pack("<IIII", 16 + len(body), 1, MSG_PLIST, tag) + body


MALFORMED = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
             b'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
             b'"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
             b'<plist version="1.0">\n<dict>\n\t<key>Status</key>\n\t<strin')


def padded(obj, nbytes):
    """The reply made huge: a valid plist about nbytes long (XML base64)."""
    obj = copy.deepcopy(obj)
    pad = b"\0" * max(0, nbytes * 3 // 4)
    if isinstance(obj, dict):
        obj["SimPadding"] = pad
        return obj
    return {"Value": obj, "SimPadding": pad}


class PlistChannel:
    """4-byte big-endian length + plist, on a plain or TLS socket."""

    def __init__(self, sim, dev, sock, cid, what):
        self.sim = sim
        self.dev = dev
        self.io = sock
        self.cid = cid
        self.what = what
        self.counts = {}

    def recv_plist(self):
        hdr = recv_exact(self.io, 4)
        if hdr is None:
            return None
        (n,) = struct.unpack(">I", hdr)
        if n > 64 * 1024 * 1024:
            raise Closed("request of %d bytes" % n)
        body = recv_exact(self.io, n)
        if body is None:
            return None
        try:
            obj = plistlib.loads(body)
        except Exception:
            raise Closed("unparsable request plist")
        return obj

    def send_raw(self, body):
        self.io.sendall(struct.pack(">I", len(body)) + body)

    def send_plist(self, obj):
        self.sim.delay(self.dev)
        self.send_raw(plistlib.dumps(obj, fmt=plistlib.FMT_XML))

    def reply(self, obj, target):
        """Send a reply, unless a fault for this target says otherwise; return
        the fault applied ("malformed", "huge") or None."""
        f = self.dev.faults
        n = self.counts.get(target, 0)
        self.counts[target] = n + 1
        kind = None
        for k in ("hang", "disconnect", "malformed", "huge"):
            if target in f.targets(k):
                kind = k
                break
        if kind is None or n < f.int("fault_after", 0):
            self.send_plist(obj)
            return None
        log("conn#%d %s %s: %s (fault)", self.cid, self.dev.udid, target, kind)
        if kind == "hang":
            wait_eof(self.io)
            raise Closed("hang fault: peer gave up")
        if kind == "disconnect":
            body = plistlib.dumps(obj, fmt=plistlib.FMT_XML)
            self.sim.delay(self.dev)
            self.io.sendall(struct.pack(">I", len(body)) + body[:len(body) // 2])
            if f.flag("disconnect_detaches"):
                self.sim.detach(self.dev, "disconnect fault")
            try:
                self.io.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            raise Closed("disconnect fault")
        if kind == "malformed":
            self.sim.delay(self.dev)
            if f.get("malformed_kind") == "garbage":
                self.send_raw(bytes(random.getrandbits(8) for _ in range(64)).replace(b"<", b"x"))
            else:
                self.send_raw(MALFORMED)
            return kind
        self.send_plist(padded(obj, f.int("huge_bytes", 30 * 1024 * 1024)))
        return kind


# ------------------------------------------------------------------ lockdownd

class Lockdown(PlistChannel):
    def __init__(self, sim, dev, sock, cid):
        super().__init__(sim, dev, sock, cid, "lockdownd")
        self.session = None

    def err(self, req, name, **extra):
        r = {"Request": req, "Error": name}
        r.update(extra)
        log("conn#%d lockdownd %s -> Error %s", self.cid, req, name)
        return r

    def run(self):
        while not STOP.is_set():
            req = self.recv_plist()
            if req is None:
                return
            if not isinstance(req, dict):
                raise Closed("request is not a dict")
            r = req.get("Request")
            if r not in ("GetValue", "StartSession", "StartService", "Pair", "ValidatePair", "Unpair"):
                log("conn#%d lockdownd %s", self.cid, r)
            if r == "QueryType":
                self.send_plist({"Request": "QueryType", "Type": "com.apple.mobile.lockdown"})
            elif r == "GetValue":
                self.get_value(req)
            elif r == "SetValue":
                self.send_plist(self.err("SetValue", "SetProhibited" if self.session else "MissingSessionID"))
            elif r == "StartSession":
                self.start_session(req)
            elif r == "StopSession":
                self.stop_session(req)
            elif r == "StartService":
                self.start_service(req)
            elif r in ("Pair", "ValidatePair", "Unpair"):
                self.pair(r, req)
            elif r == "Goodbye":
                self.send_plist({"Request": "Goodbye", "Result": "Success"})
                return
            else:
                self.send_plist(self.err(r if isinstance(r, str) else "", "InvalidRequest"))

    def get_value(self, req):
        domain = req.get("Domain")
        key = req.get("Key")
        out = {"Request": "GetValue"}
        if domain is not None:
            out["Domain"] = domain
        if key is not None:
            out["Key"] = key
        log("conn#%d lockdownd GetValue domain=%s key=%s session=%s", self.cid, domain, key, bool(self.session))
        dom = None if domain in (None, "") else domain
        if dom is None and key in (None, "DevicePublicKey"):
            self.dev.wait_certs()  # DevicePublicKey comes with the certificates
        if not self.session:
            root = self.dev.root
            value = None
            if dom is None and key is None:
                value = {k: root[k] for k in PUBLIC_ROOT_KEYS if k in root}
            elif dom is None and key in PUBLIC_ROOT_KEYS and key in root:
                value = root[key]
            if value is None:
                err = self.dev.faults.get("nosession_error", "MissingValue")
                self.send_plist(self.err("GetValue", err, **{k: v for k, v in out.items() if k != "Request"}))
                return
            out["Value"] = copy.deepcopy(value)
            self.send_plist(out)
            return
        d = self.dev.domains.get(dom)
        if d is None or (key is not None and key not in d):
            self.reply(self.err("GetValue", "MissingValue", **{k: v for k, v in out.items() if k != "Request"}), "lockdown")
            return
        out["Value"] = copy.deepcopy(d if key is None else d[key])
        self.reply(out, "lockdown")

    def start_session(self, req):
        dev = self.dev
        host_id = req.get("HostID")
        log("conn#%d lockdownd StartSession HostID=%s SystemBUID=%s", self.cid, host_id, req.get("SystemBUID"))
        dev.wait_certs()
        if dev.locked():
            return self.send_plist(self.err("StartSession", "PasswordProtected"))
        with dev.lock:
            known = host_id in dev.accepted_hosts
        if not known:
            return self.send_plist(self.err("StartSession", "InvalidHostID"))
        self.session = str(uuid.uuid4()).upper()
        # faults on target "session" act on this reply (hang, cut, malformed)
        if self.reply({"Request": "StartSession", "SessionID": self.session, "EnableSessionSSL": True},
                      "session") == "malformed":
            self.session = None
            return
        ctx = self.sim.tls_context(dev)
        try:
            self.io = ctx.wrap_socket(self.io, server_side=True)
        except (ssl.SSLError, OSError) as e:
            raise Closed("TLS handshake failed: %s" % e)
        peer = self.io.getpeercert()
        who = dict(x[0] for x in peer.get("subject", ())).get("commonName", "?") if peer else "none"
        log("conn#%d lockdownd TLS %s %s, client certificate: %s", self.cid, self.io.version(),
            self.io.cipher()[0], who)

    def stop_session(self, req):
        if not self.session:
            return self.send_plist(self.err("StopSession", "NoRunningSession"))
        self.send_plist({"Request": "StopSession", "Result": "Success"})
        self.session = None
        if isinstance(self.io, ssl.SSLSocket):
            # The library answers our close_notify with its own (SSL_shutdown)
            # and then usually closes the connection at once.
            try:
                self.io = self.io.unwrap()
            except (ssl.SSLError, OSError):
                raise Closed("session stopped, client left")
            log("conn#%d lockdownd session stopped, plain again", self.cid)

    def start_service(self, req):
        dev = self.dev
        name = req.get("Service")
        log("conn#%d lockdownd StartService %s", self.cid, name)
        if not self.session:
            return self.send_plist(self.err("StartService", "SessionInactive"))
        refused = dev.faults.get("refuse." + str(name))
        if refused:
            return self.send_plist(self.err("StartService", refused, Service=name))
        if name not in SERVICES or (name == "com.apple.iosdiagnostics.relay" and dev.product_version() >= (8, 0, 0)):
            return self.send_plist(self.err("StartService", "InvalidService", Service=name))
        use_ssl = dev.faults.flag("service_ssl")
        with dev.lock:
            while True:
                port = random.randint(49152, 65000)
                if port not in dev.pending_ports:
                    break
            dev.pending_ports[port] = (SERVICES[name], use_ssl)
        out = {"Request": "StartService", "Service": name, "Port": port}
        if use_ssl:
            out["EnableServiceSSL"] = True
        self.send_plist(out)

    def pair(self, verb, req):
        dev = self.dev
        rec = req.get("PairRecord") if isinstance(req.get("PairRecord"), dict) else {}
        host_id = rec.get("HostID")
        log("conn#%d lockdownd %s HostID=%s", self.cid, verb, host_id)
        dev.wait_certs()
        if verb == "Unpair":
            with dev.lock:
                dev.accepted_hosts.discard(host_id)
            return self.send_plist({"Request": "Unpair"})
        if dev.locked():
            return self.send_plist(self.err(verb, "PasswordProtected"))
        if verb == "ValidatePair":
            with dev.lock:
                ok = host_id in dev.accepted_hosts
            if ok:
                return self.send_plist({"Request": "ValidatePair"})
            return self.send_plist(self.err(verb, "InvalidHostID"))
        # Pair: the phone shows "Trust This Computer?"
        with dev.lock:
            dev.pair_attempts += 1
            attempts = dev.pair_attempts
        result = dev.faults.get("pair_result", "pending")
        after = dev.faults.int("trust_after", 0)
        if after and attempts > after:
            result = "accept"
        if result == "denied":
            return self.reply(self.err(verb, "UserDeniedPairing"), "pair")
        if result == "password":
            return self.reply(self.err(verb, "PasswordProtected"), "pair")
        if result != "accept":
            return self.reply(self.err(verb, "PairingDialogResponsePending"), "pair")
        root = rec.get("RootCertificate")
        if not isinstance(host_id, str) or not isinstance(root, bytes):
            return self.send_plist(self.err(verb, "InvalidPairRecord"))
        with dev.lock:
            dev.accepted_hosts.add(host_id)
            pem = root.decode(errors="replace")
            if pem not in dev.trusted_roots:
                dev.trusted_roots.append(pem)
        self.reply({"Request": "Pair", "EscrowBag": os.urandom(32)}, "pair")


# ------------------------------------------------------------------ services

class ServiceConn(PlistChannel):
    def __init__(self, sim, dev, sock, cid, kind, use_ssl):
        super().__init__(sim, dev, sock, cid, kind)
        self.kind = kind
        self.use_ssl = use_ssl

    def run(self):
        if self.use_ssl:
            try:
                self.io = self.sim.tls_context(self.dev).wrap_socket(self.io, server_side=True)
            except (ssl.SSLError, OSError) as e:
                raise Closed("service TLS handshake failed: %s" % e)
            log("conn#%d %s TLS %s", self.cid, self.kind, self.io.version())
        getattr(self, "svc_" + self.kind)()

    # com.apple.mobile.diagnostics_relay
    def svc_diagnostics(self):
        dev = self.dev
        while not STOP.is_set():
            req = self.recv_plist()
            if req is None:
                return
            r = req.get("Request") if isinstance(req, dict) else None
            log("conn#%d diagnostics %s %s", self.cid, r,
                {k: v for k, v in req.items() if k != "Request"} if isinstance(req, dict) else "")
            if r == "IORegistry":
                name = req.get("EntryName") or None
                cls = req.get("EntryClass") or None
                found = {}
                for ename, classes, props in dev.ioreg:
                    if (name is None or name == ename) and (cls is None or cls in classes) and (name or cls):
                        found = props
                        break
                self.reply({"Diagnostics": {"IORegistry": copy.deepcopy(found)}, "Status": "Success"}, "diagnostics")
            elif r in ("All", "GasGauge", "WiFi", "NAND", "HDMI"):
                diag = {}
                if r in ("All", "GasGauge"):
                    diag["GasGauge"] = self.gas_gauge()
                if r in ("All", "WiFi"):
                    diag["WiFi"] = {"Active": "NO", "Status": "Success"}
                if r in ("All", "NAND"):
                    diag["NAND"] = {"Status": "Success"}
                if r in ("All", "HDMI"):
                    diag["HDMI"] = {"Connection": "NO", "Status": "Success"}
                self.reply({"Diagnostics": diag, "Status": "Success"}, "diagnostics")
            elif r == "MobileGestalt":
                if dev.product_version() >= (17, 4, 0):
                    mg = {"Status": "MobileGestaltDeprecated"}
                else:
                    mg = {"Status": "Success"}
                    for k in req.get("MobileGestaltKeys", []):
                        if k in dev.root:
                            mg[k] = copy.deepcopy(dev.root[k])
                self.reply({"Diagnostics": {"MobileGestalt": mg}, "Status": "Success"}, "diagnostics")
            elif r == "Goodbye":
                self.send_plist({"Status": "Success"})
                return
            elif r in ("Sleep", "Restart", "Shutdown"):
                self.send_plist({"Status": "Success"})
            else:
                self.send_plist({"Status": "UnknownRequest"})

    def gas_gauge(self):
        props = {}
        for _n, classes, p in self.dev.ioreg:
            if "IOPMPowerSource" in classes:
                props = p
        full = 100 if self.dev.product_version() >= (12, 2, 0) else props.get("NominalChargeCapacity", 0)
        return {"CycleCount": props.get("CycleCount", 0), "DesignCapacity": props.get("DesignCapacity", 0),
                "FullChargeCapacity": full, "Status": "Success"}

    # com.apple.mobile.installation_proxy
    def svc_apps(self):
        while not STOP.is_set():
            req = self.recv_plist()
            if req is None:
                return
            cmd = req.get("Command") if isinstance(req, dict) else None
            opts = req.get("ClientOptions") or {}
            log("conn#%d installation_proxy %s %s", self.cid, cmd, opts)
            apps = self.select_apps(opts)
            if cmd == "Browse":
                page = max(1, self.dev.faults.int("browse_page", 20))
                total = len(apps)
                for i in range(0, total, page):
                    chunk = apps[i:i + page]
                    self.reply({"CurrentAmount": len(chunk), "CurrentIndex": i, "CurrentList": chunk,
                                "Status": "BrowsingInProgress", "Total": total}, "apps")
                self.send_plist({"Status": "Complete"})
            elif cmd == "Lookup":
                res = {a.get("CFBundleIdentifier"): a for a in apps}
                self.reply({"LookupResult": res, "Status": "Complete"}, "apps")
            else:
                self.send_plist({"Error": "UnknownCommand", "ErrorDescription": "Unknown command %s" % cmd,
                                 "Status": "Complete"})

    def select_apps(self, opts):
        kind = opts.get("ApplicationType", "Any")
        ids = opts.get("BundleIDs")
        attrs = opts.get("ReturnAttributes")
        out = []
        for a in self.dev.apps:
            if kind in ("User", "System") and a.get("ApplicationType") != kind:
                continue
            if ids and a.get("CFBundleIdentifier") not in ids:
                continue
            a = copy.deepcopy(a)
            if attrs:
                a = {k: v for k, v in a.items() if k in attrs}
            out.append(a)
        return out

    # com.apple.mobile.MCInstall
    def svc_profiles(self):
        while not STOP.is_set():
            req = self.recv_plist()
            if req is None:
                return
            rt = req.get("RequestType") if isinstance(req, dict) else None
            log("conn#%d MCInstall %s", self.cid, rt)
            if rt == "GetProfileList":
                out = copy.deepcopy(self.dev.profiles)
                out.setdefault("Status", "Acknowledged")
                self.reply(out, "profiles")
            elif rt == "GetCloudConfiguration":
                self.reply({"CloudConfiguration": copy.deepcopy(self.dev.cloudconfig), "Status": "Acknowledged"},
                           "profiles")
            elif rt in ("HelloHostIdentifier", "Flush"):
                self.send_plist({"Status": "Acknowledged"})
            else:
                self.send_plist({"Status": "Error", "ErrorChain": [{
                    "ErrorCode": 1001, "ErrorDomain": "MCInstallationErrorDomain",
                    "LocalizedDescription": "Unknown request.", "USEnglishDescription": "Unknown request."}]})

    # com.apple.syslog_relay: raw bytes, each line ends in "\n\0"
    def svc_syslog(self):
        f = self.dev.faults
        log("conn#%d syslog_relay streaming %d lines", self.cid, len(self.dev.syslog))
        if "syslog" in f.targets("hang"):
            wait_eof(self.io)
            return
        lines = self.dev.syslog
        if "syslog" in f.targets("huge"):
            lines = [b"X" * f.int("huge_bytes", 30 * 1024 * 1024)] + lines
        if "syslog" in f.targets("disconnect"):
            lines = lines[: len(lines) // 2]
        for line in lines:
            if STOP.is_set():
                return
            self.sim.delay(self.dev)
            self.io.sendall(line + b"\n\x00")
        if "syslog" in f.targets("disconnect"):
            self.io.shutdown(socket.SHUT_RDWR)
            return
        wait_eof(self.io)  # a live stream: stays open until the client leaves


# ---------------------------------------------------------------------- main

def main():
    global LOG_FILE, VERBOSE
    ap = argparse.ArgumentParser(
        description="usbmuxd + lockdownd simulator for tests (see tests/sim/ios/README.md)")
    ap.add_argument("--socket", required=True, help="UNIX socket path to serve usbmuxd on")
    ap.add_argument("--scenario", action="append", default=[], metavar="DIR",
                    help="scenario directory (repeatable: one phone each)")
    ap.add_argument("--latency-ms", type=int, default=0, help="delay before every reply")
    ap.add_argument("--fault", action="append", default=[], metavar="KEY=VALUE",
                    help="fault or setting applied to every phone (after its faults file)")
    ap.add_argument("--pidfile", help="written once the socket listens (default SOCKET.pid)")
    ap.add_argument("--log", help="append a transcript of requests to this file")
    ap.add_argument("--cert-cache", help="keep generated certificates here and reuse them")
    ap.add_argument("--max-lifetime", type=float, default=0, help="exit after this many seconds (0: never)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    if not args.scenario:
        ap.error("at least one --scenario is needed")
    sock_path = os.path.abspath(args.socket)
    if len(sock_path.encode()) > 107:
        ap.error("socket path too long for a UNIX socket (%d bytes)" % len(sock_path))
    extra = parse_kv("\n".join(args.fault), "--fault")
    devices = [Device(p, extra) for p in args.scenario]
    udids = [d.udid for d in devices]
    if len(set(udids)) != len(udids):
        ap.error("two scenarios share a UDID")
    VERBOSE = args.verbose
    if args.log:
        LOG_FILE = open(args.log, "a")

    state = tempfile.mkdtemp(prefix="ios_sim.")
    pidfile = args.pidfile or sock_path + ".pid"
    sim = Sim(args, devices)

    def cleanup():
        for p in (sock_path, pidfile):
            try:
                os.unlink(p)
            except OSError:
                pass
        shutil.rmtree(state, ignore_errors=True)

    def on_signal(signum, frame):
        STOP.set()

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    if os.path.exists(sock_path):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(sock_path)
            probe.close()
            sys.stderr.write("ios_sim: %s: another server is listening\n" % sock_path)
            shutil.rmtree(state, ignore_errors=True)
            return 1
        except OSError:
            os.unlink(sock_path)  # stale
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(64)
    srv.settimeout(0.2)
    # Ready means ready: every phone's pair record exists before the pidfile
    # does (libusbmuxd waits only 5 s for a ReadPairRecord answer).
    t0 = time.monotonic()
    sim.prepare_certs(state, args.cert_cache)
    for d in devices:
        while not d.certs_ready.wait(0.2):
            if STOP.is_set():
                srv.close()
                cleanup()
                return 1
        if d.cert_error:
            sys.stderr.write("ios_sim: %s: cannot make certificates: %s\n" % (d.name, d.cert_error))
            srv.close()
            cleanup()
            return 1
    log("certificates for %d phone(s) in %.1f s", len(devices), time.monotonic() - t0)
    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, pidfile)
    log("ready on %s: %s", sock_path, ", ".join("%s=%s" % (d.name, d.udid) for d in devices))
    sys.stderr.flush()

    started = time.monotonic()
    try:
        while not STOP.is_set():
            if args.max_lifetime and time.monotonic() - started > args.max_lifetime:
                log("max lifetime reached")
                break
            try:
                c, _ = srv.accept()
            except socket.timeout:
                continue
            except OSError:
                if STOP.is_set():
                    break
                raise
            c.settimeout(None)
            threading.Thread(target=sim.serve, args=(c,), daemon=True).start()
    finally:
        STOP.set()
        try:
            srv.close()
        except OSError:
            pass
        cleanup()
        log("stopped")
        if LOG_FILE is not None:
            LOG_FILE.flush()
    # threads blocked in a hang fault or a live stream must not keep us alive
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
