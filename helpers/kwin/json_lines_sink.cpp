#include "helpers/kwin/json_lines_sink.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>

namespace gamesched::kwin {

std::string JsonLinesSink::format(const FocusReport& report) {
    const nlohmann::json line = {
        {"event", "focus_changed"},
        {"pid", report.pid},
        {"resource_class", report.resource_class},
    };
    // The class comes from the window; invalid UTF-8 is replaced rather than thrown on.
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Status JsonLinesSink::forward(const FocusReport& report) {
    return write_line(format(report));
}

Status JsonLinesSink::compositor(pid_t pid) {
    return write_line(nlohmann::json{{"event", "compositor"}, {"pid", pid}}.dump() + "\n");
}

Status JsonLinesSink::write_line(const std::string& line) {
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error::from_errno("writing a line to stdout");
        written += static_cast<std::size_t>(n);
    }
    return Ok{};
}

}  // namespace gamesched::kwin
