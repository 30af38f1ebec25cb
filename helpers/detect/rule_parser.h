// Parses one rules.d file. The format (documented in helpers/detect/rules.d/README.md):
//   {"rules": [{"name": "...", "verdict": "game"|"not_game", "confidence": 0..100,
//               "match": <condition>, "bonus": [{"when": <condition>, "add": N}], ...}]}
// A file is all or nothing: any error rejects the whole file, with "file:line: what to fix".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "helpers/detect/rule.h"
#include "util/result.h"

namespace gamesched::detect {

Result<std::vector<Rule>> parse_rule_file(std::string_view text, const std::string& file_name);

// 1-based line of each element of the top-level "rules" array, in order. The JSON must already
// be known to be valid; nlohmann's DOM keeps no positions, so this scans the text.
std::vector<int> rule_start_lines(std::string_view text);

}  // namespace gamesched::detect
