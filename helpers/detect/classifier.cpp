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

}  // namespace

Verdict Classifier::classify(MatchContext& ctx) const {
    Verdict best;
    for (const auto& rule : rules_) {
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
