// --print mode: one JSON object per focus change on a file descriptor (stdout), e.g.
//   {"event":"focus_changed","pid":1234,"resource_class":"steam_app_570"}
// and one per compositor process: {"event":"compositor","pid":987}
#pragma once

#include "helpers/kwin/focus_sink.h"

#include <string>

namespace gamesched::kwin {

class JsonLinesSink final : public FocusSink {
public:
    explicit JsonLinesSink(int fd) : fd_(fd) {}

    // Fails (EPIPE and the like) when the reader went away; the helper then stops.
    Status forward(const FocusReport& report) override;
    Status compositor(pid_t pid) override;

    static std::string format(const FocusReport& report);

private:
    Status write_line(const std::string& line);

    int fd_;  // not owned
};

}  // namespace gamesched::kwin
