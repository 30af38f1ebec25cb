// Turns the game's raw records into the one JSON object `gamesched-bench game` prints.
#pragma once

#include <nlohmann/json.hpp>

#include "tools/bench/game_state.h"

namespace gamesched::bench {

// window_end_ns: when the game was told to stop; only periods due before it are scored.
nlohmann::json game_report(const GameShared& g, int64_t window_end_ns, const std::string& input_description);

// The audio periods' deadline outcome (also the stand-in audio server's report).
nlohmann::json audio_metrics(const GameShared& g, int64_t window_end_ns);

}  // namespace gamesched::bench
