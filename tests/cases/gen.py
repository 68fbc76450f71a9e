#!/usr/bin/env python3
"""gen.py - writes the knowledge-base test cases and the demo samples.

    python3 tests/cases/gen.py          (from the repository root, or anywhere)

Outputs (the committed artefacts; this script only keeps them consistent):
  tests/cases/healthy-android.json, tests/cases/healthy-ios.json
      realistic phones, recently backed up, every probe-readable fact known
      and normal: they must give no finding and exit 0;
  tests/cases/<cause-id>.json
      a healthy phone plus the facts (observed, or answered by the person)
      that make <cause-id> the top finding, confirmed;
  tests/samples/android-battery-saver.json, ios-phone-full.json,
  android-healthy.json
      the phones `make demo` diagnoses.

Values are in base units (bytes, percent 0..100, seconds, bits per second,
ISO 8601 UTC).  "source" names the command or lockdown key a probe would read
and "raw" the excerpt it printed, in the formats of
notes/android-adb-catalogue.md and notes/ios-lockdown-catalogue.md.
Deterministic: no clock, no randomness; the same input gives the same bytes.
"""

import json
import os
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = HERE
SAMPLES = os.path.join(os.path.dirname(HERE), "samples")

SCHEMA = "backupdoctor.facts/1"
APPLE_EPOCH = 978307200  # 2001-01-01T00:00:00Z in Unix seconds


def unix(iso):
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=timezone.utc).timestamp())


def f(value, source=None, raw=None):
    """A fact read by a probe (state known)."""
    out = {"value": value}
    if source is not None:
        out["source"] = source
    if raw is not None:
        out["raw"] = raw
    return out


def answered(value):
    """A fact a person answered."""
    return {"value": value, "state": "answered", "source": "answer"}


def derived(value, how):
    return {"value": value, "source": "derived: " + how}


# ---------------------------------------------------------------- Android ----

ANDROID_APPS = {
    # id: (package, display name)
    "google_photos": "com.google.android.apps.photos",
    "google_one": "com.google.android.apps.subscriptions.red",
    "onedrive": "com.microsoft.skydrive",
    "samsung_gallery": "com.sec.android.gallery3d",
    "dropbox": "com.dropbox.android",
    "amazon_photos": "com.amazon.clouddrive.photos",
}


def android_app_absent(facts, app):
    pkg = ANDROID_APPS[app]
    facts[f"app.{app}.installed"] = f(False, f"pm list packages {pkg}", "")
    facts[f"app.{app}.in_use"] = derived(False, "not installed")


def android_app(facts, app, *, in_use, version, updated, uid, bucket=10,
                system_enabled="0", wifi_only=True, charging_only=False,
                photo="granted", accounts=1, service="ok", jobs=True,
                exempt=False):
    """An installed Android app in a normal state."""
    pkg = ANDROID_APPS[app]
    p = f"app.{app}."
    facts[p + "installed"] = f(True, f"pm list packages {pkg}", f"package:{pkg}")
    facts[p + "enabled"] = f(True, f"dumpsys package {pkg}",
                             f"    User 0: ceDataInode=2291 installed=true hidden=false "
                             f"suspended=false distractionFlags=0 stopped=false "
                             f"notLaunched=false enabled={system_enabled} instant=false virtual=false")
    if in_use:
        facts[p + "in_use"] = derived(True, "installed, enabled, account present, upload job scheduled")
    else:
        facts[p + "in_use"] = derived(False, "no account signed in to the app and no upload job")
    facts[p + "version"] = f(version, f"dumpsys package {pkg}", f"    versionName={version}")
    facts[p + "updated"] = f(updated, f"dumpsys package {pkg}",
                             "    lastUpdateTime=" + updated.replace("T", " ").rstrip("Z"))
    facts[p + "uid"] = f(uid, f"pm list packages -U {pkg}", f"package:{pkg} uid:{uid}")
    facts[p + "standby_bucket"] = f(bucket, f"am get-standby-bucket {pkg}", str(bucket))
    facts[p + "bg_restricted"] = f(False, f"cmd appops get {pkg} RUN_ANY_IN_BACKGROUND",
                                   "RUN_ANY_IN_BACKGROUND: allow")
    if exempt:
        facts[p + "battery_exempt"] = f(True, "dumpsys deviceidle whitelist", f"user,{pkg},{uid}")
    else:
        facts[p + "battery_exempt"] = f(False, "dumpsys deviceidle whitelist",
                                        f"(no entry for {pkg})")
    perm = {
        "granted": "        android.permission.READ_MEDIA_IMAGES: granted=true, "
                   "flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]",
        "partial": "        android.permission.READ_MEDIA_VISUAL_USER_SELECTED: granted=true, "
                   "flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]",
        "denied": "        android.permission.READ_MEDIA_IMAGES: granted=false, "
                  "flags=[ USER_SET|USER_FIXED|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]",
    }[photo]
    facts[p + "photo_access"] = f(photo, f"dumpsys package {pkg}", perm)
    facts[p + "bg_data_restricted"] = f(False, "cmd netpolicy list restrict-background-blacklist",
                                        "Restrict background blacklisted UIDs: none")
    facts[p + "data_saver_exempt"] = f(False, "cmd netpolicy list restrict-background-whitelist",
                                       "Restrict background whitelisted UIDs: none")
    if jobs:
        facts[p + "waits_unmetered"] = f(False, f"dumpsys jobscheduler {pkg}",
                                         "    Unsatisfied constraints: TIMING_DELAY [0x80000000]")
        facts[p + "waits_charging"] = f(False, f"dumpsys jobscheduler {pkg}",
                                        "    Unsatisfied constraints: TIMING_DELAY [0x80000000]")
        req = "CONNECTIVITY [0x10000000]"
        if charging_only:
            req = "CHARGING CONNECTIVITY [0x10000001]"
        facts[p + "charging_only"] = f(charging_only, f"dumpsys jobscheduler {pkg}",
                                       f"    Required constraints: {req}")
        caps = "NOT_METERED&INTERNET&NOT_VPN&VALIDATED" if wifi_only else "INTERNET&NOT_VPN&VALIDATED"
        facts[p + "wifi_only"] = f(wifi_only, f"dumpsys jobscheduler {pkg}",
                                   f"      Network type: NetworkRequest [ NONE id=0, [ Capabilities: {caps} ] ]")
    facts[p + "account_count"] = f(accounts, "dumpsys account", f"  Accounts: {accounts}")
    if in_use:
        facts[p + "service_status"] = f(service, "host: service status page",
                                        "no incidents reported" if service == "ok" else "incident: " + service)


