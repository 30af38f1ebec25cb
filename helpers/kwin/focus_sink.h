// Where focus changes go, and which process the compositor is: the core's hint socket, or
// stdout in --print mode.
#pragma once

#include "helpers/kwin/focus_report.h"
#include "util/result.h"

#include <sys/types.h>

namespace gamesched::kwin {

class FocusSink {
public:
    virtual ~FocusSink() = default;

    // report.pid is never 0 here. An error is fatal for the helper only when the sink says the
    // destination is gone for good (see each sink).
    virtual Status forward(const FocusReport& report) = 0;
    // The process KWin runs in (the owner of org.kde.KWin, as the bus daemon knows it): the
    // compositor every frame of a focused game goes through. Called again after KWin restarts.
    virtual Status compositor(pid_t pid) = 0;
};

}  // namespace gamesched::kwin
