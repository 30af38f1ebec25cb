// gamesched-bench as the VM scenarios use it: the JSON each subcommand prints, its thread
// naming, and its refusal of bad options. Nothing here depends on how fast the machine is: the
// number of scored frames follows from the duration and the period alone.
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

namespace {

struct Run {
    int status = -1;
    std::string out;
};

Run run(const std::string& args) {
    Run r;
    const std::string cmd = std::string(GAMESCHED_BENCH_BIN) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int raw = pclose(p);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

nlohmann::json run_json(const std::string& args) {
    const Run r = run(args);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out);
}

const char* kQuickGame = "game --duration 1 --warmup 0.2 --period-us 10000 --loops-per-us 10";

}  // namespace

TEST_CASE("game prints the documented keys and scores exactly the frames due in the window") {
    const auto j = run_json(kQuickGame);
    for (const char* key :
         {"pid", "threads", "frames", "frame_miss_ratio", "frame_time_p50_ms", "frame_time_p99_ms",
          "frame_latency_p50_ms", "frame_latency_p99_ms", "render_wake_lateness_p50_us",
          "render_wake_lateness_p99_us", "audio_misses", "audio_periods", "input_start_latency_p50_us",
          "input_start_latency_p99_us", "input_events", "game_cpu_ms"}) {
        INFO(key);
        CHECK(j.contains(key));
    }
    // Window 0.2 s .. 1.0 s at 10 ms: slots 20..99 are due inside it.
    CHECK(j["frames"] == 80);
    CHECK(j["frame_misses"].get<int>() <= 80);
    // Every frame takes some time, and its p99 is at least its p50.
    CHECK(j["frame_latency_p50_ms"].get<double>() > 0);
    CHECK(j["frame_latency_p99_ms"].get<double>() >= j["frame_latency_p50_ms"].get<double>());
    CHECK(j["detail"]["input"]["source"] == "generator 500 Hz (pipe)");
}

TEST_CASE("game threads carry neutral names unless asked otherwise") {
    const auto neutral = run_json(kQuickGame);
    REQUIRE(neutral["threads"].size() == 8);
    std::set<std::string> roles;
    for (size_t i = 0; i < neutral["threads"].size(); ++i) {
        const auto& t = neutral["threads"][i];
        CHECK(t["name"] == "gs-thread-" + std::to_string(i));
        CHECK(t["tid"].get<int>() > 0);
        CHECK(t.contains("cpu_ms"));
        roles.insert(t["role"].get<std::string>());
    }
    CHECK(roles == std::set<std::string>{"main", "sim", "render", "submit", "audio", "input", "worker"});

    const auto named = run_json(std::string(kQuickGame) + " --descriptive-names");
    std::set<std::string> names;
    for (const auto& t : named["threads"]) names.insert(t["name"].get<std::string>());
    CHECK(names == std::set<std::string>{"game-main", "sim", "render", "submit", "audio", "input", "worker-0",
                                         "worker-1"});
}

std::set<std::string> roles_of(const nlohmann::json& game) {
    std::set<std::string> roles;
    for (const auto& t : game["threads"]) roles.insert(t["role"].get<std::string>());
    return roles;
}

TEST_CASE("the jobs model: a worker pool, a timer-woken render, audio in a process of its own") {
    const auto j = run_json(std::string(kQuickGame) + " --model jobs");
    CHECK(j["model"] == "jobs");
    CHECK(roles_of(j) == std::set<std::string>{"main", "sim", "render", "input", "worker", "audio"});
    CHECK(j["threads"].size() == 1 + 3 + 3 + 1);  // main, sim/render/input, 3 workers, audio process
    CHECK(j["frames"] == 80);
    // The audio process's periods came back to the game: 10 ms periods inside 0.2 .. 1.0 s.
    CHECK(j["audio_periods"].get<int>() >= 78);
    CHECK(j["audio_periods"].get<int>() <= 80);
    CHECK(j["fps"].is_number());
    // A frame's latency runs from main's slot to render's done; render starts at the half-period
    // "vsync" at the earliest, so no frame takes less than 5 ms here.
    CHECK(j["frame_latency_p50_ms"].get<double>() >= 5.0);
}