def android_pixel():
    """Pixel 7, Android 14, Google Photos backing up normally over home Wi-Fi."""
    serial = "28161FDH2000AB"
    dev = f"{serial}         device usb:1-4 product:panther model:Pixel_7 device:panther transport_id:3"
    fp = "google/panther/panther:14/AP1A.240505.005/11677807:user/release-keys"
    # dumpsys connectivity prints one long NetworkAgentInfo line per network;
    # "raw" keeps the part that tells transport, metering and validation.
    wifi_nc = ("Transports: WIFI Capabilities: NOT_METERED&INTERNET&NOT_RESTRICTED&TRUSTED"
               "&NOT_VPN&VALIDATED")
    df = "/dev/block/dm-45 112884944 61234000  51650944  55% /data"
    facts = {
        "device.platform": f("android", "adb host:devices-l", dev),
        "device.model": f("Pixel 7", "getprop ro.product.model", "Pixel 7"),
        "device.manufacturer": f("Google", "getprop ro.product.manufacturer", "Google"),
        "device.os_version": f("14", "getprop ro.build.version.release", "14"),
        "device.os_major": f(14, "getprop ro.build.version.release", "14"),
        "device.sdk": f(34, "getprop ro.build.version.sdk", "34"),
        "device.build": f("AP1A.240505.005", "getprop ro.build.id", "AP1A.240505.005"),
        "device.beta": f(False, "getprop ro.build.fingerprint", fp),
        "device.security_patch": f("2024-05-05T00:00:00Z", "getprop ro.build.version.security_patch",
                                   "2024-05-05"),
        "device.screen_lock": f(True, "dumpsys lock_settings", "    CredentialType: PIN"),
        "connection.state": f("ready", "adb host:devices-l", dev),
        "usb.speed": f("high", "libusb_get_device_speed", "LIBUSB_SPEED_HIGH"),
        "usb.link_unstable": f(False, "libusb hotplug events during the scan", "no detach"),
        "power.battery_saver": f(False, "settings get global low_power", "0"),
        "power.battery_low": f(False, "dumpsys power", "  mBatteryLevelLow=false"),
        "battery.level": f(78, "dumpsys battery", "  level: 78"),
        "battery.charging": f(True, "dumpsys battery", "  status: 2"),
        "battery.plugged": f(True, "dumpsys battery", "  USB powered: true"),
        "battery.temperature": f(30, "dumpsys battery", "  temperature: 302"),
        "doze.state": f("ACTIVE", "dumpsys deviceidle", "  mState=ACTIVE mLightState=ACTIVE"),
        "doze.deep_idle": f(False, "dumpsys deviceidle", "  mState=ACTIVE mLightState=ACTIVE"),
        "net.type": f("wifi", "dumpsys connectivity", wifi_nc),
        "net.connected": f(True, "dumpsys connectivity", "Active default network: 104"),
        "net.metered": f(False, "dumpsys connectivity", wifi_nc),
        "net.validated": f(True, "dumpsys connectivity", wifi_nc),
        "net.wifi_rssi": f(-58, "cmd wifi status",
                           'WifiInfo: SSID: "HomeNet", BSSID: 02:00:00:00:00:00, '
                           'Supplicant state: COMPLETED, Wi-Fi standard: 11ax, RSSI: -58, '
                           'Link speed: 866Mbps, Tx Link speed: 866Mbps, Frequency: 5180MHz'),
        "net.wifi_weak": f(False, "cmd wifi status", "RSSI: -58"),
        "net.vpn": f(False, "dumpsys connectivity", wifi_nc),
        "net.proxy": f(False, "settings get global http_proxy", "null"),
        "net.data_saver": f(False, "cmd netpolicy get restrict-background",
                            "Restrict background status: disabled"),
        "host.upload_rate": f(38200000, "host: upload test (libcurl)", "38.2 Mbit/s over 8 s"),
        "storage.total": f(112884944 * 1024, "df /data", df),
        "storage.free": f(51650944 * 1024, "df /data", df),
        "storage.free_pct": f(45.8, "df /data", df),
        "storage.low": f(False, "dumpsys diskstats", "Data-Free: 51650944K / 112884944K total = 45% free"),
        "media.photo_count": f(8412, "content query --uri content://media/external/images/media "
                                     "--projection _id", "8412 rows"),
        "media.video_count": f(633, "content query --uri content://media/external/video/media "
                                    "--projection _id", "633 rows"),
        "media.pending_count": f(14, "content query --uri content://media/external/images/media "
                                     "--projection _id:_size --where \"date_added>1718170800\"",
                                 "14 rows"),
        "media.pending_bytes": f(52340112, "content query --uri content://media/external/images/media "
                                           "--projection _id:_size --where \"date_added>1718170800\"",
                                 "sum of _size over 14 rows"),
        "media.newest_photo": f("2024-06-12T08:51:10Z",
                                "content query --uri content://media/external/images/media "
                                "--projection _id:_display_name:_size:date_added",
                                "Row: 8411 _id=1000008790, _display_name=PXL_20240612_085110123.jpg, "
                                "_size=3410221, date_added=%d" % unix("2024-06-12T08:51:10Z")),
        "accounts.google_count": f(1, "dumpsys account",
                                   "    Account {name=a•••@gmail.com, type=com.google}"),
        "accounts.types": f(["com.google"], "dumpsys account",
                            "    Account {name=a•••@gmail.com, type=com.google}"),
        "mdm.device_owner": f(False, "dpm list-owners", "no owners"),
        "mdm.supervised": f(False, "dpm list-owners", "no owners"),
        "mdm.enrolled": f(False, "dpm list-owners", "no owners"),
        "mdm.work_profile": f(False, "pm list users", "Users:\n\tUserInfo{0:Owner:c13} running"),
        "mdm.backup_blocked": f(False, "dumpsys device_policy", "no device or profile owner"),
    }
    android_app(facts, "google_photos", in_use=True, version="6.83.0.630115247",
                updated="2024-05-18T08:03:04Z", uid=10158)
    # Preinstalled on this Pixel, never opened: rare bucket, yet no finding.
    android_app(facts, "google_one", in_use=False, version="1.235.626523887",
                updated="2024-04-02T11:20:41Z", uid=10187, bucket=40, service=None)
    for app in ("onedrive", "samsung_gallery", "dropbox", "amazon_photos"):
        android_app_absent(facts, app)
    return facts


