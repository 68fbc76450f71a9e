#!/usr/bin/env python3
# stub.py - the Android commands of a simulated phone (getprop, settings,
# dumpsys, am, cmd, pm, df, content, dpm, bmgr, appops ...).
#
# A simulated phone is a directory of recorded answers (its "state"): the file
# named after a command line answers it.  The name is the command line with
# spaces turned into "_" and "/" into "%" ("dumpsys battery" ->
# dumpsys_battery, "df /data" -> df_%data); the file holds stdout, NAME.err
# stderr and NAME.exit the exit status (default 0).  When no file answers, each
# tool behaves as the real one does on a phone that lacks the thing asked for
# (getprop of an unset key prints an empty line, dumpsys of a missing service
# says "Can't find service", an unknown command is "inaccessible or not found"
# with status 127 ...).  The commands that change a phone (settings put,
# cmd deviceidle whitelist +PKG, cmd appops set, am set-standby-bucket,
# cmd netpolicy add restrict-background-whitelist, pm grant / revoke) rewrite
# the state files so that a later read shows the change, and print what the
# real tools print.
#
# The adb server simulator (tests/sim/adb_sim.py) imports this module and calls
# run() for simple command lines; for anything needing a shell (pipes, ";",
# quotes, redirections) it runs /bin/sh with per-phone wrappers on PATH that
# exec this file as "stub.py NAME ARGS...", the state directory in
# $ADB_SIM_STATE.  Both paths give the same answers.
#
# Python 3 standard library only.

import fcntl
import os
import re
import sys
import threading

# The tools this module stands in for.  Any other first word for which the
# state has a file (logcat_-d ...) is answered from its files alone.
TOOLS = ("getprop", "settings", "dumpsys", "am", "cmd", "pm", "df", "content",
         "dpm", "bmgr", "appops", "wm", "svc")

# Services every phone has: dumpsys of one of these with no recorded answer
# prints nothing (rather than "Can't find service").
KNOWN_SERVICES = {
    "account", "activity", "alarm", "appops", "backup", "battery",
    "batterystats", "connectivity", "content", "cpuinfo", "device_policy",
    "deviceidle", "diskstats", "jobscheduler", "location", "media.camera",
    "meminfo", "mount", "netpolicy", "netstats", "network_management",
    "notification", "package", "power", "settings", "storaged", "telephony.registry",
    "usagestats", "user", "wifi", "window",
}

STANDBY_BUCKETS = {"exempted": 5, "active": 10, "working_set": 20,
                   "frequent": 30, "rare": 40, "restricted": 45, "never": 50}

NOT_FOUND = "/system/bin/sh: %s: inaccessible or not found\n"


def file_name(argv):
    """The state file name answering a command line."""
    return " ".join(argv).replace(" ", "_").replace("/", "%")


class Result:
    def __init__(self, out=b"", err=b"", code=0):
        self.out = out if isinstance(out, bytes) else out.encode()
        self.err = err if isinstance(err, bytes) else err.encode()
        self.code = code


