#include "helpers/mlcollect/optimiser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace gamesched::ml {
namespace {

constexpr double kInvSqrt2 = 0.7071067811865476;
constexpr double kInvSqrt2Pi = 0.3989422804014327;
// Local candidates around the best points: a fine and a coarse step, in unit-cube units.
constexpr double kLocalSteps[] = {0.02, 0.08};
constexpr size_t kLocalPerStep = 60;
constexpr size_t kLocalCentres = 3;

// Latin hypercube: each dimension's [0,1] cut into n strata, one point per stratum, strata
// shuffled independently per dimension.
std::vector<Point> latin_hypercube(size_t n, size_t dims, std::mt19937_64& rng) {
    std::vector<Point> points(n, Point(dims));
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<size_t> order(n);
    for (size_t k = 0; k < dims; ++k) {
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        for (size_t i = 0; i < n; ++i)
            points[i][k] = (static_cast<double>(order[i]) + unit(rng)) / static_cast<double>(n);
    }
    return points;
}

}  // namespace

double expected_improvement(const Prediction& p, double incumbent) {
    const double improvement = incumbent - p.mean;
    if (p.stddev <= 1e-12) return std::max(improvement, 0.0);
    const double z = improvement / p.stddev;
    const double cdf = 0.5 * std::erfc(-z * kInvSqrt2);
    const double pdf = kInvSqrt2Pi * std::exp(-0.5 * z * z);
    return improvement * cdf + p.stddev * pdf;
}

BayesianOptimiser::BayesianOptimiser(OptimiserOptions options, std::optional<Point> start)
    : options_(options), rng_(options.seed) {
    const size_t n =
        options_.initial_points ? options_.initial_points : std::max<size_t>(4, options_.dims + 2);
    if (start) {
        initial_.push_back(*start);
        if (n > 1) {
            auto rest = latin_hypercube(n - 1, options_.dims, rng_);
            initial_.insert(initial_.end(), rest.begin(), rest.end());
        }
    } else {
        initial_ = latin_hypercube(n, options_.dims, rng_);
    }
}

Point BayesianOptimiser::random_point() {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    Point x(options_.dims);
    for (double& v : x) v = unit(rng_);
    return x;
}

std::optional<GaussianProcess> BayesianOptimiser::model() const {
    double worst = -std::numeric_limits<double>::infinity();
    for (const auto& o : observations_)
        if (o.value) worst = std::max(worst, *o.value);
    if (!std::isfinite(worst)) return std::nullopt;
    std::vector<Point> xs;
    std::vector<double> ys;
    for (const auto& o : observations_) {
        xs.push_back(o.x);
        ys.push_back(o.value.value_or(worst));
    }
    GaussianProcess gp;
    gp.fit(xs, ys);
    return gp;
}

Point BayesianOptimiser::maximise_expected_improvement(const GaussianProcess& gp) {
    // The incumbent is the best posterior mean at an observed point, not the best raw value:
    // with noisy trials the raw minimum is optimistic and EI would stop exploring.
    std::vector<std::pair<double, const Point*>> ranked;
    for (const auto& o : observations_)
        if (o.value) ranked.emplace_back(gp.predict(o.x).mean, &o.x);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const double incumbent = ranked.front().first;

    std::vector<Point> candidates;
    candidates.reserve(options_.candidates + kLocalCentres * kLocalPerStep * std::size(kLocalSteps));
    for (size_t i = 0; i < options_.candidates; ++i) candidates.push_back(random_point());
    for (size_t c = 0; c < std::min(kLocalCentres, ranked.size()); ++c) {
        for (double step : kLocalSteps) {
            std::normal_distribution<double> jitter(0.0, step);
            for (size_t i = 0; i < kLocalPerStep; ++i) {
                Point x = *ranked[c].second;
                for (double& v : x) v = std::clamp(v + jitter(rng_), 0.0, 1.0);
                candidates.push_back(std::move(x));
            }
        }
    }
    double best_ei = -1, best_sd = -1;
    const Point* best = &candidates.front();
    for (const auto& x : candidates) {
        const Prediction p = gp.predict(x);
        const double ei = expected_improvement(p, incumbent);
        // Ties (EI underflows to 0 far from the data) go to the least known point.
        if (ei > best_ei || (ei == best_ei && p.stddev > best_sd)) {
            best_ei = ei;
            best_sd = p.stddev;
            best = &x;
        }
    }
    return *best;
}

Point BayesianOptimiser::ask() {
    if (served_initial_ < initial_.size()) return initial_[served_initial_++];
    auto gp = model();
    if (!gp) return random_point();  // every trial so far failed: nothing to model yet
    return maximise_expected_improvement(*gp);
}

void BayesianOptimiser::tell(const Point& x, std::optional<double> value) {
    if (value && !std::isfinite(*value)) value.reset();
    observations_.push_back({x, value});
}

std::optional<Point> BayesianOptimiser::best(Pick pick) const {
    auto gp = model();
    if (!gp) return std::nullopt;
    double best_mean = std::numeric_limits<double>::infinity();
    std::optional<Point> best;
    for (const auto& o : observations_) {
        if (!o.value) continue;
        const Prediction p = gp->predict(o.x);
        if (const double m = p.mean + (pick == Pick::cautious ? p.stddev : 0.0); m < best_mean) {
            best_mean = m;
            best = o.x;
        }
    }
    return best;
}

}  // namespace gamesched::ml