TEST_CASE("the heavy model is the chain without workers; the cursor model has no frames") {
    const auto heavy = run_json(std::string(kQuickGame) + " --model heavy");
    CHECK(roles_of(heavy) == std::set<std::string>{"main", "sim", "render", "submit", "audio", "input"});
    const auto cursor = run_json(std::string(kQuickGame) + " --model cursor");
    CHECK(roles_of(cursor) == std::set<std::string>{"main", "input"});
    CHECK(cursor["frames"] == 0);
    CHECK(cursor["frame_miss_ratio"].is_null());
    CHECK(cursor["fps"].is_null());
    CHECK(cursor["frame_latency_p99_ms"].is_null());
    CHECK(cursor["input_events"].get<int>() > 0);
}

TEST_CASE("--start-on-signal: the process announces itself and runs its frames after SIGUSR1") {
    const std::string bin = GAMESCHED_BENCH_BIN;
    const std::string cmd =
        "sh -c '" + bin + " " + kQuickGame +
        " --start-on-signal 2>/tmp/gs-bench-start.err & pid=$!; sleep 0.5; "
        "grep -q waiting /tmp/gs-bench-start.err && ! grep -q started /tmp/gs-bench-start.err "
        "&& kill -USR1 $pid; wait $pid'";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    REQUIRE(pclose(p) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(j["frames"] == 80);
}

TEST_CASE("messaging moves every message of the fixed workload") {
    const auto j = run_json("messaging --groups 2 --fds 3 --loops 5");
    CHECK(j["messages"] == 2 * 3 * 3 * 5);
    CHECK(j["failed"] == false);
}

TEST_CASE("messaging --repeat runs the same work again and reports the median time") {
    const auto out = run_json("messaging --groups 1 --fds 2 --loops 5 --repeat 3");
    REQUIRE(out["times_s"].size() == 3);
    CHECK(out["repeats"] == 3);
    CHECK(out["messages"] == 20);  // per repeat: 1 group x 2 senders x 2 receivers x 5 loops
    std::vector<double> times = out["times_s"].get<std::vector<double>>();
    std::sort(times.begin(), times.end());
    CHECK(out["time_s"].get<double>() == times[1]);
    CHECK(run("messaging --loops 5 --mark-pid 1").status == 2);
}

TEST_CASE("fairness and hog report one entry per thread") {
    const auto f = run_json("fairness --duration 0.2 --hogs 2");
    CHECK(f["equal_hogs"] == 2);
    CHECK(f["threads"].size() == 3);
    CHECK(f["threads"][2]["role"] == "nice-hog");
    const auto h = run_json("hog --duration 0.2 --threads 3 --nice 5");
    CHECK(h["threads"].size() == 3);
    CHECK(h["nice"] == 5);
}

TEST_CASE("bad options are refused with a usage error, not ignored") {
    CHECK(run("game --duration 1 --no-such-option 3").status == 2);
    CHECK(run("game --duration -1").status == 2);
    CHECK(run("game --duration 1 --warmup 2").status == 2);
    CHECK(run("game --duration 1 --input /dev/null").status == 2);
    CHECK(run("game --duration 1 --model nope").status == 2);
    CHECK(run("game --duration 1 --model jobs --workers 0").status == 2);
    CHECK(run("no-such-subcommand").status == 2);
    CHECK(run("report --in /nonexistent --out /tmp/x").status == 2);
    // Refused before it asks the kernel for anything: parts need a timed window.
    CHECK(run("bpfstats --duration 1 --windows 4 --until-signal").status == 2);
    CHECK(run("bpfstats --duration 1 --windows 0").status == 2);
}
