// A bench record as run-bench.sh writes one (round, arm, scenario, result), for the report tests.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>

inline nlohmann::json bench_record(int round, const std::string& arm, const std::string& scenario,
                                   nlohmann::json result) {
    return {{"round", round},
            {"position", 1},
            {"scheduler", arm},
            {"scenario", scenario},
            {"result", std::move(result)}};
}
