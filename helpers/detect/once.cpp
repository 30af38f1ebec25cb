#include "helpers/detect/once.h"

#include <nlohmann/json.hpp>

#include "helpers/detect/detector.h"

namespace gamesched::detect {
namespace {

struct CollectingSink final : HintSink {
    std::vector<GameReport> started;
    void game_started(const GameReport& game) override { started.push_back(game); }
    void game_exited(pid_t) override {}
    void audio_server(pid_t) override {}
};

}  // namespace

std::string reports_to_json(const std::vector<GameReport>& reports) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& report : reports) {
        nlohmann::json item = {{"pid", report.pid},
                               {"steam_app_id", nullptr},
                               {"name", report.name},
                               {"rule", report.rule},
                               {"confidence", report.confidence}};
        if (report.steam_app_id) item["steam_app_id"] = *report.steam_app_id;
        out.push_back(std::move(item));
    }
    // Names come from processes: never let a stray byte make the output invalid JSON.
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::string> scan_once(const Classifier& classifier, ProcessSource& source, uid_t uid) {
    CollectingSink sink;
    Detector detector(classifier, source, sink, uid);
    if (auto scanned = detector.scan(Clock::now()); !scanned) return scanned.error();
    return reports_to_json(detector.games());
}

}  // namespace gamesched::detect
