// The collector's logic, fed one core stats sample at a time: store a record per game, apply a
// game's profile when it runs, run autotune for a game without one, and bring back the user's
// tunables when no game needs anything. It changes the scheduler only through TunablesSink.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "helpers/mlcollect/autotuner.h"
#include "helpers/mlcollect/profile_store.h"
#include "helpers/mlcollect/sample_store.h"

namespace gamesched::ml {

class TunablesSink {
public:
    virtual ~TunablesSink() = default;
    virtual Status apply(const TunableValues& tunables) = 0;
};

struct CollectorOptions {
    bool autotune = true;  // tune games that have no profile yet
    AutotuneOptions tune;
};

class Collector {
public:
    Collector(SampleStore& samples, ProfileStore& profiles, TunablesSink& core, CollectorOptions options);

    void on_sample(const nlohmann::json& sample);
    // Shutdown or lost connection: a run in progress is saved (it resumes on the game's next
    // start) and the user's tunables come back if the core is still reachable.
    void stop();

    // gameschedctl profile pin/unpin/reset. A run in progress for that game ends first (saved,
    // its tunables undone). Pinned: never re-tuned or changed by the collector (a pinned run in
    // progress stays unfinished). Reset removes the profile: the game is tuned afresh when it
    // next runs alone (at once if it runs alone now).
    Status set_pinned(const std::string& key, bool pinned);
    Result<bool> reset(const std::string& key);

    [[nodiscard]] bool tuning() const { return tuning_.has_value(); }

private:
    struct Tuning {
        std::string key, name;
        Autotuner tuner;
        bool paused = false;
    };

    void record(const Interval& iv);
    void follow_tuning(const Interval& iv);
    void follow_profiles(const Interval& iv);
    void start_tuning(const GameInterval& game, const std::optional<Profile>& earlier);
    void save_progress(ProfileStatus status, const std::optional<AutotuneOutcome>& outcome);
    void flush_trial_records(const Interval& iv);
    [[nodiscard]] std::optional<Profile> profile_of(const std::string& key);
    bool apply(const TunableValues& tunables);
    void restore_user_tunables();
    void end_run_of(const std::string& key);

    SampleStore& samples_;
    ProfileStore& profiles_;
    TunablesSink& core_;
    CollectorOptions options_;
    std::optional<TunableValues> user_tunables_;  // in force before the collector changed any
    std::string applied_for_;                     // the game whose profile or run is in force
    std::optional<Tuning> tuning_;
    std::map<std::string, std::uint64_t> first_seen_;  // game key -> order of appearance
    std::map<std::string, std::optional<Profile>> profiles_cache_;
    std::uint64_t seen_counter_ = 0;
    bool parse_error_logged_ = false;
};

}  // namespace gamesched::ml
