// The "Must show" targets of issue 12 / docs/benchmarks.md, checked against one run's samples,
// so that every run says which targets it meets, with the numbers. Reporting only: a run's
// validity does not depend on them.
#pragma once

#include <string>
#include <vector>

#include "tools/bench/report_model.h"

namespace gamesched::bench {

struct GoalResult {
    std::string goal;    // what is asked
    std::string status;  // "met", "NOT met" or "no data"
    std::string detail;  // the numbers behind the verdict
};

std::vector<GoalResult> check_goals(const Samples& samples);

}  // namespace gamesched::bench
