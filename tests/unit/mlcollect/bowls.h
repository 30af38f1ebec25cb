// Synthetic objectives with a known optimum for the autotuner's tests.
#pragma once

#include <cmath>

#include "helpers/mlcollect/search_space.h"

inline double square(double v) {
    return v * v;
}

// A late share with its best at game_boost_pct 70, slice_us 1250; the defaults score about 0.26,
// the optimum 0.05.
inline double tunables_bowl(const gamesched::ml::TunableValues& t) {
    const double boost = static_cast<double>(t.at("game_boost_pct"));
    const double slice = static_cast<double>(t.at("slice_us"));
    return 0.05 + 0.4 * square((boost - 70) / 90) + 0.3 * square(std::log(slice / 1250) / std::log(8.0));
}