def android_samsung():
    """Galaxy S23, Android 14 / One UI 6.1: Google Photos in use; the Gallery
    and OneDrive are preinstalled and nobody signed in to their sync."""
    serial = "R5CW20ABCDE"
    dev = f"{serial}            device usb:1-2 product:dm1qxxx model:SM_S911B device:dm1q transport_id:1"
    fp = "samsung/dm1qxxx/dm1q:14/UP1A.231005.007/S911BXXS3BXD1:user/release-keys"
    facts = android_pixel()
    facts.update({
        "device.platform": f("android", "adb host:devices-l", dev),
        "device.model": f("SM-S911B", "getprop ro.product.model", "SM-S911B"),
        "device.manufacturer": f("samsung", "getprop ro.product.manufacturer", "samsung"),
        "device.build": f("UP1A.231005.007", "getprop ro.build.id", "UP1A.231005.007"),
        "device.beta": f(False, "getprop ro.build.fingerprint", fp),
        "device.security_patch": f("2024-04-01T00:00:00Z", "getprop ro.build.version.security_patch",
                                   "2024-04-01"),
        "connection.state": f("ready", "adb host:devices-l", dev),
        "battery.level": f(66, "dumpsys battery", "  level: 66"),
        "battery.temperature": f(31, "dumpsys battery", "  temperature: 312"),
    })
    df = "/dev/block/dm-52 239498228 144211364  95155264  61% /data"
    facts["storage.total"] = f(239498228 * 1024, "df /data", df)
    facts["storage.free"] = f(95155264 * 1024, "df /data", df)
    facts["storage.free_pct"] = f(39.7, "df /data", df)
    facts["storage.low"] = f(False, "dumpsys diskstats",
                             "Data-Free: 95155264K / 239498228K total = 39% free")
    facts["accounts.types"] = f(["com.google", "com.osp.app.signin"], "dumpsys account",
                                "    Account {name=a•••@gmail.com, type=com.google}\n"
                                "    Account {name=a•••@example.com, type=com.osp.app.signin}")
    for k in [k for k in facts if k.startswith("app.")]:
        del facts[k]
    android_app(facts, "google_photos", in_use=True, version="6.82.0.627348791",
                updated="2024-05-11T06:41:52Z", uid=10231)
    android_app(facts, "samsung_gallery", in_use=False, version="14.5.06.2",
                updated="2024-03-28T02:10:00Z", uid=10094, system_enabled="0", service=None)
    android_app(facts, "onedrive", in_use=False, version="7.5",
                updated="2023-11-02T00:00:00Z", uid=10262, bucket=45, service=None, jobs=False)
    for app in ("google_one", "dropbox", "amazon_photos"):
        android_app_absent(facts, app)
    return facts


