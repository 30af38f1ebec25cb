#include "core/topology.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace gamesched {
namespace {

std::string read_trimmed(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    return line;
}

// The highest-level unified or data cache listed for a CPU: its shared_cpu_list names the LLC.
std::string llc_shared_list(const std::filesystem::path& cpu_dir) {
    std::string best;
    int best_level = -1;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(cpu_dir / "cache", ec)) {
        if (entry.path().filename().string().rfind("index", 0) != 0) continue;
        std::string type = read_trimmed(entry.path() / "type");
        if (type == "Instruction") continue;
        int level = std::atoi(read_trimmed(entry.path() / "level").c_str());
        if (level > best_level) {
            best_level = level;
            best = read_trimmed(entry.path() / "shared_cpu_list");
        }
    }
    return best;
}

}  // namespace

Result<std::vector<unsigned>> parse_cpu_list(const std::string& text) {
    std::vector<unsigned> cpus;
    std::stringstream ss(text);
    std::string part;
    while (std::getline(ss, part, ',')) {
        if (part.empty()) continue;
        unsigned lo = 0, hi = 0;
        char dash = 0;
        std::stringstream ps(part);
        if (!(ps >> lo)) return Error::invalid("bad CPU list '" + text + "'");
        if (ps >> dash) {
            if (dash != '-' || !(ps >> hi) || hi < lo) return Error::invalid("bad CPU range '" + part + "'");
        } else {
            hi = lo;
        }
        if (hi >= 65536) return Error::invalid("CPU number out of range in '" + text + "'");
        for (unsigned c = lo; c <= hi; ++c) cpus.push_back(c);
    }
    return cpus;
}

Result<Topology> read_topology(const std::string& root) {
    auto possible = parse_cpu_list(read_trimmed(std::filesystem::path(root) / "possible"));
    if (!possible) return possible.error().context("reading " + root + "/possible");
    if (possible->empty()) return Error::invalid(root + "/possible lists no CPU");

    Topology topo;
    topo.nr_cpus = possible->back() + 1;
    topo.cpu_llc.assign(topo.nr_cpus, 0);
    std::map<std::string, unsigned> llc_ids;  // shared_cpu_list text → domain index
    for (unsigned cpu : *possible) {
        auto dir = std::filesystem::path(root) / ("cpu" + std::to_string(cpu));
        std::string shared = llc_shared_list(dir);
        if (shared.empty()) shared = "cpu" + std::to_string(cpu);  // no cache info: own domain
        auto [it, inserted] = llc_ids.emplace(shared, static_cast<unsigned>(llc_ids.size()));
        topo.cpu_llc[cpu] = it->second;
    }
    topo.nr_llcs = static_cast<unsigned>(llc_ids.size());
    return topo;
}

}  // namespace gamesched
