#!/usr/bin/env python3
"""Write tests/vim25-schema.json: the part of the vim25 schema vicport sends.

The test harness checks every SOAP request the tests send against this file
(tests/cli/support/vim25.rs): element order, known elements only, xsi:type
where it is needed, enum values, and the API version each property and
method appeared in. It is generated once and committed, so neither the
tests nor CI need Python or pyVmomi.

Source: pyVmomi (PyPI, Broadcom/VMware, Apache-2.0), whose
pyVmomi/_typeinfo_*.py files carry the vim25 data types (their properties in
schema order, base types, optional flags and the version that introduced
each), the managed types with their methods and parameters, and the enums.
This script reads those files' CreateDataType/CreateManagedType/
CreateEnumType/AddVersion/AddVersionParent calls; it copies no code.

Regenerate (after adding a method to METHODS or a type to TYPES, which is
what the checker asks for when a request uses one that is not here):

    python3 -m pip install --user pyvmomi       # any recent version
    python3 scripts/vim25-schema.py > tests/vim25-schema.json
"""

import importlib.util
import json
import os
import re
import sys

# The vim25 methods vicport calls (their WSDL names), and CreateFolder, which
# a test calls to arrange an inventory.
METHODS = [
    "AddDVPortgroup_Task", "AddPortGroup", "ContinueRetrievePropertiesEx",
    "CreateCollectorForEvents", "CreateContainerView", "CreateDisk_Task",
    "CreateFilter", "CreateFolder", "CreatePropertyCollector", "CreateVM_Task",
    "CreateVirtualDisk_Task", "DeleteDatastoreFile_Task",
    "DeleteVStorageObject_Task", "DeleteVirtualDisk_Task", "DestroyCollector",
    "DestroyPropertyCollector", "DestroyView", "Destroy_Task",
    "EnableRuleset", "Login", "Logout", "MakeDirectory",
    "MoveDatastoreFile_Task", "PostEvent", "PowerOffVM_Task",
    "PowerOnVM_Task", "QueryAvailablePerfMetric", "QueryPerf",
    "ReconfigVM_Task", "ReconfigureDVPortgroup_Task",
    "RemovePortGroup", "Rename_Task", "RetrievePropertiesEx",
    "RetrieveServiceContent", "RetrieveVStorageObject",
    "SearchDatastore_Task", "SetCollectorPageSize", "SuspendVM_Task",
    "WaitForUpdatesEx",
]

# The data types vicport's requests hold (WSDL names); their base types
# come along. A type reached only through a property is not needed unless
# a request holds one.
TYPES = [
    # PropertyCollector
    "PropertyFilterSpec", "PropertySpec", "ObjectSpec", "SelectionSpec",
    "TraversalSpec", "RetrieveOptions", "WaitOptions",
    # VMs and their devices
    "VirtualMachineConfigSpec", "VirtualMachineFileInfo",
    "VirtualDeviceConfigSpec", "VirtualDeviceConnectInfo", "OptionValue",
    "VirtualDisk", "VirtualCdrom", "VirtualSerialPort", "VirtualVmxnet3",
    "ParaVirtualSCSIController", "VirtualDiskFlatVer2BackingInfo",
    "VirtualCdromIsoBackingInfo", "VirtualSerialPortFileBackingInfo",
    "VirtualSerialPortURIBackingInfo",
    "VirtualEthernetCardNetworkBackingInfo",
    "VirtualEthernetCardDistributedVirtualPortBackingInfo",
    "DistributedVirtualSwitchPortConnection", "ID",
    # Disks and volumes
    "VslmCreateSpec", "VslmCreateSpecDiskFileBackingSpec",
    "FileBackedVirtualDiskSpec",
    # Networks
    "DVPortgroupConfigSpec", "HostPortGroupSpec", "HostNetworkPolicy",
    # Datastore files
    "HostDatastoreBrowserSearchSpec", "FileQueryFlags",
    # Events
    "EventFilterSpec", "EventFilterSpecByEntity", "EventEx", "KeyAnyValue",
    "DatacenterEventArgument", "DatastoreEventArgument",
    # Performance counters (domain stats)
    "PerfQuerySpec", "PerfMetricId",
]