def wireless(facts):
    """Read over wireless debugging: the phone is off USB and off power."""
    dev = "192.168.1.23:5555      device product:panther model:Pixel_7 device:panther transport_id:5"
    facts["device.platform"] = f("android", "adb host:devices-l", dev)
    facts["connection.state"] = f("ready", "adb host:devices-l", dev)
    facts.pop("usb.speed", None)
    facts.pop("usb.link_unstable", None)
    facts["battery.charging"] = f(False, "dumpsys battery", "  status: 3")
    facts["battery.plugged"] = f(False, "dumpsys battery", "  USB powered: false")


# -------------------------------------------------------------------- iOS ----

IOS_APPS = {
    "google_photos": "com.google.photos",
    "onedrive": "com.microsoft.skydrive",
    "dropbox": "com.getdropbox.Dropbox",
    "amazon_photos": "com.amazon.clouddrive.photos",
    "icloud_photos": "com.apple.mobileslideshow",
}


def ios_app_absent(facts, app):
    facts[f"app.{app}.installed"] = f(False, "instproxy_browse (User)", "not listed")
    facts[f"app.{app}.in_use"] = derived(False, "not installed")


def ios_iphone():
    """iPhone 14 Pro, iOS 17.5.1, iCloud Photos on, last iCloud Backup 7 hours ago."""
    last = "2024-06-12T02:14:00Z"
    newest = "2024-06-12T08:51:10Z"
    facts = {
        "device.platform": f("ios", "usbmuxd ListDevices",
                             "ConnectionType: USB, ProductID: 0x12a8"),
        "device.model": f("iPhone 14 Pro", "lockdown ProductType", "iPhone15,2"),
        "device.manufacturer": f("Apple", "lockdown DeviceClass", "iPhone"),
        "device.os_version": f("17.5.1", "lockdown ProductVersion", "17.5.1"),
        "device.os_major": f(17, "lockdown ProductVersion", "17.5.1"),
        "device.build": f("21F90", "lockdown BuildVersion", "21F90"),
        "device.beta": f(False, "lockdown BuildVersion", "21F90"),
        "connection.state": f("ready", "lockdownd StartSession", "session started (paired host)"),
        "usb.speed": f("high", "libusb_get_device_speed", "LIBUSB_SPEED_HIGH"),
        "usb.link_unstable": f(False, "libusb hotplug events during the scan", "no detach"),
        "battery.level": f(64, "com.apple.mobile.battery BatteryCurrentCapacity", "64"),
        "battery.charging": f(True, "com.apple.mobile.battery BatteryIsCharging", "true"),
        "battery.plugged": f(True, "com.apple.mobile.battery ExternalConnected", "true"),
        "battery.temperature": f(29, "diagnostics IORegistry IOPMPowerSource Temperature", "2950"),
        "host.upload_rate": f(38200000, "host: upload test (libcurl)", "38.2 Mbit/s over 8 s"),
        "storage.total": f(128000000000, "com.apple.disk_usage TotalDiskCapacity", "128000000000"),
        "storage.free": f(41234567168, "com.apple.disk_usage AmountDataAvailable", "41234567168"),
        "storage.free_pct": f(32.2, "com.apple.disk_usage AmountDataAvailable / TotalDiskCapacity",
                              "41234567168 / 128000000000"),
        "media.photo_count": f(10234, "afc /DCIM", "10234 .HEIC/.JPG files in 100APPLE..110APPLE"),
        "media.video_count": f(712, "afc /DCIM", "712 .MOV files in 100APPLE..110APPLE"),
        "media.newest_photo": f(newest, "afc stat /DCIM/110APPLE/IMG_0234.HEIC",
                                "st_mtime %d000000000" % unix(newest)),
        "backup.icloud_enabled": f(True, "com.apple.mobile.backup CloudBackupEnabled", "true"),
        "backup.icloud_last": f(last, "com.apple.mobile.backup LastCloudBackupDate",
                                str(unix(last) - APPLE_EPOCH)),
        "mdm.supervised": f(False, "com.apple.mobile.chaperone DeviceIsChaperoned", "false"),
        "mdm.enrolled": f(False, "MCInstall GetProfileList", "OrderedIdentifiers: ()"),
        "mdm.profiles": f([], "MCInstall GetProfileList", "OrderedIdentifiers: ()"),
        "mdm.backup_blocked": f(False, "MCInstall GetProfileList", "OrderedIdentifiers: ()"),
        # No profile, so no global proxy payload (app-made VPNs are not
        # profiles: net.vpn stays a question).
        "net.proxy": f(False, "MCInstall GetProfileList", "OrderedIdentifiers: ()"),
        "app.icloud_photos.installed": f(True, "instproxy_browse (System)",
                                         "CFBundleIdentifier: com.apple.mobileslideshow"),
        "app.icloud_photos.in_use": derived(True, "Apple ID signed in (com.apple.fmip IsAssociated), "
                                                  "no other photo backup app"),
        "app.icloud_photos.service_status": f("ok", "host: Apple System Status",
                                              "iCloud Photos: Available"),
        "app.icloud_photos.update_available": derived(False, "system app, updated with iOS"),
    }
    for app in ("google_photos", "onedrive", "dropbox", "amazon_photos"):
        ios_app_absent(facts, app)
    return facts


