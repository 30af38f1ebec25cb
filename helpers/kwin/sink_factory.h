// Chooses where focus changes go: stdout (--print) or the core's hint socket.
#pragma once

#include "helpers/kwin/focus_sink.h"
#include "helpers/kwin/options.h"

#include <memory>

namespace gamesched::kwin {

Result<std::unique_ptr<FocusSink>> make_sink(const Options& options);

}  // namespace gamesched::kwin
