// Where the CPU went in a scenario, and the BPF cost per program, from the raw records; and the
// targets each run is checked against.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "tests/unit/bench/records.h"
#include "tools/bench/report_budget.h"
#include "tools/bench/report_goals.h"

using namespace gamesched::bench;
using Catch::Approx;
using nlohmann::json;

namespace {

// 2 CPUs x 1 s at USER_HZ 100 = 200 ticks = 2000 ms of capacity, 20 ticks (200 ms) idle.
std::vector<json> budget_records(const std::string& arm) {
    return {
        bench_record(1, arm, "S1", {{"bench", "game"}, {"game_cpu_ms", 300.0}}),
        bench_record(1, arm, "S1-hog", {{"cpu_ms", 1000.0}, {"loops", 4e9}}),
        bench_record(1, arm, "S1-forkexec", {{"cpu_ms", 50.0}, {"children_cpu_ms", 150.0}}),
        bench_record(1, arm, "S1-bpf",
                     {{"duration_s", 0.5}, {"total_run_time_ns", 50e6}, {"bpf_cpu_share", 0.05}}),
        bench_record(1, arm, "S1-cpu",
                     {{"user_hz", 100},
                      {"wall_ms", 1000},
                      {"ctxt_before", 1000},
                      {"ctxt_after", 11000},
                      {"before", {0, 0, 0, 0, 0, 0, 0, 0}},
                      {"after", {150, 0, 30, 15, 5, 0, 0, 0}}}),
    };
}

}  // namespace

TEST_CASE("the CPU budget splits the machine's time into the scenario's parts") {
    Samples s;
    add_cpu_budget(s, budget_records("gs-game"));
    const auto share = [&](const std::string& part) { return s.at("S1.cpu." + part).at("gs-game").at(1); };
    CHECK(share("game") == Approx(0.15));
    CHECK(share("hogs") == Approx(0.5));
    CHECK(share("forkexec") == Approx(0.1));
    // 50 ms over a 0.5 s statistics window, scaled to the 1 s scenario window.
    CHECK(share("bpf") == Approx(0.05));
    CHECK(share("idle") == Approx(0.1));
    CHECK(share("other") == Approx(0.1));
    CHECK(s.at("S1.bpf_cpu_share").at("gs-game").at(1) == Approx(0.05));
    CHECK(s.at("S1.hog_loops_per_cpu_s").at("gs-game").at(1) == Approx(4e9));
    // 100 ms of BPF over the window, 10,000 context switches.
    CHECK(s.at("S1.bpf_ns_per_switch").at("gs-game").at(1) == Approx(10000));
    CHECK(s.at("S1.switches_per_s").at("gs-game").at(1) == Approx(10000));
}

TEST_CASE("without a CPU record there is no budget") {
    Samples s;
    auto records = budget_records("eevdf");
    records.pop_back();
    add_cpu_budget(s, records);
    CHECK_FALSE(s.count("S1.cpu.game"));
}

TEST_CASE("BPF cost per program: one sample per round, idle programs left out") {
    const auto bpf = [](double ns, double rate) {
        return json{{"programs",
                     {{{"name", "gs_dispatch"},
                       {"type", "struct_ops"},
                       {"run_cnt", 10},
                       {"ns_per_call", ns},
                       {"calls_per_s", rate}},
                      {{"name", "idle_prog"},
                       {"type", "tracing"},
                       {"run_cnt", 0},
                       {"ns_per_call", nullptr},
                       {"calls_per_s", 0.0}}}}};
    };
    const std::vector<json> records{bench_record(1, "fifo", "S1-bpf", bpf(100, 1000)),
                                    bench_record(2, "fifo", "S1-bpf", bpf(300, 3000)),
                                    bench_record(1, "fifo", "J1-bpf", bpf(900, 9000))};
    const OpTable t = bpf_op_costs(records, "S1");
    REQUIRE(t.at("fifo").size() == 1);
    const OpCost& c = t.at("fifo").at("gs_dispatch");
    CHECK(c.ns_per_call == std::vector<double>{100, 300});
    CHECK(c.calls_per_s == std::vector<double>{1000, 3000});
    CHECK(c.type == "struct_ops");
}

