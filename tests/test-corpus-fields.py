#!/usr/bin/env python3
"""The public corpus (tests/corpus/, libvirt/ included) through `xlite
validate` and `xlite create -n --json`, as TAP (run by tests/test-corpus.sh).

For each FILE.xml: it is accepted (or refused as the table below says), and
where libvirt's expected xl config (FILE.cfg) or libxl JSON (FILE.json) lies
beside it, the plan holds what that says, field by field: name, uuid,
memory, maxmem, vcpus, kernel or boot method, ramdisk, cmdline, the
lifecycle actions, each disk (source, vdev, format, mode), each vif (MAC,
bridge, script, vifname, model) and the limits (max_grant_frames, ...).

Settings xlite refuses, as libxl refuses what it cannot do, are listed in
PARTS: such a file must be refused (exit 2) with the message REFUSED_PART
gives, and its other fields are then compared on a stand-in copy with the
refused part taken out; a field only the refused part decides is a SKIP
naming the refusal (none is refused today: a PVH guest below its maximum
starts in populate-on-demand mode, and a PV guest's e820_host gives it the
host's memory map, both as libxl does, both compared). Settings xlite
accepts without honouring them (MISMATCH) are `not ok # TODO` with the
reason.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# refused parts: why, and the pattern of the refusal's message (exit 2);
# for each, standin() below takes it out of the XML
REFUSED_PART = {}
# file -> the parts of it xlite refuses
PARTS = {}
# refused for good: file -> pattern of the message (exit 2)
REFUSED = {
    "single-serial-hvm.xml": r"HVM guests are not supported",
}
# settings xlite does not honour, with why (each also needs its warning)
MISMATCH = {
    "passthrough": ("xlite offers no PCI passthrough", r"<passthrough> ignored"),
    "channel": ("xlite has no channel devices (qemu's guest agent channel needs a "
                "device model)", r"<channel> ignored"),
}
# settings that mean nothing for a PV guest: fine when warned about, exactly
WARNED = {
    "vfb": r"<graphics> ignored: xlite PV guests have no framebuffer",
    "model": r"NIC model '[^']+' ignored: PV guests use netfront",
}

out = []


def tap(ok, text, directive=""):
    out.append(("ok" if ok else "not ok") + " - " + text + (" # " + directive if directive else ""))


def run(xlite, *args):
    p = subprocess.run([xlite] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def standin(xml, parts):
    """The XML with the refused parts taken out (none today)."""
    if parts:
        raise ValueError("no stand-in for %r" % (parts,))
    return xml


def parse_cfg(text):
    """xl config: KEY = VALUE, VALUE a number, "string" or [ "list", ... ]."""
    cfg = {}
    for line in text.splitlines():
        m = re.match(r'\s*(\w+)\s*=\s*(.*)$', line)
        if not m:
            continue
        k, v = m.group(1), m.group(2).strip()
        if v.startswith("["):
            cfg[k] = re.findall(r'"([^"]*)"', v)
        elif v.startswith('"'):
            cfg[k] = v.strip('"')
        else:
            cfg[k] = int(v)
    return cfg


def xl_disk(spec):
    """An xl disk spec into source, vdev, format, mode (the forms the corpus uses)."""
    d = {"format": "raw", "mode": "rw"}
    if "=" in spec.split(",")[0]:
        for w in spec.split(","):
            k, _, v = w.partition("=")
            if k == "target":
                d["source"] = spec.split("target=", 1)[1]
                break
            if k == "vdev":
                d["vdev"] = v
            if k == "format":
                d["format"] = v
            if k == "access":
                d["mode"] = "ro" if v in ("r", "ro") else "rw"
        return d
    parts = spec.split(",")
    if parts[0].startswith("phy:"):
        d["type"] = "block"
    target = re.sub(r"^(tap:aio:|tap:|phy:|file:|aio:|raw:)", "", parts[0])
    d["source"], d["vdev"] = target, parts[1]
    d["mode"] = "ro" if len(parts) > 2 and parts[2] in ("r", "ro") else "rw"
    return d


def xl_vif(spec):
    return dict(w.partition("=")[::2] for w in spec.split(",") if w)


def expected_of(path):
    """The facts libvirt's .cfg or .json beside PATH gives, in one shape."""
    base = path[:-4]
    e = {}
    if os.path.exists(base + ".cfg"):
        with open(base + ".cfg") as f:
            c = parse_cfg(f.read())
        e["name"], e["uuid"] = c.get("name"), c.get("uuid")
        e["maxmem_mib"], e["memory_mib"] = c.get("maxmem"), c.get("memory")
        e["vcpus"] = c.get("vcpus")
        e["type"] = c.get("type", "pv")
        for k in ("kernel", "ramdisk", "cmdline", "bootloader", "bootargs"):
            if k in c:
                e[k] = c[k]
        for k in ("on_poweroff", "on_reboot", "on_crash"):
            e[k] = c.get(k)
        e["disks"] = [xl_disk(s) for s in c.get("disk", [])]
        e["vifs"] = [xl_vif(s) for s in c.get("vif", [])]
        for k in ("max_grant_frames", "max_event_channels"):
            if k in c:
                e[k] = c[k]
        for k in ("e820_host", "passthrough", "channel", "vfb"):
            if k in c:
                e[k] = c[k]
        return e
    if os.path.exists(base + ".json"):
        with open(base + ".json") as f:
            j = json.load(f)
        ci, bi = j.get("c_info", {}), j.get("b_info", {})
        e["name"], e["uuid"] = ci.get("name"), ci.get("uuid")
        e["type"] = ci.get("type", "pv")
        e["maxmem_mib"] = bi["max_memkb"] // 1024 if "max_memkb" in bi else None
        e["memory_mib"] = bi["target_memkb"] // 1024 if "target_memkb" in bi else None
        e["vcpus"] = bi.get("max_vcpus")
        for k, v in (("kernel", "kernel"), ("ramdisk", "ramdisk"), ("cmdline", "cmdline")):
            if v in bi:
                e[k] = bi[v]
        if "on_reboot" in j:
            e["on_reboot"] = j["on_reboot"]
        e["disks"] = [{"source": d.get("pdev_path"), "vdev": d.get("vdev"),
                       "format": d.get("format", "raw"),
                       "mode": "rw" if d.get("readwrite") else "ro"} for d in j.get("disks", [])]
        e["vifs"] = [{k: v for k, v in n.items() if k in ("mac", "bridge", "script")}
                     for n in j.get("nics", [])]
        return e
    return None