# Types that vCenter never takes as themselves (no xsi:type, or xsi:type
# naming them): the WSDL has no abstract flag, so this is the vSphere API
# reference's word. A value of one of these must name a concrete subtype.
ABSTRACT = [
    "VirtualDevice", "VirtualController", "VirtualSCSIController",
    "VirtualEthernetCard", "VirtualVmxnet", "VirtualDeviceBackingInfo",
    "VirtualDeviceFileBackingInfo", "VirtualDeviceDeviceBackingInfo",
    "VirtualDeviceURIBackingInfo", "VirtualDevicePipeBackingInfo",
    "VslmCreateSpecBackingSpec", "Event",
]

# vmodl primitive type names -> XML Schema names.
PRIMITIVES = {
    "string": "string", "boolean": "boolean", "int": "int", "long": "long",
    "short": "short", "byte": "byte", "double": "double", "float": "float",
    "vmodl.DateTime": "dateTime", "vmodl.Binary": "base64Binary",
    "vmodl.TypeName": "string", "vmodl.PropertyPath": "string",
    "vmodl.MethodName": "string", "vmodl.URI": "string",
    "anyType": "anyType", "vmodl.DataObject": "anyType",
    "vmodl.Any": "anyType",
}


def typeinfo_files():
    spec = importlib.util.find_spec("pyVmomi")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pyVmomi is not installed: python3 -m pip install --user pyvmomi")
    folder = list(spec.submodule_search_locations)[0]
    names = ["_typeinfo_core.py", "_typeinfo_query.py", "_typeinfo_vim.py"]
    return [os.path.join(folder, n) for n in names], folder


class Ignored:
    """Version sets the files fill that the schema does not need."""

    def Add(self, _version):
        pass


class Recorder:
    """Stands in for pyVmomi's VmomiSupport while a _typeinfo file runs."""

    def __init__(self):
        self.versions = {}       # version id -> version string ("6.5")
        self.parents = {}        # version id -> set of version ids it includes
        self.data = {}           # vmodl name -> (wsdl, parent, version, props)
        self.managed = {}        # vmodl name -> (wsdl, parent, version, methods)
        self.enums = {}          # vmodl name -> (wsdl, values)

    def scope(self):
        return {
            "CreateDataType": lambda v, w, p, ver, props: self.data.__setitem__(v, (w, p, ver, props or [])),
            "CreateManagedType": lambda v, w, p, ver, props, methods: self.managed.__setitem__(v, (w, p, ver, methods or [])),
            "CreateEnumType": lambda v, w, ver, values: self.enums.__setitem__(v, (w, list(values))),
            "AddVersion": lambda ver, ns, vid, legacy, sns: self.versions.__setitem__(ver, vid),
            "AddVersionParent": lambda ver, parent: self.parents.setdefault(ver, set()).add(parent),
            "AddBreakingChangesInfo": lambda *a, **k: None,
            "F_LINK": 1, "F_LINKABLE": 2, "F_OPTIONAL": 4, "F_SECRET": 8,
            "newestVersions": Ignored(), "oldestVersions": Ignored(),
            "ltsVersions": Ignored(),
        }


def numeric(version):
    """"6.7.1" -> (6, 7, 1); "2.5u2" -> (2, 5)."""
    parts = []
    for p in version.split("."):
        m = re.match(r"\d+", p)
        if not m:
            break
        parts.append(int(m.group()))
        if m.group() != p:
            break
    return tuple(parts)


