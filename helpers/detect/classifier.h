// Applies the merged rules to one process. Every rule whose `match` holds proposes its verdict
// with its confidence plus the bonuses that hold; the highest confidence wins, and at equal
// confidence "not a game" wins (a deny list entry must be able to veto a heuristic).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "helpers/detect/rule.h"

namespace gamesched::detect {

struct Verdict {
    bool game = false;
    int confidence = 0;
    std::string rule;  // empty when no rule matched
    std::optional<std::uint64_t> steam_app_id;
    std::string display_name;
};

class Classifier {
public:
    // Games at or above this confidence are certain; below it they are candidates that get
    // looked at again as they grow (threads, GPU).
    static constexpr int kDefaultThreshold = 70;

    explicit Classifier(std::vector<Rule> rules, int threshold = kDefaultThreshold);

    [[nodiscard]] Verdict classify(MatchContext& ctx) const;
    [[nodiscard]] bool certain(const Verdict& v) const { return v.game && v.confidence >= threshold_; }
    [[nodiscard]] bool candidate(const Verdict& v) const { return v.game && v.confidence < threshold_; }
    [[nodiscard]] int threshold() const { return threshold_; }
    [[nodiscard]] std::size_t rule_count() const { return rules_.size(); }

private:
    // Rules in the order of the best verdict each could propose (confidence plus every positive
    // bonus), so classify() can stop at the first rule that could not beat the verdict it has:
    // a deny-listed compiler is settled without reading a single ancestor.
    struct Ranked {
        Rule rule;
        int best_case = 0;
    };
    std::vector<Ranked> rules_;
    int threshold_;
};

}  // namespace gamesched::detect
