// One game's autotune run as a state machine fed with that game's statistics intervals. It only
// ever asks for tunables to be applied; the caller applies them (and nothing else).
//
// A run: a baseline segment (the tunables in force), then `budget` trials. A trial is `repeats`
// candidate segments, each followed by a baseline segment, so every candidate is compared with
// a baseline measured moments apart (drift in the background load cancels). A segment discards
// `settle` intervals after the change, then measures `measure` intervals. An interval bad enough
// (score.h's bad_interval) stops the trial at once and brings the baseline back. At the end the
// model's best point is confirmed against the baseline, and becomes the profile only if it wins
// by min_gain and keeps the background fed.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "helpers/mlcollect/optimiser.h"
#include "helpers/mlcollect/score.h"
#include "helpers/mlcollect/search_space.h"

namespace gamesched::ml {

struct AutotuneOptions {
    int settle = 5;    // intervals discarded after each change
    int measure = 30;  // intervals measured per segment
    int repeats = 2;   // candidate segments per trial
    int budget = 20;   // trials
    int confirm_repeats = 2;
    double min_gain = 0.05;  // the best must beat the baseline's score by this share
    std::vector<std::string> search = default_search_names();
    std::uint64_t seed = 1;
};

// A finished trial or baseline measurement, kept so that a run can resume after the game quits.
struct TrialResult {
    TunableValues tunables;       // the searched tunables
    std::optional<double> score;  // nullopt: stopped as bad or infeasible
    bool baseline = false;
};

enum class Verdict : std::uint8_t { learned, defaults_best };

struct AutotuneOutcome {
    Verdict verdict = Verdict::defaults_best;
    TunableValues tunables;  // full set to apply (baseline with the learned values merged in)
    double score = 0, baseline_score = 0;
};

class Autotuner {
public:
    // in_force: every tunable as it is now (the baseline); earlier: results of an interrupted run.
    static Result<Autotuner> start(const AutotuneOptions& options, const TunableValues& in_force,
                                   const std::vector<TrialResult>& earlier = {});

    // Feeds one interval of the game. Returns tunables to apply now, if a change is due.
    std::optional<TunableValues> on_interval(const Interval& interval, const GameInterval& game);
    // The game quit or is no longer alone: the current segment is void. Returns the baseline,
    // which the caller restores; the run continues from a fresh segment when fed again.
    TunableValues interrupt();

    [[nodiscard]] bool finished() const { return outcome_.has_value(); }
    [[nodiscard]] const std::optional<AutotuneOutcome>& outcome() const { return outcome_; }
    [[nodiscard]] const std::vector<TrialResult>& results() const { return results_; }
    [[nodiscard]] const TunableValues& baseline() const { return baseline_; }
    // For sample records: "baseline", "trial" or "confirm", and the trial number.
    [[nodiscard]] std::string phase() const;
    [[nodiscard]] std::optional<int> trial_number() const;
    // Trial records for the game's sample file, taken once.
    std::vector<nlohmann::json> take_records();

private:
    enum class Kind : std::uint8_t { baseline, candidate, confirm_best, confirm_baseline };
    struct Segment {
        Kind kind = Kind::baseline;
        Point x;
        int settle_left = 0;
        Window window;
    };

    Autotuner(AutotuneOptions options, SearchSpace space, TunableValues baseline);
    [[nodiscard]] TunableValues full(const Point& x) const;
    std::optional<TunableValues> begin(Kind kind, const Point& x);
    std::optional<TunableValues> next_segment();
    std::optional<TunableValues> end_segment();
    std::optional<TunableValues> stop_trial(const std::string& why);
    void finish_trial();
    void decide();
    [[nodiscard]] Score recent_baseline() const;

    AutotuneOptions options_;
    SearchSpace space_;
    TunableValues baseline_;
    Point baseline_x_;
    BayesianOptimiser optimiser_;
    std::vector<TrialResult> results_;
    std::deque<Window> baseline_windows_;  // the last few, pooled for comparisons
    Segment segment_;
    int trials_done_ = 0;
    Point candidate_;  // empty between trials
    Point best_x_;
    std::vector<double> candidate_scores_;
    std::vector<Window> candidate_windows_;
    std::vector<double> confirm_best_, confirm_base_;
    Window confirm_best_window_, confirm_base_window_;
    bool confirming_ = false;
    bool pending_apply_ = false;
    std::optional<AutotuneOutcome> outcome_;
    std::vector<nlohmann::json> records_;
};

}  // namespace gamesched::ml