TEST_CASE("targets: a ratio target needs every round, and says so with the numbers") {
    Samples s;
    s["S1.frame_miss_ratio"]["eevdf"] = {{1, 0.4}, {2, 0.3}};
    s["S1.frame_miss_ratio"]["gs-game"] = {{1, 0.01}, {2, 0.03}};
    s["S1.frame_miss_ratio"]["gs-unknown"] = {{1, 0.2}, {2, 0.25}};
    const auto goals = check_goals(s);
    const auto find = [&](const std::string& prefix) {
        for (const auto& g : goals)
            if (g.goal.rfind(prefix, 0) == 0) return g;
        FAIL("no goal " << prefix);
        return GoalResult{};
    };
    // Round 2: 0.03 / 0.3 = 0.1 > 0.05.
    CHECK(find("S1 frame-miss <= 0.05x").status == "NOT met");
    CHECK(find("S1 p99 frame time").status == "no data");
    // Per round unknown - registered: 0.19, 0.22 (median 0.205), more than either arm's range
    // (0.02, 0.05).
    CHECK(find("S1.frame_miss_ratio: registered beats unknown").status == "met");
}

TEST_CASE("targets: registered vs unknown is compared per round, a registered 0 is a margin") {
    Samples s;
    s["S1.frame_miss_ratio"]["gs-game"] = {{1, 0.0}, {2, 0.004}, {3, 0.0}};
    s["S1.frame_miss_ratio"]["gs-unknown"] = {{1, 0.7}, {2, 0.68}, {3, 0.74}};
    s["J1.frame_miss_ratio"]["gs-game"] = {{1, 0.0}, {2, 0.0}, {3, 0.0}};
    s["J1.frame_miss_ratio"]["gs-unknown"] = {{1, 0.01}, {2, 0.05}, {3, 0.0}};
    for (const auto& g : check_goals(s)) {
        if (g.goal.rfind("S1.frame_miss_ratio: registered", 0) == 0) CHECK(g.status == "met");
        // Round 3 ties, and the median margin 0.01 is below unknown's range 0.05.
        if (g.goal.rfind("J1.frame_miss_ratio: registered", 0) == 0) CHECK(g.status == "NOT met");
    }
}

TEST_CASE("targets: zero against zero is met, zero baseline against misses is not") {
    Samples s;
    s["S1.audio_miss_ratio"]["eevdf"] = {{1, 0.0}};
    s["S1.audio_miss_ratio"]["gs-game"] = {{1, 0.0}};
    s["J1.audio_miss_ratio"]["eevdf"] = {{1, 0.0}};
    s["J1.audio_miss_ratio"]["gs-game"] = {{1, 0.1}};
    for (const auto& g : check_goals(s)) {
        if (g.goal.rfind("S1 audio", 0) == 0) CHECK(g.status == "met");
        if (g.goal.rfind("J1 audio", 0) == 0) CHECK(g.status == "NOT met");
    }
}

TEST_CASE("targets: p99 frame time is the frame latency; the interval between frames is not a target") {
    Samples s;
    // Intervals of a paced game stay near the period: 0.9x of EEVDF's.
    s["S1.frame_time_p99_ms"]["eevdf"] = {{1, 14.0}, {2, 13.0}};
    s["S1.frame_time_p99_ms"]["gs-game"] = {{1, 12.6}, {2, 11.7}};
    // Latency from the slot's start: 0.3x and 0.35x.
    s["S1.frame_latency_p99_ms"]["eevdf"] = {{1, 10.0}, {2, 12.0}};
    s["S1.frame_latency_p99_ms"]["gs-game"] = {{1, 3.0}, {2, 4.2}};
    s["S1.frame_latency_p99_ms"]["gs-unknown"] = {{1, 8.0}, {2, 9.0}};
    s["S0.frame_latency_p99_ms"]["eevdf"] = {{1, 3.0}, {2, 3.0}};
    s["S0.frame_latency_p99_ms"]["gs-game"] = {{1, 3.6}, {2, 3.6}};
    bool seen_p99 = false, seen_s0 = false, seen_reg = false;
    for (const auto& g : check_goals(s)) {
        if (g.goal.rfind("S1 p99 frame time", 0) == 0) {
            seen_p99 = true;
            CHECK(g.status == "met");
        }
        if (g.goal.rfind("S0 (no load)", 0) == 0) {
            seen_s0 = true;
            CHECK(g.status == "NOT met");  // 1.2x > 1.1x
        }
        if (g.goal.rfind("S1.frame_latency_p99_ms: registered beats unknown", 0) == 0) {
            seen_reg = true;
            // Margins 5 and 4.8 (median 4.9) against ranges 1.2 and 1.
            CHECK(g.status == "met");
        }
        CHECK(g.goal.find("frame_time_p99_ms") == std::string::npos);
    }
    CHECK(seen_p99);
    CHECK(seen_s0);
    CHECK(seen_reg);
}

