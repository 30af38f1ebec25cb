// sched_ext sysfs checks and topology parsing against fixture trees the tests create.
#include <catch2/catch_test_macros.hpp>

#include <filesystem>
#include <fstream>

#include "core/sched_ext_sysfs.h"
#include "core/topology.h"

using namespace gamesched;
namespace fs = std::filesystem;

namespace {

struct TempTree {
    fs::path root;
    TempTree() {
        char tmpl[] = "/tmp/gs-fixture-XXXXXX";
        root = mkdtemp(tmpl);
    }
    ~TempTree() { fs::remove_all(root); }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << text << "\n";
    }
};

}  // namespace

TEST_CASE("no sched_ext directory: the error says which kernel to boot") {
    TempTree t;
    SchedExtSysfs sysfs((t.root / "sched_ext").string());
    auto st = sysfs.check_can_attach();
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message.find("CONFIG_SCHED_CLASS_EXT") != std::string::npos);
}

TEST_CASE("another scheduler attached: the error names it and says how to stop it") {
    TempTree t;
    t.write("sched_ext/state", "enabled");
    t.write("sched_ext/root/ops", "scx_lavd");
    auto st = SchedExtSysfs((t.root / "sched_ext").string()).check_can_attach();
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message.find("'scx_lavd'") != std::string::npos);
    CHECK(st.error().message.find("systemctl stop") != std::string::npos);
}

TEST_CASE("disabled sched_ext can be attached and its counters read") {
    TempTree t;
    t.write("sched_ext/state", "disabled");
    t.write("sched_ext/nr_rejected", "3");
    t.write("sched_ext/switch_all", "0");
    SchedExtSysfs sysfs((t.root / "sched_ext").string());
    CHECK(sysfs.check_can_attach().ok());
    auto st = sysfs.read();
    REQUIRE(st.ok());
    CHECK(st->nr_rejected == 3);
    CHECK(st->ops.empty());
}

TEST_CASE("CPU lists parse ranges and reject garbage") {
    auto cpus = parse_cpu_list("0-3,8,10-11");
    REQUIRE(cpus.ok());
    CHECK(*cpus == std::vector<unsigned>{0, 1, 2, 3, 8, 10, 11});
    CHECK_FALSE(parse_cpu_list("3-1").ok());
    CHECK_FALSE(parse_cpu_list("a-b").ok());
    CHECK_FALSE(parse_cpu_list("0-999999").ok());
}

TEST_CASE("LLC domains come from the caches' shared_cpu_list, not from CPU numbering") {
    TempTree t;
    t.write("possible", "0-3");
    // Two LLCs; siblings are numbered n and n+2, as on many x86 machines.
    for (unsigned cpu = 0; cpu < 4; ++cpu) {
        std::string dir = "cpu" + std::to_string(cpu) + "/cache/";
        t.write(dir + "index0/type", "Instruction");
        t.write(dir + "index0/level", "1");
        t.write(dir + "index0/shared_cpu_list", std::to_string(cpu));
        t.write(dir + "index3/type", "Unified");
        t.write(dir + "index3/level", "3");
        t.write(dir + "index3/shared_cpu_list", cpu % 2 == 0 ? "0,2" : "1,3");
    }
    auto topo = read_topology(t.root.string());
    REQUIRE(topo.ok());
    CHECK(topo->nr_cpus == 4);
    CHECK(topo->nr_llcs == 2);
    CHECK(topo->cpu_llc[0] == topo->cpu_llc[2]);
    CHECK(topo->cpu_llc[1] == topo->cpu_llc[3]);
    CHECK(topo->cpu_llc[0] != topo->cpu_llc[1]);
}

TEST_CASE("CPUs without cache information get a domain of their own") {
    TempTree t;
    t.write("possible", "0-1");
    auto topo = read_topology(t.root.string());
    REQUIRE(topo.ok());
    CHECK(topo->nr_llcs == 2);
}
