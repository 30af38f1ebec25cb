#include "helpers/mlcollect/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gamesched::ml {
namespace {

constexpr const char* kCriticalRoles[] = {"input", "render", "gpu_submit", "audio"};
// Beat misses (a period over 1.5x the thread's average) mean a late frame only for a thread that
// wakes once per period: render and the frame stages it feeds. A GPU-submit thread also wakes
// for its fence, an audio-role thread may be any timer-paced one (an input poll, a present
// thread): their periods alternate, so the test fires structurally (measured: 10-20 % of their
// wakeups under every slice_us, docs/autotune.md) and would only add a constant to the score.
constexpr const char* kBeatRoles[] = {"render"};
// Only a background that actually runs can be starved; below this share of the CPUs the
// measurement is noise.
constexpr double kMeaningfulBackgroundShare = 0.05;
// Stop a trial at once: the game at more than twice the baseline's score (plus an absolute
// margin, so a near-zero baseline does not make every wobble fatal), or the background below
// half of the baseline's CPU time in a single interval.
constexpr double kBadScoreFactor = 2.0;
constexpr double kBadScoreMargin = 0.1;
constexpr double kBadBackgroundShare = 0.5;

// A wait up to this share of the role's wake period is absorbed (render at 60 fps: ~2 ms); what
// lies beyond it is what makes a frame or an audio period late.
constexpr double kAbsorbedShareOfPeriod = 1.0 / 8.0;

// Waiting time beyond `absorbed_us`, summed over a log2 histogram (each bucket's waits taken at
// its geometric middle; the open-ended last bucket at 1.5x its start).
double late_time_us(const std::array<std::uint64_t, kWaitBuckets>& hist, double absorbed_us) {
    double late = 0;
    for (std::size_t b = 1; b < kWaitBuckets; ++b) {
        const double lo = std::ldexp(1.0, static_cast<int>(b) - 1);
        const double typical = b == kWaitBuckets - 1 ? 1.5 * lo : lo * std::sqrt(2.0);
        if (typical > absorbed_us) late += (typical - absorbed_us) * static_cast<double>(hist[b]);
    }
    return late;
}

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

Score score_window(const Window& w) {
    Score s;
    const double seconds = w.elapsed_ms / 1000.0;
    if (seconds > 0) {
        s.background_per_s = w.background_ms / seconds;
        s.capacity_per_s = w.capacity_ms / seconds;
        s.rescues_per_s = static_cast<double>(w.starvation_rescues) / seconds;
    }
    // Each role counts once, whatever its wake rate: pooled by wakeups, a 500 Hz input thread
    // and a 190 Hz audio thread would drown what the 60 Hz frame chain suffers.
    double miss_sum = 0, late_sum = 0;
    int beat_roles = 0, late_roles = 0;
    for (const char* role : kBeatRoles) {
        auto it = w.roles.find(role);
        if (it == w.roles.end() || it->second.wakeups == 0) continue;
        miss_sum += static_cast<double>(it->second.beat_misses) / static_cast<double>(it->second.wakeups);
        ++beat_roles;
    }
    for (const char* role : kCriticalRoles) {
        auto it = w.roles.find(role);
        if (it == w.roles.end() || it->second.period_sum_us == 0) continue;
        const RoleStats& r = it->second;
        const double period_sum = static_cast<double>(r.period_sum_us);
        const double mean_period = period_sum / static_cast<double>(std::max<std::uint64_t>(r.wakeups, 1));
        late_sum +=
            std::min(1.0, late_time_us(r.wait_hist, mean_period * kAbsorbedShareOfPeriod) / period_sum);
        ++late_roles;
    }
    if (beat_roles == 0 && late_roles == 0) return s;
    s.miss_ratio = beat_roles ? miss_sum / beat_roles : 0.0;
    s.late_share = late_roles ? late_sum / late_roles : 0.0;
    s.value = s.miss_ratio + s.late_share;
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
