// Where focus changes go: the core's hint socket, or stdout in --print mode.
#pragma once

#include "helpers/kwin/focus_report.h"
#include "util/result.h"

namespace gamesched::kwin {

class FocusSink {
public:
    virtual ~FocusSink() = default;

    // report.pid is never 0 here. An error is fatal for the helper only when the sink says the
    // destination is gone for good (see each sink).
    virtual Status forward(const FocusReport& report) = 0;
};

}  // namespace gamesched::kwin
