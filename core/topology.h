// CPU topology from sysfs: which last-level cache each CPU shares. Siblings and caches are read,
// never guessed from CPU numbers.
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace gamesched {

struct Topology {
    unsigned nr_cpus = 0;  // possible CPUs (index space of cpu_llc)
    unsigned nr_llcs = 0;
    std::vector<unsigned> cpu_llc;  // LLC domain index per CPU; offline CPUs map to 0
};

// root is normally /sys/devices/system/cpu; tests pass a fixture tree.
Result<Topology> read_topology(const std::string& root = "/sys/devices/system/cpu");

// "0-3,8,10-11" → {0,1,2,3,8,10,11}; an error for malformed input.
Result<std::vector<unsigned>> parse_cpu_list(const std::string& text);

}  // namespace gamesched
