#include "helpers/detect/classifier.h"

#include <algorithm>

#include "helpers/detect/facts.h"

namespace gamesched::detect {
namespace {

// Does `challenger` beat `best`? Higher confidence first; on a tie "not a game" wins; then the
// rule name decides, so the outcome never depends on file order.
bool beats(const Verdict& challenger, const Verdict& best) {
    if (best.rule.empty()) return true;
    if (challenger.confidence != best.confidence) return challenger.confidence > best.confidence;
    if (challenger.game != best.game) return !challenger.game;
    return challenger.rule < best.rule;
}

int best_case(const Rule& rule) {
    int total = rule.confidence;
    for (const auto& bonus : rule.bonuses) total += std::max(bonus.add, 0);
    return std::clamp(total, 0, 100);
}

Verdict bound_of(const Rule& rule, int confidence) {
    Verdict v;
    v.game = rule.game;
    v.confidence = confidence;
    v.rule = rule.name;
    return v;
}

}  // namespace

Classifier::Classifier(std::vector<Rule> rules, int threshold) : threshold_(threshold) {
    for (auto& rule : rules) {
        const int bound = best_case(rule);
        rules_.push_back({std::move(rule), bound});
    }
    // Strongest first, in exactly the order beats() ranks verdicts.
    std::sort(rules_.begin(), rules_.end(), [](const Ranked& a, const Ranked& b) {
        return beats(bound_of(a.rule, a.best_case), bound_of(b.rule, b.best_case));
    });
}

Verdict Classifier::classify(MatchContext& ctx) const {
    Verdict best;
    for (const auto& [rule, bound] : rules_) {
        // Later rules rank no higher than this one's best case: if that cannot win, none can.
        if (!best.rule.empty() && !beats(bound_of(rule, bound), best)) break;
        if (rule.match->eval(ctx, 0) != Truth::yes) continue;
        int confidence = rule.confidence;
        for (const auto& bonus : rule.bonuses) {
            if (bonus.when->eval(ctx, 0) == Truth::yes) confidence += bonus.add;
        }
        Verdict proposal;
        proposal.game = rule.game;
        proposal.confidence = std::clamp(confidence, 0, 100);
        proposal.rule = rule.name;
        if (beats(proposal, best)) best = std::move(proposal);
    }
    if (best.game) {
        best.steam_app_id = steam_app_id(ctx);
        best.display_name = display_name(ctx.self());
    }
    return best;
}

}  // namespace gamesched::detect