TEST_CASE("BPF share at equal load: S2 over the messaging's own time, S3 over the statistics' window") {
    const std::vector<json> records{
        // 2 CPUs, 0.1 s of messaging: 10 ms of BPF is 5 % of the CPU, whatever the window around it.
        bench_record(1, "gs-unknown", "S2", {{"time_s", 0.1}}),
        bench_record(
            1, "gs-unknown", "S2-bpf",
            {{"cpus", 2}, {"duration_s", 0.15}, {"total_run_time_ns", 10e6}, {"bpf_cpu_share", 0.033}}),
        bench_record(1, "fifo", "S2", {{"time_s", 0.12}}),
        bench_record(1, "fifo", "S2-bpf", {{"cpus", 2}, {"duration_s", 0.2}, {"total_run_time_ns", 1.2e6}}),
        bench_record(1, "gs-unknown", "S3-bpf", {{"cpus", 2}, {"duration_s", 1.5}, {"bpf_cpu_share", 0.02}}),
        // No messaging record: no share.
        bench_record(2, "fifo", "S2-bpf", {{"cpus", 2}, {"duration_s", 0.2}, {"total_run_time_ns", 1e6}}),
    };
    Samples s;
    add_bpf_at_equal_load(s, records);
    CHECK(s.at("S2.bpf_cpu_share").at("gs-unknown").at(1) == Approx(0.05));
    CHECK(s.at("S2.bpf_cpu_share").at("fifo").at(1) == Approx(0.005));
    CHECK(s.at("S2.bpf_ms").at("gs-unknown").at(1) == Approx(10));
    CHECK_FALSE(s.at("S2.bpf_cpu_share").at("fifo").count(2));
    CHECK(s.at("S3.bpf_cpu_share").at("gs-unknown").at(1) == Approx(0.02));

    // The target at equal load reads these blocks: 10x FIFO's share in S2 is not met.
    for (const auto& g : check_goals(s)) {
        if (g.goal.find("equal load: S2") != std::string::npos) CHECK(g.status == "NOT met");
        if (g.goal.find("equal load: S3") != std::string::npos) CHECK(g.status == "no data");
    }
}

TEST_CASE("BPF share at equal load: S3 takes the median of the window's parts when bpfstats split it") {
    // One part carries an emulator turn charged to one program call (a share 40x the others'):
    // the whole window's share follows it, the median of the parts does not.
    const std::vector<json> records{
        bench_record(1, "gs-unknown", "S3-bpf",
                     {{"cpus", 2},
                      {"duration_s", 1.5},
                      {"bpf_cpu_share", 0.04},
                      {"bpf_cpu_share_window_median", 0.0025}}),
        bench_record(1, "fifo", "S3-bpf",
                     {{"cpus", 2},
                      {"duration_s", 1.5},
                      {"bpf_cpu_share", 0.001},
                      {"bpf_cpu_share_window_median", 0.001}}),
    };
    Samples s;
    add_bpf_at_equal_load(s, records);
    CHECK(s.at("S3.bpf_cpu_share").at("gs-unknown").at(1) == Approx(0.0025));
    CHECK(s.at("S3.bpf_cpu_share_whole").at("gs-unknown").at(1) == Approx(0.04));
    bool seen = false;
    for (const auto& g : check_goals(s)) {
        if (g.goal.find("equal load: S3") == std::string::npos) continue;
        seen = true;
        CHECK(g.status == "NOT met");  // 2.5x FIFO's, not the whole window's 40x, decides
        CHECK(g.detail.find("2.5") != std::string::npos);
    }
    CHECK(seen);
}

TEST_CASE("BPF share at equal load: S2 takes the median repeat when the messaging was repeated") {
    // Five repeats of the same messages, one part each; one carries an emulator turn.
    const std::vector<json> records{
        bench_record(1, "gs-unknown", "S2", {{"time_s", 0.06}}),
        bench_record(1, "gs-unknown", "S2-bpf",
                     {{"cpus", 2},
                      {"duration_s", 0.4},
                      {"total_run_time_ns", 10e6},
                      {"windows", json::array({json::object(), json::object(), json::object(), json::object(),
                                               json::object()})},
                      {"bpf_cpu_share_window_median", 0.01}}),
    };
    Samples s;
    add_bpf_at_equal_load(s, records);
    CHECK(s.at("S2.bpf_cpu_share").at("gs-unknown").at(1) == Approx(0.01));
    CHECK(s.at("S2.bpf_ms").at("gs-unknown").at(1) == Approx(2));  // per repeat
}
