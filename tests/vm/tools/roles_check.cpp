// Guest-side check for the game scenario: compares the roles the synthetic game gave its threads
// (its "started" line) with the roles the scheduler inferred (gameschedctl status), prints a
// table, and fails unless the input, audio, render and submit threads were recognised, a streamer
// (a thread that never sleeps after the game was registered) is tracked as a worker, and no
// thread of an unregistered process was tracked.
// Usage: roles-check GAME_OUTPUT STATUS_JSON [UNREGISTERED_GAME_OUTPUT]
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

using nlohmann::json;

namespace {

json first_json_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.contains("threads")) return j;
    }
    return json();
}

// The first "game_threads" array anywhere in the status reply.
const json* find_threads(const json& j) {
    if (j.is_object()) {
        if (auto it = j.find("game_threads"); it != j.end() && it->is_array()) return &*it;
        for (const auto& [k, v] : j.items()) {
            if (const json* found = find_threads(v)) return found;
        }
    }
    return nullptr;
}

}  // namespace

// A test tool: an escaping exception ends it with a message, which fails the test as it should.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
    if (argc < 3) return 2;
    json game = first_json_line(argv[1]);
    std::ifstream sin(argv[2]);
    std::stringstream ss;
    ss << sin.rdbuf();
    json status = json::parse(ss.str(), nullptr, false);
    const json* threads = status.is_discarded() ? nullptr : find_threads(status);
    if (game.is_null() || threads == nullptr) {
        std::printf("GS-CHECK FAIL roles-check: missing game output or game_threads in status\n");
        return 1;
    }
    std::map<long, std::string> inferred;
    for (const auto& t : *threads) {
        inferred[t.value("tid", 0L)] = t.value("role", "?");
        std::printf("GS-THREAD %s\n", t.dump().c_str());
    }

    const std::map<std::string, std::string> expected = {{"input", "input"},
                                                         {"audio", "audio"},
                                                         {"render", "render"},
                                                         {"submit", "gpu_submit"},
                                                         {"streamer", "worker"}};
    int failures = 0;
    for (const auto& t : game["threads"]) {
        std::string intended = t.value("role", "?");
        long tid = t.value("tid", 0L);
        std::string got = inferred.count(tid) ? inferred[tid] : "(not tracked)";
        std::printf("GS-ROLE tid %ld: game says %-7s scheduler inferred %s\n", tid, intended.c_str(),
                    got.c_str());
        if (auto want = expected.find(intended); want != expected.end()) {
            bool ok = got == want->second;
            std::printf("GS-CHECK %s %s thread recognised as %s\n", ok ? "PASS" : "FAIL", intended.c_str(),
                        want->second.c_str());
            failures += !ok;
        }
    }
    if (argc > 3) {
        json other = first_json_line(argv[3]);
        int tracked = 0;
        for (const auto& t : other["threads"]) tracked += inferred.count(t.value("tid", 0L)) ? 1 : 0;
        std::printf("GS-CHECK %s an unregistered process's threads get no role (tracked: %d)\n",
                    tracked == 0 && !other.is_null() ? "PASS" : "FAIL", tracked);
        failures += tracked != 0 || other.is_null();
    }
    return failures == 0 ? 0 : 1;
}
