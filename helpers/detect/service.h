// The long-running loop of gamesched-detect: one poll(2) over the core connection, the session
// bus and a stop fd. Its timeout is the earliest of: a candidate's re-score, a lease renewal
// (only while games are reported), a reconnect attempt (only while the core is unreachable).
// With no games and no candidates it sleeps until an event arrives.
#pragma once

#include <chrono>

#include "helpers/detect/core_link.h"
#include "helpers/detect/detector.h"
#include "helpers/detect/gamemode_watch.h"
#include "ipc/backoff.h"

namespace gamesched::detect {

struct ServiceTiming {
    // Half the core's ~10 s lease grace, so one lost renewal does not cost a lease.
    std::chrono::milliseconds renew_interval{5000};
    std::chrono::milliseconds first_reconnect_delay{500};  // doubles per failure...
    std::chrono::milliseconds max_reconnect_delay{30000};  // ...up to this
};

class Service {
public:
    using Timing = ServiceTiming;

    Service(Detector& detector, CoreLink& core, GameModeWatch* gamemode, Timing timing = {})
        : detector_(detector),
          core_(core),
          gamemode_(gamemode),
          timing_(timing),
          reconnect_({timing.first_reconnect_delay, timing.max_reconnect_delay}) {}

    // Runs until stop_fd becomes readable (a signalfd for SIGTERM/SIGINT in production).
    Status run(int stop_fd);

private:
    void try_connect(Clock::time_point now);
    void on_connected(Clock::time_point now);
    void drain_core_events(Clock::time_point now);
    [[nodiscard]] std::optional<Clock::time_point> next_wakeup() const;

    Detector& detector_;
    CoreLink& core_;
    GameModeWatch* gamemode_;
    Timing timing_;
    Clock::time_point reconnect_at_{};
    ipc::Backoff reconnect_;  // the reconnect policy every client of the core uses
    bool warned_unreachable_ = false;
    std::optional<Clock::time_point> renew_at_;
};

}  // namespace gamesched::detect
