// The game's side of the stand-in compositor (`gamesched-bench compositor`): a finished frame is
// handed over to the compositor process, which composites it and answers with the time it was
// done. A frame counts as shown only when that time is within the frame's deadline, so the
// score covers the game and the desktop process that must run after it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tools/bench/game_state.h"
#include "util/result.h"
#include "util/unique_fd.h"

namespace gamesched::bench {

// What crosses the socket: the frame's slot one way, the slot and its shown time back.
struct PresentMessage {
    int64_t slot = 0;
    int64_t shown_ns = 0;  // compositor's CLOCK_MONOTONIC when it finished; 0 on the way there
};

class Presenter {
public:
    static Result<std::unique_ptr<Presenter>> connect(const std::string& socket_path);
    explicit Presenter(UniqueFd fd) : fd_(std::move(fd)) {}

    // From the submit thread: hands a finished frame over without blocking, and records the
    // answers that have arrived (frames[slot].shown_ns).
    void present(int64_t slot, std::vector<FrameRecord>& frames);
    // After the game stopped: waits up to wait_ns for the remaining answers, then hangs up.
    void finish(std::vector<FrameRecord>& frames, int64_t wait_ns);

private:
    void collect(std::vector<FrameRecord>& frames);

    UniqueFd fd_;
    uint64_t sent_ = 0, answered_ = 0;
};

}  // namespace gamesched::bench
