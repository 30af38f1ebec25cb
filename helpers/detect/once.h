// --once: one scan, the reports it would send as a JSON array, no core involved.
#pragma once

#include <string>
#include <vector>

#include "helpers/detect/classifier.h"
#include "helpers/detect/hint_sink.h"
#include "helpers/detect/proc_reader.h"
#include "util/result.h"

namespace gamesched::detect {

// [{"pid": 1200, "steam_app_id": 570, "name": "dota2", "rule": "steam-game", "confidence": 75}, ...]
// steam_app_id is null when there is none. Sorted by pid.
std::string reports_to_json(const std::vector<GameReport>& reports);

Result<std::string> scan_once(const Classifier& classifier, ProcessSource& source, uid_t uid);

}  // namespace gamesched::detect
