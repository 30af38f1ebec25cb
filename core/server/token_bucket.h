// Per-uid hint budget: refills at a steady rate up to a burst size.
#pragma once

#include <algorithm>
#include <chrono>

namespace gamesched::server {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double rate_per_second, double burst, Clock::time_point now)
        : rate_(rate_per_second), burst_(burst), tokens_(burst), last_(now) {}

    // Takes one token if there is one.
    bool take(Clock::time_point now) {
        refill(now);
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

    // When the next whole token will be there (now if one already is).
    [[nodiscard]] Clock::time_point next_token(Clock::time_point now) {
        refill(now);
        if (tokens_ >= 1.0) return now;
        if (rate_ <= 0) return now + std::chrono::hours(1);  // config forbids it; stay sane
        const std::chrono::duration<double> wait((1.0 - tokens_) / rate_);
        return now + std::chrono::duration_cast<Clock::duration>(wait) + Clock::duration(1);
    }

    [[nodiscard]] bool full(Clock::time_point now) {
        refill(now);
        return tokens_ >= burst_;
    }

private:
    void refill(Clock::time_point now) {
        if (now <= last_) return;
        const std::chrono::duration<double> elapsed = now - last_;
        tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
        last_ = now;
    }

    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace gamesched::server
