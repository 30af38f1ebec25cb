#include "helpers/detect/match_context.h"

namespace gamesched::detect {

const ProcessInfo* MatchContext::at(std::size_t level) {
    while (chain_.size() <= level && !chain_ended_) {
        const pid_t parent = chain_.back().ppid;
        if (parent <= 0 || chain_.size() >= kMaxDepth) {
            chain_ended_ = true;
            break;
        }
        auto info = source_.read(parent, false);
        if (!info) {  // exited meanwhile, or outside a fixture tree: the chain ends here
            chain_ended_ = true;
            break;
        }
        chain_.push_back(std::move(*info));
    }
    return level < chain_.size() ? &chain_[level] : nullptr;
}

}  // namespace gamesched::detect