class State:
    """The files of one simulated phone."""

    def __init__(self, path):
        self.path = path

    def _p(self, name):
        return os.path.join(self.path, name)

    def exists(self, name):
        return bool(name) and "\0" not in name and len(name) < 250 and \
            os.path.isfile(self._p(name))

    def read(self, name, default=None):
        if not self.exists(name):
            return default
        with open(self._p(name), "rb") as f:
            return f.read()

    def text(self, name, default=None):
        data = self.read(name)
        return default if data is None else data.decode("utf-8", "replace")

    def write(self, name, data):
        if isinstance(data, str):
            data = data.encode()
        tmp = self._p(".%s.tmp.%d.%d" % (name, os.getpid(), threading.get_ident()))
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, self._p(name))

    def names(self):
        try:
            return [n for n in os.listdir(self.path) if not n.startswith(".")]
        except OSError:
            return []

    def recorded(self, argv):
        """The recorded answer to argv, or None."""
        return self.recorded_name(file_name(argv))

    def recorded_name(self, name):
        """The answer recorded under a file name, or None."""
        if not (self.exists(name) or self.exists(name + ".err")
                or self.exists(name + ".exit")):
            return None
        code = 0
        raw = self.text(name + ".exit")
        if raw is not None:
            try:
                code = int(raw.strip() or "0")
            except ValueError:
                code = 0
        return Result(self.read(name, b""), self.read(name + ".err", b""), code)

    def lock(self):
        """An exclusive lock over the state, for read-modify-write changes."""
        fd = os.open(self._p(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    @staticmethod
    def unlock(fd):
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    # -- facts other stubs need --
    def prop(self, key):
        return getprops(self.text("getprop", "")).get(key)

    def sdk(self):
        try:
            return int(self.prop("ro.build.version.sdk") or "34")
        except ValueError:
            return 34

    def package_text(self, pkg):
        return self.text("dumpsys_package_" + pkg)

    def package_known(self, pkg):
        """Whether the phone has pkg installed, as far as its files tell."""
        text = self.package_text(pkg)
        if text is not None and re.search(r"^\s*Package \[%s\]" % re.escape(pkg),
                                          text, re.M):
            return True
        for name in ("pm_list_packages", "pm_list_packages_-U",
                     "pm_list_packages_" + pkg, "pm_list_packages_-U_" + pkg):
            lst = self.text(name, "")
            if re.search(r"^package:%s(\s|$)" % re.escape(pkg), lst, re.M):
                return True
        return False

    def package_uid(self, pkg):
        for name in ("pm_list_packages_-U_" + pkg, "pm_list_packages_-U"):
            m = re.search(r"^package:%s uid:(\d+)" % re.escape(pkg),
                          self.text(name, ""), re.M)
            if m:
                return m.group(1)
        m = re.search(r"^\s*(?:userId|appId)=(\d+)", self.package_text(pkg) or "", re.M)
        return m.group(1) if m else None


def getprops(text):
    """Parse `getprop` output ([key]: [value] lines, values may span lines)."""
    props = {}
    key = None
    value = []
    for line in text.split("\n"):
        if key is None:
            m = re.match(r"^\[([^\]]*)\]: \[(.*)$", line)
            if not m:
                continue
            key, rest = m.group(1), m.group(2)
            if rest.endswith("]"):
                props[key] = rest[:-1]
                key = None
            else:
                value = [rest]
        else:
            if line.endswith("]"):
                value.append(line[:-1])
                props[key] = "\n".join(value)
                key = None
            else:
                value.append(line)
    return props


# ---------------------------------------------------------------- the tools

def t_getprop(st, args):
    if not args:
        return Result(st.read("getprop", b""))
    value = st.prop(args[0])
    if value is None or value == "":
        value = args[1] if len(args) > 1 else ""
    return Result(value + "\n")


def t_settings(st, args):
    # settings [--user N] get|put|delete|list NAMESPACE [KEY [VALUE]]
    a = list(args)
    if len(a) >= 2 and a[0] == "--user":
        a = a[2:]
    if len(a) >= 3 and a[0] == "get":
        ns, key = a[1], a[2]
        lst = st.text("settings_list_" + ns)
        if lst is not None:
            for line in lst.split("\n"):
                if line.startswith(key + "="):
                    return Result(line[len(key) + 1:] + "\n")
        return Result("null\n")
    if len(a) >= 4 and a[0] == "put":
        ns, key, value = a[1], a[2], " ".join(a[3:])
        settings_store(st, ns, key, value)
        return Result()
    if len(a) >= 3 and a[0] == "delete":
        ns, key = a[1], a[2]
        had = st.exists(file_name(["settings", "get", ns, key]))
        settings_store(st, ns, key, None)
        return Result("Deleted %d rows\n" % (1 if had else 0))
    if len(a) >= 2 and a[0] == "list":
        return Result("")
    return Result(err="Invalid command: %s\n" % (a[0] if a else ""), code=1)


def settings_store(st, ns, key, value):
    fd = st.lock()
    try:
        name = file_name(["settings", "get", ns, key])
        if value is None:
            for n in (name, name + ".err", name + ".exit"):
                if st.exists(n):
                    os.unlink(os.path.join(st.path, n))
        else:
            st.write(name, value + "\n")
        lst_name = "settings_list_" + ns
        lst = st.text(lst_name)
        if lst is not None:
            lines = [l for l in lst.split("\n") if l and not l.startswith(key + "=")]
            if value is not None:
                lines.append(key + "=" + value)
                lines.sort()
            st.write(lst_name, "\n".join(lines) + "\n")
        if ns == "global" and key == "low_power":
            battery_saver(st, value == "1")
    finally:
        st.unlock(fd)


def battery_saver(st, on):
    """Make dumpsys power (and netpolicy) agree with the Battery Saver setting."""
    word = "true" if on else "false"
    power = st.text("dumpsys_power")
    if power is not None:
        power = re.sub(r"(Battery Saver is currently: )\w+",
                       lambda m: m.group(1) + ("ON" if on else "OFF"), power)
        power = re.sub(r"(\bmSettingBatterySaverEnabled=)\w+",
                       lambda m: m.group(1) + word, power)
        power = re.sub(r"(\bmLowPowerModeEnabled=)\w+",
                       lambda m: m.group(1) + word, power)
        power = re.sub(r"(\bmSettingBatterySaverEnabledSticky=)\w+",
                       lambda m: m.group(1) + word, power)
        # In the state machine section, "  Enabled=" then "    full=".
        m = re.search(r"^Battery saver state machine:\n", power, re.M)
        if m:
            head, tail = power[:m.end()], power[m.end():]
            tail = re.sub(r"^(\s+Enabled=)\w+", lambda x: x.group(1) + word,
                          tail, count=1, flags=re.M)
            tail = re.sub(r"^(\s+full=)\w+", lambda x: x.group(1) + word,
                          tail, count=1, flags=re.M)
            power = head + tail
        st.write("dumpsys_power", power)
    netpolicy = st.text("dumpsys_netpolicy")
    if netpolicy is not None:
        netpolicy = re.sub(r"^(\s*Restrict power: )\w+",
                           lambda m: m.group(1) + word, netpolicy, flags=re.M)
        st.write("dumpsys_netpolicy", netpolicy)


def services(st):
    found = set(KNOWN_SERVICES)
    listing = st.text("dumpsys_-l")
    if listing is not None:
        found = {l.strip() for l in listing.split("\n")[1:] if l.strip()}
    for n in st.names():
        if n.startswith("dumpsys_") and not n.endswith((".err", ".exit")):
            found.add(n[len("dumpsys_"):].split("_", 1)[0])
    return found


def t_dumpsys(st, args):
    if not args:
        return Result(st.read("dumpsys", b""))
    if args[0].startswith("-"):
        return Result()
    svc = args[0]
    if svc not in services(st):
        return Result(err="Can't find service: %s\n" % svc)
    if svc == "package" and len(args) == 2 and not args[1].startswith("-") \
            and "." in args[1]:
        return Result("Unable to find package: %s\n" % args[1])
    if svc == "jobscheduler" and len(args) == 2 and "." in args[1] \
            and not st.package_known(args[1]):
        return Result("Invalid package: %s\n" % args[1])
    # Most services ignore arguments they do not know: the full dump.
    return Result(st.read("dumpsys_" + svc, b""))


def t_cmd(st, args):
    if not args:
        return Result(err="cmd: No service specified; use -l to list all services\n",
                      code=20)
    svc, rest = args[0], args[1:]
    if svc == "-l":
        return Result("Currently running services:\n" +
                      "".join("  %s\n" % s for s in sorted(services(st))))
    if svc == "deviceidle" and rest and rest[0] == "whitelist":
        return deviceidle_whitelist(st, rest[1:])
    if svc == "appops":
        return t_appops(st, rest)
    if svc == "netpolicy":
        return netpolicy(st, rest)
    if svc == "package":
        return t_pm(st, rest)
    if svc == "activity":
        return t_am(st, rest)
    if svc == "settings":
        return t_settings(st, rest)
    if svc not in services(st):
        return Result(err="cmd: Can't find service: %s\n" % svc, code=20)
    return Result()


def deviceidle_whitelist(st, args):
    if not args:
        return Result(st.read("dumpsys_deviceidle_whitelist", b""))
    out = []
    for arg in args:
        op, pkg = arg[:1], arg[1:]
        if op not in "+-" or not pkg:
            out.append("Package must be prefixed with +, -, or =: %s\n" % arg)
            continue
        if op == "+" and not st.package_known(pkg):
            out.append("Unknown package: %s\n" % pkg)
            continue
        fd = st.lock()
        try:
            changed = whitelist_edit(st, pkg, op == "+")
        finally:
            st.unlock(fd)
        if op == "+":
            out.append("Added: %s\n" % pkg)
        elif changed:
            out.append("Removed: %s\n" % pkg)
    return Result("".join(out))


def whitelist_edit(st, pkg, add):
    uid = st.package_uid(pkg) or "10000"
    changed = False
    for name in ("dumpsys_deviceidle_whitelist", "cmd_deviceidle_whitelist"):
        text = st.text(name)
        if text is None and name == "cmd_deviceidle_whitelist":
            continue
        lines = [l for l in (text or "").split("\n") if l]
        keep = [l for l in lines if not re.match(r"^user,%s," % re.escape(pkg), l)]
        changed = changed or len(keep) != len(lines)
        if add:
            keep.append("user,%s,%s" % (pkg, uid))
        st.write(name, "\n".join(keep) + "\n")
    # The full dump lists the user apps, then the app ids in sections that
    # DeviceIdleController prints only when they are not empty.
    text = st.text("dumpsys_deviceidle")
    if text is not None:
        appid = str(int(uid) % 100000)
        word = "Allowlist" if "Allowlist" in text else "Whitelist"
        text = section_edit(text, word + " user apps:", pkg, add,
                            before=word + " (except idle) all app ids:")
        for ids in ("(except idle) all app ids:", "user app ids:", "all app ids:"):
            text = section_edit(text, "%s %s" % (word, ids), appid, add, numeric=True)
        st.write("dumpsys_deviceidle", text)
    return changed


def section_edit(text, header, item, add, before=None, numeric=False):
    """Add or remove an item line in a two-space indented section of a dump
    ("  Header:" then "    item" lines); a missing section is made before
    the line `before` when an item is added."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == header and line.startswith("  ") and not line.startswith("   "):
            j = i + 1
            while j < len(lines) and lines[j].startswith("    "):
                j += 1
            body = [l.strip() for l in lines[i + 1:j] if l.strip() != item]
            if add:
                body.append(item)
                if numeric:
                    body.sort(key=lambda x: int(x) if x.isdigit() else 0)
            return "\n".join(lines[:i + 1] + ["    " + b for b in body] + lines[j:])
    if add and before is not None:
        for i, line in enumerate(lines):
            if line.strip() == before:
                return "\n".join(lines[:i] + ["  " + header, "    " + item] + lines[i:])
    return text


def t_appops(st, args):
    # appops get PKG [OP] / appops set PKG OP MODE (also as "cmd appops ...")
    a = list(args)
    if len(a) >= 2 and a[0] == "--user":
        a = a[2:]
    if len(a) >= 2 and a[0] == "get":
        pkg = a[1]
        if not st.package_known(pkg):
            return Result(err="Error: Unknown package: %s\n" % pkg, code=255)
        if len(a) >= 3:
            rec = st.recorded(["cmd", "appops", "get", pkg])
            if rec is not None:
                for line in rec.out.decode("utf-8", "replace").split("\n"):
                    if re.match(r"^(Uid mode: )?%s: " % re.escape(a[2]), line):
                        return Result(line + "\n")
        out = "No operations.\n"
        if st.sdk() >= 29:
            out += "Default mode: allow\n"
        return Result(out)
    if len(a) >= 4 and a[0] == "set":
        pkg, op, mode = a[1], a[2], a[3]
        if not st.package_known(pkg):
            return Result(err="Error: Unknown package: %s\n" % pkg, code=255)
        fd = st.lock()
        try:
            appops_set(st, pkg, op, mode)
        finally:
            st.unlock(fd)
        return Result()
    return Result(err="Error: Invalid command\n", code=255)


def appops_set(st, pkg, op, mode):
    for tool in (["cmd", "appops"], ["appops"]):
        one = file_name(tool + ["get", pkg, op])
        if st.exists(one) or tool[0] == "cmd":
            st.write(one, "%s: %s\n" % (op, mode))
        every = file_name(tool + ["get", pkg])
        text = st.text(every)
        if text is None:
            continue
        lines = [l for l in text.split("\n") if l and not l.startswith("No operations.")
                 and not l.startswith("Default mode:")]
        done = False
        for i, line in enumerate(lines):
            m = re.match(r"^(%s: )(\w+)(.*)$" % re.escape(op), line)
            if m:
                lines[i] = m.group(1) + mode + m.group(3)
                done = True
        if not done:
            lines.append("%s: %s" % (op, mode))
        st.write(every, "\n".join(lines) + "\n")


def netpolicy(st, args):
    header = "Restrict background whitelisted UIDs: "
    if len(args) >= 3 and args[0] in ("add", "remove") and \
            args[1] == "restrict-background-whitelist":
        uid = args[2]
        if not uid.isdigit():
            return Result(err="Error: invalid uid: %s\n" % uid, code=255)
        fd = st.lock()
        try:
            name = "cmd_netpolicy_list_restrict-background-whitelist"
            text = st.text(name, header + "none\n\n")
            m = re.search(r"whitelisted UIDs: (.*)", text)
            uids = [] if not m or m.group(1).strip() == "none" else m.group(1).split()
            uids = [u for u in uids if u != uid]
            if args[0] == "add":
                uids.append(uid)
            line = header + (" ".join(uids) + " " if uids else "none\n")
            st.write(name, line + "\n")
            dump = st.text("dumpsys_netpolicy")
            if dump is not None:
                dump = re.sub(r"^(\s*UID=%s policy=)\d+( \([^)]*\))?$" % uid, "",
                              dump, flags=re.M).replace("\n\n\n", "\n\n")
                if args[0] == "add":
                    dump = re.sub(r"^(\s*)Policy for UIDs:\n",
                                  lambda m: "%sPolicy for UIDs:\n%s  UID=%s policy=4 "
                                  "(ALLOW_METERED_BACKGROUND)\n" % (m.group(1), m.group(1), uid),
                                  dump, count=1, flags=re.M)
                st.write("dumpsys_netpolicy", dump)
        finally:
            st.unlock(fd)
        return Result()
    if len(args) >= 2 and args[0] == "get" and args[1] == "restrict-background":
        return Result("Restrict background status: disabled\n")
    if len(args) >= 2 and args[0] == "list" and args[1] == "restrict-background-whitelist":
        return Result(header + "none\n\n")
    if len(args) >= 2 and args[0] == "list" and args[1] == "restrict-background-blacklist":
        return Result("Restrict background blacklisted UIDs: none\n\n")
    return Result()


def t_am(st, args):
    if len(args) >= 3 and args[0] == "set-standby-bucket":
        pkg, bucket = args[1], args[2]
        if not st.package_known(pkg):
            return Result(err="Exception occurred while executing 'set-standby-bucket':\n"
                          "java.lang.IllegalArgumentException: Cannot set standby bucket "
                          "for non existent package (%s)\n" % pkg, code=255)
        value = STANDBY_BUCKETS.get(bucket, bucket if bucket.isdigit() else None)
        if value is None:
            return Result(err="Exception occurred while executing 'set-standby-bucket':\n"
                          "java.lang.IllegalArgumentException: Invalid standby bucket "
                          "%s\n" % bucket, code=255)
        fd = st.lock()
        try:
            st.write(file_name(["am", "get-standby-bucket", pkg]), "%s\n" % value)
        finally:
            st.unlock(fd)
        return Result()
    if len(args) >= 2 and args[0] == "get-standby-bucket":
        pkg = args[1]
        if not st.package_known(pkg):
            return Result(err="Exception occurred while executing 'get-standby-bucket':\n"
                          "java.lang.IllegalArgumentException: Cannot get standby bucket "
                          "for non existent package (%s)\n" % pkg, code=255)
        return Result("10\n")
    return Result()


def t_pm(st, args):
    if len(args) >= 3 and args[0] in ("grant", "revoke"):
        return pm_grant(st, args[1], args[2], args[0] == "grant")
    if args[:2] == ["list", "packages"]:
        return pm_list_packages(st, args[2:])
    if len(args) >= 2 and args[0] == "path":
        if st.package_known(args[1]):
            return Result("package:/data/app/%s-1/base.apk\n" % args[1])
        return Result(code=1)
    return Result()


def pm_grant(st, pkg, perm, grant):
    verb = "grant" if grant else "revoke"
    text = st.package_text(pkg)
    if text is None or not st.package_known(pkg):
        return Result(err="Exception occurred while executing '%s':\n"
                      "java.lang.IllegalArgumentException: Unknown package: %s\n"
                      % (verb, pkg), code=255)
    pat = re.compile(r"^(\s+%s: granted=)(true|false)" % re.escape(perm), re.M)
    if not pat.search(text):
        return Result(err="Exception occurred while executing '%s':\n"
                      "java.lang.SecurityException: Package %s has not requested "
                      "permission %s\n" % (verb, pkg, perm), code=255)
    fd = st.lock()
    try:
        text = st.package_text(pkg)
        text = pat.sub(lambda m: m.group(1) + ("true" if grant else "false"), text)
        st.write("dumpsys_package_" + pkg, text)
    finally:
        st.unlock(fd)
    return Result()


def pm_list_packages(st, args):
    opts = [a for a in args if a.startswith("-")]
    rest = [a for a in args if not a.startswith("-")]
    base = st.recorded(["pm", "list", "packages"] + opts)
    if base is None:
        base = st.recorded(["pm", "list", "packages"])
    if base is None:
        return Result()
    if not rest:
        return base
    lines = [l for l in base.out.decode("utf-8", "replace").split("\n")
             if l and rest[0] in l.split(" ")[0]]
    return Result("".join(l + "\n" for l in lines))


def t_df(st, args):
    full = st.text("df")
    if full is None:
        return Result()
    lines = full.split("\n")
    paths = [a for a in args if not a.startswith("-")]
    if not paths:
        return Result(full)
    out = [lines[0]]
    for p in paths:
        rows = [l for l in lines[1:] if l.split() and l.split()[-1] == p]
        if not rows:
            return Result("\n".join(out) + "\n",
                          "df: %s: No such file or directory\n" % p, 1)
        out.extend(rows)
    return Result("\n".join(out) + "\n")


def t_content(st, args):
    if args[:1] == ["query"]:
        return Result("No result found.\n")
    return Result()


def t_dpm(st, args):
    if args[:1] == ["list-owners"]:
        return Result("no owners\n")
    return Result()


def t_bmgr(st, args):
    if args[:1] == ["enabled"]:
        on = (st.text("settings_get_secure_backup_enabled", "1").strip() == "1")
        return Result("Backup Manager currently %s\n" % ("enabled" if on else "disabled"))
    return Result()


def t_none(st, args):
    return Result()


HANDLERS = {
    "getprop": t_getprop, "settings": t_settings, "dumpsys": t_dumpsys,
    "cmd": t_cmd, "am": t_am, "pm": t_pm, "df": t_df, "content": t_content,
    "dpm": t_dpm, "bmgr": t_bmgr, "appops": t_appops, "wm": t_none, "svc": t_none,
}


def mutates(argv):
    """Whether the command line changes the phone's state."""
    a = argv
    if a[:1] == ["cmd"] and a[1:2] in (["package"], ["settings"], ["activity"]):
        a = [{"package": "pm", "settings": "settings", "activity": "am"}[a[1]]] + a[2:]
    if a[:1] == ["cmd"] and a[1:2] == ["appops"]:
        a = a[1:]
    if a[:1] == ["settings"]:
        b = a[3:] if a[1:2] == ["--user"] else a[1:]
        return b[:1] in (["put"], ["delete"])
    if a[:3] == ["cmd", "deviceidle", "whitelist"]:
        return len(a) > 3
    if a[:2] == ["cmd", "netpolicy"]:
        return a[2:3] in (["add"], ["remove"])
    if a[:1] == ["appops"]:
        b = a[3:] if a[1:2] == ["--user"] else a[1:]
        return b[:1] == ["set"]
    if a[:2] == ["am", "set-standby-bucket"]:
        return True
    return a[:1] == ["pm"] and a[1:2] in (["grant"], ["revoke"])


def answers(st, name):
    """Whether NAME is a command this phone knows (a stub or a recorded file)."""
    if name in HANDLERS:
        return True
    prefix = name + "_"
    for n in st.names():
        if n == name or n.startswith(prefix) or n in (name + ".err", name + ".exit"):
            return True
    return False


def run(state_dir, argv):
    """Answer one command line (already split into words) on the phone whose
    state is in state_dir.  Returns a Result."""
    st = State(state_dir)
    if not argv:
        return Result()
    if argv[0] == "dumpsys" and argv[1:] == ["deviceidle", "whitelist"]:
        rec = st.recorded(argv)
        return rec if rec is not None else deviceidle_whitelist(st, [])
    # A command that changes the phone always goes to its tool, so that the
    # change is made even where a scenario recorded an answer for it.
    rec = None if mutates(argv) else st.recorded(argv)
    if rec is not None:
        return rec
    handler = HANDLERS.get(argv[0])
    if handler is None:
        if answers(st, argv[0]):
            return Result()
        return Result(err=NOT_FOUND % argv[0], code=127)
    return handler(st, argv[1:])


def main():
    # stub.py NAME ARGS...  (or invoked through a symlink named NAME)
    me = os.path.basename(sys.argv[0])
    argv = sys.argv[1:] if me in ("stub.py", "stub") else [me] + sys.argv[1:]
    state = os.environ.get("ADB_SIM_STATE")
    if not state:
        sys.stderr.write("stub: ADB_SIM_STATE is not set\n")
        return 2
    res = run(state, argv)
    out = getattr(sys.stdout, "buffer", sys.stdout)
    err = getattr(sys.stderr, "buffer", sys.stderr)
    try:
        out.write(res.out)
        out.flush()
    except BrokenPipeError:
        pass
    err.write(res.err)
    err.flush()
    return res.code


if __name__ == "__main__":
    sys.exit(main())