def main():
    files, folder = typeinfo_files()
    rec = Recorder()
    for path in files:
        with open(path) as f:
            source = f.read()
        # The files import their helpers relatively; the recorder gives them.
        source = re.sub(r"^from \..*$", "", source, flags=re.M)
        exec(compile(source, path, "exec"), rec.scope())

    # A vim version's string; a vmodl version (no string of its own) is as
    # old as the oldest vim version that includes it.
    vim_versions = {}
    for v, s in rec.versions.items():
        if not v.startswith("vim.version.") or not s:
            continue
        if not s[0].isdigit():
            # An internal milestone name ("m5CA1EF4D"): the id says which
            # release it is (vim.version.v9_1_0_1 -> 9.1.0.1).
            s = v.rsplit(".", 1)[1].lstrip("v").replace("_", ".")
        vim_versions[v] = s

    def since(version):
        if version in vim_versions:
            return vim_versions[version]
        holders = [s for v, s in vim_versions.items() if version in rec.parents.get(v, ())]
        if not holders:
            sys.exit(f"version {version} is in no vim version")
        return min(holders, key=lambda v: (numeric(v), v))

    wsdl_of = {}
    kind_of = {}
    for v, (w, *_rest) in rec.data.items():
        wsdl_of[v], kind_of[v] = w, "data"
    for v, (w, *_rest) in rec.managed.items():
        wsdl_of[v], kind_of[v] = w, "managed"
    for v, (w, _values) in rec.enums.items():
        wsdl_of[v], kind_of[v] = w, "enum"
    # Defined in VmomiSupport itself, not by the _typeinfo files.
    wsdl_of["vmodl.ManagedObject"], kind_of["vmodl.ManagedObject"] = "ManagedObject", "managed"
    wsdl_of["vmodl.MethodFault"], kind_of["vmodl.MethodFault"] = "MethodFault", "data"

    def ref(tname):
        """A property's type: {"type": wsdl name, "kind": ..., "array": bool}."""
        array = tname.endswith("[]")
        base = tname[:-2] if array else tname
        if base in PRIMITIVES:
            out = {"type": PRIMITIVES[base], "kind": "primitive"}
        elif kind_of.get(base) == "managed":
            out = {"type": wsdl_of[base], "kind": "moref"}
        elif kind_of.get(base) == "enum":
            out = {"type": wsdl_of[base], "kind": "enum"}
        elif base in wsdl_of:
            out = {"type": wsdl_of[base], "kind": "data"}
        else:
            sys.exit(f"unknown type {tname}")
        if array:
            out["array"] = True
        return out

    by_wsdl = {w: v for v, (w, *_r) in rec.data.items()}

    types = {}
    enums = {}

    def field(name, tname, version, flags):
        """A property or parameter; an enum's values come along."""
        f = {"name": name, **ref(tname), "since": since(version)}
        if flags & 4:
            f["optional"] = True
        if f["kind"] == "enum":
            enums[f["type"]] = None
        return f

    def add_type(wsdl):
        if wsdl in types:
            return
        vmodl = by_wsdl.get(wsdl)
        if vmodl is None:
            sys.exit(f"{wsdl} is not a vim25 data type")
        w, parent, version, props = rec.data[vmodl]
        entry = {"since": since(version)}
        # vmodl.DataObject, the root, has no properties and no XML name.
        if parent and parent != "vmodl.DataObject":
            entry["base"] = wsdl_of[parent]
        if wsdl in ABSTRACT:
            entry["abstract"] = True
        entry["props"] = []
        types[wsdl] = entry
        for name, tname, pversion, flags, *_ in props:
            entry["props"].append(field(name, tname, pversion, flags))
        if "base" in entry:
            add_type(entry["base"])

    for t in TYPES + ABSTRACT:
        add_type(t)

    methods = {}
    for vmodl, (w, parent, version, ms) in rec.managed.items():
        for m in ms:
            name, wsdl_name, mversion, params = m[0], m[1], m[2], m[3]
            if wsdl_name not in METHODS:
                continue
            entry = {"on": w, "since": since(mversion), "params": []}
            for pname, ptype, pversion, flags, *_ in params:
                p = field(pname, ptype, pversion, flags)
                entry["params"].append(p)
                if p["kind"] == "data" and p["type"] not in types:
                    add_type(p["type"])
            methods[wsdl_name] = entry
    missing = sorted(set(METHODS) - set(methods))
    if missing:
        sys.exit(f"not vim25 methods: {missing}")

    enum_values = {w: vals for v, (w, vals) in rec.enums.items()}
    managed = {w: (wsdl_of[p] if p else None) for v, (w, p, *_r) in rec.managed.items()}
    managed["ManagedObject"] = None

    version = "unknown"
    try:
        from importlib.metadata import version as dist_version
        version = dist_version("pyvmomi")
    except Exception:
        pass
    doc = {
        "source": f"pyVmomi {version} (PyPI), pyVmomi/_typeinfo_{{core,query,vim}}.py",
        "generator": "scripts/vim25-schema.py",
        "versions": sorted(set(vim_versions.values()), key=lambda v: (numeric(v), v)),
        "managed": dict(sorted(managed.items())),
        "enums": {k: enum_values[k] for k in sorted(enums)},
        "types": dict(sorted(types.items())),
        "methods": dict(sorted(methods.items())),
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