def ios_google_photos(facts):
    """The iPhone backs up with Google Photos instead of iCloud Photos."""
    facts["app.icloud_photos.in_use"] = derived(False, "the person backs up with Google Photos")
    facts.pop("app.icloud_photos.service_status", None)
    facts["app.google_photos.installed"] = f(True, "instproxy_browse (User)",
                                             "CFBundleIdentifier: com.google.photos")
    facts["app.google_photos.in_use"] = derived(True, "installed, signed in")
    facts["app.google_photos.version"] = f("6.83.0", "instproxy CFBundleShortVersionString", "6.83.0")
    facts["app.google_photos.service_status"] = f("ok", "host: service status page",
                                                  "no incidents reported")


# ------------------------------------------------------- partial captures ----

def ios_before_session(facts, state, error):
    """Only what lockdown gives before a paired session, plus the host's view."""
    keep = {"device.platform", "device.model", "device.manufacturer", "device.os_version",
            "device.os_major", "device.build", "device.beta", "usb.speed",
            "usb.link_unstable", "host.upload_rate"}
    out = {k: v for k, v in facts.items() if k in keep}
    out["connection.state"] = f(state, "lockdownd_client_new_with_handshake", error)
    out["connection.error"] = f(error, "lockdownd_client_new_with_handshake", error)
    return out


def android_unreadable(state, error):
    """adb cannot talk to the phone: only the USB bus and the adb server speak."""
    return {
        "device.platform": f("android", "libusb device descriptor", "idVendor=0x18d1 (Google)"),
        "device.manufacturer": f("Google", "libusb iManufacturer", "Google"),
        "usb.product": f("Pixel 7", "libusb iProduct", "Pixel 7"),
        "usb.speed": f("high", "libusb_get_device_speed", "LIBUSB_SPEED_HIGH"),
        "usb.link_unstable": f(False, "libusb hotplug events during the scan", "no detach"),
        "host.upload_rate": f(38200000, "host: upload test (libcurl)", "38.2 Mbit/s over 8 s"),
        "connection.state": f(state, "adb host:devices-l", error),
        "connection.error": f(error, "adb host:devices-l", error),
    }


# ------------------------------------------------------------------ cases ----

CAPTURED = "2024-06-12T09:30:00Z"


def case_android(edit=None, base=android_pixel):
    facts = base()
    if edit:
        edit(facts)
    return facts


def case_ios(edit=None):
    facts = ios_iphone()
    if edit:
        edit(facts)
    return facts


def gp(name):
    return "app.google_photos." + name


def e_backup_off(fs):
    fs[gp("backup_on")] = answered(False)


def e_wrong_account(fs):
    fs["accounts.google_count"] = f(2, "dumpsys account", "  Accounts: 2")
    fs["accounts.types"] = f(["com.google", "com.google"], "dumpsys account",
                             "    Account {name=a•••@gmail.com, type=com.google}\n"
                             "    Account {name=a•••@example.org, type=com.google}")
    fs[gp("account_count")] = f(2, "dumpsys account", "  Accounts: 2")
    fs[gp("account_ok")] = answered(False)


def e_signed_out(fs):
    fs["accounts.google_count"] = f(0, "dumpsys account", "  Accounts: 0")
    fs["accounts.types"] = f([], "dumpsys account", "  Accounts: 0")
    fs[gp("account_count")] = f(0, "dumpsys account", "  Accounts: 0")
    fs[gp("signed_in")] = answered(False)


def e_app_missing(fs):
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("enabled")] = f(False, f"dumpsys package {pkg}",
                          "    User 0: ceDataInode=2291 installed=true hidden=false suspended=false "
                          "distractionFlags=0 stopped=true notLaunched=false enabled=3 instant=false "
                          "virtual=false")
    fs[gp("in_use")] = answered(True)
    for k in ("waits_unmetered", "waits_charging", "wifi_only", "charging_only"):
        fs.pop(gp(k), None)


def e_outdated(fs):
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("version")] = f("6.20.0.491010254", f"dumpsys package {pkg}",
                          "    versionName=6.20.0.491010254")
    fs[gp("updated")] = f("2023-01-10T17:22:05Z", f"dumpsys package {pkg}",
                          "    lastUpdateTime=2023-01-10 17:22:05")
    fs[gp("update_available")] = answered(True)


def e_folders(fs):
    fs[gp("folders_all_selected")] = answered(False)


def e_backup_vs_sync(fs):
    fs["cloud.deleted_with_phone"] = answered(True)
    fs["backup.expects_photos_in_backup"] = answered(True)
    fs["app.icloud_photos.backup_on"] = answered(True)


def e_multiple(fs):
    android_app(fs, "onedrive", in_use=True, version="7.5",
                updated="2024-05-28T10:12:40Z", uid=10262)


def e_perm_denied(fs):
    fs[gp("photo_access")] = f("denied", f"dumpsys package {ANDROID_APPS['google_photos']}",
                               "        android.permission.READ_MEDIA_IMAGES: granted=false, "
                               "flags=[ USER_SET|USER_FIXED|USER_SENSITIVE_WHEN_GRANTED|"
                               "USER_SENSITIVE_WHEN_DENIED]")


def e_perm_partial(fs):
    fs[gp("photo_access")] = f("partial", f"dumpsys package {ANDROID_APPS['google_photos']}",
                               "        android.permission.READ_MEDIA_VISUAL_USER_SELECTED: "
                               "granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|"
                               "USER_SENSITIVE_WHEN_DENIED]")


