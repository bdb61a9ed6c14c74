#!/usr/bin/env python3
"""Boot to "tether ready" and QEMU's memory for the local machine types a
NIC could be hot-plugged into, side by side with today's microvm, from one
stopped local domain's launch plan (its root disk, config and boot image).

Usage: scripts/measure-nic-hotplug.py DOMAIN_DIR [ROUNDS]

Variants, all with the domain's one NIC on a multicast socket backend (no
tap needed) and the same kernel, initramfs, disks and config:
  microvm        -M microvm, virtio-mmio NIC (vicport before run-time networks)
  microvm-pcie   -M microvm,pcie=on, the NIC as virtio-net-pci on a PCIe
                 root port plus 4 spare ports, pcie_ports=native
                 pciehp.pciehp_poll_mode=1 (what vicport runs now)
  q35            -M q35 (SeaBIOS), every virtio device on PCI, the same ports,
                 ACPI hot-plug (the kernel's defaults), no NIC option ROM
Rounds are interleaved; medians are printed. QEMU is killed once ready.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile, time

def variants(args):
    line = args
    mcast = "socket,id=NET,mcast=239.255.77.77:31999"
    out = {}
    # The domain's own arguments: microvm,pcie=on.
    new = []
    for a in line:
        if a.startswith("tap,id="):
            nid = a.split(",")[1].split("=")[1]
            a = mcast.replace("NET", nid)
        new.append(a)
    out["microvm-pcie"] = new
    old, skip = [], False
    for i, a in enumerate(new):
        if skip:
            skip = False
            continue
        if a == "-device" and new[i + 1].startswith("pcie-root-port"):
            skip = True
            continue
        if a.startswith("microvm,"):
            a = "microvm,rtc=on,isa-serial=on"
        if a.startswith("virtio-net-pci,"):
            parts = [p for p in a.split(",") if not p.startswith(("id=", "bus="))]
            a = "virtio-net-device," + ",".join(parts[1:])
        if a.startswith("console=ttyS0"):
            a = a.replace(" pcie_ports=native pciehp.pciehp_poll_mode=1", "")
        old.append(a)
    out["microvm"] = old
    q35 = []
    for a in new:
        if a.startswith("microvm,"):
            a = "q35"
        a = re.sub(r"^virtio-(serial|blk)-device", r"virtio-\1-pci", a)
        if a.startswith("virtio-net-pci,"):
            a += ",romfile="  # no iPXE option ROM to run at boot
        if a.startswith("console=ttyS0"):
            # q35 hot-plugs through ACPI: the kernel keeps its defaults.
            a = a.replace(" pcie_ports=native pciehp.pciehp_poll_mode=1", "")
        q35.append(a)
    out["q35"] = q35
    return out

def boot(qemu_args, domain_dir, work):
    for f in ["tether.config"]:
        shutil.copy(os.path.join(domain_dir, f), work)
    shutil.copy(os.path.join(domain_dir, "root.qcow2.pristine"), os.path.join(work, "root.qcow2"))
    for f in ["console.log", "output.log", "link.sock", "qmp.sock", "qemu.pid"]:
        try:
            os.remove(os.path.join(work, f))
        except FileNotFoundError:
            pass
    t0 = time.monotonic()
    p = subprocess.Popen(["qemu-system-x86_64"] + qemu_args, cwd=work,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    console = os.path.join(work, "console.log")
    ready = None
    while time.monotonic() - t0 < 120:
        try:
            if "tether ready" in open(console, errors="replace").read():
                ready = time.monotonic() - t0
                break
        except FileNotFoundError:
            pass
        if p.poll() is not None:
            break
        time.sleep(0.01)
    time.sleep(1.0)
    rss = hwm = 0
    try:
        for l in open(f"/proc/{p.pid}/status"):
            if l.startswith("VmRSS:"):
                rss = int(l.split()[1])
            if l.startswith("VmHWM:"):
                hwm = int(l.split()[1])
    except FileNotFoundError:
        pass
    p.kill()
    p.wait()
    if ready is None:
        tail = open(console, errors="replace").read()[-2000:] if os.path.exists(console) else ""
        raise SystemExit(f"no 'tether ready' within 120 s:\n{tail}")
    return ready, rss, hwm

def main():
    domain_dir = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    launch = json.load(open(os.path.join(domain_dir, "launch.json")))
    pristine = os.path.join(domain_dir, "root.qcow2.pristine")
    if not os.path.exists(pristine):
        shutil.copy(os.path.join(domain_dir, "root.qcow2"), pristine)
    vs = variants(launch["qemu_args"])
    results = {k: [] for k in vs}
    work = tempfile.mkdtemp(prefix="nic-measure-")
    for r in range(rounds):
        for name, args in vs.items():
            results[name].append(boot(args, domain_dir, work))
            print(f"round {r + 1} {name}: ready {results[name][-1][0]:.3f} s, "
                  f"rss {results[name][-1][1]} KiB, peak {results[name][-1][2]} KiB", flush=True)
    base = statistics.median(x[0] for x in results["microvm"])
    base_rss = statistics.median(x[1] for x in results["microvm"])
    print("\n| machine | boot to tether ready | ratio | QEMU RSS after ready | ratio |")
    print("|---|---|---|---|---|")
    for name, xs in results.items():
        t = statistics.median(x[0] for x in xs)
        m = statistics.median(x[1] for x in xs)
        print(f"| {name} | {t * 1000:.0f} ms | {t / base:.2f} | {m} KiB | {m / base_rss:.2f} |")
    shutil.rmtree(work)

if __name__ == "__main__":
    main()
