#include "helpers/kwin/sink_factory.h"

#include "helpers/kwin/json_lines_sink.h"

#include <unistd.h>

namespace gamesched::kwin {

Result<std::unique_ptr<FocusSink>> make_sink(const Options& options) {
    if (options.print) return std::unique_ptr<FocusSink>(std::make_unique<JsonLinesSink>(STDOUT_FILENO));
    return Error::invalid("forwarding to gamesched-core is not available in this build; use --print");
}

}  // namespace gamesched::kwin