CELL_NC = "Transports: CELLULAR Capabilities: INTERNET&NOT_RESTRICTED&TRUSTED&NOT_VPN&VALIDATED"


def on_cellular(fs):
    fs["net.type"] = f("cellular", "dumpsys connectivity", CELL_NC)
    fs["net.metered"] = f(True, "dumpsys connectivity", CELL_NC)
    fs["net.validated"] = f(True, "dumpsys connectivity", CELL_NC)
    fs["net.connected"] = f(True, "dumpsys connectivity", "Active default network: 131")
    fs["net.vpn"] = f(False, "dumpsys connectivity", CELL_NC)
    fs.pop("net.wifi_rssi", None)
    fs.pop("net.wifi_weak", None)


def e_bg_data(fs):
    on_cellular(fs)
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("bg_data_restricted")] = f(True, "cmd netpolicy list restrict-background-blacklist",
                                     "Restrict background blacklisted UIDs: 10158 ")
    fs[gp("wifi_only")] = f(False, f"dumpsys jobscheduler {pkg}",
                            "      Network type: NetworkRequest [ NONE id=0, [ Capabilities: "
                            "INTERNET&NOT_VPN&VALIDATED ] ]")


def e_bg_refresh(fs):
    ios_google_photos(fs)
    fs["app.google_photos.background_refresh"] = answered(False)


def e_battery_restricted(fs):
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("bg_restricted")] = f(True, f"cmd appops get {pkg} RUN_ANY_IN_BACKGROUND",
                                "RUN_ANY_IN_BACKGROUND: ignore")
    fs[gp("standby_bucket")] = f(45, f"am get-standby-bucket {pkg}", "45")


def e_doze(fs):
    wireless(fs)
    fs["battery.level"] = f(64, "dumpsys battery", "  level: 64")
    fs["doze.state"] = f("IDLE", "dumpsys deviceidle", "  mState=IDLE mLightState=OVERRIDE")
    fs["doze.deep_idle"] = f(True, "dumpsys deviceidle", "  mState=IDLE mLightState=OVERRIDE")


def e_battery_saver(fs):
    fs["power.battery_saver"] = f(True, "settings get global low_power", "1")
    fs["battery.level"] = f(38, "dumpsys battery", "  level: 38")


def e_low_battery(fs):
    wireless(fs)
    fs["battery.level"] = f(12, "dumpsys battery", "  level: 12")
    fs["power.battery_low"] = f(True, "dumpsys power", "  mBatteryLevelLow=true")


def e_waiting_charging(fs):
    wireless(fs)
    pkg = ANDROID_APPS["onedrive"]
    fs[gp("in_use")] = derived(False, "the person backs up with OneDrive")
    fs.pop(gp("service_status"), None)
    android_app(fs, "onedrive", in_use=True, version="7.5",
                updated="2024-05-28T10:12:40Z", uid=10262, charging_only=True)
    fs["app.onedrive.waits_charging"] = f(True, f"dumpsys jobscheduler {pkg}",
                                          "    Unsatisfied constraints: CHARGING [0x1]")


def e_overheating(fs):
    fs["battery.temperature"] = f(44, "dumpsys battery", "  temperature: 441")


def e_waiting_wifi(fs):
    on_cellular(fs)
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("waits_unmetered")] = f(True, f"dumpsys jobscheduler {pkg}",
                                  "    Unsatisfied constraints: CONNECTIVITY [0x10000000]")


def e_no_network(fs):
    none = "Active default network: none"
    fs["net.type"] = f("none", "dumpsys connectivity", none)
    fs["net.connected"] = f(False, "dumpsys connectivity", none)
    fs["net.validated"] = f(False, "dumpsys connectivity", none)
    fs.pop("net.metered", None)
    fs.pop("net.wifi_rssi", None)
    fs.pop("net.wifi_weak", None)
    pkg = ANDROID_APPS["google_photos"]
    fs[gp("wifi_only")] = f(False, f"dumpsys jobscheduler {pkg}",
                            "      Network type: NetworkRequest [ NONE id=0, [ Capabilities: "
                            "INTERNET&NOT_VPN&VALIDATED ] ]")


def e_vpn(fs):
    vpn = "ni{VPN CONNECTED extra: } nc{[ Transports: VPN Capabilities: NOT_METERED&INTERNET"
    fs["net.vpn"] = f(True, "dumpsys connectivity", vpn)


def e_slow(fs):
    fs["host.upload_rate"] = f(800000, "host: upload test (libcurl)", "0.8 Mbit/s over 8 s")
    fs["media.pending_count"] = f(420, "content query --uri content://media/external/images/media "
                                       "--projection _id:_size --where \"date_added>1716940800\"",
                                  "420 rows")
    fs["media.pending_bytes"] = f(4200000000, "content query --uri content://media/external/images/media "
                                              "--projection _id:_size --where \"date_added>1716940800\"",
                                  "sum of _size over 420 rows")


def e_outage(fs):
    fs[gp("service_status")] = f("outage", "host: Google Workspace Status Dashboard",
                                 "Google Photos: Service outage")


def e_cloud_full(fs):
    fs["app.icloud_photos.cloud_full"] = answered(True)
    fs["app.icloud_photos.cloud_free"] = answered(120000000)


