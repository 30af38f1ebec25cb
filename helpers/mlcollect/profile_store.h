// Per-game profiles: what autotune learned (or that the defaults were best), whether the user
// pinned it, and the trial results of a run still in progress so that it can resume. One JSON
// file per game under <state>/profiles, replaced atomically (write, fsync, rename).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "helpers/mlcollect/autotuner.h"

namespace gamesched::ml {

inline constexpr int kProfileSchema = 1;

enum class ProfileStatus : std::uint8_t {
    tuning,         // autotune started and has not finished: trials resume on the next start
    learned,        // tunables found that beat the baseline
    defaults_best,  // autotune ran; nothing beat the baseline
};

struct Profile {
    std::string key;
    std::string name;  // the game's name when last seen
    ProfileStatus status = ProfileStatus::tuning;
    bool pinned = false;     // never re-tuned, never changed by the collector
    TunableValues tunables;  // what is applied when the game starts (learned/defaults_best)
    TunableValues baseline;  // the tunables in force when autotune started
    std::vector<std::string> searched;
    std::vector<TrialResult> results;  // every trial and baseline measurement so far
    std::optional<double> score, baseline_score;
    std::int64_t updated_ms = 0;

    [[nodiscard]] bool applies() const { return status != ProfileStatus::tuning && !tunables.empty(); }
    [[nodiscard]] nlohmann::json to_json() const;
    static Result<Profile> from_json(const nlohmann::json& j);
};

[[nodiscard]] std::string_view status_name(ProfileStatus status);

class ProfileStore {
public:
    explicit ProfileStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Every readable profile; unreadable files are reported in `problems` and skipped.
    [[nodiscard]] std::vector<Profile> list(std::vector<std::string>* problems = nullptr) const;
    [[nodiscard]] Result<std::optional<Profile>> get(const std::string& key) const;
    Status save(const Profile& profile) const;
    // True if there was one.
    Result<bool> remove(const std::string& key) const;

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

private:
    [[nodiscard]] std::filesystem::path file_for(const std::string& key) const;
    std::filesystem::path dir_;
};

}  // namespace gamesched::ml
