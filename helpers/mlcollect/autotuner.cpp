#include "helpers/mlcollect/autotuner.h"

#include <algorithm>
#include <numeric>

namespace gamesched::ml {
namespace {

constexpr std::size_t kBaselineWindowsPooled = 4;

double mean(const std::vector<double>& v) {
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

nlohmann::json optional_json(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

}  // namespace

Autotuner::Autotuner(AutotuneOptions options, SearchSpace space, TunableValues baseline)
    : options_(std::move(options)),
      space_(std::move(space)),
      baseline_(std::move(baseline)),
      baseline_x_(space_.encode(baseline_)),
      optimiser_({.dims = space_.size(), .seed = options_.seed}) {
    options_.settle = std::max(options_.settle, 1);  // the interval of a change straddles it
    options_.measure = std::max(options_.measure, 1);
    options_.repeats = std::max(options_.repeats, 1);
    options_.confirm_repeats = std::max(options_.confirm_repeats, 1);
}

Result<Autotuner> Autotuner::start(const AutotuneOptions& options, const TunableValues& in_force,
                                   const std::vector<TrialResult>& earlier) {
    auto space = SearchSpace::make(options.search, protocol_tunables(), in_force);
    if (!space) return space.error().context("autotune");
    Autotuner t(options, std::move(*space), in_force);
    std::size_t earlier_trials = 0;
    for (const auto& r : earlier) {
        t.optimiser_.tell(t.space_.encode(r.tunables), r.score);
        t.results_.push_back(r);
        if (!r.baseline) ++earlier_trials;
    }
    t.optimiser_.skip_initial(earlier_trials);
    t.trials_done_ = static_cast<int>(earlier_trials);
    (void)t.begin(Kind::baseline, t.baseline_x_);
    return t;
}

TunableValues Autotuner::full(const Point& x) const {
    if (x == baseline_x_) return baseline_;
    TunableValues out = baseline_;
    for (const auto& [name, value] : space_.decode(x)) out[name] = value;
    return out;
}

std::optional<TunableValues> Autotuner::begin(Kind kind, const Point& x) {
    segment_ = {kind, x, options_.settle, {}};
    return full(x);
}

std::optional<TunableValues> Autotuner::on_interval(const Interval& iv, const GameInterval& game) {
    if (outcome_) return std::nullopt;
    // Only intervals run entirely under the segment's tunables count; anything else (a change
    // still in flight, a restore after an interruption) asks for them again.
    const TunableValues expected = full(segment_.x);
    for (const auto& d : space_.dimensions()) {
        auto in_force = iv.tunables.find(d.name);
        if (in_force == iv.tunables.end() || in_force->second != expected.at(d.name)) {
            segment_.settle_left = options_.settle;
            segment_.window = {};
            return expected;
        }
    }
    if (segment_.settle_left > 0) {
        --segment_.settle_left;
        return std::nullopt;
    }
    segment_.window.add(iv, game);
    if (segment_.kind == Kind::candidate || segment_.kind == Kind::confirm_best) {
        Window one;
        one.add(iv, game);
        if (auto why = bad_interval(score_window(one), recent_baseline()); !why.empty())
            return stop_trial(why);
    }
    if (segment_.window.intervals >= options_.measure) return end_segment();
    return std::nullopt;
}

TunableValues Autotuner::interrupt() {
    segment_.settle_left = options_.settle;
    segment_.window = {};
    return baseline_;
}

Score Autotuner::recent_baseline() const {
    Window pooled;
    for (const auto& w : baseline_windows_) {
        for (const auto& [name, r] : w.roles) pooled.roles[name].add(r);
        pooled.elapsed_ms += w.elapsed_ms;
        pooled.capacity_ms += w.capacity_ms;
        pooled.background_ms += w.background_ms;
        pooled.starvation_rescues += w.starvation_rescues;
        pooled.intervals += w.intervals;
    }
    return score_window(pooled);
}

std::optional<TunableValues> Autotuner::end_segment() {
    const Score score = score_window(segment_.window);
    const Kind kind = segment_.kind;
    if (kind == Kind::baseline || kind == Kind::confirm_baseline) {
        baseline_windows_.push_back(segment_.window);
        if (baseline_windows_.size() > kBaselineWindowsPooled) baseline_windows_.pop_front();
        if (score.value) {
            optimiser_.tell(baseline_x_, score.value);
            results_.push_back({space_.decode(baseline_x_), score.value, true});
        }
        if (kind == Kind::confirm_baseline) {
            if (score.value) confirm_base_.push_back(*score.value);
            confirm_base_window_ = segment_.window;
        }
        return next_segment();
    }
    if (!score.value) {  // the game did nothing measurable: measure this repetition again
        segment_.window = {};
        return std::nullopt;
    }
    if (auto why = starvation_violation(score, recent_baseline()); !why.empty()) return stop_trial(why);
    if (kind == Kind::confirm_best) {
        confirm_best_.push_back(*score.value);
        confirm_best_window_ = segment_.window;
        return begin(Kind::confirm_baseline, baseline_x_);
    }
    candidate_scores_.push_back(*score.value);
    if (static_cast<int>(candidate_scores_.size()) >= options_.repeats) finish_trial();
    return begin(Kind::baseline, baseline_x_);
}

std::optional<TunableValues> Autotuner::next_segment() {
    if (confirming_) {
        if (static_cast<int>(confirm_best_.size()) < options_.confirm_repeats)
            return begin(Kind::confirm_best, best_x_);
        decide();
        return outcome_->tunables;
    }
    if (!candidate_.empty()) return begin(Kind::candidate, candidate_);
    if (trials_done_ >= options_.budget) {
        auto best = optimiser_.best(BayesianOptimiser::Pick::mean);  // confirmed next
        if (!best || full(*best) == baseline_) {
            outcome_ =
                AutotuneOutcome{Verdict::defaults_best, baseline_, 0, recent_baseline().value.value_or(0)};
            records_.push_back(
                {{"kind", "autotune_result"}, {"verdict", "defaults_best"}, {"tunables", baseline_}});
            return baseline_;
        }
        confirming_ = true;
        best_x_ = *best;
        return begin(Kind::confirm_best, best_x_);
    }
    candidate_ = optimiser_.ask();
    candidate_scores_.clear();
    return begin(Kind::candidate, candidate_);
}

void Autotuner::finish_trial() {
    const double score = mean(candidate_scores_);
    optimiser_.tell(candidate_, score);
    results_.push_back({space_.decode(candidate_), score, false});
    ++trials_done_;
    records_.push_back({{"kind", "trial"},
                        {"trial", trials_done_},
                        {"tunables", space_.decode(candidate_)},
                        {"scores", candidate_scores_},
                        {"score", score},
                        {"baseline_score", optional_json(recent_baseline().value)}});
    candidate_.clear();
}

std::optional<TunableValues> Autotuner::stop_trial(const std::string& why) {
    if (confirming_) {
        records_.push_back(
            {{"kind", "confirm_stopped"}, {"tunables", space_.decode(best_x_)}, {"stopped", why}});
        outcome_ = AutotuneOutcome{Verdict::defaults_best, baseline_, 0, recent_baseline().value.value_or(0)};
        records_.push_back(
            {{"kind", "autotune_result"}, {"verdict", "defaults_best"}, {"tunables", baseline_}});
        return baseline_;
    }
    optimiser_.tell(candidate_, std::nullopt);
    results_.push_back({space_.decode(candidate_), std::nullopt, false});
    ++trials_done_;
    records_.push_back({{"kind", "trial"},
                        {"trial", trials_done_},
                        {"tunables", space_.decode(candidate_)},
                        {"scores", candidate_scores_},
                        {"score", nullptr},
                        {"stopped", why}});
    candidate_.clear();
    return begin(Kind::baseline, baseline_x_);
}

void Autotuner::decide() {
    const double best = mean(confirm_best_), base = mean(confirm_base_);
    const std::string why =
        starvation_violation(score_window(confirm_best_window_), score_window(confirm_base_window_));
    const bool wins = why.empty() && !confirm_base_.empty() && best <= base * (1.0 - options_.min_gain);
    outcome_ = AutotuneOutcome{wins ? Verdict::learned : Verdict::defaults_best,
                               wins ? full(best_x_) : baseline_, best, base};
    records_.push_back({{"kind", "autotune_result"},
                        {"verdict", wins ? "learned" : "defaults_best"},
                        {"tunables", outcome_->tunables},
                        {"confirm_scores", confirm_best_},
                        {"confirm_baseline_scores", confirm_base_},
                        {"constraint", why}});
}

std::string Autotuner::phase() const {
    switch (segment_.kind) {
        case Kind::candidate:
            return "trial";
        case Kind::confirm_best:
            return "confirm";
        default:
            return "baseline";
    }
}

std::optional<int> Autotuner::trial_number() const {
    if (segment_.kind != Kind::candidate) return std::nullopt;
    return trials_done_ + 1;
}

std::vector<nlohmann::json> Autotuner::take_records() {
    return std::exchange(records_, {});
}

}  // namespace gamesched::ml