def e_device_full(fs):
    df = "/dev/block/dm-45 112884944 111005912    879032  99% /data"
    fs["storage.free"] = f(879032 * 1024, "df /data", df)
    fs["storage.free_pct"] = f(0.8, "df /data", df)
    fs["storage.low"] = f(True, "dumpsys diskstats", "Data-Free: 879032K / 112884944K total = 0% free")


def e_backlog(fs):
    fs["host.upload_rate"] = f(25000000, "host: upload test (libcurl)", "25.0 Mbit/s over 8 s")
    q = ("content query --uri content://media/external/images/media "
         "--projection _id:_size --where \"date_added>1710000000\"")
    fs["media.pending_count"] = f(5210, q, "5210 rows")
    fs["media.pending_bytes"] = f(31400000000, q, "sum of _size over 5210 rows")


def e_stuck(fs):
    fs["backup.stuck_same_item"] = answered(True)


def e_mdm(fs):
    fs["mdm.supervised"] = f(True, "com.apple.mobile.chaperone DeviceIsChaperoned", "true")
    fs["mdm.enrolled"] = f(True, "MCInstall GetProfileList",
                           "PayloadDisplayName: MDM Profile (com.apple.mdm)")
    fs["mdm.organization"] = f("Example Corp IT", "MCInstall GetCloudConfiguration",
                               "OrganizationName: Example Corp IT")
    fs["mdm.profiles"] = f(["MDM Profile", "Example Corp Restrictions"], "MCInstall GetProfileList",
                           "OrderedIdentifiers: (com.example.mdm, com.example.restrictions)")
    fs.pop("mdm.backup_blocked")  # payloads are not readable: ask instead
    fs.pop("net.proxy")
    fs["backup.switch_greyed"] = answered(True)


def e_restrictions(fs):
    fs["ios.restrictions"] = answered(True)


def e_beta(fs):
    fs["device.os_version"] = f("18.0", "lockdown ProductVersion", "18.0")
    fs["device.os_major"] = f(18, "lockdown ProductVersion", "18.0")
    fs["device.build"] = f("22A5282m", "lockdown BuildVersion", "22A5282m")
    fs["device.beta"] = f(True, "lockdown BuildVersion", "22A5282m")


def e_too_old(fs):
    fs["device.model"] = f("iPhone 4s", "lockdown ProductType", "iPhone4,1")
    fs["device.os_version"] = f("8.4.1", "lockdown ProductVersion", "8.4.1")
    fs["device.os_major"] = f(8, "lockdown ProductVersion", "8.4.1")
    fs["device.build"] = f("12H321", "lockdown BuildVersion", "12H321")
    fs["device.beta"] = f(False, "lockdown BuildVersion", "12H321")
    fs["storage.total"] = f(16000000000, "com.apple.disk_usage TotalDiskCapacity", "16000000000")
    fs["storage.free"] = f(5210000000, "com.apple.disk_usage AmountDataAvailable", "5210000000")
    fs["storage.free_pct"] = f(32.6, "com.apple.disk_usage AmountDataAvailable / TotalDiskCapacity",
                               "5210000000 / 16000000000")
    fs["battery.temperature"] = f(27, "diagnostics IORegistry IOPMPowerSource Temperature", "2710")
    fs["usb.speed"] = f("high", "libusb_get_device_speed", "LIBUSB_SPEED_HIGH")
    fs["app.icloud_photos.service_status"] = f("ok", "host: Apple System Status",
                                               "iCloud Backup: Available")
    last = "2024-12-02T03:05:00Z"
    fs["backup.icloud_last"] = f(last, "com.apple.mobile.backup LastCloudBackupDate",
                                 str(unix(last) - APPLE_EPOCH))


def e_corrupt(fs):
    fs["backup.switch_turns_off"] = answered(True)


def e_app_data(fs):
    fs[gp("misbehaves")] = answered(True)


def e_lock_bug(fs):
    fs["backup.device_backup_fails"] = answered(True)


def e_usb(fs):
    fs["usb.speed"] = f("full", "libusb_get_device_speed", "LIBUSB_SPEED_FULL")
    fs["usb.link_unstable"] = f(True, "libusb hotplug events during the scan",
                                "2 detach/attach events in 9 s")


