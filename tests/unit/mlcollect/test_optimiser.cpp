// The autotuner's optimiser on synthetic objectives with a known optimum: a smooth bowl, the
// same bowl under measurement noise, and a bowl whose optimum sits next to a cliff where trials
// fail. Over 20 seeds it must find the optimum within the stated budget and beat random search
// given the same number of trials. Four dimensions, one of which does nothing (as some
// tunables do for some games).
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>

#include <functional>
#include <optional>
#include <random>

#include "helpers/mlcollect/optimiser.h"
#include "tests/unit/mlcollect/bowls.h"

namespace ml = gamesched::ml;

namespace {

constexpr size_t kDims = 4;
constexpr int kSeeds = 20;

// True objective values (what the result is judged on); minimum 0.
double bowl(const ml::Point& x) {
    return square(x[0] - 0.25) + square(x[1] - 0.7) + 0.5 * square(x[2] - 0.4);
}
// Past x0 = 0.6 a trial goes bad and is stopped (no value); the optimum is at x0 = 0.55.
constexpr double kCliffAt = 0.6;
double cliff_bowl(const ml::Point& x) {
    return square(x[0] - 0.55) + square(x[1] - 0.3) + 0.3 * square(x[2] - 0.8);
}

struct Objective {
    std::function<double(const ml::Point&)> truth;
    double noise_sd = 0;
    bool cliff = false;
};

// One trial: the measured value, or nullopt for a trial stopped as bad.
std::optional<double> measure(const Objective& f, const ml::Point& x, std::mt19937_64& noise) {
    if (f.cliff && x[0] > kCliffAt) return std::nullopt;
    double v = f.truth(x);
    if (f.noise_sd > 0) v += std::normal_distribution<double>(0, f.noise_sd)(noise);
    return v;
}

const ml::Point kStart(kDims, 0.5);  // "the defaults": the first trial of both searches

double bayesian_regret(const Objective& f, int budget, uint64_t seed) {
    std::mt19937_64 noise(seed * 7919);
    ml::BayesianOptimiser bo({.dims = kDims, .seed = seed}, kStart);
    for (int i = 0; i < budget; ++i) {
        const ml::Point x = bo.ask();
        bo.tell(x, measure(f, x, noise));
    }
    auto best = bo.best();
    REQUIRE(best);
    return f.truth(*best);
}

double random_regret(const Objective& f, int budget, uint64_t seed) {
    std::mt19937_64 noise(seed * 7919), rng(seed * 31);
    std::uniform_real_distribution<double> unit(0, 1);
    double best_seen = 1e300;
    ml::Point best = kStart;
    for (int i = 0; i < budget; ++i) {
        ml::Point x = kStart;
        if (i > 0)
            for (double& v : x) v = unit(rng);
        if (auto v = measure(f, x, noise); v && *v < best_seen) best_seen = *v, best = x;
    }
    return f.truth(best);
}

struct Tally {
    int found = 0;  // seeds where the optimiser's pick is within the tolerance of the optimum
    int wins = 0;   // seeds where it beat random search
    double mean_bo = 0, mean_random = 0;
};

Tally compare(const Objective& f, int budget, double tolerance) {
    Tally t;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        const double bo = bayesian_regret(f, budget, static_cast<uint64_t>(seed));
        const double rnd = random_regret(f, budget, static_cast<uint64_t>(seed));
        t.found += bo < tolerance;
        t.wins += bo < rnd;
        t.mean_bo += bo / kSeeds;
        t.mean_random += rnd / kSeeds;
    }
    UNSCOPED_INFO("found " << t.found << "/" << kSeeds << ", beat random " << t.wins << "/" << kSeeds
                           << ", mean regret " << t.mean_bo << " vs random " << t.mean_random);
    return t;
}

}  // namespace

TEST_CASE("smooth objective: the optimum within 20 trials, better than random search") {
    const Tally t = compare({bowl}, 20, 0.01);
    CHECK(t.found >= 18);
    CHECK(t.wins >= 17);
    CHECK(t.mean_bo * 5 < t.mean_random);
}

TEST_CASE("noisy objective (noise sd 0.05): near the optimum within 30 trials, better than random") {
    const Tally t = compare({bowl, 0.05}, 30, 0.03);
    CHECK(t.found >= 14);
    CHECK(t.wins >= 13);
    CHECK(t.mean_bo * 1.5 < t.mean_random);
}

TEST_CASE("objective with a cliff: the optimum next to failing trials within 25 trials") {
    const Tally t = compare({cliff_bowl, 0, true}, 25, 0.01);
    CHECK(t.found >= 16);
    CHECK(t.wins >= 17);
    CHECK(t.mean_bo * 3 < t.mean_random);
}

TEST_CASE("the first trial is the start point, then a space-filling design") {
    ml::BayesianOptimiser bo({.dims = 2, .initial_points = 4, .seed = 3}, ml::Point{0.1, 0.9});
    CHECK(bo.ask() == ml::Point{0.1, 0.9});
    bo.tell({0.1, 0.9}, 1.0);
    const ml::Point second = bo.ask();
    CHECK(second != ml::Point{0.1, 0.9});
    CHECK(bo.initial_points() == 4);
}

TEST_CASE("no successful trial yet: no best, and asking still works") {
    ml::BayesianOptimiser bo({.dims = 2, .initial_points = 1, .seed = 5});
    bo.tell(bo.ask(), std::nullopt);
    CHECK_FALSE(bo.best());
    const ml::Point next = bo.ask();
    CHECK(next.size() == 2);
}

TEST_CASE("expected improvement: zero when certainly worse, the gap when certainly better") {
    CHECK(ml::expected_improvement({2.0, 0.0}, 1.0) == 0.0);
    CHECK_THAT(ml::expected_improvement({0.5, 0.0}, 1.0), Catch::Matchers::WithinAbs(0.5, 1e-12));
    CHECK(ml::expected_improvement({1.0, 0.5}, 1.0) > 0.0);
}

TEST_CASE("the Gaussian process interpolates a smooth function and is unsure away from data") {
    std::vector<ml::Point> xs;
    std::vector<double> ys;
    for (int i = 0; i <= 10; ++i) {
        const double x = i / 10.0;
        xs.push_back({x});
        ys.push_back(std::sin(6 * x));
    }
    ml::GaussianProcess gp;
    gp.fit(xs, ys);
    CHECK_THAT(gp.predict({0.55}).mean, Catch::Matchers::WithinAbs(std::sin(3.3), 0.05));
    CHECK(gp.predict({0.55}).stddev < 0.1);
}
