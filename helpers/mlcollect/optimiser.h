// The autotuner's optimiser: Bayesian optimisation with a Gaussian process and expected
// improvement, for few, noisy, expensive trials over a handful of tunables (why this one and not
// TPE or successive halving: docs/autotune.md). Ask for a point, run the trial, tell the result.
// Minimises. Points live in the unit cube; the search space maps them to tunables.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "helpers/mlcollect/gaussian_process.h"

namespace gamesched::ml {

struct OptimiserOptions {
    size_t dims = 1;
    // Space-filling points before the model is trusted; 0 = max(4, dims + 2).
    size_t initial_points = 0;
    uint64_t seed = 1;
    // Random candidates the acquisition is evaluated on (plus local ones around the best).
    size_t candidates = 1500;
};

struct Observation {
    Point x;
    std::optional<double> value;  // nullopt: the trial was stopped as bad
};

class BayesianOptimiser {
public:
    // start: the first point to evaluate (the tunables in force: the incumbent to beat).
    explicit BayesianOptimiser(OptimiserOptions options, std::optional<Point> start = std::nullopt);

    // The next point to try: the space-filling design first, then the model's choice.
    [[nodiscard]] Point ask();
    // A result at any point (asked or not: repeated measurements of the start point are welcome).
    void tell(const Point& x, std::optional<double> value);
    // A resumed run: its first n trials already used that many design points.
    void skip_initial(size_t n) { served_initial_ = std::min(initial_.size(), served_initial_ + n); }

    // The observed point the model believes best; nullopt before any successful trial.
    // cautious: lowest posterior mean + one standard deviation, so that a single lucky
    // measurement of a noisy objective does not win (for a pick that is used as it is).
    // mean: lowest posterior mean, for a pick that is measured again before it is used (the
    // autotuner's confirmation); being cautious twice makes a short run never pick anything but
    // the well-measured baseline.
    enum class Pick : std::uint8_t { cautious, mean };
    [[nodiscard]] std::optional<Point> best(Pick pick = Pick::cautious) const;
    [[nodiscard]] const std::vector<Observation>& observations() const { return observations_; }
    [[nodiscard]] size_t initial_points() const { return initial_.size(); }

private:
    // Values for the model: a failed trial counts as the worst successful one, which steers the
    // search away without letting a huge penalty flatten everything else.
    [[nodiscard]] std::optional<GaussianProcess> model() const;
    [[nodiscard]] Point maximise_expected_improvement(const GaussianProcess& gp);
    [[nodiscard]] Point random_point();

    OptimiserOptions options_;
    std::mt19937_64 rng_;
    std::vector<Point> initial_;  // space-filling design, asked first
    size_t served_initial_ = 0;
    std::vector<Observation> observations_;
};

// Expected improvement below `incumbent` of a prediction (minimisation).
[[nodiscard]] double expected_improvement(const Prediction& p, double incumbent);

}  // namespace gamesched::ml
