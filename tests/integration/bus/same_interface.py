#!/usr/bin/env python3
"""Exit 0 when two introspection XML files describe org.gamesched.Scheduler1 alike: the same
methods, signals and properties with the same argument names, types and directions."""
import sys
import xml.etree.ElementTree as ET

def members(path):
    root = ET.parse(path).getroot()
    iface = next(i for i in root.iter("interface") if i.get("name") == "org.gamesched.Scheduler1")
    out = set()
    for m in iface:
        if m.tag not in ("method", "signal", "property"):
            continue
        args = tuple((a.get("name"), a.get("type"), a.get("direction", "out" if m.tag == "signal" else "in"))
                     for a in m.findall("arg"))
        out.add((m.tag, m.get("name"), m.get("type"), m.get("access"), args))
    return out

repo, live = members(sys.argv[1]), members(sys.argv[2])
for missing in sorted(repo - live):
    print("only in the XML:", missing)
for extra in sorted(live - repo):
    print("only in the running bridge:", extra)
sys.exit(0 if repo == live else 1)
