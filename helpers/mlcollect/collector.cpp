#include "helpers/mlcollect/collector.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace gamesched::ml {
namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TunableValues merged(TunableValues base, const TunableValues& over) {
    for (const auto& [name, value] : over) base[name] = value;
    return base;
}

}  // namespace

Collector::Collector(SampleStore& samples, ProfileStore& profiles, TunablesSink& core,
                     CollectorOptions options)
    : samples_(samples), profiles_(profiles), core_(core), options_(std::move(options)) {}

std::optional<Profile> Collector::profile_of(const std::string& key) {
    auto it = profiles_cache_.find(key);
    if (it != profiles_cache_.end()) return it->second;
    auto loaded = profiles_.get(key);
    if (!loaded) {
        spdlog::error("profile of {}: {}", key, loaded.error().message);
        loaded = std::optional<Profile>{};
    }
    profiles_cache_[key] = *loaded;
    return *loaded;
}

bool Collector::apply(const TunableValues& tunables) {
    if (auto st = core_.apply(tunables); !st) {
        spdlog::error("the core refused tunables: {}", st.error().message);
        return false;
    }
    return true;
}

void Collector::restore_user_tunables() {
    if (applied_for_.empty()) return;
    if (user_tunables_) {
        spdlog::info("no game needs its own tunables: restoring the previous ones");
        apply(*user_tunables_);
    }
    applied_for_.clear();
}

void Collector::on_sample(const nlohmann::json& sample) {
    auto iv = parse_interval(sample);
    if (!iv) {
        if (!parse_error_logged_) spdlog::error("ignoring stats samples: {}", iv.error().message);
        parse_error_logged_ = true;
        return;
    }
    parse_error_logged_ = false;
    // Games in order of appearance; one that left is forgotten (its profile is re-read when it
    // starts again, so edits made meanwhile count).
    std::map<std::string, std::uint64_t> seen;
    for (const auto& g : iv->games) {
        const std::string key = g.id.key();
        auto it = first_seen_.find(key);
        seen[key] = it != first_seen_.end() ? it->second : ++seen_counter_;
    }
    for (const auto& [key, order] : first_seen_)
        if (!seen.count(key)) profiles_cache_.erase(key);
    first_seen_ = std::move(seen);

    record(*iv);
    if (tuning_) {
        follow_tuning(*iv);
    } else {
        follow_profiles(*iv);
    }
}

void Collector::record(const Interval& iv) {
    for (const auto& g : iv.games) {
        const std::string key = g.id.key();
        std::string phase = "default";
        std::optional<int> trial;
        if (tuning_ && tuning_->key == key && !tuning_->paused) {
            phase = tuning_->tuner.phase();
            trial = tuning_->tuner.trial_number();
        } else if (applied_for_ == key) {
            phase = "profile";
        }
        samples_.append(key, sample_record(iv, g, phase, trial));
    }
}

void Collector::flush_trial_records(const Interval& iv) {
    for (auto& r : tuning_->tuner.take_records()) {
        r["schema"] = kRecordSchema;
        r["ts_ms"] = iv.ts_ms;
        r["game"] = {{"key", tuning_->key}, {"name", tuning_->name}};
        if (r.value("kind", "") == "trial")
            spdlog::info("{}: trial {} {}", tuning_->key, r.value("trial", 0),
                         r.contains("stopped") ? "stopped: " + r["stopped"].get<std::string>()
                                               : "scored " + r["score"].dump());
        samples_.append(tuning_->key, r);
    }
}

void Collector::save_progress(ProfileStatus status, const std::optional<AutotuneOutcome>& outcome) {
    Profile p;
    p.key = tuning_->key;
    p.name = tuning_->name;
    p.status = status;
    p.baseline = tuning_->tuner.baseline();
    p.searched = options_.tune.search;
    p.results = tuning_->tuner.results();
    p.updated_ms = now_ms();
    if (outcome) {
        p.tunables = outcome->tunables;
        p.score = outcome->score;
        p.baseline_score = outcome->baseline_score;
    }
    if (auto st = profiles_.save(p); !st)
        spdlog::error("saving the profile of {}: {}", p.key, st.error().message);
    profiles_cache_[p.key] = p;
}

