// A stand-in for "a game under the scheduler" in autotuner tests: turns the tunables in force
// into one statistics interval whose late waits, beat misses and background CPU time follow a
// known function of the tunables, with optional noise.
#pragma once

#include <cmath>
#include <functional>
#include <random>

#include "helpers/mlcollect/interval.h"

struct SyntheticGame {
    // Share of the render thread's waits that are too long (4-8 ms at 60 fps), 0..1, from the
    // tunables in force.
    std::function<double(const gamesched::ml::TunableValues&)> late_share;
    // Background CPU time per second (ms, of 2000), from the tunables in force.
    std::function<double(const gamesched::ml::TunableValues&)> background_ms =
        [](const gamesched::ml::TunableValues&) { return 1500.0; };
    double noise_sd = 0;
    std::mt19937_64 rng{11};

    gamesched::ml::Interval interval(const gamesched::ml::TunableValues& in_force) {
        namespace ml = gamesched::ml;
        constexpr std::uint64_t kWaits = 1000;
        double share = late_share(in_force);
        if (noise_sd > 0) share += std::normal_distribution<double>(0, noise_sd)(rng);
        share = std::clamp(share, 0.0, 1.0);
        ml::RoleStats render;
        const auto late = static_cast<std::uint64_t>(share * kWaits);
        render.wait_hist[13] = late;          // 4-8 ms: late
        render.wait_hist[5] = kWaits - late;  // 16-32 us: on time
        render.wakeups = kWaits;
        // A period at which a late wait's excess over the absorbed 1/8 period is one period:
        // the interval's score is then the late share itself.
        render.period_sum_us = static_cast<std::uint64_t>(kWaits * 4096 * std::sqrt(2.0) / 1.125);
        ml::GameInterval game;
        game.id = {.pid = 4242, .name = "synthetic", .source = "steam", .app_id = "570", .exe = "game"};
        game.roles["render"] = render;
        game.cpu_ms = 300;
        ml::Interval iv;
        iv.interval_ms = 1000;
        iv.capacity_ms = 2000;
        iv.background_ms = background_ms(in_force);
        iv.tunables = in_force;
        iv.games.push_back(game);
        return iv;
    }
};
