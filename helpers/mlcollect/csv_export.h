// `gameschedctl ml export --csv`: every stored sample record of every game (or one game) as one
// CSV table, a row per game and interval. Columns are fixed plus one per tunable and per role
// (docs/ml.md lists them).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "util/result.h"

namespace gamesched::ml {

// game_key empty: all games. Returns the number of rows written.
Result<std::size_t> export_csv(const std::filesystem::path& samples_dir, const std::string& game_key,
                               std::ostream& out);

}  // namespace gamesched::ml