void Collector::follow_tuning(const Interval& iv) {
    const GameInterval* game = nullptr;
    for (const auto& g : iv.games)
        if (g.id.key() == tuning_->key) game = &g;
    if (!game) {
        spdlog::info("{} quit during autotune; its trials so far are kept and resume on its next start",
                     tuning_->key);
        tuning_->tuner.interrupt();
        save_progress(ProfileStatus::tuning, std::nullopt);
        tuning_.reset();
        restore_user_tunables();
        follow_profiles(iv);
        return;
    }
    if (iv.games.size() > 1) {  // the tunables are global: no trial while another game runs
        if (!tuning_->paused) {
            spdlog::info("another game started: autotune of {} pauses", tuning_->key);
            tuning_->paused = true;
            apply(tuning_->tuner.interrupt());
        }
        return;
    }
    tuning_->paused = false;
    auto change = tuning_->tuner.on_interval(iv, *game);
    flush_trial_records(iv);
    if (change && !apply(*change)) {
        spdlog::error("autotune of {} stops: its tunables cannot be applied", tuning_->key);
        tuning_->tuner.interrupt();
        save_progress(ProfileStatus::tuning, std::nullopt);
        tuning_.reset();
        restore_user_tunables();
        return;
    }
    if (tuning_->tuner.finished()) {
        const auto& out = *tuning_->tuner.outcome();
        const bool learned = out.verdict == Verdict::learned;
        spdlog::info("autotune of {} finished: {} (score {:.3f}, defaults {:.3f})", tuning_->key,
                     learned ? "learned a profile" : "the defaults are best", out.score, out.baseline_score);
        save_progress(learned ? ProfileStatus::learned : ProfileStatus::defaults_best, out);
        tuning_.reset();
    }
}

void Collector::start_tuning(const GameInterval& game, const std::optional<Profile>& earlier) {
    AutotuneOptions tune = options_.tune;
    tune.seed ^= std::hash<std::string>{}(game.id.key());
    auto tuner =
        Autotuner::start(tune, *user_tunables_, earlier ? earlier->results : std::vector<TrialResult>{});
    if (!tuner) {
        spdlog::error("cannot autotune {}: {}", game.id.key(), tuner.error().message);
        options_.autotune = false;
        return;
    }
    spdlog::info("autotune of {} ({}) starts{}", game.id.key(), game.id.name,
                 earlier ? " again where it left off" : "");
    tuning_.emplace(Tuning{game.id.key(), game.id.name, std::move(*tuner)});
    applied_for_ = game.id.key();
    save_progress(ProfileStatus::tuning, std::nullopt);
}

void Collector::follow_profiles(const Interval& iv) {
    if (iv.games.empty()) {
        restore_user_tunables();
        user_tunables_ = iv.tunables;
        return;
    }
    if (applied_for_.empty()) user_tunables_ = iv.tunables;
    // The most recently started game decides.
    const GameInterval* latest = &iv.games.front();
    for (const auto& g : iv.games)
        if (first_seen_[g.id.key()] > first_seen_[latest->id.key()]) latest = &g;
    const std::string key = latest->id.key();
    const std::optional<Profile> profile = profile_of(key);
    if (profile && profile->applies()) {
        if (applied_for_ != key && user_tunables_) {
            spdlog::info("applying the profile of {} ({})", key, status_name(profile->status));
            if (apply(merged(*user_tunables_, profile->tunables))) applied_for_ = key;
        }
        return;
    }
    const bool may_tune = options_.autotune && iv.games.size() == 1 && user_tunables_ &&
                          (!profile || (profile->status == ProfileStatus::tuning && !profile->pinned));
    if (may_tune) {
        restore_user_tunables();
        start_tuning(*latest, profile);
        return;
    }
    if (applied_for_ != key) restore_user_tunables();
}

void Collector::end_run_of(const std::string& key) {
    if (tuning_ && tuning_->key == key) {
        if (!tuning_->paused) apply(tuning_->tuner.interrupt());
        save_progress(ProfileStatus::tuning, std::nullopt);
        tuning_.reset();
        restore_user_tunables();
    }
}

Status Collector::set_pinned(const std::string& key, bool pinned) {
    end_run_of(key);
    auto profile = profiles_.get(key);
    if (!profile) return profile.error();
    if (!*profile) return Error{ENOENT, "no profile for " + key};
    (*profile)->pinned = pinned;
    if (auto st = profiles_.save(**profile); !st) return st;
    profiles_cache_[key] = *profile;
    spdlog::info("the profile of {} is {}", key, pinned ? "pinned" : "no longer pinned");
    return Ok{};
}

Result<bool> Collector::reset(const std::string& key) {
    end_run_of(key);
    if (applied_for_ == key) restore_user_tunables();
    auto removed = profiles_.remove(key);
    if (!removed) return removed.error();
    profiles_cache_.erase(key);
    spdlog::info("the profile of {} was reset", key);
    return *removed;
}

void Collector::stop() {
    if (tuning_) {
        if (!tuning_->paused) apply(tuning_->tuner.interrupt());
        save_progress(ProfileStatus::tuning, std::nullopt);
        tuning_.reset();
    }
    restore_user_tunables();
}

}  // namespace gamesched::ml
