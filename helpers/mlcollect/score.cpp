#include "helpers/mlcollect/score.h"

#include <cmath>
#include <cstdio>

namespace gamesched::ml {
namespace {

constexpr const char* kCriticalRoles[] = {"input", "render", "gpu_submit", "audio"};
constexpr const char* kBeatRoles[] = {"render", "gpu_submit", "audio"};
// A wait is late beyond this share of the role's wake period (render at 60 fps: ~2 ms).
constexpr double kLateShareOfPeriod = 1.0 / 8.0;
constexpr double kFallbackLateUs = 1000;  // when the role has no period yet
// Only a background that actually runs can be starved; below this share of the CPUs the
// measurement is noise.
constexpr double kMeaningfulBackgroundShare = 0.05;
// Stop a trial at once: the game at more than twice the baseline's score (plus an absolute
// margin, so a near-zero baseline does not make every wobble fatal), or the background below
// half of the baseline's CPU time in a single interval.
constexpr double kBadScoreFactor = 2.0;
constexpr double kBadScoreMargin = 0.1;
constexpr double kBadBackgroundShare = 0.5;

bool meaningful_background(const Score& base) {
    return base.background_per_s > kMeaningfulBackgroundShare * base.capacity_per_s;
}

std::string format(const char* fmt, double a, double b) {
    char buf[160];
    std::snprintf(buf, sizeof buf, fmt, a, b);
    return buf;
}

}  // namespace

void Window::add(const Interval& iv, const GameInterval& g) {
    for (const auto& [name, r] : g.roles) roles[name].add(r);
    elapsed_ms += iv.interval_ms;
    capacity_ms += iv.capacity_ms;
    background_ms += iv.background_ms;
    game_cpu_ms += g.cpu_ms;
    starvation_rescues += iv.starvation_rescues;
    ++intervals;
}

double fraction_at_least(const std::array<std::uint64_t, kWaitBuckets>& hist, double threshold_us) {
    std::uint64_t total = 0;
    double above = 0;
    for (std::size_t b = 0; b < kWaitBuckets; ++b) {
        total += hist[b];
        if (hist[b] == 0) continue;
        const double lo = b == 0 ? 0.0 : std::ldexp(1.0, static_cast<int>(b) - 1);
        const double hi = std::ldexp(1.0, static_cast<int>(b));
        if (b == kWaitBuckets - 1 || lo >= threshold_us) {
            above += static_cast<double>(hist[b]);  // the last bucket is open-ended
        } else if (hi > threshold_us) {
            const double share =
                lo > 0 ? std::log(hi / threshold_us) / std::log(hi / lo) : (hi - threshold_us) / hi;
            above += static_cast<double>(hist[b]) * share;
        }
    }
    return total ? above / static_cast<double>(total) : 0.0;
}

Score score_window(const Window& w) {
    Score s;
    const double seconds = w.elapsed_ms / 1000.0;
    if (seconds > 0) {
        s.background_per_s = w.background_ms / seconds;
        s.capacity_per_s = w.capacity_ms / seconds;
        s.rescues_per_s = static_cast<double>(w.starvation_rescues) / seconds;
    }
    std::uint64_t beats = 0, misses = 0;
    for (const char* role : kBeatRoles) {
        if (auto it = w.roles.find(role); it != w.roles.end()) {
            beats += it->second.wakeups;
            misses += it->second.beat_misses;
        }
    }
    double late = 0;
    std::uint64_t waits = 0;
    for (const char* role : kCriticalRoles) {
        auto it = w.roles.find(role);
        if (it == w.roles.end()) continue;
        const RoleStats& r = it->second;
        const double period_us =
            r.wakeups ? static_cast<double>(r.period_sum_us) / static_cast<double>(r.wakeups) : 0;
        const double threshold = period_us > 0 ? period_us * kLateShareOfPeriod : kFallbackLateUs;
        const std::uint64_t n = r.waits();
        late += fraction_at_least(r.wait_hist, threshold) * static_cast<double>(n);
        waits += n;
    }
    if (beats == 0 && waits == 0) return s;
    s.miss_ratio = beats ? static_cast<double>(misses) / static_cast<double>(beats) : 0.0;
    s.late_ratio = waits ? late / static_cast<double>(waits) : 0.0;
    s.value = s.miss_ratio + s.late_ratio;
    return s;
}

std::string starvation_violation(const Score& w, const Score& base) {
    if (w.rescues_per_s > base.rescues_per_s * 1.05 + 1e-9)
        return format("the starvation guard had to rescue tasks (%.2f/s, baseline %.2f/s)", w.rescues_per_s,
                      base.rescues_per_s);
    if (meaningful_background(base) && w.background_per_s < kBackgroundFloor * base.background_per_s)
        return format("background CPU time fell to %.0f ms/s (baseline %.0f ms/s)", w.background_per_s,
                      base.background_per_s);
    return {};
}

std::string bad_interval(const Score& iv, const Score& base) {
    if (iv.value && base.value && *iv.value > *base.value * kBadScoreFactor + kBadScoreMargin)
        return format("the game's score went to %.3f (baseline %.3f)", *iv.value, *base.value);
    if (iv.rescues_per_s > 0 && base.rescues_per_s == 0)
        return format("the starvation guard rescued tasks (%.2f/s, baseline %.2f/s)", iv.rescues_per_s,
                      base.rescues_per_s);
    if (meaningful_background(base) && iv.background_per_s < kBadBackgroundShare * base.background_per_s)
        return format("background CPU time collapsed to %.0f ms/s (baseline %.0f ms/s)", iv.background_per_s,
                      base.background_per_s);
    return {};
}

}  // namespace gamesched::ml
