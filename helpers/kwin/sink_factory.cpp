#include "helpers/kwin/sink_factory.h"

#include "helpers/kwin/core_sink.h"
#include "helpers/kwin/json_lines_sink.h"

#include <unistd.h>

namespace gamesched::kwin {

Result<std::unique_ptr<FocusSink>> make_sink(const Options& options) {
    if (options.print) return std::unique_ptr<FocusSink>(std::make_unique<JsonLinesSink>(STDOUT_FILENO));
    return std::unique_ptr<FocusSink>(std::make_unique<CoreSink>(options.core_socket));
}

}  // namespace gamesched::kwin