def compare(rel, e, plan, warnings, parts):
    """TAP lines for each fact of E against PLAN (create -n --json)."""
    def eq(what, want, got):
        tap(want == got, "%s: %s %r%s" % (rel, what, want,
                                          "" if want == got else " (plan: %r)" % (got,)))

    eq("name", e["name"], plan["name"])
    eq("uuid", e["uuid"], plan["uuid"])
    eq("maxmem MiB", e["maxmem_mib"], plan["memory"]["max_kib"] // 1024)
    eq("memory MiB", e["memory_mib"], plan["memory"]["target_kib"] // 1024)
    eq("vcpus", e["vcpus"], plan["vcpus"]["max"])
    if e["type"] == "pvh":
        eq("type pvh (os xenpvh)", "xenpvh", plan["os_type"])
        # libxl builds a PVH guest below its maxmem with populate-on-demand
        pod = e["memory_mib"] is not None and e["maxmem_mib"] is not None and \
            e["memory_mib"] < e["maxmem_mib"]
        eq("populate-on-demand (memory %r below maxmem %r)" % (e["memory_mib"], e["maxmem_mib"]),
           pod, plan.get("pod"))
    if "e820_host" in e:
        eq("e820_host %r: the host's memory map" % e["e820_host"], bool(e["e820_host"]),
           bool(plan.get("e820_host")))
    if "bootloader" in e:
        # pvgrub2 boots the guest's disk in the bootloader's place
        eq("boot method for bootloader %s" % e["bootloader"], "disk", plan["boot"])
        if "bootargs" in e:
            eq("bootloader args (kept, ignored with a warning)", e["bootargs"],
               plan["bootloader_args"])
    else:
        eq("kernel", e.get("kernel"), plan["kernel"])
        eq("ramdisk", e.get("ramdisk"), plan["initrd"])
        eq("cmdline (None: none)", e.get("cmdline"), plan["cmdline"])
    for k in ("on_poweroff", "on_reboot", "on_crash"):
        if e.get(k):
            eq(k, e[k], plan[k])
    eq("number of disks", len(e["disks"]), len(plan["disks"]))
    for i, (d, p) in enumerate(zip(e["disks"], plan["disks"])):
        eq("disk %d source" % i, d["source"], p["source"])
        eq("disk %d vdev" % i, d["vdev"], p["target"])
        eq("disk %d mode" % i, d["mode"], "ro" if p["readonly"] else "rw")
        if "type" in d:
            eq("disk %d is a block device (phy:)" % i, d["type"], p["type"])
        eq("disk %d format" % i, d["format"], p.get("format", "raw"))
    eq("number of vifs", len(e["vifs"]), len(plan["nics"]))
    for i, (v, n) in enumerate(zip(e["vifs"], plan["nics"])):
        if "mac" in v:
            eq("vif %d mac" % i, v["mac"].lower(), n["mac"])
        # no bridge given: a routed vif (<interface type='ethernet'>)
        eq("vif %d bridge" % i, v.get("bridge"), n["bridge"])
        if "script" in v:
            routed = os.path.basename(v["script"]) == "vif-route"
            eq("vif %d script %s: routed" % (i, v["script"]), routed, bool(n.get("routed")))
        if "vifname" in v:
            eq("vif %d vifname" % i, v["vifname"], n.get("vifname"))
        if "model" in v:
            tap(re.search(WARNED["model"], warnings) is not None,
                "%s: vif %d model=%s ignored with a warning (PV guests use netfront)"
                % (rel, i, v["model"]))
    for k in ("max_grant_frames", "max_event_channels"):
        if k in e:
            eq(k, e[k], plan.get(k))
    if "vfb" in e:
        tap(re.search(WARNED["vfb"], warnings) is not None,
            "%s: vfb ignored with a warning that says PV guests here have no framebuffer" % rel)
    for k, (why, warned) in MISMATCH.items():
        if k in e:
            said = re.search(warned, warnings) is not None
            tap(False, "%s: %s = %r is not honoured%s" % (rel, k, e[k], "" if said else
                                                          " AND NOT WARNED ABOUT"),
                "TODO " + why if said else "")


def main():
    corpus, xlite = sys.argv[1], sys.argv[2]
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".xml"))
    sub = os.path.join(corpus, "libvirt")
    if os.path.isdir(sub):
        files += sorted("libvirt/" + f for f in os.listdir(sub) if f.endswith(".xml"))
    tmpdir = tempfile.mkdtemp(prefix="xlite-corpus.")
    try:
        for rel in files:
            path = os.path.join(corpus, rel)
            parts = PARTS.get(rel, [])
            rc, so, se = run(xlite, "validate", path)
            if rel in REFUSED:
                tap(rc == 2 and re.search(REFUSED[rel], se) is not None,
                    "%s is refused: %s (exit %d)" % (rel, REFUSED[rel], rc))
                continue
            msg = se.strip().splitlines()[-1] if se.strip() else ""
            if parts:
                # refused at the line that says it, with the message saying why
                said = all(re.search(REFUSED_PART[f][1], msg) for f in parts)
                tap(rc == 2 and said and re.search(r":[0-9]+: ", msg) is not None,
                    "%s is refused (%s) (exit %d: %s)" % (
                        rel, "; ".join(REFUSED_PART[f][0] for f in parts), rc, msg))
            elif rc == 0:
                tap(so.strip() == path + ": ok", "%s is accepted" % rel)
            else:
                tap(False, "%s is accepted (exit %d: %s)" % (rel, rc, msg))
            e = expected_of(path)
            with open(path) as f:
                xml = f.read()
            target = path
            if parts:
                target = os.path.join(tmpdir, os.path.basename(rel))
                with open(target, "w") as f:
                    f.write(standin(xml, parts))
            rc2, so2, se2 = run(xlite, "create", "-n", "--json", target)
            tap(rc2 == 0, "%s%s: create -n plans it%s" % (
                rel, " (stand-in without %s)" % "+".join(parts) if target != path else "",
                "" if rc2 == 0 else " (exit %d: %s)" % (rc2, se2.strip())))
            if rc2 != 0 or e is None:
                continue
            compare(rel, e, json.loads(so2), se + se2, parts)
    finally:
        for f in os.listdir(tmpdir):
            os.unlink(os.path.join(tmpdir, f))
        os.rmdir(tmpdir)
    for i, line in enumerate(out, 1):
        ok, _, rest = line.partition(" - ")
        print("%s %d - %s" % (ok, i, rest))
    print("1..%d" % len(out))


if __name__ == "__main__":
    main()