CASE_TABLE = {
    # connection
    "device-not-trusted": lambda: ios_before_session(ios_iphone(), "pairing-pending",
                                                     "-19 PairingDialogResponsePending"),
    "device-locked": lambda: ios_before_session(ios_iphone(), "locked", "-17 PasswordProtected"),
    "usb-debugging-off": lambda: android_unreadable("usb-only", "no devices/emulators found"),
    "adb-unauthorized": lambda: android_unreadable(
        "unauthorized",
        "device unauthorized. This adb server's $ADB_VENDOR_KEYS is not set Try 'adb "
        "kill-server' if that seems wrong. Otherwise check for a confirmation dialog on your device."),
    "usb-power-or-cable": lambda: case_android(e_usb),
    # settings and account
    "backup-off": lambda: case_android(e_backup_off),
    "wrong-account": lambda: case_android(e_wrong_account),
    "signed-out": lambda: case_android(e_signed_out),
    "backup-app-missing": lambda: case_android(e_app_missing),
    "app-outdated": lambda: case_android(e_outdated),
    "folders-not-selected": lambda: case_android(e_folders),
    "backup-vs-sync": lambda: case_ios(e_backup_vs_sync),
    "multiple-backup-services": lambda: case_android(e_multiple),
    # permissions and background limits
    "photo-permission-denied": lambda: case_android(e_perm_denied),
    "photo-permission-partial": lambda: case_android(e_perm_partial),
    "background-data-restricted": lambda: case_android(e_bg_data),
    "background-refresh-off": lambda: case_ios(e_bg_refresh),
    "app-battery-restricted": lambda: case_android(e_battery_restricted),
    "doze-idle": lambda: case_android(e_doze),
    # power
    "battery-saver": lambda: case_android(e_battery_saver, base=android_samsung),
    "low-battery": lambda: case_android(e_low_battery),
    "waiting-for-charging": lambda: case_android(e_waiting_charging),
    "overheating": lambda: case_android(e_overheating),
    # network
    "waiting-for-wifi": lambda: case_android(e_waiting_wifi),
    "no-network": lambda: case_android(e_no_network),
    "vpn-or-proxy": lambda: case_android(e_vpn),
    "slow-upload": lambda: case_android(e_slow),
    "service-outage": lambda: case_android(e_outage),
    # storage
    "cloud-storage-full": lambda: case_ios(e_cloud_full),
    "device-storage-full": lambda: case_android(e_device_full),
    "large-backlog": lambda: case_android(e_backlog),
    "stuck-on-item": lambda: case_android(e_stuck),
    # management and software
    "mdm-restricted": lambda: case_ios(e_mdm),
    "restrictions-enabled": lambda: case_ios(e_restrictions),
    "beta-software": lambda: case_ios(e_beta),
    "ios-too-old": lambda: case_ios(e_too_old),
    "corrupt-backup": lambda: case_ios(e_corrupt),
    "app-data-corrupt": lambda: case_android(e_app_data),
    "encrypted-backup-lock-bug": lambda: case_android(e_lock_bug),
}

CAPTURED_AT = {
    # Apple stopped iCloud Backup for iOS 8 and earlier in December 2024.
    "ios-too-old": "2025-02-10T15:00:00Z",
}


# ---------------------------------------------------------------- samples ----

def sample_battery_saver():
    fs = android_samsung()
    fs["power.battery_saver"] = f(True, "settings get global low_power", "1")
    fs["battery.level"] = f(31, "dumpsys battery", "  level: 31")
    fs["battery.charging"] = f(True, "dumpsys battery", "  status: 2")
    q = ("content query --uri content://media/external/images/media "
         "--projection _id:_size --where \"date_added>1717804800\"")
    fs["media.pending_count"] = f(187, q, "187 rows")
    fs["media.pending_bytes"] = f(712000000, q, "sum of _size over 187 rows")
    return fs


def sample_ios_full():
    fs = ios_iphone()
    last = "2024-06-03T01:52:00Z"
    fs.update({
        "device.model": f("iPhone 12", "lockdown ProductType", "iPhone13,2"),
        "device.os_version": f("17.4.1", "lockdown ProductVersion", "17.4.1"),
        "device.os_major": f(17, "lockdown ProductVersion", "17.4.1"),
        "device.build": f("21E236", "lockdown BuildVersion", "21E236"),
        "device.beta": f(False, "lockdown BuildVersion", "21E236"),
        "battery.level": f(52, "com.apple.mobile.battery BatteryCurrentCapacity", "52"),
        "battery.temperature": f(31, "diagnostics IORegistry IOPMPowerSource Temperature", "3120"),
        "storage.total": f(64000000000, "com.apple.disk_usage TotalDiskCapacity", "64000000000"),
        "storage.free": f(612000000, "com.apple.disk_usage AmountDataAvailable", "612000000"),
        "storage.free_pct": f(1.0, "com.apple.disk_usage AmountDataAvailable / TotalDiskCapacity",
                              "612000000 / 64000000000"),
        "media.photo_count": f(14871, "afc /DCIM", "14871 .HEIC/.JPG files in 100APPLE..115APPLE"),
        "media.video_count": f(1288, "afc /DCIM", "1288 .MOV files in 100APPLE..115APPLE"),
        "backup.icloud_last": f(last, "com.apple.mobile.backup LastCloudBackupDate",
                                str(unix(last) - APPLE_EPOCH)),
    })
    return fs


SAMPLES_TABLE = {
    "android-battery-saver": (sample_battery_saver, CAPTURED),
    "ios-phone-full": (sample_ios_full, CAPTURED),
    "android-healthy": (android_samsung, CAPTURED),
}


# ----------------------------------------------------------------- output ----

def write(path, facts, captured_at):
    doc = {"schema": SCHEMA, "captured_at": captured_at, "facts": facts}
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def main():
    write(os.path.join(CASES, "healthy-android.json"), android_pixel(), CAPTURED)
    write(os.path.join(CASES, "healthy-ios.json"), ios_iphone(), CAPTURED)
    for cid, make in CASE_TABLE.items():
        write(os.path.join(CASES, cid + ".json"), make(), CAPTURED_AT.get(cid, CAPTURED))
    os.makedirs(SAMPLES, exist_ok=True)
    for name, (make, at) in SAMPLES_TABLE.items():
        write(os.path.join(SAMPLES, name + ".json"), make(), at)
    return 0


if __name__ == "__main__":
    sys.exit(main())
