// The collector's sample directory: one JsonlLog per game, opened on first use. A failing disk
// (full, read-only, I/O errors) is reported once, clearly; the failure spell ends (and is
// reported as over) only after kRecoveredAfter appends in a row have worked, so a nearly full
// disk that takes a small record now and then does not flood the journal. The records already
// stored are never touched by a failure.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "helpers/mlcollect/jsonl_log.h"

namespace gamesched::ml {

enum class StoreEvent : std::uint8_t { failing, recovered };
using StoreReporter = std::function<void(StoreEvent, const std::string& message)>;

// The default reporter logs (error when failing, info when recovered).
[[nodiscard]] StoreReporter log_store_events();

// A file name stem for a game key: [A-Za-z0-9_-] only, bounded, never empty.
[[nodiscard]] std::string stem_for_key(const std::string& game_key);

class SampleStore {
public:
    SampleStore(std::filesystem::path dir, LogLimits limits, StoreReporter reporter = log_store_events());

    // True when stored. A failure is reported through the reporter (once per failing spell).
    bool append(const std::string& game_key, const nlohmann::json& record);
    // Closes a game's file (it left); it is reopened on its next record.
    void close(const std::string& game_key);

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
    [[nodiscard]] std::uint64_t lost_records() const { return lost_; }

private:
    void fail(const Error& error);

    std::filesystem::path dir_;
    LogLimits limits_;
    StoreReporter reporter_;
    std::map<std::string, JsonlLog> logs_;
    static constexpr int kRecoveredAfter = 20;
    bool failing_ = false;
    int successes_in_spell_ = 0;
    std::uint64_t lost_ = 0;           // since the start
    std::uint64_t lost_in_spell_ = 0;  // since the current failure began
};

}  // namespace gamesched::ml
