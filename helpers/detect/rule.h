// One detection rule as loaded from a rules.d JSON file.
#pragma once

#include <string>
#include <vector>

#include "helpers/detect/condition.h"

namespace gamesched::detect {

struct Bonus {
    ConditionPtr when;
    int add = 0;
};

struct Rule {
    std::string name;
    std::string description;
    bool game = false;   // the verdict when it matches: a game, or decidedly not one
    int confidence = 0;  // 0..100 when `match` holds, before bonuses
    ConditionPtr match;
    std::vector<Bonus> bonuses;  // each adds when its condition holds; the sum is capped at 100
    bool enabled = true;
    std::string origin;  // "file:line", for log lines and error messages
};

}  // namespace gamesched::detect
